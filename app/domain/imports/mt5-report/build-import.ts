// Turns the sections of an MT5 Trade History Report into an import plan:
// the rows are read into tables as they arrive (read-report-rows.ts); at
// `finish` the deals are matched to positions (match-deals.ts), what matches
// nothing is rejected with a reason, and the trades are built on demand from
// the tables (build-trade.ts), a chunk at a time (ImportPlan).
import type { ImportFormat, RejectedRow, TradeInput } from "../../trades/types.ts";
import type { ImportPlan, SkippedTrade } from "../import-plan.ts";
import type { ParseOptions } from "../parse-options.ts";
import { parseAccountLine } from "./account-line.ts";
import { buildTrade } from "./build-trade.ts";
import { UnreadableReportLanguageError, unreadableLanguageMessage, type UnrecognisedHeader } from "./language-support.ts";
import { candidateCount, exitsAgree, matchDeals } from "./match-deals.ts";
import { isTradeAccountReportTitle, TradeAccountReportError, tradeAccountReportMessage } from "./trade-account-report.ts";
import { REQUIRED, ReportRowsCollector, SECTION_NAMES } from "./read-report-rows.ts";
import { rowValues, type ReportRows, type SectionColumns, type SectionRow } from "./report-reader.ts";
import { readMt5Summary } from "./report-summary.ts";
import { IN, PagedColumn } from "./report-tables.ts";

export { parseAccountLine } from "./account-line.ts";

/** The result of reading a report: its plan, and the rows whose printed values a second read must supply. */
export interface Mt5ReportBuild {
  plan: ImportPlan;
  /** File rows of late rejections (deals found to match nothing) whose values are not known yet. */
  rowsWanted: Set<number>;
  /** Fills in a wanted row's printed values from its cells. */
  provideRow(fileRow: number, cells: string[]): void;
}

/**
 * Collects a report's rows (`row`, from Mt5ReportReader) and, at `finish`,
 * matches deals to positions and plans the import.
 */
export class Mt5ImportBuilder {
  private readonly collected: ReportRowsCollector;
  /** One data row of Positions, Deals or Open Positions. */
  readonly row: (row: SectionRow) => void;

  constructor(
    options: ParseOptions,
    private readonly format: ImportFormat,
  ) {
    this.collected = new ReportRowsCollector(options.serverTimeZone);
    this.row = this.collected.row;
  }

  /** Matches deals to positions and plans the import (`rows`: what the reader learnt besides the data rows). */
  finish(rows: ReportRows): Mt5ReportBuild {
    if (isTradeAccountReportTitle(rows.header.title)) throw new TradeAccountReportError(tradeAccountReportMessage(rows.header.title!));
    const collected = this.collected;
    const warnings: string[] = [...rows.warnings];
    const account = parseAccountLine(rows.header);
    const hasFee = (rows.columns.deals?.keys ?? []).includes("fee");

    if (!rows.sectionsFound.includes("positions") && !rows.sectionsFound.includes("deals")) {
      warnings.push("No Positions or Deals section was found: is this an MT5 Trade History Report in a supported language?");
    }
    const unrecognised: UnrecognisedHeader[] = [];
    for (const section of ["positions", "openPositions", "deals"] as const) {
      const columns = rows.columns[section];
      if (!columns) continue;
      const missing = REQUIRED[section].filter((key) => !columns.keys.includes(key));
      if (missing.length > 0) {
        unrecognised.push({ section: SECTION_NAMES[section], missing });
        warnings.push(
          `The ${SECTION_NAMES[section]} section's header was not recognised (missing ${missing.join(", ")}); its ${collected.unreadRows[section]} row(s) were not read. The report's language may not be supported yet.`,
        );
      }
    }

    collected.joinOpenPositions();
    const { positions, deals } = collected;
    const { lots, candidates } = matchDeals(positions, collected.positionIndex, deals);

    // Rejections found only now need the rows' printed values from a second read.
    const late: RejectedRow[] = [];
    const wanted = new Map<number, { rejection: RejectedRow; columns: SectionColumns }>();
    const rejectLate = (deal: number, reason: string) => {
      const rejection: RejectedRow = { row: deals.sectionRow[deal]!, section: SECTION_NAMES.deals, reason, values: {} };
      late.push(rejection);
      wanted.set(deals.fileRow[deal]!, { rejection, columns: deals.columns.get(deal)! });
    };
    const unmatched = (deal: number) => deals.assigned[deal] === -1 && candidateCount(candidates, deal) === 0;
    // Without a Positions section (its title row deleted in a spreadsheet) no exit can match:
    // that, not the report period, is what the trader needs to hear.
    const positionsMissing = !rows.sectionsFound.includes("positions");
    let orphans = 0;
    for (let deal = 0; deal < deals.count; deal++) {
      if (!unmatched(deal) || deals.entry[deal] === IN) continue;
      orphans += 1;
      const entry = deals.entryOf(deal);
      const what = `${entry === "out_by" ? "out by" : entry} deal ${deals.ticket.get(deal)} (${deals.brokerSymbol.get(deal)} ${deals.directionOf(deal)} ${deals.volume.get(deal)})`;
      rejectLate(
        deal,
        positionsMissing
          ? `Deals row ${deals.sectionRow[deal]}: ${what} cannot be matched to a position because the report has no Positions section, so it is not imported as a trade`
          : `Deals row ${deals.sectionRow[deal]}: ${what} matches no position in the report; its position was opened before the report period, so it is not imported as a trade`,
      );
    }
    if (orphans > 0 && positionsMissing) {
      warnings.push(
        `The report has no Positions section: its "Positions" title row is missing (as in a workbook edited and re-saved in a spreadsheet), so ${orphans} exit deal(s) could not be matched to positions and were not imported. Export the report from MetaTrader again (History tab → right-click → Report) and upload it unedited.`,
      );
    } else if (orphans > 0) {
      warnings.push(
        `${orphans} exit deal(s) belong to positions opened before the report period and were not imported; export a longer period to include them.`,
      );
    }
    for (let deal = 0; deal < deals.count; deal++) {
      if (!unmatched(deal) || deals.entry[deal] !== IN) continue;
      rejectLate(
        deal,
        `Deals row ${deals.sectionRow[deal]}: entry deal ${deals.ticket.get(deal)} (${deals.brokerSymbol.get(deal)}) matches no position in the Positions or Open Positions section`,
      );
    }

    let fallbacks = 0;
    let releasedDeals = 0;
    let openCount = 0;
    for (let position = 0; position < positions.count; position++) {
      if (!positions.isClosed(position)) openCount += 1;
      else if (!exitsAgree(positions, deals, position, lots)) {
        fallbacks += 1;
        const exits = positions.exits.get(position) ?? [];
        releasedDeals += exits.length;
        for (const deal of exits) deals.assigned[deal] = -1;
        positions.exits.set(position, undefined);
        positions.fallback[position] = 1;
      }
    }
    if (fallbacks > 0 && deals.count === 0 && !rows.sectionsFound.includes("deals")) {
      // A Positions-only report (a workbook re-saved without its lower sections): nothing was ambiguous.
      warnings.push(
        `The report has no Deals section, so its ${fallbacks} closed position(s) were imported from their Positions rows alone (one entry and one exit each, without deal ids).`,
      );
    } else if (fallbacks > 0) {
      warnings.push(
        `${fallbacks} position(s) were imported from their Positions row with a single exit leg because their exit deals could not be matched unambiguously (${releasedDeals} deal(s) left unattached).`,
      );
    }
    let ambiguous = 0;
    for (let deal = 0; deal < deals.count; deal++) if (deals.assigned[deal] === -1 && candidateCount(candidates, deal) > 0) ambiguous += 1;
    if (ambiguous > 0 && fallbacks === 0) {
      warnings.push(`${ambiguous} deal(s) could belong to more than one position and were not attached as legs.`);
    }
    // Matching is done: only the legs' fields are needed from here on.
    deals.columns = new PagedColumn();

    const rejected = [...collected.rejected(), ...late];
    const cash = collected.cash;

    // Nothing read because of the report's language: refuse it with a reason
    // instead of an empty import (another workbook without MT5 marks passes on).
    if (
      positions.count === 0 &&
      cash.length === 0 &&
      rejected.length === 0 &&
      (this.format === "mt5-html" || account !== null || rows.language !== null)
    ) {
      const message = unreadableLanguageMessage({
        title: rows.header.title,
        language: rows.language,
        sectionsFound: rows.sectionsFound,
        unrecognised,
      });
      if (message) throw new UnreadableReportLanguageError(message);
    }

    const build = (position: number) => buildTrade(positions, deals, position, hasFee);
    const plan: ImportPlan = {
      format: this.format,
      language: rows.language,
      account,
      cash,
      rejected,
      warnings,
      sourceRowCount: rows.sourceRowCount,
      summary: readMt5Summary(rows),
      tradeCount: positions.count,
      openCount,
      positionIds: positions.id.toArray(),
      firstTrades: (count) => Array.from({ length: Math.min(count, positions.count) }, (_, position) => build(position)),
      *tradeChunks(size, skip) {
        for (let start = 0; start < positions.count; start += size) {
          const end = Math.min(start + size, positions.count);
          const chunk = new Array<TradeInput | SkippedTrade>(end - start);
          for (let position = start; position < end; position++) {
            const positionId = positions.id.get(position)!;
            chunk[position - start] = skip?.(positionId) ? { skipped: true, positionId } : build(position);
          }
          yield chunk;
        }
      },
    };
    return {
      plan,
      rowsWanted: new Set(wanted.keys()),
      provideRow(fileRow, cells) {
        const entry = wanted.get(fileRow);
        if (entry) entry.rejection.values = rowValues(entry.columns, cells);
      },
    };
  }
}

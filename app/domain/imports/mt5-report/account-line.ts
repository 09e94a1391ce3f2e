// The account line of a report's header: login, currency, server, margin
// mode and leverage, with the name above it and the company below.
import { parseMetaTraderTime } from "../../server-time.ts";
import type { MarginMode, ReportAccountInfo } from "../../trades/types.ts";
import type { ReportHeader } from "./report-reader.ts";

/** `57174315 (USD, HFMarketsKE-Demo2, demo, Hedge)` or `… (USD, 1:100, Server, real, Netting)`. */
export function parseAccountLine(header: ReportHeader): ReportAccountInfo | null {
  const lines = header.lines;
  const accountLine = lines.find((line) => /^\d+\s*\(.*\)$/.test(line.value.replace(/\u00a0/g, " ").trim()));
  if (!accountLine) return null;
  const text = accountLine.value.replace(/\u00a0/g, " ").trim();
  const match = /^(\d+)\s*\((.*)\)$/.exec(text)!;
  const parts = match[2]!
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  let currency: string | null = null;
  let leverage: number | null = null;
  let server: string | null = null;
  let marginMode: MarginMode | null = null;
  for (const part of parts) {
    const lower = part.toLowerCase();
    const ratio = /^1\s*:\s*(\d+)$/.exec(part);
    if (ratio) leverage = Number(ratio[1]);
    else if (/^(hedge|hedging|хеджинг|cobertura)$/.test(lower)) marginMode = "hedging";
    else if (/^(netting|exchange|неттинг|compensación)$/.test(lower)) marginMode = "netting";
    else if (!currency && /^[A-Z]{3,4}$/.test(part)) currency = part;
    else if (/^(demo|real|contest|демо|реальный|конкурс)$/.test(lower)) continue;
    else if (!server) server = part;
  }
  const index = lines.indexOf(accountLine);
  // Name precedes the account line and Company follows it in every report.
  const name = index > 0 ? lines[index - 1]!.value || null : null;
  const company = lines[index + 1] && !parseMetaTraderTime(lines[index + 1]!.value) ? lines[index + 1]!.value || null : null;
  return { login: match[1]!, name, currency, server, company, marginMode, leverage };
}

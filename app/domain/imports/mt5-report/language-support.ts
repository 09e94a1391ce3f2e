// The refusal for an MT5 report the importer cannot read because of its
// terminal language: either none of its section titles is known (a language
// we have no texts for), or its sections are known but their column headers
// are not (a language known only in part). Reading such a report by column
// position could put a price into the volume, so it is refused with the
// languages that do work and how to export a readable report.
import { importableReportLanguages, reportLanguageByCode, type SectionKind } from "./languages.ts";

export class UnreadableReportLanguageError extends Error {
  override readonly name = "UnreadableReportLanguageError";
}

export interface UnrecognisedHeader {
  section: string;
  missing: string[];
}

const SWITCH_LANGUAGE =
  "switch the MetaTrader 5 terminal to English (View → Languages → English, then restart it), export the report again and upload that file; nothing was imported";

function supportedList(): string {
  return importableReportLanguages()
    .map((language) => (language.status === "provisional" ? `${language.name} (provisional)` : language.name))
    .join(", ");
}

/**
 * The message for a report that yielded nothing because of its language, or
 * null when the language is not the reason (an empty report, another file).
 */
export function unreadableLanguageMessage(input: {
  title: string | null;
  language: string | null;
  sectionsFound: SectionKind[];
  unrecognised: UnrecognisedHeader[];
}): string | null {
  const supported = supportedList();
  if (input.sectionsFound.length === 0) {
    const title = input.title ? ` (its title reads "${input.title}")` : "";
    return `This MT5 report${title} is in a terminal language whose section titles RawJournal cannot read yet. Reports are read in ${supported}: ${SWITCH_LANGUAGE}`;
  }
  if (input.unrecognised.length === 0) return null;
  const language = reportLanguageByCode(input.language);
  const which =
    language?.status === "partial"
      ? `is in ${language.name}, whose column headers RawJournal knows only in part`
      : "has column headers RawJournal does not recognise";
  const details = input.unrecognised
    .map((header) => `the ${header.section} header was not recognised (missing ${header.missing.join(", ")})`)
    .join("; ");
  return `This MT5 report ${which}: ${details}. Reports are read in ${supported}: ${SWITCH_LANGUAGE}`;
}

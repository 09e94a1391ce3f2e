// MT5's other report, the Trade Account Report (Toolbox → Trade tab →
// right-click → Report), lists only the positions and orders open when it was
// made: no closed trade, no deal, no balance row. Reading it as a history
// would import a partial snapshot of open positions, so it is refused with
// what it is and what to export instead. Titles as the terminal prints them
// (first row of the file), lower-case, one entry per language.
const TRADE_ACCOUNT_REPORT_TITLES: Readonly<Record<string, string>> = {
  "trade account report": "en",
  // ftmo-fr/ReportTrade-1512498604.xlsx
  "rapport d'opérations du compte de trading": "fr",
  // oanda-jp/ReportTrade-400078005.html
  トレード口座レポート: "ja",
};

export class TradeAccountReportError extends Error {
  override readonly name = "TradeAccountReportError";
}

export function isTradeAccountReportTitle(title: string | null): boolean {
  if (!title) return false;
  return TRADE_ACCOUNT_REPORT_TITLES[title.trim().toLowerCase().replace(/\s+/g, " ")] !== undefined;
}

export function tradeAccountReportMessage(title: string): string {
  return `This is an MT5 Trade Account Report ("${title.trim()}"): it lists only the positions and orders open when it was made, not your trading history, so nothing was imported. In MetaTrader 5 open the History tab of the Toolbox, right-click → Report → HTML or Open XML (Excel), and upload that Trade History Report instead`;
}

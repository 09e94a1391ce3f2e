// One stored trade as every reader of public.trades sees it: the columns to
// select (aliased `t`, money and prices as exact decimal strings), the row pg
// returns, and the row the app passes on (ISO times, camelCase). The detail
// page, the CSV export and the edit form read trades through it; analytics
// will too.
export const TRADE_ROW_COLUMNS = `t.id, t.position_id, t.symbol, t.broker_symbol, t.direction, t.status, t.opened_at, t.closed_at,
  t.volume::text, t.closed_volume::text, t.entry_price::text, t.exit_price::text,
  t.initial_stop_loss::text, t.stop_loss::text, t.take_profit::text, t.gross_profit::text,
  t.commission::text, t.swap::text, t.fee::text, t.net_profit::text, t.pnl_source, t.profit_currency,
  t.conversion_rate::text, t.pips::text, t.initial_risk_amount::text, t.session_tag, t.close_reason,
  t.comment, t.source`;

export interface TradeDbRow {
  id: string;
  position_id: string;
  symbol: string;
  broker_symbol: string | null;
  direction: "buy" | "sell";
  status: "open" | "closed";
  opened_at: Date;
  closed_at: Date | null;
  volume: string;
  closed_volume: string;
  entry_price: string;
  exit_price: string | null;
  initial_stop_loss: string | null;
  stop_loss: string | null;
  take_profit: string | null;
  gross_profit: string;
  commission: string;
  swap: string;
  fee: string;
  net_profit: string;
  pnl_source: "broker" | "computed" | "user";
  profit_currency: string | null;
  conversion_rate: string | null;
  pips: string | null;
  initial_risk_amount: string | null;
  session_tag: string | null;
  close_reason: string | null;
  comment: string | null;
  source: "manual" | "file" | "mt5";
}

export interface TradeRow {
  id: string;
  positionId: string;
  symbol: string;
  brokerSymbol: string | null;
  direction: "buy" | "sell";
  status: "open" | "closed";
  openedAt: string;
  closedAt: string | null;
  volume: string;
  closedVolume: string;
  entryPrice: string;
  exitPrice: string | null;
  initialStopLoss: string | null;
  stopLoss: string | null;
  takeProfit: string | null;
  grossProfit: string;
  commission: string;
  swap: string;
  fee: string;
  netProfit: string;
  pnlSource: "broker" | "computed" | "user";
  profitCurrency: string | null;
  conversionRate: string | null;
  pips: string | null;
  initialRiskAmount: string | null;
  sessionTag: string | null;
  closeReason: string | null;
  comment: string | null;
  source: "manual" | "file" | "mt5";
}

export function toTradeRow(row: TradeDbRow): TradeRow {
  return {
    id: row.id,
    positionId: row.position_id,
    symbol: row.symbol,
    brokerSymbol: row.broker_symbol,
    direction: row.direction,
    status: row.status,
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    volume: row.volume,
    closedVolume: row.closed_volume,
    entryPrice: row.entry_price,
    exitPrice: row.exit_price,
    initialStopLoss: row.initial_stop_loss,
    stopLoss: row.stop_loss,
    takeProfit: row.take_profit,
    grossProfit: row.gross_profit,
    commission: row.commission,
    swap: row.swap,
    fee: row.fee,
    netProfit: row.net_profit,
    pnlSource: row.pnl_source,
    profitCurrency: row.profit_currency,
    conversionRate: row.conversion_rate,
    pips: row.pips,
    initialRiskAmount: row.initial_risk_amount,
    sessionTag: row.session_tag,
    closeReason: row.close_reason,
    comment: row.comment,
    source: row.source,
  };
}

// What the psychology signals read and return. Money and volumes are decimal
// text exactly as stored; instants are epoch milliseconds (UTC).

export interface PsychologyTrade {
  id: string;
  accountId: string;
  symbol: string;
  openedMs: number;
  /** Null while the position is open (a partial close leaves it open). */
  closedMs: number | null;
  /** Lots entered over the position's life, scale-ins included. */
  volume: string;
  /** Net P&L: profit + commission + swap + fee (realised so far while open). */
  net: string;
}

/** Why a trade looks like revenge: the loss it followed. */
export interface RevengeSignal {
  tradeId: string;
  loss: { id: string; symbol: string; net: string; volume: string; closedMs: number };
  /** Whole minutes from the loss's close to this trade's open (rounded down). */
  minutesAfterLoss: number;
  /** This trade's volume ÷ the loss's volume, 2 decimals (rounded down, so a flagged trade never reads below the threshold). */
  sizeRatio: string;
}

export interface OvertradingDay {
  day: string; // "YYYY-MM-DD" trading day
  trades: number;
}

export interface OvertradingReport {
  /** Trading days with at least one closed trade. */
  activeDays: number;
  /** Median closed trades per active day; null without any. */
  medianPerDay: number | null;
  /** A day with more trades than this is flagged; null while too few days are known to judge. */
  threshold: number | null;
  /** Closed trades per active trading day. */
  countByDay: Map<string, number>;
  /** The overtrading days. */
  flaggedDays: Set<string>;
}

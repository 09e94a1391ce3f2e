// The shapes app/models/trade-detail.server.ts returns, in a module of types only, so
// components can use them without importing server code.

export interface TradeLeg {
  id: string;
  dealId: string | null;
  orderId: string | null;
  kind: "entry" | "exit";
  direction: "buy" | "sell";
  executedAt: string;
  volume: string;
  price: string;
  profit: string;
  commission: string;
  swap: string;
  fee: string;
  reason: string | null;
  comment: string | null;
}

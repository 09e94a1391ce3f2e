// Drawdown with cash movements neutralised (docs/metrics.md#max-drawdown): a
// cash movement shifts the balance and its running peak by the same amount,
// so a withdrawal is not a drawdown and a deposit does not end one.
// Amounts are integer units (money.ts), so the walk is exact.
import type { Prepared } from "./prepare.ts";

export class NeutralisedDrawdown {
  balance: number;
  peak: number;

  constructor(startingBalance: number) {
    this.balance = startingBalance;
    this.peak = startingBalance;
  }

  trade(net: number): void {
    this.balance += net;
    if (this.balance > this.peak) this.peak = this.balance;
  }

  cash(amount: number): void {
    this.balance += amount;
    this.peak += amount;
  }

  /** Applies event `event` of prepared.events. */
  apply(prepared: Prepared, event: number): void {
    if (event >= 0) this.trade(prepared.net[event]!);
    else {
      const cash = prepared.cash[-1 - event]!;
      // Financing is a holding cost like swap, not money moved: it can deepen a drawdown (metrics.md).
      if (cash.movement.kind === "financing") this.trade(cash.amount);
      else this.cash(cash.amount);
    }
  }

  get drawdown(): number {
    return this.peak - this.balance;
  }

  /** drawdown / peak; null while the peak is not positive (a share of nothing). */
  get drawdownShare(): number | null {
    if (this.peak <= 0) return null;
    return (this.peak - this.balance) / this.peak;
  }
}

// A price with its symbol's digits; the exact stored value on hover (title)
// when the display rounds it (an average of several fills).
import { displayPrice, symbolDigits } from "~/domain/instruments/price-display.ts";

export function Price({ value, symbol }: { value: string | null | undefined; symbol: string }) {
  const { text, exact } = displayPrice(value, symbolDigits(symbol));
  return exact ? (
    <span title={`Exact: ${exact}`} data-exact-price={exact}>
      {text}
    </span>
  ) : (
    <>{text}</>
  );
}

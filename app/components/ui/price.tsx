// A price with its symbol's digits; the exact stored value on hover (title)
// when the display rounds it (an average of several fills).
import { displayPrice, symbolDigits, type DisplayedPrice } from "~/domain/instruments/price-display.ts";

export function Price({ value, symbol }: { value: string | null | undefined; symbol: string }) {
  return <DisplayedPriceText price={displayPrice(value, symbolDigits(symbol))} />;
}

/** A price already put in its digits (lists that format each row once draw it with this). */
export function DisplayedPriceText({ price: { text, exact } }: { price: DisplayedPrice }) {
  return exact ? (
    <span title={`Exact: ${exact}`} data-exact-price={exact}>
      {text}
    </span>
  ) : (
    <>{text}</>
  );
}

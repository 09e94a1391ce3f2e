// Growing typed arrays for the parse's stores (xlsx-shared-strings.ts,
// mt5-report/text-column.ts, mt5-report/report-tables.ts): doubling keeps
// appends amortised O(1).

type TypedArray = Uint8Array | Uint16Array | Int16Array | Int32Array | Float64Array;

/** `array` if it holds `needed` items, else a copy at least twice as large (1,024 at least) holding `needed`. */
export function grownCopy<T extends TypedArray>(array: T, needed: number, make: (length: number) => T): T {
  if (needed <= array.length) return array;
  let capacity = Math.max(1024, array.length * 2);
  while (capacity < needed) capacity *= 2;
  const next = make(capacity);
  next.set(array);
  return next;
}

// The landing page's picture: a few candles with a trade on them (entry,
// stop, exit) in the app's colours. Decorative and drawn, not data: it shows
// what a reviewed trade looks like and claims no figure.
const CANDLES: readonly [open: number, high: number, low: number, close: number][] = [
  [62, 66, 55, 57],
  [57, 60, 50, 52],
  [52, 56, 47, 54],
  [54, 58, 51, 53],
  [53, 57, 46, 49],
  [49, 55, 45, 54],
  [54, 63, 53, 61],
  [61, 66, 58, 64],
  [64, 65, 57, 59],
  [59, 70, 58, 68],
  [68, 75, 66, 73],
  [73, 77, 69, 71],
  [71, 80, 70, 78],
  [78, 83, 74, 81],
];

const WIDTH = 420;
const HEIGHT = 240;
const STEP = WIDTH / (CANDLES.length + 1);
/** Price 40..90 onto the picture's height, top = high. */
const y = (price: number) => HEIGHT - ((price - 40) / 50) * HEIGHT;

const ENTRY = { index: 5, price: 50 };
const EXIT = { index: 12, price: 78 };
const STOP = 44;

export function TradeChartIllustration({ className = "" }: { className?: string }) {
  return (
    <svg aria-hidden="true" focusable="false" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className={className} preserveAspectRatio="xMidYMid meet">
      {[0.25, 0.5, 0.75].map((f) => (
        <line key={f} x1="0" x2={WIDTH} y1={HEIGHT * f} y2={HEIGHT * f} stroke="#26263a" strokeWidth="1" />
      ))}
      <line
        x1={STEP * (ENTRY.index + 1)}
        x2={WIDTH}
        y1={y(STOP)}
        y2={y(STOP)}
        stroke="#ef4444"
        strokeWidth="1.5"
        strokeDasharray="6 5"
        opacity="0.8"
      />
      <rect
        x={STEP * (ENTRY.index + 1)}
        y={y(EXIT.price)}
        width={STEP * (EXIT.index - ENTRY.index)}
        height={y(ENTRY.price) - y(EXIT.price)}
        fill="#6366f1"
        opacity="0.12"
      />
      {CANDLES.map(([open, high, low, close], i) => {
        const x = STEP * (i + 1);
        const up = close >= open;
        const colour = up ? "#22c55e" : "#ef4444";
        return (
          <g key={i}>
            <line x1={x} x2={x} y1={y(high)} y2={y(low)} stroke={colour} strokeWidth="1.5" />
            <rect
              x={x - STEP * 0.3}
              y={y(Math.max(open, close))}
              width={STEP * 0.6}
              height={Math.max(2, Math.abs(y(open) - y(close)))}
              fill={colour}
              rx="1"
            />
          </g>
        );
      })}
      <path
        d={`M ${STEP * (ENTRY.index + 1)} ${y(ENTRY.price) + 6} l -7 12 h 14 z`}
        fill="#818cf8"
        stroke="#0a0a0f"
        strokeWidth="1"
        strokeLinejoin="round"
      />
      <path
        d={`M ${STEP * (EXIT.index + 1)} ${y(EXIT.price + 5) - 6} l -7 -12 h 14 z`}
        fill="#e5e7eb"
        stroke="#0a0a0f"
        strokeWidth="1"
        strokeLinejoin="round"
      />
    </svg>
  );
}

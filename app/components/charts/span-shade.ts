// The trade's time span shaded behind the candles: one rectangle from the left
// edge of its first bar to the right edge of its last, drawn by a series
// primitive under the series (lightweight-charts v5 plugins), so it pans and
// zooms with the bars. A histogram of full-height columns did the same with a
// 1-pixel gap between columns: stripes at M5.
import type {
  IChartApi,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesPrimitive,
  SeriesAttachedParameter,
  Time,
  UTCTimestamp,
} from "lightweight-charts";

type Target = Parameters<IPrimitivePaneRenderer["draw"]>[0];

/** Bar open times (UTC epoch seconds) of the span's first and last bars. */
export interface ShadedBars {
  first: number;
  last: number;
}

export class SpanShade implements ISeriesPrimitive<Time> {
  #chart: IChartApi | null = null;
  #requestUpdate: (() => void) | null = null;
  #bars: ShadedBars | null = null;
  readonly #color: string;
  readonly #view: IPrimitivePaneView;

  constructor(color: string) {
    this.#color = color;
    const renderer: IPrimitivePaneRenderer = { draw: () => {}, drawBackground: (target) => this.#draw(target) };
    this.#view = { zOrder: () => "bottom", renderer: () => renderer };
  }

  attached({ chart, requestUpdate }: SeriesAttachedParameter<Time>): void {
    this.#chart = chart as IChartApi;
    this.#requestUpdate = requestUpdate;
  }

  detached(): void {
    this.#chart = null;
    this.#requestUpdate = null;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return [this.#view];
  }

  /** The span to shade (null: none); redraws. */
  setBars(bars: ShadedBars | null): void {
    this.#bars = bars;
    this.#requestUpdate?.();
  }

  #draw(target: Target): void {
    const chart = this.#chart;
    const bars = this.#bars;
    if (!chart || !bars) return;
    const timeScale = chart.timeScale();
    const first = timeScale.timeToCoordinate(bars.first as UTCTimestamp);
    const last = timeScale.timeToCoordinate(bars.last as UTCTimestamp);
    if (first === null || last === null) return;
    const half = timeScale.options().barSpacing / 2;
    target.useBitmapCoordinateSpace(({ context, bitmapSize, horizontalPixelRatio }) => {
      const left = Math.round((first - half) * horizontalPixelRatio);
      const right = Math.round((last + half) * horizontalPixelRatio);
      context.fillStyle = this.#color;
      context.fillRect(left, 0, right - left, bitmapSize.height);
    });
  }
}

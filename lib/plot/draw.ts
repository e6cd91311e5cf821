/**
 * Drawing a figure into a given document: a page's own DOM in a browser, linkedom's on a server
 * (render.ts). Nothing here imports linkedom, so the browser bundle carries only Observable Plot.
 */
import * as Plot from '@observablehq/plot';
import { ticks } from 'd3-array';

/** The house style: one place for fonts, sizes and margins so every figure reads the same. */
export const STYLE = {
  fontFamily: 'system-ui, -apple-system, "Segoe UI", sans-serif',
  fontSize: '12px',
  width: 720,
} as const;

/** Below this figure width a figure draws its narrow layout: fewer ticks, shorter labels, smaller type. */
export const NARROW_BELOW_PX = 560;

/** A narrow figure's lane, in px: its heading in the top 40 % (y padding 0.4), its marks below. */
export const NARROW_LANE_PX = 46;

/**
 * A narrow figure's lanes name themselves: a heading over each lane at the frame's left, in place of
 * a y axis whose long option names would take half a phone's width (give the y scale `axis: null, padding: 0.4`).
 */
export function laneHeadings<T>(data: readonly T[], y: string, text: (d: T) => string): Plot.Markish {
  return Plot.text(data, { y, text, frameAnchor: 'left', textAnchor: 'start', lineAnchor: 'bottom', dy: -NARROW_LANE_PX * 0.3 - 1, fill: 'currentColor', fontSize: 10 });
}

/**
 * Advance widths (em) of DejaVu Sans, the system-ui of a Linux desktop and the widest of the common
 * sans-serifs (Helvetica, Segoe UI and San Francisco are narrower), so a width from them is an upper
 * bound: digits 0.636, most lower case 0.61–0.64, capitals up to 0.99.
 */
const NARROW_CHARS: Readonly<Record<string, number>> = { ' ': 0.318, ',': 0.318, '.': 0.318, ':': 0.337, ';': 0.337, "'": 0.275, '(': 0.39, ')': 0.39, '-': 0.361, '/': 0.337, i: 0.278, j: 0.278, l: 0.278, f: 0.352, t: 0.392, r: 0.411, I: 0.295, m: 0.974, w: 0.818, M: 0.863, W: 0.989 };

/** About how wide `text` is at `fontSizePx` in the house font, at most: room for a label that must not be clipped. */
export function textWidthPx(text: string, fontSizePx: number): number {
  let em = 0;
  for (const c of text) em += NARROW_CHARS[c] ?? (c >= 'A' && c <= 'Z' ? 0.77 : 0.636);
  return em * fontSizePx;
}

/** The house style's font size, in px, as a number. */
export const FONT_PX = parseFloat(STYLE.fontSize);

/** A left y axis's tick labels end this far left of the frame: Plot's tickSize 6 and tickPadding 3. */
export const Y_TICK_LABEL_GAP_PX = 9;

/** Room under the x tick labels for the axis label on a line of its own (see `withClearAxisLabels`). */
const X_LABEL_OFFSET = 34;
const X_LABEL_MARGIN = 42;

type ScaleOptions = Plot.ScaleOptions & { label?: string | null; labelAnchor?: string; labelOffset?: number; axis?: unknown };

/**
 * Axis labels clear of the tick labels. Plot's default puts the x label at the right end of the axis,
 * on the same line as the last tick labels (they overlap when the last tick is near the edge: the
 * routes and timeline figures of chapters 1, 4 and 7); here it is centred on a line of its own below
 * them. A y label with its axis on the left sits above the top tick label, which Plot already does
 * when the top margin leaves it room: the margin is at least 24 px.
 */
export function withClearAxisLabels(options: Plot.PlotOptions): Plot.PlotOptions {
  const x = options.x as ScaleOptions | undefined;
  const out: Plot.PlotOptions = { ...options };
  if (x !== undefined && typeof x.label === 'string' && x.axis !== null && x.axis !== 'top') {
    out.x = { labelAnchor: 'center', labelOffset: X_LABEL_OFFSET, ...x } as Plot.ScaleOptions;
    out.marginBottom = Math.max(options.marginBottom ?? 0, X_LABEL_MARGIN);
  }
  const y = options.y as ScaleOptions | undefined;
  if (y !== undefined && typeof y.label === 'string' && y.axis !== null) out.marginTop = Math.max(options.marginTop ?? 0, 24);
  return out;
}

/**
 * Plot options drawn in `document`, in the house style. A narrow figure has its legend below the
 * plot, next to its caption: above, on a phone, it would push the plot itself off the first screen.
 */
export function drawPlot(options: Plot.PlotOptions, document: Document): SVGSVGElement | HTMLElement {
  const drawn = Plot.plot({
    width: STYLE.width,
    style: { fontFamily: STYLE.fontFamily, fontSize: STYLE.fontSize, background: 'transparent', color: 'currentColor' },
    ...withClearAxisLabels(options),
    document,
  }) as SVGSVGElement | HTMLElement;
  const plot = Array.from(drawn.children).find((c) => c.tagName.toLowerCase() === 'svg');
  if ((options.width ?? STYLE.width) < NARROW_BELOW_PX && plot !== undefined) {
    // Plot's figure: legends, then the plot, then the caption.
    for (const legend of Array.from(drawn.children).slice(0, Array.from(drawn.children).indexOf(plot)).reverse()) plot.after(legend);
  }
  return drawn;
}

/**
 * Ticks of a linear scale from 0 that end at the maximum (`max` itself a tick, the others evenly
 * spaced whole steps below it): Plot's ticks stop at the last round value under the maximum,
 * so a reader cannot see where the top is (chapter 1's routes panels ended at 6 of 7).
 */
export function ticksToMax(max: number, count = 3, whole = false): number[] {
  if (!(max > 0)) return [0];
  // `whole`: counts (routes), where a tick at 0.5 would name a value that cannot be.
  const below = ticks(0, max, count).filter((t) => !whole || Number.isInteger(t));
  const step = below.length > 1 ? below[1]! - below[0]! : max;
  // A tick closer to the maximum than half a step would crowd its label: the maximum takes its place.
  return [...below.filter((t) => max - t > step / 2), max];
}

export { Plot };

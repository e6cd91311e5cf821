/**
 * The figures drawn into a page's DOM (draw.ts) as SVG/HTML text for notebooks and exported pages.
 * A static SVG only scales: a 720 px figure on a 390 px phone shrinks its 11 px labels to 6 px. So
 * every figure of lib/plot is drawn twice, wide and narrow (fewer ticks, shorter labels, legend below), and a
 * media query in the output shows the one that fits the page.
 */
import { plotToHtml } from './render';
import { ladderPlotOptions, type LadderOptions, type LadderPacketLike } from './ladder';
import { nextHopPlotOptions, type NextHopChangeLike, type NextHopFigureOptions } from './next-hop';

/** Below this page width the narrow drawing shows. */
export const NARROW_PAGE_PX = 600;
/** The narrow drawing's width: a phone's 390 px less the page's padding. */
export const NARROW_FIGURE_PX = 360;

/** Two drawings of one figure, the page's width choosing (CSS only: works in a notebook and an exported page). */
export function responsiveFigure(draw: (width: number) => string, wide = 720): string {
  const style = `<style>.al-fig-narrow{display:none}@media (max-width:${NARROW_PAGE_PX}px){.al-fig-wide{display:none}.al-fig-narrow{display:block}}</style>`;
  return `<div class="al-fig">${style}<div class="al-fig-wide">${draw(wide)}</div><div class="al-fig-narrow">${draw(NARROW_FIGURE_PX)}</div></div>`;
}

/**
 * A figure function's text: at `width` when the caller gave one, else wide and narrow (`responsiveFigure`).
 * Every figure function of lib/plot goes through here, so a page on a phone shows each figure's narrow layout.
 */
export function figureAt(width: number | undefined, draw: (width: number) => string): string {
  return width !== undefined ? draw(width) : responsiveFigure(draw);
}

/** The packet ladder (ladder.ts) as SVG/HTML text, wide and narrow. */
export function ladderFigure(packets: readonly LadderPacketLike[], o: LadderOptions = {}): string {
  return figureAt(o.width, (width) => plotToHtml(ladderPlotOptions(packets, { ...o, width })));
}

/** Each router's next hop for a prefix over time (next-hop.ts) as SVG/HTML text, wide and narrow. */
export function nextHopFigure(rows: readonly NextHopChangeLike[], o: NextHopFigureOptions): string {
  return figureAt(o.width, (width) => plotToHtml(nextHopPlotOptions(rows, { ...o, width })));
}

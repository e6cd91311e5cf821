/**
 * Rendering figures outside a browser: Observable Plot draws into a server-side DOM (linkedom) and
 * we hand back SVG/HTML text that a notebook displays inline and the HTML export keeps.
 */
import type * as PlotTypes from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { drawPlot } from './draw';

let cachedDocument: Document | null = null;

/** A DOM document for Plot to create elements in. */
export function serverDocument(): Document {
  if (cachedDocument === null) {
    const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
    cachedDocument = document as unknown as Document;
  }
  return cachedDocument;
}

/** Renders Plot options to an HTML string (a <figure> when there is a caption, else an <svg>). */
export function plotToHtml(options: PlotTypes.PlotOptions): string {
  return (drawPlot(options, serverDocument()) as unknown as { outerHTML: string }).outerHTML;
}

export { Plot, STYLE, ticksToMax } from './draw';

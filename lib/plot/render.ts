/**
 * Rendering figures outside a browser: Observable Plot draws into a server-side DOM (linkedom) and
 * we hand back SVG/HTML text that a notebook displays inline and the HTML export keeps.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

let cachedDocument: Document | null = null;

/** A DOM document for Plot to create elements in. */
export function serverDocument(): Document {
  if (cachedDocument === null) {
    const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
    cachedDocument = document as unknown as Document;
  }
  return cachedDocument;
}

/** The house style: one place for fonts, sizes and margins so every figure reads the same. */
export const STYLE = {
  fontFamily: 'system-ui, -apple-system, "Segoe UI", sans-serif',
  fontSize: '12px',
  width: 720,
} as const;

/** Renders Plot options to an HTML string (a <figure> when there is a caption, else an <svg>). */
export function plotToHtml(options: Plot.PlotOptions): string {
  const element = Plot.plot({
    width: STYLE.width,
    style: { fontFamily: STYLE.fontFamily, fontSize: STYLE.fontSize, background: 'transparent', color: 'currentColor' },
    ...options,
    document: serverDocument(),
  });
  return (element as unknown as { outerHTML: string }).outerHTML;
}

export { Plot };

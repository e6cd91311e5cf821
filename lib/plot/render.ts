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

/** While `drawLive` runs: each element drawn, which `plotToHtml` names by a placeholder instead of copying it to text. */
let liveElements: Element[] | null = null;

/** Renders Plot options to an HTML string (a <figure> when there is a caption, else an <svg>). */
export function plotToHtml(options: PlotTypes.PlotOptions): string {
  const drawn = drawPlot(options, serverDocument()) as unknown as Element;
  // A <template> parses anywhere the figure's text may be put, a table cell or a <div> of responsiveFigure alike.
  if (liveElements !== null) return `<template data-live-figure="${liveElements.push(drawn) - 1}"></template>`;
  return drawn.outerHTML;
}

/**
 * Figures put into a page as the elements Plot returned, not as copies of their text: Plot's
 * interactions (a `tip` with `pointer`) listen on the element it drew, so a copy made by innerHTML
 * shows no tip. `put` appends figure text (from lib/plot's figure functions) to `container`; each
 * figure drawn meanwhile is then put in the place its text holds.
 */
export function drawLive(container: Element, put: () => void): void {
  const outer = liveElements;
  const drawn: Element[] = [];
  liveElements = drawn;
  try {
    put();
  } finally {
    liveElements = outer;
  }
  for (const slot of Array.from(container.querySelectorAll('template[data-live-figure]'))) {
    const figure = drawn[Number(slot.getAttribute('data-live-figure'))];
    if (figure !== undefined) slot.replaceWith(figure);
  }
}

export { Plot, STYLE, ticksToMax } from './draw';

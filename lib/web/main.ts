/**
 * What the browser bundle does when it loads (scripts/build-web.js makes this its entry): sets the
 * global `AnycastLab` over the embedded labs; in a Web Worker, serves the page's runs; in a page with
 * try-it panels or foldable code (the tutorial), starts the page runtime.
 */
import { browserApi, type LabTexts } from './entry';
import { bundleSource, inWorker, PanelWorker, serveWorker } from './worker';
import { startPage } from './page';

export function startBundle(labs: LabTexts): void {
  const api = browserApi(labs);
  (globalThis as { AnycastLab?: unknown }).AnycastLab = api;
  if (inWorker()) {
    serveWorker(api);
    return;
  }
  if (typeof document === 'undefined') return;
  const source = bundleSource();
  // A worker of the page's own, for a reader's console and the tests: `AnycastLab.panelWorker().run(kind, lab, settings, progress)`.
  Object.assign(api, { panelWorker: (): PanelWorker => new PanelWorker(source ?? '') });
  const start = (): void => {
    if (document.querySelector('section.try-it, button.fold-code') !== null) startPage(api, source);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}

/**
 * The simulations off the page's thread: a Web Worker runs the panels (lib/web/runs.ts) and tells
 * the page how far it got; Stop terminates it.
 *
 * The worker is the bundle itself. Chromium refuses `new Worker('file://…')` (a file: URL is an
 * opaque origin), and a page opened from disk cannot fetch its own script either, but a worker from
 * a Blob URL is allowed. scripts/build-web.js wraps the bundle in a named function
 * (`anycastLabBundle`), so the bundle can hand its own source to a Blob: one file, no second copy of
 * the library, nothing asked of the network.
 */
import type { BrowserApi, LabRef, PanelKind } from './entry';

/** The page's request, and what the worker answers. */
export type WorkerRequest = { id: number; kind: PanelKind; lab: LabRef; settings: unknown };
export type WorkerReply =
  | { id: number; type: 'progress'; done: number; total: number }
  | { id: number; type: 'result'; value: unknown; ms: number }
  | { id: number; type: 'error'; message: string };

/** The function scripts/build-web.js wraps the bundle in; absent when this module runs unbundled (Node). */
declare const anycastLabBundle: (() => void) | undefined;

/** The bundle's own source as a script, or null when not running from the bundle. */
export function bundleSource(): string | null {
  return typeof anycastLabBundle === 'function' ? `(${anycastLabBundle.toString()})();\n` : null;
}

interface WorkerScope {
  onmessage: ((e: { data: WorkerRequest }) => void) | null;
  postMessage(m: WorkerReply): void;
}

/** True in a dedicated worker's global scope. */
export function inWorker(): boolean {
  const g = globalThis as { WorkerGlobalScope?: unknown; importScripts?: unknown };
  return typeof g.WorkerGlobalScope !== 'undefined' && typeof g.importScripts === 'function';
}

/** The worker's side: one request at a time (a worker runs to completion; Stop terminates it). */
export function serveWorker(api: BrowserApi): void {
  const scope = globalThis as unknown as WorkerScope;
  scope.onmessage = (e) => {
    const { id, kind, lab, settings } = e.data;
    const started = performance.now();
    let last = 0;
    try {
      const value = api.runPanel(kind, lab, settings, (done, total) => {
        // Every run, but not more often than every 50 ms: a progress bar, not a message storm.
        const now = performance.now();
        if (done === total || now - last >= 50) {
          last = now;
          scope.postMessage({ id, type: 'progress', done, total });
        }
      });
      scope.postMessage({ id, type: 'result', value, ms: performance.now() - started });
    } catch (err) {
      scope.postMessage({ id, type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };
}

/** The page's side: a worker made on first use, remade after Stop. */
export class PanelWorker {
  private worker: Worker | null = null;
  private url: string | null = null;
  private nextId = 1;
  private pending = new Map<number, { resolve(v: { value: unknown; ms: number }): void; reject(e: Error): void; progress?: (done: number, total: number) => void }>();

  constructor(private readonly source: string) {}

  private start(): Worker {
    if (this.worker !== null) return this.worker;
    this.url ??= URL.createObjectURL(new Blob([this.source], { type: 'text/javascript' }));
    const w = new Worker(this.url);
    w.onmessage = (e: MessageEvent<WorkerReply>) => {
      const m = e.data;
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      if (m.type === 'progress') p.progress?.(m.done, m.total);
      else {
        this.pending.delete(m.id);
        if (m.type === 'result') p.resolve({ value: m.value, ms: m.ms });
        else p.reject(new Error(m.message));
      }
    };
    w.onerror = (e) => {
      e.preventDefault();
      const error = new Error(`the simulation worker failed: ${e.message}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      this.terminate();
    };
    this.worker = w;
    return w;
  }

  run(kind: PanelKind, lab: LabRef, settings: unknown, progress?: (done: number, total: number) => void): Promise<{ value: unknown; ms: number }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(progress === undefined ? {} : { progress }) });
      this.start().postMessage({ id, kind, lab, settings } satisfies WorkerRequest);
    });
  }

  /** Stops whatever runs: the worker is terminated mid-run, its requests rejected as stopped. */
  stop(): void {
    const stopped = new Error('stopped');
    stopped.name = 'Stopped';
    for (const p of this.pending.values()) p.reject(stopped);
    this.pending.clear();
    this.terminate();
  }

  private terminate(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}

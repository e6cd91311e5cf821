/**
 * Long runs, stepped: a command that may run long (routes, capture, exec's run-up to --at,
 * failover --runs) is a generator that yields between steps. Run in-process (tests, notebooks) it
 * is driven straight through; run as a process it is driven step by step on the event loop, so a
 * progress line can be drawn on a terminal and Ctrl-C (SIGINT) stops it between two steps, after
 * which the command prints what it did and exits 130 (128 + SIGINT, the shell's convention).
 */
import { formatDuration, minutes, type Duration, type SimTime } from '../sim/time';
import type { Lab } from '../lab/lab';

/** Where a stepped run stands: `done` of `total` (simulated µs, or runs). */
export interface StepProgress {
  done: number;
  total: number;
  unit: 'time' | 'runs';
}

/** A stepped run: each `yield` is a place to stop; `next(true)` asks it to stop there and finish with what it has. */
export type Steps<T> = Generator<StepProgress, T, boolean>;

/** Exit status of a run stopped by Ctrl-C. */
export const INTERRUPTED = 130;

/** How the process lets a stepped run know it should stop, and where it draws progress. */
export interface StepIo {
  /** Asked when a stepped run starts: the signal that stops it (the process listens for SIGINT only then). */
  interrupts?: () => AbortSignal;
  signal?: AbortSignal;
  /**
   * Told when what is left of a run is not stepped (exec's console command): the process stops
   * listening for SIGINT, so Ctrl-C ends it at once again.
   */
  unstepped?: () => void;
  /** Draw progress on stderr, rewritten in place (a terminal); nothing otherwise. */
  tty?: boolean;
  /** Lines of progress when not on a terminal (the process's stderr); none in-process. */
  progressLines?: (s: string) => void;
}

/** Runs the steps to their end at once: for in-process callers, which have no Ctrl-C to honour. */
export function runSteps<T>(steps: Steps<T>): T {
  for (let r = steps.next(false); ; r = steps.next(false)) if (r.done === true) return r.value;
}

/** Whether a progress line stands on the terminal now, to be erased before anything else is written. */
let progressDrawn = false;

/** Erases the progress line, if one is drawn: the process calls it before it writes a line of output. */
export function clearProgressLine(): void {
  if (!progressDrawn) return;
  process.stderr.write('\r\x1b[K');
  progressDrawn = false;
}

/** Progress is shown only once a run has taken this long: short runs print nothing extra. */
const QUIET_FOR_MS = 1000;

/** Runs the steps on the event loop: progress after a second, stop on the signal. */
export async function runStepsAsync<T>(what: string, steps: Steps<T>, io: StepIo): Promise<T> {
  const signal = io.interrupts?.() ?? io.signal;
  const started = Date.now();
  let drawnAt = 0;
  let lastTenth = -1;
  try {
    for (let r = steps.next(false); ; ) {
      if (r.done === true) return r.value;
      const now = Date.now();
      if (now - started >= QUIET_FOR_MS) {
        const p = r.value;
        const line = `${what}: ${p.unit === 'time' ? `simulated ${formatDuration(p.done)} of ${formatDuration(p.total)}` : `${p.done}/${p.total} runs`} (${Math.floor((100 * p.done) / Math.max(1, p.total))}%), Ctrl-C stops`;
        if (io.tty === true && now - drawnAt >= 100) {
          process.stderr.write(`\r\x1b[K${line}`);
          drawnAt = now;
          progressDrawn = true;
        } else if (io.tty !== true && io.progressLines !== undefined) {
          const tenth = Math.floor((10 * p.done) / Math.max(1, p.total));
          if (tenth !== lastTenth) io.progressLines(line);
          lastTenth = tenth;
        }
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
      r = steps.next(signal?.aborted === true);
    }
  } finally {
    clearProgressLine();
  }
}

/** How much simulated time one step covers: a fraction of a second of wall time on the labs here. */
const STEP: Duration = minutes(10);

/**
 * Runs the lab to `until` in steps. Returns the time reached: `until`, or where it was stopped.
 * Stepping gives the same run as one `runUntil`: the scheduler runs every event due by each step's end.
 */
export function* runLabUntil(lab: Lab, until: SimTime): Steps<SimTime> {
  const from = lab.now;
  while (lab.now < until) {
    lab.runUntil(Math.min(until, lab.now + STEP));
    if (lab.now >= until) break;
    if (yield { done: lab.now - from, total: until - from, unit: 'time' }) break;
  }
  return lab.now;
}

/** "interrupted at 3h10m of 24h (Ctrl-C)": the stderr line of a run stopped early. */
export function interruptedAt(reached: SimTime, until: SimTime): string {
  return `interrupted at simulated ${formatDuration(reached)} of ${formatDuration(until)} (Ctrl-C)`;
}

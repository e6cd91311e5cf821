/**
 * Console commands run as small processes in simulated time: they schedule packets and timers,
 * print lines, and exit. `runProcess` drives the scheduler until the process exits or its time
 * limit runs out (then it is interrupted, as Ctrl-C would).
 */
import { splitWords } from '../../config/script';
import type { Duration, SimTime } from '../../sim/time';
import { hours } from '../../sim/time';
import type { Scheduler } from '../../sim/scheduler';

/**
 * The most simulated time one console command may plan to run for. A count or timeout past it is
 * refused up front, naming the largest value that fits, rather than simulating for days.
 */
export const CONSOLE_RUN_LIMIT: Duration = hours(24);

export class ConsoleProcess {
  readonly lines: string[] = [];
  exited = false;
  interrupted = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(readonly scheduler: Scheduler) {}

  get now(): SimTime {
    return this.scheduler.now;
  }

  print(line: string): void {
    this.lines.push(line);
  }

  /** Runs `action` at `at` unless the process has exited by then. */
  at(at: SimTime, action: (now: SimTime) => void): void {
    this.scheduler.at(at, (now) => {
      if (!this.exited) action(now);
    });
  }

  after(delay: Duration, action: (now: SimTime) => void): void {
    this.at(this.now + delay, action);
  }

  onExit(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  exit(): void {
    if (this.exited) return;
    this.exited = true;
    for (const c of this.cleanups) c();
    this.scheduler.stop();
  }
}

/**
 * Starts a process and runs the simulation until it exits. `onInterrupt` prints what the program
 * prints on Ctrl-C (ping's statistics) when the limit is reached first.
 */
export function runProcess(
  scheduler: Scheduler,
  limit: Duration,
  start: (p: ConsoleProcess) => void,
  onInterrupt?: (p: ConsoleProcess) => void,
): string {
  const p = new ConsoleProcess(scheduler);
  const deadline = scheduler.now + limit;
  const interrupt = () => {
    if (p.exited) return;
    p.interrupted = true;
    onInterrupt?.(p);
    p.exit();
  };
  // The interrupt is queued before the process schedules anything, so at the limit it comes first
  // (same-time events run in the order they were queued): a probe due at that very instant is not
  // sent, as iputils' SIGALRM at the -w deadline beats the probe whose interval ends then
  // (ping_common.c: sigexit sets `exiting`, and pinger() sends nothing once it is set).
  const stop = scheduler.at(deadline, interrupt);
  start(p);
  while (!p.exited && scheduler.now < deadline) scheduler.runUntil(deadline);
  interrupt();
  stop.cancel();
  return p.lines.join('\n');
}

/** Splits a command line into words, honouring single and double quotes. */
export { splitWords };

/** A console command that could not run; printed the way the device would complain. */
export class ConsoleError extends Error {}

import type { Duration, SimTime } from './time';

/**
 * The discrete-event core. Events are kept in a binary heap keyed by (at, seq): the time they fire
 * and a sequence number given out when they are scheduled, so two events at the same microsecond
 * always run in the order they were scheduled (first in, first out), run after run.
 */
export type Action = (now: SimTime) => void;
/** An action with two arguments, so hot paths (frame delivery) schedule without allocating a closure. */
export type Action2<A, B> = (now: SimTime, a: A, b: B) => void;

/**
 * A scheduled event; it is also the handle that cancels it (one allocation per event, not two).
 */
export class EventHandle {
  constructor(
    readonly at: SimTime,
    /** @internal */ readonly seq: number,
    /** @internal null once cancelled or fired: the heap drops it lazily */ public action: Action2<unknown, unknown> | null,
    /** @internal */ readonly a: unknown,
    /** @internal */ readonly b: unknown,
    /** @internal */ readonly owner: Timer | null,
  ) {}

  cancel(): void {
    this.action = null;
  }

  get pending(): boolean {
    return this.action !== null;
  }
}

type Entry = EventHandle;

export class Scheduler {
  private heap: Entry[] = [];
  private seq = 0;
  private current: SimTime = 0;
  private executed = 0;
  private stopRequested = false;

  get now(): SimTime {
    return this.current;
  }

  /** Events run so far: the figure `npm run bench` divides by wall time. */
  get eventsExecuted(): number {
    return this.executed;
  }

  /** Events still waiting, cancelled ones included until the heap drops them. */
  get pending(): number {
    return this.heap.length;
  }

  /** Runs `action` at absolute time `at` (not before now). Returns a handle that can cancel it. */
  at(at: SimTime, action: Action): EventHandle {
    return this.at2(at, action as Action2<unknown, unknown>, undefined, undefined);
  }

  /** Runs `action(now, a, b)` at `at`: scheduling without a closure, for per-packet work. */
  at2<A, B>(at: SimTime, action: Action2<A, B>, a: A, b: B): EventHandle {
    if (!Number.isInteger(at)) throw new RangeError(`event time must be whole microseconds, got ${at}`);
    if (at < this.current) throw new RangeError(`cannot schedule in the past: ${at}us < now ${this.current}us`);
    const entry = new EventHandle(at, this.seq++, action as Action2<unknown, unknown>, a, b, null);
    this.push(entry);
    return entry;
  }

  /** Runs `action` after `delay` microseconds. */
  after(delay: Duration, action: Action): EventHandle {
    return this.at(this.current + delay, action);
  }

  /** A re-armable timer: cheap to push back (e.g. a route's timeout refreshed by every update). */
  timer(action: Action): Timer {
    return new Timer(this, action);
  }

  /** Runs every event with time ≤ `until`, then leaves the clock at `until`. */
  runUntil(until: SimTime): void {
    this.stopRequested = false;
    const heap = this.heap;
    while (heap.length > 0 && !this.stopRequested) {
      const top = heap[0]!;
      if (top.at > until) break;
      this.pop();
      const action = top.action;
      if (action === null) continue;
      top.action = null;
      this.current = top.at;
      if (top.owner !== null) {
        if (top.owner.fire(top)) this.executed++;
        continue;
      }
      this.executed++;
      action(top.at, top.a, top.b);
    }
    if (!this.stopRequested && until > this.current) this.current = until;
  }

  /** Runs for `duration` from now. */
  runFor(duration: Duration): void {
    this.runUntil(this.current + duration);
  }

  /** Stops `runUntil` after the event that is running now. */
  stop(): void {
    this.stopRequested = true;
  }

  /** @internal used by Timer */
  pushEntry(at: SimTime, owner: Timer, action: Action): Entry {
    const entry = new EventHandle(at, this.seq++, action as Action2<unknown, unknown>, undefined, undefined, owner);
    this.push(entry);
    return entry;
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p.at < entry.at || (p.at === entry.at && p.seq < entry.seq)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    const n = heap.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let child = heap[l]!;
      if (r < n) {
        const rc = heap[r]!;
        if (rc.at < child.at || (rc.at === child.at && rc.seq < child.seq)) {
          c = r;
          child = rc;
        }
      }
      if (last.at < child.at || (last.at === child.at && last.seq < child.seq)) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = last;
  }
}

/**
 * A timer that can be armed, pushed back and cancelled many times. Pushing the deadline later only
 * records the new deadline; when the old heap entry comes due it re-queues itself. That keeps a
 * routing table of thousands of routes, each refreshed every 30 s, from churning the heap.
 */
export class Timer {
  private deadline: SimTime | null = null;
  private entry: Entry | null = null;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly action: Action,
  ) {}

  get armed(): boolean {
    return this.deadline !== null;
  }

  /** When the timer will fire, or null when it is not armed. */
  get expiresAt(): SimTime | null {
    return this.deadline;
  }

  /** Arms (or re-arms) the timer to fire at `at`. */
  setAt(at: SimTime): void {
    if (at < this.scheduler.now) throw new RangeError(`cannot arm a timer in the past: ${at}us < ${this.scheduler.now}us`);
    this.deadline = at;
    if (this.entry !== null && this.entry.action !== null && this.entry.at <= at) return; // fire() re-queues
    if (this.entry !== null) this.entry.action = null;
    this.entry = this.scheduler.pushEntry(at, this, this.action);
  }

  /** Arms the timer to fire `delay` from now. */
  setAfter(delay: Duration): void {
    this.setAt(this.scheduler.now + delay);
  }

  cancel(): void {
    this.deadline = null;
    if (this.entry !== null) this.entry.action = null;
    this.entry = null;
  }

  /** @internal called by the scheduler; returns whether the action ran. */
  fire(entry: Entry): boolean {
    if (entry !== this.entry || this.deadline === null) return false;
    if (this.deadline > entry.at) {
      this.entry = this.scheduler.pushEntry(this.deadline, this, this.action);
      return false;
    }
    this.deadline = null;
    this.entry = null;
    this.action(entry.at);
    return true;
  }
}

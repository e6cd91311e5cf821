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
 * An action that is not told the time (it can read the clock): a time past 2^30 µs (18 min) is not a
 * small integer, and passing it to a call that is not inlined boxes it, an allocation per event.
 */
export type Post<A, B> = (a: A, b: B) => void;

/**
 * A scheduled event; it is also the handle that cancels it (one allocation per event, not two).
 */
export class EventHandle {
  // NOTE: handles given out (`at`, `at2`, timers) are not reused: a free list of them made the
  // write-up's lab ~10% slower, when every per-hop event had one (a reused handle lives in the old
  // generation, and storing each new frame in it costs a write barrier). Handles of `post2` events
  // that wait in the queue are reused (`Scheduler.spare`): no one else holds them, most per-hop
  // events now skip the queue (the front), and in the forwarding chain of `npm run bench`, whose
  // packets overlap so their events do queue, the spare list measured ~20% more packets a second.
  constructor(
    readonly at: SimTime,
    /** @internal */ public seq: number,
    /** @internal null once cancelled or fired: the heap drops it lazily */ public action: Action2<unknown, unknown> | null,
    /** @internal */ public a: unknown,
    /** @internal */ public b: unknown,
    /** @internal */ readonly owner: Timer | null,
    /** @internal a `post2` event: its action is a `Post`, called without the time */ readonly timeless: boolean = false,
  ) {}

  /** @internal the next event of the same microsecond in the scheduler's near-future wheel */
  next: EventHandle | null = null;

  cancel(): void {
    this.action = null;
  }

  get pending(): boolean {
    return this.action !== null;
  }
}

type Entry = EventHandle;

/** Fills a freed place in the far heap. */
const FREE = new EventHandle(0, -1, null, undefined, undefined, null);

/** The near-future wheel spans 2^13 µs (8.192 ms): one slot per microsecond. */
const WHEEL_BITS = 13;
const WHEEL = 1 << WHEEL_BITS;
const WHEEL_MASK = WHEEL - 1;
const WHEEL_WORDS = WHEEL >> 5;
const SUMMARY_WORDS = WHEEL_WORDS >> 5;

/**
 * Two tiers. Events due within the next WHEEL µs of `base` sit in a wheel with one slot per
 * microsecond: each slot is a FIFO list, and because every event in the wheel is within one span
 * of `base`, a slot only ever holds events of one instant. Appending keeps a slot in sequence order
 * (sequence numbers only grow), so the wheel needs no comparisons at all. Later events wait in a
 * binary heap keyed by (at, seq) in typed arrays; whenever `base` moves forward, every heap event
 * that entered the span is moved to its slot, in (at, seq) order, before anything new can be
 * appended there, so the FIFO order of one instant holds across both tiers. The order of events is
 * exactly a sort by (at, seq), as with one heap: only its cost changes.
 */
export class Scheduler {
  /** The wheel covers [base, base + WHEEL); base ≤ now. */
  private base: SimTime = 0;
  private readonly slotHead: (Entry | null)[] = new Array<Entry | null>(WHEEL).fill(null);
  private readonly slotTail: (Entry | null)[] = new Array<Entry | null>(WHEEL).fill(null);
  /** Bit s set: slot s holds an event. */
  private readonly occupied = new Int32Array(WHEEL_WORDS);
  /**
   * Bit w set: word w of `occupied` is not zero. Finding the next event reads at most these 8 words
   * and one of `occupied`, where a scan of `occupied` alone read 59 words a pop on average in the
   * write-up's lab (its events are milliseconds apart, the wheel's slots microseconds).
   */
  private readonly summary = new Int32Array(SUMMARY_WORDS);
  private inWheel = 0;
  private farAt = new Float64Array(64);
  private farSeq = new Float64Array(64);
  private far: Entry[] = [];
  private farSize = 0;
  private seq = 0;
  /**
   * The front: one event that is strictly earlier than every queued one (wheel and heap), held in
   * these fields instead of a slot. While one event leads to the next (a frame's arrival to its
   * processing to the next hop's arrival), each new event is the earliest, so it is run from here
   * with no wheel or heap work at all, and one posted without a handle (`post2`) allocates nothing.
   * The order is still exactly (at, seq): an event enters the front only when its time is below
   * every queued time, and a front that a still earlier event displaces goes to the queue with its
   * own sequence number.
   */
  /** Fired `post2` handles, linked through `next`, for the next queued `post2` event. */
  private spare: EventHandle | null = null;
  private hasFront = false;
  private frontAt: SimTime = 0;
  private frontSeq = 0;
  /** The front's action when it has no handle: always a `post2` event's. */
  private frontAction: Post<unknown, unknown> | null = null;
  private frontA: unknown = undefined;
  private frontB: unknown = undefined;
  /** The front's handle when it has one (`at`, `at2`, timers); null for a `post2` event. */
  private frontHandle: EventHandle | null = null;
  /** The earliest queued time (Infinity: none), valid while `queuedMinValid`; cancelled events count. */
  private queuedMin = Infinity;
  private queuedMinValid = true;
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

  /** Events still waiting, cancelled ones included until the scheduler drops them. */
  get pending(): number {
    return this.inWheel + this.farSize + (this.hasFront ? 1 : 0);
  }

  /** Runs `action` at absolute time `at` (not before now). Returns a handle that can cancel it. */
  at(at: SimTime, action: Action): EventHandle {
    return this.at2(at, action as Action2<unknown, unknown>, undefined, undefined);
  }

  /** Runs `action(now, a, b)` at `at`: scheduling without a closure, for per-packet work. */
  at2<A, B>(at: SimTime, action: Action2<A, B>, a: A, b: B): EventHandle {
    this.checkTime(at);
    const entry = new EventHandle(at, this.seq++, action as Action2<unknown, unknown>, a, b, null);
    this.push(entry);
    return entry;
  }

  /**
   * `at2` for an event that is never cancelled: no handle is returned, and none is made while the
   * event waits in the front (the per-hop events of frame delivery).
   */
  post2<A, B>(at: SimTime, action: Post<A, B>, a: A, b: B): void {
    // The common case in a few lines, so that callers inline it and the time stays unboxed.
    if (!this.hasFront && this.queuedMinValid && at < this.queuedMin && at >= this.current && Number.isInteger(at)) {
      this.hasFront = true;
      this.frontAt = at;
      this.frontSeq = this.seq++;
      this.frontAction = action as Post<unknown, unknown>;
      this.frontA = a;
      this.frontB = b;
      return;
    }
    this.postQueued(at, action as Post<unknown, unknown>, a, b);
  }

  private postQueued(at: SimTime, action: Post<unknown, unknown>, a: unknown, b: unknown): void {
    this.checkTime(at);
    const seq = this.seq++;
    if (this.hasFront) {
      if (at < this.frontAt) {
        this.demoteFront();
        this.setFront(at, seq, action, a, b, null);
        return;
      }
    } else if (at < this.queuedMinAt()) {
      this.setFront(at, seq, action, a, b, null);
      return;
    }
    const spare = this.spare;
    if (spare !== null) {
      this.spare = spare.next;
      spare.next = null;
      (spare as { at: SimTime }).at = at; // read-only to the handle's users; this one is never given out
      spare.seq = seq;
      spare.action = action as unknown as Action2<unknown, unknown>;
      spare.a = a;
      spare.b = b;
      this.enqueue(spare);
      return;
    }
    this.enqueue(new EventHandle(at, seq, action as unknown as Action2<unknown, unknown>, a, b, null, true));
  }

  private checkTime(at: SimTime): void {
    if (!Number.isInteger(at)) throw new RangeError(`event time must be whole microseconds, got ${at}`);
    if (at < this.current) throw new RangeError(`cannot schedule in the past: ${at}us < now ${this.current}us`);
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
    while (!this.stopRequested) {
      if (this.hasFront) {
        const at = this.frontAt;
        if (at > until) break;
        this.hasFront = false;
        const handle = this.frontHandle;
        if (handle === null) {
          const action = this.frontAction!;
          const a = this.frontA;
          const b = this.frontB;
          this.frontAction = null;
          this.frontA = undefined;
          this.frontB = undefined;
          this.current = at;
          this.executed++;
          action(a, b);
          continue;
        }
        this.frontHandle = null;
        this.run(handle);
        continue;
      }
      const top = this.popUntil(until);
      if (top === null) break;
      // Another event of the same instant next in its slot is the earliest queued one still.
      if (top.next === null) this.queuedMinValid = false;
      else this.queuedMin = top.at;
      top.next = null;
      this.run(top);
    }
    if (!this.stopRequested && until > this.current) this.current = until;
  }

  /** Runs a handle's event unless it was cancelled. */
  private run(top: EventHandle): void {
    const action = top.action;
    if (action === null) return;
    top.action = null;
    this.current = top.at;
    if (top.owner !== null) {
      if (top.owner.fire(top)) this.executed++;
      return;
    }
    this.executed++;
    if (top.timeless) {
      const a = top.a;
      const b = top.b;
      top.a = undefined;
      top.b = undefined;
      top.next = this.spare;
      this.spare = top;
      (action as unknown as Post<unknown, unknown>)(a, b);
    } else action(top.at, top.a, top.b);
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
    const at = entry.at;
    if (this.hasFront) {
      if (at < this.frontAt) {
        this.demoteFront();
        this.setFront(at, entry.seq, null, undefined, undefined, entry);
        return;
      }
    } else if (at < this.queuedMinAt()) {
      this.setFront(at, entry.seq, null, undefined, undefined, entry);
      return;
    }
    this.enqueue(entry);
  }

  private setFront(at: SimTime, seq: number, action: Post<unknown, unknown> | null, a: unknown, b: unknown, handle: EventHandle | null): void {
    this.hasFront = true;
    this.frontAt = at;
    this.frontSeq = seq;
    this.frontAction = action;
    this.frontA = a;
    this.frontB = b;
    this.frontHandle = handle;
  }

  /** The front goes to the queue (an earlier event takes its place); it becomes the queue's earliest. */
  private demoteFront(): void {
    const handle = this.frontHandle ?? new EventHandle(this.frontAt, this.frontSeq, this.frontAction as unknown as Action2<unknown, unknown>, this.frontA, this.frontB, null, true);
    this.hasFront = false;
    this.frontHandle = null;
    this.frontAction = null;
    this.frontA = undefined;
    this.frontB = undefined;
    // Every queued event of its instant came after it (they were queued while it was the front), so
    // it goes to the head of its slot; the heap orders by sequence number by itself.
    if (handle.at - this.base < WHEEL) this.toSlotHead(handle);
    else this.farPush(handle);
    this.queuedMin = handle.at;
    this.queuedMinValid = true;
  }

  /** The earliest queued time, Infinity when nothing is queued. */
  private queuedMinAt(): SimTime {
    if (this.queuedMinValid) return this.queuedMin;
    const min = this.inWheel > 0 ? this.firstInWheel() : this.farSize > 0 ? this.farAt[0]! : Infinity;
    this.queuedMin = min;
    this.queuedMinValid = true;
    return min;
  }

  /** Into the wheel or the heap, keeping the earliest queued time. */
  private enqueue(entry: Entry): void {
    if (this.queuedMinValid && entry.at < this.queuedMin) this.queuedMin = entry.at;
    this.enqueueEntry(entry);
  }

  private enqueueEntry(entry: Entry): void {
    if (entry.at - this.base < WHEEL) this.toSlot(entry);
    else this.farPush(entry);
  }

  private toSlot(entry: Entry): void {
    const slot = entry.at & WHEEL_MASK;
    const tail = this.slotTail[slot]!;
    if (tail === null) {
      this.slotHead[slot] = entry;
      const word = slot >> 5;
      this.occupied[word]! |= 1 << (slot & 31);
      this.summary[word >> 5]! |= 1 << (word & 31);
    } else {
      tail.next = entry;
    }
    this.slotTail[slot] = entry;
    this.inWheel++;
  }

  /** Puts `entry` first in its slot. */
  private toSlotHead(entry: Entry): void {
    const slot = entry.at & WHEEL_MASK;
    const head = this.slotHead[slot]!;
    if (head === null) {
      this.toSlot(entry);
      return;
    }
    entry.next = head;
    this.slotHead[slot] = entry;
    this.inWheel++;
  }

  /** The earliest event if it is due by `until` (taken out), else null. */
  private popUntil(until: SimTime): Entry | null {
    if (this.inWheel === 0) {
      if (this.farSize === 0 || this.farAt[0]! > until) return null;
      // A sparse stretch (timers seconds apart): the earliest far event runs straight from the heap;
      // the others of its span still move to their slots before anything new can join them.
      const first = this.farPop();
      this.base = first.at;
      if (this.farSize > 0 && this.farAt[0]! - first.at < WHEEL) this.migrate();
      return first;
    }
    // The cached earliest queued time is the wheel's first when the wheel holds anything (every far
    // event is a whole span later): the scan already done for the front's test is not repeated.
    const at = this.queuedMinValid ? this.queuedMin : this.firstInWheel();
    if (at > until) return null;
    if (at !== this.base) {
      this.base = at;
      if (this.farSize > 0 && this.farAt[0]! - at < WHEEL) this.migrate();
    }
    const slot = at & WHEEL_MASK;
    const entry = this.slotHead[slot]!;
    const next = entry.next;
    this.slotHead[slot] = next;
    if (next === null) {
      this.slotTail[slot] = null;
      const word = slot >> 5;
      const left = (this.occupied[word]! &= ~(1 << (slot & 31)));
      if (left === 0) this.summary[word >> 5]! &= ~(1 << (word & 31));
    }
    this.inWheel--;
    return entry;
  }

  /** The time of the earliest event in the wheel (there is one): the first occupied slot from base. */
  private firstInWheel(): SimTime {
    const occupied = this.occupied;
    const start = this.base & WHEEL_MASK;
    let word = start >> 5;
    let bits = occupied[word]! & (-1 << (start & 31));
    if (bits === 0) {
      // The next non-empty word in circular order after `word`; it may be `word` itself, for slots
      // before `start` (times a whole span on, wrapped), so its bits are then taken whole.
      const summary = this.summary;
      const from = (word + 1) & (WHEEL_WORDS - 1);
      let sw = from >> 5;
      let sbits = summary[sw]! & (-1 << (from & 31));
      for (let k = 0; sbits === 0 && k < SUMMARY_WORDS; k++) {
        sw = (sw + 1) & (SUMMARY_WORDS - 1);
        sbits = summary[sw]!;
      }
      word = (sw << 5) | (31 - Math.clz32(sbits & -sbits));
      bits = occupied[word]!;
    }
    const slot = (word << 5) | (31 - Math.clz32(bits & -bits));
    return this.base + ((slot - start) & WHEEL_MASK);
  }

  /** Moves every far event that is now within the wheel's span to its slot, earliest first. */
  private migrate(): void {
    const end = this.base + WHEEL;
    while (this.farSize > 0 && this.farAt[0]! < end) this.toSlot(this.farPop());
  }

  private farPush(entry: Entry): void {
    if (this.farSize === this.farAt.length) {
      const at = new Float64Array(this.farAt.length * 2);
      const seq = new Float64Array(this.farSeq.length * 2);
      at.set(this.farAt);
      seq.set(this.farSeq);
      this.farAt = at;
      this.farSeq = seq;
    }
    const heap = this.far;
    const keyAt = this.farAt;
    const keySeq = this.farSeq;
    const at = entry.at;
    const seq = entry.seq;
    let i = this.farSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pAt = keyAt[parent]!;
      if (pAt < at || (pAt === at && keySeq[parent]! < seq)) break;
      keyAt[i] = pAt;
      keySeq[i] = keySeq[parent]!;
      heap[i] = heap[parent]!;
      i = parent;
    }
    keyAt[i] = at;
    keySeq[i] = seq;
    heap[i] = entry;
  }

  /** Removes and returns the earliest far entry (there is one). */
  private farPop(): Entry {
    const heap = this.far;
    const keyAt = this.farAt;
    const keySeq = this.farSeq;
    const top = heap[0]!;
    const n = --this.farSize;
    const last = heap[n]!;
    heap[n] = FREE; // holds no fired event (nor its packet) alive; keeps the array packed
    if (n === 0) return top;
    const at = keyAt[n]!;
    const seq = keySeq[n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let cAt = keyAt[l]!;
      let cSeq = keySeq[l]!;
      if (r < n) {
        const rAt = keyAt[r]!;
        if (rAt < cAt || (rAt === cAt && keySeq[r]! < cSeq)) {
          c = r;
          cAt = rAt;
          cSeq = keySeq[r]!;
        }
      }
      if (at < cAt || (at === cAt && seq < cSeq)) break;
      keyAt[i] = cAt;
      keySeq[i] = cSeq;
      heap[i] = heap[c]!;
      i = c;
    }
    keyAt[i] = at;
    keySeq[i] = seq;
    heap[i] = last;
    return top;
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

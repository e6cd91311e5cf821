import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Scheduler } from './scheduler';
import { Rng } from './rng';
import { formatDuration, ms, parseDuration, seconds, minutes, hours } from './time';

test('events run in time order, same-time events first-in first-out', () => {
  const s = new Scheduler();
  const seen: string[] = [];
  s.at(seconds(2), () => seen.push('b'));
  s.at(seconds(1), () => seen.push('a'));
  s.at(seconds(2), () => seen.push('c'));
  s.at(seconds(2), (now) => {
    seen.push('d');
    s.at(now, () => seen.push('e')); // scheduled during the instant: still runs at that instant, last
  });
  s.runUntil(seconds(10));
  assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e']);
  assert.equal(s.now, seconds(10));
});

test('a cancelled event never runs; runUntil stops at the boundary inclusive', () => {
  const s = new Scheduler();
  const seen: number[] = [];
  const h = s.at(ms(5), () => seen.push(5));
  s.at(ms(10), () => seen.push(10));
  s.at(ms(11), () => seen.push(11));
  h.cancel();
  s.runUntil(ms(10));
  assert.deepEqual(seen, [10]);
  assert.equal(h.pending, false);
  s.runUntil(ms(20));
  assert.deepEqual(seen, [10, 11]);
});

test('scheduling in the past or at fractional microseconds is refused', () => {
  const s = new Scheduler();
  s.runUntil(seconds(1));
  assert.throws(() => s.at(ms(1), () => undefined), /past/);
  assert.throws(() => s.at(seconds(2) + 0.5, () => undefined), /whole microseconds/);
});

test('heap order matches a sort by (time, sequence) for arbitrary schedules', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), fc.array(fc.nat(199), { maxLength: 50 }), (times, cancels) => {
      const s = new Scheduler();
      const ran: number[] = [];
      const handles = times.map((t, i) => s.at(t, () => ran.push(i)));
      const cancelled = new Set(cancels.filter((c) => c < times.length));
      for (const c of cancelled) handles[c]!.cancel();
      s.runUntil(100);
      const expected = times
        .map((t, i) => ({ t, i }))
        .filter(({ i }) => !cancelled.has(i))
        .sort((a, b) => a.t - b.t || a.i - b.i)
        .map(({ i }) => i);
      assert.deepEqual(ran, expected);
    }),
  );
});

/** Runs `s` in consecutive `runUntil` slices of the given lengths, then far past the last one. */
function runInSlices(s: Scheduler, slices: readonly number[]): void {
  let until = 0;
  for (const step of slices) {
    until += step;
    s.runUntil(until);
    assert.equal(s.now, until);
  }
  s.runUntil(until + 100_000);
}

// The scheduler keeps events due within 8.192 ms in a per-microsecond wheel and later ones in a heap
// (scheduler.ts): events that cross between the two, are scheduled from running events, share an
// instant across both tiers or run in several runUntil slices must still run exactly in (time,
// sequence) order, the order of one sorted queue. The reference here is that sort, done by hand.
test('events spread over both tiers, scheduled while running, run in (time, sequence) order', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ t: fc.integer({ min: 0, max: 40_000 }), child: fc.option(fc.integer({ min: 0, max: 20_000 })) }), { maxLength: 150 }),
      fc.array(fc.integer({ min: 1, max: 60_000 }), { minLength: 1, maxLength: 5 }),
      (events, slices) => {
        const s = new Scheduler();
        const ran: number[] = [];
        // Reference model: every scheduled event with its time and the order it was scheduled in.
        const model: { at: number; seq: number; id: number }[] = [];
        let seq = 0;
        const schedule = (at: number, id: number, child: number | null): void => {
          model.push({ at, seq: seq++, id });
          s.at(at, (now) => {
            assert.equal(now, at);
            ran.push(id);
            if (child !== null) schedule(now + child, id + 1000, null);
          });
        };
        events.forEach((e, i) => schedule(e.t, i, e.child));
        runInSlices(s, slices);
        const expected = model.sort((a, b) => a.at - b.at || a.seq - b.seq).map((m) => m.id);
        assert.deepEqual(ran, expected);
      },
    ),
  );
});

// An event earlier than every queued one waits in the scheduler's front instead of a slot, and an
// earlier one still sends it back to the queue (scheduler.ts `post2`, `demoteFront`). Chains of events
// that each schedule the next (a frame's hops), handle-less `post2` events, cancelled handles and
// same-instant ties across the front and both tiers must all keep the order of one sorted queue.
test('front, post2 and cancelled events keep (time, sequence) order', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          // Small times and delays as often as large ones, so that instants are shared.
          t: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20_000 })),
          post: fc.boolean(),
          cancel: fc.boolean(),
          chain: fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 9_000 })), { maxLength: 4 }),
        }),
        { maxLength: 80 },
      ),
      fc.array(fc.integer({ min: 1, max: 30_000 }), { minLength: 1, maxLength: 4 }),
      (events, slices) => {
        const s = new Scheduler();
        const ran: number[] = [];
        const model: { at: number; seq: number; id: number; cancelled: boolean }[] = [];
        let seq = 0;
        let nextId = 0;
        const schedule = (at: number, post: boolean, chain: readonly number[]): { cancel(): void } | null => {
          const id = nextId++;
          const entry = { at, seq: seq++, id, cancelled: false };
          model.push(entry);
          const run = (): void => {
            assert.equal(s.now, at);
            ran.push(id);
            // The next link is scheduled from inside the running event, as a hop schedules the next.
            if (chain.length > 0) schedule(s.now + chain[0]!, post, chain.slice(1));
          };
          if (post) {
            s.post2(at, run, undefined, undefined);
            return null;
          }
          const handle = s.at(at, (now) => {
            assert.equal(now, at);
            run();
          });
          return {
            cancel: () => {
              handle.cancel();
              entry.cancelled = true;
            },
          };
        };
        const handles = events.map((e) => schedule(e.t, e.post, e.chain));
        events.forEach((e, i) => {
          if (e.cancel) handles[i]?.cancel();
        });
        runInSlices(s, slices);
        assert.equal(s.pending, 0);
        const expected = model
          .filter((m) => !m.cancelled)
          .sort((a, b) => a.at - b.at || a.seq - b.seq)
          .map((m) => m.id);
        assert.deepEqual(ran, expected);
      },
    ),
  );
});

test('a timer pushed later fires once, at its last deadline', () => {
  const s = new Scheduler();
  const fired: number[] = [];
  const t = s.timer((now) => fired.push(now));
  t.setAt(seconds(180));
  s.runUntil(seconds(30));
  t.setAt(seconds(210)); // refreshed by an update at 30 s
  s.runUntil(seconds(60));
  t.setAt(seconds(240));
  s.runUntil(seconds(1000));
  assert.deepEqual(fired, [seconds(240)]);
  assert.equal(t.armed, false);
});

test('a timer pulled earlier or cancelled behaves', () => {
  const s = new Scheduler();
  const fired: number[] = [];
  const t = s.timer((now) => fired.push(now));
  t.setAt(seconds(100));
  t.setAt(seconds(10));
  s.runUntil(seconds(50));
  assert.deepEqual(fired, [seconds(10)]);
  t.setAt(seconds(60));
  t.cancel();
  s.runUntil(seconds(200));
  assert.deepEqual(fired, [seconds(10)]);
});

test('same seed and stream name give the same numbers; other names differ', () => {
  const a = Rng.fromSeed(42).fork('rip/r1');
  const b = Rng.fromSeed(42).fork('rip/r1');
  const c = Rng.fromSeed(42).fork('rip/r2');
  const d = Rng.fromSeed(43).fork('rip/r1');
  const draw = (r: Rng) => Array.from({ length: 8 }, () => r.nextUint32());
  const da = draw(a);
  assert.deepEqual(da, draw(b));
  assert.notDeepEqual(da, draw(c));
  assert.notDeepEqual(da, draw(d));
});

test('rng.int stays within bounds and covers them', () => {
  const r = Rng.fromSeed(7);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const v = r.int(1, 5);
    assert.ok(v >= 1 && v <= 5);
    seen.add(v);
  }
  assert.equal(seen.size, 5);
});

test('durations parse as people type them and refuse bare numbers', () => {
  const cases: [string, number][] = [
    ['300s', seconds(300)],
    ['5m', minutes(5)],
    ['24h', hours(24)],
    ['1h30m', minutes(90)],
    ['250ms', ms(250)],
    ['0.5s', ms(500)],
    ['100us', 100],
  ];
  for (const [text, value] of cases) assert.deepEqual(parseDuration(text), { ok: true, value }, text);
  for (const bad of ['300', '', 'five minutes', '5 m', '-5s', '5x']) {
    const r = parseDuration(bad);
    assert.equal(r.ok, false, bad);
  }
  assert.equal(formatDuration(minutes(90) + seconds(5)), '1h30m5s');
  assert.equal(formatDuration(ms(1.5)), '1.5ms');
});

// The wheel finds its next event through a summary of its occupancy words (scheduler.ts
// firstInWheel). An event almost a whole span (8192 µs) ahead lands in a slot before `base`'s own,
// in the same occupancy word: it must be found last, not first and not never.
test('an event a span ahead, wrapped into the word of the present, runs after nearer ones', () => {
  const s = new Scheduler();
  const ran: number[] = [];
  s.at(40, (now) => {
    s.at(now + 8192 - 8, (t) => ran.push(t));
    s.at(now + 3000, (t) => ran.push(t));
  });
  s.at(45, (now) => s.at(now + 8192 - 10, (t) => ran.push(t)));
  s.runUntil(20_000);
  assert.deepEqual(ran, [3040, 8224, 8227]);
  const alone = new Scheduler();
  const at: number[] = [];
  alone.at(40, (now) => alone.at(now + 8191, (t) => at.push(t)));
  alone.runUntil(20_000);
  assert.deepEqual(at, [8231]);
});

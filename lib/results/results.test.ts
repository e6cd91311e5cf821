import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, quantile } from './stats';
import { failoverOutcome, failoverRunRow, outageSummary } from './outcome';
import type { PingRow } from './probes';

test('stats: one median, the mean of the middle two of an even count; type 7 quantiles; null for none', () => {
  assert.equal(median([30, 10, 20]), 20);
  assert.equal(median([10, 12, 20, 30]), 16);
  assert.equal(median([]), null);
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.equal(quantile(sorted, 0), 1);
  assert.equal(quantile(sorted, 1), 10);
  assert.equal(quantile(sorted, 0.5), 5.5);
  assert.equal(quantile(sorted, 0.9), 9.1);
  assert.equal(quantile([], 0.5), null);
});

const S = 1_000_000;
const ping = (i: number, outcome: PingRow['outcome'], ttl: number | null): PingRow => ({ t: i * S, probe: 'ping', seq: i + 1, outcome, from: null, ttl, rttMs: null });

test('outcome: phases, outage and run row from ping rows alone', () => {
  const rows = [ping(0, 'reply', 63), ping(1, 'reply', 63), ping(2, 'timeout', null), ping(3, 'timeout', null), ping(4, 'unreachable', null), ping(5, 'reply', 60)];
  const o = failoverOutcome(rows, 1.5 * S);
  assert.equal(o.near, 63);
  assert.equal(o.lastGood, 1 * S);
  assert.equal(o.firstGood, 5 * S);
  assert.equal(o.outageSeconds, 4);
  assert.deepEqual(o.phases.map((p) => [p.phase, p.count]), [['near', 2], ['silent', 2], ['unreachable', 1], ['far', 1]]);
  const run = failoverRunRow(0, { at: 1.5 * S, ...o }, S);
  assert.deepEqual([run.silentSeconds, run.unreachableSeconds], [2, 1]);
  assert.deepEqual(outageSummary([run, { ...run, outageSeconds: 6 }, { ...run, outageSeconds: null }]), { min: 4, median: 5, max: 6, unrecovered: 1, unsteady: 0 });
  assert.deepEqual(o.baselineProblems, []);
});

// The timer what-if's probe (a real run: lib/cli/whatif.test.ts): before the failure the anycast
// route flaps, so xenial3's replies come now from xenial1 (ttl 63: one router, 64 - 1) and now from
// xenial2 (ttl 60: four routers), with Destination Host Unreachable in between.
test('outcome: a flapping baseline is named, its run has no outage, and labels follow the TTL, not the order', () => {
  const rows = [ping(0, 'reply', 63), ping(1, 'reply', 60), ping(2, 'unreachable', null), ping(3, 'reply', 60), ping(4, 'timeout', null), ping(5, 'reply', 60)];
  const o = failoverOutcome(rows, 3.5 * S);
  // The last reply before the failure is xenial2's (ttl 60), but the shortest path is 63's: near.
  assert.equal(o.near, 63);
  assert.deepEqual(o.phases.map((p) => [p.phase, p.count]), [['near', 1], ['far', 1], ['unreachable', 1], ['far', 1], ['silent', 1], ['far', 1]]);
  assert.equal(o.baselineProblems.length, 2);
  assert.match(o.baselineProblems[0]!, /^1 of the 4 probes before the failure got no reply \(ICMP unreachable from the client; the first sent at 2s\)$/);
  assert.match(o.baselineProblems[1]!, /paths of different lengths \(reply TTLs 63, 60\)/);
  const run = failoverRunRow(0, { at: 3.5 * S, ...o }, S);
  assert.equal(run.outageSeconds, null);
  assert.match(run.unsteady!, /got no reply/);
  const steady = failoverRunRow(1, { at: 1.5 * S, ...failoverOutcome([ping(0, 'reply', 63), ping(1, 'reply', 63), ping(2, 'timeout', null), ping(3, 'reply', 60)], 1.5 * S) }, S);
  assert.equal(steady.outageSeconds, 2);
  // An unsteady run is neither an outage nor an unrecovered run.
  assert.deepEqual(outageSummary([run, steady]), { min: 2, median: 2, max: 2, unrecovered: 0, unsteady: 1 });
  // No probe before the failure: the baseline was not observed.
  assert.match(failoverOutcome([ping(2, 'reply', 63)], 1 * S).baselineProblems[0]!, /no probe was sent before the failure/);
});

/** `failover`'s outage line says what was measured, also when no probe followed the failure; `real failover`'s premise check. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './main';
import { unsteadyLine } from './failover';
import { outageRunWithPremiseJson, unsteadyCountJson } from './json';
import { failoverOutcome, failoverRunRow, outageSummary, type FailoverRun } from '../results/outcome';
import type { PingRow } from '../results/probes';
import { seconds } from '../sim/time';

test('failover with no probe after the failure says so, instead of "every probe after the failure was answered"', () => {
  const r = runCli(['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--interval', '1h']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.split('\n')[1], 'outage: not measured (no probe was sent after the failure at 2m: one every 1h from 1m40s, and the run ended at 12m); a shorter --interval or a later --until measures it');
  assert.doesNotMatch(r.out, /every probe after the failure was answered/);
  // A failure the probes do see, and nobody loses a reply (xenial2 is not the near server): none.
  const none = runCli(['failover', 'anycast', '--fail', 'xenial2:halt', '--at', '2m', '--until', '3m']);
  assert.equal(none.code, 0, none.err);
  assert.equal(none.out.split('\n')[1], 'outage: none (every probe after the failure was answered)');
  // JSON keeps its fields: the phases show that only the probe before the failure was sent.
  const json = JSON.parse(runCli(['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--interval', '1h', '--json']).out) as { phases: { phase: string; fromSeconds: number; count: number }[] };
  assert.deepEqual(json.phases, [{ phase: 'near', fromSeconds: 100, toSeconds: 100, count: 1 }]);
});

test('real failover reads the premise as the simulated one does: a real FRR 8.4.4 run whose baseline flapped reports no outage', () => {
  // data/real/anycast/failover-ping-halt-5-5-5-unsteady.json: `real failover anycast --fail xenial1:halt
  // --runs 2 --timers "5 5 5" --out …` on Debian 12's FRR 8.4.4 (2026-12-04). A timeout equal to the
  // update interval, with ripd's jitter, lets routes expire between updates: probes were lost before
  // the failure. The record's rows, read again by lib/results/outcome.ts, give the same verdicts, and
  // the command's line is the one failover --runs prints.
  const record = JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'real', 'anycast', 'failover-ping-halt-5-5-5-unsteady.json'), 'utf8')) as {
    probeIntervalSeconds: number;
    unsteady: number;
    runs: (FailoverRun & { rows: PingRow[] })[];
  };
  assert.equal(record.unsteady, 2);
  for (const run of record.runs) {
    const again = failoverRunRow(run.run, { at: run.at, ...failoverOutcome(run.rows, run.at) }, seconds(record.probeIntervalSeconds));
    assert.equal(again.unsteady, run.unsteady);
    assert.match(run.unsteady!, /probes before the failure got no reply/);
    assert.equal(run.outageSeconds, null);
  }
  const summary = outageSummary(record.runs);
  assert.deepEqual([summary.unsteady, summary.median, summary.unrecovered], [2, null, 0]);
  assert.equal(unsteadyLine(summary, record.runs), `2 of 2 runs report no outage: the baseline before the failure was not steady (run 0: ${record.runs[0]!.unsteady}); \`anycast-lab doctor\` on the lab says why when its RIP timers cannot hold a route`);
  assert.deepEqual(unsteadyCountJson(summary), { unsteady: 2 });
  assert.equal((outageRunWithPremiseJson(record.runs[1]!) as { unsteady: string }).unsteady, record.runs[1]!.unsteady);
});

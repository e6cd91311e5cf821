/**
 * Bounds on simulated work: a value past a documented maximum is refused, naming the option and
 * the maximum (lib/cli/options.ts for --at/--until/--for, lib/sweep/parameters.ts for the knobs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { runCli } from './main';
import { MAX_COMMAND_TIME } from './options';
import { LIMITS, PARAMETERS, probeBudgetError, RUNS } from '../sweep/parameters';
import { parseExperiment } from '../sweep';
import { hours, minutes, ms, seconds } from '../sim/time';

function refused(args: string[], message: string): void {
  const r = runCli(args);
  assert.equal(r.code, 2, args.join(' '));
  assert.equal(r.err.split('\n')[0], `error: ${message}`, args.join(' '));
}

const FAILOVER = ['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m'];

test('the maximums, as declared', () => {
  assert.equal(MAX_COMMAND_TIME, hours(24));
  assert.deepEqual(LIMITS, { duration: hours(24), runs: 10_000, probesPerRun: 100_000, timerSeconds: 3600 });
  assert.equal(PARAMETERS['runFor']!.range, '> 0s, ≤ 24h');
  assert.equal(RUNS.range, '1 to 10000');
});

test('--at, --until, --for: at most 24h of simulated time', () => {
  refused(['routes', 'anycast', '--at', '99999999999h'], '--at: at most 24h of simulated time, got "99999999999h"');
  refused(['capture', 'anycast', '--until', '10000h', '--out', 'x.pcap'], '--until: at most 24h of simulated time, got "10000h"');
  refused(['exec', 'anycast', 'xenial3', 'ping -c 99999999999 10.128.7.1', '--for', '25h'], '--for: at most 24h of simulated time, got "25h"');
  refused(['exec', 'anycast', 'r1', 'show ip route', '--at', '24h1s'], '--at: at most 24h of simulated time, got "24h1s"');
  refused([...FAILOVER, '--until', '30h'], '--until: at most 24h of simulated time, got "30h"');
  refused(['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '99999999999m'], '--at: at most 24h, got "99999999999m"');
  refused(['failover', 'anycast', '--fail', 'xenial1:halt@25h'], '--fail xenial1:halt@25h: at most 24h, got "25h"');
  assert.equal(runCli(['routes', 'anycast', '--at', '24h', '--json']).code, 0);
});

test('failover: --interval within the probes a run may send, --runs, --timers within their maximums', () => {
  refused([...FAILOVER, '--interval', '1us'], '--interval 1us over 10m20s sends 620000001 probes, at most 100000 per run: a longer --interval or a shorter --until');
  refused([...FAILOVER, '--interval', '10ms', '--until', '1h'], '--interval 10ms over 58m20s sends 350001 probes, at most 100000 per run: a longer --interval or a shorter --until');
  refused([...FAILOVER, '--interval', '10000h'], '--interval: at most 24h, got "10000h"');
  refused([...FAILOVER, '--runs', '10001', '--profile', 'frr'], '--runs: at most 10000, got 10001');
  refused([...FAILOVER, '--timers', '99999999 1 1 1'], '--timers: each timer is at most 3600 s, got 99999999 in "99999999 1 1 1"');
  refused([...FAILOVER, '--timers', '5 15 3601', '--profile', 'frr'], '--timers: each timer is at most 3600 s, got 3601 in "5 15 3601"');
  assert.equal(probeBudgetError({ at: minutes(2), runFor: minutes(10), probeInterval: ms(10) }), null);
  assert.equal(probeBudgetError({ at: seconds(5), runFor: hours(24), probeInterval: seconds(1) }), null);
  assert.match(probeBudgetError({ at: minutes(2), runFor: hours(24), probeInterval: ms(100) })!, /^probeInterval 100ms over 24h20s sends 864201 probes, at most 100000 per run: a longer probeInterval or a shorter runFor$/);
});

test('an experiment file: runFor, probeInterval, timers and runs within the same maximums', () => {
  const e = (extra: Record<string, unknown>) => () => parseExperiment({ name: 'x', lab: 'anycast', ...extra }, 'experiment', tmpdir());
  assert.throws(e({ baseline: { runFor: '99999999999m' } }), /experiment: baseline\.runFor: at most 24h, got "99999999999m"/);
  assert.throws(e({ baseline: { probeInterval: '25h' } }), /experiment: baseline\.probeInterval: at most 24h, got "25h"/);
  assert.throws(e({ baseline: { timers: '99999999 1 1 1' } }), /experiment: baseline\.timers: each timer is at most 3600 s, got 99999999 in "99999999 1 1 1"/);
  assert.throws(e({ runs: 99999 }), /experiment: runs: at most 10000, got 99999/);
});

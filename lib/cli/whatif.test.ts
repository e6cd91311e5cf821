/**
 * A what-if tells the truth or says why it cannot: the timer mismatch of the write-up's lab (r1–r4
 * with `timers basic 5 15 15 20`, the servers' ripd left at its defaults), end to end through
 * `doctor`, `failover` and the library; the steady write-up run still reporting its outage; and
 * `failover --runs` drawing over the lab's own update interval without `--profile`.
 *
 * Where the expected figures come from:
 * - r3 (IOS, `timers basic 5 15 15 20`) drops a route 15 s after its last update (its invalid
 *   timer); xenial1's ripd sends one every 30 s ± 7 (FRR defaults, ripd.c `rip_update_jitter`:
 *   23–37 s), so the anycast /32 r3 learns from xenial1 expires before every refresh: a flap every
 *   cycle from boot on, the route log full of changes before any failure.
 * - xenial3 → xenial1 is one router (reply ttl 64 − 1 = 63), → xenial2 four (60): the write-up's
 *   §4.3.5 ping.
 * - The steady run is the golden `anycast.failover-halt` (xenial1 halted at 125 s: 241 s outage,
 *   last reply 124 s, first 365 s, recorded before this check existed).
 * - `--runs` window: the longest nominal update interval of the lab's RIP speakers as run: 5 s
 *   when every speaker runs update 5, 30 s when the servers keep ripd's default.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliAsync } from './main';
import { measureFailover, failoverDistribution } from '../measure/failover';
import { seconds } from '../sim/time';

const ANYCAST = join(__dirname, '..', '..', 'data', 'labs', 'anycast');
const ROUTERS = ['r1', 'r2', 'r3', 'r4'];

/** The line (1-based) of the first line matching `re` in a lab file. */
function lineOf(dir: string, file: string, re: RegExp): number {
  const i = readFileSync(join(dir, file), 'utf8').split('\n').findIndex((l) => re.test(l));
  assert.ok(i >= 0, `${file}: no line matches ${re}`);
  return i + 1;
}

/** The anycast lab copied, with `timers basic` inserted after `no auto-summary` in r1–r4 and, given `servers`, after `router rip` in the servers' ripd.conf. */
function timedLab(servers: string | null): { dir: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'anycast-lab-whatif-'));
  const dir = join(root, 'anycast');
  cpSync(ANYCAST, dir, { recursive: true });
  const insert = (file: string, after: RegExp, line: string) => {
    const path = join(dir, file);
    const lines = readFileSync(path, 'utf8').split('\n');
    const i = lines.findIndex((l) => after.test(l));
    assert.ok(i >= 0, `${file}: no line matches ${after}`);
    lines.splice(i + 1, 0, line);
    writeFileSync(path, lines.join('\n'));
  };
  for (const r of ROUTERS) insert(`${r}.cfg`, /^no auto-summary$/, 'timers basic 5 15 15 20');
  if (servers !== null) for (const x of ['xenial1', 'xenial2']) insert(`setup.${x}.sh`, /^router rip$/, servers);
  return { dir, done: () => rmSync(root, { recursive: true, force: true }) };
}

interface Finding {
  severity: string;
  code: string;
  node: string | null;
  message: string;
  sources: { file: string; line: number }[];
}

test('timer mismatch: doctor names both nodes, their files:lines and timers, and the segments that differ', () => {
  const lab = timedLab(null);
  try {
    const r = runCli(['doctor', lab.dir, '--anycast', '--json']);
    assert.equal(r.code, 0, r.err);
    const findings = (JSON.parse(r.out) as { findings: Finding[] }).findings;
    const short = findings.filter((f) => f.code === 'rip-timeout-short');
    // Only the routers next to a server: r1/r2 hear r3/r4 every 5 s (gap ≤ 5 s, three in 15 s).
    assert.deepEqual(short.map((f) => [f.severity, f.node]), [['warning', 'r3'], ['warning', 'r4']]);
    for (const [f, server] of [[short[0]!, 'xenial1'], [short[1]!, 'xenial2']] as const) {
      assert.deepEqual(f.sources, [
        { file: `anycast/${f.node}.cfg`, line: lineOf(lab.dir, `${f.node}.cfg`, /^timers basic/) },
        { file: `anycast/setup.${server}.sh`, line: lineOf(lab.dir, `setup.${server}.sh`, /^router rip$/) },
      ]);
      assert.match(f.message, new RegExp(`^${f.node}: RIP update 5s, invalid 15s \\(\`timers basic 5 15 15 20\`, anycast/${f.node}\\.cfg:\\d+\\) against the updates of its neighbour ${server} on vboxnet[12], update 30s, timeout 180s \\(FRR defaults`));
      assert.match(f.message, new RegExp(`${server} sends an update every 23s–37s, so every route ${f.node} learns from ${server} expires before the next update refreshes it: the routes flap every update cycle`));
    }
    const differ = findings.filter((f) => f.code === 'rip-timers-differ');
    assert.deepEqual(differ.map((f) => [f.severity, f.message.split(':')[0]]), [['warning', 'vboxnet1'], ['warning', 'vboxnet2']]);
    assert.match(differ[0]!.message, /r3 update 5s, invalid 15s .* xenial1 update 30s, timeout 180s/);
    // The text form puts the receiver's line first, as every doctor finding does.
    const text = runCli(['doctor', lab.dir, '--anycast']).out;
    assert.match(text, /anycast\/r3\.cfg:\d+: warning: \[rip-timeout-short\] r3: /);
  } finally {
    lab.done();
  }
});

test('timer mismatch: failover refuses to report an outage, says why, and labels phases by the path', () => {
  const lab = timedLab(null);
  try {
    const r = runCli(['failover', lab.dir, '--fail', 'xenial1:halt', '--at', '2m']);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.split('\n');
    // The headline the what-if used to print ("outage: 16s") is gone; the refusal says why.
    assert.doesNotMatch(r.out, /^outage: \d/m);
    assert.equal(lines[1], 'outage: not measured: the service was not steady before the failure, so no outage can be told apart from the flapping');
    assert.match(r.out, /^baseline: \d+ of the 20 probes before the failure got no reply/m);
    assert.match(r.out, /^baseline: the replies before the failure came over paths of different lengths \(reply TTLs 63, 60\)$/m);
    assert.match(r.out, /^baseline: the routes to 10\.128\.224\.2 changed \d+ times in the 1m before the failure/m);
    assert.match(r.out, /^why: r3: RIP update 5s, invalid 15s/m);
    // Near is xenial1's path (ttl 63) wherever it falls; xenial2's replies (ttl 60) are far.
    const phases = lines.filter((l) => /^ {2}(near|far) /.test(l));
    assert.ok(phases.length > 2);
    for (const p of phases) assert.match(p, p.startsWith('  near') ? /ttl=63$/ : /ttl=60$/, p);
    const json = runCli(['failover', lab.dir, '--fail', 'xenial1:halt', '--at', '2m', '--json']);
    assert.equal(json.code, 1);
    const j = JSON.parse(json.out) as { outageSeconds: number | null; nearTtl: number; baseline: { steady: boolean; problems: string[]; causes: string[] } };
    assert.equal(j.outageSeconds, null);
    assert.equal(j.nearTtl, 63);
    assert.equal(j.baseline.steady, false);
    assert.equal(j.baseline.problems.length, 3);
    assert.deepEqual(j.baseline.causes.map((c) => c.split(':')[0]), ['r3', 'r4']);
    // The library says the same, so a notebook gets no number either.
    const m = measureFailover({ lab: lab.dir, fail: 'xenial1:halt', at: seconds(120) });
    assert.equal(m.outage, null);
    assert.equal(m.baseline.steady, false);
    // A distribution counts such runs apart: not outages, not unrecovered.
    const d = failoverDistribution({ lab: lab.dir, fail: 'xenial1:halt', at: seconds(120), runs: 2, runFor: seconds(60) });
    assert.deepEqual([d.profile, d.window, d.unsteady, d.unrecovered, d.median], [null, seconds(30), 2, 0, null]);
    assert.ok(d.runs.every((run) => run.outageSeconds === null && /not steady|got no reply|changed/.test(run.unsteady ?? '')));
  } finally {
    lab.done();
  }
});

test('steady baseline: the write-up run still reports its outage, and says its baseline held', () => {
  const m = measureFailover({ lab: ANYCAST, fail: 'xenial1:halt', at: seconds(125) });
  assert.deepEqual(m.baseline, { steady: true, problems: [], causes: [] });
  assert.deepEqual([m.outageSeconds, m.lastGood, m.firstGood, m.nearTtl], [241, seconds(124), seconds(365), 63]);
});

test('failover --runs without --profile: instants drawn over the lab\'s own update interval', () => {
  // --timers on every speaker: update 5 s everywhere.
  const tuned = runCli(['failover', 'anycast', '--anycast', '--fail', 'xenial1:halt', '--at', '2m', '--runs', '4', '--timers', '5 15 15 20', '--json']);
  assert.equal(tuned.code, 0, tuned.err);
  const t = JSON.parse(tuned.out) as { profile: string | null; runs: { atSeconds: number; outageSeconds: number | null }[]; unrecovered: number };
  assert.equal(t.profile, null);
  assert.equal(t.runs.length, 4);
  for (const run of t.runs) assert.ok(run.atSeconds >= 120 && run.atSeconds < 125 && run.outageSeconds !== null, JSON.stringify(run));
  // The lab's own lines on every speaker (IOS 5 15 15 20, ripd 5 15 10): the same 5 s, and a steady lab.
  const lab = timedLab('timers basic 5 15 10');
  try {
    const doctor = JSON.parse(runCli(['doctor', lab.dir, '--anycast', '--json']).out) as { findings: Finding[] };
    assert.deepEqual(doctor.findings.filter((f) => f.code.startsWith('rip-time')), []);
    const own = runCli(['failover', lab.dir, '--fail', 'xenial1:halt', '--at', '2m', '--runs', '3']);
    assert.equal(own.code, 0, own.err);
    assert.match(own.out, /^failover xenial1:halt at 2m \+ U\[0, 5s\), 3 runs, each RIP speaker its own profile, seed 1$/m);
  } finally {
    lab.done();
  }
});

test('sweep: without a timers parameter, a point\'s failure instants are drawn over the lab\'s own update interval', async () => {
  // Every speaker runs update 5 s by its own `timers basic` line (IOS 5 15 15 20, ripd 5 15 10): the
  // window is 5 s (lib/config/rip-timers.ts labUpdateInterval), as failover --runs draws it above;
  // the profile's default (30 s) would put most of four instants past 125 s.
  const lab = timedLab('timers basic 5 15 10');
  try {
    const file = join(lab.dir, '..', 'own-timers.yml');
    writeFileSync(file, `name: own-timers\nlab: anycast\nmeasure: failover\nbaseline:\n  fail: xenial1:halt\n  at: 2m\n  runFor: 2m\nruns: 4\nseed: 3\n`);
    const out = join(lab.dir, '..', 'rows.csv');
    const r = await runCliAsync(['sweep', file, '--workers', '0', '--out', out]);
    assert.equal(r.code, 0, r.err);
    const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n');
    const col = header!.split(',').indexOf('failureAtSeconds');
    const instants = rows.map((row) => Number(row.split(',')[col]));
    assert.equal(instants.length, 4);
    for (const t of instants) assert.ok(t >= 120 && t < 125, `failure at ${t} s`);
  } finally {
    lab.done();
  }
});

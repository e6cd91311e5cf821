/**
 * Fail-over on the write-up's anycast lab: the new failure modes (reboot, ripd-stop/crash), the
 * probes (ping stream, the §4.3.5 nslookup loop), the outage and its phases, the Monte Carlo over
 * failure instants, and the `failover` command.
 *
 * Where the expected figures come from:
 * - Write-up §4.3.5, xenial3's `ping 10.128.224.2`: last ttl=63 reply at seq 14, "Destination Host
 *   Unreachable" from 10.128.7.1 at seq 232–256, ttl=60 from seq 257: an outage of 257 − 14 = 243 s,
 *   of which ~25 s unreachable. Its nslookup loop: last answer 15:55:04, next (from the other
 *   server) 15:58:54, 230 s. Hence the window 230–243 s for a Cisco run whose failure falls where
 *   the write-up's did against r3's last update from xenial1.
 * - IOS (cisco-ios profile: update 30 s minus up to 15 %, invalid 180, hold-down 180, flush 240):
 *   r3 forwards to the dead server until it flushes the route 240 s after xenial1's last update U,
 *   then answers Destination Host Unreachable until r1's next periodic update brings the far route.
 *   With T the failure, T − U in [0, 30) and the wait for r1 in [0, 30] plus up to 5 s of triggered
 *   update holdoff: outage in [210, 275] s.
 * - FRR (frr profile: update 30 s ± 7, timeout 180, garbage 120, no hold-down; FRR ripd.c
 *   rip_timeout / rip_update_jitter): r3 drops the route 180 s after U and takes any new one at once;
 *   r1 learns the far route at r2's next update. T − U in [0, 37), that wait in [0, 37], plus up to
 *   5 s of triggered-update holdoff: outage in [143, 222] s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { seconds, minutes } from '../sim/time';
import { ipv4 } from '../wire/addr';
import { Lab } from '../lab/lab';
import { parseFailure, formatFailure } from '../config/failures';
import { loadLab } from '../config/load';
import { withRipProfile } from '../config/overrides';
import { startPingProbe, startNslookupLoop, serversByAnswer } from './probes';
import { measureFailover, failoverDistribution } from './failover';
import { formatDuration } from '../sim/time';
import { runCli } from '../cli/main';

const LAB = join(__dirname, '..', '..', 'data', 'labs', 'anycast');
const ANYCAST = loadLab(LAB, { do_anycast: true });
const CISCO = withRipProfile(ANYCAST, 'cisco-ios');

test('failure syntax: reboot=<down time>, ripd-stop/start/crash; precise errors', () => {
  const r = parseFailure('xenial1:reboot=60s@2m');
  assert.deepEqual(r, { ok: true, value: { node: 'xenial1', iface: null, mode: 'reboot', at: minutes(2), downFor: seconds(60) } });
  if (r.ok) assert.equal(formatFailure(r.value, formatDuration), 'xenial1:reboot=1m@2m');
  assert.deepEqual(parseFailure('xenial1:ripd-crash@90s'), { ok: true, value: { node: 'xenial1', iface: null, mode: 'ripd-crash', at: seconds(90) } });
  for (const [bad, why] of [
    ['xenial1:reboot@2m', /reboot needs the time the node stays down, e\.g\. reboot=60s/],
    ['xenial1:reboot=soon@2m', /reboot=<duration>: expected a duration/],
    ['xenial1:reboot=0s@2m', /must be longer than 0s/],
    ['xenial1:halt=60s@2m', /only reboot and drain take "=<duration>"; halt does not/],
    ['xenial1:ripd-stopp@2m', /unknown failure mode "ripd-stopp"; modes: .*ripd-stop, ripd-start, ripd-crash/],
    ['xenial1:eth1:ripd-stop@2m', /an interface only makes sense with link-down or link-up/],
  ] as const) {
    const p = parseFailure(bad);
    assert.equal(p.ok, false, bad);
    if (!p.ok) assert.match(p.error, why);
  }
  // Checked when the failure is scheduled: the node must run ripd.
  assert.throws(() => new Lab(ANYCAST, { failures: ['xenial3:ripd-stop@2m'] }), /xenial3 does not run ripd/);
  assert.throws(() => new Lab(loadLab(LAB), { failures: ['xenial1:ripd-crash@2m'] }), /xenial1 does not run ripd/);
  assert.throws(() => new Lab(ANYCAST, { failures: [{ node: 'xenial1', iface: null, mode: 'reboot', at: seconds(5) }] }), /reboot needs the time the node stays down/);
});

test('reboot: down for the given time, then booted with its services; the client sees a 61 s gap and the near server again', () => {
  const lab = new Lab(ANYCAST, { failures: ['xenial1:reboot=60s@120s'] });
  lab.runUntil(seconds(150));
  assert.equal(lab.node('xenial1').running, false);
  lab.runUntil(seconds(181));
  assert.equal(lab.node('xenial1').running, true);
  const r = measureFailover({ lab: ANYCAST, fail: 'xenial1:reboot=60s', at: seconds(120), until: minutes(6) });
  assert.equal(r.outageSeconds, 61);
  assert.deepEqual(r.phases.map((p) => [p.phase, p.count]), [['near', 20], ['silent', 60], ['near', 180]]);
});

test('ripd-stop and ripd-crash: nothing on the wire, routes withdrawn; the server answers until r3 gives up on its route', () => {
  const lab = new Lab(ANYCAST, { failures: ['xenial1:ripd-stop@120s'] });
  lab.runUntil(seconds(121));
  assert.equal(lab.node('xenial1').fib.routes().filter((r) => r.source === 'rip').length, 0);
  // r3 still forwards to xenial1: it has heard nothing.
  assert.ok(lab.node('r3').fib.routes().some((r) => r.prefix === ipv4('10.128.224.2') && r.prefixLength === 32 && r.nextHop === ipv4('10.128.5.2')));
  const stop = measureFailover({ lab: ANYCAST, fail: 'xenial1:ripd-stop', at: seconds(120), until: minutes(8) });
  const crash = measureFailover({ lab: ANYCAST, fail: 'xenial1:ripd-crash', at: seconds(120), until: minutes(8) });
  assert.deepEqual(stop.phases.map((p) => p.phase), ['near', 'unreachable', 'far']);
  // The near phase lasts past the failure: xenial1 is up and answers until r3's route goes.
  assert.ok(stop.phases[0]!.to > seconds(300));
  assert.ok(stop.outageSeconds! > 0 && stop.outageSeconds! < 40, `switch-over ${stop.outageSeconds}s`);
  // Both are silent on the wire, so the client sees exactly the same run.
  assert.deepEqual(crash.rows, stop.rows);
  // ripd-start within the 180 s invalid timer: r3 hears xenial1 again and never lets go.
  const back = new Lab(ANYCAST, { failures: ['xenial1:ripd-stop@120s', 'xenial1:ripd-start@200s'] });
  const probe = startPingProbe(back, { client: 'xenial3', target: '10.128.224.2', from: seconds(100), until: seconds(500) });
  back.runUntil(seconds(500));
  assert.equal(back.node('xenial1').fib.routes().some((r) => r.source === 'rip'), true);
  assert.ok(probe.rows.every((r) => r.outcome === 'reply' && r.ttl === 63));
});

test('ping probe: tidy rows at every interval, concurrent with the failure; ttl 63 near, 60 far, Destination Host Unreachable from r3', () => {
  const lab = new Lab(ANYCAST, { failures: ['xenial1:halt@120s'] });
  const probe = startPingProbe(lab, { client: 'xenial3', target: '10.128.224.2', interval: seconds(1), from: seconds(100), until: seconds(500) });
  lab.runUntil(seconds(500));
  probe.stop();
  const rows = probe.rows;
  assert.equal(rows.length, 400);
  assert.deepEqual(rows.map((r) => r.seq), rows.map((_, i) => i + 1));
  assert.deepEqual(Object.keys(rows[0]!), ['t', 'probe', 'seq', 'outcome', 'from', 'ttl', 'rttMs']);
  assert.deepEqual({ ...rows[0]!, rttMs: 0 }, { t: seconds(100), probe: 'ping', seq: 1, outcome: 'reply', from: '10.128.224.2', ttl: 63, rttMs: 0 });
  // §2: xenial3 → xenial1 about 15 ms; §4.3.5: the far server about 40 ms.
  assert.ok(rows[0]!.rttMs! > 8 && rows[0]!.rttMs! < 25);
  assert.ok(rows.filter((r) => r.t >= seconds(120) && r.t < seconds(250)).every((r) => r.outcome === 'timeout'));
  const unreachable = rows.filter((r) => r.outcome === 'unreachable');
  assert.ok(unreachable.length > 0 && unreachable.every((r) => r.from === '10.128.7.1'));
  const far = rows.filter((r) => r.outcome === 'reply' && r.ttl === 60);
  assert.ok(far.length > 0 && far.every((r) => r.rttMs! > 25 && r.rttMs! < 60));
  assert.throws(() => startPingProbe(lab, { client: 'xenial9', target: '10.128.224.2' }), /no node "xenial9"/);
  assert.throws(() => startPingProbe(lab, { client: 'xenial3', target: 'anycast' }), /expected an IPv4 address/);
});

test('the §4.3.5 loop: ping -c1 then nslookup test; the answer names the server (10.128.1.1 xenial1, 10.128.2.2 xenial2)', () => {
  const lab = new Lab(CISCO, { failures: ['xenial1:halt@125s'] });
  assert.deepEqual(serversByAnswer(lab, 'test'), { '10.128.1.1': 'xenial1', '10.128.2.2': 'xenial2' });
  const loop = startNslookupLoop(lab, { client: 'xenial3', interval: seconds(1), from: seconds(100), until: seconds(450) });
  lab.runUntil(seconds(450));
  loop.stop();
  const rows = loop.rows;
  assert.deepEqual(Object.keys(rows[0]!), ['t', 'probe', 'outcome', 'server', 'address', 'latencyMs', 'icmpSeen']);
  assert.deepEqual({ ...rows[0]!, latencyMs: 0 }, { t: seconds(100), probe: 'nslookup', outcome: 'answer', server: 'xenial1', address: '10.128.1.1', latencyMs: 0, icmpSeen: false });
  const lastNear = rows.filter((r) => r.server === 'xenial1').pop()!;
  const firstFar = rows.find((r) => r.server === 'xenial2')!;
  assert.ok(rows.filter((r) => r.t > lastNear.t && r.t < firstFar.t).every((r) => r.outcome === 'ping-failed'));
  // While the ping times out the loop runs every 10 s (ping -c1 waits 10 s), as in the write-up's log.
  const failed = rows.filter((r) => r.outcome === 'ping-failed');
  assert.equal(failed[1]!.t - failed[0]!.t, seconds(10));
  const gap = (firstFar.t - lastNear.t) / 1e6;
  assert.ok(gap >= 230 && gap <= 243, `take-over after ${gap}s (write-up: 230 s nslookup, 243 s ping)`);
});

test('measureFailover, Cisco profile: the write-up\'s four phases and a take-over in its 230–243 s window', () => {
  const r = measureFailover({ lab: CISCO, fail: 'xenial1:halt', at: seconds(125), probeInterval: seconds(1), until: minutes(10), seed: 1 });
  assert.equal(r.failure, 'xenial1:halt@2m5s');
  assert.deepEqual(r.phases.map((p) => p.phase), ['near', 'silent', 'unreachable', 'far']);
  assert.equal(r.nearTtl, 63);
  assert.ok(r.outageSeconds! >= 230 && r.outageSeconds! <= 243, `outage ${r.outageSeconds}s`);
  const unreachable = r.phases[2]!;
  assert.ok(unreachable.count > 0 && unreachable.count <= 30, `unreachable for ${unreachable.count} probes (write-up: 25)`);
  assert.ok(r.rows.filter((x) => x.t >= r.phases[3]!.from).every((x) => x.ttl === 60));
  assert.equal(r.firstGood, r.phases[3]!.from);
  assert.equal(r.lastGood, seconds(124));
  assert.throws(() => measureFailover({ lab: CISCO, fail: 'xenial1:halt@2m', at: seconds(125) }), /without its time/);
  assert.throws(() => measureFailover({ lab: CISCO, fail: 'xenial1:hlt', at: seconds(125) }), /unknown failure mode "hlt"/);
});

test('failoverDistribution: Cisco and FRR outages within their expected ranges; same seed, same rows', () => {
  const cisco = failoverDistribution({ lab: ANYCAST, fail: 'xenial1:halt', at: seconds(120), runs: 12, profile: 'cisco-ios', seed: 7 });
  const frr = failoverDistribution({ lab: ANYCAST, fail: 'xenial1:halt', at: seconds(120), runs: 12, profile: 'frr', seed: 7 });
  for (const [d, lo, hi] of [[cisco, 210, 275], [frr, 143, 222]] as const) {
    assert.equal(d.runs.length, 12);
    assert.equal(d.unrecovered, 0);
    assert.ok(d.runs.every((r) => r.at >= seconds(120) && r.at < seconds(150)));
    assert.ok(d.min! >= lo && d.max! <= hi, `${d.profile}: ${d.min}..${d.max} outside ${lo}..${hi}`);
    assert.ok(d.min! <= d.median! && d.median! <= d.max!);
  }
  // FRR drops the route at the timeout (180 s); IOS waits for the flush (240 s).
  assert.ok(frr.median! < cisco.median!);
  assert.deepEqual(failoverDistribution({ lab: ANYCAST, fail: 'xenial1:halt', at: seconds(120), runs: 12, profile: 'frr', seed: 7 }), frr);
  const other = failoverDistribution({ lab: ANYCAST, fail: 'xenial1:halt', at: seconds(120), runs: 12, profile: 'frr', seed: 8 });
  assert.notDeepEqual(other.runs.map((r) => r.at), frr.runs.map((r) => r.at));
  const a = measureFailover({ lab: ANYCAST, fail: 'xenial1:halt', at: seconds(120), seed: 3 });
  const b = measureFailover({ lab: ANYCAST, fail: 'xenial1:halt', at: seconds(120), seed: 3 });
  assert.deepEqual(a.rows, b.rows);
});

const cli = runCli;

test('CLI failover: outage and phases as text and JSON, and clear errors', () => {
  const text = cli(['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--until', '8m']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^failover: xenial1:halt@2m; xenial3 pings 10\.128\.224\.2 every 1s; seed 1$/m);
  assert.match(text.out, /^outage: \d+s \(last reply sent at 1m59s, first reply after the failure sent at /m);
  assert.match(text.out, /^ {2}near .* ttl=63$/m);
  assert.match(text.out, /^ {2}unreachable .* from 10\.128\.7\.1$/m);
  assert.match(text.out, /^ {2}far .* ttl=60$/m);

  const json = cli(['failover', 'anycast', '--fail', 'xenial1:halt@125s', '--profile', 'cisco-ios', '--client', 'xenial3', '--target', '10.128.224.2', '--interval', '1s', '--until', '10m', '--seed', '1', '--json']);
  assert.equal(json.code, 0, json.err);
  const parsed = JSON.parse(json.out) as { failure: string; outageSeconds: number; phases: { phase: string; fromSeconds: number; toSeconds: number; count: number }[] };
  assert.equal(parsed.failure, 'xenial1:halt@2m5s');
  assert.equal(parsed.outageSeconds, measureFailover({ lab: CISCO, fail: 'xenial1:halt', at: seconds(125) }).outageSeconds);
  assert.deepEqual(parsed.phases.map((p) => p.phase), ['near', 'silent', 'unreachable', 'far']);
  assert.equal(parsed.phases[0]!.fromSeconds, 105);

  const dist = cli(['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--profile', 'frr', '--runs', '3', '--until', '7m']);
  assert.equal(dist.code, 0, dist.err);
  assert.match(dist.out, /^outage min\/median\/max = \d+\/\d+(\.5)?\/\d+ s$/m);

  for (const [args, why] of [
    [['failover', 'anycast', '--fail', 'xenial1:halt'], /failover needs --at <time>/],
    [['failover', 'anycast', '--at', '2m'], /exactly one --fail/],
    [['failover', 'anycast', '--fail', 'xenial1:halt', '--fail', 'xenial2:halt', '--at', '2m'], /exactly one --fail/],
    [['failover', 'anycast', '--fail', 'xenial1:halt@2m', '--at', '3m'], /carries its own time and --at gives another/],
    [['failover', 'anycast', '--fail', 'xenial1:hlt', '--at', '2m'], /unknown failure mode "hlt"/],
    [['failover', 'anycast', '--fail', 'xenial9:halt', '--at', '2m'], /no node "xenial9"/],
    [['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--profile', 'junos'], /--profile: expected one of cisco-ios, frr, got "junos"/],
    [['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--until', '1m'], /--until 1m must be after the failure/],
    [['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--interval', '0s'], /--interval: must be longer than 0s/],
    [['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--client', 'xenial9'], /probe client: no node "xenial9"/],
  ] as const) {
    const r = cli([...args]);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err, why, args.join(' '));
  }
});

test('drain=<time>: lo:0 down (ripd poisons the /32), the halt that much later; errors name the form', () => {
  const r = parseFailure('xenial1:drain=10s@2m');
  assert.deepEqual(r, { ok: true, value: { node: 'xenial1', iface: null, mode: 'drain', at: minutes(2), drainFor: seconds(10) } });
  assert.equal(formatFailure((r as { ok: true; value: Parameters<typeof formatFailure>[0] }).value, formatDuration), 'xenial1:drain=10s@2m');
  const bare = parseFailure('xenial1:drain@2m');
  assert.ok(!bare.ok && bare.error.includes('drain needs the time from withdrawal to halt, e.g. drain=10s'));
  const lab = new Lab(CISCO, { seed: 1, failures: ['xenial1:drain=10s@2m'] });
  assert.throws(() => lab.fail('xenial3:drain=10s@3m'), /xenial3 has no alias on its loopback/);
  lab.runUntil(minutes(2) + seconds(5));
  const x1 = lab.node('xenial1');
  assert.equal(x1.running, true);
  assert.equal(x1.isAliasUp('lo:0'), false);
  assert.equal(lab.routeLog.lost('r3', '10.128.224.2/32', minutes(2))! < minutes(2) + seconds(0.1), true);
  lab.runUntil(minutes(2) + seconds(10));
  assert.equal(x1.running, false);
});

test('drain vs halt (Cisco, DNS probe): the poison moves r3 within one update interval; IOS\'s hold-down reading keeps r3 on the draining server until it is gone', () => {
  const base = { lab: CISCO, at: minutes(2), probe: 'dns' as const, until: minutes(7), seed: 1 };
  const halt = measureFailover({ ...base, fail: 'xenial1:halt' });
  const pingHalt = measureFailover({ ...base, probe: 'ping', fail: 'xenial1:halt' });
  // The same outage on either probe (both 1 s apart, same definition).
  assert.equal(halt.outage, pingHalt.outage);
  assert.ok(halt.outageSeconds! >= 180, `halt: ${halt.outageSeconds} s`);
  const drain = measureFailover({ ...base, fail: 'xenial1:drain=10s' });
  // r3 drops the route on the poison and waits for r2's next update through r1: ≤ 30 s + 5 s holdoff + 1 s probe.
  assert.ok(drain.outageSeconds! > 0 && drain.outageSeconds! <= 36, `drain: ${drain.outageSeconds} s`);
  assert.deepEqual(drain.phases.map((p) => p.phase), ['near', 'unreachable', 'far']);
  // Hold-down: r3 keeps forwarding to xenial1 (which halts at +10 s) and ignores r1's far route until
  // the hold-down ends (invalid 180 s + hold-down, flushed 240 s after the last update): longer than a halt's silence.
  const held = measureFailover({ ...base, fail: 'xenial1:drain=10s', iosPoison: 'holddown' });
  assert.ok(held.outageSeconds! > 150, `drain with hold-down: ${held.outageSeconds} s`);
  assert.deepEqual(held.phases.map((p) => p.phase), ['near', 'silent', 'far']);
});

test('CLI failover what-ifs: --probe dns, --health-check, --timers, --ios-poison, drain; clear errors', () => {
  const hc = cli(['failover', 'anycast', '--fail', 'xenial1:named-stop', '--at', '2m', '--probe', 'dns', '--health-check', '2s', '--profile', 'cisco-ios', '--until', '4m']);
  assert.equal(hc.code, 0, hc.err);
  assert.match(hc.out, /^failover: xenial1:named-stop@2m; xenial3 asks 10\.128\.224\.2 every 1s; RIP profile cisco-ios; health check every 2s; seed 1$/m);
  assert.match(hc.out, /^health check: xenial1 took lo:0 down at 2m1s$/m);
  assert.match(hc.out, /^ {2}near .* server xenial1$/m);
  assert.match(hc.out, /^ {2}far .* server xenial2$/m);
  const same = measureFailover({ lab: CISCO, fail: 'xenial1:named-stop', at: minutes(2), probe: 'dns', healthCheck: { interval: seconds(2) }, until: minutes(4) });
  assert.match(hc.out, new RegExp(`^outage: ${same.outageSeconds}s `, 'm'));

  const json = cli(['failover', 'anycast', '--fail', 'xenial1:drain=10s', '--at', '2m', '--probe', 'dns', '--ios-poison', 'holddown', '--timers', '5 15 15 20', '--profile', 'cisco-ios', '--until', '4m', '--json']);
  assert.equal(json.code, 0, json.err);
  const parsed = JSON.parse(json.out) as { failure: string; probe: string; nearServer: string; outageSeconds: number };
  assert.equal(parsed.failure, 'xenial1:drain=10s@2m');
  assert.equal(parsed.probe, 'dns');
  assert.equal(parsed.nearServer, 'xenial1');
  assert.equal(parsed.outageSeconds, measureFailover({ lab: CISCO, fail: 'xenial1:drain=10s', at: minutes(2), probe: 'dns', iosPoison: 'holddown', timers: '5 15 15 20', until: minutes(4) }).outageSeconds);

  for (const [args, why] of [
    [['--probe', 'dsn'], /--probe: expected ping or dns, got "dsn"/],
    [['--health-check', '0s'], /--health-check: the interval must be longer than 0s/],
    [['--health-check', 'often'], /--health-check/],
    [['--timers', '5 15'], /--timers: expected IOS "<update> <invalid> <holddown> <flush>"/],
    [['--ios-poison', 'maybe'], /--ios-poison: expected remove or holddown, got "maybe"/],
  ] as const) {
    const r = cli(['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', ...args]);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err, why, args.join(' '));
  }
});

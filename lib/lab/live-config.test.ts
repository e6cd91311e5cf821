/**
 * Configuration changes while the lab runs, at exact simulated times, on data/labs/feature-passive
 * (every ripd `timers basic 5 15 10`; r4 sends to r1 over the r1–r4 link 10.13.14.0/24 and is r1's
 * only path to r4's stub 10.13.4.4/32, because r3 runs RIP on lan1 alone).
 *
 * Expected figures come from:
 * - FRR ripd/rip_interface.c rip_passive_interface_apply: `passive-interface` only sets ri->passive,
 *   which rip_update_process reads on the next update: nothing more is sent from the change on.
 * - RFC 2453 3.8 and r4's `timers basic 5 15 10`: r1's route from r4 times out 15 s after r4's
 *   last update reached it (FRR rip_timeout → rip_ecmp_delete removes it from zebra then).
 * - ripd/rip_nb_config.c ripd_instance_timers_apply_finish → ripd.c rip_event(RIP_UPDATE_EVENT):
 *   the next update at the new interval + rip_update_jitter(), (random() % (2u+1) − u) / 4 s.
 * - ripd/rip_interface.c rip_enable_apply: an interface no `network` covers any longer goes through
 *   rip_if_down and stops running.
 * - ripd.c rip_clean → rip_instance_disable: `no router rip` deletes every RIP route from zebra, and
 *   `show ip rip` then says "% RIP instance not found" (real FRR 8.4.4: frr-8.4.4-no-router-rip.txt).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { seconds } from '../sim/time';
import { ipv4 } from '../wire/addr';
import { IPPROTO_UDP, type Ipv4Packet } from '../wire/types';
import { isUdpDatagram } from '../wire/udp';
import { RIP_PORT } from '../wire/rip';
import { ripDaemonOf } from '../net/rip-daemon';
import { Lab } from './lab';
import { changeAsVtysh, parseConfigChange } from './live-config';
import { loadScript, parseScript } from '../config/script';
import type { RealScriptRecord } from '../real/script';
import { runCli } from '../cli/main';
import { PARAMETERS, defaultSetup, failoverOptionsOf } from '../sweep';
import { measureFailover } from '../measure/failover';

const LAB = join(__dirname, '..', '..', 'data', 'labs', 'feature-passive');
const SCRIPT = join(LAB, 'drain.script');

/** Times r4 sent a RIP packet out of eth1 (towards r1). */
function ripSendsOut(capture: ReturnType<Lab['capture']>, src: string): number[] {
  return capture
    .sorted()
    .filter((f) => {
      const p = f.frame.payload as Ipv4Packet;
      return f.direction === 'out' && p.src === ipv4(src) && p.protocol === IPPROTO_UDP && isUdpDatagram(p.payload) && p.payload.dstPort === RIP_PORT;
    })
    .map((f) => f.time);
}

test('passive-interface at 30 s: r4 sends nothing more on eth1 from 30 s on; r1 drops 10.13.4.4/32 15 s after the last update it heard', () => {
  const lab = new Lab(Lab.load(LAB).spec, { seed: 1, changes: ['r4@30s: router rip; passive-interface eth1'] });
  const capture = lab.capture('r4:eth1');
  lab.runUntil(seconds(60));
  const sends = ripSendsOut(capture, '10.13.14.4');
  assert.ok(sends.some((t) => t < seconds(30)), 'r4 sent on eth1 before the change');
  assert.deepEqual(sends.filter((t) => t >= seconds(30)), []);
  const lastUpdate = Math.max(...sends);
  const removed = lab.routeLog.rows({ node: 'r1', prefix: '10.13.4.4/32', event: 'remove' });
  assert.equal(removed.length, 1);
  // The update left r4 at lastUpdate and crossed the link (its delay) before r1 refreshed the route.
  const heard = lab.routeLog.rows({ node: 'r1', prefix: '10.13.4.4/32', event: 'invalid' })[0]!.t - seconds(15);
  assert.ok(heard >= lastUpdate && heard - lastUpdate < seconds(0.01), `last update sent at ${lastUpdate}, heard at ${heard}`);
  assert.equal(removed[0]!.t, heard + seconds(15));
  assert.doesNotMatch(lab.exec('r1', 'vtysh -c "show ip route"'), /10\.13\.4\.4\/32/);
  assert.match(lab.exec('r4', 'vtysh -c "show running-config"'), /^ passive-interface eth1$/m);
});

test('vtysh -c chains configure in one session; without "configure terminal" vtysh refuses the line; show running-config follows', () => {
  const lab = Lab.load(LAB);
  lab.runUntil(seconds(20));
  assert.doesNotMatch(lab.exec('r4', 'vtysh -c "show running-config"'), /passive-interface/);
  assert.equal(lab.exec('r4', 'vtysh -c "router rip"'), '% Unknown command: router rip');
  assert.equal(lab.exec('r4', 'vtysh -c "configure terminal" -c "router rip" -c "passive-interface eth1"'), '');
  const router = ripDaemonOf(lab.node('r4'))!.router!;
  assert.equal(router.interfaceStatus(lab.node('r4').iface('eth1')!.index).passive, true);
  // A mistyped line says so and leaves the rest of the session working; `do` runs an exec command.
  const out = lab.exec('r4', 'vtysh -c "conf t" -c "router rip" -c "bogus" -c "timers basic 5 x 10" -c "do show ip rip status"');
  const lines = out.split('\n');
  assert.equal(lines[0], '% Unknown command: bogus');
  assert.match(lines[1]!, /^% expected "timers basic <update> <timeout> <garbage>"/);
  assert.match(out, /Routing Protocol is "rip"/);
});

test('timers basic at 30 s restarts the update timer: next update in 10 s ± rip_update_jitter (8–12 s)', () => {
  const lab = Lab.load(LAB);
  lab.runUntil(seconds(30));
  lab.exec('r4', 'vtysh -c "configure terminal" -c "router rip" -c "timers basic 10 30 20"');
  const router = ripDaemonOf(lab.node('r4'))!.router!;
  // u = 10: jitter = trunc(x / 4) for x in [-10, 10], i.e. -2 … 2 s.
  assert.ok(router.nextUpdateAt >= seconds(38) && router.nextUpdateAt <= seconds(42), String(router.nextUpdateAt));
  assert.equal(router.profile.timers.invalid, seconds(30));
  assert.match(lab.exec('r4', 'vtysh -c "show running-config"'), /^ timers basic 10 30 20$/m);
});

test('no network: the interface stops running at once (rip_enable_apply → rip_if_down); network back: it runs again after the wake-up', () => {
  const lab = Lab.load(LAB);
  lab.runUntil(seconds(30));
  const eth1 = lab.node('r4').iface('eth1')!.index;
  lab.exec('r4', 'vtysh -c "configure terminal" -c "router rip" -c "no network 10.13.0.0/16" -c "network 10.13.34.0/24"');
  const router = ripDaemonOf(lab.node('r4'))!.router!;
  assert.deepEqual([router.interfaceStatus(eth1).enabled, router.interfaceStatus(eth1).running], [false, false]);
  assert.match(lab.exec('r4', 'vtysh -c "show running-config"'), /^ network 10\.13\.34\.0\/24$/m);
  lab.exec('r4', 'vtysh -c "configure terminal" -c "router rip" -c "network 10.13.0.0/16"');
  assert.equal(router.interfaceStatus(eth1).enabled, true);
  // FRR's interface wake-up is 1 s (rip_enable_apply: thread_add_timer(…, rip_interface_wakeup, ifp, 1)).
  lab.runUntil(seconds(31) + 1);
  assert.equal(router.interfaceStatus(eth1).running, true);
});

test('no router rip: the instance and its routes go at once; show ip rip says "% RIP instance not found"; router rip starts a new one', () => {
  const lab = Lab.load(LAB);
  lab.runUntil(seconds(30));
  assert.ok(lab.node('r4').fib.routes().some((r) => r.source === 'rip'));
  lab.exec('r4', 'vtysh -c "configure terminal" -c "no router rip"');
  assert.equal(lab.node('r4').fib.routes().filter((r) => r.source === 'rip').length, 0);
  assert.equal(lab.exec('r4', 'vtysh -c "show ip rip"'), '% RIP instance not found');
  assert.doesNotMatch(lab.exec('r4', 'vtysh -c "show running-config"'), /router rip/);
  lab.exec('r4', 'vtysh -c "configure terminal" -c "router rip" -c "network 10.13.0.0/16"');
  lab.runUntil(seconds(40));
  assert.ok(lab.node('r4').fib.routes().some((r) => r.source === 'rip'), 'the new instance learned routes again');
  assert.match(lab.exec('r4', 'vtysh -c "show running-config"'), /^router rip\n network 10\.13\.0\.0\/16\nexit$/m);
});

test('a --change and the vtysh chain the real lab runs for it (changeAsVtysh) leave the same running configuration', () => {
  const change = parseConfigChange('r4@30s: router rip; passive-interface eth1; timers basic 10 30 20');
  assert.ok(change.ok);
  assert.equal(changeAsVtysh(change.value), 'vtysh -c "configure terminal" -c "router rip" -c "passive-interface eth1" -c "timers basic 10 30 20"');
  const byChange = Lab.load(LAB, { changes: [change.value] });
  const byVtysh = Lab.load(LAB);
  byVtysh.exec('r4', changeAsVtysh(change.value), { at: seconds(30) });
  const shown = (lab: Lab) => lab.exec('r4', 'vtysh -c "show running-config"', { at: seconds(31) });
  assert.equal(shown(byChange), shown(byVtysh));
  assert.match(shown(byChange), /^ timers basic 10 30 20$/m);
});

test('IOS: conf t … end over several console commands, like a terminal; a change shows in show ip protocols', () => {
  const lab = Lab.load(join(__dirname, '..', '..', 'data', 'labs', 'anycast'));
  lab.runUntil(seconds(60));
  assert.equal(lab.exec('r1', 'configure terminal'), '');
  assert.equal(lab.exec('r1', 'router rip'), '');
  assert.equal(lab.exec('r1', 'passive-interface Ethernet0/0'), '');
  assert.equal(lab.exec('r1', 'bogus words'), "% Invalid input detected at '^' marker.");
  assert.equal(lab.exec('r1', 'end'), '');
  assert.match(lab.exec('r1', 'show ip protocols'), /Passive Interface\(s\):\n {4}Ethernet0\/0/);
});

test('--change is read and checked before the run: what is wrong, and where', () => {
  assert.deepEqual(parseConfigChange('r1@300s: router rip; passive-interface eth0'), { ok: true, value: { node: 'r1', at: seconds(300), lines: ['router rip', 'passive-interface eth0'] } });
  assert.equal(parseConfigChange('r1 300s router rip').ok, false);
  assert.throws(() => Lab.load(LAB, { changes: ['r9@30s: router rip'] }), /no node "r9"/);
  assert.throws(() => Lab.load(LAB, { changes: ['r4@30s: router rip; frobnicate eth1'] }), /"frobnicate eth1": % Unknown command: frobnicate eth1/);
  const cli = runCli(['routes', 'feature-passive', '--change', 'r4@30s router rip']);
  assert.equal(cli.code, 1);
  assert.match(cli.err, /--change: expected "<node>@<time>: <configuration lines>"/);
  // The sweep's parameter reads the same text, one change or a list.
  const p = PARAMETERS['change']!;
  assert.deepEqual(p.parse(['r1@300s: router rip; passive-interface eth0'], { baseDir: '.' }), { ok: true, value: ['r1@300s: router rip; passive-interface eth0'] });
  assert.equal(p.parse('r1: nothing', { baseDir: '.' }).ok, false);
});

test('run --script: the example drains r4 and shows r1 before and after, in one deterministic run', () => {
  const a = runCli(['run', 'feature-passive', '--script', SCRIPT]);
  assert.equal(a.code, 0, a.err);
  const sections = a.out.split(/^=== /m).filter((s) => s !== '');
  assert.match(sections[0]!, /^@30s r1: vtysh -c "show ip route"\n[\s\S]*R>\* 10\.13\.4\.4\/32 \[120\/2\] via 10\.13\.14\.4, eth2/);
  const at35 = sections.find((s) => s.startsWith('@35s r1:'))!;
  assert.match(at35, /R>\* 10\.13\.4\.4\/32/);
  const at60 = sections.find((s) => s.startsWith('@1m r1:'))!;
  assert.doesNotMatch(at60, /10\.13\.4\.4/);
  const at90 = sections.find((s) => s.startsWith('@1m30s r1:'))!;
  assert.match(at90, /R>\* 10\.13\.4\.4\/32 \[120\/2\] via 10\.13\.14\.4, eth2/);
  assert.equal(runCli(['run', 'feature-passive', '--script', SCRIPT]).out, a.out);
});

test('a bad script line: file:line and what was expected', () => {
  assert.throws(() => parseScript('@30s r1 show ip route\n30s r1 show\n', 's.txt'), /s\.txt:2: expected "@<time> <node> <command>"/);
  assert.throws(() => parseScript('@30s r1 a\n@10s r1 b\n', 's.txt'), /s\.txt:2: @10s goes back in time/);
  assert.throws(() => parseScript('@3 r1 a\n', 's.txt'), /s\.txt:1: expected a time such as 30s/);
  const dir = mkdtempSync(join(tmpdir(), 'live14-script-'));
  const file = join(dir, 'bad.script');
  writeFileSync(file, '@30s r1 vtysh -c "show ip route"\n@40s r7 vtysh -c "show ip rip"\n');
  const r = runCli(['run', 'feature-passive', '--script', file]);
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`${file.replace(/[.]/g, '\\.')}:2: no node "r7" in the lab`));
});

test('a change as a sweep parameter reaches the run: draining xenial1 by passive-interface at 60 s makes IOS r3 flush the anycast route 240 s after the last update it heard', () => {
  const setup = defaultSetup({ name: 'anycast', dir: join(__dirname, '..', '..', 'data', 'labs', 'anycast') });
  const change = PARAMETERS['change']!;
  const parsed = change.parse('xenial1@60s: router rip; passive-interface eth1', { baseDir: '.' });
  assert.ok(parsed.ok);
  change.apply(setup, parsed.value);
  const run = (s: typeof setup) => measureFailover({ ...failoverOptionsOf(s), at: seconds(300), until: seconds(330), seed: 1 });
  const drained = run(setup);
  // The last update r3 heard from xenial1's side came at most one update interval (30 s) before the
  // change; IOS flushes a route 240 s after its last update (timers basic 30 180 180 240, Cisco IOS
  // RIP command reference), so between 270 s and 300 s, before the halt.
  const flush = drained.baseline.problems.join(' ').match(/r3 flush 10\.128\.224\.2\/32 at ([\d.]+)s/);
  assert.ok(flush !== null, drained.baseline.problems.join('\n'));
  const at = Number(flush[1]);
  assert.ok(at >= 270 && at <= 300, String(at));
  assert.equal(drained.baseline.steady, false);
  // Without the change the routes are steady before the halt.
  assert.equal(run(defaultSetup(setup.lab)).baseline.steady, true);
});

test('show running-config after distance 110 and no offset-list: router rip and the access lists as real FRR 8.4.4 prints them', () => {
  // data/real/feature-redistribute/running-config.json: `anycast-lab real run feature-redistribute
  // --script data/labs/feature-redistribute/running-config.script` on FRR 8.4.4.
  const real = JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'real', 'feature-redistribute', 'running-config.json'), 'utf8')) as RealScriptRecord;
  const steps = loadScript(join(__dirname, '..', '..', 'data', 'labs', 'feature-redistribute', 'running-config.script'));
  const lab = Lab.load(join(__dirname, '..', '..', 'data', 'labs', 'feature-redistribute'));
  // From `router rip` to the end: the lines above it (the release, the machine's own hostname, an
  // interface block for lo) differ for reasons that are not the change's.
  const tail = (text: string) => text.slice(text.indexOf('\nrouter rip'));
  assert.equal(steps.length, real.steps.length);
  steps.forEach((step, i) => {
    const simulated = lab.exec(step.node, step.command, { at: step.at });
    const r = real.steps[i]!.output;
    if (/show running-config/.test(step.command)) assert.equal(tail(simulated), tail(r), step.command);
    else assert.equal(simulated, r, step.command);
  });
});

test('distance 100 at 30 s: r1 keeps distance 120 on r4\'s route until r4\'s next update arrives (ripd.c rip_rte_process: (old_dist != new_dist) && same)', () => {
  const lab = Lab.load(LAB);
  const capture = lab.capture('r1:eth2');
  lab.runUntil(seconds(30));
  lab.exec('r1', 'vtysh -c "configure terminal" -c "router rip" -c "distance 100"');
  const route = () => lab.node('r1').fib.get(ipv4('10.13.4.4'), 32)[0]!;
  assert.equal(route().distance, 120);
  lab.runUntil(seconds(40));
  assert.equal(route().distance, 100);
  const arrivals = capture.sorted().filter((f) => {
    const p = f.frame.payload as Ipv4Packet;
    return f.direction === 'in' && f.time > seconds(30) && p.src === ipv4('10.13.14.4') && isUdpDatagram(p.payload) && p.payload.dstPort === RIP_PORT;
  });
  const replaced = lab.routeLog.rows({ node: 'r1', prefix: '10.13.4.4/32', event: 'replace', from: seconds(30) });
  // Applied when r4's first update after the change is processed (the node's per-packet delay after it arrived).
  const delay = replaced[0]!.t - arrivals[0]!.time;
  assert.ok(delay >= 0 && delay < seconds(0.01), String(delay));
  assert.match(lab.exec('r1', 'vtysh -c "show ip route"'), /R>\* 10\.13\.4\.4\/32 \[100\/2\]/);
});

test('static routes and shutdown while running: ip route / no ip route change the FIB at once; shutdown drops the routes through the interface', () => {
  const lab = Lab.load(LAB);
  lab.runUntil(seconds(30));
  lab.exec('r1', 'vtysh -c "configure terminal" -c "ip route 10.99.0.0/16 blackhole"');
  assert.equal(lab.node('r1').fib.get(ipv4('10.99.0.0'), 16)[0]?.source, 'static');
  assert.match(lab.exec('r1', 'vtysh -c "show ip route"'), /^S>\* 10\.99\.0\.0\/16 \[1\/0\] unreachable \(blackhole\)/m);
  assert.equal(lab.exec('r1', 'vtysh -c "configure terminal" -c "no ip route 10.99.0.0/16 blackhole"'), '');
  assert.equal(lab.node('r1').fib.get(ipv4('10.99.0.0'), 16).length, 0);
  assert.equal(lab.exec('r1', 'vtysh -c "configure terminal" -c "no ip route 10.98.0.0/16 blackhole"'), '% Refusing to remove a non-existent route');
  lab.exec('r1', 'vtysh -c "configure terminal" -c "interface eth2" -c "shutdown"');
  assert.equal(lab.node('r1').iface('eth2')!.operational, false);
  assert.equal(lab.node('r1').fib.get(ipv4('10.13.4.4'), 32).length, 0);
  assert.match(lab.exec('r1', 'vtysh -c "show running-config"'), /^interface eth2\n ip address 10\.13\.14\.1\/24\n shutdown\nexit$/m);
});

/**
 * RIP in whole labs: the write-up's anycast lab (data/labs/anycast) converging in both profiles, its
 * traceroute and ping, the anycast take-over when a server dies, determinism, consoles, the CLI,
 * and the topology generators.
 *
 * Expected tables are derived by hand from the write-up's topology (§1.1, §2, §4.2):
 *
 *   xenial3 ─ 10.128.7 ─ r3 ─ 10.128.3 ─ r1 ─ 10.128.1 ─ r2 ─ 10.128.4 ─ r4 ─ 10.128.8 ─ xenial4
 *   xenial1 ─ 10.128.5 ─┘                                                └─ 10.128.6 ─ xenial2
 *   (xenial1 and xenial2 both announce 10.128.224.2/32 with ripd when do_anycast is set)
 *
 * IOS shows hops to the router that has the network connected (a neighbour's network = 1); FRR and
 * the RIP metric count one more (RFC 2453: connected = 1, each hop + 1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { minutes, seconds, type SimTime } from '../sim/time';
import { loadLab } from '../config/load';
import type { LabSpec } from '../config/spec';
import { Lab } from './lab';
import { ripConfigFromSpec } from './routing';
import { withRipProfile } from '../config/overrides';
import { chainLab, gridLab } from '../config/generators';
import { main } from '../cli/main';
import { ripDaemonOf } from '../net/rip-daemon';
import { RipPayload } from '../wire/rip';
import type { Ipv4Packet, UdpDatagram } from '../wire/types';

const LAB_DIR = join(__dirname, '..', '..', 'data', 'labs', 'anycast');

function anycastSpec(): LabSpec {
  return loadLab(LAB_DIR, { do_anycast: true });
}

/** node → prefix → [next hop, IOS hops]: by hand from the topology above. */
const EXPECTED: Record<string, Record<string, [string, number]>> = {
  r1: {
    '10.128.4.0/24': ['10.128.1.2', 1],
    '10.128.5.0/24': ['10.128.3.2', 1],
    '10.128.6.0/24': ['10.128.1.2', 2],
    '10.128.7.0/24': ['10.128.3.2', 1],
    '10.128.8.0/24': ['10.128.1.2', 2],
    '10.128.224.2/32': ['10.128.3.2', 2], // xenial1 is 2 routers away (r3, xenial1), xenial2 3
  },
  r2: {
    '10.128.3.0/24': ['10.128.1.1', 1],
    '10.128.5.0/24': ['10.128.1.1', 2],
    '10.128.6.0/24': ['10.128.4.2', 1],
    '10.128.7.0/24': ['10.128.1.1', 2],
    '10.128.8.0/24': ['10.128.4.2', 1],
    '10.128.224.2/32': ['10.128.4.2', 2],
  },
  r3: {
    '10.128.1.0/24': ['10.128.3.1', 1],
    '10.128.4.0/24': ['10.128.3.1', 2],
    '10.128.6.0/24': ['10.128.3.1', 3],
    '10.128.8.0/24': ['10.128.3.1', 3],
    '10.128.224.2/32': ['10.128.5.2', 1],
  },
  r4: {
    '10.128.1.0/24': ['10.128.4.1', 1],
    '10.128.3.0/24': ['10.128.4.1', 2],
    '10.128.5.0/24': ['10.128.4.1', 3],
    '10.128.7.0/24': ['10.128.4.1', 3],
    '10.128.224.2/32': ['10.128.6.2', 1],
  },
};

function ripTable(lab: Lab, node: string): Record<string, [string, number]> {
  const out: Record<string, [string, number]> = {};
  for (const r of lab.routes()) if (r.node === node && r.source === 'rip') out[r.prefix] = [r.nextHop!, r.metric];
  return out;
}

test('the write-up lab converges: every router reaches every network, IOS metrics as IOS shows them', () => {
  const lab = new Lab(anycastSpec());
  lab.runUntil(minutes(5));
  for (const [node, want] of Object.entries(EXPECTED)) assert.deepEqual(ripTable(lab, node), want, node);
  // The servers run ripd (FRR metric: one more than IOS would show).
  assert.deepEqual(ripTable(lab, 'xenial1')['10.128.8.0/24'], ['10.128.5.1', 5]);
  assert.deepEqual(ripTable(lab, 'xenial2')['10.128.7.0/24'], ['10.128.6.1', 5]);
  // Clients have no RIP: their static 10.128.0.0/16 does the job.
  assert.deepEqual(ripTable(lab, 'xenial3'), {});
});

test('the write-up lab converges with the FRR profile on every router: same next hops, RIP metrics', () => {
  const lab = new Lab(withRipProfile(anycastSpec(), 'frr'));
  lab.runUntil(minutes(5));
  for (const [node, want] of Object.entries(EXPECTED)) {
    const frr = Object.fromEntries(Object.entries(want).map(([p, [hop, hops]]) => [p, [hop, hops + 1]]));
    assert.deepEqual(ripTable(lab, node), frr, node);
  }
  assert.match(lab.exec('r3', 'show ip route'), /R {7}10\.128\.4\.0\/24 \[120\/3\] via 10\.128\.3\.1, /);
});

test("the write-up's traceroute from r3 and ping from xenial3 (ttl=63)", () => {
  const lab = Lab.load(LAB_DIR);
  lab.runUntil(minutes(2));
  const trace = lab.exec('r3', 'traceroute 10.128.4.2');
  const hops = trace.split('\n').filter((l) => /^ +\d+ /.test(l)).map((l) => l.trim().split(/\s+/)[1]);
  assert.deepEqual(hops, ['10.128.3.1', '10.128.1.2', '10.128.4.2']);
  assert.match(lab.exec('xenial3', 'ping -c1 10.128.5.2'), /64 bytes from 10\.128\.5\.2: icmp_seq=1 ttl=63 /);
});

test('same seed, same route log; another seed, other times', () => {
  const run = (seed: number) => {
    const lab = new Lab(anycastSpec(), { seed, failures: ['xenial1:halt@2m'] });
    lab.runUntil(minutes(8));
    return lab.routeLog.rows();
  };
  const a = run(3);
  assert.ok(a.length > 50);
  assert.deepEqual(run(3), a);
  assert.notDeepEqual(run(4), a);
});

test('anycast take-over with IOS routers: r3 holds the dead route down, flushes it 60 s after invalid, then routes to xenial2', () => {
  const halt = minutes(2) + seconds(14.5);
  const lab = new Lab(anycastSpec(), { failures: [`xenial1:halt@${halt / 1e6}s`] });
  lab.runUntil(halt + seconds(200));
  const ev = (event: 'invalid' | 'holddown' | 'flush') => lab.routeLog.first({ node: 'r3', prefix: '10.128.224.2/32', event, from: halt })!.t;
  const invalid = ev('invalid');
  // ripd sends every 23–37 s, so the last update came at most 37 s before the halt; invalid 180 s after it.
  assert.ok(invalid > halt + seconds(180 - 37) && invalid <= halt + seconds(180), `invalid at +${(invalid - halt) / 1e6}s`);
  assert.equal(ev('holddown'), invalid);
  // In hold-down r3 still forwards to the dead server and shows the route as possibly down.
  assert.match(lab.exec('r3', 'show ip route'), /R {7}10\.128\.224\.2\/32 is possibly down, routing via 10\.128\.5\.2, Ethernet0\/1/);
  lab.runUntil(halt + seconds(400));
  // flush and invalid both count from the last update: 240 − 180 = 60 s apart, exactly.
  assert.equal(ev('flush') - invalid, seconds(60));
  assert.equal(lab.routeLog.lost('r3', '10.128.224.2', halt), ev('flush'));
  // r1 got r3's poison (a triggered update) and dropped the route at once (onPoison 'remove').
  const r1Lost = lab.routeLog.lost('r1', '10.128.224.2/32', halt)!;
  assert.ok(r1Lost > invalid && r1Lost < invalid + seconds(1));
  // r3 learns xenial2's route from r1 at r1's first update after the flush: 4 hops.
  const back = lab.routeLog.gained('r3', '10.128.224.2/32', ev('flush'))!;
  assert.ok(back - ev('flush') <= seconds(30));
  assert.deepEqual(ripTable(lab, 'r3')['10.128.224.2/32'], ['10.128.3.1', 4]);
  // The outage as xenial3 sees it: the write-up measured about 230–245 s (§4.3.5).
  assert.ok(back - halt > seconds(180) && back - halt < seconds(300), `outage ${(back - halt) / 1e6}s`);
});

test('anycast take-over with FRR routers: timeout then the other path at once; garbage 120 s after the timeout when nothing replaces it', () => {
  const halt = minutes(2);
  const lab = new Lab(withRipProfile(anycastSpec(), 'frr'), { failures: [`xenial1:halt@${halt / 1e6}s`, 'xenial2:halt@2m'] });
  lab.runUntil(minutes(12));
  const invalid = lab.routeLog.first({ node: 'r3', prefix: '10.128.224.2/32', event: 'invalid' })!.t;
  const garbage = lab.routeLog.first({ node: 'r3', prefix: '10.128.224.2/32', event: 'garbage' })!.t;
  assert.equal(garbage - invalid, seconds(120), 'RFC 2453 3.8 / ripd: garbage-collection time');
  assert.equal(lab.routeLog.lost('r3', '10.128.224.2/32'), invalid, 'out of the FIB at the timeout');
  // Only xenial1 halts: r3 takes r1's offer of xenial2's route without any hold-down.
  const lab2 = new Lab(withRipProfile(anycastSpec(), 'frr'), { failures: [`xenial1:halt@${halt / 1e6}s`] });
  lab2.runUntil(minutes(8));
  const inv2 = lab2.routeLog.first({ node: 'r3', prefix: '10.128.224.2/32', event: 'invalid' })!.t;
  const back = lab2.routeLog.gained('r3', '10.128.224.2/32', inv2)!;
  assert.ok(back >= inv2 && back - inv2 <= seconds(37), `${(back - inv2) / 1e6}s after the timeout`);
  assert.equal(lab2.routeLog.first({ node: 'r3', prefix: '10.128.224.2/32', event: 'garbage' }), undefined);
});

test("`network lo:0` enables nothing; the anycast /32 is advertised because 10.128.0.0/16 covers lo's address", () => {
  const spec = anycastSpec();
  const x1 = spec.nodes.find((n) => n.name === 'xenial1')!;
  const config = ripConfigFromSpec(x1.rip!);
  assert.deepEqual(config.interfaceNames, ['lo:0', 'eth1']);
  const lab = new Lab(spec);
  lab.runUntil(minutes(1));
  const xenial1 = lab.node('xenial1');
  const lo = xenial1.iface('lo')!;
  const status = ripDaemonOf(xenial1)!.router!.interfaceStatus(lo.index);
  assert.ok(status.enabled, 'lo runs RIP through network 10.128.0.0/16');
  // Without the /16 network statement only eth1 runs RIP: nobody learns 10.128.224.2.
  const withoutNet: LabSpec = {
    ...spec,
    nodes: spec.nodes.map((n) => (n.rip === null || n.os !== 'linux' ? n : { ...n, rip: { ...n.rip, networks: n.rip.networks.filter((x) => x.kind === 'interface') } })),
  };
  const lab2 = new Lab(withoutNet);
  lab2.runUntil(minutes(2));
  assert.equal(ripTable(lab2, 'r3')['10.128.224.2/32'], undefined);
  assert.deepEqual(ripTable(lab2, 'r3')['10.128.4.0/24'], ['10.128.3.1', 2], 'the rest still works');
});

test('ripd stopped gracefully: its routes leave its own table at once, it falls silent, neighbours time it out', () => {
  const lab = new Lab(anycastSpec());
  lab.runUntil(minutes(2));
  const x1 = lab.node('xenial1');
  const ripd = x1.services.find((s) => s.name === 'ripd')!;
  const stopAt: SimTime = lab.now;
  ripd.stop(x1, true);
  assert.equal(lab.routes().filter((r) => r.node === 'xenial1' && r.source === 'rip').length, 0);
  const capture = lab.capture('vboxnet1');
  lab.runUntil(minutes(6));
  const fromX1 = capture.frames.filter((f) => (f.frame.payload as { src?: number }).src === 0x0a800502 && (f.frame.payload as { protocol?: number }).protocol === 17);
  assert.equal(fromX1.length, 0, 'no RIP from xenial1 after the stop (ripd rip_clean() sends nothing)');
  const invalid = lab.routeLog.first({ node: 'r3', prefix: '10.128.224.2/32', event: 'invalid', from: stopAt })!.t;
  assert.ok(invalid - stopAt > seconds(140) && invalid - stopAt <= seconds(180));
});

test('a lost link: routes through it go at once and come back after the link returns', () => {
  const lab = new Lab(anycastSpec(), { failures: ['r1:Ethernet0/0:link-down@2m', 'r1:Ethernet0/0:link-up@3m'] });
  lab.runUntil(minutes(2) + seconds(1));
  assert.equal(ripTable(lab, 'r1')['10.128.4.0/24'], undefined);
  assert.equal(lab.routeLog.lost('r1', '10.128.4.0/24', minutes(1)), minutes(2));
  lab.runUntil(minutes(4));
  assert.deepEqual(ripTable(lab, 'r1')['10.128.4.0/24'], ['10.128.1.2', 1]);
});

test('consoles: IOS show ip route / protocols / rip database, FRR vtysh show ip rip', () => {
  const lab = new Lab(anycastSpec());
  lab.runUntil(minutes(3));
  assert.match(lab.exec('r3', 'show ip route'), /\nR {7}10\.128\.4\.0\/24 \[120\/2\] via 10\.128\.3\.1, 00:00:\d\d, Ethernet0\/0\n/);
  const proto = lab.exec('r3', 'show ip protocols');
  assert.match(proto, /Invalid after 180 seconds, hold down 180, flushed after 240/);
  assert.match(proto, /Default version control: send version 2, receive version 2/);
  assert.match(proto, /Maximum path: 4/);
  assert.match(proto, / {4}10\.128\.5\.2 {11}120 {6}00:00:\d\d/);
  assert.match(lab.exec('r3', 'show ip rip database'), /10\.128\.224\.2\/32\n {4}\[1\] via 10\.128\.5\.2, 00:00:\d\d, Ethernet0\/1/);
  const rip = lab.exec('xenial1', 'vtysh -c "show ip rip"');
  assert.match(rip, /\nC\(i\) 10\.128\.224\.2\/32 {4}0\.0\.0\.0 {15}1 self {14}0$/m);
  assert.match(rip, /\nR\(n\) 10\.128\.7\.0\/24 {6}10\.128\.5\.1 {12}2 10\.128\.5\.1 {8}0 0[0-3]:\d\d\n/);
  assert.match(lab.exec('xenial1', 'vtysh -c "show ip route"'), /\nR>\* 10\.128\.7\.0\/24 \[120\/2\] via 10\.128\.5\.1, eth1, weight 1, \d\d:\d\d:\d\d\n/);
  assert.equal(lab.exec('xenial3', 'vtysh -c "show ip rip"'), 'Exiting: failed to connect to any daemons.');
});

test('`anycast-lab routes data/labs/anycast --at 5m --json` gives every router its RIP table', () => {
  let text = '';
  const code = main(['routes', LAB_DIR, '--at', '5m', '--json', '--anycast'], (s) => (text += s));
  assert.equal(code, 0);
  const rows = JSON.parse(text) as { node: string; prefix: string; source: string; nextHop: string | null; metric: number; atSeconds: number }[];
  for (const [node, want] of Object.entries(EXPECTED)) {
    const got = Object.fromEntries(rows.filter((r) => r.node === node && r.source === 'rip').map((r) => [r.prefix, [r.nextHop, r.metric]]));
    assert.deepEqual(got, want, node);
  }
  // The CLI's JSON says its unit: the tables' time in seconds.
  assert.ok(rows.every((r) => r.atSeconds === 300));
});

test('generators: a chain ends at RIP’s 15-hop horizon; a grid has equal-cost paths on IOS', () => {
  for (const flavour of ['frr', 'ios'] as const) {
    const lab = new Lab(chainLab(20, { flavour }));
    lab.runUntil(minutes(5));
    // Link k (10.0.k.0/24) is k − 1 routers past r1's own link 1: RIP metric k. 16 is unreachable.
    const r1 = ripTable(lab, 'r1');
    const links = Object.keys(r1).map((p) => Number(p.split('.')[2])).sort((a, b) => a - b);
    assert.deepEqual(links, Array.from({ length: 14 }, (_, i) => i + 2), flavour);
    assert.equal(r1['10.0.15.0/24']![1], flavour === 'frr' ? 15 : 14);
  }
  for (const [flavour, paths] of [
    ['ios', 2],
    ['frr', 1],
  ] as const) {
    const lab = new Lab(gridLab(3, 3, { flavour }));
    lab.runUntil(minutes(3));
    // r1-1 to the link between r2-2 and r3-2 (link 9): via r1-2 or via r2-1, both 3 routers away.
    const routes = lab.routes().filter((r) => r.node === 'r1-1' && r.prefix === '10.0.9.0/24');
    assert.equal(routes.length, paths, flavour);
  }
});

test('on the wire both dialects send a connected network with metric 1 (IOS adds its hop when it sends, FRR when it receives)', () => {
  const lab = new Lab(anycastSpec());
  lab.runUntil(minutes(2));
  const capture = lab.capture('vboxnet1');
  lab.runUntil(minutes(3));
  const updates = (src: string) =>
    capture.frames
      .map((f) => f.frame.payload as Ipv4Packet)
      .filter((ip) => ip.src === Number(src.split('.').reduce((a, b) => a * 256 + Number(b), 0)) && ip.protocol === 17 && (ip.payload as UdpDatagram).dstPort === 520)
      .map((ip) => ({ ip, rip: ((ip.payload as UdpDatagram).payload as RipPayload).toMessage() }))
      .filter((u) => u.rip.command === 2);
  const fromR3 = updates('10.128.5.1');
  assert.ok(fromR3.length >= 1);
  const last = fromR3[fromR3.length - 1]!;
  assert.equal(last.ip.dst, 0xe0000009, 'to 224.0.0.9');
  assert.equal(last.ip.ttl, 2, 'IOS sends RIP with TTL 2');
  // r3's table as IOS shows it: 10.128.1.0/24 [120/1], 10.128.4.0/24 [120/2], connected 3 and 7.
  // On the wire: shown metric + 1, connected 1. Not sent back to xenial1: 10.128.5.0/24 (the link
  // itself) and 10.128.224.2/32 (learned from xenial1 on this interface): split horizon.
  assert.deepEqual(
    last.rip.entries.map((e) => [e.address, e.mask >>> 0, e.metric]),
    [
      [0x0a800100, 0xffffff00, 2],
      [0x0a800300, 0xffffff00, 1],
      [0x0a800400, 0xffffff00, 3],
      [0x0a800600, 0xffffff00, 4],
      [0x0a800700, 0xffffff00, 1],
      [0x0a800800, 0xffffff00, 4],
    ],
  );
  const fromX1 = updates('10.128.5.2');
  const x1 = fromX1[fromX1.length - 1]!;
  assert.equal(x1.ip.ttl, 1, 'Linux multicast TTL 1');
  assert.deepEqual(x1.rip.entries.map((e) => [e.address, e.mask >>> 0, e.metric]), [[0x0a80e002, 0xffffffff, 1]], 'ripd: only its /32 (the connected 10.128.5.0/24 is split-horizoned)');
});

/**
 * IOS RIP features in a lab of three IOS routers (data/labs/ios-features):
 *
 *   h1 ─ 10.1.10 ─ ra ─ 10.1.1 ─ rb ─ 10.1.2 ─ rc ─ 10.1.20 ─ h2      (rc: Loopback0 172.16.0.1/32)
 *
 * Each expectation says which Cisco document (or RFC) it follows, and NOTE where the figure rests on
 * an inference the simulator makes (lib/proto/rip/policy.ts, input.ts); the tables are worked out by
 * hand from the configurations. IOS shows hops: a neighbour's connected network is [120/1] (it sends
 * it with metric 1 and adds one when it sends, params.ts fibMetric), a redistributed static leaves
 * ra with metric 1, so its neighbour shows [120/1] too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { minutes } from '../sim/time';
import { loadLab } from '../config/load';
import { parseIosConfig } from '../config/ios';
import { parseRipdConf } from '../config/frr';
import type { LabSpec, RipConfigSpec } from '../config/spec';
import { Lab } from './lab';
import { ripPolicyFromSpec } from './routing';
import { RipPayload } from '../wire/rip';
import type { Ipv4Packet, UdpDatagram } from '../wire/types';

const LAB_DIR = join(__dirname, '..', '..', 'data', 'labs', 'ios-features');
const ip = (text: string): number => text.split('.').reduce((a, b) => a * 256 + Number(b), 0);

function converged(spec: LabSpec = loadLab(LAB_DIR)): Lab {
  return new Lab(spec).runUntil(minutes(2));
}

/** The lab with one router's RIP configuration replaced by other IOS text. */
function withConfig(node: string, text: string): LabSpec {
  const spec = loadLab(LAB_DIR);
  spec.nodes.find((x) => x.name === node)!.rip = parseIosConfig(text, `${node}.cfg`).rip;
  return spec;
}

/** RIP responses one address sent, as (destination, message) pairs, from the frames of a capture. */
function responsesFrom(frames: readonly { frame: { payload: unknown } }[], src: string): { dst: number; version: number; entries: { address: number; metric: number }[] }[] {
  return frames
    .map((f) => f.frame.payload as Ipv4Packet)
    .filter((p) => p.src === ip(src) && p.protocol === 17 && (p.payload as UdpDatagram).dstPort === 520)
    .map((p) => ({ dst: p.dst, message: ((p.payload as UdpDatagram).payload as RipPayload).toMessage() }))
    .filter((x) => x.message.command === 2)
    .map((x) => ({ dst: x.dst, version: x.message.version, entries: x.message.entries.map((e) => ({ address: e.address, metric: e.metric })) }));
}

const RB_ROUTER_RIP = `hostname rb
interface Ethernet0/0
 ip address 10.1.1.2 255.255.255.0
interface Ethernet0/1
 ip address 10.1.2.1 255.255.255.0
router rip
 version 2
 network 10.0.0.0
 no auto-summary
`;

test('the lab loads from its IOS text into the spec structures FRR\'s reader produces', () => {
  const spec = loadLab(LAB_DIR);
  const node = (name: string) => spec.nodes.find((n) => n.name === name)!;
  const ra = node('ra');
  assert.deepEqual(ra.staticRoutes.map((r) => [r.prefix, r.prefixLength, r.via, r.device, r.blackhole]), [[ip('10.9.0.0'), 16, null, null, 'blackhole']]);
  assert.equal(ra.interfaces.find((i) => i.name === 'Ethernet0/2')!.up, false, 'shutdown');
  const rb = node('rb').rip!;
  // `distance 130 10.1.2.2 0.0.0.0`: the source 10.1.2.2 with wildcard 0.0.0.0 is the prefix 10.1.2.2/32.
  assert.deepEqual(rb.distanceSources!.map((d) => [d.prefix, d.prefixLength, d.distance, d.accessList]), [[ip('10.1.2.2'), 32, 130, null]]);
  assert.deepEqual(rb.offsetLists!.map((o) => [o.accessList, o.direction, o.offset, o.iface]), [['1', 'in', 3, 'Ethernet0/0']]);
  assert.equal(rb.allowEcmp?.maxPaths, 2);
  const rc = node('rc').rip!;
  assert.deepEqual(rc.interfaces.find((i) => i.name === 'Ethernet0/1')!.sendVersion!.value, [1, 2]);
  assert.equal(rc.interfaces.find((i) => i.name === 'Ethernet0/0')!.splitHorizon!.value, 'off');
});

test('IOS distance, offset-list and access lists give the policy ripd\'s text gives, with IOS\'s rules', () => {
  // The same settings in each CLI's words: IOS `distance N A.B.C.D wildcard`, ripd `distance N A.B.C.D/M`
  // (ripd/rip_cli.c); both read a standard numbered list the same way (lib/filter.c cisco lists).
  const ios = parseIosConfig('router rip\n network 10.0.0.0\n distance 130 10.1.2.0 0.0.0.255 1\n offset-list 1 in 3\naccess-list 1 permit 10.9.0.0 0.0.255.255\n', 'x/r.cfg').rip!;
  const frr = parseRipdConf('access-list 1 permit 10.9.0.0 0.0.255.255\nrouter rip\n distance 130 10.1.2.0/24 1\n offset-list 1 in 3\n', 'x/ripd.conf').rip!;
  const plain = (r: RipConfigSpec) => {
    const { rules, accessLists, ...rest } = ripPolicyFromSpec(r)!;
    return { rules, accessLists: [...accessLists], ...rest };
  };
  const { rules: iosRules, ...iosPolicy } = plain(ios);
  const { rules: frrRules, ...frrPolicy } = plain(frr);
  assert.deepEqual(iosPolicy, frrPolicy);
  assert.deepEqual([iosRules, frrRules], ['ios', undefined]);
});

test('ip route … Null0 discards, and `redistribute static` advertises it; offset-list in adds on top of the hop', () => {
  const lab = converged();
  // Cisco IOS IP Routing: Protocol-Independent Command Reference, `ip route`: a route to the null
  // interface discards; IOS shows an interface static as "is directly connected".
  assert.match(lab.exec('ra', 'show ip route'), /^S {7}10\.9\.0\.0\/16 is directly connected, Null0$/m);
  // rb: ra sends the static with metric 1 (RIP's default metric for redistributed routes), rb's
  // `offset-list 1 in 3 Ethernet0/0` adds 3 (list 1 permits 10.9.0.0/16; RIP command reference,
  // `offset-list`): 1 + 3 = 4 hops. NOTE: that IOS still counts the hop (ripd would give 3 here, its
  // offset replacing the interface's cost: ripd.c rip_rte_process) is inferred.
  assert.match(lab.exec('rb', 'show ip route'), /^R {7}10\.9\.0\.0\/16 \[120\/4\] via 10\.1\.1\.1, .*, Ethernet0\/0$/m);
  // rc: one more hop than rb (rb advertises its own metric).
  assert.match(lab.exec('rc', 'show ip route'), /^R {7}10\.9\.0\.0\/16 \[120\/5\] via 10\.1\.2\.1, .*, Ethernet0\/0$/m);
  // h1 → 10.9.1.1: the route leads into Null0 at ra, nothing comes back.
  assert.match(lab.exec('h1', 'ping -c1 -W1 10.9.1.1'), /1 packets transmitted, 0 received/);
});

test('shutdown: the interface is administratively down, its network neither connected nor advertised', () => {
  const lab = converged();
  // Cisco IOS Interface and Hardware Component Command Reference, `shutdown`: "disables all functions
  // on the specified interface"; `show ip interface brief` prints "administratively down".
  assert.match(lab.exec('ra', 'show ip interface brief'), /^Ethernet0\/2 +10\.1\.30\.1 +YES manual administratively down down$/m);
  assert.doesNotMatch(lab.exec('ra', 'show ip route'), /10\.1\.30\.0/);
  assert.doesNotMatch(lab.exec('rb', 'show ip route'), /10\.1\.30\.0/);
});

test('default-information originate: the other routers have RIP\'s candidate default towards ra', () => {
  const lab = converged();
  // Cisco "Configuring RIP", `default-information originate`: generates a default route into RIP;
  // IOS marks it "R*" (candidate default) and names its gateway as the gateway of last resort.
  assert.match(lab.exec('rb', 'show ip route'), /Gateway of last resort is 10\.1\.1\.1 to network 0\.0\.0\.0/);
  assert.match(lab.exec('rb', 'show ip route'), /^R\* {3}0\.0\.0\.0\/0 \[120\/1\] via 10\.1\.1\.1, .*, Ethernet0\/0$/m);
  assert.match(lab.exec('rc', 'show ip route'), /^R\* {3}0\.0\.0\.0\/0 \[120\/2\] via 10\.1\.2\.1, /m);
  assert.doesNotMatch(lab.exec('ra', 'show ip route'), /0\.0\.0\.0\/0/, 'the originator has no default of its own');
});

test('passive-interface: no updates sent there, updates received there; neighbor: unicast updates', () => {
  const lab = converged();
  const lan1 = lab.capture('lan1');
  const rbRc = lab.capture('rb-rc');
  lab.runUntil(minutes(4));
  // Cisco IOS in a Nutshell, `passive-interface`: "For RIP ... causes the specified interface to listen
  // for routing updates but prevents it from sending them."
  assert.equal(responsesFrom(lan1.frames, '10.1.10.1').length, 0, 'ra sends nothing on its passive Ethernet0/1');
  // Cisco "Configuring RIP", `neighbor`: "permits the point-to-point (nonbroadcast) exchange of routing
  // information. When it is used in combination with the passive-interface ... command, routing
  // information can be exchanged between a subset of routers": rb (passive by default on Ethernet0/1)
  // sends rc its updates by unicast only.
  const fromRb = responsesFrom(rbRc.frames, '10.1.2.1');
  assert.ok(fromRb.length >= 4, `rb sent ${fromRb.length} updates in 2 minutes (one per 25.5–30 s)`);
  assert.deepEqual([...new Set(fromRb.map((p) => p.dst))], [ip('10.1.2.2')], 'to rc, never to 224.0.0.9');
  // rb still hears rc on its passive interface: rc's networks, at `distance 130 10.1.2.2 0.0.0.0`.
  assert.match(lab.exec('rb', 'show ip route'), /^R {7}10\.1\.20\.0\/24 \[130\/1\] via 10\.1\.2\.2, .*, Ethernet0\/1$/m);
  assert.match(lab.exec('rb', 'show ip route'), /^R {7}172\.16\.0\.1 \[130\/1\] via 10\.1\.2\.2, /m);
  assert.match(lab.exec('rc', 'show ip route'), /^R {7}10\.1\.1\.0\/24 \[120\/1\] via 10\.1\.2\.1, .*, Ethernet0\/0$/m);
});

test('redistribute connected: rc advertises its loopback, which no network statement covers', () => {
  const lab = converged();
  // Cisco "Configuring RIP", redistribution: connected routes are advertised with the default metric
  // (1 here); rc shows its loopback as connected, ra hears it two hops away (via rb).
  assert.match(lab.exec('rc', 'show ip route'), /^C {7}172\.16\.0\.1 is directly connected, Loopback0$/m);
  assert.match(lab.exec('ra', 'show ip route'), /^R {7}172\.16\.0\.1 \[120\/2\] via 10\.1\.1\.2, /m);
});

test('ip rip send version 1 2: rc sends a RIP-1 broadcast and a RIP-2 multicast on h2\'s LAN', () => {
  const lab = converged();
  const lan2 = lab.capture('lan2');
  lab.runUntil(minutes(3));
  const sent = responsesFrom(lan2.frames, '10.1.20.1');
  // Cisco "Configuring RIP": `ip rip send version 1 2` "Configures an interface to send RIP Version 1
  // and Version 2 packets"; RIP-1 goes to the broadcast address, RIP-2 to 224.0.0.9 (RFC 2453 §4.5).
  assert.ok(sent.some((s) => s.version === 1 && s.dst === ip('10.1.20.255')), 'a RIP-1 broadcast');
  assert.ok(sent.some((s) => s.version === 2 && s.dst === ip('224.0.0.9')), 'a RIP-2 multicast');
});

test('ip rip receive version 1 on rb\'s Ethernet0/0: ra\'s RIP-2 updates are refused there', () => {
  const text = RB_ROUTER_RIP.replace(' ip address 10.1.1.2 255.255.255.0\n', ' ip address 10.1.1.2 255.255.255.0\n ip rip receive version 1\n');
  const lab = converged(withConfig('rb', text));
  // Cisco "Configuring RIP": `ip rip receive version 1` "Configures an interface to accept only RIP
  // Version 1 packets": nothing of ra's (version 2) is taken, rc's still is.
  const routes = lab.exec('rb', 'show ip route');
  assert.doesNotMatch(routes, /10\.1\.10\.0|10\.9\.0\.0/);
  assert.match(routes, /^R {7}10\.1\.20\.0 \[120\/1\] via 10\.1\.2\.2, /m);
  assert.match(lab.exec('rb', 'show ip protocols'), /^ {4}Ethernet0\/0 +2 +1 +$/m);
});

test('distance 255 from a source: its routes are not believed', () => {
  const text = RB_ROUTER_RIP.replace(' no auto-summary', ' distance 255 10.1.2.2 0.0.0.0\n no auto-summary');
  const lab = converged(withConfig('rb', text));
  // Cisco IOS in a Nutshell, `distance`: "Routes with a distance of 255 are not added to the route
  // table"; rb therefore does not advertise them either, and ra never hears of rc's networks. NOTE: IOS
  // is reported to show them "possibly down" (metric infinity) before they go; the simulator never
  // takes them (input.ts rte), which ends the same way.
  assert.doesNotMatch(lab.exec('rb', 'show ip route'), /10\.1\.20\.0|172\.16\.0\.1/);
  assert.doesNotMatch(lab.exec('ra', 'show ip route'), /10\.1\.20\.0|172\.16\.0\.1/);
  assert.match(lab.exec('rb', 'show ip route'), /^R {7}10\.1\.10\.0\/24 \[120\/1\] via 10\.1\.1\.1, /m);
});

test('distance with an access list applies only to the networks it permits; offset-list 0 out adds to what is sent', () => {
  const text = RB_ROUTER_RIP.replace(' no auto-summary', ' distance 100\n distance 200 10.1.2.0 0.0.0.255 5\n offset-list 0 out 2 Ethernet0/1\n no auto-summary\naccess-list 5 permit host 172.16.0.1');
  const lab = converged(withConfig('rb', text));
  const rb = lab.exec('rb', 'show ip route');
  // Cisco IOS in a Nutshell, `distance`: with an access list, "the administrative distance applies only
  // to routes that match the given access list": 172.16.0.1 at 200. NOTE: that the others get the
  // process's `distance 100` (ripd would give them 120: ripd.c rip_distance_apply) is inferred.
  assert.match(rb, /^R {7}172\.16\.0\.1 \[200\/1\] via 10\.1\.2\.2, /m);
  assert.match(rb, /^R {7}10\.1\.20\.0\/24 \[100\/1\] via 10\.1\.2\.2, /m);
  assert.match(rb, /^R {7}10\.1\.10\.0\/24 \[100\/1\] via 10\.1\.1\.1, /m);
  // RIP command reference, `offset-list`: list 0 is every route; rb adds 2 to all it sends out of
  // Ethernet0/1. On the wire: its connected 10.1.1.0/24 as 1 + 2 = 3, ra's 10.1.10.0/24 as 2 + 2 = 4;
  // rc shows what it received (hops, params.ts fibMetric): 3 and 4.
  assert.match(lab.exec('rc', 'show ip route'), /^R {7}10\.1\.1\.0\/24 \[120\/3\] via 10\.1\.2\.1, /m);
  assert.match(lab.exec('rc', 'show ip route'), /^R {7}10\.1\.10\.0\/24 \[120\/4\] via 10\.1\.2\.1, /m);
  const protocols = lab.exec('rb', 'show ip protocols');
  assert.match(protocols, /^ {2}Outgoing routes in Ethernet0\/1 will have 2 added to metric if on list 0$/m);
  assert.match(protocols, /^ {2}Distance: \(default is 100\)\n {4}Address +Wild mask +Distance +List\n {4}10\.1\.2\.0 +0\.0\.0\.255 +200 +5$/m);
});

test('show ip protocols reflects passive interfaces, maximum-paths, distances, offsets and redistribution', () => {
  const lab = converged();
  const rb = lab.exec('rb', 'show ip protocols');
  assert.match(rb, /^ {2}Incoming routes in Ethernet0\/0 will have 3 added to metric if on list 1$/m);
  // Passive interfaces are not in the interface table but listed under "Passive Interface(s)" (IOS
  // 12.4 layout, as the write-up's captures show the rest of this output).
  assert.match(rb, /^ {4}Interface +Send +Recv +Triggered RIP +Key-chain\n {4}Ethernet0\/0 +2 +2 +\n {2}Automatic/m);
  assert.match(rb, /^ {2}Passive Interface\(s\):\n {4}Ethernet0\/1$/m);
  // RIP command reference, `maximum-paths`: the configured number (IOS default 4).
  assert.match(rb, /^ {2}Maximum path: 2$/m);
  assert.match(rb, /^ {4}10\.1\.2\.2 +130 +\d\d:\d\d:\d\d$/m);
  assert.match(rb, /^ {4}10\.1\.2\.2 +0\.0\.0\.0 +130$/m);
  const rc = lab.exec('rc', 'show ip protocols');
  assert.match(rc, /^ {2}Redistributing: rip, connected$/m);
  assert.match(rc, /^ {4}Ethernet0\/1 +1 2 +2 +$/m);
  const ra = lab.exec('ra', 'show ip protocols');
  assert.match(ra, /^ {2}Redistributing: rip, static$/m);
  assert.match(ra, /^ {2}Maximum path: 4$/m);
});

test('show running-config prints the configuration as IOS keeps it', () => {
  const lab = converged();
  const rb = lab.exec('rb', 'show running-config');
  // Cisco IOS Configuration Fundamentals Command Reference, `show running-config`: IOS writes its
  // own state, keywords in full, defaults left out (lib/lab/consoles/ios-running-config.ts).
  assert.match(rb, /^Building configuration\.\.\.\n\nCurrent configuration : \d+ bytes\n!\nversion 12\.4\n!\nhostname rb\n/);
  assert.match(
    rb,
    /\nrouter rip\n version 2\n passive-interface default\n no passive-interface Ethernet0\/0\n offset-list 1 in 3 Ethernet0\/0\n network 10\.0\.0\.0\n neighbor 10\.1\.2\.2\n distance 130 10\.1\.2\.2 0\.0\.0\.0\n maximum-paths 2\n no auto-summary\n!\n/,
  );
  assert.match(rb, /\naccess-list 1 permit 10\.9\.0\.0 0\.0\.255\.255\n!\nend$/);
  const ra = lab.exec('ra', 'sh run');
  assert.match(ra, /\ninterface Ethernet0\/2\n ip address 10\.1\.30\.1 255\.255\.255\.0\n shutdown\n!\n/);
  assert.match(ra, /\nip route 10\.9\.0\.0 255\.255\.0\.0 Null0\n/);
  const rc = lab.exec('rc', 'show running-config');
  assert.match(rc, /\ninterface Ethernet0\/0\n ip address 10\.1\.2\.2 255\.255\.255\.0\n no ip split-horizon\n!\n/);
  assert.match(rc, /\ninterface Ethernet0\/1\n ip address 10\.1\.20\.1 255\.255\.255\.0\n ip rip send version 1 2\n!\n/);
  // The stated byte count is the text's.
  const [, count, body] = /Current configuration : (\d+) bytes\n([\s\S]*)$/.exec(rb)!;
  assert.equal(Number(count), body!.length + 1);
});

test('no ip split-horizon: rc sends rb back the routes it learned from rb; with split horizon it does not', () => {
  const routesTo = (spec: LabSpec): Set<number> => {
    const lab = converged(spec);
    const link = lab.capture('rb-rc');
    lab.runUntil(minutes(3));
    return new Set(responsesFrom(link.frames, '10.1.2.2').flatMap((m) => m.entries.map((e) => e.address)));
  };
  // Cisco "Configuring RIP", split horizon: on by default on Ethernet, it keeps a route out of updates
  // sent on the interface it was learned on; `no ip split-horizon` turns that off (RFC 2453 §3.4.3).
  const off = routesTo(loadLab(LAB_DIR));
  assert.ok(off.has(ip('10.1.1.0')) && off.has(ip('10.9.0.0')), 'rb\'s routes go back to rb');
  const text = readFileSync(join(LAB_DIR, 'rc.cfg'), 'utf8').replace(' no ip split-horizon\n', '');
  const on = routesTo(withConfig('rc', text));
  assert.ok(!on.has(ip('10.1.1.0')) && !on.has(ip('10.9.0.0')), 'split horizon keeps them out');
  assert.ok(on.has(ip('10.1.20.0')), 'rc\'s own networks still go');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIpv4, formatPrefix } from './addr';
import { normalizeIosInterfaceName, parseIosConfig } from './ios';
import { seconds } from '../sim/time';
import { errorOf } from './test-support';

/** r1 exactly as the write-up types it (§2), followed by its routing session (§2, "get routing going"). */
const R1 = `enable
conf t
interface Ethernet0/0
 ip address 10.128.1.1 255.255.255.0
 no shut
!
interface Ethernet0/1
 ip address 10.128.3.1 255.255.255.0
 no shut
!
^Z
wr
enable
conf t
router rip
version 2
network 10.128.0.0
no auto-summary
`;

const addrs = (i: { addresses: { address: number; prefixLength: number }[] }): string[] => i.addresses.map((a) => formatPrefix(a.address, a.prefixLength));

test("r1's session form from §2 parses: two interfaces up, RIP v2 on the classful 10.0.0.0", () => {
  const c = parseIosConfig(R1, 'anycast/r1.cfg');
  assert.equal(c.sessionForm, true);
  assert.deepEqual(
    c.interfaces.map((i) => [i.name, addrs(i), i.up, i.loopback]),
    [
      ['Ethernet0/0', ['10.128.1.1/24'], true, false],
      ['Ethernet0/1', ['10.128.3.1/24'], true, false],
    ],
  );
  assert.equal(c.interfaces[0]!.addresses[0]!.source.line, 4);
  assert.equal(c.ipForwarding, true);
  assert.equal(c.hostname, null); // the write-up's prompts say "Router#"
  const rip = c.rip!;
  assert.equal(rip.flavour, 'ios');
  assert.deepEqual(rip.source, { file: 'anycast/r1.cfg', line: 15 });
  assert.deepEqual(rip.version, { value: 2, source: { file: 'anycast/r1.cfg', line: 16 } });
  assert.equal(rip.networks.length, 1);
  const net = rip.networks[0]!;
  assert.ok(net.kind === 'prefix');
  assert.equal(formatPrefix(net.prefix, net.prefixLength), '10.0.0.0/8');
  assert.equal(net.written, '10.128.0.0');
  assert.deepEqual(rip.autoSummary, { value: false, source: { file: 'anycast/r1.cfg', line: 18 } });
  // IOS keeps RIP networks classful: the write-up's "network 10.128.0.0" is stored as 10.0.0.0.
  assert.deepEqual(
    c.findings.map((f) => [f.severity, f.source.line]),
    [['note', 17]],
  );
  assert.match(c.findings[0]!.message, /network 10\.0\.0\.0/);
});

test('a pasted session starts from factory state: an interface without "no shut" stays down', () => {
  const c = parseIosConfig('conf t\ninterface Ethernet0/0\n ip address 10.0.0.1 255.255.255.0\ninterface Loopback0\n ip address 1.1.1.1 255.255.255.255\n', 'x/r.cfg');
  assert.deepEqual(
    c.interfaces.map((i) => [i.name, i.up, i.loopback]),
    [
      ['Ethernet0/0', false, false],
      ['Loopback0', true, true],
    ],
  );
});

test('a startup-config: interfaces are up unless "shutdown"; hostname, static routes, no ip routing', () => {
  const text = `!
version 12.4
service timestamps debug datetime msec
hostname r9
!
ip domain name home
interface Ethernet0/0
 ip address 10.0.0.1 255.255.255.0
 ip address 10.0.1.1 255.255.255.0 secondary
 duplex auto
!
interface Ethernet0/1
 ip address 10.0.2.1 255.255.255.0
 shutdown
 mac-address cc09.0000.0001
!
ip route 0.0.0.0 0.0.0.0 10.0.0.254
ip route 192.168.0.0 255.255.0.0 Ethernet0/1
no ip routing
line con 0
 exec-timeout 0 0
 logging synchronous
end
`;
  const c = parseIosConfig(text, 'x/r9.cfg');
  assert.equal(c.sessionForm, false);
  assert.deepEqual(c.hostname, { value: 'r9', source: { file: 'x/r9.cfg', line: 4 } });
  assert.equal(c.domain?.value, 'home');
  assert.deepEqual(addrs(c.interfaces[0]!), ['10.0.0.1/24', '10.0.1.1/24']);
  assert.equal(c.interfaces[0]!.up, true);
  assert.equal(c.interfaces[1]!.up, false);
  assert.equal(c.interfaces[1]!.mac, 0xcc0900000001);
  assert.deepEqual(
    c.staticRoutes.map((r) => [formatPrefix(r.prefix, r.prefixLength), r.via === null ? null : formatIpv4(r.via), r.device, r.source.line]),
    [
      ['0.0.0.0/0', '10.0.0.254', null, 17],
      ['192.168.0.0/16', null, 'Ethernet0/1', 18],
    ],
  );
  assert.equal(c.ipForwarding, false);
  assert.equal(c.rip, null);
  assert.ok(c.findings.every((f) => f.severity === 'ignored'), JSON.stringify(c.findings));
  assert.deepEqual(
    c.findings.map((f) => f.source.line),
    [2, 3, 10, 20],
  );
});

test('IOS abbreviations and interface name forms are understood', () => {
  const c = parseIosConfig('conf t\nint e0/0\n ip add 10.1.1.1 255.255.255.0\n no shu\nint eth 0/1\n no sh\n', 'x/r.cfg');
  assert.deepEqual(
    c.interfaces.map((i) => i.name),
    ['Ethernet0/0', 'Ethernet0/1'],
  );
  assert.equal(c.interfaces[0]!.up, true);
  assert.equal(normalizeIosInterfaceName('fa1/0'), 'FastEthernet1/0');
  assert.equal(normalizeIosInterfaceName('Gi0/0/1'), 'GigabitEthernet0/0/1');
  assert.equal(normalizeIosInterfaceName('lo0'), 'Loopback0');
  assert.equal(normalizeIosInterfaceName('Ethernet0/0.10'), null);
  assert.equal(normalizeIosInterfaceName('eth1'), 'Ethernet1');
  assert.equal(normalizeIosInterfaceName('bogus0/0'), null);
});

test('every router rip subcommand keeps its value and its line', () => {
  const text = `router rip
 version 2
 network 10.0.0.0
 network 192.168.1.0
 timers basic 5 15 15 20
 passive-interface Ethernet0/1
 passive-interface default
 no passive-interface e0/0
 default-information originate
 redistribute connected metric 2
 redistribute static
 default-metric 3
 neighbor 10.0.0.2
 maximum-paths 2
 auto-summary
interface Ethernet0/0
 no ip split-horizon
`;
  const r = parseIosConfig(text, 'x/r.cfg').rip!;
  assert.deepEqual(
    r.networks.map((n) => (n.kind === 'prefix' ? formatPrefix(n.prefix, n.prefixLength) : n.name)),
    ['10.0.0.0/8', '192.168.1.0/24'],
  );
  assert.deepEqual(r.timers, { flavour: 'ios', update: seconds(5), invalid: seconds(15), holddown: seconds(15), flush: seconds(20), source: { file: 'x/r.cfg', line: 5 } });
  assert.deepEqual(r.passiveInterfaces.map((p) => p.value), ['Ethernet0/1']);
  assert.equal(r.passiveDefault?.line, 7);
  assert.deepEqual(r.nonPassiveInterfaces.map((p) => p.value), ['Ethernet0/0']);
  assert.equal(r.defaultInformationOriginate?.line, 9);
  assert.deepEqual(r.redistribute.map((x) => [x.protocol, x.metric, x.source.line]), [
    ['connected', 2, 10],
    ['static', null, 11],
  ]);
  assert.equal(r.defaultMetric?.value, 3);
  assert.deepEqual(r.neighbors.map((n) => formatIpv4(n.value)), ['10.0.0.2']);
  assert.deepEqual(r.allowEcmp, { maxPaths: 2, source: { file: 'x/r.cfg', line: 14 } });
  assert.equal(r.autoSummary?.value, true);
  assert.deepEqual(r.interfaces.map((i) => [i.name, i.splitHorizon?.value, i.source.line]), [['Ethernet0/0', 'off', 17]]);
});

test('the write-up\'s own error: "ip address" without a netmask names file, line and what was expected', () => {
  const e = errorOf(() => parseIosConfig(R1.replace(' ip address 10.128.1.1 255.255.255.0', ' ip address 10.128.1.1'), 'anycast/r1.cfg'));
  assert.equal(e.file, 'anycast/r1.cfg');
  assert.equal(e.line, 4);
  assert.equal(e.message, 'anycast/r1.cfg:4: expected "ip address <address> <netmask>", got "ip address 10.128.1.1"');
});

test('bad IOS text: every error of the file is reported, each with its line', () => {
  const text = `interface Ethernet0/0
 ip address 10.128.1.300 255.255.255.0
 ip address 10.128.1.1 255.0.255.0
interface Ethernet0/1
 ip address 10.128.1.0 255.255.255.0
interface Ethernet0/2
 ip address 10.128.3.1 255.255.255.0
interface Ethernet0/3
 ip address 10.128.3.9 255.255.0.0
interface Bogus9
router rip
 version 3
 network 224.0.0.0
 timers basic 30 180
 default-metric x
ip route 10.1.1.0 255.255.0.0 10.0.0.1
hostname 1bad
`;
  const e = errorOf(() => parseIosConfig(text, 'lab/r.cfg'));
  assert.deepEqual(
    e.problems.map((p) => p.line),
    [2, 3, 5, 9, 10, 12, 13, 14, 15, 16, 17],
  );
  assert.ok(e.problems.every((p) => p.file === 'lab/r.cfg'));
  assert.match(e.problems[0]!.message, /expected an IPv4 address such as 10\.128\.1\.1, got "10\.128\.1\.300"/);
  assert.match(e.problems[1]!.message, /contiguous netmask/);
  assert.match(e.problems[2]!.message, /bad mask \/24 for address 10\.128\.1\.0/);
  assert.match(e.problems[3]!.message, /overlaps with Ethernet0\/2/);
  assert.match(e.problems[6]!.message, /not in a class A, B or C network/);
  assert.match(e.problems[9]!.message, /Inconsistent address and mask/);
  assert.ok(!e.message.includes('    at '), 'no stack trace in the message');
});

test('a configuration command typed in exec mode is an error, as IOS would reject it', () => {
  const e = errorOf(() => parseIosConfig('enable\ninterface Ethernet0/0\n', 'x/r.cfg'));
  assert.equal(e.line, 2);
  assert.match(e.message, /expected "configure terminal" before it/);
});

test('unsupported and ignored IOS lines are findings with their line numbers', () => {
  const text = `interface Ethernet0/0
 ip address 10.0.0.1 255.255.255.0
 no ip unreachables
router ospf 1
 network 10.0.0.0 0.255.255.255 area 0
banner motd ^C
Authorised
 users only ^C
crypto key generate rsa
interface Ethernet0/1
 ip address 10.0.1.1 255.255.255.0
`;
  const c = parseIosConfig(text, 'x/r.cfg');
  assert.deepEqual(
    c.findings.map((f) => [f.severity, f.source.line]),
    [
      ['unsupported', 3],
      ['unsupported', 4],
      ['ignored', 6],
      ['unsupported', 9],
    ],
  );
  // The OSPF network line is part of the OSPF block (no finding of its own), and the banner text is not read as commands.
  assert.deepEqual(
    c.interfaces.map((i) => addrs(i)),
    [['10.0.0.1/24'], ['10.0.1.1/24']],
  );
});

test('IOS RIP policy commands with wrong arguments are errors naming the line and what IOS takes', () => {
  const text = `interface Ethernet0/0
 ip address 10.0.0.1 255.255.255.0
 ip rip send version 3
router rip
 distance 300
 distance 90 10.0.0.2
 offset-list 1 sideways 2
 offset-list 1 in 17
ip route 10.9.0.0 255.255.0.0 Null0 10.0.0.2
access-list 1 allow 10.0.0.0
ip route 10.8.0.0 255.255.0.0 10.0.0.2 256
`;
  const e = errorOf(() => parseIosConfig(text, 'x/r.cfg'));
  assert.deepEqual(
    e.problems.map((p) => p.line),
    [3, 5, 6, 7, 8, 9, 10, 11],
  );
  assert.match(e.problems[0]!.message, /expected "ip rip send version 1", "version 2" or "version 1 2"/);
  assert.match(e.problems[1]!.message, /expected "distance <1-255> \[<source address> <wildcard> \[<access-list>\]\]"/);
  assert.match(e.problems[3]!.message, /expected "offset-list <access-list> in\|out <0-16> \[<interface>\]"/);
  assert.match(e.problems[5]!.message, /a route to Null0 takes no next hop/);
  assert.match(e.problems[6]!.message, /expected "access-list 1 permit\|deny <address> \[<wildcard>\]"/);
  assert.match(e.problems[7]!.message, /the distance must be 1-255, got 256/);
});

test('IOS distance, offset-list, access lists and per-interface versions are read as IOS stores them', () => {
  const text = `interface e0/0
 ip address 10.0.0.1 255.255.255.0
 ip rip send version 1 2
 ip rip receive version 2
interface e0/1
 ip address 10.0.1.1 255.255.255.0
 ip rip send version 2
 no ip rip send version
router rip
 network 10.0.0.0
 distance 100
 dista 130 10.0.0.7 0.0.0.255 2
 no distance 100
 offset-list 0 out 1
 offset-list 2 in 4 e0/0
 offset-list 9 in 1
 distance 140 10.0.0.0 0.0.255.0
 offset-list 3 in 5
 passive-interface e0/1
 no passive-interface e0/1
ip route 10.9.0.0 255.255.0.0 Null0
ip route 10.8.0.0 255.255.0.0 10.0.0.2 200
ip route 10.7.0.0 255.255.0.0 10.0.0.2 name backup
access-list 2 permit 10.1.1.1 0.0.0.255
access-list 2 deny any
access-list 2 remark ignored
access-list 101 permit ip any any
access-list 4 permit host 10.5.5.5
`;
  const c = parseIosConfig(text, 'x/r.cfg');
  const rip = c.rip!;
  // `no distance 100` takes the default back; the source's address loses the wildcard's bits, as IOS shows it.
  assert.equal(rip.distance, undefined);
  assert.deepEqual(rip.distanceSources!.map((d) => [d.distance, formatPrefix(d.prefix, d.prefixLength), d.accessList]), [[130, '10.0.0.0/24', '2']]);
  // A second `offset-list … in` without an interface replaces the first (NOTE in ios-policy.ts).
  assert.deepEqual(rip.offsetLists!.map((o) => [o.accessList, o.direction, o.offset, o.iface]), [['0', 'out', 1, null], ['2', 'in', 4, 'Ethernet0/0'], ['3', 'in', 5, null]]);
  assert.deepEqual(rip.accessLists!.map((e) => [e.name, e.action, e.style === 'cisco' ? `${formatIpv4(e.address)} ${formatIpv4(e.wildcard)}` : '']), [
    ['2', 'permit', '10.1.1.0 0.0.0.255'],
    ['2', 'deny', '0.0.0.0 255.255.255.255'],
    ['4', 'permit', '10.5.5.5 0.0.0.0'],
  ]);
  const e0 = rip.interfaces.find((i) => i.name === 'Ethernet0/0')!;
  assert.deepEqual([e0.sendVersion?.value, e0.receiveVersion?.value], [[1, 2], [2]]);
  assert.equal(rip.interfaces.find((i) => i.name === 'Ethernet0/1')?.sendVersion, undefined, '"no ip rip send version" takes it back');
  // Cisco, `passive-interface`: the `no` form sends updates again; without a passive default, nothing is left.
  assert.deepEqual([rip.passiveInterfaces.length, rip.nonPassiveInterfaces.length], [0, 0]);
  assert.deepEqual(c.staticRoutes.map((r) => [formatPrefix(r.prefix, r.prefixLength), r.blackhole ?? null, r.distance ?? null]), [
    ['10.9.0.0/16', 'blackhole', null],
    ['10.8.0.0/16', null, 200],
    ['10.7.0.0/16', null, null],
  ]);
  // Every line the simulator does not model, with its line and why: the route's name, the extended
  // list, the non-contiguous wildcard; the replaced offset list and the undefined list 3 are notes
  // (list 9, replaced, is named by no line that is kept).
  const listed = c.findings.filter((f) => f.severity !== 'ignored').map((f) => [f.severity, f.source.line, f.message]);
  assert.deepEqual(listed.map(([s, l]) => [s, l]), [['unsupported', 17], ['note', 18], ['unsupported', 23], ['unsupported', 27], ['note', 18]]);
  assert.match(String(listed[0]![2]), /wildcard 0\.0\.255\.0 is not contiguous/);
  assert.match(String(listed[1]![2]), /replaces the offset-list in of line 16/);
  assert.match(String(listed[2]![2]), /"name backup" \(name, tag, permanent\) is not modelled/);
  assert.match(String(listed[3]![2]), /extended access lists are not modelled/);
  assert.match(String(listed[4]![2]), /access list 3 is not defined: read as permitting every route/);
});

test('a named access list is an unsupported finding and its lines are skipped; a list it names is noted', () => {
  const text = `ip access-list standard FOO
 permit 10.0.0.0 0.255.255.255
router rip
 network 10.0.0.0
 offset-list FOO out 2
`;
  const c = parseIosConfig(text, 'x/r.cfg');
  assert.deepEqual(c.findings.map((f) => [f.severity, f.source.line]), [['unsupported', 1], ['note', 5]]);
  assert.match(c.findings[0]!.message, /named access lists are not modelled/);
  assert.equal(c.rip!.accessLists, undefined);
});

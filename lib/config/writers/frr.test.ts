import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadLab } from '../load';
import { seconds } from '../../sim/time';
import { tempLab } from '../test-support';
import type { LabSpec } from '../spec';
import { ripSpeakers, writeFrr, type FrrConfigFiles } from './frr';
import { WriterError } from './common';
import { frrMissing, frrRejects } from './test-support';

const ANYCAST = join(__dirname, '..', '..', '..', 'data', 'labs', 'anycast');

/** An IOS router using every RIP command the writer translates. */
const RICH_TOPOLOGY = `name: rich
topology:
  nodes:
    gw: { kind: cisco_iol, startup-config: gw.cfg }
`;
const RICH_IOS = `hostname gw
interface Ethernet0/0
 ip address 10.1.0.1 255.255.255.0
 no ip split-horizon
interface Ethernet0/1
 ip address 192.168.7.1 255.255.255.0
 shutdown
interface Ethernet0/2
 ip address 172.16.0.1 255.255.0.0
ip route 10.9.0.0 255.255.0.0 10.1.0.2
router rip
 network 10.0.0.0
 network 192.168.7.0
 neighbor 10.1.0.2
 passive-interface Ethernet0/1
 redistribute static metric 3
 redistribute connected
 default-metric 2
 default-information originate
 maximum-paths 2
 timers basic 30 180 180 240
`;

function withRich<T>(f: (spec: LabSpec) => T): T {
  const lab = tempLab({ 'topology.clab.yml': RICH_TOPOLOGY, 'gw.cfg': RICH_IOS }, 'rich');
  try {
    return f(loadLab(lab.dir));
  } finally {
    lab.done();
  }
}

const messages = (r: FrrConfigFiles): string[] => r.findings.map((f) => `${f.source.file}:${f.source.line}: ${f.severity}: ${f.message}`);

test("r1 as an FRR router: its two addresses and §2's RIP session, the classful network as 10.0.0.0/8", () => {
  const r = writeFrr(loadLab(ANYCAST), 'r1');
  assert.equal(
    r.zebraConf,
    `! zebra.conf for r1 of lab anycast, written by anycast-lab from anycast/r1.cfg
!
hostname r1
ip forwarding
!
interface eth0-0
 ip address 10.128.1.1/24
!
interface eth0-1
 ip address 10.128.3.1/24
!
`,
  );
  assert.equal(
    r.ripdConf,
    `! ripd.conf for r1 of lab anycast, written by anycast-lab from anycast/r1.cfg
!
hostname r1
!
router rip
 version 2
 network 10.0.0.0/8
!
`,
  );
  assert.equal(r.staticdConf, null);
  assert.match(r.daemons, /^ripd=yes$/m);
  assert.match(r.daemons, /^bgpd=no$/m);
  // r1.cfg lines 15–18: router rip, version 2, network 10.128.0.0, no auto-summary (write-up §2).
  assert.deepEqual(messages(r), [
    'anycast/r1.cfg:17: note: "network 10.128.0.0" is classful on IOS: written as "network 10.0.0.0/8"',
    'anycast/r1.cfg:15: unsupported: IOS shares load over up to 4 equal-cost RIP paths by default; FRR keeps 1 unless "allow-ecmp"',
    "anycast/r1.cfg:15: unsupported: IOS default timers (update 30, invalid 180, hold-down 180, flush 240 s) become FRR's (update 30, timeout 180, garbage 120 s): no hold-down, and a lost route is flushed 300 s after its last update instead of 240 s",
  ]);
});

test('xenial1 with do_anycast: the anycast address on lo with its lo:0 label, and §4.2 ripd.conf as written', () => {
  const r = writeFrr(loadLab(ANYCAST, { do_anycast: true }), 'xenial1');
  // setup.xenial1.sh: ifconfig eth1 10.128.5.2/24 (line 4), ifconfig lo:0 10.128.224.2/32 (line 25).
  assert.match(r.zebraConf, /^interface eth1\n ip address 10\.128\.5\.2\/24\n!\ninterface lo\n ip address 10\.128\.224\.2\/32 label lo:0\n!$/m);
  assert.ok(!r.zebraConf.includes('127.0.0.1'), 'the kernel gives lo 127.0.0.1/8; zebra.conf need not');
  assert.match(r.ripdConf, /^router rip\n version 2\n network 10\.128\.0\.0\/16\n network lo:0\n network eth1\n!$/m);
  // The route the script adds (`route add -net 10.128.0.0/16 gw 10.128.5.1`, line 5) is the host's, not FRR's.
  assert.equal(r.staticdConf, null);
  assert.deepEqual(messages(r), ['anycast/setup.xenial1.sh:53: note: "network lo:0": an alias label is no kernel interface, so ripd enables nothing by it (FRR and the simulator alike)']);
});

test('the RIP speakers: the four routers, and the two servers only with do_anycast', () => {
  assert.deepEqual(ripSpeakers(loadLab(ANYCAST)).map((n) => n.name), ['r1', 'r2', 'r3', 'r4']);
  assert.deepEqual(ripSpeakers(loadLab(ANYCAST, { do_anycast: true })).map((n) => n.name), ['r1', 'r2', 'r3', 'r4', 'xenial1', 'xenial2']);
});

test('every IOS RIP command that translates, and what does not: hold-down, auto-summary, v1 default, maximum-paths', () => {
  const r = withRich((spec) => writeFrr(spec, 'gw'));
  assert.equal(
    r.ripdConf.split('\n').slice(2).join('\n'),
    `hostname gw
!
router rip
 network 10.0.0.0/8
 network 192.168.7.0/24
 neighbor 10.1.0.2
 passive-interface eth0-1
 redistribute static metric 3
 redistribute connected
 default-metric 2
 default-information originate
 allow-ecmp
 timers basic 30 180 60
!
interface eth0-0
 no ip rip split-horizon
!
`,
  );
  assert.match(r.zebraConf, /^interface eth0-1\n ip address 192\.168\.7\.1\/24\n shutdown\n!$/m);
  assert.equal(r.staticdConf?.split('\n').slice(2).join('\n'), 'hostname gw\n!\nip route 10.9.0.0/16 10.1.0.2\n');
  const m = messages(r).map((x) => x.replace(/^rich\/gw\.cfg:\d+: /, ''));
  assert.deepEqual(m, [
    'unsupported: router rip without "version": IOS sends v1 and accepts v1 and v2; FRR sends v2 and accepts v1 and v2',
    'note: "network 10.0.0.0" is classful on IOS: written as "network 10.0.0.0/8"',
    'note: "network 192.168.7.0" is classful on IOS: written as "network 192.168.7.0/24"',
    'unsupported: at most 2 equal-cost paths: FRR 8.4\'s "allow-ecmp" takes no number and uses up to 16',
    // flush 240 − invalid 180 = FRR garbage 60 (the IOS command reference's timers, RIP_PROFILES).
    'unsupported: IOS hold-down 180 s: FRR has no hold-down; flush 240 s after the last update is FRR\'s garbage 60 s after the timeout',
    'unsupported: IOS auto-summary (on by default): FRR has none and advertises every subnet',
  ]);
});

test("the driver's options: Linux interface names, real-time timers, a log file per daemon", () => {
  const spec = loadLab(ANYCAST);
  const r = writeFrr(spec, 'r3', {
    interfaceNames: { 'r3:Ethernet0/0': 'r3-r1', 'r3:Ethernet0/1': 'r3-vbox1' },
    timers: { update: seconds(5), timeout: seconds(15), garbage: seconds(10) },
    logFile: (d) => `/run/lab/r3/${d}.log`,
  });
  assert.match(r.zebraConf, /^hostname r3\nlog file \/run\/lab\/r3\/zebra\.log\n/m);
  assert.match(r.zebraConf, /^interface r3-r1\n ip address 10\.128\.3\.2\/24\n!\ninterface r3-vbox1\n ip address 10\.128\.5\.1\/24\n!\ninterface eth0-2\n/m);
  assert.match(r.ripdConf, /^log file \/run\/lab\/r3\/ripd\.log$/m);
  assert.match(r.ripdConf, /^ timers basic 5 15 10$/m);
  const fn = writeFrr(spec, 'r3', { interfaceNames: (node, iface) => `${node}-${iface.replace(/\D/g, '')}` });
  assert.match(fn.zebraConf, /^interface r3-00\n/m);
});

test('bad requests name the option or the node', () => {
  const spec = loadLab(ANYCAST);
  assert.throws(() => writeFrr(spec, 'r1', { timers: { update: seconds(2), timeout: seconds(15), garbage: seconds(10) } }), (e) => e instanceof WriterError && /^timers\.update: FRR takes whole seconds from 5 to 2147483647, got 2 s$/.test(e.message));
  assert.throws(() => writeFrr(spec, 'r1', { interfaceNames: { 'r1:Ethernet0/0': 'a-name-longer-than-15' } }), (e) => e instanceof WriterError && e.message.startsWith('interfaceNames: r1:Ethernet0/0 is named "a-name-longer-than-15"'));
  assert.throws(() => writeFrr(spec, 'xenial3'), (e) => e instanceof WriterError && e.message === 'xenial3 is not a RIP speaker (a RIP speaker: r1, r2, r3, r4)');
  assert.throws(() => writeFrr(spec, 'r9'), (e) => e instanceof WriterError && e.message === 'lab anycast has no node "r9" (a RIP speaker: r1, r2, r3, r4)');
});

test("FRR 8.4's own daemons accept every file written for the lab and for every translated IOS command", { skip: frrMissing() }, () => {
  const all: [string, FrrConfigFiles][] = [];
  const anycast = loadLab(ANYCAST, { do_anycast: true });
  for (const n of ripSpeakers(anycast)) all.push([n.name, writeFrr(anycast, n.name, { timers: { update: seconds(5), timeout: seconds(15), garbage: seconds(10) } })]);
  all.push(['gw', withRich((spec) => writeFrr(spec, 'gw'))]);
  for (const [name, r] of all) {
    assert.deepEqual(frrRejects('zebra', r.zebraConf), [], `${name} zebra.conf`);
    assert.deepEqual(frrRejects('ripd', r.ripdConf), [], `${name} ripd.conf`);
    if (r.staticdConf !== null) assert.deepEqual(frrRejects('staticd', r.staticdConf), [], `${name} staticd.conf`);
  }
  // The check can fail: a line FRR 8.4 does not have is reported with its line number.
  assert.equal(frrRejects('ripd', 'router rip\n allow-ecmp 4\n').length, 1);
});

test('frr-statics: the written staticd.conf and ripd.conf keep blackhole, reject, Null0, distances, access lists and offset-lists, and real FRR 8.4 accepts them', { skip: frrMissing() }, () => {
  const spec = loadLab(join(__dirname, '..', '..', '..', 'data', 'labs', 'frr-statics'));
  const ra = writeFrr(spec, 'ra');
  const staticd = ra.staticdConf!;
  for (const line of ['ip route 10.8.0.0/16 blackhole', 'ip route 10.7.0.0/16 blackhole', 'ip route 10.6.0.0/16 reject', 'ip route 10.4.0.0/16 10.0.0.2 200', 'ip route 10.15.0.0/16 eth1']) {
    assert.ok(staticd.split('\n').includes(line), `staticd.conf has "${line}":\n${staticd}`);
  }
  for (const line of [' redistribute kernel metric 3', ' distance 100 10.0.0.2/32 ACL1', ' offset-list OFF in 3 eth1', ' offset-list OUT out 4', 'access-list ACL1 permit 10.12.0.0/16']) {
    assert.ok(ra.ripdConf.split('\n').includes(line), `ripd.conf has "${line}":\n${ra.ripdConf}`);
  }
  assert.deepEqual(frrRejects('staticd', staticd), []);
  assert.deepEqual(frrRejects('ripd', ra.ripdConf), []);
});

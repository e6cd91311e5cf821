/**
 * The real lab's parts that need no root: what `up` plans for the write-up's lab, the readers of
 * ping and dig output, failure and state-file checks. The lab itself is tested in real.test.ts.
 *
 * Expected figures: the topology file data/labs/anycast/topology.clab.yml (8 nodes, 4 LANs
 * vboxnet1–4 with two ports each, 3 router-to-router cables; r3's MACs from the write-up's §3.3
 * capture), the README's address table, the setup scripts (xenial3's resolv.conf, §3.2), and the
 * output formats of iputils 20221126 and dig 9.18.49 as they printed on this machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLab } from '../config/load';
import { seconds, ms } from '../sim/time';
import { planLab } from './plan';
import { parsePingOutput, parseDigOutput } from './probes';
import { parseRealFailure } from './failures';
import { frrTimers } from './daemons';
import { readState, runDirFor, runDirName } from './state';
import { runCli } from '../cli/main';
import { agreementRow, compareRoutes, readRealRecord, realDataPath } from './compare';
import type { RealFailoverRecord } from './failover';
import type { RouteRow } from '../results/rows';

const LAB = join(__dirname, '..', '..', 'data', 'labs', 'anycast');

test('plan: a namespace per node and per LAN, a veth per cable and per LAN port, nothing in the root namespace', () => {
  const plan = planLab(loadLab(LAB, { do_anycast: true }), 'al000001-');
  assert.deepEqual(plan.namespaces.filter((n) => n.role === 'node').map((n) => n.name), ['r1', 'r2', 'r3', 'r4', 'xenial1', 'xenial2', 'xenial3', 'xenial4'].map((n) => `al000001-${n}`));
  assert.deepEqual(plan.namespaces.filter((n) => n.role === 'lan').map((n) => n.for), ['vboxnet1', 'vboxnet2', 'vboxnet3', 'vboxnet4']);
  // 3 cables between routers + 4 LANs × 2 ports.
  assert.equal(plan.veths.length, 11);
  for (const v of plan.veths) for (const end of [v.a, v.b]) assert.ok(end.ns.startsWith('al000001-'), `${end.ifname} outside the lab`);
  const r1r3 = plan.veths.find((v) => v.a.ns === 'al000001-r1' && v.b.ns === 'al000001-r3')!;
  assert.deepEqual([r1r3.a.ifname, r1r3.b.ifname, r1r3.b.mac], ['eth0-1', 'eth0-0', 'cc:03:18:19:00:00']);
  assert.deepEqual(plan.lans.find((l) => l.lan === 'vboxnet1'), { lan: 'vboxnet1', ns: 'al000001-vboxnet1', bridge: 'br0', ports: ['p1', 'p2'] });
});

test('plan: addresses, the anycast alias on lo, routes, daemons and resolv.conf as the setup scripts leave them', () => {
  const plan = planLab(loadLab(LAB, { do_anycast: true }), 'al000001-');
  const x1 = plan.nodes.find((n) => n.node === 'xenial1')!;
  assert.deepEqual(x1.addresses, [
    { ifname: 'eth1', cidr: '10.128.5.2/24', label: null },
    { ifname: 'lo', cidr: '10.128.224.2/32', label: 'lo:0' },
  ]);
  assert.deepEqual(x1.routes, [{ dest: '10.128.0.0/16', via: '10.128.5.1', dev: null }]);
  assert.deepEqual([x1.rip, x1.named], [true, true]);
  const r3 = plan.nodes.find((n) => n.node === 'r3')!;
  assert.deepEqual([r3.forwarding, r3.rip, r3.named, r3.up], [true, true, false, ['lo', 'eth0-0', 'eth0-1', 'eth0-2']]);
  const x3 = plan.nodes.find((n) => n.node === 'xenial3')!;
  assert.deepEqual([x3.forwarding, x3.rip, x3.named], [false, false, false]);
  assert.match(x3.etc.find((f) => f.name === 'resolv.conf')!.content, /nameserver 10\.128\.5\.2\nnameserver 10\.128\.6\.2/);
  // Without do_anycast the servers run no RIP and have no alias.
  const unicast = planLab(loadLab(LAB), 'al000001-').nodes.find((n) => n.node === 'xenial1')!;
  assert.deepEqual([unicast.rip, unicast.addresses.length], [false, 1]);
});

test('ping output: replies, ICMP errors, unanswered requests; send times from the replies', () => {
  // ping -n -D -O -i 0.2 as iputils 20221126 printed it here (a halt seen from xenial3).
  const out = [
    'PING 10.128.224.2 (10.128.224.2) 56(84) bytes of data.',
    '[1764590000.100300] 64 bytes from 10.128.224.2: icmp_seq=1 ttl=63 time=0.300 ms',
    '[1764590000.300250] 64 bytes from 10.128.224.2: icmp_seq=2 ttl=63 time=0.250 ms',
    '[1764590000.700000] no answer yet for icmp_seq=3',
    '[1764590000.900000] From 10.128.7.1 icmp_seq=4 Destination Host Unreachable',
    '[1764590001.100000] no answer yet for icmp_seq=5',
    '[1764590001.100500] 64 bytes from 10.128.224.2: icmp_seq=6 ttl=60 time=0.500 ms',
    '[1764590001.100600] 64 bytes from 10.128.224.2: icmp_seq=6 ttl=60 time=0.600 ms (DUP!)',
  ].join('\n');
  const rows = parsePingOutput(out, { count: 7, interval: ms(200), timeout: seconds(5), spawnedAt: 1764589999, toLabTime: (s) => Math.round((s - 1764590000) * 1e6) });
  assert.deepEqual(
    rows.map((r) => [r.seq, r.t, r.outcome, r.ttl, r.from]),
    [
      [1, 100000, 'reply', 63, '10.128.224.2'],
      [2, 300000, 'reply', 63, '10.128.224.2'],
      [3, 500000, 'timeout', null, null],
      [4, 700000, 'unreachable', null, '10.128.7.1'],
      [5, 900000, 'timeout', null, null],
      [6, 1100000, 'reply', 60, '10.128.224.2'],
      // Sent (count 7) but ping ended before it printed anything: unanswered.
      [7, 1300000, 'timeout', null, null],
    ],
  );
  // A reply later than the timeout is a timeout, as iputils gives up on it.
  const late = parsePingOutput('[1764590006.000000] 64 bytes from 10.128.224.2: icmp_seq=1 ttl=63 time=5900 ms', { count: 1, interval: seconds(1), timeout: seconds(5), spawnedAt: 1764590000, toLabTime: (s) => Math.round((s - 1764590000) * 1e6) });
  assert.equal(late[0]!.outcome, 'timeout');
});

test('dig output: the answering server from the address, refused and timed out with or without ICMP', () => {
  const servers = { '10.128.1.1': 'xenial1', '10.128.2.2': 'xenial2' };
  const answer = ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4046\n;; ANSWER SECTION:\ntest.home.\t\t86400\tIN\tA\t10.128.1.1\n';
  assert.deepEqual(parseDigOutput(answer, servers), { outcome: 'answer', server: 'xenial1', address: '10.128.1.1', icmpSeen: false });
  // named stopped: the kernel answers port unreachable (dig 9.18: "connection refused").
  assert.deepEqual(parseDigOutput(';; communications error to 10.128.224.2#53: connection refused\n;; no servers could be reached\n', servers), { outcome: 'timeout', server: null, address: null, icmpSeen: true });
  // Host halted: nothing comes back.
  assert.deepEqual(parseDigOutput(';; communications error to 10.128.224.2#53: timed out\n;; no servers could be reached\n', servers), { outcome: 'timeout', server: null, address: null, icmpSeen: false });
  assert.equal(parseDigOutput(';; ->>HEADER<<- opcode: QUERY, status: REFUSED, id: 1\n', servers).outcome, 'refused');
});

test('failures and timers: the simulator words, no time; FRR timers read by the simulator reader, IOS form refused', () => {
  assert.deepEqual(parseRealFailure('xenial1:halt'), { node: 'xenial1', iface: null, mode: 'halt', at: 0 });
  assert.deepEqual(parseRealFailure('r3:Ethernet0/0:link-down').iface, 'Ethernet0/0');
  assert.throws(() => parseRealFailure('xenial1:halt@2m'), /happens now; give it without @<time>/);
  assert.throws(() => parseRealFailure('xenial1:explode'), /unknown failure mode "explode"/);
  assert.deepEqual(frrTimers('5 15 10'), { update: seconds(5), timeout: seconds(15), garbage: seconds(10) });
  assert.throws(() => frrTimers('5 15'), /^RealLabError: --timers: expected .*FRR "<update> <timeout> <garbage>"/);
  // ripd.c: update 5–2147483647 s.
  assert.throws(() => frrTimers('1 15 10'), /each 5-2147483647 seconds in every FRR release/);
  assert.throws(() => frrTimers('5 15 15 20'), /runs FRR ripd, which takes "timers basic <update> <timeout> <garbage>"/);
});

test('state file: a foreign or broken file is refused, never acted on; the run folder is named after the prefix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'real-state-'));
  const file = join(dir, 'state.json');
  writeFileSync(file, '{"format":1,"prefix":"../etc","namespaces":[],"processes":[]}');
  assert.throws(() => readState(file), /not a real-lab state file/);
  writeFileSync(file, '{ half');
  assert.throws(() => readState(file), /not a real-lab state file/);
  assert.equal(readState(join(dir, 'none.json')), null);
  assert.equal(runDirFor('/run/anycast-lab/real-state.json', 'al0a1b2c-'), `/run/anycast-lab/${runDirName('al0a1b2c-')}`);
});

test('cli: the real-lab commands are not run in-process', () => {
  const r = runCli(['real', 'up', 'anycast']);
  assert.equal(r.code, 2);
  assert.match(r.err, /real-lab commands run in their own process/);
});

test('agreement: real values inside the simulated range give or take the slack; "never" only where the simulator has it too', () => {
  const sim = [11.4, 16.7, 20.2];
  assert.deepEqual(agreementRow('halt', sim, [13.9, 17.8], 0.4), { case: 'halt', simulated: '11.4 / 16.7 / 20.2 s (3 runs)', real: '13.9 / 15.9 / 17.8 s (2 runs)', realInSimRange: '2/2', agree: true });
  assert.equal(agreementRow('halt', sim, [11.1, 20.5], 0.4).agree, true);
  const outside = agreementRow('halt', sim, [10.9, 17.8], 0.4);
  assert.deepEqual([outside.realInSimRange, outside.agree], ['1/2', false]);
  // A named stop: no recovery on either side agrees; a real recovery where the simulator has none does not.
  assert.deepEqual(agreementRow('named-stop', [null, null], [null], 1), { case: 'named-stop', simulated: 'never (2 runs)', real: 'never (1 run)', realInSimRange: '1/1', agree: true });
  assert.equal(agreementRow('named-stop', [null, null], [3], 1).agree, false);
  assert.equal(agreementRow('halt', sim, [null], 1).agree, false);
  assert.equal(agreementRow('nothing', sim, [], 1).agree, false);
});

test('routes side by side: next hop and RIP metric per node and prefix; local and loopback routes left out', () => {
  const row = (node: string, prefix: string, source: RouteRow['source'], nextHop: string | null, metric: number): RouteRow => ({ t: 0, node, prefix, source, nextHop, iface: 'Ethernet0/0', metric, distance: 0 });
  const sim = [row('r3', '10.128.4.0/24', 'rip', '10.128.3.1', 3), row('r3', '10.128.3.0/24', 'connected', null, 0), row('r3', '10.128.3.2/32', 'local', null, 0)];
  const real = [row('r3', '10.128.4.0/24', 'rip', '10.128.3.1', 4), row('r3', '10.128.3.0/24', 'connected', null, 0), row('r3', '127.0.0.0/8', 'connected', null, 0)];
  assert.deepEqual(compareRoutes(sim, real), [
    { node: 'r3', prefix: '10.128.3.0/24', simulated: 'connected Ethernet0/0 (connected)', real: 'connected Ethernet0/0 (connected)', same: true },
    { node: 'r3', prefix: '10.128.4.0/24', simulated: 'via 10.128.3.1, RIP metric 3', real: 'via 10.128.3.1, RIP metric 4', same: false },
  ]);
  assert.deepEqual(compareRoutes(sim.slice(0, 1), []), [{ node: 'r3', prefix: '10.128.4.0/24', simulated: 'via 10.128.3.1, RIP metric 3', real: '—', same: false }]);
});

test('saved real records: read by kind, with the versions they ran on', () => {
  const survey = readRealRecord<{ kind: 'real-survey'; versions: { frr: string; bind: string }; ripTimers: string }>(join(realDataPath('anycast'), 'survey.json'), 'real-survey');
  assert.match(survey.versions.frr, /^zebra version \d/);
  assert.match(survey.versions.bind, /^BIND 9\./);
  assert.equal(survey.ripTimers, '5 15 10');
  assert.throws(() => readRealRecord(join(realDataPath('anycast'), 'survey.json'), 'real-lookups'), /expected a saved "real-lookups" record, found "real-survey"/);
  assert.throws(() => readRealRecord(join(realDataPath('anycast'), 'none.json'), 'real-survey'), /no such saved measurement/);
});

test('saved drains: the lab\'s own timers are FRR\'s defaults as ripd reported them; a drain\'s instant is the withdrawal', () => {
  const record = readRealRecord<RealFailoverRecord>(join(realDataPath('anycast'), 'failover-ping-drain-frr-default.json'), 'real-failover');
  assert.equal(record.labTimers, true);
  assert.equal(record.ripTimers, '30 180 120');
  // FRR ripd.h: RIP_UPDATE_TIMER_DEFAULT 30, RIP_TIMEOUT_TIMER_DEFAULT 180, RIP_GARBAGE_TIMER_DEFAULT 120.
  assert.match(record.ripStatus, /updates every 30 seconds.*Timeout after 180 seconds, garbage collect after 120 seconds/);
  for (const run of record.runs) {
    // Without its address xenial1 stops answering at once (the halt comes 10 s later): the first
    // probe after the recorded instant that gets no reply is the next one or the one after.
    const firstUnanswered = run.rows.find((r) => r.t >= run.at && r.probe === 'ping' && r.outcome !== 'reply');
    assert.ok(firstUnanswered !== undefined && firstUnanswered.t - run.at < ms(500), `run ${run.run}: first unanswered probe ${firstUnanswered === undefined ? 'none' : firstUnanswered.t - run.at} µs after the drain`);
  }
});

test('plan: a router with its own FRR files runs them as written; only its setup script adds kernel routes', () => {
  // data/labs/feature-statics: r1 binds zebra.conf, staticd.conf, ripd.conf; r2 an `ip route` in
  // zebra.conf, which FRR 8.4's zebra refuses ("No such command": staticd owns static routes).
  const statics = planLab(loadLab(join(LAB, '..', 'feature-statics')), 'al000002-');
  const r1 = statics.nodes.find((n) => n.node === 'r1')!;
  assert.deepEqual(r1.frrFiles!.map((f) => f.name), ['daemons', 'zebra.conf', 'staticd.conf', 'ripd.conf']);
  assert.match(r1.frrFiles!.find((f) => f.name === 'staticd.conf')!.text, /^ip route 10\.51\.0\.0\/16 Null0$/m);
  assert.equal(r1.rip, true);
  assert.deepEqual(statics.nodes.map((n) => [n.node, n.routes]), [['r1', []], ['r2', []], ['r3', []]]);
  assert.deepEqual(statics.nodes.find((n) => n.node === 'r3')!.frrFiles!.map((f) => f.name), ['daemons', 'frr.conf']);
  // containerlab brings every linked interface up.
  assert.deepEqual(statics.nodes.find((n) => n.node === 'r2')!.up, ['lo', 'eth1', 'eth2']);
  // data/labs/feature-redistribute: r1's setup script adds the kernel route `redistribute kernel` takes.
  const redist = planLab(loadLab(join(LAB, '..', 'feature-redistribute')), 'al000003-');
  assert.deepEqual(redist.nodes.find((n) => n.node === 'r1')!.routes, [{ dest: '10.80.0.0/16', via: '10.13.12.2', dev: null }]);
  // The write-up's Quagga servers keep their files written from the LabSpec (writers/frr.ts).
  assert.ok(planLab(loadLab(LAB, { do_anycast: true }), 'al000004-').nodes.every((n) => n.frrFiles === null));
});

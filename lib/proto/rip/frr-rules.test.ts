/**
 * ripd's rules for what it takes and what it sends, against real FRR 8.4.4 (Debian 12's package):
 * data/real/frr84-rip-rules/ holds the runs (run.sh and inject.py there say how they were made: one
 * namespace runs zebra and ripd, the other sends hand-made RIP messages and captures). Each test
 * gives one simulated router the messages the real one was sent, and reads its expectations from the
 * recorded `show` output and captures. What FRR 8.4 cannot run (10.x's `allow-ecmp N`) is checked
 * against FRR's source, named where it is used.
 *
 *   rr13b (10.0.12.2-.5, .9) ── a-1 10.0.12.1/24 [rr13a] a-2 10.0.22.1/24 ── rr13b (10.0.22.2)
 *                                           d-3 10.0.33.1/24 (a stub)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seconds, type SimTime } from '../../sim/time';
import { ipv4, ipv4ToString, maskToPrefixLength } from '../../wire/addr';
import { RIP_MULTICAST_GROUP, RIP_PORT, RIP_REQUEST, RIP_RESPONSE, RipPayload, emitRip, parseRip, wholeTableRequest, type RipEntry } from '../../wire/rip';
import { FRR, defaultRipConfig, type RipConfig } from './params';
import { PrefixTable } from './prefixes';
import { RipRouter, type RipInterfaceView } from './router';

const REAL = join(__dirname, '..', '..', '..', 'data', 'real', 'frr84-rip-rules');
const real = (file: string): string => readFileSync(join(REAL, file), 'utf8');

interface SentPacket {
  t: SimTime;
  ifIndex: number;
  dst: string;
  dstPort: number;
  command: number;
  version: number;
  /** `prefix/len metric` per entry. */
  entries: string[];
}

interface Rig {
  router: RipRouter;
  prefixes: PrefixTable;
  sent: SentPacket[];
  timerAt: SimTime;
  clock: SimTime;
}

/** rr13a as run.sh configures it: `network 10.0.12.0/24`, `network 10.0.33.0/24`, plus `extra`. */
function rr13a(extra: Partial<RipConfig>): Rig {
  const interfaces: RipInterfaceView[] = [
    { index: 0, name: 'a-1', addresses: [{ address: ipv4('10.0.12.1'), prefixLength: 24 }], operational: true, loopback: false },
    { index: 1, name: 'a-2', addresses: [{ address: ipv4('10.0.22.1'), prefixLength: 24 }], operational: true, loopback: false },
    { index: 2, name: 'd-3', addresses: [{ address: ipv4('10.0.33.1'), prefixLength: 24 }], operational: true, loopback: false },
  ];
  const networks = [
    { prefix: ipv4('10.0.12.0'), prefixLength: 24 },
    { prefix: ipv4('10.0.33.0'), prefixLength: 24 },
  ];
  const config: RipConfig = { ...defaultRipConfig(FRR), networks, ...extra };
  const prefixes = new PrefixTable();
  const rig: Rig = { router: null as unknown as RipRouter, prefixes, sent: [], timerAt: Number.POSITIVE_INFINITY, clock: 0 };
  rig.router = new RipRouter(config, interfaces, prefixes, { next: () => 0.5 }, {
    setTimer: (at) => (rig.timerAt = at),
    send: (ifIndex, _src, dst, dstPort, payload) => {
      const m = payload instanceof RipPayload ? payload.toMessage() : parseRip(payload);
      const entries = m.entries.map((e) => `${ipv4ToString(e.address)}/${maskToPrefixLength(e.mask)} ${e.metric}`);
      rig.sent.push({ t: rig.clock, ifIndex, dst: ipv4ToString(dst), dstPort, command: m.command, version: m.version, entries });
    },
    routeChanged: () => {},
    routeRefreshed: () => {},
    event: () => {},
    staticRoutes: () => [],
  });
  rig.router.start(0);
  return rig;
}

function runUntil(rig: Rig, t: SimTime): void {
  while (rig.timerAt <= t) {
    rig.clock = rig.timerAt;
    rig.router.onTimer(rig.timerAt);
  }
  rig.clock = t;
}

const rte = (address: string, mask: string, nextHop: string, metric: number, afi = 2): RipEntry => ({ afi, tag: 0, address: ipv4(address), mask: ipv4(mask), nextHop: ipv4(nextHop), metric });

/** inject.py's messages, byte for byte. */
const INJECT = {
  empty: emitRip({ command: RIP_RESPONSE, version: 2, entries: [] }),
  entries: emitRip({
    command: RIP_RESPONSE,
    version: 2,
    entries: [
      rte('10.50.0.0', '255.255.255.0', '10.0.99.5', 1),
      rte('10.51.0.0', '255.255.255.0', '10.0.12.7', 1),
      rte('10.52.0.0', '255.255.255.0', '10.0.22.9', 1),
      rte('127.1.0.0', '255.255.0.0', '0.0.0.0', 1),
      rte('0.1.0.0', '255.255.0.0', '0.0.0.0', 1),
      rte('224.1.0.0', '255.255.0.0', '0.0.0.0', 1),
      rte('240.1.0.0', '255.255.0.0', '0.0.0.0', 1),
    ],
  }),
  ecmp: emitRip({ command: RIP_RESPONSE, version: 2, entries: [rte('10.60.0.0', '255.255.255.0', '0.0.0.0', 1)] }),
  request: emitRip(wholeTableRequest(2)),
};

function deliver(rig: Rig, t: SimTime, ifIndex: number, src: string, bytes: Uint8Array, srcPort = RIP_PORT): void {
  runUntil(rig, t);
  rig.router.onPacket(t, ifIndex, ipv4(src), srcPort, bytes);
}

/** `show ip rip` rows of a recorded run: network → [next hop, metric, from] per path, in ripd's order. */
function realShowIpRip(text: string): Map<string, { nextHop: string; metric: number; from: string }[]> {
  const rows = new Map<string, { nextHop: string; metric: number; from: string }[]>();
  for (const line of text.split('\n')) {
    const m = /^R\(n\)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\S+)/.exec(line);
    if (m === null) continue;
    const list = rows.get(m[1]!) ?? [];
    list.push({ nextHop: m[2]!, metric: Number(m[3]), from: m[4]! });
    rows.set(m[1]!, list);
  }
  return rows;
}

/** `show ip rip status` "Routing Information Sources" rows: gateway → bad packets, bad routes. */
function realSources(text: string): Map<string, { badPackets: number; badRoutes: number }> {
  const out = new Map<string, { badPackets: number; badRoutes: number }>();
  for (const line of text.split('\n')) {
    const m = /^\s+(\d+\.\d+\.\d+\.\d+)\s+(\d+)\s+(\d+)\s+120\s/.exec(line);
    if (m !== null) out.set(m[1]!, { badPackets: Number(m[2]), badRoutes: Number(m[3]) });
  }
  return out;
}

/** The frames of a recorded capture (tshark -V, trimmed): source, destination, command, entries. */
function realFrames(text: string): { src: string; dst: string; command: string; entries: string[] }[] {
  const frames: { src: string; dst: string; command: string; entries: string[] }[] = [];
  for (const line of text.split('\n')) {
    let m = /^Internet Protocol Version 4, Src: (\S+), Dst: (\S+)/.exec(line);
    if (m !== null) frames.push({ src: m[1]!, dst: m[2]!, command: '', entries: [] });
    m = /^\s+Command: (\w+)/.exec(line);
    if (m !== null) frames[frames.length - 1]!.command = m[1]!;
    m = /^\s+IP Address: (\S+), Metric: (\d+)/.exec(line);
    if (m !== null) frames[frames.length - 1]!.entries.push(`${m[1]} ${m[2]}`);
  }
  return frames;
}

const pathsOf = (rig: Rig, prefix: string, len: number) => rig.router.forwardingPaths(rig.prefixes.lookup(ipv4(prefix), len));

/** Scenario s1 of run.sh: neighbours 10.0.12.2 and 10.0.22.2 (no network covers a-2), allow-ecmp. */
function s1(): Rig {
  const rig = rr13a({ neighbors: [ipv4('10.0.12.2'), ipv4('10.0.22.2')], maxPaths: FRR.ecmpDefaultPaths });
  deliver(rig, seconds(6), 0, '10.0.12.9', INJECT.empty);
  deliver(rig, seconds(6.2), 0, '10.0.12.2', INJECT.entries);
  ['10.0.12.5', '10.0.12.3', '10.0.12.4', '10.0.12.2'].forEach((src, k) => deliver(rig, seconds(6.5 + 1.3 * k), 0, src, INJECT.ecmp));
  runUntil(rig, seconds(45));
  return rig;
}

test('FRR 8.4 next hops (RFC 2453 4.4 as ripd reads it): on no connected subnet via the sender, on any connected subnet as given', () => {
  const rig = s1();
  const rows = realShowIpRip(real('s1-show.txt'));
  for (const net of ['10.50.0.0/24', '10.51.0.0/24', '10.52.0.0/24']) {
    const [prefix, len] = net.split('/');
    const want = rows.get(net)!.map((p) => [p.nextHop, p.from]);
    assert.deepEqual(pathsOf(rig, prefix!, Number(len)).map((p) => [ipv4ToString(p.nextHop), ipv4ToString(p.from)]), want, net);
  }
});

test('FRR 8.4 refuses 0/8, 127/8, 224/4 and 240/4 destinations as bad routes, and takes an empty response as a response', () => {
  const rig = s1();
  const sources = realSources(real('s1-show.txt'));
  for (const [gateway, counts] of sources) {
    const p = rig.router.peers.get(ipv4(gateway));
    assert.ok(p !== undefined, `${gateway} is a routing information source`);
    assert.deepEqual({ badPackets: p.badPackets, badRoutes: p.badRoutes }, counts, gateway);
  }
  // 10.0.12.9 sent only the empty response: ripd lists it, with no bad packet (rip_read's minimum
  // is the 4-byte header, and rip_response_process has no entry to refuse).
  assert.deepEqual(sources.get('10.0.12.9'), { badPackets: 0, badRoutes: 0 });
  // With allow-reserved-ranges (a top-level command; s2) ripd 8.4 refuses them all the same:
  // ripd/ripd.c rip_destination_check() does not consult it.
  assert.deepEqual(realSources(real('s2-show.txt')).get('10.0.12.2'), sources.get('10.0.12.2'));
});

test('FRR 8.4 allow-ecmp keeps every equal path in the order heard; zebra lists them by address', () => {
  const rig = s1();
  const real10_60 = realShowIpRip(real('s1-show.txt')).get('10.60.0.0/24')!;
  assert.equal(real10_60.length, 4);
  assert.deepEqual(pathsOf(rig, '10.60.0.0', 24).map((p) => ipv4ToString(p.from)), real10_60.map((p) => p.from));
  // show ip route (zebra) sorts the same next hops by address.
  const zebra = [...real('s1-show.txt').matchAll(/via (10\.0\.12\.\d+), a-1, weight 1/g)].map((m) => m[1]!);
  const viaFib = zebra.slice(zebra.length - 4);
  assert.deepEqual(viaFib, [...real10_60.map((p) => p.nextHop)].sort((a, b) => ipv4(a) - ipv4(b)));
});

test('FRR 10.x allow-ecmp N keeps the N lowest senders whatever the order heard (ripd rip_ecmp_add)', () => {
  const senders = ['10.0.12.5', '10.0.12.3', '10.0.12.4', '10.0.12.2'];
  for (const order of [senders, [...senders].reverse(), [...senders].sort()]) {
    for (const n of [2, 3]) {
      const rig = rr13a({ maxPaths: n, ecmpPrefersLowerSender: true });
      order.forEach((src, k) => deliver(rig, seconds(6 + k), 0, src, INJECT.ecmp));
      const kept = pathsOf(rig, '10.60.0.0', 24).map((p) => ipv4ToString(p.from));
      const lowest = [...senders].sort((a, b) => ipv4(a) - ipv4(b)).slice(0, n);
      assert.deepEqual([...kept].sort((a, b) => ipv4(a) - ipv4(b)), lowest, `allow-ecmp ${n}, heard ${order.join(' ')}`);
    }
  }
  // Without the 10.x rule (FRR 8.4's list, IOS maximum-paths) the first N heard stay.
  const first = rr13a({ maxPaths: 2 });
  senders.forEach((src, k) => deliver(first, seconds(6 + k), 0, src, INJECT.ecmp));
  assert.deepEqual(pathsOf(first, '10.60.0.0', 24).map((p) => ipv4ToString(p.from)), senders.slice(0, 2));
});

test('FRR 8.4 sends a neighbour on an interface no network covers the same updates as the capture shows', () => {
  const rig = s1();
  const frames = realFrames(real('s1-b2.txt')).filter((f) => f.src === '10.0.22.1' && f.dst === '10.0.22.2');
  assert.ok(frames.length > 0 && frames.every((f) => f.command === 'Response'), 'the real ripd sent responses to 10.0.22.2');
  const toNeighbour = rig.sent.filter((s) => s.ifIndex === 1 && s.dst === '10.0.22.2' && s.command === RIP_RESPONSE);
  assert.ok(toNeighbour.length > 0);
  // The periodic update (the largest frame) carries the whole table with these metrics.
  const fullReal = frames.reduce((a, b) => (b.entries.length > a.entries.length ? b : a)).entries;
  const fullSim = toNeighbour.reduce((a, b) => (b.entries.length > a.entries.length ? b : a)).entries.map((e) => e.replace(/\/\d+ /, ' '));
  assert.deepEqual(fullSim, fullReal);
  // Nothing to the group on a-2: RIP does not run there.
  assert.equal(rig.sent.filter((s) => s.ifIndex === 1 && s.dst === ipv4ToString(RIP_MULTICAST_GROUP)).length, 0);
});

test('FRR 8.4 passive-interface: its start-up request and unicast updates to a neighbour go, multicast updates and answers do not', () => {
  const rig = rr13a({ neighbors: [ipv4('10.0.12.2')], passiveExceptions: ['a-1'] });
  deliver(rig, seconds(6), 0, '10.0.12.2', INJECT.request);
  deliver(rig, seconds(9), 0, '10.0.12.3', INJECT.request, 5000);
  runUntil(rig, seconds(45));
  const frames = realFrames(real('s3-b1.txt')).filter((f) => f.src === '10.0.12.1');
  const onA1 = rig.sent.filter((s) => s.ifIndex === 0);
  const kinds = (list: { dst: string; command: string }[]) => [...new Set(list.map((f) => `${f.command} to ${f.dst}`))].sort();
  assert.deepEqual(kinds(onA1.map((s) => ({ dst: s.dst, command: s.command === RIP_REQUEST ? 'Request' : 'Response' }))), kinds(frames));
  assert.deepEqual(kinds(frames), ['Request to 224.0.0.9', 'Response to 10.0.12.2']);
  // The real ripd did not list the requesters as sources either.
  assert.deepEqual([...realSources(real('s3-show.txt')).keys()], []);
  assert.equal(rig.router.peers.size, 0);
});

test('FRR 8.4 ip rip send version 1 2 / receive version none: both versions out of the interface, nothing taken in', () => {
  const rig = rr13a({ interfaceVersions: { 'a-1': { send: [1, 2], receive: [] } } });
  deliver(rig, seconds(6), 0, '10.0.12.2', INJECT.entries);
  runUntil(rig, seconds(45));
  const frames = realFrames(real('s4-b1.txt')).filter((f) => f.src === '10.0.12.1');
  const kinds = (list: { dst: string; command: string }[]) => [...new Set(list.map((f) => `${f.command} to ${f.dst}`))].sort();
  const sim = rig.sent.filter((s) => s.ifIndex === 0).map((s) => ({ dst: s.dst, command: s.command === RIP_REQUEST ? 'Request' : 'Response' }));
  assert.deepEqual(kinds(sim), kinds(frames));
  assert.deepEqual(kinds(frames), ['Request to 10.0.12.255', 'Request to 224.0.0.9', 'Response to 10.0.12.255', 'Response to 224.0.0.9']);
  // RIP-1 goes first, as ripd's `vsend & RIPv1` comes before `vsend & RIPv2`.
  assert.deepEqual(frames.slice(0, 2).map((f) => f.dst), ['10.0.12.255', '224.0.0.9']);
  assert.deepEqual(rig.sent.filter((s) => s.ifIndex === 0).slice(0, 2).map((s) => s.dst), ['10.0.12.255', '224.0.0.9']);
  // ripd's log: "packet's v2 doesn't fit to if version spec", counted as a bad packet.
  const sources = realSources(real('s4-show.txt'));
  assert.deepEqual(sources.get('10.0.12.2'), { badPackets: 1, badRoutes: 0 });
  const p = rig.router.peers.get(ipv4('10.0.12.2'))!;
  assert.deepEqual({ badPackets: p.badPackets, badRoutes: p.badRoutes }, sources.get('10.0.12.2'));
  assert.equal(realShowIpRip(real('s4-show.txt')).size, 0);
  assert.equal(pathsOf(rig, '10.50.0.0', 24).length, 0);
});

test('FRR 8.4 ignores a response from a source on no connected subnet, uncounted (data/real/frr84-inactive-static)', () => {
  // frr84-inactive-static/run.sh: frr13b sent 10.70.0.0/24 metric 1 from 10.7.0.9 (an address on
  // b-1, but on no subnet of frr13a's) to 10.0.12.1. ripd.log: "rip_read: cannot find interface for
  // packet from 10.7.0.9"; show ip rip has no 10.70.0.0/24 row, and show ip rip status lists no
  // routing information source (ripd/ripd.c rip_read returns before rip_peer_bad_packet).
  const dir = join(REAL, '..', 'frr84-inactive-static');
  const show = readFileSync(join(dir, 'show.txt'), 'utf8');
  assert.match(readFileSync(join(dir, 'ripd.log'), 'utf8'), /rip_read: cannot find interface for packet from 10\.7\.0\.9 port 520/);
  assert.doesNotMatch(show, /10\.70\.0\.0/);
  assert.deepEqual([...realSources(show).keys()], []);
  const rig = rr13a({});
  const bytes = emitRip({ command: RIP_RESPONSE, version: 2, entries: [rte('10.70.0.0', '255.255.255.0', '0.0.0.0', 1)] });
  deliver(rig, seconds(6), 0, '10.7.0.9', bytes);
  runUntil(rig, seconds(45));
  assert.equal(rig.prefixes.lookup(ipv4('10.70.0.0'), 24) < 0 || pathsOf(rig, '10.70.0.0', 24).length === 0, true);
  assert.deepEqual([...rig.router.peers.keys()], []);
  assert.equal(rig.router.stats.badPackets, 0);
});

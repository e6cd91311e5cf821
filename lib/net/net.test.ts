/**
 * Network-layer behaviour on hand-built topologies (no lab files): ARP as Linux and IOS do it,
 * forwarding, ICMP errors and their rate limits, sockets, halts and link failures.
 * Expected figures come from the Linux and IOS defaults cited in lib/proto/arp.ts and node.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ms, seconds } from '../sim/time';
import { ipv4 } from '../wire/addr';
import { ICMP_UNREACH_HOST, ICMP_UNREACH_PORT, IPPROTO_ICMP, type IcmpMessage } from '../wire/types';
import { Network } from './network';
import type { NetNode, NodeOs } from './node';

/** host a (10.0.1.2) — LAN — router r (10.0.1.1 | 10.0.2.1) — LAN — host b (10.0.2.2) */
function twoLans(routerOs: NodeOs = 'ios', seed = 1) {
  const net = new Network(seed);
  const a = net.addNode('a', 'host', 'linux');
  const r = net.addNode('r', 'router', routerOs);
  const b = net.addNode('b', 'host', 'linux');
  const lan1 = net.addSegment('lan1', 'lan', ms(0.5));
  const lan2 = net.addSegment('lan2', 'lan', ms(0.5));
  const plug = (node: NetNode, name: string, mac: number, addr: string, seg: ReturnType<Network['addSegment']>) => {
    const i = node.addInterface(name, mac);
    i.addresses.push({ address: ipv4(addr), prefixLength: 24, label: null });
    net.connect(i, seg);
    return i;
  };
  plug(a, 'eth1', 0x080027000001, '10.0.1.2', lan1);
  plug(r, 'Ethernet0/0', 0xcc0100000000, '10.0.1.1', lan1);
  plug(r, 'Ethernet0/1', 0xcc0100000001, '10.0.2.1', lan2);
  plug(b, 'eth1', 0x080027000002, '10.0.2.2', lan2);
  a.staticRoutes.push({ prefix: ipv4('10.0.0.0'), prefixLength: 16, via: ipv4('10.0.1.1'), device: null });
  b.staticRoutes.push({ prefix: ipv4('10.0.0.0'), prefixLength: 16, via: ipv4('10.0.2.1'), device: null });
  net.bootAll();
  return { net, a, r, b, lan1, lan2 };
}

function echo(node: NetNode, dst: string, seq: number, ttl = 64) {
  return node.sendIp({ tos: 0, id: node.nextIpId(), dontFragment: true, moreFragments: false, fragmentOffset: 0, ttl, protocol: IPPROTO_ICMP, src: 0, dst: ipv4(dst), payload: { kind: 'echo-request', id: 7, seq, data: new Uint8Array(56) } });
}

function icmpLog(node: NetNode) {
  const log: { t: number; kind: string; code?: number; from: number; ttl: number }[] = [];
  node.addIcmpListener((m: IcmpMessage, p, t) => log.push({ t, kind: m.kind, ...(m.kind === 'dest-unreachable' ? { code: m.code } : {}), from: p.src, ttl: p.ttl }));
  return log;
}

test('a host reaches a host behind a router; the reply TTL shows one hop (64 - 1 = 63)', () => {
  const { net, a } = twoLans('ios');
  const log = icmpLog(a);
  echo(a, '10.0.2.2', 1);
  net.runFor(seconds(2));
  // Linux queues the packet while it resolves the gateway; IOS drops the packet that makes it ARP.
  // So the first echo is lost at the router (it had to ARP for b), as on a real Cisco.
  assert.equal(log.filter((e) => e.kind === 'echo-reply').length, 0);
  echo(a, '10.0.2.2', 2);
  net.runFor(seconds(2));
  const replies = log.filter((e) => e.kind === 'echo-reply');
  assert.equal(replies.length, 1);
  assert.equal(replies[0]!.ttl, 63);
  assert.equal(replies[0]!.from, ipv4('10.0.2.2'));
});

test('a Linux router queues instead: the first echo through it is answered', () => {
  const { net, a } = twoLans('linux');
  const log = icmpLog(a);
  echo(a, '10.0.2.2', 1);
  net.runFor(seconds(2));
  assert.equal(log.filter((e) => e.kind === 'echo-reply').length, 1);
});

test('Linux ARP to a halted neighbour fails after 3 requests 1 s apart and reports host unreachable', () => {
  const { net, a, r } = twoLans('ios');
  net.runFor(seconds(1)); // let the boot-time gratuitous ARPs land before the router dies
  r.halt();
  const log = icmpLog(a);
  const arpRequests: number[] = [];
  net.segments.get('lan1')!.taps.push((t, f) => {
    if (f.etherType === 0x0806 && (f.payload as { op: number }).op === 1) arpRequests.push(t);
  });
  const t0 = net.now;
  echo(a, '10.0.2.2', 1);
  net.runFor(seconds(5));
  assert.deepEqual(arpRequests.map((t) => t - t0), [0, seconds(1), seconds(2)]);
  const errors = log.filter((e) => e.kind === 'dest-unreachable');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.code, ICMP_UNREACH_HOST);
  assert.equal(errors[0]!.from, ipv4('10.0.1.2'), 'Linux reports its own ARP failure from its own address');
  assert.ok(errors[0]!.t - t0 >= seconds(3) && errors[0]!.t - t0 < seconds(3) + ms(5));
});

test('a router with no route answers IOS-style host unreachable, rate limited to a burst of 2 then one per 500 ms', () => {
  const { net, a, r } = twoLans('ios');
  const log = icmpLog(a);
  // Warm ARP so no packet is lost to resolution.
  echo(a, '10.0.1.1', 1);
  net.runFor(seconds(1));
  [0, 100, 200, 300, 400, 600].forEach((at, i) => net.scheduler.at(net.now + ms(at), () => echo(a, '10.0.99.1', 10 + i)));
  net.runFor(seconds(2));
  const unreach = log.filter((e) => e.kind === 'dest-unreachable');
  assert.ok(unreach.every((e) => e.code === ICMP_UNREACH_HOST && e.from === ipv4('10.0.1.1')));
  // Sent at 0, 100, 200, 300, 400 and 600 ms: two go at once, then nothing until a token has
  // refilled (500 ms after the second), so the one at 600 ms is answered too.
  assert.equal(unreach.length, 3);
  assert.ok(r.fib.lookup(ipv4('10.0.99.1')).kind === 'none');
});

test('TTL 1 through a router gives time exceeded from the router', () => {
  const { net, a } = twoLans('linux');
  const log = icmpLog(a);
  echo(a, '10.0.2.2', 1, 1);
  net.runFor(seconds(1));
  const te = log.filter((e) => e.kind === 'time-exceeded');
  assert.equal(te.length, 1);
  assert.equal(te[0]!.from, ipv4('10.0.1.1'));
});

test('UDP to a closed port: ICMP port unreachable reaches the sending socket', () => {
  const { net, a, b } = twoLans('linux');
  const errors: number[] = [];
  const got: string[] = [];
  const sock = a.udpBind(0, 0, { onMessage: () => undefined, onError: (e) => errors.push(e.message.kind === 'dest-unreachable' ? e.message.code : -1) });
  sock.send(ipv4('10.0.2.2'), 53, new Uint8Array([1, 2, 3]));
  net.runFor(seconds(1));
  assert.deepEqual(errors, [ICMP_UNREACH_PORT]);
  b.udpBind(0, 53, { onMessage: (p, m) => got.push(`${(p as Uint8Array).length} from ${m.srcPort}`) });
  sock.send(ipv4('10.0.2.2'), 53, new Uint8Array([1, 2, 3]));
  net.runFor(seconds(1));
  assert.deepEqual(got, [`3 from ${sock.localPort}`]);
  assert.deepEqual(errors, [ICMP_UNREACH_PORT]);
});

test('a dying host does not take its switch port down; a p2p link down removes connected routes at both ends', () => {
  const { r, b } = twoLans('ios');
  const rIf = r.iface('Ethernet0/1')!;
  b.halt();
  assert.equal(rIf.operational, true);
  assert.equal(r.fib.lookup(ipv4('10.0.2.2')).kind, 'found');

  const net2 = new Network(1);
  const x = net2.addNode('x', 'router', 'ios');
  const y = net2.addNode('y', 'router', 'ios');
  const link = net2.addSegment('x-y', 'p2p', ms(1));
  const xi = x.addInterface('Ethernet0/0', 0xcc0100000000);
  const yi = y.addInterface('Ethernet0/0', 0xcc0200000000);
  xi.addresses.push({ address: ipv4('10.1.1.1'), prefixLength: 24, label: null });
  yi.addresses.push({ address: ipv4('10.1.1.2'), prefixLength: 24, label: null });
  net2.connect(xi, link);
  net2.connect(yi, link);
  net2.bootAll();
  assert.equal(y.fib.size, 1);
  net2.setLink(xi, false);
  assert.equal(x.fib.size, 0);
  assert.equal(y.fib.size, 0, 'carrier is lost at the far end of a cable too');
  net2.setLink(xi, true);
  assert.equal(x.fib.size, 1);
  assert.equal(y.fib.size, 1);
});

test('halt voids pending work; boot brings routes back', () => {
  const { net, a, r } = twoLans('ios');
  echo(a, '10.0.2.2', 1);
  net.runFor(ms(1));
  r.halt();
  net.runFor(seconds(1));
  assert.equal(r.fib.size, 0);
  assert.equal(r.forwardedPackets, 0);
  r.boot();
  assert.equal(r.fib.size, 2);
});

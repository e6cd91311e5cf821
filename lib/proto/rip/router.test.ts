/**
 * RIP timer and update rules at exact simulated times, on small topologies wired by RipBench
 * (fixed 1 ms links, no network stack). Every expected time is derived in the test from the
 * rule it checks: the last update a router received plus the profile's timer.
 *
 *   B ──── C      C and E both have 10.9.0.0/24 (an anycast stub). B prefers C (2 hops of RIP
 *   │             metric: C's connected 1, +1 at B) over D (E's 1, D's 2, B's 3).
 *   D ──── E
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minutes, seconds, type SimTime } from '../../sim/time';
import { ipv4 } from '../../wire/addr';
import { RIP_MULTICAST_GROUP, RipPayload } from '../../wire/rip';
import { CISCO_IOS, FRR, type RipProfile } from './params';
import { RipBench } from './test-support';

const STUB = '10.9.0.0/24';

function anycastSquare(profile: RipProfile): RipBench {
  const b = new RipBench();
  b.add('B', profile, ['10.1.0.1/24', '10.2.0.1/24']);
  b.add('C', profile, ['10.1.0.2/24', '10.9.0.1/24']);
  b.add('D', profile, ['10.2.0.2/24', '10.3.0.1/24']);
  b.add('E', profile, ['10.3.0.2/24', '10.9.0.1/24']);
  b.link('B', 0, 'C', 0);
  b.link('B', 1, 'D', 0);
  b.link('D', 1, 'E', 0);
  b.start();
  return b;
}

/** Time of the last response `to` received from `from` at or before `t`. */
function lastResponse(b: RipBench, from: string, to: string, t: SimTime): SimTime {
  const xs = b.arrivals.filter((a) => a.from === from && a.to === to && a.command === 2 && a.t <= t);
  assert.ok(xs.length > 0, `no response from ${from} to ${to}`);
  return xs[xs.length - 1]!.t;
}

function firstResponseAfter(b: RipBench, from: string, to: string, t: SimTime): SimTime {
  const x = b.arrivals.find((a) => a.from === from && a.to === to && a.command === 2 && a.t > t);
  assert.ok(x !== undefined, `no response from ${from} to ${to} after ${t}`);
  return x.t;
}

test('converged metrics: RFC metrics inside, next hops by fewest hops', () => {
  for (const profile of [CISCO_IOS, FRR]) {
    const b = anycastSquare(profile);
    b.run(minutes(2));
    assert.equal(b.metric('B', STUB), 2, `${profile.name}: C's connected (1) + 1`);
    assert.equal(b.paths('B', STUB)[0]!.nextHop, ipv4('10.1.0.2'));
    assert.equal(b.metric('D', STUB), 2, "D: E's connected + 1");
    assert.equal(b.metric('B', '10.3.0.0/24'), 2, "D–E link: D's connected 1, B 2");
    assert.equal(b.metric('E', '10.1.0.0/24'), 3, "B–C link: B's connected 1, D 2, E 3");
  }
});

test('IOS: invalid 180 s after the last update, hold-down keeps forwarding and ignores a better route, flush at 240 s', () => {
  const b = anycastSquare(CISCO_IOS);
  b.run(minutes(2));
  const kill = b.now;
  b.routers.get('C')!.mute = true;
  b.run(minutes(10));
  const L = lastResponse(b, 'C', 'B', kill);
  const ev = b.routers.get('B')!.events.filter((e) => e.prefix === STUB);
  // IOS cmd ref: invalid 180 s; the route enters hold-down at once; flush 240 s after the last update.
  assert.deepEqual(ev.map((e) => [e.kind, e.t - L]), [
    ['invalid', seconds(180)],
    ['holddown', seconds(180)],
    ['flush', seconds(240)],
  ]);
  // In hold-down it still forwards via C, and D's offers (metric 3 < 16) in that window are ignored.
  const dOffers = b.arrivals.filter((a) => a.from === 'D' && a.to === 'B' && a.command === 2 && a.t > L + seconds(180) && a.t < L + seconds(240));
  assert.ok(dOffers.length >= 1, 'D sent at least one update during the hold-down');
  const fib = b.routers.get('B')!.fib.filter((f) => f.prefix === STUB && f.t > kill);
  assert.equal(fib[0]!.t, L + seconds(240), 'the first forwarding change is the flush');
  assert.deepEqual(fib[0]!.paths, [], 'flushed: no route');
  // After the flush, D's next update is taken at once.
  const next = firstResponseAfter(b, 'D', 'B', L + seconds(240));
  assert.equal(fib[1]!.t, next);
  assert.equal(fib[1]!.paths[0]!.nextHop, ipv4('10.2.0.2'));
  assert.equal(b.metric('B', STUB), 3);
});

test('IOS: a poison from the next hop removes the route at once and takes the other path (onPoison "remove"); "holddown" keeps forwarding until the hold-down ends', () => {
  for (const onPoison of ['remove', 'holddown'] as const) {
    const b = anycastSquare({ ...CISCO_IOS, onPoison });
    b.run(minutes(2));
    const L = lastResponse(b, 'C', 'B', b.now);
    b.setInterface('C', 1, false); // C loses its stub: it poisons 10.9.0.0/24 in a triggered update
    const poisonSent = b.now;
    b.run(minutes(10));
    const arrival = b.arrivals.find((a) => a.from === 'C' && a.to === 'B' && a.t >= poisonSent)!.t;
    assert.equal(arrival, poisonSent + b.delay, 'the triggered update goes at once (no hold-off was running)');
    const fib = b.routers.get('B')!.fib.filter((f) => f.prefix === STUB && f.t >= poisonSent);
    const ev = b.routers.get('B')!.events.filter((e) => e.prefix === STUB);
    if (onPoison === 'remove') {
      assert.deepEqual(fib[0], { t: arrival, prefix: STUB, paths: [] }, 'removed on receipt');
      assert.deepEqual(ev[0], { t: arrival, kind: 'invalid', prefix: STUB });
      const next = firstResponseAfter(b, 'D', 'B', arrival);
      assert.equal(fib[1]!.t, next, "D's next update is accepted at once");
    } else {
      assert.deepEqual(ev.slice(0, 2).map((e) => [e.kind, e.t]), [
        ['invalid', arrival],
        ['holddown', arrival],
      ]);
      // Hold-down runs 180 s from the poison; flush would come 240 s after the last valid update.
      // Whichever is first ends the wait; here the hold-down (the poison came right after an update).
      const holddownEnd = arrival + seconds(180);
      assert.ok(holddownEnd < L + seconds(240));
      assert.equal(fib[0]!.t, firstResponseAfter(b, 'D', 'B', holddownEnd), "still forwarding via C until D's first update after the hold-down");
      assert.equal(fib[0]!.paths[0]!.nextHop, ipv4('10.2.0.2'));
    }
  }
});

test('FRR: timeout 180 s after the last update, out of the FIB at once, a better route taken at once, no hold-down', () => {
  const b = anycastSquare(FRR);
  b.run(minutes(2));
  const kill = b.now;
  b.routers.get('C')!.mute = true;
  b.run(minutes(10));
  const L = lastResponse(b, 'C', 'B', kill);
  const ev = b.routers.get('B')!.events.filter((e) => e.prefix === STUB);
  assert.deepEqual(ev.map((e) => [e.kind, e.t - L]), [['invalid', seconds(180)]], 'replaced before garbage collection');
  const fib = b.routers.get('B')!.fib.filter((f) => f.prefix === STUB && f.t > kill);
  assert.deepEqual(fib[0], { t: L + seconds(180), prefix: STUB, paths: [] });
  assert.equal(fib[1]!.t, firstResponseAfter(b, 'D', 'B', L + seconds(180)));
  assert.equal(fib[1]!.paths[0]!.nextHop, ipv4('10.2.0.2'));
});

test('FRR: garbage collection deletes the route 120 s after the timeout; RFC metric 16 advertised meanwhile', () => {
  const b = new RipBench();
  b.add('B', FRR, ['10.1.0.1/24', '10.20.0.1/24']);
  b.add('C', FRR, ['10.1.0.2/24', '10.9.0.1/24']);
  b.link('B', 0, 'C', 0);
  b.start();
  b.run(minutes(2));
  const kill = b.now;
  b.routers.get('C')!.mute = true;
  b.run(minutes(10));
  const L = lastResponse(b, 'C', 'B', kill);
  const ev = b.routers.get('B')!.events.filter((e) => e.prefix === STUB);
  assert.deepEqual(ev.map((e) => [e.kind, e.t - L]), [
    ['invalid', seconds(180)],
    ['garbage', seconds(300)],
  ]);
  // Between timeout and deletion B still advertises the route, with metric 16 (RFC 2453 3.8).
  const advertised = b.sent.filter((s) => s.from === 'B' && s.ifIndex === 1 && s.t > L + seconds(180) && s.t < L + seconds(300)).flatMap((s) => s.entries);
  assert.ok(advertised.includes(`${STUB} 16`));
  assert.ok(!b.sent.some((s) => s.from === 'B' && s.t > L + seconds(300) && s.entries.some((e) => e.startsWith(STUB))), 'gone after garbage collection');
});

/** A (with three stubs) ── B. Returns the bench after convergence. */
function stubs(profile: RipProfile): RipBench {
  const b = new RipBench();
  b.add('A', profile, ['10.1.0.1/24', '10.11.0.1/24', '10.12.0.1/24', '10.13.0.1/24']);
  b.add('B', profile, ['10.1.0.2/24']);
  b.link('A', 0, 'B', 0);
  b.start();
  b.run(minutes(3));
  return b;
}

test('triggered updates: the first goes at once, changes during the 1–5 s hold-off are merged into one', () => {
  for (const profile of [FRR, CISCO_IOS]) {
    const b = stubs(profile);
    const a = b.routers.get('A')!.router;
    // Start right after a periodic update, so that none is due during the test.
    b.run(a.nextUpdateAt + seconds(0.5));
    const t1 = b.now;
    b.setInterface('A', 1, false);
    b.run(t1 + seconds(0.2));
    b.setInterface('A', 2, false);
    b.run(t1 + seconds(0.4));
    b.setInterface('A', 3, false);
    b.run(t1 + seconds(8));
    const toB = b.sent.filter((s) => s.from === 'A' && s.ifIndex === 0 && s.t >= t1 && s.command === 2);
    assert.equal(toB.length, 2, `${profile.name}: two triggered updates`);
    assert.equal(toB[0]!.t, t1, 'RFC 2453 3.10.1 / ripd: the first triggered update is not delayed');
    assert.deepEqual(toB[0]!.entries, ['10.11.0.0/24 16']);
    const holdoff = toB[1]!.t - t1;
    assert.ok(holdoff >= seconds(1) && holdoff <= seconds(5), `${profile.name}: hold-off ${holdoff}us within 1–5 s`);
    if (profile.triggeredHoldoff.wholeSeconds) assert.equal(holdoff % seconds(1), 0, 'ripd: random() % 5 + 1 whole seconds');
    assert.deepEqual(toB[1]!.entries, ['10.12.0.0/24 16', '10.13.0.0/24 16'], 'the two later changes merged, in prefix order');
  }
});

test('a periodic update cancels a pending triggered update', () => {
  const b = stubs(FRR);
  const a = b.routers.get('A')!.router;
  b.run(a.nextUpdateAt - seconds(0.6));
  const periodicAt = a.nextUpdateAt;
  const t1 = b.now;
  b.setInterface('A', 1, false); // triggered update at t1, hold-off ≥ 1 s
  b.run(t1 + seconds(0.1));
  b.setInterface('A', 2, false); // pending until the hold-off ends — but the periodic update comes first
  b.run(t1 + seconds(10));
  const toB = b.sent.filter((s) => s.from === 'A' && s.ifIndex === 0 && s.t >= t1 && s.t < t1 + seconds(10));
  assert.deepEqual(toB.map((s) => s.t), [t1, periodicAt]);
  assert.ok(toB[1]!.entries.includes('10.12.0.0/24 16'), 'the full update carries the pending change');
  assert.ok(toB[1]!.entries.includes('10.13.0.0/24 1'), 'and everything else');
});

test('start-up: FRR asks for the table at 1 s and sends its first update at 2 s; IOS does both at once', () => {
  for (const [profile, requestAt, updateAt] of [
    [FRR, seconds(1), seconds(2)],
    [CISCO_IOS, 0, 0],
  ] as const) {
    // Each with a stub network, so that there is something to advertise on the shared link.
    const b = new RipBench();
    b.add('A', profile, ['10.1.0.1/24', '10.11.0.1/24']);
    b.add('B', profile, ['10.1.0.2/24', '10.22.0.1/24']);
    b.link('A', 0, 'B', 0);
    b.start();
    b.run(seconds(3));
    const fromA = b.sent.filter((s) => s.from === 'A');
    const request = fromA.find((s) => s.command === 1)!;
    assert.equal(request.t, requestAt, `${profile.name} request`);
    assert.equal(request.dst, RIP_MULTICAST_GROUP);
    const firstPeriodic = fromA.find((s) => s.command === 2 && s.dst === RIP_MULTICAST_GROUP && s.entries.length > 0)!;
    assert.ok(firstPeriodic.t <= updateAt, `${profile.name}: first update by ${updateAt}`);
    // The whole-table request is answered straight to the requester (RFC 2453 3.9.1), unicast.
    const reply = b.sent.find((s) => s.from === 'B' && s.command === 2 && s.dst === ipv4('10.1.0.1'));
    assert.ok(reply !== undefined, `${profile.name}: unicast reply to the request`);
    assert.equal(reply.t, requestAt + b.delay, 'answered on receipt');
  }
});

test('update jitter: FRR whole seconds in [23, 37] s (update ± 25%); IOS in [25.5, 30] s (update − up to 15%)', () => {
  for (const profile of [FRR, CISCO_IOS]) {
    const b = new RipBench();
    b.add('A', profile, ['10.1.0.1/24', '10.11.0.1/24']);
    b.start();
    b.run(minutes(60));
    const times = b.sent.filter((s) => s.command === 2 && s.ifIndex === 0).map((s) => s.t);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    assert.ok(gaps.length > 90);
    for (const g of gaps) {
      if (profile === FRR) {
        assert.equal(g % seconds(1), 0);
        assert.ok(g >= seconds(23) && g <= seconds(37), `${g}`);
      } else {
        assert.ok(g >= seconds(25.5) && g <= seconds(30), `${g}`);
      }
    }
    assert.ok(new Set(gaps).size > 5, 'the intervals vary');
  }
});

test('split horizon leaves out routes learned on the interface; poisoned reverse sends them with 16', () => {
  for (const mode of ['on', 'poisoned-reverse', 'off'] as const) {
    const b = new RipBench();
    b.add('A', FRR, ['10.1.0.1/24', '10.11.0.1/24']);
    b.add('B', FRR, ['10.1.0.2/24', '10.22.0.1/24'], { splitHorizon: { e0: mode } });
    b.link('A', 0, 'B', 0);
    b.start();
    b.run(minutes(2));
    const last = b.sent.filter((s) => s.from === 'B' && s.ifIndex === 0 && s.command === 2).pop()!;
    const expected = {
      on: ['10.22.0.0/24 1'],
      'poisoned-reverse': ['10.1.0.0/24 16', '10.11.0.0/24 16', '10.22.0.0/24 1'],
      off: ['10.1.0.0/24 1', '10.11.0.0/24 2', '10.22.0.0/24 1'],
    }[mode];
    assert.deepEqual(last.entries, expected, mode);
  }
});

test('equal-cost paths: IOS installs up to 4 by default, FRR one unless allow-ecmp', () => {
  //   A ── B ── D(stub)      A reaches D's stub over B and over C, both 3.
  //   └─── C ──┘
  for (const [profile, extra, want] of [
    [CISCO_IOS, {}, 2],
    [FRR, {}, 1],
    [FRR, { maxPaths: 16 }, 2],
  ] as const) {
    const b = new RipBench();
    b.add('A', profile, ['10.1.0.1/24', '10.2.0.1/24'], extra);
    b.add('B', profile, ['10.1.0.2/24', '10.3.0.1/24'], extra);
    b.add('C', profile, ['10.2.0.2/24', '10.4.0.1/24'], extra);
    b.add('D', profile, ['10.3.0.2/24', '10.4.0.2/24', '10.9.0.1/24'], extra);
    b.link('A', 0, 'B', 0);
    b.link('A', 1, 'C', 0);
    b.link('B', 1, 'D', 0);
    b.link('C', 1, 'D', 1);
    b.start();
    b.run(minutes(2));
    assert.equal(b.paths('A', STUB).length, want, `${profile.name} ${JSON.stringify(extra)}`);
    assert.equal(b.metric('A', STUB), 3);
    // One path's neighbour goes silent: that path times out alone, the route stays.
    if (want === 2) {
      b.routers.get('B')!.mute = true;
      b.run(minutes(8));
      assert.equal(b.paths('A', STUB).length, 1);
      assert.equal(b.paths('A', STUB)[0]!.nextHop, ipv4('10.2.0.2'));
    }
  }
});

test('equal-cost paths: a poison from the neighbour of either path drops that path at once, the primary or an extra one', () => {
  //   A ── B(stub)      A reaches the anycast stub over B and over C, both metric 2 (IOS keeps both).
  //   └─── C(stub)      B, then in a second run C, loses its stub and poisons it (triggered update).
  // RFC 2453 3.9.2: a metric-16 route from the router a path goes through is that path's end; it
  // must not wait for A's own 180 s timeout (found on data/labs/anycast-3site, where r1 kept the
  // path to a halted xenial5 for 180 s and, by split horizon, never told r5 of xenial1's route).
  for (const [down, other] of [['B', '10.2.0.2'], ['C', '10.1.0.2']] as const) {
    const b = new RipBench();
    b.add('A', CISCO_IOS, ['10.1.0.1/24', '10.2.0.1/24']);
    b.add('B', CISCO_IOS, ['10.1.0.2/24', '10.9.0.1/24']);
    b.add('C', CISCO_IOS, ['10.2.0.2/24', '10.9.0.1/24']);
    b.link('A', 0, 'B', 0);
    b.link('A', 1, 'C', 0);
    b.start();
    b.run(minutes(2));
    assert.equal(b.paths('A', STUB).length, 2, 'IOS: two equal-cost paths');
    b.setInterface(down, 1, false);
    // The poison is a triggered update (at once, then 1 ms on the bench's link); 1 s is ample.
    b.run(minutes(2) + seconds(1));
    assert.deepEqual(b.paths('A', STUB).map((p) => p.nextHop), [ipv4(other)], `${down} poisoned: only the path via ${other} is left`);
  }
});

test('responses from a foreign port, from off-link sources, or of version 1 to a version-2 router are refused; off-link ones uncounted', () => {
  const b = new RipBench();
  const a = b.add('A', FRR, ['10.1.0.1/24']);
  b.start();
  b.run(seconds(2));
  const p = RipPayload.response(2, b.prefixes, Int32Array.of((b.prefixes.intern(ipv4('10.50.0.0'), 16) << 5) | 1), 0, 1);
  a.router.onPacket(b.now, 0, ipv4('10.1.0.9'), 1234, p);
  a.router.onPacket(b.now, 0, ipv4('10.2.0.9'), 520, p);
  a.router.onPacket(b.now, 0, ipv4('10.1.0.9'), 520, RipPayload.response(1, b.prefixes, Int32Array.of((b.prefixes.intern(ipv4('10.50.0.0'), 16) << 5) | 1), 0, 1));
  assert.equal(b.metric('A', '10.50.0.0/16'), 16);
  // The foreign port (rip_response_process "response doesn't come from RIP port") and the refused
  // version (rip_read "RIP Version check") are bad packets; the off-link source is not counted at all:
  // FRR ripd/ripd.c rip_read returns at "cannot find interface for packet from" before any
  // rip_peer_bad_packet, so no peer is listed for it.
  assert.equal(a.router.stats.badPackets, 2);
  assert.equal(a.router.peers.has(ipv4('10.2.0.9')), false);
  a.router.onPacket(b.now, 0, ipv4('10.1.0.9'), 520, p);
  assert.equal(b.metric('A', '10.50.0.0/16'), 2);
  // Bytes work as well as the compact form, and broken bytes are a bad packet, not an exception.
  a.router.onPacket(b.now, 0, ipv4('10.1.0.9'), 520, Uint8Array.of(2, 2, 0, 0, 0, 2, 0, 0, 10, 60, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3));
  assert.equal(b.metric('A', '10.60.0.0/16'), 4);
  a.router.onPacket(b.now, 0, ipv4('10.1.0.9'), 520, Uint8Array.of(2, 2, 0));
  assert.equal(a.router.stats.badPackets, 3);
});

test('IOS hold-down takes the route back from the neighbour it was learned from (and only from it)', () => {
  for (const accept of [true, false]) {
    const b = anycastSquare({ ...CISCO_IOS, holddownAcceptsSameSource: accept });
    b.run(minutes(2));
    const kill = b.now;
    b.routers.get('C')!.mute = true;
    const L = lastResponse(b, 'C', 'B', kill);
    b.run(L + seconds(200)); // in hold-down (180 s) and before the flush (240 s)
    b.routers.get('C')!.mute = false;
    b.run(minutes(12));
    const back = firstResponseAfter(b, 'C', 'B', L + seconds(200));
    const fib = b.routers.get('B')!.fib.filter((f) => f.prefix === STUB && f.t > kill);
    if (accept) {
      assert.ok(back < L + seconds(240));
      assert.equal(b.routers.get('B')!.events.filter((e) => e.prefix === STUB && e.kind === 'flush').length, 0, 'never flushed');
      assert.equal(b.paths('B', STUB)[0]!.nextHop, ipv4('10.1.0.2'));
    } else {
      assert.equal(fib[0]!.t, L + seconds(240), 'ignored until the flush');
    }
  }
});

test('RIP-1 from IOS without `version` is read with the receiving interface’s mask; ripd’s RIP-1 rule leaves out non-classful foreign subnets', () => {
  // IOS without `version 2` sends RIP-1 (classful, no masks) and accepts both; FRR sends 2, accepts both.
  const b = new RipBench();
  const ios = CISCO_IOS.defaultVersion;
  const frr = FRR.defaultVersion;
  b.add('A', CISCO_IOS, ['10.1.0.1/24', '10.11.0.1/24', '172.16.5.1/24'], { sendVersion: ios.send, receiveVersions: ios.receive, networks: [{ prefix: ipv4('10.0.0.0'), prefixLength: 8 }, { prefix: ipv4('172.16.0.0'), prefixLength: 16 }] });
  b.add('B', FRR, ['10.1.0.2/24', '10.22.0.1/24'], { sendVersion: frr.send, receiveVersions: frr.receive });
  b.link('A', 0, 'B', 0);
  b.start();
  b.run(minutes(4));
  // 10.11.0.0 is in B's interface's major network 10/8, which B's interface subnets as /24:
  // ripd takes /24. 172.16.5.0/24 is outside A's link's major network and not classful, so ripd's
  // RIP-1 output rule leaves it out. NOTE: IOS would send the summary 172.16.0.0 (auto-summary),
  // which is not modelled.
  assert.equal(b.metric('B', '10.11.0.0/24'), 2);
  assert.equal(b.metric('A', '10.22.0.0/24'), 2, 'IOS accepts RIP-2');
  const fromA = b.sent.filter((s) => s.from === 'A' && s.ifIndex === 0 && s.command === 2).pop()!;
  assert.equal(fromA.dst, ipv4('10.1.0.255'), 'RIP-1 goes to the subnet broadcast');
  assert.deepEqual(fromA.entries, ['10.11.0.0/24 1']);
  // B's start-up request was RIP-2 and was answered in RIP-2 (ripd answers in the request's
  // version), so B did learn 172.16.5.0/24 once; A's RIP-1 updates never refresh it, so it times out.
  const invalid = b.routers.get('B')!.events.find((e) => e.prefix === '172.16.5.0/24' && e.kind === 'invalid');
  assert.ok(invalid !== undefined && invalid.t > seconds(180) && invalid.t < seconds(182), 'timed out 180 s after the reply');
  assert.equal(b.metric('B', '172.16.0.0/16'), 16);
});

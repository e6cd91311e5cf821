/**
 * The two response paths of input.ts apply one set of RFC 2453 3.9.2 rules: the same responses,
 * given to one router in the simulator's compact form (`responseFast`) and to a twin as bytes
 * (`response`), leave the same table and the same calls on the ports, for both profiles.
 *
 *   A (10.1.0.2) ── e0 [router] e1 ── B (10.2.0.2)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seconds, type SimTime } from '../../sim/time';
import { ipv4 } from '../../wire/addr';
import { RIP_PACKED_METRIC_BITS, RIP_PORT, RipPayload } from '../../wire/rip';
import { CISCO_IOS, FRR, defaultRipConfig, type RipConfig, type RipProfile } from './params';
import { PrefixTable } from './prefixes';
import { RipRouter, type RipInterfaceView } from './router';

const A = ipv4('10.1.0.2');
const B = ipv4('10.2.0.2');

interface Twin {
  router: RipRouter;
  calls: string[];
  timerAt: SimTime;
}

function twin(profile: RipProfile, prefixes: PrefixTable): Twin {
  const interfaces: RipInterfaceView[] = [
    { index: 0, name: 'e0', addresses: [{ address: ipv4('10.1.0.1'), prefixLength: 24 }], operational: true, loopback: false },
    { index: 1, name: 'e1', addresses: [{ address: ipv4('10.2.0.1'), prefixLength: 24 }], operational: true, loopback: false },
  ];
  const config: RipConfig = { ...defaultRipConfig(profile), networks: [{ prefix: ipv4('10.0.0.0'), prefixLength: 8 }], sendVersion: 2, receiveVersions: [2] };
  const tw: Twin = { router: null as unknown as RipRouter, calls: [], timerAt: Number.POSITIVE_INFINITY };
  tw.router = new RipRouter(config, interfaces, prefixes, { next: () => 0.5 }, {
    setTimer: (at) => (tw.timerAt = at),
    send: (ifIndex, _src, dst, _port, payload) => tw.calls.push(`send ${ifIndex} ${dst} ${payload instanceof RipPayload ? payload.count : payload.length}`),
    routeChanged: (id) => tw.calls.push(`changed ${id} ${JSON.stringify(tw.router.forwardingPaths(id))}`),
    routeRefreshed: (id, nextHop, now) => tw.calls.push(`refreshed ${id} ${nextHop} ${now}`),
    event: (kind, id, now) => tw.calls.push(`${kind} ${id} ${now}`),
    staticRoutes: () => [],
  });
  tw.router.start(0);
  return tw;
}

function runUntil(tw: Twin, t: SimTime): void {
  while (tw.timerAt <= t) tw.router.onTimer(tw.timerAt);
}

test('responses: the compact and the byte path take, refresh, ignore and poison routes alike', () => {
  for (const profile of [FRR, CISCO_IOS]) {
    const prefixes = new PrefixTable();
    const p = (text: string): number => prefixes.intern(ipv4(text), 24);
    const [p1, p2, p3] = [p('10.9.1.0'), p('10.9.2.0'), p('10.9.3.0')];
    // [time s, neighbour, [prefix id, metric, tag]...]: new routes; the same again; from B an equal
    // (ECMP on IOS), a worse and a better one; from A a new tag and a worse metric; poisons; a route back.
    const steps: [number, number, [number, number, number][]][] = [
      [2, A, [[p1, 1, 0], [p2, 2, 0], [p3, 3, 0]]],
      [3, A, [[p1, 1, 0], [p2, 2, 0], [p3, 3, 0]]],
      [4, B, [[p1, 1, 0], [p2, 5, 0], [p3, 1, 0]]],
      [5, A, [[p1, 1, 7], [p2, 4, 0]]],
      [6, B, [[p1, 16, 0], [p3, 1, 0]]],
      [7, A, [[p2, 16, 0], [p1, 1, 7]]],
      [8, B, [[p2, 2, 0]]],
    ];
    const compact = twin(profile, prefixes);
    const bytes = twin(profile, prefixes);
    for (const [t, from, entries] of steps) {
      const buf = new Int32Array(entries.map(([id, metric]) => (id << RIP_PACKED_METRIC_BITS) | metric));
      const payload = RipPayload.response(2, prefixes, buf, 0, entries.length, null, new Uint16Array(entries.map((e) => e[2])));
      const encoded = new Uint8Array(payload.byteLength);
      payload.encodeInto(encoded, 0);
      const ifIndex = from === A ? 0 : 1;
      for (const [tw, message] of [[compact, payload], [bytes, encoded]] as const) {
        runUntil(tw, seconds(t));
        tw.router.onPacket(seconds(t), ifIndex, from, RIP_PORT, message);
      }
      const what = `${profile.name} at ${t} s`;
      assert.deepEqual(bytes.calls, compact.calls, what);
      assert.deepEqual(bytes.router.table.ids.map((id) => bytes.router.table.view(id)), compact.router.table.ids.map((id) => compact.router.table.view(id)), what);
    }
    assert.deepEqual(bytes.router.stats, compact.router.stats);
    assert.ok(compact.calls.some((c) => c.startsWith('refreshed')) === profile.fibAgeRefresh, `${profile.name}: routeRefreshed only where the profile resets ages`);
    assert.ok(compact.calls.some((c) => c.startsWith('invalid')), `${profile.name}: the poisons were taken`);
  }
});

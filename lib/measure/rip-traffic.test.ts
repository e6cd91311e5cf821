/**
 * RIP's cost per link, and `timers basic` applied to a whole lab.
 *
 * Where the expected figures come from:
 * - IOS sends a periodic update every 30 s minus up to 15 % (Doyle, "Routing TCP/IP" ch. 5: 25.5–30 s),
 *   so one router sends between 3600/30 = 120 and 3600/25.5 = 141.2 updates an hour (mean 129.7);
 *   two routers on the r1–r2 cable between 240 and 283.
 * - A RIP v2 response with n routes is 4 + 20n bytes (RFC 2453 §4), carried in UDP (8), IPv4 (20)
 *   and Ethernet (14) headers: 46 + 20n bytes a frame, above the 60-byte minimum for any n ≥ 1. The
 *   test reads n from a capture of the same window.
 * - With `timers basic 5 15 15 20` an IOS router sends every 4.25–5 s: 720–847 updates an hour.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { minutes, seconds } from '../sim/time';
import { IPPROTO_UDP, type Ipv4Packet } from '../wire/types';
import { isUdpDatagram } from '../wire/udp';
import { RipPayload, RIP_PORT } from '../wire/rip';
import { wireLength } from '../net/segment';
import { loadLab } from '../config/load';
import { Lab } from '../lab/lab';
import { ripConfigFromSpec } from '../lab/routing';
import { parseRipTimers, withRipProfile, withRipTimers } from '../config/overrides';
import { startRipTrafficMeter } from './rip-traffic';
import { measureFailover } from './failover';

const LAB = join(__dirname, '..', '..', 'data', 'labs', 'anycast');
const ANYCAST = loadLab(LAB, { do_anycast: true });
const CISCO = withRipProfile(ANYCAST, 'cisco-ios');

test('RIP traffic on r1–r2 over an hour: as many packets as two IOS update schedules give, bytes = 46 + 20 × routes per frame, equal to a capture of the same window', () => {
  const lab = new Lab(ANYCAST, { seed: 1 });
  const meter = startRipTrafficMeter(lab, { from: minutes(5), until: minutes(65) });
  lab.runUntil(minutes(5));
  const capture = lab.capture('r1-r2');
  lab.runUntil(minutes(65));
  capture.stop();
  const rows = meter.rows();
  const link = rows.find((r) => r.link === 'r1-r2')!;
  assert.equal(link.kind, 'p2p');
  assert.ok(link.packets >= 240 && link.packets <= 283, `${link.packets} packets`);
  const rip = capture.frames.filter((f) => {
    const p = f.frame.payload as Ipv4Packet;
    return f.time < minutes(65) && p.protocol === IPPROTO_UDP && isUdpDatagram(p.payload) && p.payload.dstPort === RIP_PORT;
  });
  assert.equal(link.packets, rip.length);
  let bytes = 0;
  for (const f of rip) {
    const udp = (f.frame.payload as Ipv4Packet).payload;
    assert.ok(isUdpDatagram(udp) && udp.payload instanceof RipPayload);
    const routes = udp.payload.toMessage().entries.length;
    assert.equal(wireLength(f.frame), 46 + 20 * routes);
    bytes += 46 + 20 * routes;
  }
  assert.equal(link.bytes, bytes);
  assert.equal(link.packetsPerSecond, link.packets / 3600);
  assert.equal(link.bytesPerSecond, link.bytes / 3600);
  // Every segment has a row; xenial3's LAN hears r3 alone (xenial3 runs no RIP): half the cable's rate.
  assert.deepEqual(rows.map((r) => r.link), [...lab.network.segments.keys()]);
  const lan3 = rows.find((r) => r.link === 'vboxnet3')!;
  assert.ok(lan3.packets >= 120 && lan3.packets <= 142, `${lan3.packets} packets on vboxnet3`);
  assert.throws(() => startRipTrafficMeter(lab, { until: minutes(60) }), /must be after from/);
  const early = startRipTrafficMeter(lab, { until: minutes(70) });
  assert.throws(() => early.rows(), /run it to 1h10m first/);
});

test('withRipTimers "5 15 15 20": every speaker updates six times as often; the traffic follows', () => {
  const tuned = withRipTimers(ANYCAST, '5 15 15 20');
  for (const n of tuned.nodes) if (n.rip !== null) assert.deepEqual(n.rip.timers, { flavour: 'ios', update: seconds(5), invalid: seconds(15), holddown: seconds(15), flush: seconds(20), source: { file: 'withRipTimers', line: 1 } });
  // IOS keeps its hold-down; ripd maps flush − invalid to its garbage timer (lib/lab/routing.ts).
  const r1 = ripConfigFromSpec(tuned.nodes.find((n) => n.name === 'r1')!.rip!);
  assert.deepEqual(r1.profile.timers, { update: seconds(5), invalid: seconds(15), holddown: seconds(15), flush: seconds(20), garbage: null });
  const x1 = ripConfigFromSpec(tuned.nodes.find((n) => n.name === 'xenial1')!.rip!);
  assert.deepEqual(x1.profile.timers, { update: seconds(5), invalid: seconds(15), holddown: null, flush: null, garbage: seconds(5) });
  const frr = withRipTimers(ANYCAST, ' 5 15 10 ');
  assert.deepEqual(ripConfigFromSpec(frr.nodes.find((n) => n.name === 'xenial1')!.rip!).profile.timers, { update: seconds(5), invalid: seconds(15), holddown: null, flush: null, garbage: seconds(10) });
  const lab = new Lab(withRipProfile(tuned, 'cisco-ios'), { seed: 1 });
  const meter = startRipTrafficMeter(lab, { from: minutes(5), until: minutes(65) });
  lab.runUntil(minutes(65));
  const link = meter.rows().find((r) => r.link === 'r1-r2')!;
  assert.ok(link.packets >= 2 * 720 && link.packets <= 2 * 848, `${link.packets} packets`);
  // Tuned timers make a halted server's route time out after 15 s instead of 180 s.
  const halt = measureFailover({ lab: CISCO, timers: '5 15 15 20', fail: 'xenial1:halt', at: minutes(2), until: minutes(4) });
  assert.ok(halt.outageSeconds !== null && halt.outageSeconds >= 15 && halt.outageSeconds <= 20 + 5 + 5 + 1, `outage ${halt.outageSeconds} s`);
});

test('timers as text: IOS or FRR form, errors say which forms and ranges', () => {
  assert.equal(parseRipTimers('5 15 10').flavour, 'frr');
  assert.equal(parseRipTimers('5 15 15 20').flavour, 'ios');
  assert.throws(() => parseRipTimers('5 15'), /timers: expected IOS "<update> <invalid> <holddown> <flush>" \(e\.g\. "5 15 15 20"\) or FRR "<update> <timeout> <garbage>" \(e\.g\. "5 15 10"\) in seconds, got "5 15"/);
  assert.throws(() => parseRipTimers('4 15 10'), /timers: expected "timers basic <update> <timeout> <garbage>", each 5-2147483647 seconds in every FRR release \(ripd\/rip_cli\.c\), e\.g\. "timers basic 30 180 120", got "4 15 10"/);
  assert.throws(() => parseRipTimers('0 15 15 20'), /timers: expected "timers basic <update> <invalid> <holddown> <flush>"/);
  assert.throws(() => parseRipTimers('5s 15 15 20'), /got "5s 15 15 20"/);
});

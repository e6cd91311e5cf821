/**
 * The session state machine (RFC 5880) between two ends wired back to back with a fixed one-way
 * delay, driven by a small loop of deadlines: the three-way handshake of §6.2 (Down → Init → Up),
 * the §6.8.7 transmit interval and jitter, and §6.8.4's detection time when one end goes silent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BFD_DIAG_DETECT_EXPIRED, BFD_DIAG_NEIGHBOR_DOWN, BFD_DOWN, BFD_INIT, BFD_UP, type BfdControl, type BfdState } from '../../wire/bfd';
import { Rng } from '../../sim/rng';
import { BFD_SLOW_TX, BfdSession, FRR_BFD_DEFAULTS, acceptable } from './session';

const DELAY = 1000; // 1 ms one way

interface End {
  session: BfdSession;
  sent: { at: number; packet: BfdControl }[];
  changes: { at: number; from: BfdState; to: BfdState; diag: number }[];
  silent: boolean;
}

/** Two sessions and a loop: each call to `runUntil` fires timers and deliveries in time order. */
function pair(timers = FRR_BFD_DEFAULTS) {
  let now = 0;
  const inFlight: { at: number; to: End; packet: BfdControl }[] = [];
  const mk = (discr: number, seed: number): End => {
    const end: End = { session: null as unknown as BfdSession, sent: [], changes: [], silent: false };
    end.session = new BfdSession(discr, timers, Rng.fromSeed(seed), {
      send: (packet) => {
        if (end.silent) return;
        end.sent.push({ at: now, packet });
        inFlight.push({ at: now + DELAY, to: end === a ? b : a, packet });
      },
      stateChanged: (at, from, to, diag) => end.changes.push({ at, from, to, diag }),
    }, 0);
    return end;
  };
  const a = mk(11, 1);
  const b = mk(22, 2);
  a.session.start(0);
  b.session.start(0);
  const runUntil = (until: number) => {
    for (let guard = 0; guard < 1_000_000; guard++) {
      inFlight.sort((x, y) => x.at - y.at);
      const next = Math.min(a.silent ? Infinity : a.session.nextDeadline(), b.silent ? Infinity : b.session.nextDeadline(), inFlight[0]?.at ?? Infinity);
      if (next > until) {
        now = until;
        return;
      }
      now = next;
      if (inFlight[0]?.at === now) {
        const d = inFlight.shift()!;
        if (!d.to.silent) d.to.session.onPacket(now, d.packet);
      } else if (!a.silent && a.session.nextDeadline() === now) a.session.onTimer(now);
      else b.session.onTimer(now);
    }
    throw new Error('loop did not settle');
  };
  return { a, b, runUntil, now: () => now };
}

test('§6.2: both ends come Up through Init; Down packets at the slow rate (§6.8.3) before, the profile rate after', () => {
  const { a, b, runUntil } = pair();
  runUntil(10_000_000);
  assert.equal(a.session.state, BFD_UP);
  assert.equal(b.session.state, BFD_UP);
  // One end sees the other's Down and goes Init; the other sees Init and goes Up (§6.8.6's table).
  const states = (e: End) => e.changes.map((c) => c.to);
  assert.ok([states(a), states(b)].some((s) => s.join() === [BFD_INIT, BFD_UP].join()));
  assert.ok([states(a), states(b)].some((s) => s.join() === [BFD_UP].join()));
  const first = [a.sent[0]!, b.sent[0]!].sort((x, y) => x.at - y.at)[0]!.packet;
  assert.equal(first.state, BFD_DOWN);
  assert.equal(first.desiredMinTxUs, BFD_SLOW_TX, '§6.8.3: not less than one second while not Up');
  assert.equal(first.yourDiscriminator, 0, 'the neighbour is not known yet');
  const upAt = a.changes.find((c) => c.to === BFD_UP)!.at;
  const later = a.sent.filter((s) => s.at > upAt + 2_000_000);
  assert.ok(later.every((s) => s.packet.desiredMinTxUs === 300_000 && s.packet.yourDiscriminator === 22));
  // §6.8.7: every gap between periodic packets is 75–100 % of the agreed 300 ms.
  const gaps = later.slice(1).map((s, i) => s.at - later[i]!.at);
  assert.ok(gaps.length > 20);
  for (const g of gaps) assert.ok(g >= 225_000 && g <= 300_000, `gap ${g} µs outside 225–300 ms`);
  assert.ok(Math.min(...gaps) < 240_000 && Math.max(...gaps) > 285_000, 'the jitter spreads over the range');
});

test('§6.8.4: a silent neighbour takes the session Down exactly detect mult × interval after its last packet', () => {
  const { a, b, runUntil } = pair();
  runUntil(10_000_000);
  b.silent = true; // b halts: it sends nothing more
  runUntil(12_000_000);
  const down = a.changes.at(-1)!;
  assert.equal(down.to, BFD_DOWN);
  assert.equal(down.diag, BFD_DIAG_DETECT_EXPIRED);
  // Detection time = b's Detect Mult (3) × max(a's Required Min RX, b's Desired Min TX) = 3 × 300 ms.
  assert.equal(down.at, a.session.lastRxAt + 900_000);
  assert.ok(down.at - 10_000_000 <= 900_000);
  assert.equal(a.session.remoteDiscriminator, 0, 'ptm_bfd_sess_dn forgets the neighbour');
});

test('§6.8.6: a neighbour that says Down takes an Up session Down with diag 3; discard rules', () => {
  const { a, b, runUntil } = pair();
  runUntil(10_000_000);
  const p: BfdControl = { ...b.sent.at(-1)!.packet, state: BFD_DOWN, poll: false, final: false };
  a.session.onPacket(10_000_001, p);
  assert.equal(a.session.state, BFD_DOWN);
  assert.equal(a.session.localDiag, BFD_DIAG_NEIGHBOR_DOWN);
  const ok = { ...p, yourDiscriminator: 11 };
  assert.equal(acceptable(ok, 11), true);
  assert.equal(acceptable({ ...ok, version: 0 }, 11), false, 'version 1 only');
  assert.equal(acceptable({ ...ok, detectMult: 0 }, 11), false, 'detect mult 0');
  assert.equal(acceptable({ ...ok, multipoint: true }, 11), false, 'multipoint');
  assert.equal(acceptable({ ...ok, myDiscriminator: 0 }, 11), false, 'my discriminator 0');
  assert.equal(acceptable({ ...ok, yourDiscriminator: 12 }, 11), false, 'not our discriminator');
  assert.equal(acceptable({ ...ok, yourDiscriminator: 0, state: BFD_UP }, 11), false, 'your discriminator 0 while Up');
  assert.equal(acceptable({ ...ok, length: 23 }, 11), false, 'length under 24');
  assert.equal(acceptable({ ...ok, authPresent: true, length: 26 }, 11), false, 'no authentication configured');
});

test('§6.8.7: with detect mult 1 the interval is at most 90 % of the agreed one', () => {
  const { a, runUntil } = pair({ transmitInterval: 100_000, receiveInterval: 100_000, detectMultiplier: 1 });
  runUntil(10_000_000);
  const upAt = a.changes.find((c) => c.to === BFD_UP)!.at;
  const later = a.sent.filter((s) => s.at > upAt + 2_000_000 && !s.packet.final);
  const gaps = later.slice(1).map((s, i) => s.at - later[i]!.at);
  for (const g of gaps) assert.ok(g >= 75_000 && g <= 90_000, `gap ${g}`);
});

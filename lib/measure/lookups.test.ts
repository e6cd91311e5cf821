/**
 * Resolver what-ifs (resolverExperiment): what a client's lookups suffer when its first name server
 * dies, per resolver and resolv.conf option, against anycast's outage.
 *
 * Where the expected figures come from:
 * - Round trips from xenial3 (data/labs/anycast header, fitted to the write-up): to xenial1 through
 *   one router ≈ 15 ms (§2: 14.6 ms; §4.3.5: 11.5–19.1 ms), to xenial2 through four ≈ 39 ms
 *   (§4.3.5: 36.6–53.3 ms). Written RTT1 and RTT4 below; the ranges allow the lab's 2–6 ms per router.
 * - glibc (resolv.conf(5); res_send.c send_dg): `timeout` default 5 s (RES_TIMEOUT), `attempts`
 *   default 2 (RES_DFLRETRY); server ns (0-based) of nscount waits `timeout << ns`, divided by
 *   nscount when ns > 0, at least 1 s; its UDP socket is connected, so an ICMP port unreachable
 *   (named stopped, host up) moves to the next server at once. `rotate`: glibc 2.23 rotates the
 *   list by one before each res_send, so a fresh process asks the second server first; 2.26+ starts
 *   a per-process counter at random.
 * - nslookup of BIND 9.10 (the write-up's clients): 1 s for every server but the last (dighost.c
 *   SERVER_TIMEOUT), the ICMP error ignored: §3.4, "This takes a full second longer" (real 1.036 s
 *   and 1.045 s with BIND stopped on xenial1; the capture sends to the next server at +1.0 s).
 * - Anycast: the client has one name server, 10.128.224.2; while RIP still routes to the halted
 *   server every lookup fails after attempts × timeout (glibc: 2 × 5 s). How long that lasts is
 *   failover.test.ts's outage for a Cisco run, [210, 275] s.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minutes, seconds } from '../sim/time';
import { LabFileError } from '../config/errors';
import { labPath } from '../config/paths';
import { resolverExperiment } from './lookups';
import { type ResolverLookupRow } from '../results/rows';

const LAB = labPath('anycast');
const RTT1: [number, number] = [10, 22];
const RTT4: [number, number] = [30, 60];

function within(rows: readonly ResolverLookupRow[], base: number, [lo, hi]: [number, number], what: string): void {
  for (const r of rows) assert.ok(r.latencyMs >= base + lo && r.latencyMs <= base + hi, `${what}: ${r.latencyMs} ms at ${r.t / 1e6} s, expected ${base} ms + [${lo}, ${hi}]`);
}

test('no failure: glibc asks the first server, xenial1, one router away', () => {
  const r = resolverExperiment({ lab: LAB, count: 10 });
  within(r.rows, 0, RTT1, 'baseline');
  assert.ok(r.rows.every((x) => x.ok && x.server === '10.128.5.2' && x.answeredBy === 'xenial1' && x.client === 'xenial3' && x.tool === 'glibc'));
  assert.equal(r.summary.lookups, 10);
  assert.equal(r.summary.failed, 0);
  assert.equal(r.summary.baselineMs, r.summary.medianMs, 'without a failure the run is its own baseline');
  assert.ok(r.summary.lostSeconds < 0.05, `lost ${r.summary.lostSeconds} s: only the jitter above the median`);
});

test('first server halted: glibc waits its 5 s timeout, nslookup (BIND 9.10) 1 s, glibc with timeout:1 1 s', () => {
  // glibc: timeout << 0 = 5 s for ns 0, then xenial2 answers: 5000 ms + RTT4.
  const glibc = resolverExperiment({ lab: LAB, fail: 'xenial1:halt', at: minutes(2), count: 10 });
  within(glibc.rows, 5000, RTT4, 'glibc, halt');
  assert.ok(glibc.rows.every((x) => x.ok && x.server === '10.128.6.2' && x.answeredBy === 'xenial2'));
  within([{ ...glibc.rows[0]!, latencyMs: glibc.summary.baselineMs! }], 0, RTT1, 'baseline from the twin run without the failure');
  // Lost: each lookup waits 5 s + RTT4 − RTT1 beyond the baseline: 10 × (5.015..5.05) s.
  assert.ok(glibc.summary.lostSeconds >= 50.1 && glibc.summary.lostSeconds <= 50.5, `lost ${glibc.summary.lostSeconds} s`);
  // resolv.conf(5) timeout:1: 1 s for ns 0.
  const fast = resolverExperiment({ lab: LAB, fail: 'xenial1:halt', resolvOptions: 'timeout:1', count: 10 });
  within(fast.rows, 1000, RTT4, 'glibc timeout:1, halt');
  // attempts only counts rounds over all servers: the second server answers in the first round.
  const once = resolverExperiment({ lab: LAB, fail: 'xenial1:halt', resolvOptions: 'attempts:1', count: 10 });
  within(once.rows, 5000, RTT4, 'glibc attempts:1, halt');
  // nslookup 9.10: SERVER_TIMEOUT 1 s for a server that is not the last.
  const bind = resolverExperiment({ lab: LAB, fail: 'xenial1:halt', resolver: 'bind-9.10', count: 10 });
  within(bind.rows, 1000, RTT4, 'nslookup 9.10, halt');
  assert.equal(bind.rows[0]!.tool, 'bind-9.10');
});

test('only named stopped: glibc moves on at the ICMP port unreachable, nslookup 9.10 ignores it and loses the write-up\'s full second', () => {
  // glibc: the port unreachable comes back after ≈ RTT1, then xenial2: RTT1 + RTT4.
  const glibc = resolverExperiment({ lab: LAB, fail: 'xenial1:named-stop', count: 10 });
  within(glibc.rows, 0, [RTT1[0] + RTT4[0], RTT1[1] + RTT4[1]], 'glibc, named-stop');
  assert.ok(glibc.rows.every((x) => x.answeredBy === 'xenial2'));
  // §3.4: "This takes a full second longer": 1000 ms + RTT4.
  const bind = resolverExperiment({ lab: LAB, fail: 'xenial1:named-stop', resolver: 'bind-9.10', count: 10 });
  within(bind.rows, 1000, RTT4, 'nslookup 9.10, named-stop');
});

test('rotate, a fresh process per lookup: glibc 2.23 always starts at the second server; 2.26+ at a random one', () => {
  // 2.23: rotated by one before the first send, so xenial2 first, with or without the failure.
  const old = resolverExperiment({ lab: LAB, fail: 'xenial1:halt', resolvOptions: 'rotate', count: 20 });
  within(old.rows, 0, RTT4, 'glibc 2.23 rotate, halt');
  assert.ok(old.rows.every((x) => x.server === '10.128.6.2'));
  assert.equal(old.rows[0]!.tool, 'glibc (rotate, glibc-2.23)');
  // 2.26+: each process starts at xenial1 or xenial2 (random_bits() % 2): those starting at the dead
  // xenial1 wait its 5 s (its index in resolv.conf is 0: timeout << 0), the others do not.
  const r = resolverExperiment({ lab: LAB, fail: 'xenial1:halt', resolvOptions: 'rotate', rotation: 'glibc-2.26', count: 60 });
  const slow = r.rows.filter((x) => x.latencyMs > 1000);
  const quick = r.rows.filter((x) => x.latencyMs <= 1000);
  within(slow, 5000, RTT4, 'started at xenial1');
  within(quick, 0, RTT4, 'started at xenial2');
  // Half of 60 in expectation; the seed fixes the draw (binomial(60, ½): 99.9 % in [17, 43]).
  assert.ok(slow.length >= 17 && slow.length <= 43, `${slow.length} of 60 started at the dead server`);
  // BIND's tools have no rotate (resconf.c): the option changes nothing for nslookup.
  const bind = resolverExperiment({ lab: LAB, fail: 'xenial1:halt', resolver: 'bind-9.10', resolvOptions: 'rotate', count: 5 });
  within(bind.rows, 1000, RTT4, 'nslookup 9.10 with rotate');
});

test('three name servers: the second one waits timeout << 1 / 3 = 3 s (10.128.6.99 is no host)', () => {
  // xenial1 halted (5 s), 10.128.6.99 silent (5 << 1 = 10, / 3 = 3 s), then xenial2: 8000 ms + RTT4.
  const conf = 'search home\nnameserver 10.128.5.2\nnameserver 10.128.6.99\nnameserver 10.128.6.2\n';
  const r = resolverExperiment({ lab: LAB, fail: 'xenial1:halt', resolvConf: conf, count: 5 });
  within(r.rows, 8000, RTT4, 'three servers, two silent');
  // With a third server that answers (xenial5 of the three-site lab) nothing changes for the client
  // of a halted first server: the second still answers after the first's 5 s.
  const three = resolverExperiment({ lab: labPath('anycast-3site'), fail: 'xenial1:halt', resolvConf: 'search home\nnameserver 10.128.5.2\nnameserver 10.128.6.2\nnameserver 10.128.10.2\n', count: 5 });
  within(three.rows, 5000, RTT4, 'three servers, first halted');
});

test('anycast instead: every lookup fails after attempts × timeout until RIP moves the route', () => {
  const anycast = { lab: LAB, options: { do_anycast: true }, resolvConf: 'search home\nnameserver 10.128.224.2\n', name: 'test', fail: 'xenial1:halt', at: minutes(2), count: 330 };
  const r = resolverExperiment(anycast);
  const failed = r.rows.filter((x) => !x.ok);
  // glibc defaults: 2 attempts × 5 s on the one server.
  assert.ok(failed.every((x) => x.latencyMs === 10_000), 'each failed lookup gave up after 2 × 5 s');
  // One lookup a second: the failed ones span the outage, [210, 275] s for IOS (failover.test.ts).
  assert.ok(failed.length >= 200 && failed.length <= 275, `${failed.length} failed lookups`);
  // The schedule starts at the halt: the first lookups already fail; once RIP has moved, the test
  // host's address says the far server answers, and every lookup after the first answered one does.
  assert.ok(!r.rows[0]!.ok);
  const firstOk = r.rows.findIndex((x) => x.ok);
  assert.ok(r.rows.slice(firstOk).every((x) => x.ok && x.answeredBy === 'xenial2'), 'after the outage the far server answers');
  assert.ok(r.summary.baselineMs! >= RTT1[0] && r.summary.baselineMs! <= RTT1[1], 'without the failure the near xenial1 answers in RTT1');
  // timeout:1 attempts:1 shortens each failure to 1 s, not the outage.
  const short = resolverExperiment({ ...anycast, resolvOptions: 'timeout:1 attempts:1' });
  const shortFailed = short.rows.filter((x) => !x.ok);
  assert.ok(shortFailed.every((x) => x.latencyMs === 1000));
  assert.ok(Math.abs(shortFailed.length - failed.length) <= 10, 'the same outage, give or take the 10 s lookups that straddle its end');
  assert.ok(short.summary.lostSeconds < r.summary.lostSeconds / 5);
});

test('a schedule of lookups, and the same seed gives the same rows', () => {
  const o = { lab: LAB, fail: 'xenial1:halt', schedule: [0, seconds(2), seconds(30)], seed: 7 };
  const a = resolverExperiment(o);
  assert.deepEqual(a.rows.map((x) => x.t), [minutes(2), minutes(2) + seconds(2), minutes(2) + seconds(30)]);
  assert.deepEqual(resolverExperiment(o), a);
});

test('bad input: resolv.conf text errors name the line; options, failure and client are checked', () => {
  assert.throws(
    () => resolverExperiment({ lab: LAB, resolvConf: 'search home\nnameserver 10.128.5.2\noptions timeout:x\nnamserver 10.128.6.2\n', count: 1 }),
    (e: unknown) => e instanceof LabFileError && e.message === 'resolv.conf:3: options "timeout:x": expected timeout:<n> with a whole number n ≥ 1\nresolv.conf:4: "namserver": expected nameserver, domain, search or options',
  );
  assert.throws(() => resolverExperiment({ lab: LAB, resolvConf: 'search home\n', count: 1 }), /resolv\.conf: no nameserver line/);
  assert.throws(() => resolverExperiment({ lab: LAB, resolvOptions: 'timeout:1 rotat', count: 1 }), /^Error: resolvOptions: "rotat": not an option the simulator models/);
  assert.throws(() => resolverExperiment({ lab: LAB, fail: 'xenial1:halt@2m', count: 1 }), /give the failure without its time/);
  assert.throws(() => resolverExperiment({ lab: LAB, fail: 'xenial1:stop', count: 1 }), /fail: .*unknown failure mode "stop"/);
  assert.throws(() => resolverExperiment({ lab: LAB, client: 'xenial9', count: 1 }), /client: no node "xenial9"/);
  assert.throws(() => resolverExperiment({ lab: LAB, schedule: [] }), /schedule: give at least one lookup/);
  assert.throws(() => resolverExperiment({ lab: LAB, resolver: 'musl' as 'glibc' }), /resolver: expected one of glibc, bind-9\.10, bind-9\.18, got "musl"/);
  assert.throws(() => resolverExperiment({ lab: LAB, rotation: 'glibc-2.17' as 'glibc-2.23' }), /rotation: expected glibc-2\.23 or glibc-2\.26/);
  assert.throws(() => resolverExperiment({ lab: LAB, count: 0 }), /count: expected a whole number ≥ 1, got 0/);
  assert.throws(() => resolverExperiment({ lab: LAB, interval: 0 }), /interval: expected a duration longer than 0s/);
});

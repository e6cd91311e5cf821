/**
 * The write-up's DNS figures (§3.1, §3.3, §3.4) on the simulated anycast lab (unicast set-up).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Lab } from './lab';
import { loadLab } from '../config/load';
import { namedOf } from './dns';
import { packetRows, formatPacketList, packetDetails, packetHexdump } from './capture-view';
import { seconds } from '../sim/time';
import { DnsServerCore } from '../proto/dns/server';
import { serversByZoneAnswer } from '../config/node-dns';
import { copiedLab } from '../config/dns-test-support';
import { serversByAnswer } from '../measure/probes';

const DIR = join(__dirname, '../../data/labs/anycast');
const AT = seconds(60); // after RIP has converged

/** The write-up's lab; `allow_recursion` is the lab option for the §3.1 fix (on by default). */
function lab(options: { allow_recursion?: boolean; failures?: string[] } = {}): Lab {
  return new Lab(loadLab(DIR, { allow_recursion: options.allow_recursion ?? true }), { failures: options.failures ?? [] });
}

const realSeconds = (out: string) => Number(/real\t0m([\d.]+)s/.exec(out)![1]);

test('named runs on the bind9 servers only, one socket per address', () => {
  const l = lab();
  l.runUntil(AT);
  assert.ok(namedOf(l.node('xenial1')) !== null && namedOf(l.node('xenial2')) !== null);
  assert.equal(namedOf(l.node('xenial3')), null);
  assert.deepEqual(namedOf(l.node('xenial1'))!.listening().length, 2); // 127.0.0.1 and 10.128.5.2
});

test('§3.1: without allow-recursion a name outside the zones is REFUSED (RA=0); after the fix it is not', () => {
  const before = lab({ allow_recursion: false }).exec('xenial3', 'nslookup www.example.com', { at: AT });
  assert.match(before, /;; Got recursion not available from 10\.128\.5\.2#53, trying next server/);
  assert.match(before, /\*\* server can't find www\.example\.com: REFUSED/);
  const dig = lab({ allow_recursion: false }).exec('xenial3', 'dig @10.128.5.2 www.example.com', { at: AT });
  assert.match(dig, /status: REFUSED/);
  assert.match(dig, /flags: qr rd;/);
  assert.match(dig, /WARNING: recursion requested but not available/);
  const after = lab({ allow_recursion: true }).exec('xenial3', 'nslookup r1', { at: AT });
  assert.equal(after, 'Server:\t\t10.128.5.2\nAddress:\t10.128.5.2#53\n\nName:\tr1.home\nAddress: 10.128.3.1\n');
});

test('§3.4: time nslookup r1 — 0.103 s with both servers, ~1.04 s with xenial1 BIND stopped (bind-9.10 preset)', () => {
  const up = lab({ allow_recursion: true }).exec('xenial4', 'time nslookup r1', { at: AT });
  assert.match(up, /^Server:\t\t10\.128\.5\.2\n/);
  // write-up 0.103 s; simulated ~0.086 s (40 ms process overhead + ~45 ms through four routers).
  assert.ok(Math.abs(realSeconds(up) - 0.103) < 0.03, up);
  const down = lab({ allow_recursion: true, failures: ['xenial1:named-stop@0s'] }).exec('xenial4', 'time nslookup r1', { at: AT });
  assert.match(down, /^Server:\t\t10\.128\.6\.2\nAddress:\t10\.128\.6\.2#53\n\nName:\tr1\.home\nAddress: 10\.128\.3\.1\n/);
  // write-up 1.036 s (xenial4) and 1.045 s (xenial3): 1 s SERVER_TIMEOUT + round trip + process.
  assert.ok(Math.abs(realSeconds(down) - 1.036) < 0.04, down);
  const down3 = lab({ allow_recursion: true, failures: ['xenial1:named-stop@0s'] }).exec('xenial3', 'time nslookup r1', { at: AT });
  assert.ok(Math.abs(realSeconds(down3) - 1.045) < 0.05, down3);
});

test('§3.4 capture: port unreachable within a few ms, next server after 1.0 s; pcap decodes in tshark', () => {
  const l = lab({ allow_recursion: true, failures: ['xenial1:named-stop@0s'] });
  l.runUntil(AT);
  const cap = l.capture('xenial3:eth1');
  l.exec('xenial3', 'nslookup r1');
  cap.stop();
  const rows = packetRows(cap, { filter: (r) => r.protocol !== 'ARP' });
  const t0 = rows[0]!.time;
  assert.deepEqual(rows.map((r) => [r.source, r.destination, r.protocol, r.info]), [
    ['10.128.7.2', '10.128.5.2', 'DNS', 'Standard query A r1.home'],
    ['10.128.5.2', '10.128.7.2', 'ICMP', 'Destination unreachable (Port unreachable)'],
    ['10.128.7.2', '10.128.6.2', 'DNS', 'Standard query A r1.home'],
    ['10.128.6.2', '10.128.7.2', 'DNS', 'Standard query response A 10.128.3.1'],
  ]);
  // write-up: ICMP at +3.6 ms, retry at +0.996 s, answer 16.6 ms later (packets 3–6). Captured on
  // xenial3's link the ICMP comes back after a round trip through r3 (~17 ms here, the 14.6 ms of
  // the §2 ping); the write-up's 3.6 ms matches a capture point next to xenial1 instead.
  assert.ok(rows[1]!.time - t0 < 0.02, formatPacketList(rows));
  assert.ok(Math.abs(rows[2]!.time - t0 - 1.0) < 0.005, formatPacketList(rows));
  assert.match(packetDetails(cap, rows[0]!.no), /Transaction ID: 0x[0-9a-f]{4}\n    Flags: 0x0100 Standard query/);
  assert.match(packetHexdump(cap, rows[0]!.no), /^0000  /);
  const tshark = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
  if (tshark.status !== 0) return; // tshark not installed: the pcap is checked by pcap.test.ts's reader
  const dir = mkdtempSync(join(tmpdir(), 'dns-pcap-'));
  try {
    const file = join(dir, 'x.pcap');
    writeFileSync(file, cap.toPcap());
    const out = spawnSync('tshark', ['-r', file, '-Y', 'dns || icmp', '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', '_ws.col.Info'], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const lines = out.stdout.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0]!, /10\.128\.7\.2\t10\.128\.5\.2\tStandard query 0x[0-9a-f]{4} A r1\.home/);
    assert.match(lines[1]!, /Destination unreachable \(Port unreachable\)/);
    assert.match(lines[3]!, /Standard query response 0x[0-9a-f]{4} A r1\.home A 10\.128\.3\.1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('glibc (getent hosts): service down → next server at once; host down → 5 s per wait', () => {
  const svc = lab({ allow_recursion: true, failures: ['xenial1:named-stop@0s'] }).exec('xenial3', 'time getent hosts r1', { at: AT });
  assert.match(svc, /^10\.128\.3\.1      r1\.home\n/);
  assert.ok(realSeconds(svc) < 0.5, svc);
  const host = lab({ allow_recursion: true, failures: ['xenial1:halt@0s'] }).exec('xenial3', 'time getent hosts r1', { at: AT });
  // AAAA r1.home (5 s wait on xenial1, NODATA from xenial2), AAAA r1 (refused by xenial2 → next
  // try: 2 × 5 s), A r1.home (5 s): 20 s; measured 20.02 s with glibc 2.36 on this machine.
  assert.ok(Math.abs(realSeconds(host) - 20.0) < 0.5, host);
});

test('both servers down: nslookup 9.10 gives up with the write-up message', () => {
  const out = lab({ allow_recursion: true, failures: ['xenial1:halt@0s', 'xenial2:named-crash@0s'] }).exec('xenial3', 'time nslookup r1', { at: AT });
  assert.match(out, /^;; connection timed out; no servers could be reached\n/);
  // 3 tries × (1 s + 5 s)
  assert.ok(Math.abs(realSeconds(out) - 18.04) < 0.1, out);
});

test('named-start brings the service back; fuzzed queries never crash the server', () => {
  const l = lab({ allow_recursion: true, failures: ['xenial1:named-stop@0s', 'xenial1:named-start@30s'] });
  assert.match(l.exec('xenial3', 'nslookup r1', { at: AT }), /^Server:\t\t10\.128\.5\.2/);
  const core = new DnsServerCore([], namedOf(l.node('xenial1'))!.options.core.options);
  const zonesCore = namedOf(l.node('xenial1'))!.options.core;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      for (const c of [core, zonesCore]) {
        const o = c.handle(bytes, { client: 0x0a800702, local: [] });
        if (bytes.length < 12 || (bytes[2]! & 0x80) !== 0) assert.equal(o.kind, 'dropped');
        else assert.equal(o.kind, 'reply');
      }
    }),
    { numRuns: 2000 },
  );
});

test('the lab is built from the spec alone: its folder removed after load, named serves the same zones', () => {
  const spec = copiedLab(() => {}, (dir) => loadLab(dir, { do_anycast: true }));
  const l = new Lab(spec);
  const reference = new Lab(loadLab(DIR, { do_anycast: true }));
  for (const name of ['xenial1', 'xenial2']) {
    assert.deepEqual(namedOf(l.node(name))!.options.core.zones.map((z) => [z.origin, z.records]), namedOf(reference.node(name))!.options.core.zones.map((z) => [z.origin, z.records]));
  }
  // The real lab's dns probe tells servers apart from the spec; the running lab agrees.
  assert.deepEqual(serversByZoneAnswer(spec, 'test'), serversByAnswer(l, 'test'));
  assert.equal(l.exec('xenial3', 'nslookup test 10.128.224.2', { at: AT }), reference.exec('xenial3', 'nslookup test 10.128.224.2', { at: AT }));
});

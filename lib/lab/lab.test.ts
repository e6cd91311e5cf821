/**
 * The write-up's lab (data/labs/anycast) on the simulator: the consoles print what the devices
 * print, failures behave as the real ones do, and a run is a pure function of its seed.
 * Expected figures are the write-up's (section 2: r1's pings, xenial3's ping with ttl=63).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { seconds } from '../sim/time';
import { Lab } from './lab';
import { parseFailure } from '../config/failures';
import { runCli } from '../cli/main';

const LAB = join(__dirname, '..', '..', 'data', 'labs', 'anycast');

test('the anycast lab builds: four IOS routers, four Linux VMs, each address where the write-up puts it', () => {
  const lab = Lab.load(LAB);
  const names = [...lab.network.nodes.keys()].sort();
  assert.deepEqual(names, ['r1', 'r2', 'r3', 'r4', 'xenial1', 'xenial2', 'xenial3', 'xenial4']);
  const brief = lab.exec('r3', 'show ip interface brief');
  assert.match(brief, /Ethernet0\/0\s+10\.128\.3\.2\s+YES manual up\s+up/);
  assert.match(brief, /Ethernet0\/1\s+10\.128\.5\.1\s+YES manual up\s+up/);
  assert.match(brief, /Ethernet0\/2\s+10\.128\.7\.1\s+YES manual up\s+up/);
});

test('r1 pings its neighbours in IOS format, 5/5 as in the write-up', () => {
  const lab = Lab.load(LAB);
  lab.runUntil(seconds(60));
  // The write-up (section 2): "Success rate is 100 percent (5/5), round-trip min/avg/max = 4/4/8 ms".
  // 5/5 and not ".!!!!": IOS drops the packet that makes it ARP, but by now RIP's unicast answers to
  // the neighbours' start-up requests have resolved ARP between the routers.
  for (const neighbour of ['10.128.1.2', '10.128.3.2']) {
    const out = lab.exec('r1', `ping ${neighbour}`);
    const m = new RegExp(`^Type escape sequence to abort\\.\nSending 5, 100-byte ICMP Echos to ${neighbour.replace(/\./g, '\\.')}, timeout is 2 seconds:\n!!!!!\nSuccess rate is 100 percent \\(5/5\\), round-trip min/avg/max = (\\d+)/(\\d+)/(\\d+) ms$`).exec(out);
    assert.ok(m, out);
    const [min, avg, max] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // IOS on a c3640 counts in 4 ms ticks; the lab's routers take 3–7 ms per packet (fitted to the
    // write-up's timings in topology.clab.yml), so every figure is 0, 4 or 8.
    for (const v of [min, max]) assert.ok([0, 4, 8].includes(v), out);
    assert.ok(min <= avg && avg <= max, out);
  }
});

test('xenial3 pings its gateway; a halted gateway shows Linux ARP failure', () => {
  const lab = Lab.load(LAB);
  lab.runUntil(seconds(60));
  const ok = lab.exec('xenial3', 'ping -c 3 10.128.7.1');
  assert.match(ok, /^PING 10\.128\.7\.1 \(10\.128\.7\.1\) 56\(84\) bytes of data\.\n64 bytes from 10\.128\.7\.1: icmp_seq=1 ttl=255 time=[\d.]+ ms/);
  assert.match(ok, /3 packets transmitted, 3 received, 0% packet loss/);
  // xenial1 sits behind r3 on the next LAN: one router, so ttl 64 - 1 = 63 (write-up section 2).
  const far = lab.exec('xenial3', 'ping -c1 10.128.5.2');
  assert.match(far, /64 bytes from 10\.128\.5\.2: icmp_seq=1 ttl=63 time=/);

  // A gateway that died before xenial3's setup script pinged it (2 s after boot), so never resolved:
  // three ARP requests a second apart, then host unreachable
  // reported from xenial3's own address for each queued echo (iputils prints it like this).
  const cold = Lab.load(LAB, { failures: ['r3:halt@1s'] });
  const dead = cold.exec('xenial3', 'ping -c 3 10.128.7.1', { at: seconds(60) });
  assert.match(dead, /From 10\.128\.7\.2 icmp_seq=1 Destination Host Unreachable/);
  assert.match(dead, /3 packets transmitted, 0 received, \+3 errors, 100% packet loss/);

  // A gateway that answered before it died: Linux keeps using the stale entry while it probes
  // (5 s delay + 3 unicast probes), so the echoes vanish without an error.
  lab.fail('r3:halt@70s');
  const stale = lab.exec('xenial3', 'ping -c 3 10.128.7.1', { at: seconds(150) });
  assert.match(stale, /3 packets transmitted, 0 received, 100% packet loss/);
  assert.doesNotMatch(stale, /Unreachable/);
});

test("ping round trips fall within the write-up's measured spread", () => {
  const lab = Lab.load(LAB);
  lab.runUntil(seconds(60));
  const rtts = (out: string) => [...out.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  // One router (xenial3 → xenial1): 11.5–19.1 ms over 14 pings, ttl=63 (write-up 4.3.5).
  const near = rtts(lab.exec('xenial3', 'ping -c 14 10.128.5.2'));
  assert.equal(near.length, 14);
  assert.ok(near.every((t) => t >= 10 && t <= 20.5), `${near}`);
  // Four routers (xenial3 → the other data centre): 36.6–53.3 ms, mean 45.3 ms, ttl=60 (4.3.5).
  const far = rtts(lab.exec('xenial3', 'ping -c 9 10.128.6.2'));
  assert.equal(far.length, 9);
  assert.ok(far.every((t) => t >= 30 && t <= 55), `${far}`);
  assert.ok(mean(far) >= 36 && mean(far) <= 50, `mean ${mean(far)}`);
});

test('a run is a function of its seed: same seed, same capture bytes; another seed differs', () => {
  const run = (seed: number) => {
    const lab = Lab.load(LAB, { seed });
    const capture = lab.capture('r3:Ethernet0/2');
    lab.runUntil(seconds(10));
    lab.exec('xenial3', 'ping -c 3 10.128.5.2');
    lab.exec('xenial3', 'traceroute 10.128.5.2');
    return Buffer.from(capture.toPcap());
  };
  const a = run(7);
  assert.ok(a.length > 24 + 5 * 16, 'the capture holds frames');
  assert.ok(a.equals(run(7)));
  assert.ok(!a.equals(run(8)));
});

test('failure specs parse from text and bad ones say what was expected', () => {
  assert.deepEqual(parseFailure('xenial1:halt@60s'), { ok: true, value: { node: 'xenial1', iface: null, mode: 'halt', at: seconds(60) } });
  assert.deepEqual(parseFailure('r1:Ethernet0/0:link-down@2m'), { ok: true, value: { node: 'r1', iface: 'Ethernet0/0', mode: 'link-down', at: seconds(120) } });
  for (const [bad, why] of [
    ['xenial1:halt', /no time given/],
    ['xenial1:explode@5s', /unknown failure mode "explode"/],
    ['xenial1:halt@soon', /expected a duration/],
    ['xenial1:eth1:halt@5s', /only makes sense with link-down/],
  ] as const) {
    const r = parseFailure(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.match(r.error, why);
  }
  assert.throws(() => Lab.load(LAB, { failures: ['nosuch:halt@1s'] }), /no node "nosuch"/);
});

const cli = runCli;

test('CLI: check, exec with --at and --fail, routes --json, and clear errors', () => {
  const check = cli(['check', LAB]);
  assert.match(check.out, /lab anycast: 8 nodes/);
  const exec = cli(['exec', 'anycast', 'r1', 'show ip route', '--at', '30s']);
  assert.equal(exec.code, 0);
  assert.match(exec.out, /C\s+10\.128\.1\.0 is directly connected, Ethernet0\/0/);
  const halted = cli(['exec', 'anycast', 'xenial3', 'ping -c 2 10.128.7.1', '--fail', 'r3:halt@1s', '--at', '1m']);
  assert.match(halted.out, /Destination Host Unreachable/);
  const routes = cli(['routes', 'anycast', '--at', '5m', '--json']);
  const rows = JSON.parse(routes.out) as { node: string; prefix: string }[];
  assert.ok(rows.some((r) => r.node === 'r1' && r.prefix === '10.128.1.0/24'));
  const badTime = cli(['exec', 'anycast', 'r1', 'show ip route', '--at', 'later']);
  assert.equal(badTime.code, 2);
  assert.match(badTime.err, /--at: expected a duration/);
  const badLab = cli(['check', '/nonexistent/lab']);
  assert.equal(badLab.code, 2);
  assert.match(badLab.err, /no lab folder/);
  const badNode = cli(['exec', 'anycast', 'r9', 'show ip route']);
  assert.match(badNode.err, /no node named "r9"/);
  assert.doesNotMatch(badNode.err + badTime.err + badLab.err, /\n\s+at /, 'no stack traces');
});

test('capture writes a pcap that tshark decodes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anycast-lab-cap-'));
  try {
    const file = join(dir, 'boot.pcap');
    const lab = Lab.load(LAB);
    const capture = lab.capture('r3:Ethernet0/2');
    lab.runUntil(seconds(5));
    lab.exec('xenial3', 'ping -c 2 10.128.5.2');
    require('node:fs').writeFileSync(file, capture.toPcap());
    const tshark = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', '_ws.col.Info'], { encoding: 'utf8' });
    assert.ok(!tshark.error, `tshark is required for this test (Debian: apt-get install tshark): ${tshark.error?.message}`);
    assert.equal(tshark.status, 0, tshark.stderr);
    assert.match(tshark.stdout, /10\.128\.7\.2\t10\.128\.5\.2\tEcho \(ping\) request/);
    assert.match(tshark.stdout, /10\.128\.5\.2\t10\.128\.7\.2\tEcho \(ping\) reply/);
    assert.ok(readFileSync(file).length > 100);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('times typed as text: exec at/limit, runUntil and runFor take "5m" as they take minutes(5), and a typo names the option', () => {
  const byNumber = Lab.load(LAB, { do_anycast: true });
  const byText = Lab.load(LAB, { do_anycast: true });
  assert.equal(byText.exec('r3', 'traceroute 10.128.4.2', { at: '5m' }), byNumber.exec('r3', 'traceroute 10.128.4.2', { at: seconds(300) }));
  assert.equal(byText.now, byNumber.now);
  assert.equal(byText.exec('xenial3', 'ping 10.128.4.2', { limit: '2500ms' }), byNumber.exec('xenial3', 'ping 10.128.4.2', { limit: seconds(2.5) }));
  byText.runUntil('10m').runFor('1m30s');
  byNumber.runUntil(seconds(600)).runFor(seconds(90));
  assert.equal(byText.now, seconds(690));
  assert.equal(byText.now, byNumber.now);

  const units = '(units: us, ms, s, m, h, d)';
  const now = byText.now;
  assert.throws(() => byText.exec('r3', 'show ip route', { at: '5x' }), { message: `at: expected a duration such as 300s, 5m, 1h30m or 250ms, got "5x" ${units}` });
  assert.throws(() => byText.exec('xenial3', 'ping 10.128.4.2', { at: '20m', limit: '3 sec' }), { message: `limit: expected a duration such as 300s, 5m, 1h30m or 250ms, got "3 sec" ${units}` });
  assert.equal(byText.now, now, 'a bad limit is refused before the clock moves to `at`');
  assert.throws(() => byText.runUntil('soon'), { message: `runUntil: expected a duration such as 300s, 5m, 1h30m or 250ms, got "soon" ${units}` });
  assert.throws(() => byText.runFor(''), { message: 'runFor: expected a duration such as 300s, 5m or 24h, got an empty string' });
  assert.throws(() => byText.runFor(Number.NaN), { message: "runFor: expected a duration such as '5m' or seconds(300), got NaN" });
});

/**
 * vtysh on FRR nodes (data/labs/frr-versions), against real FRR 8.4.4's output in ./frr-8.4.4/ (how it
 * was captured: ./frr-8.4.4/README.md) and, for 10.x, ripd/rip_cli.c's cli_show_* functions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lab } from '../lab';
import { loadLab } from '../../config/load';

const LAB = join(__dirname, '..', '..', '..', 'data', 'labs', 'frr-versions');
const REAL = join(__dirname, '..', '..', '..', 'lib', 'lab', 'consoles', 'frr-8.4.4');
const real = (name: string): string => readFileSync(join(REAL, name), 'utf8').replace(/\n$/, '');

test('show running-config on r1 (saved by FRR 8.4.4) is what real FRR 8.4.4 prints for the same file', () => {
  const lab = Lab.load(LAB);
  const sim = lab.exec('r1', 'vtysh -c "show running-config"', { at: '2m' });
  // The capture's own differences: its log file path, and vtysh's "hostname vm" (the capturing
  // machine's name; the simulated node's is r1, as its frr.conf says).
  const expected = real('show-running-config.txt').replace('/tmp/frrver13/a-ripd.log', '/var/log/frr/ripd.log').replace('\nhostname vm', '');
  assert.equal(sim, expected);
});

test('show running-config on r2 (saved by FRR 10.2) writes 10.x forms: allow-ecmp with its count, ip rip bfd', () => {
  const sim = Lab.load(LAB).exec('r2', 'vtysh -c "show running-config"', { at: '1m' });
  // rip_cli.c (10.x) cli_show_rip_allow_ecmp: " allow-ecmp %d"; cli_show_ip_rip_bfd_enable: " ip rip bfd".
  assert.match(sim, /^frr version 10\.2$/m);
  assert.match(sim, /^interface eth1\n ip address 10\.1\.0\.2\/24\n ip rip bfd\nexit$/m);
  assert.match(sim, /^router rip\n allow-ecmp 2\n network eth1\n network eth2\n redistribute connected\nexit$/m);
});

test('show running-config on 10.x: "allow-ecmp" without a count is written with the count ripd stored (MULTIPATH_NUM)', () => {
  // FRRouting/frr ripd/rip_cli.c (10.x): rip_allow_ecmp stores "uint32_t paths = MULTIPATH_NUM" when no
  // count is given; cli_show_rip_allow_ecmp writes " allow-ecmp %d" of it. 16 is FRR's configure
  // default for --enable-multipath (lib/proto/rip/params.ts ecmpDefaultPaths). 8.4 writes " allow-ecmp"
  // (its leaf is a boolean; real FRR 8.4.4 in ./frr-8.4.4/).
  const dir = mkdtempSync(join(tmpdir(), 'frr-versions-'));
  try {
    const copy = join(dir, 'frr-versions');
    cpSync(LAB, copy, { recursive: true });
    const r2 = join(copy, 'r2.frr.conf');
    writeFileSync(r2, readFileSync(r2, 'utf8').replace(' allow-ecmp 2\n', ' allow-ecmp\n'));
    const lab = Lab.load(copy);
    assert.match(lab.exec('r2', 'vtysh -c "show running-config"', { at: '1m' }), /^router rip\n allow-ecmp 16\n network eth1\n/m);
    const r1 = join(copy, 'r1.frr.conf');
    writeFileSync(r1, readFileSync(r1, 'utf8').replace('router rip\n', 'router rip\n allow-ecmp\n'));
    assert.match(Lab.load(copy).exec('r1', 'vtysh -c "show running-config"', { at: '1m' }), /^router rip\n allow-ecmp\n/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('show ip rip status: the same lines as real FRR 8.4.4, the timers and ages aside', () => {
  const sim = Lab.load(LAB).exec('r1', 'vtysh -c "show ip rip status"', { at: '2m' });
  const ages = (s: string) => s.replace(/next due in \d+ seconds/, 'next due in N seconds').replace(/\d\d:\d\d:\d\d$/m, 'HH:MM:SS');
  assert.equal(ages(sim), ages(real('show-ip-rip-status.txt')));
});

test('show ip route json: zebra keys and values as real FRR 8.4.4 prints them for the same routes', () => {
  const sim = JSON.parse(Lab.load(LAB).exec('r1', 'vtysh -c "show ip route json"', { at: '2m' })) as Record<string, Record<string, unknown>[]>;
  const want = JSON.parse(real('show-ip-route.json')) as Record<string, Record<string, unknown>[]>;
  for (const prefix of Object.keys(want)) {
    const [s, w] = [sim[prefix]![0]!, want[prefix]![0]!];
    assert.deepEqual(Object.keys(s), Object.keys(w), prefix);
    for (const k of ['prefix', 'prefixLen', 'protocol', 'selected', 'distance', 'metric', 'installed', 'table']) assert.equal(s[k], w[k], `${prefix} ${k}`);
    const hop = (x: Record<string, unknown>) => ({ ...(x['nexthops'] as Record<string, unknown>[])[0]!, interfaceIndex: 0 });
    assert.deepEqual(hop(s), hop(w), prefix);
  }
  // r1's third route, through r2 to r3's loopback, which the two-namespace capture did not have.
  assert.deepEqual(Object.keys(sim), ['10.0.0.1/32', '10.0.0.2/32', '10.0.0.3/32', '10.1.0.0/24', '10.2.0.0/24']);
  // The text itself: zebra's JSON printer writes no space after ":".
  assert.match(Lab.load(LAB).exec('r1', 'vtysh -c "show ip route json"', { at: '1m' }), /^ {6}"protocol":"rip",$/m);
});

test('show ip rip json: ripd 8.4 has none, vtysh says so as real FRR 8.4.4 does', () => {
  assert.equal(Lab.load(LAB).exec('r1', 'vtysh -c "show ip rip json"', { at: '1m' }), real('show-ip-rip-json.txt'));
});

test('ripd running without "router rip": "% RIP instance not found" (ripd.c show_ip_rip; real FRR 8.4.4 after "no router rip")', () => {
  const dir = mkdtempSync(join(tmpdir(), 'frr-versions-'));
  try {
    const copy = join(dir, 'frr-versions');
    cpSync(LAB, copy, { recursive: true });
    writeFileSync(join(copy, 'r1.frr.conf'), 'frr version 8.4.4\nfrr defaults traditional\nhostname r1\n!\ninterface eth1\n ip address 10.1.0.1/24\nexit\n!\ninterface lo\n ip address 10.0.0.1/32\nexit\n!\n');
    const lab = Lab.load(copy);
    const captured = real('no-router-rip.txt').split('\n');
    assert.equal(lab.exec('r1', 'vtysh -c "show ip rip"', { at: '1m' }), captured[1]);
    assert.equal(lab.exec('r1', 'vtysh -c "show ip rip status"', { at: '1m' }), captured[4]);
    assert.equal(captured[1], '% RIP instance not found');
    // No router rip block in the running configuration either (the capture's last part).
    assert.doesNotMatch(lab.exec('r1', 'vtysh -c "show running-config"', { at: '1m' }), /router rip/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('which release each node is read as: its frr version line, else the lab setting, else 8.4', () => {
  const of = (settings: { frrVersion?: string }) => loadLab(LAB, {}, settings).nodes.map((n) => `${n.name} ${n.frr?.release} ${n.frr?.origin}`);
  assert.deepEqual(of({}), ['r1 8.4 config', 'r2 10.2 config', 'r3 8.4 default']);
  assert.deepEqual(of({ frrVersion: '10.2' }), ['r1 8.4 config', 'r2 10.2 config', 'r3 10.2 lab']);
  const r1 = loadLab(LAB).nodes.find((n) => n.name === 'r1')!;
  assert.deepEqual(r1.frr?.ripdLogFile?.value, '/var/log/frr/ripd.log');
  // The log is written now (lib/net/frr-log.ts, read with cat/tail: lib/lab/bfd.test.ts), so no note says otherwise.
  assert.ok(!r1.findings.some((f) => /log messages/.test(f.message)));
});

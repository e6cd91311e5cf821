import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIpv4, formatPrefix } from './addr';
import { parseDaemons, parseFrrConf, parseRipdConf, parseZebraConf } from './frr';
import { seconds } from '../sim/time';
import { errorOf } from './test-support';

const LAB = join(__dirname, '..', '..', 'data', 'labs', 'anycast');

test("§4.2's zebra.conf listing: lo, lo:0 with the write-up's 10.128.244.2, eth1; the rest harmless", () => {
  const z = parseZebraConf(readFileSync(join(LAB, 'xenial1.zebra.conf'), 'utf8'), 'anycast/xenial1.zebra.conf');
  assert.equal(z.hostname?.value, 'xenial1');
  assert.deepEqual(
    z.interfaces.map((i) => [i.name, i.addresses.map((a) => `${formatPrefix(a.address, a.prefixLength)}@${a.source.line}`)]),
    [
      ['lo', []],
      ['lo:0', ['10.128.244.2/32@6']],
      ['eth1', ['10.128.5.2/24@8']],
    ],
  );
  assert.deepEqual(z.findings, []);
  assert.equal(z.rip, null);
});

test("§4.2's ripd.conf listing: version 2, a prefix and two interface networks, Quagga flavour", () => {
  const r = parseRipdConf(readFileSync(join(LAB, 'xenial1.ripd.conf'), 'utf8'), 'anycast/xenial1.ripd.conf');
  const rip = r.rip!;
  assert.equal(rip.flavour, 'frr');
  assert.deepEqual(rip.source, { file: 'anycast/xenial1.ripd.conf', line: 4 });
  assert.deepEqual(rip.version, { value: 2, source: { file: 'anycast/xenial1.ripd.conf', line: 5 } });
  assert.deepEqual(
    rip.networks.map((n) => [n.kind === 'prefix' ? formatPrefix(n.prefix, n.prefixLength) : n.name, n.source.line]),
    [
      ['10.128.0.0/16', 6],
      ['lo:0', 7],
      ['eth1', 8],
    ],
  );
  assert.deepEqual(r.findings, []);
});

test('every ripd.conf command of the brief, with per-interface split horizon', () => {
  const text = `! ripd.conf
hostname r
password zebra
log file /var/log/ripd.log
interface eth1
 ip rip split-horizon poisoned-reverse
interface eth2
 no ip rip split-horizon
router rip
 version 2
 network 10.0.0.0/8
 network 10.1.2.3/16
 neighbor 10.0.0.9
 passive-interface eth3
 redistribute connected
 redistribute static metric 5
 default-metric 2
 default-information originate
 allow-ecmp
 timers basic 10 60 40
line vty
 exec-timeout 0 0
`;
  const r = parseRipdConf(text, 'x/ripd.conf');
  const rip = r.rip!;
  assert.deepEqual(
    rip.networks.map((n) => (n.kind === 'prefix' ? formatPrefix(n.prefix, n.prefixLength) : n.name)),
    ['10.0.0.0/8', '10.1.0.0/16'],
  );
  assert.deepEqual(
    r.findings.map((f) => [f.severity, f.source.line]),
    [['note', 12]],
  );
  assert.deepEqual(rip.neighbors.map((n) => formatIpv4(n.value)), ['10.0.0.9']);
  assert.deepEqual(rip.passiveInterfaces.map((p) => p.value), ['eth3']);
  assert.deepEqual(rip.redistribute.map((x) => [x.protocol, x.metric]), [
    ['connected', null],
    ['static', 5],
  ]);
  assert.equal(rip.defaultMetric?.value, 2);
  assert.equal(rip.defaultInformationOriginate?.line, 18);
  assert.deepEqual(rip.allowEcmp, { maxPaths: null, source: { file: 'x/ripd.conf', line: 19 } });
  assert.deepEqual(rip.timers, { flavour: 'frr', update: seconds(10), timeout: seconds(60), garbage: seconds(40), source: { file: 'x/ripd.conf', line: 20 } });
  assert.deepEqual(
    rip.interfaces.map((i) => [i.name, i.splitHorizon?.value, i.splitHorizon?.source.line]),
    [
      ['eth1', 'poisoned-reverse', 6],
      ['eth2', 'off', 8],
    ],
  );
});

test("a command for the other daemon is a finding (ripd ignores addresses, zebra ignores router rip)", () => {
  const ripd = parseRipdConf('interface eth1\n ip address 10.0.0.1/24\nrouter rip\n network eth1\n', 'x/ripd.conf');
  assert.deepEqual(ripd.findings.map((f) => [f.severity, f.source.line]), [['unsupported', 2]]);
  assert.deepEqual(ripd.interfaces[0]!.addresses, []);
  const zebra = parseZebraConf('router rip\n network eth1\ninterface eth1\n ip address 10.0.0.1/24\n ip rip split-horizon\nip route 10.9.0.0/16 10.0.0.254\nip forwarding\n', 'x/zebra.conf');
  assert.deepEqual(zebra.findings.map((f) => [f.severity, f.source.line]), [
    ['unsupported', 1],
    ['unsupported', 5],
  ]);
  assert.equal(zebra.rip, null);
  assert.deepEqual(zebra.staticRoutes.map((r) => `${formatPrefix(r.prefix, r.prefixLength)} via ${formatIpv4(r.via!)}`), ['10.9.0.0/16 via 10.0.0.254']);
  assert.equal(zebra.ipForwarding?.value, true);
  const frr = parseFrrConf('interface eth1\n ip address 10.0.0.1/24\n ip rip split-horizon\nrouter rip\n network eth1\n', 'x/frr.conf');
  assert.deepEqual(frr.findings, []);
  assert.equal(frr.rip?.interfaces[0]?.name, 'eth1');
});

test('an embedded file (a here-document) reports lines of the script it sits in', () => {
  const e = errorOf(() => parseRipdConf('router rip\n  version 2\n  network 10.128.0.0/33\n', 'anycast/setup.xenial1.sh', { firstLine: 47 }));
  assert.equal(e.line, 49);
  assert.match(e.message, /^anycast\/setup\.xenial1\.sh:49: expected "network <prefix\/length>"/);
});

test('bad Quagga/FRR text: errors with file and line', () => {
  const e = errorOf(() =>
    parseRipdConf('router rip\n version 3\n network 10.1.1.300/8\n default-metric 17\n timers basic 30 180\n neighbor x\n allow-ecmp 0\n', 'x/ripd.conf'),
  );
  assert.deepEqual(e.problems.map((p) => p.line), [2, 3, 4, 5, 6, 7]);
  const z = errorOf(() => parseZebraConf('interface eth1\n ip address 10.0.0.1\ninterface eth1/0\nip route 10.0.0.1/8 eth1\n', 'x/zebra.conf'));
  assert.deepEqual(z.problems.map((p) => p.line), [2, 3, 4]);
  assert.match(z.problems[0]!.message, /expected "ip address <address>\/<length> \[label <label>\]"/);
});

test('daemons: yes/no per daemon with lines; FRR option lines skipped; anything else is an error', () => {
  const d = parseDaemons(readFileSync(join(LAB, 'daemons'), 'utf8'), 'anycast/daemons');
  assert.deepEqual(
    Object.entries(d.daemons).map(([k, v]) => [k, v.value, v.source.line]),
    [
      ['zebra', true, 1],
      ['bgpd', false, 2],
      ['ospfd', false, 3],
      ['ospf6d', false, 4],
      ['ripd', true, 5],
      ['ripngd', false, 6],
      ['isisd', false, 7],
    ],
  );
  const frr = parseDaemons('# FRR\nripd=yes\nvtysh_enable=yes\nzebra_options="  -A 127.0.0.1 -s 90000000"\n', 'x/daemons');
  assert.deepEqual(Object.keys(frr.daemons), ['ripd']);
  const e = errorOf(() => parseDaemons('ripd=maybe\nzebra yes\n', 'x/daemons'));
  assert.deepEqual(e.problems.map((p) => p.line), [1, 2]);
});

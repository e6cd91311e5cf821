import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEBIAN_NAMED_CONF_OPTIONS, makeConfig, makeConfigInput, parseDnsInputFile, parseNamedOptions, parseResolvConf, withAllowRecursion } from './dns';
import { RESOLVER_PRESETS, DEFAULT_RESOLV_CONF, type ResolverPreset } from '../proto/dns/resolver';
import { minutes, seconds } from '../sim/time';

const INPUT = readFileSync(join(__dirname, '../../data/labs/anycast/dns-input-file'), 'utf8');
const ip = (s: string) => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);

test('dns-input-file → forward zone home and reverse zones: one A and one PTR per input line', () => {
  const entries = parseDnsInputFile(INPUT);
  assert.equal(entries.length, 8);
  const { zones, files } = makeConfig(entries, { iAm: 'xenial1', domain: 'home', iAmLong: 'xenial1.home', iAmIp: ip('10.128.5.2') });
  const home = zones.find((z) => z.origin === 'home')!;
  for (const e of entries) {
    const a = home.lookup(`${e.name}.home`, 'A');
    assert.equal(a.kind, 'answer', e.name);
    const rev = zones.find((z) => z.origin === `${(e.address >>> 8) & 255}.128.10.in-addr.arpa`)!;
    const ptr = rev.lookup(`${e.address & 255}.${rev.origin}`, 'PTR');
    assert.ok(ptr.kind === 'answer' && ptr.records[0]!.type === 'PTR' && ptr.records[0]!.data === `${e.name}.home`, e.name);
  }
  // The server's own A record is added (the input says xenia11: the PDF's l/1 slip).
  assert.equal(home.lookup('xenial1.home', 'A').kind, 'answer');
  assert.equal(home.lookup('r1.home', 'A').kind === 'answer' && home.lookup('r1.home', 'A').kind, 'answer');
  assert.equal(home.lookup('nosuch.home', 'A').kind, 'nxdomain');
  assert.equal(home.lookup('r1.home', 'AAAA').kind, 'nodata');
  assert.deepEqual(zones.map((z) => z.origin), ['home', '5.128.10.in-addr.arpa', '6.128.10.in-addr.arpa', '7.128.10.in-addr.arpa', '8.128.10.in-addr.arpa', '3.128.10.in-addr.arpa', '4.128.10.in-addr.arpa']);
  assert.match(files.get('/etc/bind/named.conf.local')!, /zone "home" \{\n\ttype master;\n\tfile "\/etc\/bind\/db.home";/);
  assert.match(files.get('/etc/bind/db.home')!, /r1\s+\tIN\tA\t10\.128\.3\.1/);
});

test('make_config command recognised; bad input lines named', () => {
  assert.equal(makeConfigInput(['perl', '/vagrant/make_config.1.perl', '/vagrant/dns-input-file']), '/vagrant/dns-input-file');
  assert.equal(makeConfigInput(['perl', 'other.pl', 'x']), null);
  assert.throws(() => parseDnsInputFile('r1 10.128.3.300\n', 'f'), /f:1: "10.128.3.300" is not an IPv4 address/);
});

test('named.conf.options: Debian default, the §3.1 fix, listen-on and interface-interval', () => {
  const d = parseNamedOptions(DEBIAN_NAMED_CONF_OPTIONS);
  assert.equal(d.options.allowRecursion, null);
  assert.deepEqual(d.ignored, ['directory', 'dnssec-validation', 'auth-nxdomain', 'listen-on-v6']);
  const fixed = parseNamedOptions(withAllowRecursion(DEBIAN_NAMED_CONF_OPTIONS));
  assert.deepEqual(fixed.options.allowRecursion, [{ negated: false, kind: 'prefix', prefix: ip('10.128.0.0'), prefixLength: 16 }]);
  const o = parseNamedOptions('options { listen-on port 53 { 127.0.0.1; !10.1.2.3; localnets; }; recursion no; interface-interval 5; automatic-interface-scan no; };').options;
  assert.equal(o.recursion, false);
  assert.equal(o.interfaceInterval, minutes(5));
  assert.equal(o.automaticInterfaceScan, false);
  assert.equal(o.listenOn?.length, 3);
  assert.throws(() => parseNamedOptions('options { recursion maybe; };'), /expected yes or no/);
});

test('resolv.conf: 3 nameservers max, last of domain/search wins, options', () => {
  const c = parseResolvConf('domain home\nsearch home lab\nnameserver 10.128.5.2\nnameserver 10.128.6.2\nnameserver 1.1.1.1\nnameserver 8.8.8.8\noptions timeout:2 attempts:9 rotate ndots:3\n');
  assert.deepEqual(c.search, ['home', 'lab']);
  assert.equal(c.nameservers.length, 3);
  assert.deepEqual(c.ignoredNameservers, [ip('8.8.8.8')]);
  assert.equal(c.timeout, seconds(2));
  assert.equal(c.attempts, 5);
  assert.equal(c.rotate, true);
  assert.equal(c.ndots, 3);
});

test('glibc per-server waits: retrans << ns, divided by nscount for ns > 0 (res_send.c)', () => {
  const g: ResolverPreset = RESOLVER_PRESETS.glibc;
  const conf = DEFAULT_RESOLV_CONF;
  assert.deepEqual([0, 1].map((i) => g.wait(conf, i, 2, 0)), [seconds(5), seconds(5)]);
  assert.deepEqual([0, 1, 2].map((i) => g.wait(conf, i, 3, 0)), [seconds(5), seconds(3), seconds(6)]);
  assert.deepEqual([0, 1, 2].map((i) => g.wait({ ...conf, timeout: seconds(1) }, i, 3, 0)), [seconds(1), seconds(1), seconds(1)]);
  const b: ResolverPreset = RESOLVER_PRESETS['bind-9.10'];
  assert.deepEqual([0, 1].map((i) => b.wait(conf, i, 2, 0)), [seconds(1), seconds(5)]);
});

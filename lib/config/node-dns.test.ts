/**
 * DNS read at load (`NodeSpec.dns`): the zones, named options, resolver files and named's boot plan
 * are in the LabSpec, and a problem in any of them is a LabFileError naming the lab file and line,
 * raised by loadLab (and so by `check`), not by building the lab later.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLab } from './load';
import { formatIpv4 } from './addr';
import { BIND_BEFORE_LO0_OPTION, namedBootPlan, namedOptionsFor, serversByZoneAnswer } from './node-dns';
import { DEBIAN_NAMED_CONF_OPTIONS, withAllowRecursion } from './dns';
import { tempLab, errorOf } from './test-support';
import { breakXenial2Line4, copiedLab } from './dns-test-support';
import type { LabSpec, NodeSpec } from './spec';

const ANYCAST = join(__dirname, '..', '..', 'data', 'labs', 'anycast');

const node = (spec: LabSpec, name: string): NodeSpec => spec.nodes.find((n) => n.name === name)!;

test('the anycast lab: each server has make_config\'s zones, Debian\'s named options with the §3.1 fix, and its boot plan', () => {
  const spec = loadLab(ANYCAST, { do_anycast: true });
  for (const name of ['r1', 'r2', 'r3', 'r4']) assert.equal(node(spec, name).dns, null);
  for (const name of ['xenial3', 'xenial4']) {
    const dns = node(spec, name).dns!;
    assert.equal(dns.named, null);
    // The clients' resolv.conf as their scripts write it (§3.4: both unicast servers).
    assert.deepEqual(dns.resolvConf!.nameservers.map(formatIpv4), ['10.128.5.2', '10.128.6.2']);
    assert.deepEqual(dns.resolvConf!.search, ['home']);
  }
  const x1 = node(spec, 'xenial1');
  const named = x1.dns!.named!;
  assert.deepEqual(named.zones.map((z) => z.origin), ['home', '5.128.10.in-addr.arpa', '6.128.10.in-addr.arpa', '7.128.10.in-addr.arpa', '8.128.10.in-addr.arpa', '3.128.10.in-addr.arpa', '4.128.10.in-addr.arpa', '1.128.10.in-addr.arpa']);
  assert.ok(named.zones[0]!.records.some((r) => r.name === 'test.home' && r.type === 'A' && r.data === '10.128.1.1'));
  assert.deepEqual(named.files.map((f) => f.path).at(-1), '/etc/bind/named.conf.local');
  assert.equal(named.namedOptions.text, withAllowRecursion(DEBIAN_NAMED_CONF_OPTIONS));
  assert.equal(named.namedOptions.allowRecursion, true);
  assert.deepEqual(named.namedOptions.options.allowRecursion, [{ negated: false, kind: 'prefix', prefix: 0x0a800000, prefixLength: 16 }]);
  assert.deepEqual(named.bootPlan, namedBootPlan(spec, x1));
  assert.equal(named.bootPlan.runAsUser, false);
  // The answer to `test` tells the servers apart (lib/real/failover.ts's dns probe).
  assert.deepEqual(serversByZoneAnswer(spec, 'test'), { '10.128.1.1': 'xenial1', '10.128.2.2': 'xenial2' });
});

test('lab options that change DNS are applied at load: allow_recursion, bind_before_lo0', () => {
  const stock = loadLab(ANYCAST, { allow_recursion: false });
  const named = node(stock, 'xenial1').dns!.named!;
  assert.equal(named.namedOptions.text, DEBIAN_NAMED_CONF_OPTIONS);
  assert.equal(named.namedOptions.options.allowRecursion, null);
  // The caller's allowRecursion (DnsAttachOptions, BindWriteOptions) adds the fix to the text read at load.
  assert.deepEqual(namedOptionsFor(named, true), node(loadLab(ANYCAST, { allow_recursion: true }), 'xenial1').dns!.named!.namedOptions);
  const broken = loadLab(ANYCAST, { do_anycast: true, [BIND_BEFORE_LO0_OPTION]: true });
  const plan = node(broken, 'xenial1').dns!.named!.bootPlan;
  assert.equal(plan.reordered, true);
  assert.deepEqual(plan.lateAddresses.map((a) => formatIpv4(a.address)), ['10.128.224.2']);
});

test('a broken line of xenial2.dns-input-file is a LabFileError at load naming the lab file and line, not /vagrant/dns-input-file', () => {
  copiedLab(breakXenial2Line4, (dir) => {
    for (const options of [{ do_anycast: true }, {}]) {
      const e = errorOf(() => loadLab(dir, options));
      assert.equal(e.file, 'anycast/xenial2.dns-input-file');
      assert.equal(e.line, 4);
      assert.equal(e.message, 'anycast/xenial2.dns-input-file:4: expected "<name> <address>", got "xenia14"');
      assert.doesNotMatch(e.message, /\/vagrant\//);
    }
  });
});

test('after load no lab file is read: the spec holds the files\' text', () => {
  const spec = copiedLab(() => {}, (dir) => loadLab(dir, { do_anycast: true }));
  // The folder is gone; the zones came from the text read at load.
  const x2 = node(spec, 'xenial2');
  assert.equal(x2.files.find((f) => f.devicePath === '/vagrant/dns-input-file')!.text, readFileSync(join(ANYCAST, 'xenial2.dns-input-file'), 'utf8'));
  assert.ok(x2.dns!.named!.zones[0]!.records.some((r) => r.name === 'test.home' && r.type === 'A' && r.data === '10.128.2.2'));
});

/** One Linux server `srv` on a LAN, its setup script `script`, plus `files`. */
function serverLab(script: string, files: Record<string, string> = {}): { dir: string; done: () => void } {
  const topology = `name: lab
topology:
  nodes:
    srv: { kind: linux, startup-config: srv.sh, binds: ["input:/vagrant/input"] }
    cli: { kind: linux, startup-config: cli.sh }
    sw: { kind: bridge }
  links:
    - endpoints: ["srv:eth1", "sw:p1"]
    - endpoints: ["cli:eth1", "sw:p2"]
`;
  return tempLab({ 'topology.clab.yml': topology, 'srv.sh': script, 'cli.sh': 'ifconfig eth1 10.0.0.2 netmask 255.255.255.0\n', input: 'a 10.0.0.1\nb 10.0.0.2\n', ...files });
}

const INSTALL = `ifconfig eth1 10.0.0.1 netmask 255.255.255.0
apt-get -y install bind9
`;

test('named.conf.options written by the setup script: an error names the script\'s line', () => {
  const lab = serverLab(`${INSTALL}cat > /etc/bind/named.conf.options <<EOF
options {
\trecursion maybe;
};
EOF
`);
  try {
    const e = errorOf(() => loadLab(lab.dir));
    assert.equal(e.message, 'lab/srv.sh:5: expected yes or no, got "maybe"');
  } finally {
    lab.done();
  }
});

test('make_config reading a file the node does not have, and a bad line of a bound input file: both at load', () => {
  const missing = serverLab(`${INSTALL}cd /etc/bind
perl /vagrant/make_config.1.perl /vagrant/nothing-here
`);
  try {
    assert.equal(errorOf(() => loadLab(missing.dir)).message, 'lab/srv.sh:4: /vagrant/make_config.1.perl reads /vagrant/nothing-here, which is not on srv (bind it in the topology)');
  } finally {
    missing.done();
  }
  const bad = serverLab(`${INSTALL}cd /etc/bind
perl /vagrant/make_config.1.perl /vagrant/input
`, { input: 'a 10.0.0.1\nb 10.0.0.300\n' });
  try {
    assert.equal(errorOf(() => loadLab(bad.dir)).message, 'lab/input:2: "10.0.0.300" is not an IPv4 address');
  } finally {
    bad.done();
  }
});

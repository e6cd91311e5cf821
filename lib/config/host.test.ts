import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIpv4, formatPrefix } from './addr';
import { parseHostScript, type HostScriptConfig } from './host';
import { errorOf } from './test-support';

const LAB = join(__dirname, '..', '..', 'data', 'labs', 'anycast');
const labText = (name: string): string => readFileSync(join(LAB, name), 'utf8');

const summary = (c: HostScriptConfig) => ({
  interfaces: c.interfaces.map((i) => [
    i.name,
    i.up,
    ...i.addresses.map((a) => formatPrefix(a.address, a.prefixLength)),
    ...i.aliases.map((a) => `${a.label}=${formatPrefix(a.address, a.prefixLength)}`),
  ]),
  routes: c.staticRoutes.map((r) => `${formatPrefix(r.prefix, r.prefixLength)} via ${r.via === null ? '-' : formatIpv4(r.via)}${r.device === null ? '' : ` dev ${r.device}`}`),
});

/** setup.xenial1.sh of §2, with the write-up's garbled sed kept as a user would paste it. */
const XENIAL1_S2 = `#!/bin/bash
echo "Setup xenial1"
ETH1=$(dmesg | grep -i 'renamed from eth1' | sed -n 's/: renamed from eth1//;s/.*/p')

ifconfig $ETH1 10.128.5.2 netmask 255.255.255.0
route add -net 10.128.0.0 netmask 255.255.0.0 gw 10.128.5.1
netstat -rn
`;

test('§2 setup.xenial1.sh: the dmesg idiom names eth1; address and route as in the §2 table', () => {
  const c = parseHostScript(XENIAL1_S2, 'anycast/setup.xenial1.sh');
  assert.deepEqual(summary(c), { interfaces: [['eth1', true, '10.128.5.2/24']], routes: ['10.128.0.0/16 via 10.128.5.1'] });
  assert.deepEqual(c.findings, []);
  assert.equal(c.ipForwarding, false);
  assert.deepEqual(
    c.transcript.map((t) => [t.line, t.status]),
    [
      [2, 'harmless'],
      [3, 'modelled'],
      [5, 'modelled'],
      [6, 'modelled'],
      [7, 'harmless'],
    ],
  );
  assert.deepEqual(
    c.bootSteps.map((s) => [s.kind, s.source.line]),
    [
      ['address-added', 5],
      ['link-up', 5],
      ['route-added', 6],
    ],
  );
});

test('§3.2 client script: hostname, domain, resolv.conf and hosts here-documents; harmless commands are no findings', () => {
  const c = parseHostScript(labText('setup.xenial3.sh'), 'anycast/setup.xenial3.sh');
  assert.deepEqual(summary(c), { interfaces: [['eth1', true, '10.128.7.2/24']], routes: ['10.128.0.0/16 via 10.128.7.1'] });
  assert.deepEqual(c.hostname, { value: 'xenial3', source: { file: 'anycast/setup.xenial3.sh', line: 9 } });
  assert.equal(c.domain?.value, 'home');
  assert.deepEqual(c.findings, []);
  assert.deepEqual(
    c.writtenFiles.map((f) => [f.path, f.mode, f.source.line, f.contentLine, f.content]),
    [
      ['/etc/hosts', 'write', 15, 16, '127.0.0.1      localhost\n10.128.7.2    xenial3.home      xenial3\n'],
      ['/etc/resolv.conf', 'write', 21, 22, 'domain home\nsearch home\nnameserver 10.128.5.2\nnameserver 10.128.6.2\n'],
    ],
  );
  const install = c.bootSteps.find((s) => s.kind === 'packages-installed');
  assert.deepEqual(install, { kind: 'packages-installed', packages: ['sysvbanner'], startsServices: [], source: { file: 'anycast/setup.xenial3.sh', line: 12 } });
  assert.deepEqual(c.bootSteps[c.bootSteps.length - 1], { kind: 'ping', target: '10.128.7.1', count: 1, source: { file: 'anycast/setup.xenial3.sh', line: 37 } });
});

test('§4.2 server script without do_anycast: the unicast server; make_config builds the zones (a modelled step)', () => {
  const c = parseHostScript(labText('setup.xenial1.sh'), 'anycast/setup.xenial1.sh');
  assert.deepEqual(summary(c), { interfaces: [['eth1', true, '10.128.5.2/24']], routes: ['10.128.0.0/16 via 10.128.5.1'] });
  assert.deepEqual(c.findings, []);
  assert.deepEqual(c.writtenFiles.map((f) => f.path), ['/etc/resolv.conf', '/etc/hosts']);
  assert.ok(c.transcript.some((t) => t.status === 'skipped' && t.text.startsWith('ifconfig lo:0')));
  const zones = c.bootSteps.find((s) => s.kind === 'dns-zones-generated');
  assert.deepEqual(zones, { kind: 'dns-zones-generated', script: '/vagrant/make_config.1.perl', input: '/vagrant/dns-input-file', cwd: '/etc/bind', source: { file: 'anycast/setup.xenial1.sh', line: 12 } });
  // Another perl script is still not run, and says so.
  const other = parseHostScript('perl /vagrant/other.perl x\n', 'x.sh');
  assert.deepEqual(other.findings.map((f) => [f.severity, f.source.line]), [['unsupported', 1]]);
});

test('§4.2 server script with do_anycast: lo:0, Quagga files, and BIND started before lo:0 existed (§4.3.4)', () => {
  const c = parseHostScript(labText('setup.xenial1.sh'), 'anycast/setup.xenial1.sh', { options: { do_anycast: true } });
  assert.deepEqual(summary(c), {
    interfaces: [
      ['eth1', true, '10.128.5.2/24'],
      ['lo', true, 'lo:0=10.128.224.2/32'],
    ],
    routes: ['10.128.0.0/16 via 10.128.5.1'],
  });
  assert.deepEqual(
    c.writtenFiles.map((f) => [f.path, f.contentLine]),
    [
      ['/etc/resolv.conf', 14],
      ['/etc/hosts', 19],
      ['/etc/quagga/zebra.conf', 27],
      ['/etc/quagga/daemons', 38],
      ['/etc/quagga/ripd.conf', 47],
      ['/etc/resolv.conf', 67],
    ],
  );
  assert.equal(c.writtenFiles[2]!.content.split('\n')[5], 'ip address 10.128.224.2/32');
  const steps = c.bootSteps;
  const bindStarted = steps.findIndex((s) => s.kind === 'packages-installed' && s.startsServices.includes('bind9'));
  const lo0 = steps.findIndex((s) => s.kind === 'address-added' && s.label === 'lo:0');
  const edited = steps.findIndex((s) => s.kind === 'file-edited');
  const restarted = steps.findIndex((s) => s.kind === 'service' && s.service === 'bind9');
  assert.ok(bindStarted >= 0 && bindStarted < lo0 && lo0 < edited && edited < restarted, JSON.stringify(steps.map((s) => s.kind)));
  assert.deepEqual(steps[edited], {
    kind: 'file-edited',
    path: '/etc/default/bind9',
    editor: 'ed',
    script: '1\n/-u bind\nd\nw\nq\n',
    deletesLinesMatching: ['-u bind'],
    source: { file: 'anycast/setup.xenial1.sh', line: 56 },
  });
  assert.deepEqual(steps[restarted], { kind: 'service', service: 'bind9', action: 'restart', source: { file: 'anycast/setup.xenial1.sh', line: 64 } });
  assert.deepEqual(
    steps.filter((s) => s.kind === 'ping').map((s) => (s.kind === 'ping' ? s.target : '')),
    ['10.128.244.2', '10.128.5.1'], // the write-up's slip: it pings 244 where it configured 224
  );
});

test('ip, route and sysctl forms; conditions on bound files; variables in here-documents', () => {
  const script = `IF=eth2
NET="10.9.0.0/16"
ip addr add 10.0.0.1/24 dev $IF
ip link set dev \${IF} up
ip addr add 10.0.0.9/32 dev lo label lo:7
ip route add $NET via 10.0.0.254
ip route add default via 10.0.0.254 dev eth2
route add -host 10.8.8.8 gw 10.0.0.253
route add -net 10.7.0.0/16 dev eth2
sysctl -w net.ipv4.ip_forward=1
if [ -f /etc/frr/daemons ]; then
  hostname bound
else
  hostname unbound
fi
if [ ! -e /vagrant/flag ] ; then domainname noflag ; fi
cat > /etc/motd <<EOF
interface $IF \\$HOME
EOF
cat > /etc/raw <<'EOF'
keep $IF
EOF
`;
  const c = parseHostScript(script, 'x/s.sh', { files: ['/etc/frr/daemons'] });
  assert.deepEqual(summary(c), {
    interfaces: [
      ['eth2', true, '10.0.0.1/24'],
      ['lo', true, 'lo:7=10.0.0.9/32'],
    ],
    routes: ['10.9.0.0/16 via 10.0.0.254', '0.0.0.0/0 via 10.0.0.254 dev eth2', '10.8.8.8/32 via 10.0.0.253', '10.7.0.0/16 via - dev eth2'],
  });
  assert.equal(c.ipForwarding, true);
  assert.equal(c.hostname?.value, 'bound');
  assert.equal(c.domain?.value, 'noflag');
  assert.deepEqual(
    c.writtenFiles.map((f) => f.content),
    ['interface eth2 $HOME\n', 'keep $IF\n'],
  );
  assert.deepEqual(c.findings, []);
  const flagged = parseHostScript('if [ ! -e /vagrant/flag ] ; then domainname noflag ; fi\n', 'x/s.sh', { options: { flag: true } });
  assert.equal(flagged.domain, null);
});

test('bad host script arguments: errors with file and line (and column for shell syntax)', () => {
  const cases: [string, number, number | null, RegExp][] = [
    ['ifconfig eth1 10.128.5.300 netmask 255.255.255.0\n', 1, null, /expected an IPv4 address such as 10\.128\.5\.2, got "10\.128\.5\.300"/],
    ['ifconfig eth1 10.128.5.2 netmask 255.0.255.0\n', 1, null, /contiguous netmask/],
    ['ifconfig eth1 10.128.5.2 netmask 255.255.255.0\nroute add -net 10.128.0.0 netmask 255.255.0.0 gw 10.128.9.1\n', 2, null, /gateway 10\.128\.9\.1 is not on a connected subnet.*connected now: 10\.128\.5\.0\/24 on eth1/],
    ['route add -net 10.128.5.0 netmask 255.255.0.0 gw 10.128.5.1\n', 1, null, /has bits outside the \/16 netmask/],
    ['\n\nifconfig $ETH2 10.1.1.1 netmask 255.0.0.0\n', 3, null, /\$ETH2, which the script never sets/],
    ['echo ok\ncat > /etc/hosts <<EOF\n127.0.0.1 localhost\n', 2, 18, /here-document started here \("<<EOF"\) is not closed by a line "EOF"/],
    ['echo "unclosed\n', 1, 6, /double quote opened here is never closed/],
    ['if [ -f /vagrant/do_anycast ] ; then\necho x\n', 1, null, /"if" is never closed by "fi"/],
    ['fi\n', 1, null, /"fi" without a matching "if"/],
    ['ip addr add 10.0.0.1/33 dev eth1\n', 1, null, /prefix length such as 10\.128\.5\.2\/24/],
    ['ip route add 10.0.0.1/8 dev eth1\n', 1, null, /host bits set/],
    ['hostname bad_name!\n', 1, null, /expected "hostname <name>"/],
    ['if [ -f /nope ] ; then\nifconfig eth1 10.1.1.256 netmask 255.0.0.0\nfi\n', 2, null, /10\.1\.1\.256/],
  ];
  for (const [text, line, column, message] of cases) {
    const e = errorOf(() => parseHostScript(text, 'lab/setup.sh'));
    assert.equal(e.file, 'lab/setup.sh', text);
    assert.equal(e.line, line, text);
    assert.equal(e.column, column, text);
    assert.match(e.message, message);
    assert.ok(e.message.startsWith(`lab/setup.sh:${line}${column === null ? '' : `:${column}`}: `), e.message);
  }
});

test('all errors of a script are collected, not only the first', () => {
  const e = errorOf(() => parseHostScript('ifconfig eth1 1.2.3.999 netmask 255.255.255.0\necho fine\nroute add -net 10.0.0.0 netmask 255.0.0.0 gw 10.0.0.1\n', 'l/s.sh'));
  assert.deepEqual(e.problems.map((p) => p.line), [1, 3]);
});

test('unsupported commands are findings naming their line; the rest of the script is still read', () => {
  const c = parseHostScript('mkdir -p /etc/x\nifconfig eth1 10.1.1.1 netmask 255.255.255.0\nX=$(uname -r)\nwhile true; do\n  sleep 1\ndone\necho a | tee /tmp/x\n', 'l/s.sh');
  assert.deepEqual(
    c.findings.map((f) => [f.severity, f.source.line]),
    [
      ['unsupported', 1],
      ['unsupported', 3],
      ['unsupported', 4],
      ['unsupported', 7],
    ],
  );
  assert.deepEqual(summary(c).interfaces, [['eth1', true, '10.1.1.1/24']]);
});

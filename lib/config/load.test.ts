import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIpv4, formatMac, formatPrefix } from './addr';
import { checkLab } from './check';
import { loadLab } from './load';
import { tempLab, errorOf } from './test-support';
import { join } from 'node:path';
import type { LabSpec, NodeSpec } from './spec';
import { ms, us } from '../sim/time';

const ANYCAST = join(__dirname, '..', '..', 'data', 'labs', 'anycast');

const node = (spec: LabSpec, name: string): NodeSpec => spec.nodes.find((n) => n.name === name)!;

/** Every address as `node iface address/len` (aliases by label), loopback 127/8 left out. */
function addressTable(spec: LabSpec): string[] {
  return spec.nodes.flatMap((n) =>
    n.interfaces.flatMap((i) => [
      ...i.addresses.filter((a) => a.address >>> 24 !== 127).map((a) => `${n.name} ${i.name} ${formatPrefix(a.address, a.prefixLength)}`),
      ...i.aliases.map((a) => `${n.name} ${a.label} ${formatPrefix(a.address, a.prefixLength)}`),
    ]),
  );
}

test('the anycast lab loads: 4 routers, 4 VMs, 4 host-only LANs, 3 router links', () => {
  const spec = loadLab(ANYCAST);
  assert.equal(spec.name, 'anycast');
  assert.equal(spec.topologyFile, 'anycast/topology.clab.yml');
  assert.deepEqual(spec.options, { do_anycast: false, allow_recursion: true, bind_before_lo0: false });
  assert.deepEqual(
    spec.nodes.map((n) => `${n.name}:${n.kind}:${n.os}`),
    [
      'r1:router:ios', 'r2:router:ios', 'r3:router:ios', 'r4:router:ios',
      'xenial1:host:linux', 'xenial2:host:linux', 'xenial3:host:linux', 'xenial4:host:linux',
      'vboxnet1:bridge:linux', 'vboxnet2:bridge:linux', 'vboxnet3:bridge:linux', 'vboxnet4:bridge:linux',
    ],
  );
  assert.deepEqual(
    spec.segments.map((s) => `${s.name} ${s.kind} ${s.endpoints.map((e) => `${e.node}:${e.iface}`).join(' ')}`),
    [
      'r1-r2 p2p r1:Ethernet0/0 r2:Ethernet0/0',
      'r1-r3 p2p r1:Ethernet0/1 r3:Ethernet0/0',
      'r2-r4 p2p r2:Ethernet0/1 r4:Ethernet0/0',
      'vboxnet1 lan r3:Ethernet0/1 xenial1:eth1',
      'vboxnet2 lan r4:Ethernet0/1 xenial2:eth1',
      'vboxnet3 lan r3:Ethernet0/2 xenial3:eth1',
      'vboxnet4 lan r4:Ethernet0/2 xenial4:eth1',
    ],
  );
  assert.ok(spec.nodes.every((n) => n.kind === 'bridge' || n.interfaces.every((i) => i.up)));
  assert.ok(spec.nodes.every((n) => n.kind !== 'router' || (n.ipForwarding && n.rip !== null && n.rip.version?.value === 2)));
  assert.ok(spec.nodes.every((n) => n.kind !== 'host' || (!n.ipForwarding && n.rip === null)));
});

test('every interface address matches the write-up (§2 session and host table, r3 traceroute, ping TTLs)', () => {
  // §2: r1's session; the host table (xenial1–4 eth1 10.128.5–8.2); r3's traceroute to 10.128.4.2
  // goes 10.128.3.1 → 10.128.1.2 → 10.128.4.2; "From 10.128.7.1 … Destination Host Unreachable" (§4.3.5).
  assert.deepEqual(addressTable(loadLab(ANYCAST)), [
    'r1 Ethernet0/0 10.128.1.1/24',
    'r1 Ethernet0/1 10.128.3.1/24',
    'r2 Ethernet0/0 10.128.1.2/24',
    'r2 Ethernet0/1 10.128.4.1/24',
    'r3 Ethernet0/0 10.128.3.2/24',
    'r3 Ethernet0/1 10.128.5.1/24',
    'r3 Ethernet0/2 10.128.7.1/24',
    'r4 Ethernet0/0 10.128.4.2/24',
    'r4 Ethernet0/1 10.128.6.1/24',
    'r4 Ethernet0/2 10.128.8.1/24',
    'xenial1 eth1 10.128.5.2/24',
    'xenial2 eth1 10.128.6.2/24',
    'xenial3 eth1 10.128.7.2/24',
    'xenial4 eth1 10.128.8.2/24',
  ]);
  // Every VM reaches 10.128.0.0/16 through its router's LAN address (§2 setup scripts).
  const spec = loadLab(ANYCAST);
  assert.deepEqual(
    ['xenial1', 'xenial2', 'xenial3', 'xenial4'].map((n) => node(spec, n).staticRoutes.map((r) => `${formatPrefix(r.prefix, r.prefixLength)} via ${formatIpv4(r.via!)}`)),
    [['10.128.0.0/16 via 10.128.5.1'], ['10.128.0.0/16 via 10.128.6.1'], ['10.128.0.0/16 via 10.128.7.1'], ['10.128.0.0/16 via 10.128.8.1']],
  );
  assert.deepEqual(node(spec, 'xenial3').interfaces.find((i) => i.name === 'lo')?.addresses.map((a) => formatPrefix(a.address, a.prefixLength)), ['127.0.0.1/8']);
});

test('MACs: the two in the §3.3 capture come from the lab file; the others are GNS3/VirtualBox-style defaults', () => {
  const spec = loadLab(ANYCAST);
  const mac = (n: string, i: string): string => formatMac(node(spec, n).interfaces.find((x) => x.name === i)!.mac!);
  // "Ethernet II, Src: cc:03:18:19:00:01 …, Dst: CadmusCo_a9:51:1d (08:00:27:a9:51:1d)" (§3.3)
  assert.equal(mac('r3', 'Ethernet0/1'), 'cc:03:18:19:00:01');
  assert.equal(mac('xenial1', 'eth1'), '08:00:27:a9:51:1d');
  assert.equal(mac('r3', 'Ethernet0/2'), 'cc:03:18:19:00:02');
  assert.match(mac('r1', 'Ethernet0/1'), /^cc:01:[0-9a-f]{2}:[0-9a-f]{2}:00:01$/);
  assert.match(mac('r4', 'Ethernet0/2'), /^cc:04:[0-9a-f]{2}:[0-9a-f]{2}:00:02$/);
  assert.match(mac('xenial3', 'eth1'), /^08:00:27:/);
  const all = spec.nodes.flatMap((n) => n.interfaces.filter((i) => !i.loopback).map((i) => i.mac));
  assert.ok(all.every((m) => m !== null));
  assert.equal(new Set(all).size, all.length);
  assert.equal(node(spec, 'xenial1').interfaces.find((i) => i.name === 'lo')!.mac, null);
  assert.deepEqual(loadLab(ANYCAST), spec, 'loading twice gives the same spec');
});

test('per-kind processing delays and per-bridge delays load from the topology file', () => {
  // The values themselves are fitted to the write-up's round trips (comment in topology.clab.yml);
  // lib/lab/lab.test.ts checks the resulting ping times against the write-up's.
  const spec = loadLab(ANYCAST);
  assert.deepEqual(node(spec, 'r1').processingDelay, { min: ms(2), max: ms(6) });
  assert.deepEqual(node(spec, 'xenial1').processingDelay, { min: us(200), max: us(600) });
  const delay = (s: string): number => spec.segments.find((x) => x.name === s)!.delay;
  assert.equal(delay('r1-r2'), us(100), 'links without x-sim get the default delay');
  assert.equal(delay('vboxnet3'), ms(1.5));
});

test('do_anycast: the servers get lo:0 10.128.224.2/32 and become RIP speakers from the Quagga files the script writes', () => {
  const spec = loadLab(ANYCAST, { do_anycast: true });
  assert.deepEqual(spec.options, { do_anycast: true, allow_recursion: true, bind_before_lo0: false });
  for (const [name, eth1] of [
    ['xenial1', '10.128.5.2/24'],
    ['xenial2', '10.128.6.2/24'],
  ] as const) {
    const n = node(spec, name);
    const lo = n.interfaces.find((i) => i.name === 'lo')!;
    assert.deepEqual(lo.aliases.map((a) => `${a.label} ${formatPrefix(a.address, a.prefixLength)}`), ['lo:0 10.128.224.2/32']);
    assert.deepEqual(n.interfaces.find((i) => i.name === 'eth1')!.addresses.map((a) => formatPrefix(a.address, a.prefixLength)), [eth1]);
    assert.equal(n.ipForwarding, true);
    const rip = n.rip!;
    assert.equal(rip.flavour, 'frr');
    assert.deepEqual(rip.source, { file: `anycast/setup.${name}.sh`, line: 50 });
    assert.deepEqual(
      rip.networks.map((x) => (x.kind === 'prefix' ? formatPrefix(x.prefix, x.prefixLength) : x.name)),
      ['10.128.0.0/16', 'lo:0', 'eth1'],
    );
    assert.deepEqual(n.writtenFiles.map((f) => f.path), ['/etc/resolv.conf', '/etc/hosts', '/etc/quagga/zebra.conf', '/etc/quagga/daemons', '/etc/quagga/ripd.conf', '/etc/resolv.conf']);
  }
  const check = checkLab(spec).filter((f) => f.check !== 'config');
  assert.deepEqual(check.map((f) => [f.severity, f.check]), [['note', 'duplicate-address']]);
  assert.match(check[0]!.message, /10\.128\.224\.2\/32 is on the loopbacks of xenial1 lo:0, xenial2 lo:0: an anycast address/);
  // Clients are unchanged (the write-up gives no anycast client script).
  assert.deepEqual(
    node(spec, 'xenial3').writtenFiles.filter((f) => f.path === '/etc/resolv.conf').map((f) => f.content),
    ['domain home\nsearch home\nnameserver 10.128.5.2\nnameserver 10.128.6.2\n'],
  );
});

test('checkLab on the unicast lab: only the parsers\' own findings (the classful RIP networks)', () => {
  const findings = checkLab(loadLab(ANYCAST));
  assert.deepEqual(
    findings.map((f) => `${f.source.file}:${f.source.line} ${f.severity}`),
    [
      'anycast/r1.cfg:17 note',
      'anycast/r2.cfg:17 note',
      'anycast/r3.cfg:21 note',
      'anycast/r4.cfg:21 note',
    ],
  );
});

test('an undeclared lab option is an error naming the declared ones', () => {
  const e = errorOf(() => loadLab(ANYCAST, { do_anycst: true }));
  assert.equal(e.file, 'anycast/topology.clab.yml');
  assert.match(e.message, /lab option "do_anycst" is not declared under x-sim\.options \(declared: do_anycast, allow_recursion, bind_before_lo0\)/);
});

test('missing files and errors in several files are reported together, each with its file and line', () => {
  const lab = tempLab({
    'topology.clab.yml': `name: bad
topology:
  nodes:
    r1: { kind: cisco_iol, startup-config: r1.cfg }
    r2: { kind: cisco_iol, startup-config: missing.cfg }
    h1: { kind: linux, startup-config: h1.sh, binds: ["nope.conf:/etc/frr/ripd.conf"] }
  links:
    - endpoints: ["r1:e0/0", "r2:e0/0"]
    - endpoints: ["r1:e0/1", "h1:eth1"]
`,
    'r1.cfg': 'interface Ethernet0/0\n ip address 10.0.0.1\n',
    'h1.sh': 'ifconfig eth1 10.0.1.300 netmask 255.255.255.0\n',
  });
  try {
    const e = errorOf(() => loadLab(lab.dir));
    assert.deepEqual(
      e.problems.map((p) => `${p.file}:${p.line}`),
      ['lab/r1.cfg:2', 'lab/topology.clab.yml:5', 'lab/topology.clab.yml:6', 'lab/h1.sh:1'],
    );
    assert.match(e.problems[1]!.message, /node r2: startup-config "missing.cfg" does not exist in the lab folder lab\//);
    assert.match(e.problems[2]!.message, /bind source "nope.conf" does not exist/);
  } finally {
    lab.done();
  }
});

test('FRR files bound into /etc/frr make a Linux node a RIP speaker; zebra.conf addresses join its interfaces', () => {
  const lab = tempLab({
    'topology.clab.yml': `name: frr
topology:
  nodes:
    r1: { kind: cisco_iol, startup-config: r1.cfg }
    h1:
      kind: linux
      binds: ["daemons:/etc/frr/daemons", "zebra.conf:/etc/frr/zebra.conf", "ripd.conf:/etc/frr/ripd.conf"]
  links:
    - endpoints: ["r1:e0/0", "h1:eth1"]
`,
    'r1.cfg': 'interface Ethernet0/0\n ip address 10.0.0.1 255.255.255.0\n',
    daemons: 'ripd=yes\nbgpd=no\n',
    'zebra.conf': 'interface eth1\n ip address 10.0.0.2/24\ninterface lo\n ip address 192.0.2.1/32 label lo:0\n',
    'ripd.conf': 'router rip\n network eth1\n redistribute connected\n',
  }, 'frr');
  try {
    const spec = loadLab(lab.dir);
    const h1 = node(spec, 'h1');
    assert.deepEqual(addressTable(spec), ['r1 Ethernet0/0 10.0.0.1/24', 'h1 lo:0 192.0.2.1/32', 'h1 eth1 10.0.0.2/24']);
    assert.equal(h1.rip?.redistribute[0]?.protocol, 'connected');
    assert.deepEqual(h1.rip?.source, { file: 'frr/ripd.conf', line: 1 });
    assert.equal(h1.ipForwarding, true);
    assert.deepEqual(h1.files.map((f) => `${f.devicePath} ← ${f.labFile}`), ['/etc/frr/daemons ← frr/daemons', '/etc/frr/zebra.conf ← frr/zebra.conf', '/etc/frr/ripd.conf ← frr/ripd.conf']);
    // The interface has an address from zebra but nobody said "up": the check says so.
    assert.deepEqual(checkLab(spec).map((f) => f.check), ['interface-down']);
  } finally {
    lab.done();
  }
});

test('checkLab: duplicate addresses, unconfigured and down interfaces, subnet mismatch, unreachable gateways', () => {
  const lab = tempLab({
    'topology.clab.yml': `name: chk
topology:
  nodes:
    r1: { kind: cisco_iol, startup-config: r1.cfg }
    r2: { kind: cisco_iol, startup-config: r2.cfg }
    h1: { kind: linux, startup-config: h1.sh }
    h2: { kind: linux, startup-config: h2.sh }
    sw: { kind: bridge }
  links:
    - endpoints: ["r1:e0/0", "r2:e0/0"]
    - endpoints: ["r1:e0/1", "sw:p1"]
    - endpoints: ["h1:eth1", "sw:p2"]
    - endpoints: ["h2:eth1", "sw:p3"]
    - endpoints: ["r2:e0/1", "h2:eth2"]
`,
    'r1.cfg': 'interface Ethernet0/0\n ip address 10.0.0.1 255.255.255.0\ninterface Ethernet0/1\n ip address 10.1.0.1 255.255.255.0\nip route 10.9.0.0 255.255.0.0 10.5.0.1\n',
    'r2.cfg': 'interface Ethernet0/0\n ip address 10.0.0.1 255.255.255.0\ninterface Ethernet0/1\n shutdown\n',
    'h1.sh': 'ifconfig eth1 10.1.0.2 netmask 255.255.255.0\n',
    'h2.sh': 'ifconfig eth1 10.2.0.2 netmask 255.255.255.0\n',
  }, 'chk');
  try {
    const findings = checkLab(loadLab(lab.dir)).filter((f) => f.check !== 'config');
    assert.deepEqual(
      findings.map((f) => [f.severity, f.check, `${f.source.file}:${f.source.line}`]),
      [
        ['error', 'duplicate-address', 'chk/r2.cfg:2'],
        ['warning', 'unconfigured-interface', 'chk/r2.cfg:3'], // r2-h2 cable: r2's end is shut and has no address
        ['warning', 'unconfigured-interface', 'chk/topology.clab.yml:14'], // h2's eth2: no config at all
        ['warning', 'subnet-mismatch', 'chk/h2.sh:1'], // LAN sw: r1 and h2
        ['warning', 'subnet-mismatch', 'chk/h2.sh:1'], // LAN sw: h1 and h2
        ['warning', 'gateway-unreachable', 'chk/r1.cfg:5'],
      ],
    );
    assert.match(findings[0]!.message, /10\.0\.0\.1 is configured more than once: r1 Ethernet0\/0 \(chk\/r1\.cfg:2\), r2 Ethernet0\/0 \(chk\/r2\.cfg:2\)/);
    assert.match(findings[3]!.message, /on LAN sw, r1 Ethernet0\/1 \(10\.1\.0\.1\/24\) and h2 eth1 \(10\.2\.0\.2\/24\) are in different subnets/);
  } finally {
    lab.done();
  }
});

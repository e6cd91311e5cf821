import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { formatPrefix } from '../addr';
import { parseIosConfig } from '../ios';
import { loadLab } from '../load';
import { tempLab } from '../test-support';
import type { InterfaceSpec, NodeSpec, RipConfigSpec, StaticRouteSpec } from '../spec';
import { iosNodes, writeIos } from './ios';
import { WriterError } from './common';

const ANYCAST = join(__dirname, '..', '..', '..', 'data', 'labs', 'anycast');

/** What a node's IOS configuration means, without where each fact was written. */
function facts(c: { hostname: string | null; interfaces: InterfaceSpec[]; staticRoutes: StaticRouteSpec[]; rip: RipConfigSpec | null; ipForwarding: boolean }): unknown {
  const rip = c.rip;
  return {
    hostname: c.hostname,
    ipForwarding: c.ipForwarding,
    interfaces: c.interfaces.map((i) => ({ name: i.name, up: i.up, addresses: i.addresses.map((a) => formatPrefix(a.address, a.prefixLength)) })),
    staticRoutes: c.staticRoutes.map((r) => [formatPrefix(r.prefix, r.prefixLength), r.via, r.device]),
    rip:
      rip === null
        ? null
        : {
            version: rip.version?.value ?? null,
            networks: rip.networks.map((n) => (n.kind === 'prefix' ? formatPrefix(n.prefix, n.prefixLength) : n.name)),
            neighbors: rip.neighbors.map((x) => x.value),
            passive: [rip.passiveDefault !== null, rip.passiveInterfaces.map((p) => p.value), rip.nonPassiveInterfaces.map((p) => p.value)],
            redistribute: rip.redistribute.map((r) => [r.protocol, r.metric]),
            defaultMetric: rip.defaultMetric?.value ?? null,
            defaultInformationOriginate: rip.defaultInformationOriginate !== null,
            autoSummary: rip.autoSummary?.value ?? null,
            maxPaths: rip.allowEcmp?.maxPaths ?? null,
            timers: rip.timers === null ? null : { ...rip.timers, source: null },
            splitHorizon: rip.interfaces.map((i) => [i.name, i.splitHorizon?.value ?? null]),
          },
  };
}

const specFacts = (n: NodeSpec) => facts(n);

function roundTrip(n: NodeSpec, text: string): unknown {
  const c = parseIosConfig(text, `${n.name}.cfg`);
  assert.equal(c.sessionForm, false);
  return facts({ ...c, hostname: c.hostname?.value ?? null });
}

test('r1–r4: the startup-configs our IOS parser reads back to the same addresses and RIP configuration', () => {
  const spec = loadLab(ANYCAST);
  assert.deepEqual(iosNodes(spec).map((n) => n.name), ['r1', 'r2', 'r3', 'r4']);
  for (const n of iosNodes(spec)) {
    const r = writeIos(spec, n.name);
    assert.deepEqual(roundTrip(n, r.startupConfig), specFacts(n), n.name);
    assert.deepEqual(r.findings, []);
  }
  // r1 as §2 configures it: two addresses, no shut, RIP v2 on the classful 10.0.0.0 without auto-summary.
  assert.equal(
    writeIos(spec, 'r1').startupConfig,
    `! startup-config for r1 of lab anycast, written by anycast-lab from anycast/r1.cfg
!
interface Ethernet0/0
 ip address 10.128.1.1 255.255.255.0
 no shutdown
!
interface Ethernet0/1
 ip address 10.128.3.1 255.255.255.0
 no shutdown
!
router rip
 version 2
 network 10.0.0.0
 no auto-summary
!
end
`,
  );
});

test('every IOS command the LabSpec holds comes back: secondary and shut interfaces, static routes, timers, RIP options', () => {
  const lab = tempLab({
    'topology.clab.yml': 'name: rich\ntopology:\n  nodes:\n    gw: { kind: cisco_iol, startup-config: gw.cfg }\n',
    'gw.cfg': `hostname gw
ip domain-name lab.example
interface Ethernet0/0
 ip address 10.1.0.1 255.255.255.0
 ip address 10.2.0.1 255.255.255.0 secondary
 no ip split-horizon
interface Ethernet0/1
 ip address 192.168.7.1 255.255.255.0
 shutdown
interface Loopback0
 ip address 172.16.9.9 255.255.255.255
ip route 10.9.0.0 255.255.0.0 10.1.0.2
ip route 10.8.0.0 255.255.0.0 Ethernet0/1
router rip
 version 1
 network 10.0.0.0
 network 192.168.7.0
 neighbor 10.1.0.2
 passive-interface default
 no passive-interface Ethernet0/0
 redistribute static metric 3
 redistribute connected
 default-metric 2
 default-information originate
 maximum-paths 2
 timers basic 10 60 60 90
 auto-summary
`,
  }, 'rich');
  try {
    const spec = loadLab(lab.dir);
    const n = spec.nodes[0]!;
    const text = writeIos(spec, 'gw').startupConfig;
    assert.deepEqual(roundTrip(n, text), specFacts(n));
    assert.equal(parseIosConfig(text, 'gw.cfg').domain?.value, 'lab.example');
  } finally {
    lab.done();
  }
});

test('xenial1 (ripd) as an IOS router: lo:0 as Loopback0, the /16 as the classful 10.0.0.0, and what IOS has no word for', () => {
  const spec = loadLab(ANYCAST, { do_anycast: true });
  const r = writeIos(spec, 'xenial1');
  const c = parseIosConfig(r.startupConfig, 'xenial1.cfg');
  assert.deepEqual(
    c.interfaces.map((i) => `${i.name} ${i.addresses.map((a) => formatPrefix(a.address, a.prefixLength)).join(',')}`),
    ['Ethernet0/0 10.128.5.2/24', 'Loopback0 10.128.224.2/32'],
  );
  assert.deepEqual(c.staticRoutes.map((x) => formatPrefix(x.prefix, x.prefixLength)), ['10.128.0.0/16']);
  assert.deepEqual(c.rip!.networks.map((x) => (x.kind === 'prefix' ? formatPrefix(x.prefix, x.prefixLength) : x.name)), ['10.0.0.0/8']);
  assert.equal(c.rip!.autoSummary?.value, false);
  // setup.xenial1.sh lines 50–54: router rip, version 2, network 10.128.0.0/16, network lo:0, network eth1.
  assert.deepEqual(
    r.findings.map((f) => `${f.source.line}: ${f.message}`),
    [
      '52: "network 10.128.0.0/16" is written as IOS\'s classful "network 10.0.0.0": every interface in 10.0.0.0/8 runs RIP',
      '53: "network lo:0": no interface has that name (an alias label enables nothing in ripd); not written',
      '50: FRR keeps 1 path without "allow-ecmp"; IOS shares load over up to 4 by default',
      "50: FRR's default timers (30 180 120, no hold-down) become IOS's (30 180 180 240)",
    ],
  );
});

test('bad requests name the option or the node', () => {
  const spec = loadLab(ANYCAST, { do_anycast: true });
  assert.throws(() => writeIos(spec, 'xenial3'), (e) => e instanceof WriterError && e.message === 'xenial3 is not a router or RIP speaker (a router or RIP speaker: r1, r2, r3, r4, xenial1, xenial2)');
  assert.throws(() => writeIos(spec, 'xenial1', { interfaceNames: { 'xenial1:eth1': 'eth 1' } }), (e) => e instanceof WriterError && e.message === 'interfaceNames: xenial1:eth1 is named "eth 1"; expected an IOS interface name such as Ethernet0/1');
});

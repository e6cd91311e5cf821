import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMac } from './addr';
import { DEFAULT_LINK_DELAY, DELAY_RANGE, parseTopology } from './topology';
import { ms, seconds, us } from '../sim/time';
import { errorOf } from './test-support';

/** The example of the brief (containerlab style, our extensions under x-sim). */
const EXAMPLE = `name: anycast
x-sim: { link-delay: 1ms }
topology:
  nodes:
    r1: { kind: cisco_iol, startup-config: r1.cfg }
    r2: { kind: cisco_iol, startup-config: r2.cfg }
    r3: { kind: cisco_ios, startup-config: r3.cfg }
    xenial1:
      kind: linux
      startup-config: setup.xenial1.sh
      binds: [ "dns-input-file:/vagrant/dns-input-file" ]
      x-sim: { processing-delay: 0.2ms..0.6ms }
    xenial3: { kind: linux }
    lan5: { kind: bridge }
    lan7: { kind: bridge }
  links:
    - endpoints: ["r1:Ethernet0/0", "r2:e0/0"]
    - endpoints: ["r3:Ethernet0/1", "lan5:p1"]
    - endpoints: ["xenial1:eth1", "lan5:p2"]
    - type: veth
      endpoints: [{node: r3, interface: Ethernet0/2, mac: "cc:03:18:19:00:02"}, {node: lan7, interface: p1}]
      x-sim: { delay: 0.5ms }
    - endpoints: ["xenial3:eth1", "lan7:p2"]
`;

test("the brief's example: kinds, binds, processing delay, p2p and LAN segments with their delays", () => {
  const t = parseTopology(EXAMPLE, 'anycast/topology.clab.yml');
  assert.equal(t.name, 'anycast');
  assert.deepEqual(
    t.nodes.map((n) => [n.name, n.kind, n.os, n.clabKind, n.startupConfig?.path ?? null]),
    [
      ['r1', 'router', 'ios', 'cisco_iol', 'r1.cfg'],
      ['r2', 'router', 'ios', 'cisco_iol', 'r2.cfg'],
      ['r3', 'router', 'ios', 'cisco_ios', 'r3.cfg'],
      ['xenial1', 'host', 'linux', 'linux', 'setup.xenial1.sh'],
      ['xenial3', 'host', 'linux', 'linux', null],
      ['lan5', 'bridge', 'linux', 'bridge', null],
      ['lan7', 'bridge', 'linux', 'bridge', null],
    ],
  );
  const x1 = t.nodes[3]!;
  assert.deepEqual(x1.binds, [{ labFile: 'dns-input-file', devicePath: '/vagrant/dns-input-file', readOnly: false, source: { file: 'anycast/topology.clab.yml', line: 11 } }]);
  assert.deepEqual(x1.processingDelay, { min: us(200), max: us(600) });
  assert.equal(t.nodes[0]!.processingDelay, null);
  assert.deepEqual(
    t.segments.map((s) => [s.name, s.kind, s.endpoints.map((e) => `${e.node}:${e.iface}`), s.delay]),
    [
      ['r1-r2', 'p2p', ['r1:Ethernet0/0', 'r2:Ethernet0/0'], ms(1)],
      ['lan5', 'lan', ['r3:Ethernet0/1', 'xenial1:eth1'], ms(1)],
      ['lan7', 'lan', ['r3:Ethernet0/2', 'xenial3:eth1'], ms(0.5)],
    ],
  );
  assert.equal(formatMac(t.links[3]!.endpoints[0].mac!), 'cc:03:18:19:00:02');
  assert.deepEqual(t.findings, []);
});

test('without x-sim the link delay is the 0.1 ms default; options and per-kind processing delays are read', () => {
  const t = parseTopology(
    `name: t
x-sim:
  options: { do_anycast: false, other: { default: true, description: "x" } }
  processing-delay: { cisco_iol: 2ms..6ms, linux: 300us }
topology:
  nodes: { a: { kind: cisco_iol }, b: { kind: linux, image: alpine } }
  links: [ { endpoints: ["a:e0/0", "b:eth1"] } ]
`,
    'l/topology.clab.yml',
  );
  assert.equal(DEFAULT_LINK_DELAY, us(100));
  assert.equal(t.segments[0]!.delay, us(100));
  assert.deepEqual(t.options.map((o) => [o.name, o.default, o.description]), [
    ['do_anycast', false, null],
    ['other', true, 'x'],
  ]);
  assert.deepEqual(t.nodes.map((n) => n.processingDelay), [
    { min: ms(2), max: ms(6) },
    { min: us(300), max: us(300) },
  ]);
  assert.deepEqual(t.findings.map((f) => [f.severity, f.source.line]), [['ignored', 6]]);
});

test('bad topologies: a dozen mistakes, each with file, line and column', () => {
  const cases: [string, number, RegExp][] = [
    ['name: t\ntopology:\n  nodes:\n    a: { kind: linux }\n  links:\n    - endpoints: ["a:eth1", "zz:eth1"]\n', 6, /names node "zz", which is not under topology.nodes/],
    ['name: t\ntopology:\n  nodes:\n    a: { kind: linux }\n  links:\n    - endpoints: ["a:eth1", "a:eth2"]\n', 6, /from node a to itself/],
    [
      'name: t\ntopology:\n  nodes:\n    a: { kind: linux }\n    b: { kind: linux }\n    c: { kind: linux }\n  links:\n    - endpoints: ["a:eth1", "b:eth1"]\n    - endpoints: ["a:eth1", "c:eth1"]\n',
      9,
      /interface a:eth1 is already linked on line 8/,
    ],
    ['name: t\ntopology:\n  nodes:\n    a: { kind: linux }\n    s: { kind: bridge }\n', 5, /bridge s has no ports/],
    ['name: t\ntopology:\n  nodes:\n    a: { kind: juniper_vmx }\n', 4, /unknown kind "juniper_vmx"; expected one of cisco_iol/],
    ['name: t\nx-sim: { link-delay: 5 }\ntopology:\n  nodes: { a: { kind: linux } }\n', 2, /expected a duration with its unit.*got "5"/],
    ['name: t\ntopology:\n  nodes: { a: { kind: linux, x-sim: { processing-delay: 6ms..2ms } } }\n', 3, /smaller to the larger/],
    ['topology:\n  nodes: { a: { kind: linux } }\n', 1, /expected "name: <lab name>"/],
    ['name: t\ntopology:\n  nodes: { a: { kind: linux } }\n  links:\n    - endpoints: ["a-eth1", "b:eth1"]\n', 5, /expected an endpoint "<node>:<interface>"/],
    ['name: t\ntopology:\n  nodes: { a: { kind: linux }, b: { kind: linux } }\n  links:\n    - endpoints: [{node: a, interface: eth1, mac: "zz:00"}, "b:eth1"]\n', 5, /expected a MAC address/],
    ['name: t\ntopology:\n  nodes: { a: { kind: cisco_iol } , b: { kind: linux } }\n  links:\n    - endpoints: ["a:GigaBogus0/0", "b:eth1"]\n', 5, /expected an IOS interface such as Ethernet0\/0/],
    ['name: t\ntopology:\n  nodes: { s: { kind: bridge }, u: { kind: bridge } }\n  links:\n    - endpoints: ["s:p1", "u:p1"]\n', 5, /between two bridges/],
    ['name: t\ntopology:\n  nodes: { a: { kind: linux, x-sim: { speed: 1 } } }\n', 3, /unknown x-sim key "speed"/],
    ['name: t\ntopology:\n  nodes: { a: { kind: linux, binds: ["no-colon"] } }\n', 3, /expected a bind "<lab file>:<absolute path on the device>\[:ro\]"/],
    ['name: t\ntopology:\n  nodes:\n    a: [1, 2\n', 5, /not valid YAML: Flow sequence .* end with a \]/], // YAML points where the ] was due
    ['name: t\nname: u\ntopology:\n  nodes: { a: { kind: linux } }\n', 2, /not valid YAML: Map keys must be unique/],
  ];
  for (const [text, line, message] of cases) {
    const e = errorOf(() => parseTopology(text, 'lab/topology.clab.yml'));
    assert.equal(e.file, 'lab/topology.clab.yml', text);
    assert.equal(e.line, line, `${text}\n→ ${e.message}`);
    assert.ok(e.column !== null && e.column >= 1, `${text}\n→ column ${e.column}`);
    assert.match(e.message, message, text);
    assert.ok(e.message.startsWith(`lab/topology.clab.yml:${line}:${e.column}: `), e.message);
  }
});

test('LAN delays: links to one bridge must agree unless the bridge sets its own', () => {
  const base = (bridge: string) => `name: t
topology:
  nodes: { a: { kind: linux }, b: { kind: linux }, s: ${bridge} }
  links:
    - { endpoints: ["a:eth1", "s:p1"], x-sim: { delay: 1ms } }
    - { endpoints: ["b:eth1", "s:p2"], x-sim: { delay: 2ms } }
`;
  const e = errorOf(() => parseTopology(base('{ kind: bridge }'), 'l/t.clab.yml'));
  assert.match(e.message, /l\/t\.clab\.yml:3:.*the links to bridge s give different delays/);
  const t = parseTopology(base('{ kind: bridge, x-sim: { delay: 3ms } }'), 'l/t.clab.yml');
  assert.equal(t.segments[0]!.delay, ms(3));
});

test('every problem of a topology is reported at once', () => {
  const e = errorOf(() =>
    parseTopology('name: t\ntopology:\n  nodes:\n    a: { kind: linux }\n    q: { kind: nope }\n  links:\n    - endpoints: ["a:eth1", "x:eth1"]\n    - endpoints: ["a:eth2", "a:eth3"]\n', 'l/t.yml'),
  );
  assert.deepEqual(e.problems.map((p) => p.line), [5, 7, 8]);
});

test('physical values have ranges: every x-sim delay is 0s to 10s, a range goes up; the error names file:line, key, range and value', () => {
  assert.deepEqual(DELAY_RANGE, { min: 0, max: seconds(10) });
  const lab = (xsim: string, node: string, link: string) => `name: t
x-sim: ${xsim}
topology:
  nodes:
    a: { kind: cisco_iol${node} }
    b: { kind: linux }
    s: { kind: bridge, x-sim: { delay: 1.5ms } }
  links:
    - { endpoints: ["a:e0/0", "b:eth1"]${link} }
    - { endpoints: ["a:e0/1", "s:p1"] }
    - { endpoints: ["b:eth2", "s:p2"] }
`;
  const cases: [string, string, string, string][] = [
    // The value: a processing delay of 49 days (4294967295 ms) gives a network where nothing answers.
    ['{ processing-delay: { cisco_iol: 2ms..4294967295ms } }', '', '', 'l/t.clab.yml:2:41: x-sim.processing-delay.cisco_iol: expected a delay from 0s to 10s, got "2ms..4294967295ms"'],
    ['{ processing-delay: 11s }', '', '', 'l/t.clab.yml:2:28: x-sim.processing-delay: expected a delay from 0s to 10s, got "11s"'],
    ['{ processing-delay: { linux: 10s..10001ms } }', '', '', 'l/t.clab.yml:2:37: x-sim.processing-delay.linux: expected a delay from 0s to 10s, got "10s..10001ms"'],
    ['{ link-delay: 1h }', '', '', 'l/t.clab.yml:2:22: x-sim.link-delay: expected a delay from 0s to 10s, got "1h"'],
    ['{}', ', x-sim: { processing-delay: 1m..2m }', '', 'l/t.clab.yml:5:54: node a: x-sim.processing-delay: expected a delay from 0s to 10s, got "1m..2m"'],
    ['{}', '', ', x-sim: { delay: 99999999999ms }', 'l/t.clab.yml:9:58: link x-sim.delay: expected a delay from 0s to 10s, got "99999999999ms"'],
    // min ≤ max is kept, with the key.
    ['{ processing-delay: { cisco_iol: 6ms..2ms } }', '', '', 'l/t.clab.yml:2:41: x-sim.processing-delay.cisco_iol: a range must go from the smaller to the larger duration, got "6ms..2ms"'],
  ];
  for (const [xsim, node, link, message] of cases) {
    const e = errorOf(() => parseTopology(lab(xsim, node, link), 'l/t.clab.yml'));
    assert.equal(e.message, message, `${xsim} ${node} ${link}`);
  }
  const bridge = errorOf(() => parseTopology(lab('{}', '', '').replace('delay: 1.5ms', 'delay: 10.5s'), 'l/t.clab.yml'));
  assert.equal(bridge.message, 'l/t.clab.yml:7:40: node s: x-sim.delay: expected a delay from 0s to 10s, got "10.5s"');
  // Every problem at once, and the ends of the range are accepted.
  assert.deepEqual(errorOf(() => parseTopology(lab('{ link-delay: 20s, processing-delay: 20s }', ', x-sim: { processing-delay: 20s }', ', x-sim: { delay: 20s }'), 'l/t.clab.yml')).problems.map((p) => p.line), [2, 2, 5, 9]);
  const t = parseTopology(lab('{ link-delay: 0s, processing-delay: 0s..10s }', '', ', x-sim: { delay: 10s }'), 'l/t.clab.yml');
  assert.deepEqual(t.nodes[0]!.processingDelay, { min: 0, max: seconds(10) });
  assert.deepEqual(t.segments.map((s) => s.delay), [seconds(10), ms(1.5)]);
});

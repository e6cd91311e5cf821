/**
 * containerlab-style topology files (`topology.clab.yml`), with our extensions under `x-sim`:
 *
 * ```yaml
 * name: anycast
 * x-sim: { link-delay: 1ms, options: { do_anycast: false } }     # lab-wide defaults and options
 * topology:
 *   nodes:
 *     r1: { kind: cisco_iol, startup-config: r1.cfg }
 *     xenial1: { kind: linux, startup-config: setup.xenial1.sh, binds: ["dns-input-file:/vagrant/dns-input-file"],
 *                x-sim: { processing-delay: 0.2ms..0.6ms } }
 *     lan5: { kind: bridge }
 *   links:
 *     - endpoints: ["r1:Ethernet0/0", "r2:Ethernet0/0"]          # a cable: a p2p segment
 *     - endpoints: ["r3:Ethernet0/1", "lan5:p1"]                 # a port of a LAN (bridge node)
 *     - endpoints: [{node: r3, interface: Ethernet0/2, mac: "cc:03:18:19:00:02"}, {node: lan7, interface: p1}]
 *       x-sim: { delay: 0.5ms }
 * ```
 *
 * Every delay under x-sim (processing delays, both ends of a range, and one-way delays of links, bridges
 * and the lab's link-delay) is within DELAY_RANGE, 0s to 10s (types.ts says why).
 *
 * The topology is checked on its own here (unknown nodes, self-links, interfaces used twice, bridges
 * with fewer than two ports, …); the loader then reads each node's config files. The steps: lab.ts
 * (name, x-sim, options), nodes.ts (kinds, startup configs, binds, node x-sim), links.ts (endpoints,
 * one cable per interface, unique MACs), segments.ts (p2p wires and LANs with their delays).
 */
import { isMap, LineCounter, parseDocument } from 'yaml';
import { readLabSettings } from './lab';
import { readLinks } from './links';
import { readNodes } from './nodes';
import { buildSegments } from './segments';
import type { TopologySpec } from './types';
import { get, keyOf, TopologyReader } from './yaml';

export { CLAB_KINDS, DEFAULT_LINK_DELAY, DELAY_RANGE, type LabOptionDecl, type TopologyBind, type TopologyEndpoint, type TopologyLink, type TopologyNode, type TopologySpec } from './types';

/** Parses a topology file. Throws LabFileError listing every problem (with line and column). */
export function parseTopology(text: string, file: string): TopologySpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const r = new TopologyReader(file, lineCounter);
  for (const e of doc.errors) {
    const p = e.linePos?.[0] ?? (e.pos === undefined ? undefined : lineCounter.linePos(e.pos[0]));
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    r.problems.add(p?.line ?? null, `not valid YAML: ${message}`, p?.col ?? null);
  }
  r.problems.throwIfAny();

  const root = doc.contents;
  if (root === null || !isMap(root)) {
    r.problem(root, 'expected a topology: a mapping with "name" and "topology: { nodes, links }"');
    r.problems.throwIfAny();
  }
  const lab = readLabSettings(r, root);
  const topology = get(root, 'topology');
  if (topology === undefined || topology === null) {
    r.problem(root, 'expected "topology:" with "nodes:" and "links:"');
    r.problems.throwIfAny();
  }
  for (const pair of r.entries(topology, '"topology" with "nodes" and "links"') ?? []) {
    const key = keyOf(pair);
    if (key !== 'nodes' && key !== 'links') {
      r.findings.add('unsupported', r.at(pair.key).line, `topology.${key ?? ''} is not used by the simulator (kinds and defaults are not applied)`);
    }
  }
  const nodes = readNodes(r, topology, lab);
  const links = readLinks(r, topology, nodes);
  const segments = buildSegments(r, nodes, links, lab.linkDelay);
  r.problems.throwIfAny();
  return { name: lab.name, file, source: { file, line: r.at(lab.nameNode).line }, options: lab.options, frrVersion: lab.frrVersion, nodes, links, segments, findings: r.findings.list };
}

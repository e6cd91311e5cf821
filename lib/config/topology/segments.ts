/**
 * The wires the links make: a `p2p` segment per direct cable, and a `lan` per bridge (its ports' far
 * ends). A segment's delay is the link's `x-sim.delay`, or for a LAN the bridge's (or the one delay
 * its links agree on), else the lab's `link-delay`.
 */
import type { Duration } from '../../sim/time';
import type { SegmentEndpoint, SegmentSpec } from '../spec';
import type { TopologyLink, TopologyNode } from './types';
import type { TopologyReader } from './yaml';

export function buildSegments(r: TopologyReader, nodes: readonly TopologyNode[], links: readonly TopologyLink[], linkDelay: Duration): SegmentSpec[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  return [...pointToPoint(links, byName, linkDelay), ...lans(r, nodes, links, linkDelay)];
}

/** One segment per cable between two non-bridges, named `a-b` (`a-b#2` for the second such cable). */
function pointToPoint(links: readonly TopologyLink[], byName: ReadonlyMap<string, TopologyNode>, linkDelay: Duration): SegmentSpec[] {
  const segments: SegmentSpec[] = [];
  const pairNames = new Map<string, number>();
  for (const l of links) {
    const [a, b] = l.endpoints;
    if (byName.get(a.node)!.kind === 'bridge' || byName.get(b.node)!.kind === 'bridge') continue;
    const base = `${a.node}-${b.node}`;
    const n = (pairNames.get(base) ?? 0) + 1;
    pairNames.set(base, n);
    segments.push({
      name: n === 1 ? base : `${base}#${n}`,
      kind: 'p2p',
      endpoints: [
        { node: a.node, iface: a.iface },
        { node: b.node, iface: b.iface },
      ],
      delay: l.delay ?? linkDelay,
      source: l.source,
    });
  }
  return segments;
}

/**
 * One LAN per bridge with at least one port. A bridge with one port is a stub network: the router
 * alone on a switch, which Linux and FRR treat as any LAN (carrier up, a connected route, RIP
 * announces it), as zebra announces a connected route for any interface that is up with an address.
 */
function lans(r: TopologyReader, nodes: readonly TopologyNode[], links: readonly TopologyLink[], linkDelay: Duration): SegmentSpec[] {
  const segments: SegmentSpec[] = [];
  for (const bridge of nodes.filter((n) => n.kind === 'bridge')) {
    const column = r.positions.get(bridge)?.column ?? null;
    const ports = links.filter((l) => l.endpoints.some((e) => e.node === bridge.name));
    if (ports.length === 0) {
      r.problems.add(bridge.source.line, `bridge ${bridge.name} has no ports; link a node to it (one port makes a stub network)`, column);
      continue;
    }
    const endpoints: SegmentEndpoint[] = ports.map((l) => {
      const far = l.endpoints[0].node === bridge.name ? l.endpoints[1] : l.endpoints[0];
      return { node: far.node, iface: far.iface };
    });
    const linkDelays = [...new Set(ports.map((l) => l.delay).filter((d): d is Duration => d !== null))];
    let delay = bridge.delay;
    if (delay === null) {
      if (linkDelays.length > 1) {
        r.problems.add(bridge.source.line, `the links to bridge ${bridge.name} give different delays; a LAN has one delay: set "x-sim: { delay: … }" on the bridge`, column);
        continue;
      }
      delay = linkDelays[0] ?? linkDelay;
    }
    segments.push({ name: bridge.name, kind: 'lan', endpoints, delay, source: bridge.source });
  }
  return segments;
}

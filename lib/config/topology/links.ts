/**
 * `topology.links`: cables between two endpoints (`"r1:Ethernet0/0"` or `{node, interface, mac}`),
 * with an optional `x-sim: { delay }`. An interface has one cable, a link joins two different nodes,
 * and two bridges are one bridge; a MAC address is used once.
 */
import { isMap, isSeq } from 'yaml';
import type { Duration } from '../../sim/time';
import type { MacAddr } from '../../wire/types';
import { formatMac, readMac } from '../addr';
import { isLinuxInterfaceName } from '../common';
import { normalizeIosInterfaceName } from '../ios';
import type { SourceRef } from '../spec';
import type { TopologyEndpoint, TopologyLink, TopologyNode } from './types';
import { get, keyOf, stringOf, type TopologyReader, type YamlPair } from './yaml';

export function readLinks(r: TopologyReader, topology: unknown, nodes: readonly TopologyNode[]): TopologyLink[] {
  const reading: LinkReading = { r, nodes, byName: new Map(nodes.map((n) => [n.name, n])), used: new Map() };
  const links: TopologyLink[] = [];
  const linksNode = get(topology, 'links');
  if (linksNode !== undefined && linksNode !== null && !isSeq(linksNode)) {
    r.problem(linksNode, 'expected "links:" to be a list of "- endpoints: [\\"a:eth1\\", \\"b:eth1\\"]"');
  }
  for (const item of isSeq(linksNode) ? linksNode.items : []) {
    const link = readLink(reading, item);
    if (link !== null) links.push(link);
  }
  checkMacs(r, links);
  return links;
}

interface LinkReading {
  r: TopologyReader;
  nodes: readonly TopologyNode[];
  byName: ReadonlyMap<string, TopologyNode>;
  /** `node:interface` → where it was linked first. */
  used: Map<string, SourceRef>;
}

function readLink(reading: LinkReading, item: unknown): TopologyLink | null {
  const r = reading.r;
  if (!isMap(item)) {
    r.problem(item, 'expected a link "- endpoints: [\\"a:eth1\\", \\"b:eth1\\"]"');
    return null;
  }
  let delay: Duration | null = null;
  for (const p of item.items as YamlPair[]) {
    const k = keyOf(p);
    if (k === 'endpoints') continue;
    if (k === 'type') {
      const t = stringOf(p.value);
      if (t !== 'veth') r.problem(p.value ?? p.key, `link type "${t ?? ''}" is not modelled; expected "veth" (or no type)`);
    } else if (k === 'x-sim') {
      for (const xp of r.entries(p.value, 'link x-sim settings') ?? []) {
        if (keyOf(xp) === 'delay') delay = r.durationAt(xp.value, 'link x-sim.delay');
        else r.problem(xp.key, `unknown link x-sim key "${keyOf(xp) ?? ''}"; expected "delay"`);
      }
    } else r.findings.add('ignored', r.at(p.key).line, `link key "${k ?? ''}" is not used by the simulator`);
  }
  const eps = get(item, 'endpoints');
  if (!isSeq(eps) || eps.items.length !== 2) {
    r.problem(eps ?? item, 'expected "endpoints:" with exactly two endpoints, e.g. ["r1:Ethernet0/0", "r2:Ethernet0/0"]');
    return null;
  }
  const a = readEndpoint(reading, eps.items[0]);
  const b = readEndpoint(reading, eps.items[1]);
  if (a === null || b === null) return null;
  if (a.node === b.node) {
    r.problem(eps, `a link from node ${a.node} to itself (${a.iface} — ${b.iface}) is not allowed`);
    return null;
  }
  const aNode = reading.byName.get(a.node)!;
  const bNode = reading.byName.get(b.node)!;
  if (aNode.kind === 'bridge' && bNode.kind === 'bridge') {
    r.problem(eps, `a link between two bridges (${a.node}, ${b.node}) is not modelled: make them one bridge`);
    return null;
  }
  let ok = true;
  for (const e of [a, b]) {
    const key = `${e.node}:${e.iface}`;
    const before = reading.used.get(key);
    if (before !== undefined) {
      r.problem(e === a ? eps.items[0] : eps.items[1], `interface ${key} is already linked on line ${before.line}; an interface has one cable`);
      ok = false;
    } else reading.used.set(key, e.source);
  }
  return ok ? { endpoints: [a, b], delay, source: r.src(item) } : null;
}

function readEndpoint(reading: LinkReading, item: unknown): TopologyEndpoint | null {
  const r = reading.r;
  let nodeName: string | null = null;
  let ifName: string | null = null;
  let mac: MacAddr | null = null;
  const s = stringOf(item);
  if (s !== null) {
    const colon = s.indexOf(':');
    if (colon > 0) {
      nodeName = s.slice(0, colon);
      ifName = s.slice(colon + 1);
    }
  } else if (isMap(item)) {
    nodeName = stringOf(get(item, 'node'));
    ifName = stringOf(get(item, 'interface'));
    const macNode = get(item, 'mac');
    if (macNode !== undefined) {
      const macText = stringOf(macNode);
      mac = macText === null ? null : readMac(macText);
      if (mac === null) {
        r.problem(macNode, `expected a MAC address such as "cc:03:18:19:00:01", got ${macText === null ? 'a non-string' : `"${macText}"`}`);
        return null;
      }
    }
    for (const p of item.items as YamlPair[]) {
      const k = keyOf(p);
      if (k !== 'node' && k !== 'interface' && k !== 'mac') r.findings.add('ignored', r.at(p.key).line, `endpoint key "${k ?? ''}" is not used by the simulator`);
    }
  }
  if (nodeName === null || ifName === null || ifName === '') {
    r.problem(item, 'expected an endpoint "<node>:<interface>" or { node: <node>, interface: <interface>, mac: <mac> }');
    return null;
  }
  const node = reading.byName.get(nodeName);
  if (node === undefined) {
    const nodes = reading.nodes;
    r.problem(item, `the link names node "${nodeName}", which is not under topology.nodes${nodes.length > 0 ? ` (nodes: ${nodes.map((n) => n.name).join(', ')})` : ''}`);
    return null;
  }
  const iface = interfaceOf(r, node, ifName, item);
  if (iface === null) return null;
  if (node.kind === 'bridge' && mac !== null) {
    r.findings.add('ignored', r.at(item).line, `bridge ${nodeName}: a MAC on a bridge port is not used`);
    mac = null;
  }
  const endpoint = { node: nodeName, iface, mac, source: r.src(item) };
  r.positions.set(endpoint, r.at(item));
  return endpoint;
}

/** The endpoint's interface in its node's own terms (IOS names normalised), or null after a problem. */
function interfaceOf(r: TopologyReader, node: TopologyNode, ifName: string, item: unknown): string | null {
  if (node.os === 'ios' && node.kind === 'router') {
    const iface = normalizeIosInterfaceName(ifName);
    if (iface === null || iface.startsWith('Loopback')) {
      r.problem(item, `node ${node.name}: expected an IOS interface such as Ethernet0/0, got "${ifName}"`);
      return null;
    }
    return iface;
  }
  if (node.kind === 'host') {
    if (!isLinuxInterfaceName(ifName) || ifName.includes(':') || ifName === 'lo') {
      r.problem(item, `node ${node.name}: expected a Linux interface such as eth1, got "${ifName}"`);
      return null;
    }
  } else if (!/^[A-Za-z0-9_.\/-]+$/.test(ifName)) {
    r.problem(item, `bridge ${node.name}: expected a port name such as p1, got "${ifName}"`);
    return null;
  }
  return ifName;
}

/** MAC addresses must be unique across the lab. */
function checkMacs(r: TopologyReader, links: readonly TopologyLink[]): void {
  const macs = new Map<MacAddr, TopologyEndpoint>();
  for (const l of links) {
    for (const e of l.endpoints) {
      if (e.mac === null) continue;
      const other = macs.get(e.mac);
      if (other !== undefined) {
        r.problems.add(
          e.source.line,
          `MAC ${formatMac(e.mac)} of ${e.node}:${e.iface} is already used by ${other.node}:${other.iface} (line ${other.source.line})`,
          r.positions.get(e)?.column ?? null,
        );
      } else macs.set(e.mac, e);
    }
  }
}

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
 * The topology is checked on its own here (unknown nodes, self-links, interfaces used twice, bridges
 * with fewer than two ports, …); the loader then reads each node's config files.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { formatMac, readMac } from './addr';
import { isLinuxInterfaceName, readDuration, readDurationRange, type DurationRange } from './common';
import { Findings, Problems } from './errors';
import { normalizeIosInterfaceName } from './ios';
import { ms, type Duration } from '../sim/time';
import type { MacAddr } from '../wire/types';
import type { ConfigFinding, NodeKind, NodeOs, SegmentEndpoint, SegmentSpec, SourceRef } from './spec';

/**
 * One-way delay of a wire when the topology gives none: 0.1 ms. The labs this project imitates run
 * every device on one machine, where a "cable" is a software switch or a veth pair; a frame crosses it
 * in tens of microseconds, so 0.1 ms is a generous upper figure, small beside the routers' own delays.
 */
export const DEFAULT_LINK_DELAY: Duration = ms(0.1);

/** containerlab kinds we understand and what they become. */
export const CLAB_KINDS: Record<string, { kind: NodeKind; os: NodeOs }> = {
  cisco_iol: { kind: 'router', os: 'ios' },
  cisco_ios: { kind: 'router', os: 'ios' },
  linux: { kind: 'host', os: 'linux' },
  bridge: { kind: 'bridge', os: 'linux' },
  'ovs-bridge': { kind: 'bridge', os: 'linux' },
};

export interface TopologyBind {
  /** Path in the lab folder (relative to it). */
  labFile: string;
  /** Absolute path on the device. */
  devicePath: string;
  readOnly: boolean;
  source: SourceRef;
}

export interface TopologyNode {
  name: string;
  clabKind: string;
  kind: NodeKind;
  os: NodeOs;
  /** Lab-folder-relative path of the node's startup config (IOS text, or a shell setup script). */
  startupConfig: { path: string; source: SourceRef } | null;
  binds: TopologyBind[];
  processingDelay: DurationRange | null;
  /** Bridges only: `x-sim: { delay }`, the LAN's one-way delay. */
  delay: Duration | null;
  source: SourceRef;
}

export interface TopologyEndpoint {
  node: string;
  /** Normalised (`e0/0` on an IOS node becomes `Ethernet0/0`). */
  iface: string;
  mac: MacAddr | null;
  source: SourceRef;
}

export interface TopologyLink {
  endpoints: [TopologyEndpoint, TopologyEndpoint];
  delay: Duration | null;
  source: SourceRef;
}

export interface LabOptionDecl {
  name: string;
  default: boolean;
  description: string | null;
  source: SourceRef;
}

export interface TopologySpec {
  name: string;
  file: string;
  source: SourceRef;
  options: LabOptionDecl[];
  nodes: TopologyNode[];
  links: TopologyLink[];
  /** The wires: one `lan` per bridge node (its ports' far ends), one `p2p` per direct link. */
  segments: SegmentSpec[];
  findings: ConfigFinding[];
}

const OUR_LAB_KEYS = ['link-delay', 'processing-delay', 'options'];

/** Parses a topology file. Throws LabFileError listing every problem (with line and column). */
export function parseTopology(text: string, file: string): TopologySpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const problems = new Problems(file);
  const findings = new Findings(file);

  const at = (node: unknown): { line: number; column: number } => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range === undefined) return { line: 1, column: 1 };
    const p = lineCounter.linePos(range[0]);
    return { line: p.line, column: p.col };
  };
  const src = (node: unknown): SourceRef => ({ file, line: at(node).line });
  /** Where each node and endpoint was written, for problems found after reading (columns included). */
  const positions = new Map<object, { line: number; column: number }>();
  const problem = (node: unknown, message: string): void => {
    const p = at(node);
    problems.add(p.line, message, p.column);
  };

  for (const e of doc.errors) {
    const p = e.linePos?.[0] ?? (e.pos === undefined ? undefined : lineCounter.linePos(e.pos[0]));
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    problems.add(p?.line ?? null, `not valid YAML: ${message}`, p?.col ?? null);
  }
  if (problems.count > 0) problems.throwIfAny();

  const entries = (node: unknown, what: string): Pair<YamlNode | null, YamlNode | null>[] | null => {
    if (!isMap(node)) {
      problem(node, `expected ${what} (a mapping of keys to values)`);
      return null;
    }
    return node.items as Pair<YamlNode | null, YamlNode | null>[];
  };
  const keyOf = (pair: Pair<YamlNode | null, YamlNode | null>): string | null =>
    isScalar(pair.key) && (typeof pair.key.value === 'string' || typeof pair.key.value === 'number') ? String(pair.key.value) : null;
  const stringOf = (node: unknown): string | null => (isScalar(node) && typeof node.value === 'string' ? node.value : null);
  const get = (node: unknown, key: string): YamlNode | null | undefined => {
    if (!isMap(node)) return undefined;
    const pair = (node.items as Pair<YamlNode | null, YamlNode | null>[]).find((p) => keyOf(p) === key);
    return pair === undefined ? undefined : pair.value;
  };
  const durationAt = (node: unknown, what: string): Duration | null => {
    const text = isScalar(node) ? String(node.value) : null;
    const d = text === null ? null : readDuration(text);
    if (d === null || !d.ok || typeof (node as { value: unknown }).value !== 'string') {
      problem(node, `${what}: expected a duration with its unit such as 0.5ms, 300us or 2s${text === null ? '' : `, got "${text}"`}`);
      return null;
    }
    return d.value;
  };
  const rangeAt = (node: unknown, what: string): DurationRange | null => {
    const text = isScalar(node) ? String(node.value) : null;
    const d = text === null ? null : readDurationRange(text);
    if (d !== null && !d.ok && typeof (node as { value: unknown }).value === 'string') {
      problem(node, `${what}: ${d.error}`);
      return null;
    }
    if (d === null || !d.ok || typeof (node as { value: unknown }).value !== 'string') {
      problem(node, `${what}: expected a duration such as 2ms or a range such as 2ms..6ms${text === null ? '' : `, got "${text}"`}`);
      return null;
    }
    return d.value;
  };

  const root = doc.contents;
  if (root === null || !isMap(root)) {
    problem(root, 'expected a topology: a mapping with "name" and "topology: { nodes, links }"');
    problems.throwIfAny();
  }

  // --- name, x-sim ---------------------------------------------------------------------------
  let name = '';
  const nameNode = get(root, 'name');
  if (nameNode === undefined) problem(root, 'expected "name: <lab name>" at the top of the file');
  else {
    const n = stringOf(nameNode);
    if (n === null || !/^[A-Za-z0-9_.-]+$/.test(n)) problem(nameNode, 'expected "name: <lab name>" (letters, digits, ".", "_", "-")');
    else name = n;
  }

  let linkDelay: Duration = DEFAULT_LINK_DELAY;
  let labProcessingAll: DurationRange | null = null;
  const labProcessingByKind = new Map<string, DurationRange>();
  const options: LabOptionDecl[] = [];
  const xsim = get(root, 'x-sim');
  if (xsim !== undefined && xsim !== null) {
    for (const pair of entries(xsim, '"x-sim" settings') ?? []) {
      const key = keyOf(pair);
      if (key === 'link-delay') {
        const d = durationAt(pair.value, 'x-sim.link-delay');
        if (d !== null) linkDelay = d;
      } else if (key === 'processing-delay') {
        if (isMap(pair.value)) {
          for (const kp of entries(pair.value, 'processing delays by kind') ?? []) {
            const kind = keyOf(kp);
            if (kind === null || CLAB_KINDS[kind] === undefined) {
              problem(kp.key, `x-sim.processing-delay: expected a node kind (${Object.keys(CLAB_KINDS).join(', ')}), got "${kind ?? ''}"`);
              continue;
            }
            const r = rangeAt(kp.value, `x-sim.processing-delay.${kind}`);
            if (r !== null) labProcessingByKind.set(kind, r);
          }
        } else labProcessingAll = rangeAt(pair.value, 'x-sim.processing-delay');
      } else if (key === 'options') {
        for (const op of entries(pair.value, 'lab options, e.g. "options: { do_anycast: false }"') ?? []) {
          const optName = keyOf(op);
          if (optName === null || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(optName)) {
            problem(op.key, 'x-sim.options: expected an option name such as do_anycast');
            continue;
          }
          let def: unknown = isScalar(op.value) ? op.value.value : undefined;
          let description: string | null = null;
          if (isMap(op.value)) {
            const d = get(op.value, 'default');
            def = isScalar(d) ? d.value : undefined;
            const desc = get(op.value, 'description');
            description = stringOf(desc);
          }
          if (typeof def !== 'boolean') {
            problem(op.value ?? op.key, `x-sim.options.${optName}: expected true or false (the default), or { default: false, description: "…" }`);
            continue;
          }
          options.push({ name: optName, default: def, description, source: src(op.key) });
        }
      } else {
        problem(pair.key, `unknown x-sim key "${key ?? ''}": expected one of ${OUR_LAB_KEYS.join(', ')}`);
      }
    }
  }
  for (const pair of (isMap(root) ? root.items : []) as Pair<YamlNode | null, YamlNode | null>[]) {
    const key = keyOf(pair);
    if (key !== 'name' && key !== 'x-sim' && key !== 'topology') {
      findings.add('ignored', at(pair.key).line, `top-level key "${key ?? ''}" is not used by the simulator`);
    }
  }

  // --- nodes ---------------------------------------------------------------------------------
  const topology = get(root, 'topology');
  const nodes: TopologyNode[] = [];
  const links: TopologyLink[] = [];
  if (topology === undefined || topology === null) {
    problem(root, 'expected "topology:" with "nodes:" and "links:"');
    problems.throwIfAny();
  }
  for (const pair of entries(topology, '"topology" with "nodes" and "links"') ?? []) {
    const key = keyOf(pair);
    if (key !== 'nodes' && key !== 'links') {
      findings.add('unsupported', at(pair.key).line, `topology.${key ?? ''} is not used by the simulator (kinds and defaults are not applied)`);
    }
  }
  const nodesNode = get(topology, 'nodes');
  if (nodesNode === undefined || nodesNode === null) problem(topology, 'expected "nodes:" under "topology:"');
  else {
    for (const pair of entries(nodesNode, 'nodes: a mapping of node names to their settings') ?? []) {
      const n = readNode(pair);
      if (n !== null) nodes.push(n);
    }
  }

  function readNode(pair: Pair<YamlNode | null, YamlNode | null>): TopologyNode | null {
    const nodeName = keyOf(pair);
    if (nodeName === null || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(nodeName)) {
      problem(pair.key, 'expected a node name (letters, digits, ".", "_", "-")');
      return null;
    }
    const body = pair.value;
    const kindNode = get(body, 'kind');
    if (!isMap(body) || kindNode === undefined) {
      problem(body ?? pair.key, `node ${nodeName}: expected "{ kind: <kind>, … }" with kind one of ${Object.keys(CLAB_KINDS).join(', ')}`);
      return null;
    }
    const clabKind = stringOf(kindNode);
    const mapped = clabKind === null ? undefined : CLAB_KINDS[clabKind];
    if (clabKind === null || mapped === undefined) {
      problem(kindNode, `node ${nodeName}: unknown kind "${clabKind ?? ''}"; expected one of ${Object.keys(CLAB_KINDS).join(', ')}`);
      return null;
    }
    const node: TopologyNode = {
      name: nodeName,
      clabKind,
      kind: mapped.kind,
      os: mapped.os,
      startupConfig: null,
      binds: [],
      processingDelay: null,
      delay: null,
      source: src(pair.key),
    };
    positions.set(node, at(pair.key));
    for (const p of body.items as Pair<YamlNode | null, YamlNode | null>[]) {
      const key = keyOf(p);
      switch (key) {
        case 'kind':
          break;
        case 'startup-config': {
          const path = stringOf(p.value);
          if (path === null || path.trim() === '') problem(p.value ?? p.key, `node ${nodeName}: expected "startup-config: <file in the lab folder>"`);
          else if (mapped.kind === 'bridge') problem(p.key, `node ${nodeName}: a bridge has no startup-config`);
          else node.startupConfig = { path, source: src(p.value) };
          break;
        }
        case 'binds': {
          if (!isSeq(p.value)) {
            problem(p.value ?? p.key, `node ${nodeName}: expected "binds: [ "<lab file>:<path on the device>", … ]"`);
            break;
          }
          for (const item of p.value.items) {
            const b = stringOf(item);
            const parts = b === null ? [] : b.split(':');
            const ro = parts.length === 3 && (parts[2] === 'ro' || parts[2] === 'rw') ? parts.pop() : undefined;
            if (b === null || parts.length !== 2 || parts[0] === '' || !parts[1]!.startsWith('/')) {
              problem(item, `node ${nodeName}: expected a bind "<lab file>:<absolute path on the device>[:ro]", got ${b === null ? 'a non-string' : `"${b}"`}`);
              continue;
            }
            if (mapped.os !== 'linux' || mapped.kind === 'bridge') {
              problem(item, `node ${nodeName}: binds are supported on linux nodes only`);
              continue;
            }
            node.binds.push({ labFile: parts[0]!, devicePath: parts[1]!, readOnly: ro === 'ro', source: src(item) });
          }
          break;
        }
        case 'x-sim': {
          for (const xp of entries(p.value, `node ${nodeName}: x-sim settings`) ?? []) {
            const xk = keyOf(xp);
            if (xk === 'processing-delay' && mapped.kind !== 'bridge') node.processingDelay = rangeAt(xp.value, `node ${nodeName}: x-sim.processing-delay`);
            else if (xk === 'delay' && mapped.kind === 'bridge') node.delay = durationAt(xp.value, `node ${nodeName}: x-sim.delay`);
            else {
              problem(
                xp.key,
                `node ${nodeName}: unknown x-sim key "${xk ?? ''}"; expected ${mapped.kind === 'bridge' ? '"delay" (the LAN\'s one-way delay)' : '"processing-delay"'}`,
              );
            }
          }
          break;
        }
        case 'exec':
        case 'cmd':
        case 'entrypoint':
          findings.add('unsupported', at(p.key).line, `node ${nodeName}: "${key}" is not run by the simulator`);
          break;
        default:
          findings.add('ignored', at(p.key).line, `node ${nodeName}: "${key ?? ''}" is not used by the simulator`);
      }
    }
    node.processingDelay ??= mapped.kind === 'bridge' ? null : (labProcessingByKind.get(clabKind) ?? labProcessingAll);
    return node;
  }

  // --- links ---------------------------------------------------------------------------------
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const used = new Map<string, SourceRef>();
  const linksNode = get(topology, 'links');
  if (linksNode !== undefined && linksNode !== null && !isSeq(linksNode)) {
    problem(linksNode, 'expected "links:" to be a list of "- endpoints: [\\"a:eth1\\", \\"b:eth1\\"]"');
  }
  for (const item of isSeq(linksNode) ? linksNode.items : []) {
    const link = readLink(item);
    if (link !== null) links.push(link);
  }

  function readEndpoint(item: unknown): TopologyEndpoint | null {
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
          problem(macNode, `expected a MAC address such as "cc:03:18:19:00:01", got ${macText === null ? 'a non-string' : `"${macText}"`}`);
          return null;
        }
      }
      for (const p of item.items as Pair<YamlNode | null, YamlNode | null>[]) {
        const k = keyOf(p);
        if (k !== 'node' && k !== 'interface' && k !== 'mac') findings.add('ignored', at(p.key).line, `endpoint key "${k ?? ''}" is not used by the simulator`);
      }
    }
    if (nodeName === null || ifName === null || ifName === '') {
      problem(item, 'expected an endpoint "<node>:<interface>" or { node: <node>, interface: <interface>, mac: <mac> }');
      return null;
    }
    const node = byName.get(nodeName);
    if (node === undefined) {
      problem(item, `the link names node "${nodeName}", which is not under topology.nodes${nodes.length > 0 ? ` (nodes: ${nodes.map((n) => n.name).join(', ')})` : ''}`);
      return null;
    }
    let iface: string | null = ifName;
    if (node.os === 'ios' && node.kind === 'router') {
      iface = normalizeIosInterfaceName(ifName);
      if (iface === null || iface.startsWith('Loopback')) {
        problem(item, `node ${nodeName}: expected an IOS interface such as Ethernet0/0, got "${ifName}"`);
        return null;
      }
    } else if (node.kind === 'host') {
      if (!isLinuxInterfaceName(ifName) || ifName.includes(':') || ifName === 'lo') {
        problem(item, `node ${nodeName}: expected a Linux interface such as eth1, got "${ifName}"`);
        return null;
      }
    } else if (!/^[A-Za-z0-9_.\/-]+$/.test(ifName)) {
      problem(item, `bridge ${nodeName}: expected a port name such as p1, got "${ifName}"`);
      return null;
    }
    if (node.kind === 'bridge' && mac !== null) {
      findings.add('ignored', at(item).line, `bridge ${nodeName}: a MAC on a bridge port is not used`);
      mac = null;
    }
    const endpoint = { node: nodeName, iface, mac, source: src(item) };
    positions.set(endpoint, at(item));
    return endpoint;
  }

  function readLink(item: unknown): TopologyLink | null {
    if (!isMap(item)) {
      problem(item, 'expected a link "- endpoints: [\\"a:eth1\\", \\"b:eth1\\"]"');
      return null;
    }
    let delay: Duration | null = null;
    for (const p of item.items as Pair<YamlNode | null, YamlNode | null>[]) {
      const k = keyOf(p);
      if (k === 'endpoints') continue;
      if (k === 'type') {
        const t = stringOf(p.value);
        if (t !== 'veth') problem(p.value ?? p.key, `link type "${t ?? ''}" is not modelled; expected "veth" (or no type)`);
      } else if (k === 'x-sim') {
        for (const xp of entries(p.value, 'link x-sim settings') ?? []) {
          if (keyOf(xp) === 'delay') delay = durationAt(xp.value, 'link x-sim.delay');
          else problem(xp.key, `unknown link x-sim key "${keyOf(xp) ?? ''}"; expected "delay"`);
        }
      } else findings.add('ignored', at(p.key).line, `link key "${k ?? ''}" is not used by the simulator`);
    }
    const eps = get(item, 'endpoints');
    if (!isSeq(eps) || eps.items.length !== 2) {
      problem(eps ?? item, 'expected "endpoints:" with exactly two endpoints, e.g. ["r1:Ethernet0/0", "r2:Ethernet0/0"]');
      return null;
    }
    const a = readEndpoint(eps.items[0]);
    const b = readEndpoint(eps.items[1]);
    if (a === null || b === null) return null;
    if (a.node === b.node) {
      problem(eps, `a link from node ${a.node} to itself (${a.iface} — ${b.iface}) is not allowed`);
      return null;
    }
    const aNode = byName.get(a.node)!;
    const bNode = byName.get(b.node)!;
    if (aNode.kind === 'bridge' && bNode.kind === 'bridge') {
      problem(eps, `a link between two bridges (${a.node}, ${b.node}) is not modelled: make them one bridge`);
      return null;
    }
    let ok = true;
    for (const e of [a, b]) {
      const key = `${e.node}:${e.iface}`;
      const before = used.get(key);
      if (before !== undefined) {
        problem(e === a ? eps.items[0] : eps.items[1], `interface ${key} is already linked on line ${before.line}; an interface has one cable`);
        ok = false;
      } else used.set(key, e.source);
    }
    return ok ? { endpoints: [a, b], delay, source: src(item) } : null;
  }

  // --- MACs must be unique -------------------------------------------------------------------
  const macs = new Map<MacAddr, TopologyEndpoint>();
  for (const l of links) {
    for (const e of l.endpoints) {
      if (e.mac === null) continue;
      const other = macs.get(e.mac);
      if (other !== undefined) {
        problems.add(
          e.source.line,
          `MAC ${formatMac(e.mac)} of ${e.node}:${e.iface} is already used by ${other.node}:${other.iface} (line ${other.source.line})`,
          positions.get(e)?.column ?? null,
        );
      } else macs.set(e.mac, e);
    }
  }

  // --- segments ------------------------------------------------------------------------------
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
  for (const bridge of nodes.filter((n) => n.kind === 'bridge')) {
    const ports = links.filter((l) => l.endpoints.some((e) => e.node === bridge.name));
    if (ports.length < 2) {
      problems.add(
        bridge.source.line,
        `bridge ${bridge.name} has ${ports.length} port${ports.length === 1 ? '' : 's'}; a LAN needs at least two`,
        positions.get(bridge)?.column ?? null,
      );
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
        problems.add(
          bridge.source.line,
          `the links to bridge ${bridge.name} give different delays; a LAN has one delay: set "x-sim: { delay: … }" on the bridge`,
          positions.get(bridge)?.column ?? null,
        );
        continue;
      }
      delay = linkDelays[0] ?? linkDelay;
    }
    segments.push({ name: bridge.name, kind: 'lan', endpoints, delay, source: bridge.source });
  }

  problems.throwIfAny();
  return { name, file, source: { file, line: at(nameNode).line }, options, nodes, links, segments, findings: findings.list };
}

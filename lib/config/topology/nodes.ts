/**
 * `topology.nodes`: each node's containerlab kind (what it becomes: an IOS router, a Linux host, a
 * bridge), its startup config, its binds (lab files seen on the device), and our `x-sim` extensions
 * (`processing-delay` on routers and hosts, `delay` on a bridge: its LAN's one-way delay).
 */
import { isMap, isSeq } from 'yaml';
import type { LabSettings } from './lab';
import { CLAB_KINDS, type TopologyNode } from './types';
import { get, keyOf, stringOf, type TopologyReader, type YamlPair } from './yaml';

export function readNodes(r: TopologyReader, topology: unknown, lab: LabSettings): TopologyNode[] {
  const nodes: TopologyNode[] = [];
  const nodesNode = get(topology, 'nodes');
  if (nodesNode === undefined || nodesNode === null) r.problem(topology, 'expected "nodes:" under "topology:"');
  else {
    for (const pair of r.entries(nodesNode, 'nodes: a mapping of node names to their settings') ?? []) {
      const n = readNode(r, pair, lab);
      if (n !== null) nodes.push(n);
    }
  }
  return nodes;
}

function readNode(r: TopologyReader, pair: YamlPair, lab: LabSettings): TopologyNode | null {
  const nodeName = keyOf(pair);
  if (nodeName === null || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(nodeName)) {
    r.problem(pair.key, 'expected a node name (letters, digits, ".", "_", "-")');
    return null;
  }
  const body = pair.value;
  const kindNode = get(body, 'kind');
  if (!isMap(body) || kindNode === undefined) {
    r.problem(body ?? pair.key, `node ${nodeName}: expected "{ kind: <kind>, … }" with kind one of ${Object.keys(CLAB_KINDS).join(', ')}`);
    return null;
  }
  const clabKind = stringOf(kindNode);
  const mapped = clabKind === null ? undefined : CLAB_KINDS[clabKind];
  if (clabKind === null || mapped === undefined) {
    r.problem(kindNode, `node ${nodeName}: unknown kind "${clabKind ?? ''}"; expected one of ${Object.keys(CLAB_KINDS).join(', ')}`);
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
    source: r.src(pair.key),
  };
  r.positions.set(node, r.at(pair.key));
  for (const p of body.items as YamlPair[]) {
    const key = keyOf(p);
    switch (key) {
      case 'kind':
        break;
      case 'startup-config': {
        const path = stringOf(p.value);
        if (path === null || path.trim() === '') r.problem(p.value ?? p.key, `node ${nodeName}: expected "startup-config: <file in the lab folder>"`);
        else if (mapped.kind === 'bridge') r.problem(p.key, `node ${nodeName}: a bridge has no startup-config`);
        else node.startupConfig = { path, source: r.src(p.value) };
        break;
      }
      case 'binds':
        readBinds(r, p, node);
        break;
      case 'x-sim':
        readNodeExtensions(r, p, node);
        break;
      case 'exec':
      case 'cmd':
      case 'entrypoint':
        r.findings.add('unsupported', r.at(p.key).line, `node ${nodeName}: "${key}" is not run by the simulator`);
        break;
      default:
        r.findings.add('ignored', r.at(p.key).line, `node ${nodeName}: "${key ?? ''}" is not used by the simulator`);
    }
  }
  node.processingDelay ??= mapped.kind === 'bridge' ? null : (lab.processingByKind.get(clabKind) ?? lab.processingAll);
  return node;
}

/** `binds: ["<lab file>:<absolute path on the device>[:ro]", …]`, on Linux hosts only. */
function readBinds(r: TopologyReader, p: YamlPair, node: TopologyNode): void {
  if (!isSeq(p.value)) {
    r.problem(p.value ?? p.key, `node ${node.name}: expected "binds: [ "<lab file>:<path on the device>", … ]"`);
    return;
  }
  for (const item of p.value.items) {
    const b = stringOf(item);
    const parts = b === null ? [] : b.split(':');
    const ro = parts.length === 3 && (parts[2] === 'ro' || parts[2] === 'rw') ? parts.pop() : undefined;
    if (b === null || parts.length !== 2 || parts[0] === '' || !parts[1]!.startsWith('/')) {
      r.problem(item, `node ${node.name}: expected a bind "<lab file>:<absolute path on the device>[:ro]", got ${b === null ? 'a non-string' : `"${b}"`}`);
      continue;
    }
    if (node.os !== 'linux' || node.kind === 'bridge') {
      r.problem(item, `node ${node.name}: binds are supported on linux nodes only`);
      continue;
    }
    node.binds.push({ labFile: parts[0]!, devicePath: parts[1]!, readOnly: ro === 'ro', source: r.src(item) });
  }
}

/** A node's `x-sim`: `processing-delay` (routers and hosts) or `delay` (bridges). */
function readNodeExtensions(r: TopologyReader, p: YamlPair, node: TopologyNode): void {
  for (const xp of r.entries(p.value, `node ${node.name}: x-sim settings`) ?? []) {
    const xk = keyOf(xp);
    if (xk === 'processing-delay' && node.kind !== 'bridge') node.processingDelay = r.rangeAt(xp.value, `node ${node.name}: x-sim.processing-delay`);
    else if (xk === 'delay' && node.kind === 'bridge') node.delay = r.durationAt(xp.value, `node ${node.name}: x-sim.delay`);
    else {
      r.problem(xp.key, `node ${node.name}: unknown x-sim key "${xk ?? ''}"; expected ${node.kind === 'bridge' ? '"delay" (the LAN\'s one-way delay)' : '"processing-delay"'}`);
    }
  }
}

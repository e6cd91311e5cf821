/**
 * A containerlab-style lab folder from a LabSpec: `topology.clab.yml` (nodes with kind and
 * startup-config, bridges for LANs, links with endpoints and MACs, our `x-sim` timing and options)
 * and each node's files, such that `loadLab` reads the folder back into an equivalent LabSpec
 * (writers/containerlab.test.ts).
 *
 * IOS routers get a startup-config from the IOS writer (containerlab's cisco_iol boots from a
 * configuration, not from the session a lab may hold, such as the write-up's `enable`, `conf t`, …).
 * Linux nodes keep their own setup script and bound files, as the project's labs run them; the
 * lab's option values become the exported options' defaults.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { formatMac } from '../addr';
import { formatDuration } from '../../sim/time';
import { parseTopology } from '../topology';
import type { ConfigFinding, LabSpec, NodeSpec, SegmentSpec } from '../spec';
import { doesNotTranslate, type WrittenFile } from './common';
import { writeIos } from './ios';

export interface ContainerlabFiles {
  /** topology.clab.yml first, then each node's files, named relative to the lab folder. */
  files: WrittenFile[];
  findings: ConfigFinding[];
}

const q = (s: string): string => JSON.stringify(s);

/** The lab as a containerlab-style folder. */
export function writeContainerlab(spec: LabSpec): ContainerlabFiles {
  const findings: ConfigFinding[] = [];
  const files: WrittenFile[] = [];
  /** Lab file (as LabSpec names it) → its name in the exported folder. */
  const copied = new Map<string, string>();
  const taken = new Set<string>(['topology.clab.yml']);
  const unique = (wanted: string, node: string): string => {
    let name = taken.has(wanted) ? `${node}.${wanted}` : wanted;
    for (let k = 2; taken.has(name); k++) name = `${node}.${k}.${wanted}`;
    taken.add(name);
    return name;
  };
  /** A lab file of the node into the exported folder, with the text read at load. */
  const copy = (file: NodeSpec['files'][number], node: NodeSpec): string => {
    const known = copied.get(file.labFile);
    if (known !== undefined) return known;
    const name = unique(basename(file.labFile), node.name);
    files.push({ name, content: file.text });
    copied.set(file.labFile, name);
    return name;
  };

  const nodeLines: string[] = [];
  for (const n of spec.nodes) {
    const entries: string[] = [`kind: ${n.clabKind}`];
    if (n.os === 'ios' && n.kind === 'router') {
      const ios = writeIos(spec, n.name);
      findings.push(...ios.findings);
      const name = unique(`${n.name}.cfg`, n.name);
      files.push({ name, content: ios.startupConfig });
      entries.push(`startup-config: ${q(name)}`);
    } else if (n.kind === 'host') {
      const startup = n.files.find((f) => f.devicePath === 'startup-config');
      const script = startup === undefined ? null : copy(startup, n);
      if (script !== null) entries.push(`startup-config: ${q(script)}`);
      else findings.push(doesNotTranslate(n.source, `${n.name} has no setup script: it is exported without one`));
      const binds = n.files.filter((f) => f.devicePath !== 'startup-config').map((f) => q(`${copy(f, n)}:${f.devicePath}`));
      if (binds.length > 0) entries.push(`binds: [${binds.join(', ')}]`);
    }
    const xsim: string[] = [];
    if (n.kind === 'bridge') {
      const lan = spec.segments.find((s) => s.kind === 'lan' && s.name === n.name);
      if (lan !== undefined) xsim.push(`delay: ${formatDuration(lan.delay)}`);
    } else if (n.processingDelay !== null) {
      const { min, max } = n.processingDelay;
      xsim.push(`processing-delay: ${min === max ? formatDuration(min) : `${formatDuration(min)}..${formatDuration(max)}`}`);
    }
    if (xsim.length > 0) entries.push(`x-sim: { ${xsim.join(', ')} }`);
    nodeLines.push(`    ${n.name}: { ${entries.join(', ')} }`);
  }

  const linkLines: string[] = [];
  for (const s of spec.segments) linkLines.push(...linksOf(spec, s));

  const yaml = [
    `# Lab ${spec.name}, written by anycast-lab from ${spec.topologyFile ?? 'a lab built in code'}.`,
    `name: ${spec.name}`,
    ...optionLines(spec),
    'topology:',
    '  nodes:',
    ...nodeLines,
    '  links:',
    ...linkLines,
  ];
  files.unshift({ name: 'topology.clab.yml', content: yaml.join('\n') + '\n' });
  return { files, findings };
}

/** `x-sim.options` with the lab's values as defaults, and their descriptions when the topology has them. */
function optionLines(spec: LabSpec): string[] {
  const names = Object.keys(spec.options).filter((k) => !k.startsWith('x-'));
  if (names.length === 0) return [];
  const descriptions = new Map<string, string>();
  if (spec.dir !== null && spec.topologyFile !== null) {
    const abs = resolve(dirname(spec.dir), spec.topologyFile);
    if (existsSync(abs)) for (const o of parseTopology(readFileSync(abs, 'utf8'), spec.topologyFile).options) if (o.description !== null) descriptions.set(o.name, o.description);
  }
  return [
    'x-sim:',
    '  options:',
    ...names.map((k) => {
      const d = descriptions.get(k);
      return `    ${k}: { default: ${spec.options[k]}${d === undefined ? '' : `, description: ${q(d)}`} }`;
    }),
  ];
}

/** A p2p segment is one link; a LAN is one link per port of its bridge node (p1, p2, …). */
function linksOf(spec: LabSpec, s: SegmentSpec): string[] {
  const endpoint = (node: string, iface: string): string => {
    const mac = spec.nodes.find((n) => n.name === node)?.interfaces.find((i) => i.name === iface)?.mac ?? null;
    return `{ node: ${node}, interface: ${q(iface)}${mac === null ? '' : `, mac: ${q(formatMac(mac))}`} }`;
  };
  if (s.kind === 'p2p') {
    const [a, b] = s.endpoints;
    return [`    - endpoints: [${endpoint(a!.node, a!.iface)}, ${endpoint(b!.node, b!.iface)}]`, `      x-sim: { delay: ${formatDuration(s.delay)} }`];
  }
  return s.endpoints.map((e, k) => `    - endpoints: [${endpoint(e.node, e.iface)}, { node: ${s.name}, interface: p${k + 1} }]`);
}

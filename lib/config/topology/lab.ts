/**
 * The lab-wide part of a topology: `name`, and our extensions under the top-level `x-sim` key
 * (`link-delay`, `processing-delay` for all nodes or by kind, the lab `options`, and `frr-version`:
 * the FRR release a node's FRR configuration without a `frr version` line is read as).
 */
import { isMap, isScalar, type Node as YamlNode } from 'yaml';
import type { Duration } from '../../sim/time';
import type { DurationRange } from '../common';
import type { SourceRef } from '../spec';
import { CLAB_KINDS, DEFAULT_LINK_DELAY, type LabOptionDecl } from './types';
import { get, keyOf, stringOf, type TopologyReader, type YamlPair } from './yaml';

const OUR_LAB_KEYS = ['link-delay', 'processing-delay', 'options', 'frr-version'];

export interface LabSettings {
  name: string;
  /** Where `name:` was written (the lab's source line). */
  nameNode: YamlNode | null | undefined;
  linkDelay: Duration;
  /** `x-sim.processing-delay` given as one range for every node. */
  processingAll: DurationRange | null;
  /** `x-sim.processing-delay` given by containerlab kind. */
  processingByKind: Map<string, DurationRange>;
  options: LabOptionDecl[];
  /** `x-sim.frr-version: "10.2"` as written (checked when the lab is loaded), or null. */
  frrVersion: { value: string; source: SourceRef } | null;
}

export function readLabSettings(r: TopologyReader, root: unknown): LabSettings {
  const settings: LabSettings = {
    name: '',
    nameNode: get(root, 'name'),
    linkDelay: DEFAULT_LINK_DELAY,
    processingAll: null,
    processingByKind: new Map(),
    options: [],
    frrVersion: null,
  };
  const nameNode = settings.nameNode;
  if (nameNode === undefined) r.problem(root, 'expected "name: <lab name>" at the top of the file');
  else {
    const n = stringOf(nameNode);
    if (n === null || !/^[A-Za-z0-9_.-]+$/.test(n)) r.problem(nameNode, 'expected "name: <lab name>" (letters, digits, ".", "_", "-")');
    else settings.name = n;
  }

  const xsim = get(root, 'x-sim');
  if (xsim !== undefined && xsim !== null) {
    for (const pair of r.entries(xsim, '"x-sim" settings') ?? []) {
      const key = keyOf(pair);
      if (key === 'link-delay') {
        const d = r.durationAt(pair.value, 'x-sim.link-delay');
        if (d !== null) settings.linkDelay = d;
      } else if (key === 'processing-delay') readProcessingDelay(r, pair, settings);
      else if (key === 'options') readOptions(r, pair, settings.options);
      else if (key === 'frr-version') {
        // The text as written: YAML reads `10.10` as the number 10.1.
        const v = isScalar(pair.value) ? ((pair.value as { source?: string }).source ?? String(pair.value.value)) : null;
        if (v === null || v === '') r.problem(pair.value ?? pair.key, 'x-sim.frr-version: expected a release such as "8.4" or "10.2"');
        else settings.frrVersion = { value: v, source: r.src(pair.value) };
      }
      else r.problem(pair.key, `unknown x-sim key "${key ?? ''}": expected one of ${OUR_LAB_KEYS.join(', ')}`);
    }
  }
  for (const pair of (isMap(root) ? root.items : []) as YamlPair[]) {
    const key = keyOf(pair);
    if (key !== 'name' && key !== 'x-sim' && key !== 'topology') {
      r.findings.add('ignored', r.at(pair.key).line, `top-level key "${key ?? ''}" is not used by the simulator`);
    }
  }
  return settings;
}

/** `processing-delay: 0.2ms..0.6ms`, or `processing-delay: { linux: …, cisco_iol: … }`. */
function readProcessingDelay(r: TopologyReader, pair: YamlPair, settings: LabSettings): void {
  if (!isMap(pair.value)) {
    settings.processingAll = r.rangeAt(pair.value, 'x-sim.processing-delay');
    return;
  }
  for (const kp of r.entries(pair.value, 'processing delays by kind') ?? []) {
    const kind = keyOf(kp);
    if (kind === null || CLAB_KINDS[kind] === undefined) {
      r.problem(kp.key, `x-sim.processing-delay: expected a node kind (${Object.keys(CLAB_KINDS).join(', ')}), got "${kind ?? ''}"`);
      continue;
    }
    const range = r.rangeAt(kp.value, `x-sim.processing-delay.${kind}`);
    if (range !== null) settings.processingByKind.set(kind, range);
  }
}

/** `options: { do_anycast: false }` or `options: { do_anycast: { default: false, description: "…" } }`. */
function readOptions(r: TopologyReader, pair: YamlPair, options: LabOptionDecl[]): void {
  for (const op of r.entries(pair.value, 'lab options, e.g. "options: { do_anycast: false }"') ?? []) {
    const optName = keyOf(op);
    if (optName === null || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(optName)) {
      r.problem(op.key, 'x-sim.options: expected an option name such as do_anycast');
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
      r.problem(op.value ?? op.key, `x-sim.options.${optName}: expected true or false (the default), or { default: false, description: "…" }`);
      continue;
    }
    options.push({ name: optName, default: def, description, source: r.src(op.key) });
  }
}

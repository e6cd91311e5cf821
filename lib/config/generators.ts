/**
 * Topology generators: labs of RIP routers built in code, as LabSpecs (the same plain data a lab
 * folder loads into), for scaling experiments and benchmarks.
 *
 * ```
 * chainLab(4):  r1 ── r2 ── r3 ── r4              links 10.0.1.0/24, 10.0.2.0/24, 10.0.3.0/24
 *
 * gridLab(2, 3):  r1-1 ── r1-2 ── r1-3            every router links to its right and lower
 *                  │       │       │              neighbour; link k is 10.(k >> 8).(k & 255).0/24,
 *                 r2-1 ── r2-2 ── r2-3            .1 on the left/upper end, .2 on the other
 * ```
 *
 * Routers are Cisco IOS (`Ethernet0/0`…, `router rip` / `version 2` / `network 10.0.0.0` /
 * `no auto-summary`) or FRR (`eth0`…, ripd.conf `router rip` / `version 2` / `network 10.0.0.0/8`).
 * RIP's 15-hop horizon applies: in a chain longer than 16 routers, or a grid wider than 8 + 8, the
 * ends never learn each other's networks, exactly as on real routers.
 */
import type { Duration } from '../sim/time';
import { ms } from '../sim/time';
import type { InterfaceSpec, LabSpec, NodeSpec, RipConfigSpec, SegmentSpec, SourceRef } from './spec';
import { emptyRip } from './common';

export interface GeneratorOptions {
  /** Whose routers: Cisco IOS or FRR on Linux. @defaultValue 'frr' */
  flavour?: 'ios' | 'frr';
  /** One-way delay of every link. @defaultValue 1 ms */
  linkDelay?: Duration;
  /** Per-packet processing time of every router; null: the OS default (IOS 2–6 ms, Linux 0.05–0.2 ms). @defaultValue null */
  processingDelay?: { min: Duration; max: Duration } | null;
  /** Lab name. @defaultValue `chain-<n>` / `grid-<rows>x<cols>` */
  name?: string;
}

const GENERATED: SourceRef = { file: '(generated)', line: 0 };

/** The address of end `end` (1 or 2) of link `k`: 10.(k >> 8).(k & 255).end. */
export function linkAddress(k: number, end: 1 | 2): number {
  if (k < 1 || k > 0xffff) throw new RangeError(`link number ${k} does not fit 10.x.y.0/24 addressing (1–65535)`);
  return ((10 << 24) | (k << 8) | end) >>> 0;
}

interface Builder {
  nodes: NodeSpec[];
  segments: SegmentSpec[];
  ports: Map<string, number>;
}

function router(name: string, flavour: 'ios' | 'frr', processingDelay: GeneratorOptions['processingDelay']): NodeSpec {
  const rip: RipConfigSpec = {
    ...emptyRip(flavour, GENERATED),
    version: { value: 2, source: GENERATED },
    networks: [flavour === 'ios' ? { kind: 'prefix', prefix: 0x0a000000, prefixLength: 8, written: '10.0.0.0', source: GENERATED } : { kind: 'prefix', prefix: 0x0a000000, prefixLength: 8, written: '10.0.0.0/8', source: GENERATED }],
    autoSummary: flavour === 'ios' ? { value: false, source: GENERATED } : null,
  };
  return {
    name,
    kind: 'router',
    os: flavour === 'ios' ? 'ios' : 'linux',
    clabKind: flavour === 'ios' ? 'cisco_iol' : 'linux',
    hostname: name,
    domain: null,
    interfaces: [],
    staticRoutes: [],
    ipForwarding: true,
    files: [],
    findings: [],
    processingDelay: processingDelay ?? null,
    rip,
    writtenFiles: [],
    bootSteps: [],
    dns: null,
    source: GENERATED,
  };
}

function addPort(b: Builder, node: NodeSpec, address: number): string {
  const n = b.ports.get(node.name) ?? 0;
  b.ports.set(node.name, n + 1);
  const name = node.os === 'ios' ? `Ethernet${n >> 2}/${n & 3}` : `eth${n}`;
  // Locally administered MACs: 02:<node index, 3 bytes>:<port>.
  const index = b.nodes.indexOf(node) + 1;
  const iface: InterfaceSpec = {
    name,
    mac: 0x02_00_00_00_00_00 + index * 0x100 + n,
    addresses: [{ address, prefixLength: 24, source: GENERATED }],
    up: true,
    loopback: false,
    aliases: [],
    source: GENERATED,
  };
  node.interfaces.push(iface);
  return name;
}

function link(b: Builder, k: number, a: NodeSpec, z: NodeSpec, delay: Duration): void {
  const pa = addPort(b, a, linkAddress(k, 1));
  const pz = addPort(b, z, linkAddress(k, 2));
  b.segments.push({ name: `l${k}`, kind: 'p2p', endpoints: [{ node: a.name, iface: pa }, { node: z.name, iface: pz }], delay, source: GENERATED });
}

function lab(name: string, b: Builder): LabSpec {
  return { name, options: {}, findings: [], dir: null, topologyFile: null, nodes: b.nodes, segments: b.segments };
}

/** `n` RIP routers in a row, r1 … rn, joined by n − 1 point-to-point links. */
export function chainLab(n: number, options: GeneratorOptions = {}): LabSpec {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`chainLab: n must be a whole number ≥ 1, got ${n}`);
  const flavour = options.flavour ?? 'frr';
  const delay = options.linkDelay ?? ms(1);
  const b: Builder = { nodes: [], segments: [], ports: new Map() };
  for (let i = 1; i <= n; i++) b.nodes.push(router(`r${i}`, flavour, options.processingDelay ?? null));
  for (let i = 1; i < n; i++) link(b, i, b.nodes[i - 1]!, b.nodes[i]!, delay);
  return lab(options.name ?? `chain-${n}`, b);
}

/** A `rows` × `cols` grid of RIP routers r<row>-<col> (1-based), each linked to its right and lower neighbour. */
export function gridLab(rows: number, cols: number, options: GeneratorOptions = {}): LabSpec {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) throw new RangeError(`gridLab: rows and cols must be whole numbers ≥ 1, got ${rows} × ${cols}`);
  const flavour = options.flavour ?? 'frr';
  const delay = options.linkDelay ?? ms(1);
  const b: Builder = { nodes: [], segments: [], ports: new Map() };
  const at = (r: number, c: number) => b.nodes[(r - 1) * cols + (c - 1)]!;
  for (let r = 1; r <= rows; r++) for (let c = 1; c <= cols; c++) b.nodes.push(router(`r${r}-${c}`, flavour, options.processingDelay ?? null));
  let k = 1;
  for (let r = 1; r <= rows; r++) {
    for (let c = 1; c <= cols; c++) {
      if (c < cols) link(b, k++, at(r, c), at(r, c + 1), delay);
      if (r < rows) link(b, k++, at(r, c), at(r + 1, c), delay);
    }
  }
  return lab(options.name ?? `grid-${rows}x${cols}`, b);
}

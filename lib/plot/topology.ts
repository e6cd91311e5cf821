/**
 * A figure of a lab's topology: routers, hosts and LANs, with each wire's subnet. The layout is
 * layered from the centre of the network outwards (the routers between the data centres on top,
 * servers and clients at the bottom), which is how the write-up's GNS3 drawing reads.
 */
import type { LabSpec } from '../config/spec';
import { ipv4ToString, prefixMask } from '../wire/addr';
import { Plot, plotToHtml } from './render';
import { NARROW_BELOW_PX } from './draw';
import { figureAt } from './figures';

interface Vertex {
  id: string;
  label: string;
  kind: 'router' | 'host' | 'lan';
  layer: number;
  x: number;
  y: number;
  /** What hovering it says: a node's addresses, a LAN's members. */
  title: string;
}

interface Edge {
  a: string;
  b: string;
  label: string;
}

/** Subnets on a segment, from the addresses of the interfaces plugged into it. */
function segmentSubnets(spec: LabSpec, endpoints: { node: string; iface: string }[]): string {
  const subnets = new Set<string>();
  for (const e of endpoints) {
    const iface = spec.nodes.find((n) => n.name === e.node)?.interfaces.find((i) => i.name === e.iface);
    for (const a of iface?.addresses ?? []) subnets.add(`${ipv4ToString((a.address & prefixMask(a.prefixLength)) >>> 0)}/${a.prefixLength}`);
  }
  return [...subnets].join(', ');
}

export function topologyLayout(spec: LabSpec): { vertices: Vertex[]; edges: Edge[] } {
  const vertices = new Map<string, Vertex>();
  for (const n of spec.nodes) {
    if (n.kind === 'bridge') continue;
    const hostAddress = n.kind === 'host' ? n.interfaces.flatMap((i) => i.addresses).find((a) => a.address >>> 24 !== 127) : undefined;
    const label = hostAddress === undefined ? n.name : `${n.name}\n${ipv4ToString(hostAddress.address)}`;
    const addresses = n.interfaces.flatMap((i) => [...i.addresses, ...i.aliases].filter((a) => a.address >>> 24 !== 127).map((a) => `${i.name} ${ipv4ToString(a.address)}/${a.prefixLength}`));
    vertices.set(n.name, { id: n.name, label, kind: n.kind, layer: -1, x: 0, y: 0, title: `${n.name} (${n.kind}): ${addresses.join(', ')}` });
  }
  const edges: Edge[] = [];
  for (const s of spec.segments) {
    const subnet = segmentSubnets(spec, s.endpoints);
    if (s.kind === 'p2p' && s.endpoints.length === 2) {
      edges.push({ a: s.endpoints[0]!.node, b: s.endpoints[1]!.node, label: subnet });
    } else {
      vertices.set(`lan:${s.name}`, { id: `lan:${s.name}`, label: subnet === '' ? s.name : subnet, kind: 'lan', layer: -1, x: 0, y: 0, title: `LAN ${s.name} ${subnet}: ${s.endpoints.map((e) => e.node).join(', ')}` });
      for (const e of s.endpoints) edges.push({ a: `lan:${s.name}`, b: e.node, label: '' });
    }
  }
  const adjacency = new Map<string, string[]>();
  for (const v of vertices.keys()) adjacency.set(v, []);
  for (const e of edges) {
    adjacency.get(e.a)?.push(e.b);
    adjacency.get(e.b)?.push(e.a);
  }
  const distancesFrom = (start: string) => {
    const dist = new Map<string, number>([[start, 0]]);
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of adjacency.get(v) ?? []) if (!dist.has(w)) (dist.set(w, dist.get(v)! + 1), queue.push(w));
    }
    return dist;
  };
  const ids = [...vertices.keys()].sort();
  const ecc = new Map(ids.map((id) => [id, Math.max(...distancesFrom(id).values())]));
  const minEcc = Math.min(...ecc.values());
  const centre = ids.filter((id) => ecc.get(id) === minEcc && vertices.get(id)!.kind !== 'lan');
  const roots = centre.length > 0 ? centre : [ids[0]!];
  // Multi-source BFS from the centre gives each vertex its layer.
  const queue = [...roots];
  for (const r of roots) vertices.get(r)!.layer = 0;
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of adjacency.get(v) ?? []) {
      const vw = vertices.get(w)!;
      if (vw.layer < 0) {
        vw.layer = vertices.get(v)!.layer + 1;
        queue.push(w);
      }
    }
  }
  for (const v of vertices.values()) if (v.layer < 0) v.layer = 0; // disconnected parts sit on top
  const layers = Math.max(...[...vertices.values()].map((v) => v.layer)) + 1;
  for (let layer = 0; layer < layers; layer++) {
    const members = [...vertices.values()].filter((v) => v.layer === layer);
    const parentX = (v: Vertex) => {
      const parents = (adjacency.get(v.id) ?? []).map((p) => vertices.get(p)!).filter((p) => p.layer === layer - 1);
      return parents.length === 0 ? 0 : parents.reduce((s, p) => s + p.x, 0) / parents.length;
    };
    members.sort((a, b) => parentX(a) - parentX(b) || (a.id < b.id ? -1 : 1));
    members.forEach((v, i) => {
      v.x = (i + 1) / (members.length + 1);
      v.y = layer;
    });
  }
  return { vertices: [...vertices.values()], edges };
}

/** The topology as an inline SVG figure. */
export function topologyFigure(spec: LabSpec, options: { caption?: string; height?: number; width?: number } = {}): string {
  return figureAt(options.width, (width) => {
    const { vertices, edges } = topologyLayout(spec);
    const byId = new Map(vertices.map((v) => [v.id, v]));
    const lines = edges.map((e) => ({ x1: byId.get(e.a)!.x, y1: byId.get(e.a)!.y, x2: byId.get(e.b)!.x, y2: byId.get(e.b)!.y, label: e.label, title: `${e.a.replace(/^lan:/, 'LAN ')} – ${e.b}${e.label === '' ? '' : `: ${e.label}`}` }));
    const layers = Math.max(...vertices.map((v) => v.y)) + 1;
    const narrow = width < NARROW_BELOW_PX;
    const font = narrow ? 8 : 10;
    return plotToHtml({
      width,
      height: options.height ?? 90 + layers * 80,
      marginLeft: narrow ? 28 : 40,
      marginRight: narrow ? 28 : 40,
      marginTop: 30,
      marginBottom: 40,
      x: { axis: null, domain: [0, 1] },
      y: { axis: null, domain: [-0.3, layers - 0.7], reverse: true },
      color: { domain: ['router', 'host', 'lan'], range: ['#4269d0', '#3ca951', '#9498a0'], legend: true },
      // Dot sizes are pixels, not data: without an identity scale Plot would rescale them.
      r: { type: 'identity' },
      caption: options.caption ?? `Topology of lab "${spec.name}": routers, hosts and LANs, each wire labelled with its subnet.`,
      marks: [
        Plot.link(lines, { x1: 'x1', y1: 'y1', x2: 'x2', y2: 'y2', stroke: 'currentColor', strokeOpacity: 0.5, title: 'title' }),
        Plot.text(lines.filter((l) => l.label !== ''), { x: (l: (typeof lines)[number]) => (l.x1 + l.x2) / 2, y: (l: (typeof lines)[number]) => (l.y1 + l.y2) / 2, text: 'label', fontSize: font, dy: -7, fill: 'currentColor' }),
        Plot.dot(vertices, { x: 'x', y: 'y', r: (v: Vertex) => (v.kind === 'lan' ? 5 : narrow ? 9 : 11), fill: 'kind', symbol: (v: Vertex) => (v.kind === 'router' ? 'circle' : v.kind === 'host' ? 'square' : 'diamond'), stroke: 'white', title: 'title' }),
        Plot.text(vertices.filter((v) => v.kind !== 'lan'), { x: 'x', y: 'y', text: 'label', dy: narrow ? 13 : 16, fontSize: narrow ? 9 : 11, fontWeight: 'bold', fill: 'currentColor', lineAnchor: 'top' }),
        // Narrow: a LAN's subnet on two lines (`10.128.5.0` over `/24`), clear of the next LAN's diamond.
        Plot.text(vertices.filter((v) => v.kind === 'lan'), { x: 'x', y: 'y', text: (v: Vertex) => (narrow ? v.label.replace(/\//g, '\n/') : v.label), dx: narrow ? 7 : 9, fontSize: font, textAnchor: 'start', fill: 'currentColor' }),
      ],
    });
  });
}

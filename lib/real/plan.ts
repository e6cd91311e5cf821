/**
 * What `real up` will build for a LabSpec, as plain data: namespaces, veth pairs, bridges,
 * addresses, routes and daemons. Computing it needs no root, so it is tested everywhere; `up`
 * only carries it out.
 *
 *   one namespace per node          <prefix><node>          e.g. al3f09c1-r3
 *   one namespace per LAN           <prefix><lan>           holding bridge br0 and ports p1, p2, ...
 *   a p2p link                      one veth pair between the two nodes' namespaces
 *   a LAN endpoint                  one veth pair: the node's interface ↔ a bridge port
 *
 * A LAN's bridge sits in a namespace of its own so that a host whose interfaces go down (a halted
 * server) does not take its router's link down: the router's veth peer is a bridge port, which
 * keeps its carrier. Nothing is ever created in, or connected to, the root namespace: every veth
 * is created with both ends already in lab namespaces.
 *
 * NOTE: the topology's link delays and the devices' processing times (x-sim) are not reproduced:
 * without tc/netem a veth adds microseconds, so real round trips are far shorter than the write-up's
 * (and the simulator's) milliseconds. Nothing measured here depends on them: RIP's timers are seconds.
 */
import type { LabSpec, NodeSpec } from '../config/spec';
import { ipv4ToString, macToString } from '../wire/addr';
import { nodeFile, installsBind } from '../config/node-dns';
import { linuxInterfaceName } from '../config/writers/common';
import type { InterfaceRecord, NamespaceRecord } from './state';

export interface VethEnd {
  ns: string;
  ifname: string;
  /** MAC from the topology (the write-up's capture), or null: the kernel's random one. */
  mac: string | null;
}

export interface AddressPlan {
  ifname: string;
  cidr: string;
  /** Linux alias label (`lo:0`), or null. */
  label: string | null;
}

export interface RoutePlan {
  /** `10.128.0.0/16` */
  dest: string;
  via: string | null;
  dev: string | null;
  /** A route with no way out: iproute2's `blackhole` (FRR blackhole/Null0) or `unreachable` (FRR reject). */
  type?: 'blackhole' | 'unreachable';
}

export interface NodePlan {
  node: string;
  ns: string;
  os: NodeSpec['os'];
  forwarding: boolean;
  /** Interfaces (Linux names) that end up administratively up; `lo` always. */
  up: string[];
  addresses: AddressPlan[];
  routes: RoutePlan[];
  /** Runs zebra and ripd (the node has a RIP configuration). */
  rip: boolean;
  /**
   * The node's own FRR files (bound into /etc/frr: `daemons`, `zebra.conf`, `staticd.conf`,
   * `ripd.conf`, `frr.conf`), run as written; null: its FRR files are written from the LabSpec
   * (writers/frr.ts), as for the anycast lab's Quagga servers and IOS routers.
   */
  frrFiles: { name: string; text: string }[] | null;
  /** Runs named (its setup installs bind9). */
  named: boolean;
  /** Files `ip netns exec` shows in place of /etc/<name> in this namespace (resolv.conf, hosts). */
  etc: { name: string; content: string }[];
}

export interface LanPlan {
  lan: string;
  ns: string;
  bridge: string;
  ports: string[];
}

export interface RealPlan {
  prefix: string;
  namespaces: NamespaceRecord[];
  interfaces: InterfaceRecord[];
  veths: { a: VethEnd; b: VethEnd }[];
  lans: LanPlan[];
  nodes: NodePlan[];
}

/** Files a node's setup script leaves in /etc that matter to the tools run in its namespace. */
const ETC_FILES = ['resolv.conf', 'hosts'];

export function namespaceName(prefix: string, name: string): string {
  return `${prefix}${name}`;
}

/** FRR's configuration files that a node may bring in /etc/frr (FRR 8.4, one file per daemon or the integrated one). */
export const OWN_FRR_FILES = ['daemons', 'zebra.conf', 'staticd.conf', 'ripd.conf', 'frr.conf'] as const;

/**
 * The FRR files bound into a Linux node's /etc/frr (`binds:` in the topology), when they say ripd
 * runs: the real lab then runs them as written, so that what real FRR does with every line (also
 * the lines the simulator does not model) is what is measured. Null for any other node.
 */
export function ownFrrFiles(n: NodeSpec): { name: string; text: string }[] | null {
  if (n.os !== 'linux') return null;
  const files = n.files.filter((f) => f.devicePath.startsWith('/etc/frr/')).map((f) => ({ name: f.devicePath.slice('/etc/frr/'.length), text: f.text }));
  const daemons = files.find((f) => f.name === 'daemons');
  if (daemons === undefined || !/^\s*ripd\s*=\s*yes\b/m.test(daemons.text)) return null;
  return files.filter((f) => (OWN_FRR_FILES as readonly string[]).includes(f.name));
}

/**
 * The routes the kernel has before FRR starts: all of a node's static routes, or, when the node runs
 * its own FRR files, only those its setup script adds (`ip route add`): FRR's own static routes are
 * staticd's to install, and FRR 8.4's zebra refuses `ip route` in zebra.conf.
 */
function kernelRoutes(n: NodeSpec, ownFrr: boolean): NodeSpec['staticRoutes'] {
  if (!ownFrr) return n.staticRoutes;
  const fromScript = new Set(n.bootSteps.flatMap((s) => (s.kind === 'route-added' ? [`${s.source.file}:${s.source.line}`] : [])));
  return n.staticRoutes.filter((r) => fromScript.has(`${r.source.file}:${r.source.line}`));
}

export function planLab(spec: LabSpec, prefix: string): RealPlan {
  const namespaces: NamespaceRecord[] = [];
  const interfaces: InterfaceRecord[] = [];
  const nodes: NodePlan[] = [];
  const byNode = new Map<string, NodeSpec>();
  for (const n of spec.nodes) {
    if (n.kind === 'bridge') continue;
    byNode.set(n.name, n);
    const ns = namespaceName(prefix, n.name);
    namespaces.push({ name: ns, for: n.name, role: 'node' });
    const up: string[] = ['lo'];
    const addresses: AddressPlan[] = [];
    for (const i of n.interfaces) {
      const ifname = i.loopback ? 'lo' : linuxInterfaceName(i.name);
      interfaces.push({ node: n.name, spec: i.name, linux: ifname });
      if (i.up && !i.loopback) up.push(ifname);
      for (const a of i.addresses) {
        // The kernel gives every namespace's lo 127.0.0.1/8; adding it again would fail.
        if (i.loopback && ipv4ToString(a.address) === '127.0.0.1') continue;
        addresses.push({ ifname, cidr: `${ipv4ToString(a.address)}/${a.prefixLength}`, label: null });
      }
      for (const a of i.aliases) addresses.push({ ifname, cidr: `${ipv4ToString(a.address)}/${a.prefixLength}`, label: a.label });
    }
    const frrFiles = ownFrrFiles(n);
    const routes = kernelRoutes(n, frrFiles !== null).map((r): RoutePlan => {
      const route: RoutePlan = { dest: `${ipv4ToString(r.prefix)}/${r.prefixLength}`, via: r.via === null ? null : ipv4ToString(r.via), dev: r.device === null ? null : linuxInterfaceName(r.device) };
      // zebra installs FRR's blackhole/Null0 as RTN_BLACKHOLE and reject as RTN_UNREACHABLE (zebra/rt_netlink.c).
      if (r.blackhole !== undefined) route.type = r.blackhole === 'reject' ? 'unreachable' : 'blackhole';
      return route;
    });
    const etc: NodePlan['etc'] = [];
    for (const name of ETC_FILES) {
      const text = nodeFile(spec, n, `/etc/${name}`);
      if (text !== null) etc.push({ name, content: text });
    }
    if (frrFiles !== null) {
      // containerlab brings every linked interface of a node up before its daemons start.
      for (const e of spec.segments.flatMap((s) => s.endpoints)) if (e.node === n.name && !up.includes(linuxInterfaceName(e.iface))) up.push(linuxInterfaceName(e.iface));
    }
    nodes.push({ node: n.name, ns, os: n.os, forwarding: n.ipForwarding, up, addresses, routes, rip: n.rip !== null || frrFiles !== null, frrFiles, named: installsBind(n), etc });
  }
  const ifnameOf = (node: string, iface: string): string => {
    const rec = interfaces.find((r) => r.node === node && r.spec === iface);
    if (rec === undefined) throw new Error(`lab ${spec.name}: a link names ${node}:${iface}, which ${byNode.has(node) ? `${node} does not have` : 'is not a node'}`);
    return rec.linux;
  };
  const macOf = (node: string, iface: string): string | null => {
    const m = byNode.get(node)?.interfaces.find((i) => i.name === iface)?.mac ?? null;
    return m === null ? null : macToString(m);
  };
  const veths: RealPlan['veths'] = [];
  const lans: LanPlan[] = [];
  for (const seg of spec.segments) {
    const ends = seg.endpoints.map((e) => ({ ns: namespaceName(prefix, e.node), ifname: ifnameOf(e.node, e.iface), mac: macOf(e.node, e.iface) }));
    if (seg.kind === 'p2p' && ends.length === 2) {
      veths.push({ a: ends[0]!, b: ends[1]! });
      continue;
    }
    const ns = namespaceName(prefix, seg.name);
    namespaces.push({ name: ns, for: seg.name, role: 'lan' });
    const ports = ends.map((_, k) => `p${k + 1}`);
    ends.forEach((end, k) => veths.push({ a: end, b: { ns, ifname: ports[k]!, mac: null } }));
    lans.push({ lan: seg.name, ns, bridge: 'br0', ports });
  }
  return { prefix, namespaces, interfaces, veths, lans, nodes };
}

/**
 * Building and removing the namespaces, veth pairs, bridges, addresses and routes of a RealPlan.
 * Every namespace is written to the state journal before it is created; veths and bridges live
 * inside lab namespaces only and disappear with them.
 */
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NodePlan, RealPlan } from './plan';
import type { StateJournal } from './state';
import { must, run } from './system';

/** Where `ip netns exec` finds per-namespace replacements for files in /etc. */
export const ETC_NETNS = '/etc/netns';

export function namespaceExists(ns: string): boolean {
  return existsSync(join('/run/netns', ns));
}

/** `ip -n <ns> ...` */
export function ipIn(ns: string, ...args: string[]): string {
  return must(['ip', '-n', ns, ...args]);
}

/** `sysctl -w` inside a namespace (one process for all the keys). */
export function sysctlIn(ns: string, settings: Record<string, string | number>): void {
  must(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', ...Object.entries(settings).map(([k, v]) => `${k}=${v}`)]);
}

/**
 * Sysctls every lab namespace gets.
 * NOTE: IPv6 is switched off: the write-up's lab is IPv4-only, and router solicitations and MLD
 * reports would only add frames the simulator does not have. Reverse-path filtering is off as on
 * the write-up's routers: an anycast reply may come back by another path than the query left by.
 */
const COMMON_SYSCTLS = { 'net.ipv6.conf.all.disable_ipv6': 1, 'net.ipv6.conf.default.disable_ipv6': 1, 'net.ipv4.conf.all.rp_filter': 0, 'net.ipv4.conf.default.rp_filter': 0 };

/** Creates every namespace, veth pair and bridge of the plan (links still down, no addresses). */
export function buildWiring(plan: RealPlan, journal: StateJournal, progress: (s: string) => void): void {
  for (const ns of plan.namespaces) {
    journal.recordNamespace(ns);
    must(['ip', 'netns', 'add', ns.name]);
    ipIn(ns.name, 'link', 'set', 'lo', 'up');
    sysctlIn(ns.name, COMMON_SYSCTLS);
  }
  progress(`${plan.namespaces.length} namespaces`);
  for (const { a, b } of plan.veths) {
    // Created inside a's namespace with its peer placed straight into b's: never in the root namespace.
    ipIn(a.ns, 'link', 'add', a.ifname, 'type', 'veth', 'peer', 'name', b.ifname, 'netns', b.ns);
    for (const end of [a, b]) if (end.mac !== null) ipIn(end.ns, 'link', 'set', 'dev', end.ifname, 'address', end.mac);
  }
  for (const lan of plan.lans) {
    ipIn(lan.ns, 'link', 'add', lan.bridge, 'type', 'bridge');
    for (const port of lan.ports) {
      ipIn(lan.ns, 'link', 'set', port, 'master', lan.bridge);
      ipIn(lan.ns, 'link', 'set', port, 'up');
    }
    ipIn(lan.ns, 'link', 'set', lan.bridge, 'up');
  }
  progress(`${plan.veths.length} veth pairs, ${plan.lans.length} bridges`);
}

/**
 * A node's interfaces up with their addresses, its static routes and forwarding, as its config or
 * setup script leaves them. `skipAddresses` are added later by the caller (addresses a daemon must
 * not see at its start, e.g. `bind_before_lo0`). Also how a halted node comes back.
 */
export function configureNode(n: NodePlan, skipAddresses: readonly string[] = []): void {
  sysctlIn(n.ns, { 'net.ipv4.ip_forward': n.forwarding ? 1 : 0 });
  for (const a of n.addresses) if (!skipAddresses.includes(a.cidr)) addAddress(n, a.cidr);
  for (const ifname of n.up) ipIn(n.ns, 'link', 'set', ifname, 'up');
  for (const r of n.routes) {
    const args = r.type === undefined ? ['route', 'replace', r.dest] : ['route', 'replace', r.type, r.dest];
    if (r.via !== null) args.push('via', r.via);
    if (r.dev !== null) args.push('dev', r.dev);
    ipIn(n.ns, ...args);
  }
}

/** A node's interfaces that its configuration leaves up, set up (no addresses, no routes yet). */
export function linksUp(n: NodePlan): void {
  for (const ifname of n.up) ipIn(n.ns, 'link', 'set', ifname, 'up');
}

export function addAddress(n: NodePlan, cidr: string): void {
  const a = n.addresses.find((x) => x.cidr === cidr);
  if (a === undefined) throw new Error(`${n.node} has no address ${cidr} in its configuration`);
  const r = run(['ip', '-n', n.ns, 'addr', 'add', a.cidr, 'dev', a.ifname, ...(a.label === null ? [] : ['label', a.label])]);
  // Already there (a node coming back from a halt keeps its addresses on downed links).
  if (r.status !== 0 && !/File exists|already assigned/.test(r.stderr)) throw new Error(`ip -n ${n.ns} addr add ${a.cidr} dev ${a.ifname}: ${r.stderr.trim()}`);
}

/** /etc/netns/<ns>/{resolv.conf,hosts}: what the node's tools read in place of /etc's. */
export function writeEtcFiles(n: NodePlan, journal: StateJournal): void {
  if (n.etc.length === 0) return;
  const dir = join(ETC_NETNS, n.ns);
  journal.recordEtcNetns(dir, !existsSync(ETC_NETNS));
  mkdirSync(dir, { recursive: true });
  for (const f of n.etc) writeFileSync(join(dir, f.name), f.content);
}

/** Removes /etc/netns/<ns> (a dangling one breaks every `ip netns exec` into a namespace of that name). */
export function removeEtcNetns(dir: string): void {
  if (!dir.startsWith(ETC_NETNS + '/')) throw new Error(`refusing to remove ${dir}: not under ${ETC_NETNS}`);
  rmSync(dir, { recursive: true, force: true });
}

/** PIDs of every process in a namespace (`ip netns pids`). */
export function namespacePids(ns: string): number[] {
  const r = run(['ip', 'netns', 'pids', ns]);
  if (r.status !== 0) return [];
  return r.stdout.split(/\s+/).filter((w) => /^\d+$/.test(w)).map(Number);
}

export function deleteNamespace(ns: string): void {
  if (!namespaceExists(ns)) return;
  must(['ip', 'netns', 'del', ns]);
}

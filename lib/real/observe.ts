/**
 * Looking at a running real lab in the simulator's terms: routing tables as RouteRows, whether RIP
 * has converged, and the versions of everything a measurement depends on.
 */
import type { RouteRow } from '../results/rows';
import type { RouteSource } from '../proto/fib';
import { DEFAULT_DISTANCE } from '../proto/fib';
import { networkOf, ipv4, ipv4ToString } from '../wire/addr';
import type { SimTime } from '../sim/time';
import type { RealLab } from './lab';
import { nodeDirs, daemonsOf } from './daemons';
import { run, sleepMs } from './system';

interface IpRouteJson {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  type?: string;
}

const SOURCE_OF_PROTOCOL: Record<string, RouteSource> = { kernel: 'connected', rip: 'rip', boot: 'static', static: 'static' };

/** RIP metrics of the routes zebra installed, from `show ip route json` (the kernel's metric is FRR's constant 20). */
function ripMetrics(lab: RealLab, node: string): Map<string, number> {
  const out = new Map<string, number>();
  if (daemonsOf(lab, node, 'zebra').length === 0) return out;
  const r = run(['vtysh', '--vty_socket', nodeDirs(lab, node).vty, '-c', 'show ip route json'], 5_000);
  if (r.status !== 0) return out;
  try {
    const table = JSON.parse(r.stdout) as Record<string, { protocol: string; selected?: boolean; metric: number }[]>;
    for (const [prefix, entries] of Object.entries(table)) for (const e of entries) if (e.protocol === 'rip' && e.selected === true) out.set(prefix, e.metric);
  } catch {
    // vtysh printed something else (daemon starting): no metrics this time.
  }
  return out;
}

/** A node's kernel routing table (main table) as the simulator's RouteRows; `t` is lab time. */
export function realRouteRows(lab: RealLab, node: string, t: SimTime): RouteRow[] {
  const n = lab.plan.nodes.find((p) => p.node === node);
  if (n === undefined) return [];
  const r = run(['ip', '-j', '-n', n.ns, 'route', 'show'], 5_000);
  if (r.status !== 0) return [];
  const metrics = ripMetrics(lab, node);
  const rows: RouteRow[] = [];
  for (const e of JSON.parse(r.stdout || '[]') as IpRouteJson[]) {
    if (e.type !== undefined && e.type !== 'unicast') continue;
    const prefix = e.dst.includes('/') ? e.dst : `${e.dst}/32`;
    const source = SOURCE_OF_PROTOCOL[e.protocol ?? 'boot'] ?? 'static';
    const iface = lab.state.interfaces.find((i) => i.node === node && i.linux === e.dev)?.spec ?? e.dev ?? '';
    rows.push({ t, node, prefix, source, nextHop: e.gateway ?? null, iface, metric: source === 'rip' ? (metrics.get(prefix) ?? NaN) : 0, distance: DEFAULT_DISTANCE[source] });
  }
  return rows;
}

/** Every prefix a RIP speaker has on an interface: what every RIP speaker should end up reaching. */
export function ripPrefixes(lab: RealLab): { prefix: string; owners: string[] }[] {
  const byPrefix = new Map<string, string[]>();
  for (const n of lab.plan.nodes) {
    if (!n.rip) continue;
    for (const a of n.addresses) {
      const [addr, len] = a.cidr.split('/');
      const prefix = `${ipv4ToString(networkOf(ipv4(addr!), Number(len)))}/${len}`;
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), n.node]);
    }
  }
  return [...byPrefix.entries()].map(([prefix, owners]) => ({ prefix, owners }));
}

/** Whether every RIP speaker has a route to every RIP prefix it does not own itself. */
export function ripConverged(lab: RealLab): boolean {
  const prefixes = ripPrefixes(lab);
  for (const n of lab.plan.nodes) {
    if (!n.rip) continue;
    const r = run(['ip', '-j', '-n', n.ns, 'route', 'show'], 5_000);
    if (r.status !== 0) return false;
    const have = new Set((JSON.parse(r.stdout || '[]') as IpRouteJson[]).map((e) => (e.dst.includes('/') ? e.dst : `${e.dst}/32`)));
    for (const p of prefixes) if (!p.owners.includes(n.node) && !have.has(p.prefix)) return false;
  }
  return true;
}

/**
 * Waits until RIP has converged, polling every 100 ms for at most `timeoutMs`; returns the lab time
 * (µs since `up` started) when it was first seen converged, or null.
 */
export function waitForConvergence(lab: RealLab, timeoutMs: number): SimTime | null {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ripConverged(lab)) return Math.round((Date.now() - lab.state.startedAtMs) * 1000);
    sleepMs(100);
  }
  return null;
}

/**
 * The timer lines of a node's `show ip rip status` ("Sending updates every 30 seconds with +/-50%,
 * next due in 12 seconds; Timeout after 180 seconds, garbage collect after 120 seconds"): the
 * timers its ripd actually runs, whatever the configuration said. Empty if ripd does not answer.
 */
export function ripTimerStatus(lab: RealLab, node: string): string {
  const r = run(['vtysh', '--vty_socket', nodeDirs(lab, node).vty, '-c', 'show ip rip status'], 5_000);
  if (r.status !== 0) return '';
  return r.stdout.split('\n').filter((l) => /updates every|timeout after/i.test(l)).map((l) => l.trim()).join('; ');
}

export interface RealVersions {
  frr: string;
  bind: string;
  glibc: string;
  kernel: string;
  iputils: string;
  dig: string;
}

function firstLine(argv: string[]): string {
  try {
    const r = run(argv, 5_000);
    return (r.stdout || r.stderr).split('\n')[0]!.trim();
  } catch {
    return 'not installed';
  }
}

/** The versions a real measurement ran on, as their tools print them. */
export function realVersions(): RealVersions {
  return {
    frr: firstLine(['/usr/lib/frr/zebra', '--version']),
    bind: firstLine(['named', '-v']),
    glibc: firstLine(['ldd', '--version']),
    kernel: firstLine(['uname', '-sr']),
    iputils: firstLine(['ping', '-V']),
    dig: firstLine(['dig', '-v']),
  };
}

/** Tidy rows about a lab's state, for tables, plots and tests. */
import type { SimTime } from '../sim/time';
import type { RouteSource } from '../proto/fib';
import { ipv4ToString } from '../wire/addr';
import type { Lab } from './lab';

export interface RouteRow {
  t: SimTime;
  node: string;
  /** `10.128.4.0/24` */
  prefix: string;
  source: RouteSource;
  /** Next-hop address, or null for a directly connected network. */
  nextHop: string | null;
  iface: string;
  metric: number;
  distance: number;
}

export function routeRows(lab: Lab): RouteRow[] {
  const rows: RouteRow[] = [];
  for (const node of lab.network.nodes.values()) {
    if (!node.running) continue;
    for (const r of node.fib.routes()) {
      rows.push({
        t: lab.now,
        node: node.name,
        prefix: `${ipv4ToString(r.prefix)}/${r.prefixLength}`,
        source: r.source,
        nextHop: r.nextHop === 0 ? null : ipv4ToString(r.nextHop),
        iface: node.interfaces[r.ifIndex]!.name,
        metric: r.metric,
        distance: r.distance,
      });
    }
  }
  return rows;
}

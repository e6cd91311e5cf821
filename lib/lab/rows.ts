/** Tidy rows about a lab's state, for tables, plots and tests. */
import { broadcastOf, ipv4ToString, networkOf } from '../wire/addr';
import type { Lab } from './lab';
import type { LabSpec } from '../config/spec';
import type { RouteRow } from '../results/rows';


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
        iface: node.interfaces[r.ifIndex]?.name ?? 'Null0',
        metric: r.metric,
        distance: r.distance,
      });
    }
  }
  return rows;
}

export interface AddressPlanRow {
  node: string;
  iface: string;
  address: string;
  /** `10.128.5.0/24` */
  network: string;
  broadcast: string | null;
  /** Usable host addresses in the subnet. */
  hosts: number;
  /** LAN or link the interface is plugged into, or null (loopback). */
  wire: string | null;
}

/**
 * The lab's address plan: every configured address with its subnet, computed from the LabSpec (so
 * it is what the configs say, not what we hoped they say). The configs' text was validated by
 * ip-num when it was read (lib/config/addr.ts); the subnet of a 32-bit address is a mask.
 */
export function addressPlan(spec: LabSpec): AddressPlanRow[] {
  const rows: AddressPlanRow[] = [];
  for (const n of spec.nodes) {
    for (const i of n.interfaces) {
      const wire = spec.segments.find((s) => s.endpoints.some((e) => e.node === n.name && e.iface === i.name))?.name ?? null;
      const entries = [...i.addresses.map((a) => ({ label: i.name, ...a })), ...i.aliases.map((a) => ({ ...a }))];
      for (const a of entries) {
        if (i.loopback && a.address >>> 24 === 127) continue;
        const size = 2 ** (32 - a.prefixLength);
        rows.push({
          node: n.name,
          iface: a.label,
          address: ipv4ToString(a.address),
          network: `${ipv4ToString(networkOf(a.address, a.prefixLength))}/${a.prefixLength}`,
          broadcast: a.prefixLength >= 31 ? null : ipv4ToString(broadcastOf(a.address, a.prefixLength)),
          hosts: a.prefixLength >= 31 ? size : size - 2,
          wire,
        });
      }
    }
  }
  return rows;
}

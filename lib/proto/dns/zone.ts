/**
 * Authoritative zone data: the records of one zone and the RFC 1034 4.3.2 lookup an authoritative
 * server does on them (answer, no data, name error). No wildcards, no delegations below the apex,
 * no CNAME chasing: the zones of these labs (make_config's forward and reverse zones) have none.
 */
import type { DnsRecord } from '../../wire/dns';

/** Names are kept lower-case, without the trailing dot (`r1.home`, `3.128.10.in-addr.arpa`). */
export function canonicalName(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** Whether `name` is `origin` or below it. */
export function inZone(name: string, origin: string): boolean {
  const n = canonicalName(name);
  const o = canonicalName(origin);
  return o === '' || n === o || n.endsWith(`.${o}`);
}

export type ZoneLookup =
  | { kind: 'answer'; records: DnsRecord[] }
  /** The name exists but has no records of that type (NOERROR, SOA in authority). */
  | { kind: 'nodata'; soa: DnsRecord }
  /** The name does not exist in the zone (NXDOMAIN, SOA in authority). */
  | { kind: 'nxdomain'; soa: DnsRecord };

export class Zone {
  readonly origin: string;
  private readonly byName = new Map<string, DnsRecord[]>();

  /** `records` must include the zone's SOA at the apex (BIND refuses to load a zone without one). */
  constructor(origin: string, readonly records: readonly DnsRecord[]) {
    this.origin = canonicalName(origin);
    for (const r of records) {
      const key = canonicalName(r.name);
      if (!inZone(key, this.origin)) throw new Error(`zone ${this.origin}: record ${r.name} is out of zone`);
      const list = this.byName.get(key) ?? [];
      list.push(r);
      this.byName.set(key, list);
    }
    if (this.soa === undefined) throw new Error(`zone ${this.origin}: has no SOA record`);
  }

  get soa(): DnsRecord {
    return (this.byName.get(this.origin) ?? []).find((r) => r.type === 'SOA')!;
  }

  /** Every name with records, apex first then in the order the records were given. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  lookup(name: string, type: string): ZoneLookup {
    const key = canonicalName(name);
    const here = this.byName.get(key);
    if (here === undefined) {
      // RFC 8020: a name with nothing at or below it does not exist; an empty non-terminal does.
      const below = [...this.byName.keys()].some((k) => k.endsWith(`.${key}`));
      return below ? { kind: 'nodata', soa: this.soa } : { kind: 'nxdomain', soa: this.soa };
    }
    const matching = type === 'ANY' ? here : here.filter((r) => r.type === type);
    if (matching.length === 0) return { kind: 'nodata', soa: this.soa };
    // Answers carry the owner name as asked (case preserved, as BIND does).
    return { kind: 'answer', records: matching.map((r) => ({ ...r, name: name.endsWith('.') ? name.slice(0, -1) : name }) as DnsRecord) };
  }
}

import type { Ipv4Addr, MacAddr } from '../wire/types';
import type { Segment } from './segment';
import type { NetNode } from './node';

export interface InterfaceAddressRecord {
  address: Ipv4Addr;
  prefixLength: number;
  /** Linux alias label (`lo:0`), or null for the interface's own address. */
  label: string | null;
}

/** A network interface of a node: its MAC, its IPv4 addresses, and which wire it is plugged into. */
export class Interface {
  segment: Segment | null = null;
  /** Administratively up (`no shutdown`, `ip link set up`). */
  adminUp = true;
  /** The cable/switch port is up (failure injection: link-down). */
  portUp = true;
  readonly addresses: InterfaceAddressRecord[] = [];
  /** Counters, as `ifconfig` and `show interfaces` show them. */
  rxPackets = 0;
  txPackets = 0;
  rxBytes = 0;
  txBytes = 0;

  constructor(
    readonly node: NetNode,
    readonly index: number,
    readonly name: string,
    readonly mac: MacAddr,
    readonly loopback: boolean,
  ) {}

  /** Can send and receive: node running, interface enabled, carrier present. */
  get operational(): boolean {
    if (!this.node.running || !this.adminUp) return false;
    if (this.loopback) return true;
    return this.segment !== null && this.segment.isPortUp(this);
  }

  /** The interface's first (primary) address, or 0 when it has none. */
  get primaryAddress(): Ipv4Addr {
    return this.addresses.length > 0 ? this.addresses[0]!.address : 0;
  }

  hasAddress(addr: Ipv4Addr): boolean {
    for (const a of this.addresses) if (a.address === addr) return true;
    return false;
  }
}

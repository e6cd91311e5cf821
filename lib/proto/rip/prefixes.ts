/**
 * Interned prefixes: each (network, length) gets a dense integer id, shared by every router of one
 * simulated network. Routing tables are typed arrays indexed by these ids, and responses in flight
 * carry ids, so a receiver indexes its table directly instead of hashing addresses.
 */
import type { PrefixDictionary } from '../../wire/rip';
import { PREFIX_MASKS } from '../../wire/addr';


export class PrefixTable implements PrefixDictionary {
  addresses = new Uint32Array(256);
  lengths = new Uint8Array(256);
  /**
   * RFC 2453 3.9.2 destination check, per id: 1 when the prefix may be routed (unicast class A, B or
   * C; not net 0 except the default route 0.0.0.0/0; not net 127), as ripd's `rip_destination_check()`.
   */
  valid = new Uint8Array(256);
  private readonly index = new Map<number, number>();
  private n = 0;

  get size(): number {
    return this.n;
  }

  /** The id of `address/length` (host bits cleared), created on first use. */
  intern(address: number, length: number): number {
    const net = (address & PREFIX_MASKS[length]!) >>> 0;
    const key = net * 64 + length;
    const found = this.index.get(key);
    if (found !== undefined) return found;
    const id = this.n++;
    if (id >= this.addresses.length) this.grow();
    this.addresses[id] = net;
    this.lengths[id] = length;
    this.valid[id] = validDestination(net, length) ? 1 : 0;
    this.index.set(key, id);
    return id;
  }

  /** The id of `address/length` if it has one, else -1. */
  lookup(address: number, length: number): number {
    return this.index.get(((address & PREFIX_MASKS[length]!) >>> 0) * 64 + length) ?? -1;
  }

  private grow(): void {
    const cap = this.addresses.length * 2;
    const a = new Uint32Array(cap);
    a.set(this.addresses);
    this.addresses = a;
    const l = new Uint8Array(cap);
    l.set(this.lengths);
    this.lengths = l;
    const v = new Uint8Array(cap);
    v.set(this.valid);
    this.valid = v;
  }
}

/** ripd `rip_destination_check()`: net 127 and net 0 (but the default route) refused, class A–C only. */
export function validDestination(network: number, length: number): boolean {
  const first = network >>> 24;
  if (first === 127) return false;
  if (first === 0) return network === 0 && length === 0;
  return first < 224;
}


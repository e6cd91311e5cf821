/**
 * ripd's route policy: access lists (lib/filter.c), `distance` (ripd/ripd.c `rip_distance_apply`)
 * and `offset-list` (ripd/rip_offset.c). Plain data in, numbers out; the router calls these.
 */
import { prefixMask } from '../../wire/addr';

/** One access-list line (lib/filter.c): FRR's own form, or a standard numbered (cisco) one. */
export type AccessListEntry =
  | { style: 'zebra'; action: 'permit' | 'deny'; prefix: number; prefixLength: number; exact: boolean; any: boolean }
  | { style: 'cisco'; action: 'permit' | 'deny'; address: number; wildcard: number };

export interface RipOffsetList {
  accessList: string;
  offset: number;
  /** null: ripd's "*" list, for interfaces without their own. */
  iface: string | null;
}

export interface RipPolicy {
  /** Access lists by name, entries in order. */
  accessLists: ReadonlyMap<string, readonly AccessListEntry[]>;
  /** `distance N`; null: none (zebra's RIP default, 120). */
  distance: number | null;
  /** `distance N A.B.C.D/M [ACL]`. */
  distanceSources: readonly { prefix: number; prefixLength: number; distance: number; accessList: string | null }[];
  offsetIn: readonly RipOffsetList[];
  offsetOut: readonly RipOffsetList[];
}

/** zebra's default distance for RIP (ZEBRA_RIP_DISTANCE_DEFAULT). */
export const RIP_DISTANCE_DEFAULT = 120;

function entryMatches(e: AccessListEntry, prefix: number, prefixLength: number): boolean {
  if (e.style === 'cisco') {
    // filter.c filter_match_cisco (standard list): the route's address under the wildcard; its length is not looked at.
    return ((prefix & ~e.wildcard) >>> 0) === e.address;
  }
  if (e.any) return true;
  // filter.c filter_match_zebra: exact-match wants the same prefix; otherwise the route must lie inside it.
  if (e.exact) return e.prefix === prefix && e.prefixLength === prefixLength;
  return prefixLength >= e.prefixLength && ((prefix ^ e.prefix) & prefixMask(e.prefixLength)) === 0;
}

/**
 * lib/filter.c `access_list_apply`: the first matching line decides; no match is a deny. null: no list
 * of that name (ripd's callers then treat the list as absent).
 */
export function accessListPermits(policy: RipPolicy, name: string, prefix: number, prefixLength: number): boolean | null {
  const list = policy.accessLists.get(name);
  if (list === undefined) return null;
  for (const e of list) if (entryMatches(e, prefix, prefixLength)) return e.action === 'permit';
  return false;
}

/**
 * ripd.c `rip_distance_apply`: the `distance … A.B.C.D/M` entry whose prefix holds the sender (longest
 * match); with an access list, its distance only for routes the list permits (otherwise, and with no
 * such list, 0: zebra's default); no entry: `distance N`, else the default.
 */
export function ripDistance(policy: RipPolicy | undefined, from: number, prefix: number, prefixLength: number): number {
  if (policy === undefined) return RIP_DISTANCE_DEFAULT;
  let best: RipPolicy['distanceSources'][number] | null = null;
  for (const d of policy.distanceSources) {
    if (((from ^ d.prefix) & prefixMask(d.prefixLength)) !== 0) continue;
    if (best === null || d.prefixLength > best.prefixLength) best = d;
  }
  if (best !== null) {
    if (best.accessList === null) return best.distance;
    return accessListPermits(policy, best.accessList, prefix, prefixLength) === true ? best.distance : RIP_DISTANCE_DEFAULT;
  }
  return policy.distance ?? RIP_DISTANCE_DEFAULT;
}

/**
 * rip_offset.c `rip_offset_list_apply_in/out`: the interface's own list if it has one, else the "*"
 * list; the offset is added when the list's access list permits the route. null: no offset applied.
 */
export function offsetFor(lists: readonly RipOffsetList[], policy: RipPolicy, ifName: string, prefix: number, prefixLength: number): number | null {
  const list = lists.find((o) => o.iface === ifName) ?? lists.find((o) => o.iface === null);
  if (list === undefined) return null;
  return accessListPermits(policy, list.accessList, prefix, prefixLength) === true ? list.offset : null;
}

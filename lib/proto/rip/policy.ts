/**
 * The route policy of a RIP process: access lists, `distance` and `offset-list`. ripd's rules
 * (lib/filter.c, ripd/ripd.c `rip_distance_apply`, ripd/rip_offset.c) by default; where Cisco IOS
 * reads the same commands differently, `rules: 'ios'` selects IOS's, each cited where it applies.
 * Plain data in, numbers out; the router calls these.
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
  /** Whose reading of the commands applies where ripd and IOS differ; absent: ripd's. */
  rules?: 'ripd' | 'ios';
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
    if (accessListPermits(policy, best.accessList, prefix, prefixLength) === true) return best.distance;
    // IOS (Cisco IOS in a Nutshell, `distance`: with an access list "the administrative distance
    // applies only to routes that match the given access list"): the others keep the process's
    // distance. NOTE: that they get `distance N` rather than 120 is inferred; ripd returns 0 (120).
    return policy.rules === 'ios' ? (policy.distance ?? RIP_DISTANCE_DEFAULT) : RIP_DISTANCE_DEFAULT;
  }
  return policy.distance ?? RIP_DISTANCE_DEFAULT;
}

/**
 * IOS: a route whose distance is 255 is not believed (Cisco IOS in a Nutshell, `distance`: "Routes
 * with a distance of 255 are not added to the route table"); its update is not taken (input.ts
 * `rte`). ripd keeps such a route and hands it to zebra, so this is IOS's rule alone.
 */
export const IOS_UNTRUSTED_DISTANCE = 255;

/**
 * rip_offset.c `rip_offset_list_apply_in/out`: the interface's own list if it has one, else the "*"
 * list; the offset is added when the list's access list permits the route. null: no offset applied.
 *
 * IOS (RIP command reference, `offset-list`: "An offset list with an interface type and interface
 * number is considered extended and takes precedence over an offset list that is not extended.
 * Therefore, if an entry passes the extended offset list and the normal offset list, the offset of
 * the extended offset list is added"): each list is tried, so a route the interface's list does not
 * permit still takes the general list's offset.
 */
export function offsetFor(lists: readonly RipOffsetList[], policy: RipPolicy, ifName: string, prefix: number, prefixLength: number): number | null {
  const permits = (o: RipOffsetList | undefined): boolean => o !== undefined && accessListPermits(policy, o.accessList, prefix, prefixLength) === true;
  const own = lists.find((o) => o.iface === ifName);
  const general = lists.find((o) => o.iface === null);
  if (policy.rules === 'ios') return permits(own) ? own!.offset : permits(general) ? general!.offset : null;
  const list = own ?? general;
  return permits(list) ? list!.offset : null;
}

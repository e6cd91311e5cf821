/**
 * The RIP router's input processing (RFC 2453 3.9), after ripd (FRR `ripd/ripd.c`):
 *   `receive`        the checks every datagram passes (ripd `rip_read`), then
 *   `responseFast` / `response`  a response (3.9.2, `rip_response_process`), entry by entry into
 *   `rte`            one route entry against the table (`rip_rte_process`)
 *   `request`        a request (3.9.1, `rip_request_process`)
 * The simulator's compact responses (prefix ids already interned) take `responseFast`; byte
 * messages, RIP-1 and foreign networks take `response`. Both apply the same rules: the entry checks
 * of 3.9.2, `rteMetric`, and `sameRouteAgain` / `notBetterFromOther` before `rte`.
 */
import type { SimTime } from '../../sim/time';
import { WireError } from '../../wire/errors';
import {
  RIP_AFI_AUTH,
  RIP_AFI_INET,
  RIP_METRIC_INFINITY,
  RIP_PACKED_METRIC_BITS,
  RIP_PORT,
  RIP_REQUEST,
  RIP_RESPONSE,
  RipPayload,
  isWholeTableRequest,
  parseRip,
  type RipMessage,
} from '../../wire/rip';
import { classfulLength, maskToPrefixLength, prefixMask } from '../../wire/addr';
import { messageReuse, sendRouteMetrics, sendWholeTable } from './output';
import type { RipPeer, RipRouter } from './router';
import { IOS_UNTRUSTED_DISTANCE, offsetFor, ripDistance } from './policy';
import { KIND_LEARNED, STATE_HOLDDOWN, STATE_VALID, type RipPath } from './table';
import { changed, deadlineAt, dropPrimary, refreshTimeout, timeoutAt, toGarbage, toHolddown, toInaccessible } from './timers';

const METRIC_MASK = (1 << RIP_PACKED_METRIC_BITS) - 1;

/** A RIP datagram arrived on interface `ifIndex` from `src:srcPort`. */
export function receive(r: RipRouter, now: SimTime, ifIndex: number, src: number, srcPort: number, payload: RipPayload | Uint8Array): void {
  if (r.stopped || !r.started) return;
  // ripd `rip_read()`: ignore our own packets (RFC 2453 3.9.2: "It is also worth checking to see
  // whether the response is from one of the router's own addresses"); "the source of the datagram
  // must be on a directly-connected network" of the interface; RIP must run there, or the sender be
  // a configured neighbour. A source on no connected subnet is dropped before any count: rip_read
  // returns at "cannot find interface for packet from" / "cannot find connected address for packet
  // from" without rip_peer_bad_packet, so ripd lists no peer and no bad packet for it.
  const addr = r.connectedAddress(ifIndex, src);
  if (addr < 0) return;
  if (r.interfaces[ifIndex]!.addresses[addr]!.address === src) return;
  if (r.running[ifIndex] !== 1 && !r.config.neighbors.includes(src)) return;
  let command: number;
  let version: number;
  let message: RipMessage | null = null;
  if (payload instanceof RipPayload && payload.version !== 1) {
    command = payload.command;
    version = payload.version;
  } else if (payload instanceof RipPayload) {
    // RIP-1 carries no masks: read it as the bytes it is, so the receiver guesses them itself.
    message = payload.toMessage();
    command = message.command;
    version = message.version;
  } else {
    try {
      message = parseRip(payload);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      badPacket(r, src, ifIndex);
      return;
    }
    command = message.command;
    version = message.version;
  }
  // ripd: version 0 is refused; anything above 2 is read as 2 (RFC 1058 forward compatibility).
  if (version === 0) return badPacket(r, src, ifIndex);
  if (version > 2) version = 2;
  // ripd `rip_read()`: "RIP Version check. RFC2453, 4.6 and 5.1", against the interface's `ip rip
  // receive version` (none: nothing) or else the router's; a refused version is a bad packet.
  if ((r.receiveMaskOf[ifIndex]! & (1 << version)) === 0) return badPacket(r, src, ifIndex);
  if (command === RIP_RESPONSE) {
    // RFC 2453 3.9.2: "The Response must be ignored if it is not from the RIP port."
    if (srcPort !== RIP_PORT) return badPacket(r, src, ifIndex);
    r.stats.responsesReceived++;
    const p = peer(r, src, ifIndex);
    p.lastUpdate = now;
    p.version = version;
    if (message === null) responseFast(r, now, ifIndex, src, payload as RipPayload);
    else response(r, now, ifIndex, src, addr, version, message);
  } else if (command === RIP_REQUEST || command === 5) {
    r.stats.requestsReceived++;
    request(r, ifIndex, src, srcPort, version, payload, message);
  } else {
    badPacket(r, src, ifIndex);
  }
}

// ---- responses (RFC 2453 3.9.2) ----------------------------------------------------------------

/** RFC 2453 3.9.2: "metric = MIN (metric + cost, infinity)"; every interface costs 1. */
function rteMetric(wireMetric: number): number {
  return wireMetric >= RIP_METRIC_INFINITY ? RIP_METRIC_INFINITY : wireMetric + 1;
}

/**
 * The metric of a received entry with FRR's `offset-list … in`: ripd.c rip_rte_process adds the
 * offset instead of the interface's cost when a list applies ("If offset-list does not modify the
 * metric use interface's metric"), so metric 1 with offset 3 is 4 (a real FRR 8.4 run shows 4).
 */
function inMetric(r: RipRouter, id: number, wireMetric: number, ifIndex: number): number {
  const policy = r.config.policy;
  if (policy !== undefined && policy.offsetIn.length > 0) {
    const off = offsetFor(policy.offsetIn, policy, r.interfaces[ifIndex]!.name, r.prefixes.addresses[id]!, r.prefixes.lengths[id]!);
    // IOS: the offset is added to the metric as well as the hop (RIP command reference, `offset-list`:
    // "adds an offset to incoming and outgoing metrics"). NOTE: that the hop is still counted is
    // inferred; the reference's example only says the offset is added.
    if (off !== null) return Math.min(RIP_METRIC_INFINITY, (policy.rules === 'ios' ? rteMetric(wireMetric) : wireMetric) + off);
  }
  return rteMetric(wireMetric);
}

/** IOS: a route at distance 255 from its sender is not believed (policy.ts IOS_UNTRUSTED_DISTANCE). */
function untrusted(r: RipRouter, src: number, id: number): boolean {
  const policy = r.config.policy;
  if (policy === undefined || policy.rules !== 'ios') return false;
  return ripDistance(policy, src, r.prefixes.addresses[id]!, r.prefixes.lengths[id]!) >= IOS_UNTRUSTED_DISTANCE;
}

/**
 * The steady state of a converged network: the valid learned route in slot `s` heard again as it
 * is, from the neighbour we route through (same interface, metric, tag and next hop). RFC 2453
 * 3.9.2: "If the new metric is the same as the old one, it is simplest to do nothing further
 * (beyond re-initializing the timeout)". Returns whether it was the same route again.
 */
function sameRouteAgain(r: RipRouter, now: SimTime, id: number, s: number, metric: number, nextHop: number, tag: number, src: number, ifIndex: number): boolean {
  const t = r.table;
  if (t.from[s] !== src || t.ifIndex[s] !== ifIndex || t.metric[s] !== metric || t.tag[s] !== tag || t.nextHop[s] !== nextHop) return false;
  reinitializeTimeout(r, now, id, s, nextHop);
  return true;
}

/** RFC 2453 3.9.2 "reinitialize the timeout"; IOS also resets the forwarding entry's age. */
function reinitializeTimeout(r: RipRouter, now: SimTime, id: number, s: number, nextHop: number): void {
  refreshTimeout(r, now, s);
  if (r.fibAgeRefresh) r.ports.routeRefreshed(id, nextHop, now);
}

/**
 * RFC 2453 3.9.2: from another neighbour than the one we route through, only a lower metric is
 * taken, so a higher one (or, with one path allowed, an equal one) changes nothing. With
 * equal-cost paths the neighbour may be one of them: then its worse metric (its poison) drops
 * that path, and `rte` must see it.
 */
function notBetterFromOther(r: RipRouter, id: number, s: number, metric: number, src: number, ifIndex: number): boolean {
  const t = r.table;
  if (t.from[s] === src && t.ifIndex[s] === ifIndex) return false;
  const cur = t.metric[s]!;
  return (metric > cur && !(t.extra.size > 0 && t.extra.has(id))) || (metric === cur && r.config.maxPaths <= 1);
}

/*
 * The response memo (RipPayload's memo fields): what a response in the compact form did to one
 * router's table when every entry was the route heard again (`sameRouteAgain`: its timeout
 * reinitialized), not better than the one held (`notBetterFromOther`: nothing) or unreachable and
 * not held (nothing). None of these reads the time, so while the table's generation is the same
 * (nothing they compare against changed) the same payload from the same neighbour does exactly
 * that again: the timeouts of the slots it lists are reinitialized, nothing else. The slot lists
 * share one array of the router's (`heardAgain`: `memoCount` slots at `memoStart`, started again
 * as a new epoch when it must be).
 */

/** A response in the simulator's compact form: prefix ids are already interned. */
function responseFast(r: RipRouter, now: SimTime, ifIndex: number, src: number, payload: RipPayload): void {
  const buf = payload.buf;
  if (buf === null) return;
  if (payload.dict !== r.prefixes) {
    // From a router of another network (tests): read it as bytes.
    response(r, now, ifIndex, src, r.connectedAddress(ifIndex, src), payload.version, payload.toMessage());
    return;
  }
  const t = r.table;
  const generation = t.generation;
  if (payload.memoRouter === r && payload.memoGeneration === generation && payload.memoEpoch === r.heardAgainEpoch && payload.memoSrc === src && payload.memoIfIndex === ifIndex) {
    const slots = r.heardAgain;
    const begin = payload.memoStart;
    const end = begin + payload.memoCount;
    if (r.fibAgeRefresh) {
      for (let k = begin; k < end; k++) reinitializeTimeout(r, now, t.idOf[slots[k]!]!, slots[k]!, t.nextHop[slots[k]!]!);
      return;
    }
    // reinitializeTimeout without a forwarding entry to age, as refreshTimeout writes it.
    const deadline = timeoutAt(r, now);
    const deadlines = t.deadline;
    const updatedAt = t.updatedAt;
    for (let k = begin; k < end; k++) {
      deadlines[slots[k]!] = deadline;
      updatedAt[slots[k]!] = now;
    }
    return;
  }
  // A new generation's lists start the array again; so does one that outgrew what one period's
  // updates refresh (memos overwritten on a LAN, where every router takes the same payloads).
  if (r.heardAgainGeneration !== generation || r.heardAgainUsed + payload.count > 2 * t.size + 64) {
    r.heardAgainGeneration = generation;
    r.heardAgainEpoch++;
    r.heardAgainUsed = 0;
  }
  if (r.heardAgainUsed + payload.count > r.heardAgain.length) {
    const grown = new Int32Array(Math.max(2 * r.heardAgain.length, r.heardAgainUsed + payload.count));
    grown.set(r.heardAgain);
    r.heardAgain = grown;
  }
  const heardAgain = r.heardAgain;
  const start = r.heardAgainUsed;
  const valid = r.prefixes.valid;
  const hops = payload.nextHops;
  const tags = payload.tags;
  const v1 = payload.version === 1;
  const base = payload.offset;
  // Whether every entry so far was heard again or not better (the response memo); a next hop is
  // resolved against the interfaces, which the generation does not follow.
  let memorable = hops === null && messageReuse.enabled;
  let heard = 0;
  // The table's arrays, re-read after `rte` (it may grow them).
  let slotOf = t.slotOf;
  let state = t.state;
  let kind = t.kind;
  for (let i = 0; i < payload.count; i++) {
    const packed = buf[base + i]!;
    const id = packed >> RIP_PACKED_METRIC_BITS;
    const m = packed & METRIC_MASK;
    // RFC 2453 3.9.2: "is the destination address valid (e.g., unicast; not net 0 or 127)", "is the
    // metric valid (i.e., between 1 and 16, inclusive)".
    if (valid[id] !== 1 || m < 1 || m > RIP_METRIC_INFINITY) {
      memorable = false;
      badRoute(r, src);
      continue;
    }
    let nextHop = src;
    if (!v1 && hops !== null && hops[i] !== 0) {
      nextHop = resolveNextHop(r, hops[i]!, src);
      if (nextHop === 0) continue;
    }
    const tag = v1 || tags === null ? 0 : tags[i]!;
    const s = id < slotOf.length ? slotOf[id]! : -1;
    if (s >= 0 && state[s] === STATE_VALID && kind[s] === KIND_LEARNED) {
      const metric = inMetric(r, id, m, ifIndex);
      if (sameRouteAgain(r, now, id, s, metric, nextHop, tag, src, ifIndex)) {
        heardAgain[start + heard++] = s;
        continue;
      }
      if (notBetterFromOther(r, id, s, metric, src, ifIndex)) continue;
    } else if (s < 0 && inMetric(r, id, m, ifIndex) === RIP_METRIC_INFINITY) {
      // A route we do not have, unreachable once the hop is added (beyond the 15-hop horizon):
      // `rte` adds nothing (RFC 2453 3.9.2 "unless the metric is infinity").
      continue;
    }
    memorable = false;
    rte(r, now, id, m, nextHop, tag, src, ifIndex);
    slotOf = t.slotOf;
    state = t.state;
    kind = t.kind;
  }
  if (memorable && t.generation === generation) {
    payload.memoRouter = r;
    payload.memoGeneration = generation;
    payload.memoEpoch = r.heardAgainEpoch;
    payload.memoSrc = src;
    payload.memoIfIndex = ifIndex;
    payload.memoStart = start;
    payload.memoCount = heard;
    r.heardAgainUsed = start + heard;
  }
}

/** A response as a parsed message (bytes from a test, a capture replay, or version 1 rules). */
function response(r: RipRouter, now: SimTime, ifIndex: number, src: number, ifAddrIndex: number, version: number, message: RipMessage): void {
  const entries = message.entries;
  // RFC 2453 5.2: without authentication configured, authenticated RIP-2 messages are discarded.
  if (version === 2 && entries.length > 0 && entries[0]!.afi === RIP_AFI_AUTH) return badPacket(r, src, ifIndex);
  const ifAddr = r.interfaces[ifIndex]!.addresses[ifAddrIndex]!;
  for (const e of entries) {
    if (e.afi !== RIP_AFI_INET) continue; // ripd: "Unsupported family"
    let address = e.address;
    let mask = e.mask;
    // RFC 2453 3.9.2: "is the metric valid (i.e., between 1 and 16, inclusive)".
    if (e.metric < 1 || e.metric > RIP_METRIC_INFINITY) {
      badRoute(r, src);
      continue;
    }
    if (version === 1 && (e.nextHop !== 0 || e.mask !== 0 || e.tag !== 0)) {
      badRoute(r, src); // RFC 1058: must-be-zero fields that are not zero
      continue;
    }
    if (address !== 0 && (version === 1 || mask === 0)) {
      // ripd's classful guess for RIP-1 (and RIP-2 without a mask): the interface's own mask
      // inside its own major network, else the class mask.
      const m = guessMask(address, ifAddr.address, ifAddr.prefixLength);
      if (m === null) continue;
      mask = m;
    }
    const len = maskToPrefixLength(mask);
    if (len === null || ((address & mask) >>> 0) !== address) {
      badRoute(r, src); // "RIPv2 address is not mask applied one"
      continue;
    }
    if (address === 0) mask = 0; // default route: netmask ignored
    address >>>= 0;
    const id = r.prefixes.intern(address, address === 0 ? 0 : len);
    // RFC 2453 3.9.2: "is the destination address valid (e.g., unicast; not net 0 or 127)".
    if (r.prefixes.valid[id] !== 1) {
      badRoute(r, src);
      continue;
    }
    let nextHop = src;
    if (version === 2 && e.nextHop !== 0) {
      nextHop = resolveNextHop(r, e.nextHop, src);
      if (nextHop === 0) continue;
    }
    rte(r, now, id, e.metric, nextHop, version === 2 ? e.tag : 0, src, ifIndex);
  }
}

/** ripd's mask guess for entries without one (`rip_response_process`). null: the entry is skipped. */
function guessMask(address: number, ifAddress: number, ifLength: number): number | null {
  const classLen = classfulLength(address);
  const ifClassLen = classfulLength(ifAddress);
  const subnetted = ifLength > ifClassLen;
  const ifClassNet = (ifAddress & prefixMask(ifClassLen)) >>> 0;
  if (subnetted && ((address & prefixMask(ifClassLen)) >>> 0) === ifClassNet) {
    const m = prefixMask(ifLength);
    return ((address & m) >>> 0) === address ? m : prefixMask(32);
  }
  const m = prefixMask(classLen);
  return ((address & m) >>> 0) === address ? m : null;
}

/**
 * A RIP-2 entry's next hop. RFC 2453 4.4: "If the received Next Hop is not directly reachable, it
 * should be treated as 0.0.0.0" (the sender). ripd `rip_response_process()` reads "directly
 * reachable" as on any connected network of the router (`if_lookup_address()`, every interface),
 * not only the receiving one, and skips the entry for a multicast next hop; `rip_rte_process()`
 * drops it when the next hop is one of our own addresses. Seen on FRR 8.4.4
 * (data/real/frr84-rip-rules, s1): a next hop on no connected subnet is installed
 * via the sender, one on the other interface's subnet as given. 0: skip the entry.
 */
function resolveNextHop(r: RipRouter, nh: number, src: number): number {
  if (nh >>> 28 === 0xe) return 0;
  if (r.isOwnAddress(nh)) return 0;
  for (const i of r.interfaces) {
    if (!i.operational) continue;
    for (const a of i.addresses) if (((a.address ^ nh) & prefixMask(a.prefixLength)) === 0) return nh;
  }
  return src;
}

/**
 * ripd.c rip_rte_process, "Redistributed route check": a learned route replaces a redistributed one
 * whose distance is not strictly better ("If imported route does not have STRICT precedence, mark it
 * as a ghost": `new_dist <= old_dist`), a redistributed route with a gateway and distance 0 counting
 * as 120. So a static at distance 200 gives way to RIP (a real FRR 8.4 run: R(n) 10.4.0.0/16 over
 * `ip route 10.4.0.0/16 10.0.0.2 200`), one at the default distance 1 does not.
 */
function learnedBeatsRedistributed(r: RipRouter, id: number, src: number): boolean {
  return r.learnedWins(id, src);
}

/**
 * One route entry (RFC 2453 3.9.2; ripd `rip_rte_process()`): add the interface cost, then take the
 * route if it is new, better, or from the neighbour we route through; refresh its timer if unchanged.
 */
function rte(r: RipRouter, now: SimTime, id: number, wireMetric: number, nextHop: number, tag: number, src: number, ifIndex: number): void {
  const t = r.table;
  if (untrusted(r, src, id)) return;
  const metric = inMetric(r, id, wireMetric, ifIndex);
  const s = id < t.slotOf.length ? t.slotOf[id]! : -1;
  if (s < 0) {
    // "If there is no such route, add this route to the routing table, unless the metric is infinity."
    if (metric < RIP_METRIC_INFINITY) install(r, now, id, metric, nextHop, src, ifIndex, tag);
    return;
  }
  const st = t.state[s];
  if (t.kind[s] !== KIND_LEARNED) {
    // Our own (connected, redistributed) route wins while it is alive (lower distance in ripd).
    if (st !== STATE_VALID && metric < RIP_METRIC_INFINITY) install(r, now, id, metric, nextHop, src, ifIndex, tag);
    else if (metric < RIP_METRIC_INFINITY && learnedBeatsRedistributed(r, id, src)) install(r, now, id, metric, nextHop, src, ifIndex, tag);
    return;
  }
  if (st !== STATE_VALID) {
    if (st === STATE_HOLDDOWN && now < (t.holddownUntil.get(id) ?? 0)) {
      // IOS hold-down: "routing information regarding better paths is suppressed".
      if (metric < RIP_METRIC_INFINITY && r.profile.holddownAcceptsSameSource && t.from[s] === src && t.ifIndex[s] === ifIndex) {
        install(r, now, id, metric, nextHop, src, ifIndex, tag);
      }
      return;
    }
    // Unreachable entry waiting for deletion: any usable route replaces it (RFC 2453 3.8: "If a new
    // route to this network is established while the garbage-collection timer is running, the new
    // route will replace the one that is about to be deleted").
    if (metric < RIP_METRIC_INFINITY) install(r, now, id, metric, nextHop, src, ifIndex, tag);
    return;
  }
  if (sameRouteAgain(r, now, id, s, metric, nextHop, tag, src, ifIndex)) return;
  const cur = t.metric[s]!;
  if (t.from[s] === src && t.ifIndex[s] === ifIndex) {
    // From the neighbour we route through (ripd "same").
    if (metric === cur) {
      // The same metric with a new tag or next hop: taken, and the timeout reinitialized.
      const hopChanged = nextHop !== t.nextHop[s];
      t.tag[s] = tag;
      t.nextHop[s] = nextHop;
      changed(r, now, id, hopChanged);
      reinitializeTimeout(r, now, id, s, nextHop);
      return;
    }
    if (t.extra.size > 0 && t.extra.has(id)) {
      // Several paths: a better metric replaces them all, a worse one drops this path (ripd).
      if (metric < cur) install(r, now, id, metric, nextHop, src, ifIndex, tag);
      else dropPrimary(r, now, id);
      return;
    }
    if (metric === RIP_METRIC_INFINITY) {
      // "If the new metric is infinity, start the deletion process".
      poisoned(r, now, id);
      return;
    }
    // "If the datagram is from the same router as the existing route, and the new metric is
    // different than the old one": take it, better or worse. NOTE: for IOS too. Doyle writes that
    // a higher hop count puts the route in hold-down, but IOS is seen to take it at once
    // (infosecinstitute forum, "RIP Holddown Timer": an offset-list on the next hop "instead of
    // placing it in holddown R3 accepts the route immediately").
    install(r, now, id, metric, nextHop, src, ifIndex, tag);
    return;
  }
  if (notBetterFromOther(r, id, s, metric, src, ifIndex)) return;
  const extra = t.extra.size > 0 ? t.extra.get(id) : undefined;
  if (extra !== undefined) {
    for (let k = 0; k < extra.length; k++) {
      const p = extra[k]!;
      if (p.from !== src || p.ifIndex !== ifIndex) continue;
      if (metric === cur) {
        // The same route again on an equal-cost path: "reinitialize the timeout" of that path.
        p.deadline = timeoutAt(r, now);
        p.updatedAt = now;
        if (r.fibAgeRefresh) r.ports.routeRefreshed(id, p.nextHop, now);
      } else if (metric < cur) {
        install(r, now, id, metric, nextHop, src, ifIndex, tag);
      } else {
        extra.splice(k, 1);
        if (extra.length === 0) t.extra.delete(id);
        changed(r, now, id);
      }
      return;
    }
  }
  if (metric < cur) {
    // "if the new metric is lower than the old one": adopt the route.
    install(r, now, id, metric, nextHop, src, ifIndex, tag);
  } else if (metric === cur && metric < RIP_METRIC_INFINITY) {
    // Equal-cost multipath (IOS maximum-paths, FRR allow-ecmp, ripd `rip_ecmp_add()`): one more
    // path, appended (ripd `listnode_add`: `show ip rip` lists paths in the order they were heard).
    const path: RipPath = { nextHop, from: src, ifIndex, tag, deadline: timeoutAt(r, now), updatedAt: now };
    if ((extra === undefined ? 1 : 1 + extra.length) < r.config.maxPaths) {
      if (extra === undefined) t.extra.set(id, [path]);
      else extra.push(path);
      changed(r, now, id);
    } else if (r.config.ecmpPrefersLowerSender && r.config.maxPaths > 1) {
      replaceHighestSender(r, now, id, path);
    }
  }
}

/**
 * `allow-ecmp N` (releases after FRR 8.4; 10.x has it) with N paths already kept, as
 * ripngd/ripngd.c `ripng_ecmp_add()` reads (the change that gave both daemons `allow-ecmp N`;
 * NOTE: ripd's `rip_ecmp_add()` copy is taken to be the same, not read line by line): "Find the
 * rip_info struct that has the highest nexthop IP" (it compares `from`, the sender), and "delete
 * the old one that has a higher next-hop address. Lower IP is preferred": the new path replaces it
 * when the new sender's address is lower, else it is dropped. The new path goes to the end of the
 * list.
 */
function replaceHighestSender(r: RipRouter, now: SimTime, id: number, path: RipPath): void {
  const t = r.table;
  const s = t.slot(id);
  const extra = t.extra.get(id);
  let highest = -1; // -1: the primary path, else an index in `extra`
  let highestFrom = t.from[s]! >>> 0;
  if (extra !== undefined) {
    for (let k = 0; k < extra.length; k++) {
      if (extra[k]!.from >>> 0 > highestFrom) {
        highest = k;
        highestFrom = extra[k]!.from >>> 0;
      }
    }
  }
  if (highestFrom <= path.from >>> 0) return;
  if (highest < 0) dropPrimary(r, now, id);
  else extra!.splice(highest, 1);
  const rest = t.extra.get(id);
  if (rest === undefined) t.extra.set(id, [path]);
  else rest.push(path);
  changed(r, now, id);
}

/**
 * Takes (id → this single path) as the route, replacing whatever was there (ripd
 * `rip_ecmp_replace()`); RFC 2453 3.9.2: "Adopt the route from the datagram", its timeout initialized.
 */
function install(r: RipRouter, now: SimTime, id: number, metric: number, nextHop: number, src: number, ifIndex: number, tag: number): void {
  const t = r.table;
  const s = t.add(id);
  t.kind[s] = KIND_LEARNED;
  t.state[s] = STATE_VALID;
  t.metric[s] = metric;
  t.nextHop[s] = nextHop;
  t.from[s] = src;
  t.ifIndex[s] = ifIndex;
  t.tag[s] = tag;
  if (t.holddownUntil.size > 0) t.holddownUntil.delete(id);
  t.extra.delete(id);
  deadlineAt(r, refreshTimeout(r, now, s));
  changed(r, now, id);
}

/** Metric 16 from the neighbour we route through: each profile's deletion process. */
function poisoned(r: RipRouter, now: SimTime, id: number): void {
  switch (r.profile.onPoison) {
    case 'garbage':
      return toGarbage(r, now, id);
    case 'remove':
      return toInaccessible(r, now, id);
    case 'holddown':
      return toHolddown(r, now, id);
  }
}

// ---- requests (RFC 2453 3.9.1) -----------------------------------------------------------------

/**
 * RFC 2453 3.9.1 / ripd `rip_request_process()`: a whole-table request ("exactly one entry ... an
 * address family identifier of zero and a metric of infinity") gets the table (split horizon for
 * that interface) sent straight back to the requester; a request for particular routes gets their
 * metrics. No answers on loopback, passive or non-RIP interfaces.
 */
function request(r: RipRouter, ifIndex: number, src: number, srcPort: number, version: number, payload: RipPayload | Uint8Array, message: RipMessage | null): void {
  const iface = r.interfaces[ifIndex]!;
  if (iface.loopback || r.running[ifIndex] !== 1 || r.passive[ifIndex] === 1) return;
  const p = peer(r, src, ifIndex);
  p.version = version;
  const whole = message === null ? (payload as RipPayload).buf === null : isWholeTableRequest(message);
  const from = iface.addresses[r.connectedAddress(ifIndex, src)]!.address;
  if (whole) {
    sendWholeTable(r, ifIndex, from, src, srcPort, version as 1 | 2);
    return;
  }
  const m = message ?? (payload as RipPayload).toMessage();
  if (m.entries.length === 0 || m.entries[0]!.afi !== RIP_AFI_INET) return;
  sendRouteMetrics(r, ifIndex, from, src, srcPort, m);
}

// ---- neighbours and their bad packets ----------------------------------------------------------

function peer(r: RipRouter, src: number, ifIndex: number): RipPeer {
  let p = r.peers.get(src);
  if (p === undefined) {
    p = { address: src, ifIndex, lastUpdate: 0, version: 0, badPackets: 0, badRoutes: 0 };
    r.peers.set(src, p);
  }
  return p;
}

function badPacket(r: RipRouter, src: number, ifIndex: number): void {
  r.stats.badPackets++;
  peer(r, src, ifIndex).badPackets++;
}

function badRoute(r: RipRouter, src: number): void {
  r.stats.badRoutes++;
  const p = r.peers.get(src);
  if (p !== undefined) p.badRoutes++;
}

/**
 * The RIP router's output (RFC 2453 3.10): the messages of periodic and triggered updates (ripd
 * `rip_update_process`, `rip_output_process`), split horizon and poisoned reverse (3.4.3), the
 * answers to requests (3.9.1) and the whole-table request an interface starts with. When they go
 * is timers.ts's business; this file only builds and sends.
 */
import { RIP_MAX_ENTRIES, RIP_METRIC_INFINITY, RIP_MULTICAST_GROUP, RIP_PACKED_METRIC_BITS, RIP_PORT, RIP_RESPONSE, RipPayload, emitRip, type RipMessage } from '../../wire/rip';
import { classfulLength, maskToPrefixLength, prefixMask } from '../../wire/addr';
import type { SplitHorizonMode } from './params';
import type { RipRouter } from './router';
import { KIND_CONNECTED, KIND_INTERFACE, KIND_KERNEL, KIND_LEARNED, KIND_STATIC } from './table';
import { offsetFor, type RipPolicy } from './policy';

/** Split horizon per interface, as codes in the router's `split` array. */
export const SH_ON = 0;
export const SH_OFF = 1;
export const SH_POISON = 2;
export const SH_CODES: Record<SplitHorizonMode, number> = { on: SH_ON, off: SH_OFF, 'poisoned-reverse': SH_POISON };

/**
 * Shared buffer space for messages in flight: each message's packed entries are a window of one
 * chunk, so building a message allocates no typed array. A full chunk is left to the payloads that
 * point into it (collected once they are delivered) and a new one started.
 */
const ARENA_SIZE = 1 << 16;
let arena = new Int32Array(ARENA_SIZE);
let arenaPos = 0;

/**
 * Scratch space for the entries of one interface's update before they are cut into messages
 * (never escapes: copied into the arena or a cached update's own array). Grown as tables grow.
 */
let entryWords = new Int32Array(256);
let entryHops = new Uint32Array(256);
let entryTags = new Uint16Array(256);

/**
 * Whether updates and response memos are reused (`CachedUpdate`, the response memo of input.ts). Only
 * reuse.test.ts turns it off, to check that the simulation is the same byte for byte without them.
 */
export const messageReuse = { enabled: true };

/**
 * The messages of one interface's last whole-table update in one version. A payload is immutable
 * once sent, so while the table's generation is unchanged the next periodic update (or the answer
 * to a whole-table request) sends the very same payloads: same entries, same bytes.
 */
export interface CachedUpdate {
  generation: number;
  /** The interface's first address and length when built (the RIP-1 output rule reads them). */
  address: number;
  prefixLength: number;
  payloads: readonly RipPayload[];
}

/** The table's prefix ids in prefix order, as ripd walks its route table. */
export function sortedIds(r: RipRouter): readonly number[] {
  r.table.sort(r.prefixes.addresses, r.prefixes.lengths);
  return r.table.ids;
}

/**
 * Sends the whole table (`changedOnly` false: RFC 2453 3.8's regular update) or the changed routes
 * (3.10.1: "only those routes which have changed") on every interface RIP runs on and is not passive
 * (never loopback), and to every configured neighbour (ripd `rip_update_process`).
 */
export function sendUpdates(r: RipRouter, changedOnly: boolean): void {
  // null: the whole table (sendWholeTable).
  let list: readonly number[] | null = null;
  if (changedOnly) {
    const t = r.table;
    const ch = r.changedIds.filter((id) => t.has(id));
    if (ch.length === 0) return;
    const a = r.prefixes.addresses;
    const l = r.prefixes.lengths;
    list = ch.sort((x, y) => a[x]! - a[y]! || l[x]! - l[y]!);
  } else if (r.table.size === 0) {
    return;
  }
  // NOTE: one update per interface, from its first address (ripd sends one per address but drops
  // Linux secondaries; IOS sends one per secondary subnet). RIP-1 goes to the subnet's broadcast
  // address as ripd does; IOS uses 255.255.255.255 (same receivers on a LAN). IP precedence 6
  // (ToS 0xc0), which both set, is not modelled: the stack's UDP send has no ToS option.
  for (const iface of r.interfaces) {
    const i = iface.index;
    // `running` is cleared when the interface goes down (onInterfaceChange), so it implies operational.
    if (r.running[i] !== 1 || r.passive[i] === 1 || iface.loopback || iface.addresses.length === 0) continue;
    const src = iface.addresses[0]!.address;
    // ripd `rip_update_process()`: the interface's `ip rip send version` or the router's; "1 2"
    // sends both (RIP-1 broadcast first), "none" nothing.
    const mask = r.sendMaskOf[i]!;
    if ((mask & 2) !== 0) sendUpdate(r, i, src, r.broadcastOf(i), 1, list);
    if ((mask & 4) !== 0) sendUpdate(r, i, src, RIP_MULTICAST_GROUP, 2, list);
  }
  sendToNeighbors(r, list);
  r.stats.updatesSent++;
}

/**
 * ripd `rip_update_process()`, "RIP send updates to each neighbor": to every `neighbor` on a
 * connected subnet (`if_lookup_address()`), whether or not a `network` statement covers that
 * interface and whether or not it is passive, in the router's version ("RIP version is rip's
 * configuration", not the interface's). Seen on FRR 8.4.4 (data/real/frr84-rip-rules, s1 and
 * s3): a neighbour on an interface no `network` covers gets the periodic and
 * the triggered updates, split horizon applied for that interface, and one on a passive interface
 * gets them too.
 */
function sendToNeighbors(r: RipRouter, list: readonly number[] | null): void {
  for (const nb of r.config.neighbors) {
    const i = r.interfaceFor(nb);
    if (i < 0) continue;
    const iface = r.interfaces[i]!;
    sendUpdate(r, i, iface.addresses[r.connectedAddress(i, nb)]!.address, nb, r.config.sendVersion, list);
  }
}

/** An update out of interface `o`: the routes of `list`, or (null) the whole table. */
function sendUpdate(r: RipRouter, o: number, src: number, dst: number, version: 1 | 2, list: readonly number[] | null): void {
  if (list === null) sendWholeTable(r, o, src, dst, RIP_PORT, version);
  else sendTable(r, o, src, dst, RIP_PORT, version, list);
}

/**
 * Sends the whole table out of interface `o` (split horizon for it), as the messages of the last
 * such update when nothing they depend on changed since (`CachedUpdate`).
 */
export function sendWholeTable(r: RipRouter, o: number, src: number, dst: number, dstPort: number, version: 1 | 2): void {
  const key = 2 * o + version - 1;
  const a = r.interfaces[o]!.addresses[0]!;
  let cached = r.updateCache[key];
  if (cached === undefined || cached.generation !== r.table.generation || cached.address !== a.address || cached.prefixLength !== a.prefixLength || !messageReuse.enabled) {
    const n = collectEntries(r, o, version, sortedIds(r));
    const words = entryWords.slice(0, n);
    const payloads: RipPayload[] = [];
    for (let at = 0; at < n; at += RIP_MAX_ENTRIES) payloads.push(messageAt(r, version, words, at, Math.min(RIP_MAX_ENTRIES, n - at), at, true));
    cached = { generation: r.table.generation, address: a.address, prefixLength: a.prefixLength, payloads };
    r.updateCache[key] = cached;
  }
  const ttl = dst === RIP_MULTICAST_GROUP ? r.profile.multicastTtl : null;
  for (const p of cached.payloads) send(r, o, src, dst, dstPort, p, ttl);
}

/**
 * Builds the messages for interface `o` from `list` (prefix order) and sends them, 25 entries each
 * (a 512-byte message holds 25).
 */
export function sendTable(r: RipRouter, o: number, src: number, dst: number, dstPort: number, version: 1 | 2, list: readonly number[]): void {
  const n = collectEntries(r, o, version, list);
  const ttl = dst === RIP_MULTICAST_GROUP ? r.profile.multicastTtl : null;
  for (let at = 0; at < n; at += RIP_MAX_ENTRIES) {
    const count = Math.min(RIP_MAX_ENTRIES, n - at);
    if (arenaPos + count > ARENA_SIZE) {
      arena = new Int32Array(ARENA_SIZE);
      arenaPos = 0;
    }
    arena.set(entryWords.subarray(at, at + count), arenaPos);
    const payload = messageAt(r, version, arena, arenaPos, count, at, false);
    arenaPos += count;
    send(r, o, src, dst, dstPort, payload, ttl);
  }
}

/**
 * The message of the `count` entries at `offset` in `words`, whose next hops and tags are at `at`
 * in the scratch arrays; `lasting` for one that is cached (RipPayload.lasting says why it differs).
 */
function messageAt(r: RipRouter, version: 1 | 2, words: Int32Array, offset: number, count: number, at: number, lasting: boolean): RipPayload {
  let anyHop = false;
  let anyTag = false;
  for (let k = at; k < at + count; k++) {
    if (entryHops[k] !== 0) anyHop = true;
    if (entryTags[k] !== 0) anyTag = true;
  }
  const hops = anyHop ? entryHops.slice(at, at + count) : null;
  const tags = anyTag ? entryTags.slice(at, at + count) : null;
  return lasting ? RipPayload.lasting(version, r.prefixes, words, offset, count, hops, tags) : RipPayload.response(version, r.prefixes, words, offset, count, hops, tags);
}

/**
 * The entries of an update out of interface `o` from `list` (prefix order), into the scratch
 * arrays; returns their number. Split horizon per interface, RFC 2453 3.4.3: "Simple split
 * horizon scheme omits routes learned from one neighbor in updates sent to that neighbor. Split
 * horizon with poisoned reverse includes such routes in updates, but sets their metrics to
 * infinity." ripd: a learned route is not sent back out an interface any of its paths uses, a
 * connected network not out its own interface.
 */
function collectEntries(r: RipRouter, o: number, version: 1 | 2, list: readonly number[]): number {
  if (entryWords.length < list.length) {
    const cap = Math.max(list.length, entryWords.length * 2);
    entryWords = new Int32Array(cap);
    entryHops = new Uint32Array(cap);
    entryTags = new Uint16Array(cap);
  }
  const words = entryWords;
  const hops = entryHops;
  const tags = entryTags;
  const t = r.table;
  const slotOf = t.slotOf;
  const kind = t.kind;
  const metricA = t.metric;
  const ifA = t.ifIndex;
  const tagA = t.tag;
  const sh = r.split[o]!;
  const extraMap = t.extra;
  const hasExtra = extraMap.size > 0;
  const nextHopOut = r.profile.nextHopOut && version === 2;
  const v1Filter = version === 1 ? ripV1Filter(r, o) : null;
  const policy = r.config.policy;
  const offsetOut = policy !== undefined && policy.offsetOut.length > 0 ? policy : null;
  let n = 0;
  for (let k = 0; k < list.length; k++) {
    const id = list[k]!;
    const s = slotOf[id]!;
    if (s < 0) continue;
    const kd = kind[s];
    let m = metricA[s]!;
    let hop = 0;
    if (kd === KIND_LEARNED) {
      let via = ifA[s] === o;
      if (!via && hasExtra) {
        const extra = extraMap.get(id);
        if (extra !== undefined) for (const p of extra) if (p.ifIndex === o) via = true;
      }
      if (via) {
        if (sh === SH_ON) continue;
        if (sh === SH_POISON) m = RIP_METRIC_INFINITY;
      }
      if (nextHopOut && ifA[s] === o) hop = t.nextHop[s]!;
    } else if ((kd === KIND_INTERFACE || kd === KIND_CONNECTED) && ifA[s] === o) {
      if (sh === SH_ON) continue;
      if (sh === SH_POISON) m = RIP_METRIC_INFINITY;
    } else if ((kd === KIND_STATIC || kd === KIND_KERNEL) && nextHopOut && ifA[s] === o) {
      // ripd.c rip_output_process: "if the RIP route has a nexthop via this interface, keep the
      // nexthop" (RFC 4.4): a redistributed route's gateway goes out on the gateway's own subnet.
      hop = t.nextHop[s]!;
    }
    if (offsetOut !== null && m < RIP_METRIC_INFINITY) m = offsetOutMetric(r, offsetOut, o, id, m);
    if (v1Filter !== null && !v1Filter(id)) continue;
    words[n] = (id << RIP_PACKED_METRIC_BITS) | m;
    hops[n] = hop;
    tags[n] = tagA[s]!;
    n++;
  }
  return n;
}

/**
 * rip_offset.c rip_offset_list_apply_out, as ripd.c rip_output_process applies it: to every route not
 * already at infinity, after the redistribution metric, capped at infinity.
 */
function offsetOutMetric(r: RipRouter, policy: RipPolicy, o: number, id: number, m: number): number {
  const off = offsetFor(policy.offsetOut, policy, r.interfaces[o]!.name, r.prefixes.addresses[id]!, r.prefixes.lengths[id]!);
  return off === null ? m : Math.min(RIP_METRIC_INFINITY, m + off);
}

/** ripd's RIP-1 output rule: subnets of the interface's own major network with its mask, else classful networks only. */
function ripV1Filter(r: RipRouter, o: number): (id: number) => boolean {
  const a = r.interfaces[o]!.addresses[0]!;
  const classLen = classfulLength(a.address);
  const subnetted = a.prefixLength > classLen;
  const classNet = (a.address & prefixMask(classLen)) >>> 0;
  const addrs = r.prefixes.addresses;
  const lens = r.prefixes.lengths;
  return (id: number) => {
    const p = addrs[id]!;
    const len = lens[id]!;
    if (subnetted && ((p & prefixMask(classLen)) >>> 0) === classNet) return len === a.prefixLength || len === 32;
    return p === 0 || classfulLength(p) === len;
  };
}

/**
 * RFC 2453 3.9.1, a request for particular routes: "If there is a route, put that route's metric in
 * the metric field of the RTE. If there is no explicit route to the specified destination, put
 * infinity in the metric field." The entries go back as they came, with their metrics.
 */
export function sendRouteMetrics(r: RipRouter, ifIndex: number, src: number, dst: number, dstPort: number, request: RipMessage): void {
  const entries = request.entries.map((e) => {
    const len = maskToPrefixLength(e.mask) ?? 32;
    const id = r.prefixes.lookup(e.address, len);
    const metric = id >= 0 ? r.table.metricOf(id) : RIP_METRIC_INFINITY;
    return { ...e, metric };
  });
  send(r, ifIndex, src, dst, dstPort, emitRip({ command: RIP_RESPONSE, version: request.version, entries }), null);
}

/** RFC 2453 3.9.1 / ripd `rip_request_interface()`: a request for the whole table, out of interface `i`. */
export function sendWholeTableRequest(r: RipRouter, i: number): void {
  // In each version the interface sends (`ip rip send version`, else the router's).
  const mask = r.sendMaskOf[i]!;
  const src = r.interfaces[i]!.addresses[0]!.address;
  if ((mask & 2) !== 0) send(r, i, src, r.broadcastOf(i), RIP_PORT, RipPayload.wholeTableRequest(1), null);
  if ((mask & 4) !== 0) send(r, i, src, RIP_MULTICAST_GROUP, RIP_PORT, RipPayload.wholeTableRequest(2), r.profile.multicastTtl);
}

function send(r: RipRouter, ifIndex: number, src: number, dst: number, dstPort: number, payload: RipPayload | Uint8Array, ttl: number | null): void {
  r.stats.packetsSent++;
  r.ports.send(ifIndex, src, dst, dstPort, payload, ttl);
}

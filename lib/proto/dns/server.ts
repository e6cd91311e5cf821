/**
 * The query-answering core of a BIND-like authoritative server: one UDP message in, at most one out.
 * Pure: handed the message bytes, the client's address and the node's addresses (for the
 * `localhost`/`localnets` ACLs); it never reads a clock.
 *
 * Rules, as BIND 9 applies them (lib/ns/query.c, lib/ns/client.c in 9.18; bin/named/query.c and
 * client.c in 9.10):
 * - fewer than 12 bytes, or QR set (a response): dropped, no answer (client.c: "dropped request:
 *   unexpected response"; a short message cannot even carry an ID to answer with);
 * - a header that parses but a body that does not: FORMERR, ID and opcode copied, no question;
 * - opcode other than QUERY (and NOTIFY/UPDATE, which we do not serve): NOTIMP;
 * - QDCOUNT ≠ 1: FORMERR;
 * - a name in one of our zones: authoritative answer (AA), NXDOMAIN or NODATA with the SOA;
 * - a name outside our zones: recursion if `recursion yes` and `allow-recursion` admits the client,
 *   else REFUSED with RA=0 (query.c: "query (cache) 'x/A/IN' denied");
 * - RA is set exactly when recursion is available to this client (client.c NS_CLIENTATTR_RA).
 */
import type { Ipv4Addr } from '../../wire/types';
import { DnsRcode, parseDns, parseDnsHeader, emitDns, type DnsMessage } from '../../wire/dns';
import { WireError } from '../../wire/errors';
import type { Duration } from '../../sim/time';
import { minutes } from '../../sim/time';
import { Zone, inZone } from './zone';
import { prefixMask } from '../../wire/addr';

/** One element of a BIND address match list (`10.128.0.0/16`, `!1.2.3.4`, `localnets`, `any`). */
export type AddressMatch =
  | { negated: boolean; kind: 'any' | 'none' | 'localhost' | 'localnets' }
  | { negated: boolean; kind: 'prefix'; prefix: Ipv4Addr; prefixLength: number };

export interface LocalAddress {
  address: Ipv4Addr;
  prefixLength: number;
}


/**
 * First match wins, a negated match denies (ARM "Address Match Lists"); no match denies.
 * `localhost`: the server's own addresses; `localnets`: the networks they are on.
 */
export function aclAllows(acl: readonly AddressMatch[], client: Ipv4Addr, local: readonly LocalAddress[]): boolean {
  for (const e of acl) {
    let hit: boolean;
    switch (e.kind) {
      case 'any':
        hit = true;
        break;
      case 'none':
        hit = false;
        break;
      // Loops, not `some`: the recursion ACL is checked on every query, and a closure per check was
      // garbage on the hot path.
      case 'localhost':
        hit = false;
        for (let i = 0; i < local.length && !hit; i++) hit = local[i]!.address === client;
        break;
      case 'localnets':
        hit = false;
        for (let i = 0; i < local.length && !hit; i++) hit = ((local[i]!.address ^ client) & prefixMask(local[i]!.prefixLength)) === 0;
        break;
      case 'prefix':
        hit = ((e.prefix ^ client) & prefixMask(e.prefixLength)) === 0;
        break;
    }
    if (hit) return !e.negated;
  }
  return false;
}

/** The `options { … }` of named.conf that this server models. */
export interface NamedOptions {
  /** `listen-on { … }`: addresses to listen on; null = BIND's default, every IPv4 address (`any`). */
  listenOn: AddressMatch[] | null;
  /** `recursion yes|no`. @defaultValue true */
  recursion: boolean;
  /**
   * `allow-recursion { … }`; null = the default, which since BIND 9.4.1 is allow-query-cache's
   * default `{ localnets; localhost; }` (ARM 9.10 "allow-recursion", CHANGES 2090).
   */
  allowRecursion: AddressMatch[] | null;
  /** `interface-interval` (minutes in the file): rescan of the interfaces; 0 = never. @defaultValue 60 min */
  interfaceInterval: Duration | null;
  /** `automatic-interface-scan yes|no` (9.18); null = the profile's default. */
  automaticInterfaceScan: boolean | null;
}

export const DEFAULT_NAMED_OPTIONS: NamedOptions = {
  listenOn: null,
  recursion: true,
  allowRecursion: null,
  interfaceInterval: null,
  automaticInterfaceScan: null,
};

export const DEFAULT_ALLOW_RECURSION: readonly AddressMatch[] = [
  { negated: false, kind: 'localnets' },
  { negated: false, kind: 'localhost' },
];

/**
 * How a BIND version listens. Sources:
 * - `interfaceInterval`: ARM (9.10 and 9.18) "interface-interval … default 60 minutes".
 * - `automaticInterfaceScan`: ARM 9.18 "automatic-interface-scan … default yes": on Linux named
 *   listens to the kernel's route socket (netlink) and rescans as soon as an address appears
 *   (lib/ns/interfacemgr.c route_recv). Measured here: BIND 9.18.49 logged "listening on IPv4
 *   interface lo, 127.0.0.3#53" within a millisecond of `ip addr add`. 9.10 has no such option.
 * - `bindsPort53AfterSetuid`: whether named started with `-u bind` can still bind port 53 on an
 *   address found by a later rescan. On Linux builds with libcap (Debian/Ubuntu's) named keeps
 *   CAP_NET_BIND_SERVICE across setuid (bin/named/unix/os.c linux_initialprivs/linux_minprivs:
 *   "We need to be able to bind() to privileged ports, notably port 53!"), so it can. The manpage
 *   note the write-up quotes (§4.3.4: "Use of the -u option makes this impossible") describes builds
 *   without that (BSD, or Linux without libcap): profile `bind-9.10-nocaps`.
 */
export interface BindProfile {
  name: string;
  version: string;
  interfaceInterval: Duration;
  automaticInterfaceScan: boolean;
  bindsPort53AfterSetuid: boolean;
  /** Delay between an address appearing and the automatic scan binding it. */
  automaticScanDelay: Duration;
  source: string;
}

export const BIND_PROFILES = {
  'bind-9.10': {
    name: 'bind-9.10',
    version: '9.10.3-P4-Ubuntu',
    interfaceInterval: minutes(60),
    automaticInterfaceScan: false,
    bindsPort53AfterSetuid: true,
    automaticScanDelay: 0,
    source: 'Ubuntu xenial bind9 1:9.10.3 (the write-up era); ARM 9.10 interface-interval; os.c linux_minprivs',
  },
  'bind-9.10-nocaps': {
    name: 'bind-9.10-nocaps',
    version: '9.10.3',
    interfaceInterval: minutes(60),
    automaticInterfaceScan: false,
    bindsPort53AfterSetuid: false,
    automaticScanDelay: 0,
    source: 'named(8) -u note quoted in the write-up §4.3.4 (builds without Linux capabilities)',
  },
  'bind-9.18': {
    name: 'bind-9.18',
    version: '9.18.49-1~deb12u3-Debian',
    interfaceInterval: minutes(60),
    automaticInterfaceScan: true,
    bindsPort53AfterSetuid: true,
    automaticScanDelay: 1_000, // 1 ms, as measured (see above)
    source: 'ARM 9.18 automatic-interface-scan; lib/ns/interfacemgr.c; measured with named 9.18.49 in a netns',
  },
} satisfies Record<string, BindProfile>;

export type BindProfileName = keyof typeof BIND_PROFILES;

export interface ServerContext {
  client: Ipv4Addr;
  /** The server's own addresses (for localhost/localnets). */
  local: readonly LocalAddress[];
}

export type ServerOutcome =
  | { kind: 'dropped'; reason: string }
  | { kind: 'reply'; bytes: Uint8Array; message: DnsMessage; note: string };

/** The zones and options of one server. */
export class DnsServerCore {
  constructor(
    readonly zones: readonly Zone[],
    readonly options: NamedOptions = DEFAULT_NAMED_OPTIONS,
  ) {}

  recursionAvailable(ctx: ServerContext): boolean {
    if (!this.options.recursion) return false;
    return aclAllows(this.options.allowRecursion ?? DEFAULT_ALLOW_RECURSION, ctx.client, ctx.local);
  }

  /** The most specific zone containing `name`, if any. */
  zoneFor(name: string): Zone | undefined {
    let best: Zone | undefined;
    for (const z of this.zones) if (inZone(name, z.origin) && (best === undefined || z.origin.length > best.origin.length)) best = z;
    return best;
  }

  /**
   * Replies already computed, keyed by whether recursion is available to the client and the query's
   * bytes after the ID. The answer depends on nothing else (zones and options are fixed for a core),
   * so a repeated question costs a copy instead of a dns-packet decode and encode: the lab's probes
   * ask the same question every second for days. Bounded; cleared when full.
   *
   * The map is keyed by a 32-bit hash of those bytes, each bucket holding the entries whose hash
   * collides, compared byte for byte: building a string key per query (a Buffer view and a latin1
   * decode) cost more than answering from the cache did.
   */
  private readonly replyCache = new Map<number, CachedReply[]>();
  private replyCacheSize = 0;
  private static readonly REPLY_CACHE_LIMIT = 4096;

  /** Answers one UDP message. Never throws on bad bytes. */
  handle(bytes: Uint8Array, ctx: ServerContext): ServerOutcome {
    if (bytes.length < 12) return { kind: 'dropped', reason: 'shorter than a DNS header' };
    if (bytes.length > 512) return this.compute(bytes, ctx);
    const ra = this.recursionAvailable(ctx);
    const hash = queryHash(bytes, ra);
    const id = (bytes[0]! << 8) | bytes[1]!;
    const bucket = this.replyCache.get(hash);
    if (bucket !== undefined) {
      for (const cached of bucket) {
        if (cached.ra !== ra || !sameQuestion(cached.query, bytes)) continue;
        const copy = cached.bytes.slice();
        copy[0] = id >> 8;
        copy[1] = id & 0xff;
        return new CachedReplyOutcome(copy, cached.message, id, cached.note);
      }
    }
    const outcome = this.compute(bytes, ctx);
    if (outcome.kind === 'reply' && outcome.bytes.length >= 2) {
      if (this.replyCacheSize >= DnsServerCore.REPLY_CACHE_LIMIT) {
        this.replyCache.clear();
        this.replyCacheSize = 0;
      }
      // A copy (new Uint8Array, not slice: a Buffer's slice is a view of the sender's bytes).
      const entry: CachedReply = { ra, query: new Uint8Array(bytes), bytes: outcome.bytes.slice(), message: outcome.message, note: outcome.note };
      const list = this.replyCache.get(hash);
      if (list === undefined) this.replyCache.set(hash, [entry]);
      else list.push(entry);
      this.replyCacheSize++;
    }
    return outcome;
  }

  private compute(bytes: Uint8Array, ctx: ServerContext): ServerOutcome {
    const header = parseDnsHeader(bytes);
    if (header.response) return { kind: 'dropped', reason: 'unexpected response' };
    const ra = this.recursionAvailable(ctx);
    const bare = (rcode: number, query?: DnsMessage): DnsMessage => ({
      id: header.id,
      response: true,
      opcode: header.opcode,
      aa: false,
      tc: false,
      rd: header.rd,
      ra,
      z: false,
      ad: false,
      cd: false,
      rcode,
      questions: query?.questions ?? [],
      answers: [],
      authorities: [],
      additionals: [],
    });
    const reply = (m: DnsMessage, note: string): ServerOutcome => ({ kind: 'reply', bytes: emitDns(m), message: m, note });
    let query: DnsMessage;
    try {
      query = parseDns(bytes);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      return reply(bare(DnsRcode.FORMERR), `FORMERR: ${e.message}`);
    }
    if (query.opcode !== 0) return reply(bare(DnsRcode.NOTIMP), `NOTIMP: opcode ${query.opcode}`);
    if (query.questions.length !== 1) return reply(bare(DnsRcode.FORMERR), `FORMERR: ${query.questions.length} questions`);
    const q = query.questions[0]!;
    const zone = this.zoneFor(q.name);
    if (zone === undefined) {
      if (!ra) return reply(bare(DnsRcode.REFUSED, query), `REFUSED: ${q.name}/${q.type} outside our zones, recursion not allowed`);
      // NOTE: recursion would go to the root servers, which these labs cannot reach; BIND answers
      // SERVFAIL after its resolver gives up (seconds later). We answer SERVFAIL at once.
      return reply(bare(DnsRcode.SERVFAIL, query), `SERVFAIL: ${q.name}/${q.type} needs recursion, no root servers reachable`);
    }
    const found = zone.lookup(q.name, q.type);
    const m = bare(DnsRcode.NOERROR, query);
    m.aa = true;
    if (found.kind === 'answer') {
      m.answers = found.records;
      // BIND adds the zone's NS records in the authority section (minimal-responses no, the 9.10
      // default; 9.18 defaults to no-auth-recursive, which also adds them for RD=0 queries only).
      const ns = zone.lookup(zone.origin, 'NS');
      m.authorities = ns.kind === 'answer' && q.type !== 'NS' ? ns.records : [];
      return reply(m, `answer: ${found.records.length} record(s)`);
    }
    m.authorities = [found.soa];
    if (found.kind === 'nxdomain') m.rcode = DnsRcode.NXDOMAIN;
    return reply(m, found.kind === 'nxdomain' ? 'NXDOMAIN' : 'NODATA');
  }
}

interface CachedReply {
  ra: boolean;
  /** The query it answers (its ID bytes are not compared). */
  query: Uint8Array;
  bytes: Uint8Array;
  message: DnsMessage;
  note: string;
}

/** FNV-1a (32-bit) over the query after its ID, and the recursion bit: the reply cache's bucket. */
function queryHash(bytes: Uint8Array, ra: boolean): number {
  let h = ra ? 0x811c9dc5 ^ 1 : 0x811c9dc5;
  for (let i = 2; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** Whether two queries are the same bytes but for their IDs (the first two bytes). */
function sameQuestion(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 2; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A reply from the cache. Its message (the cached one with the query's ID) is made only when read:
 * the stack sends the bytes and never looks at it, and copying a fifteen-field message per query
 * was most of what answering from the cache still cost.
 */
class CachedReplyOutcome {
  readonly kind = 'reply' as const;
  private copy: DnsMessage | null = null;

  constructor(
    readonly bytes: Uint8Array,
    private readonly cached: DnsMessage,
    private readonly id: number,
    readonly note: string,
  ) {}

  get message(): DnsMessage {
    if (this.copy === null) this.copy = { ...this.cached, id: this.id };
    return this.copy;
  }
}

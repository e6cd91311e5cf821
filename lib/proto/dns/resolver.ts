/**
 * Stub resolvers as state machines: which server gets the query when, how long each wait lasts,
 * what an ICMP port unreachable or a REFUSED does. Pure: `start(now)`, `onResponse(now, …)`,
 * `onUnreachable(now, …)`, `onTimer(now)` return actions (send, arm the timer, print a note,
 * finish); the caller owns sockets and the clock. One `StubLookup` resolves one name for one type,
 * walking the search list.
 *
 * Presets, each with its source:
 * - `glibc`: resolv/res_send.c (`__res_context_send` / `send_dg`, glibc 2.23 of xenial and 2.36):
 *   for try in 0..attempts-1, for server ns in 0..nscount-1, wait
 *   `seconds = retrans << ns; if (ns > 0) seconds /= nscount; if (seconds <= 0) seconds = 1`
 *   (integer seconds; retrans = `options timeout`, default RES_TIMEOUT 5; attempts default
 *   RES_DFLRETRY 2). The UDP socket is connected, so an ICMP port unreachable surfaces as POLLERR /
 *   ECONNREFUSED and send_dg moves to the next server at once. SERVFAIL, NOTIMP and REFUSED also
 *   move to the next server (send_dg: "if (anhp->rcode == SERVFAIL || NOTIMP || REFUSED) … next_ns").
 *   RA is not looked at. Search list: res_search tries the search domains first when the name has
 *   fewer than `ndots` dots; NXDOMAIN/NODATA go on to the next candidate.
 * - `bind-9.10` (nslookup/dig/host of BIND 9.10, Ubuntu xenial): bin/dig/dighost.c bringup_timer:
 *   `if (ISC_LIST_NEXT(query, link) != NULL) local_timeout = SERVER_TIMEOUT` (1 s) else the
 *   timeout (UDP_TIMEOUT 5 s); connect_timeout sends to the next server, and after the last one
 *   starts again at the first while `retries` (tries = 3) lasts, then prints
 *   ";; connection timed out; no servers could be reached". Its UDP sockets are not connected
 *   (isc_socket_sendto), so Linux never reports the ICMP error: it is ignored and the 1 s runs out
 *   (the write-up's capture, §3.4: port unreachable at +4 ms, next server at +1.0 s). nslookup sets
 *   check_ra: a reply without RA from a server that is not the last prints
 *   ";; Got recursion not available from <addr>#53, trying next server" and moves on.
 * - `bind-9.18` (Debian 12 dig/nslookup 9.18.49, measured in a network namespace on this machine):
 *   5 s per attempt, 3 attempts per server before the next ("communications error to …: timed
 *   out" ×3, 15.04 s with a silent first server); connected sockets through the netmgr: an ICMP
 *   port unreachable prints "communications error to …#53: connection refused" and counts as an
 *   attempt, immediately; nslookup also asks AAAA after A.
 */
import type { Duration, SimTime } from '../../sim/time';
import { seconds } from '../../sim/time';
import type { Rng } from '../../sim/rng';
import type { Ipv4Addr } from '../../wire/types';
import type { RecordType } from 'dns-packet';
import { DnsRcode, dnsQuery, emitDns, tryParseDns, type DnsMessage } from '../../wire/dns';
import { WireError } from '../../wire/errors';

/** resolv.conf as glibc reads it (resolv/res_init.c). */
export interface ResolvConf {
  /** At most MAXNS = 3; later lines are ignored. */
  nameservers: Ipv4Addr[];
  /** `search` (or `domain`, whichever comes last: res_init.c lets the last one win). */
  search: string[];
  /** `options timeout:n` (seconds, capped at RES_MAXRETRANS 30). @defaultValue 5 s */
  timeout: Duration;
  /** `options attempts:n` (capped at RES_MAXRETRY 5). @defaultValue 2 */
  attempts: number;
  rotate: boolean;
  /** `options ndots:n` (capped at 15). @defaultValue 1 */
  ndots: number;
}

export const DEFAULT_RESOLV_CONF: ResolvConf = { nameservers: [], search: [], timeout: seconds(5), attempts: 2, rotate: false, ndots: 1 };

/** A stub resolver's policy. Users can build their own. */
export interface ResolverPreset {
  name: string;
  source: string;
  /** How long to wait for server `index` (of `count`) on attempt `attempt` (0-based). */
  wait(conf: ResolvConf, index: number, count: number, attempt: number): Duration;
  /**
   * Order of (server, attempt) pairs: `round-robin` = all servers, then all again (glibc, BIND
   * 9.10); `per-server` = every attempt at one server before the next (BIND 9.18).
   */
  order: 'round-robin' | 'per-server';
  attempts(conf: ResolvConf): number;
  /** What an ICMP port unreachable about our query does. */
  onUnreachable: 'next-server' | 'ignore' | 'next-attempt';
  /** Rcodes that make it try the next server instead of accepting the reply. */
  nextServerOn: readonly number[];
  /** Treat a reply without RA as a failure of that server, unless it is the last (nslookup). */
  checkRa: boolean;
  /** Notes printed for ICMP errors / timeouts / RA (BIND tools print them; glibc is silent). */
  chatty: 'bind-9.10' | 'bind-9.18' | 'silent';
  /** Whether a late reply to an earlier query (another server) is still accepted. */
  acceptsLateReplies: boolean;
}

export const RESOLVER_PRESETS = {
  glibc: {
    name: 'glibc',
    source: 'glibc resolv/res_send.c send_dg (timeout << ns / nscount), res_init.c defaults RES_TIMEOUT 5, RES_DFLRETRY 2',
    wait: (conf: ResolvConf, index: number, count: number) => {
      const retrans = Math.floor(conf.timeout / 1_000_000);
      let s = retrans * 2 ** index;
      if (index > 0) s = Math.floor(s / count);
      if (s <= 0) s = 1;
      return seconds(s);
    },
    order: 'round-robin',
    attempts: (conf: ResolvConf) => conf.attempts,
    onUnreachable: 'next-server',
    nextServerOn: [DnsRcode.SERVFAIL, DnsRcode.NOTIMP, DnsRcode.REFUSED],
    checkRa: false,
    chatty: 'silent',
    acceptsLateReplies: false,
  },
  'bind-9.10': {
    name: 'bind-9.10',
    source: 'BIND 9.10 bin/dig/dighost.c bringup_timer (SERVER_TIMEOUT 1, UDP_TIMEOUT 5), connect_timeout, tries 3; nslookup.c check_ra',
    wait: (_conf: ResolvConf, index: number, count: number) => (index < count - 1 ? seconds(1) : seconds(5)),
    order: 'round-robin',
    attempts: () => 3,
    onUnreachable: 'ignore',
    nextServerOn: [DnsRcode.SERVFAIL],
    checkRa: true,
    chatty: 'bind-9.10',
    acceptsLateReplies: true,
  },
  'bind-9.18': {
    name: 'bind-9.18',
    source: 'BIND 9.18 bin/dig/dighost.c (netmgr, connected UDP); measured: dig/nslookup 9.18.49, 3 × 5 s per server',
    wait: () => seconds(5),
    order: 'per-server',
    attempts: () => 3,
    onUnreachable: 'next-attempt',
    nextServerOn: [DnsRcode.SERVFAIL],
    checkRa: true,
    chatty: 'bind-9.18',
    acceptsLateReplies: false,
  },
} satisfies Record<string, ResolverPreset>;

export type ResolverPresetName = keyof typeof RESOLVER_PRESETS;

/**
 * How `options rotate` orders the servers for each res_send (one query for one search candidate)
 * of a process. glibc keeps the rotation state per process, so what a program that looks one name up
 * and exits sees is decided by how that state starts:
 * - `glibc-2.23` (xenial): __libc_res_nsend moves the first server to the end of the process's
 *   private list at every res_send, before sending ("Some resolvers want to even out the load on
 *   their nameservers"): the first query of a fresh process goes to the second name server, never
 *   the first. send_dg's wait `retrans << ns` counts positions in that rotated list.
 * - `glibc-2.26` (and later, 2.36 of Debian 12): res_send.c nameserver_offset() starts a static
 *   counter at random_bits() on its first use in the process and adds one per res_send; the server
 *   tried at loop step `ns_shift` is `(ns_shift + offset) % nscount`, and send_dg's wait counts that
 *   server's index in resolv.conf, not its position in the try order.
 */
export type GlibcRotation = 'glibc-2.23' | 'glibc-2.26';

export interface Rotation {
  /** Index in resolv.conf of the first server asked by the `send`-th res_send (0-based) of the lookup. */
  offset(send: number): number;
  /** Whether a server's wait follows its index in resolv.conf (2.26+) or its position in the try order (2.23). */
  waitByConfiguredIndex: boolean;
}

/** The rotation a freshly started process sees (a tool run once per lookup: getent, ping, a CGI). */
export function freshProcessRotation(kind: GlibcRotation, nscount: number, rng: Rng): Rotation {
  if (nscount <= 1) return { offset: () => 0, waitByConfiguredIndex: false };
  if (kind === 'glibc-2.23') return { offset: (send) => (send + 1) % nscount, waitByConfiguredIndex: false };
  // random_bits() is the low bits of the clock: uniform over the servers for our purpose.
  const start = rng.int(0, nscount - 1);
  return { offset: (send) => (start + send) % nscount, waitByConfiguredIndex: true };
}

/** The names a stub tries for `name`, in order (res_search / dig +search with ndots). */
export function searchCandidates(name: string, conf: ResolvConf): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = conf.search.map((d) => `${name}.${d}`);
  return dots >= conf.ndots ? [name, ...searched] : [...searched, name];
}

export type LookupAction =
  | { kind: 'send'; server: Ipv4Addr; serverIndex: number; bytes: Uint8Array; message: DnsMessage }
  | { kind: 'timer'; at: SimTime }
  | { kind: 'note'; text: string }
  | { kind: 'done'; outcome: LookupOutcome };

export type LookupOutcome =
  /** A reply was accepted (any rcode); `name` is the candidate it answers. */
  | { kind: 'reply'; server: Ipv4Addr; name: string; message: DnsMessage; at: SimTime }
  /** Every server failed or timed out. */
  | { kind: 'no-servers'; at: SimTime; lastName: string; refused: DnsMessage | null };

interface Outstanding {
  id: number;
  serverIndex: number;
  name: string;
}

/**
 * One lookup: `type` for `name` with the search list, through `conf.nameservers`, under `preset`.
 */
export class StubLookup {
  private readonly candidates: string[];
  private candidate = 0;
  private step = 0;
  private outstanding: Outstanding[] = [];
  private current: Outstanding | null = null;
  private lastRefused: DnsMessage | null = null;
  private finished = false;
  /** The servers in try order for the current res_send, and each one's index in resolv.conf. */
  private servers: Ipv4Addr[];
  private configuredIndex: number[];
  private readonly rotation: Rotation | null;

  constructor(
    readonly name: string,
    readonly type: RecordType,
    readonly conf: ResolvConf,
    readonly preset: ResolverPreset,
    private readonly rng: Rng,
    options: { searchList?: boolean; rotation?: Rotation } = {},
  ) {
    this.candidates = options.searchList === false ? [name.replace(/\.$/, '')] : searchCandidates(name, conf);
    const configured = conf.nameservers.slice(0, 3);
    this.servers = configured;
    this.configuredIndex = configured.map((_, i) => i);
    this.rotation = conf.rotate && configured.length > 1 ? (options.rotation ?? null) : null;
    if (this.rotation !== null) this.rotateFor(0);
    else if (conf.rotate && configured.length > 1) {
      // NOTE: glibc rotates per process (a static counter); without a `rotation` (freshProcessRotation
      // models a process per lookup) we start where the rng says, once for the whole lookup.
      const k = this.rng.int(0, configured.length - 1);
      this.servers = [...configured.slice(k), ...configured.slice(0, k)];
      this.configuredIndex = this.configuredIndex.map((i) => (i + k) % configured.length);
    }
  }

  /** Try order of the `send`-th res_send under the rotation. */
  private rotateFor(send: number): void {
    const configured = this.conf.nameservers.slice(0, 3);
    const k = this.rotation!.offset(send) % configured.length;
    this.servers = [...configured.slice(k), ...configured.slice(0, k)];
    this.configuredIndex = configured.map((_, i) => (i + k) % configured.length);
  }

  get done(): boolean {
    return this.finished;
  }

  private get steps(): number {
    return this.servers.length * this.preset.attempts(this.conf);
  }

  private position(step: number): { server: number; attempt: number } {
    const n = this.servers.length;
    if (this.preset.order === 'round-robin') return { server: step % n, attempt: Math.floor(step / n) };
    const per = this.preset.attempts(this.conf);
    return { server: Math.floor(step / per), attempt: step % per };
  }

  start(now: SimTime): LookupAction[] {
    if (this.servers.length === 0) return this.finish({ kind: 'no-servers', at: now, lastName: this.candidates[0] ?? this.name, refused: null });
    return this.send(now);
  }

  private send(now: SimTime): LookupAction[] {
    const { server, attempt } = this.position(this.step);
    const name = this.candidates[this.candidate]!;
    const id = this.rng.int(0, 0xffff);
    const message = dnsQuery(id, name, this.type);
    const o = { id, serverIndex: server, name };
    if (!this.preset.acceptsLateReplies) this.outstanding = [];
    this.outstanding.push(o);
    this.current = o;
    const waitIndex = this.rotation?.waitByConfiguredIndex === true ? this.configuredIndex[server]! : server;
    const wait = this.preset.wait(this.conf, waitIndex, this.servers.length, attempt);
    return [
      { kind: 'send', server: this.servers[server]!, serverIndex: server, bytes: emitDns(message), message },
      { kind: 'timer', at: now + wait },
    ];
  }

  private finish(outcome: LookupOutcome): LookupAction[] {
    this.finished = true;
    this.outstanding = [];
    this.current = null;
    return [{ kind: 'done', outcome }];
  }

  /** Moves to the next (server, attempt), or the next search candidate, or gives up. */
  private advance(now: SimTime, notes: LookupAction[]): LookupAction[] {
    this.step++;
    if (this.step < this.steps) return [...notes, ...this.send(now)];
    return [...notes, ...this.finish({ kind: 'no-servers', at: now, lastName: this.candidates[this.candidate]!, refused: this.lastRefused })];
  }

  private addr(i: number): string {
    const a = this.servers[i]!;
    return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
  }

  onTimer(now: SimTime): LookupAction[] {
    if (this.finished || this.current === null) return [];
    const notes: LookupAction[] = [];
    if (this.preset.chatty === 'bind-9.18') notes.push({ kind: 'note', text: `;; communications error to ${this.addr(this.current.serverIndex)}#53: timed out` });
    return this.advance(now, notes);
  }

  /** An ICMP port (or host) unreachable about a query to `server`. */
  onUnreachable(now: SimTime, server: Ipv4Addr): LookupAction[] {
    if (this.finished || this.current === null || this.servers[this.current.serverIndex] !== server) return [];
    switch (this.preset.onUnreachable) {
      case 'ignore':
        return [];
      case 'next-server': {
        // glibc: the whole server is skipped for this try (send_dg returns, loop goes to ns + 1).
        return this.advance(now, []);
      }
      case 'next-attempt':
        return this.advance(now, [{ kind: 'note', text: `;; communications error to ${this.addr(this.current.serverIndex)}#53: connection refused` }]);
    }
  }

  /** A UDP message from `server` to our socket. Returns [] for anything not an answer to us. */
  onResponse(now: SimTime, server: Ipv4Addr, bytes: Uint8Array): LookupAction[] {
    if (this.finished) return [];
    const reply = tryParseDns(bytes);
    if (reply instanceof WireError || !reply.response) return [];
    const o = this.outstanding.find((x) => x.id === reply.id && this.servers[x.serverIndex] === server);
    if (o === undefined) return [];
    const q = reply.questions[0];
    if (q !== undefined && (q.name.toLowerCase() !== o.name.toLowerCase() || q.type !== this.type)) return [];
    const isLast = o.serverIndex === this.servers.length - 1;
    if (this.preset.nextServerOn.includes(reply.rcode)) {
      if (reply.rcode === DnsRcode.REFUSED) this.lastRefused = reply;
      if (this.preset.chatty === 'silent' || !isLast) {
        const notes: LookupAction[] = this.preset.chatty === 'silent' ? [] : [{ kind: 'note', text: `;; Got SERVFAIL reply from ${this.addr(o.serverIndex)}#53, trying next server` }];
        if (o !== this.current) return [];
        return this.advance(now, notes);
      }
    }
    const notes: LookupAction[] = [];
    if (this.preset.checkRa && !reply.ra) {
      if (!isLast) {
        if (this.preset.chatty === 'bind-9.10') notes.push({ kind: 'note', text: `;; Got recursion not available from ${this.addr(o.serverIndex)}#53, trying next server` });
        else notes.push({ kind: 'note', text: `;; Got recursion not available from ${this.addr(o.serverIndex)}, trying next server` });
        // dighost.c: the next query in the list is sent now; the lookup goes on with it.
        this.step = this.preset.order === 'round-robin' ? o.serverIndex : o.serverIndex * this.preset.attempts(this.conf) + this.preset.attempts(this.conf) - 1;
        return this.advance(now, notes);
      }
      // 9.18 nslookup (measured) notes it for the last server too, on a NOERROR reply only.
      if (this.preset.chatty === 'bind-9.18' && reply.rcode === DnsRcode.NOERROR) notes.push({ kind: 'note', text: `;; Got recursion not available from ${this.addr(o.serverIndex)}` });
    }
    // Search list: a name error (and for glibc, no data) moves to the next candidate.
    const nodata = reply.rcode === DnsRcode.NOERROR && reply.answers.length === 0;
    const tryNext = reply.rcode === DnsRcode.NXDOMAIN || (this.preset.chatty === 'silent' && nodata);
    if (tryNext && this.candidate < this.candidates.length - 1) {
      this.candidate++;
      this.step = 0;
      // Each search candidate is a res_send of its own: the rotation moves on.
      if (this.rotation !== null) this.rotateFor(this.candidate);
      return [...notes, ...this.send(now)];
    }
    return [...notes, ...this.finish({ kind: 'reply', server, name: o.name, message: reply, at: now })];
  }
}

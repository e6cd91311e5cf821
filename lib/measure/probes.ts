/**
 * Probes: measurements that run inside one simulation, concurrently with failures, and record tidy
 * rows. They are scheduled on the lab's scheduler and never drive it: start them, then run the lab
 * (`lab.runUntil(...)`), then read `probe.rows`.
 *
 * - `startPingProbe`: `ping -i <interval> <target>` from a client, one row per echo request.
 * - `startNslookupLoop`: the write-up's §4.3.5 loop, `while …; do if ping -c1 <anycast>; then
 *   nslookup test; fi; done`, one row per iteration; the `test` address in the answer tells which
 *   server replied (xenial1's zone has 10.128.1.1, xenial2's 10.128.2.2).
 *
 * NOTE: a probe's process is not a NetNode service: halting the client ends it (the node drops its
 * ICMP listeners and sockets), and its remaining echoes are recorded as timeouts.
 */
import type { Duration, SimTime } from '../sim/time';
import { formatDuration, seconds } from '../sim/time';
import type { LookupOutcome, ResolverPreset } from '../proto/dns/resolver';
import type { EventHandle } from '../sim/scheduler';
import type { IcmpMessage, Ipv4Addr, Ipv4Packet } from '../wire/types';
import { IPPROTO_ICMP } from '../wire/types';
import { ipv4ToString, tryParseIpv4 } from '../wire/addr';
import { parseInvoking } from '../wire/icmp';
import type { NetNode } from '../net/node';
import type { Lab } from '../lab/lab';
import { namedOf, nodeDns } from '../lab/dns';
import type { ConsoleProcess } from '../lab/consoles/process';
import { dnsTools } from './dns-tools';
import type { DnsProbeRow, NslookupRow, PingRow } from '../results/probes';


export interface PingProbeOptions {
  client: string;
  /** Address to ping (dotted quad). */
  target: string;
  /** `ping -i`. @defaultValue 1 s */
  interval?: Duration;
  /** First echo at this time. @defaultValue the lab's current time */
  from?: SimTime;
  /** No echo is sent at or after this time. @defaultValue never (stop() or the end of the run) */
  until?: SimTime;
  /**
   * An echo with neither reply nor ICMP error within this time is a `timeout` (a later reply is
   * ignored, as iputils ignores one for a sequence number it has given up on).
   * @defaultValue 5 s
   */
  timeout?: Duration;
  /** IP TTL of the echo requests. @defaultValue 64 (Linux) */
  ttl?: number;
}

export interface Probe<Row> {
  /** Rows so far, in send order. Rows still waiting for an outcome are not included. */
  readonly rows: Row[];
  /** Stops sending; outstanding requests are recorded as timeouts at once. */
  stop(): void;
}

function targetAddress(text: string): Ipv4Addr {
  const a = tryParseIpv4(text);
  if (a === null) throw new Error(`probe target: expected an IPv4 address such as 10.128.224.2, got "${text}"`);
  return a;
}

function clientNode(lab: Lab, name: string): NetNode {
  const node = lab.network.nodes.get(name);
  if (node === undefined) throw new Error(`probe client: no node "${name}" in lab ${lab.spec.name} (nodes: ${[...lab.network.nodes.keys()].join(', ')})`);
  return node;
}

const PING_PAYLOAD = (() => {
  const data = new Uint8Array(56);
  for (let i = 8; i < data.length; i++) data[i] = i & 0xff;
  return data;
})();

/**
 * What became of one echo request: `reply`, `unreachable` (an ICMP error, or no route at the
 * client: then `from` is null) or `timeout`, with the reply's or error's source, the reply's TTL
 * and the round trip (null on a timeout).
 */
type EchoDone = (seq: number, outcome: PingRow['outcome'], from: string | null, ttl: number | null, rttMs: number | null) => void;

/**
 * Sends echo requests with one ICMP identifier and matches replies and errors to them.
 * `send(seq)` leads to exactly one call of `done` for that seq: at the reply, the ICMP error, or the
 * timeout. Per echo it keeps only its timeout's handle (the send time is the handle's time less the
 * timeout): a probe sends hundreds of echoes a run, and a distribution hundreds of runs.
 */
class Echoer {
  private readonly id: number;
  private readonly pending = new Map<number, EventHandle>();
  private removeListener: (() => void) | null = null;
  /** The last reply's or error's source and its text: a probe hears from one or two addresses a run. */
  private lastFrom: Ipv4Addr = -1;
  private lastFromText = '';

  constructor(
    readonly node: NetNode,
    readonly dst: Ipv4Addr,
    readonly timeout: Duration,
    readonly ttl: number,
    private readonly done: EchoDone,
  ) {
    this.id = node.rng.fork(`probe/ping/${ipv4ToString(dst)}`).int(1, 0xffff);
  }

  private readonly onIcmp = (msg: IcmpMessage, packet: Ipv4Packet): void => {
    if (msg.kind === 'echo-reply') {
      if (msg.id === this.id) this.finish(msg.seq, 'reply', packet.src, packet.ttl);
      return;
    }
    if (msg.kind === 'dest-unreachable' || msg.kind === 'time-exceeded') {
      const q = parseInvoking(msg.invoking);
      if (q === null || q.protocol !== IPPROTO_ICMP || q.icmpId !== this.id || q.icmpSeq === null) return;
      this.finish(q.icmpSeq, 'unreachable', packet.src, null);
    }
  };

  private readonly onTimeout = (_now: SimTime, seq: number): void => {
    this.pending.delete(seq);
    this.done(seq, 'timeout', null, null, null);
  };

  private listen(): void {
    // The node drops its listeners when it halts; add ours again (cheap: one Set delete and add).
    if (this.removeListener !== null) this.removeListener();
    this.removeListener = this.node.addIcmpListener(this.onIcmp);
  }

  private fromText(src: Ipv4Addr): string {
    if (src !== this.lastFrom) {
      this.lastFrom = src;
      this.lastFromText = ipv4ToString(src);
    }
    return this.lastFromText;
  }

  private finish(seq: number, outcome: 'reply' | 'unreachable', src: Ipv4Addr, ttl: number | null): void {
    const timer = this.pending.get(seq);
    if (timer === undefined) return;
    this.pending.delete(seq);
    timer.cancel();
    this.done(seq, outcome, this.fromText(src), ttl, (this.node.now - (timer.at - this.timeout)) / 1000);
  }

  send(seq: number): void {
    const node = this.node;
    this.listen();
    const result = node.running
      ? node.sendIp({ tos: 0, id: node.nextIpId(), dontFragment: true, moreFragments: false, fragmentOffset: 0, ttl: this.ttl, protocol: IPPROTO_ICMP, src: 0, dst: this.dst, payload: { kind: 'echo-request', id: this.id, seq, data: PING_PAYLOAD } })
      : 'down';
    if (result === 'no-route') {
      // ping: "connect: Network is unreachable".
      this.done(seq, 'unreachable', null, null, 0);
      return;
    }
    this.pending.set(seq, node.scheduler.at2(node.now + this.timeout, this.onTimeout, seq, undefined));
  }

  /** Gives up on every outstanding echo now. */
  abandon(): void {
    for (const [seq, timer] of [...this.pending]) {
      this.pending.delete(seq);
      timer.cancel();
      this.done(seq, 'timeout', null, null, null);
    }
    this.removeListener?.();
    this.removeListener = null;
  }
}

/**
 * The clock of a periodic probe: `send(seq, now)` every `interval` from `start` until `until`; the
 * send's outcome comes back through `publish(seq, row)`, and rows are kept in send order, each
 * waiting until every earlier one is known (a late timeout must not reorder the rows). `abandon` is
 * called once by `stop()`.
 */
class PeriodicProbe<Row> implements Probe<Row> {
  readonly rows: Row[] = [];
  /** Rows that came before an earlier one, by seq (1-based); empty while outcomes come in order. */
  private readonly early = new Map<number, Row>();
  private seq = 0;
  private stopped = false;
  private next: EventHandle | null;
  /** Each probe's send time, by seq − 1. */
  private readonly sentAt: SimTime[] = [];

  constructor(
    private readonly node: NetNode,
    start: SimTime,
    private readonly until: SimTime,
    private readonly interval: Duration,
    private readonly sendProbe: (seq: number, now: SimTime) => void,
    private readonly abandon: () => void,
  ) {
    this.next = node.scheduler.at(start, this.tick);
  }

  private readonly tick = (now: SimTime): void => {
    this.next = null;
    if (this.stopped || now >= this.until) return;
    const s = ++this.seq;
    this.sentAt.push(now);
    this.sendProbe(s, now);
    this.next = this.node.scheduler.at(now + this.interval, this.tick);
  };

  /** When probe `seq` was sent. */
  sentTime(seq: number): SimTime {
    return this.sentAt[seq - 1]!;
  }

  publish(seq: number, row: Row): void {
    const rows = this.rows;
    if (seq !== rows.length + 1) {
      this.early.set(seq, row);
      return;
    }
    rows.push(row);
    if (this.early.size === 0) return;
    for (let r = this.early.get(rows.length + 1); r !== undefined; r = this.early.get(rows.length + 1)) {
      this.early.delete(rows.length + 1);
      rows.push(r);
    }
  }

  stop(): void {
    this.stopped = true;
    this.next?.cancel();
    this.abandon();
  }
}

/**
 * `ping -i <interval> <target>` on `client`, from `from` on: one row per echo request. Runs as the
 * lab runs; read `rows` afterwards.
 */
export function startPingProbe(lab: Lab, options: PingProbeOptions): Probe<PingRow> {
  const node = clientNode(lab, options.client);
  const interval = options.interval ?? seconds(1);
  if (interval <= 0) throw new Error('ping probe: interval must be longer than 0s');
  const target = targetAddress(options.target);
  const start = Math.max(options.from ?? lab.now, lab.now);
  const until = options.until ?? Number.POSITIVE_INFINITY;
  const echo: Echoer = new Echoer(node, target, options.timeout ?? seconds(5), options.ttl ?? 64, (seq, outcome, from, ttl, rttMs) =>
    probe.publish(seq, { t: probe.sentTime(seq), probe: 'ping', seq, outcome, from, ttl, rttMs }),
  );
  const probe: PeriodicProbe<PingRow> = new PeriodicProbe<PingRow>(node, start, until, interval, (seq) => echo.send(seq), () => echo.abandon());
  return probe;
}

export interface NslookupLoopOptions {
  client: string;
  /** The anycast address: pinged, and the server nslookup asks. @defaultValue '10.128.224.2' */
  target?: string;
  /** The name looked up. @defaultValue 'test' (the search list makes it test.home) */
  name?: string;
  /**
   * Iterations start every `interval`; one that runs longer (a 10 s ping timeout, nslookup's 15 s of
   * retries) delays the next, which then starts as soon as it ends, as the shell loop would.
   * @defaultValue 1 s
   */
  interval?: Duration;
  from?: SimTime;
  until?: SimTime;
  /** How long `ping -c1` waits for a reply when nothing comes back (iputils' -W default). @defaultValue 10 s */
  pingWait?: Duration;
  /**
   * Address of `name` → server name. @defaultValue read from each named's zones (every node that runs
   * named and has an A record for the name)
   */
  servers?: Record<string, string>;
}

/** Which named holds which address for `name` (searched as written and with each search domain). */
export function serversByAnswer(lab: Lab, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const node of lab.network.nodes.values()) {
    const named = namedOf(node);
    if (named === null) continue;
    const domains = ['', ...nodeDns(node).resolvConf.search];
    for (const zone of named.options.core.zones) {
      for (const d of domains) {
        const fqdn = d === '' ? name : `${name}.${d}`;
        const found = zone.lookup(fqdn, 'A');
        if (found.kind !== 'answer') continue;
        for (const r of found.records) if (r.type === 'A' && typeof r.data === 'string') out[r.data] = node.name;
      }
    }
  }
  return out;
}

const RCODE_OUTCOME: Record<number, DnsProbeRow['outcome']> = { 2: 'servfail', 3: 'nxdomain', 5: 'refused' };

/** What a lookup came to, as the probes' rows say it: the answer's address and so its server, or why none. */
export function lookupResult(o: LookupOutcome, servers: Readonly<Record<string, string>>): { outcome: DnsProbeRow['outcome']; server: string | null; address: string | null } {
  if (o.kind === 'no-servers') return { outcome: o.refused !== null ? 'refused' : 'timeout', server: null, address: null };
  const rcodeOutcome = RCODE_OUTCOME[o.message.rcode];
  if (rcodeOutcome !== undefined) return { outcome: rcodeOutcome, server: null, address: null };
  let address: string | null = null;
  for (const r of o.message.answers) if (address === null && r.type === 'A' && typeof r.data === 'string') address = r.data;
  return { outcome: address === null ? 'nxdomain' : 'answer', server: address === null ? null : (servers[address] ?? null), address };
}

/**
 * A tool preset that asks once and waits `timeout`, as `dig +tries=1 +time=<timeout>` does: every
 * other trait (ICMP handling, late replies) stays the preset's.
 */
export function singleTry(preset: ResolverPreset, timeout: Duration): ResolverPreset {
  return { ...preset, name: `${preset.name} +tries=1 +time=${formatDuration(timeout)}`, wait: () => timeout, attempts: () => 1 };
}

/**
 * The write-up's take-over test (§4.3.5) on `client`: every `interval`, `ping -c1 <target>` and, if
 * it answers, `nslookup <name> <target>`.
 */
export function startNslookupLoop(lab: Lab, options: NslookupLoopOptions): Probe<NslookupRow> {
  const node = clientNode(lab, options.client);
  const targetText = options.target ?? '10.128.224.2';
  const target = targetAddress(targetText);
  const name = options.name ?? 'test';
  const interval = options.interval ?? seconds(1);
  if (interval <= 0) throw new Error('nslookup loop: interval must be longer than 0s');
  const servers = options.servers ?? serversByAnswer(lab, name);
  // One echo at a time: each iteration's `ping -c1` says what it came to here.
  let onPing: ((outcome: PingRow['outcome'], from: string | null) => void) | null = null;
  const echo = new Echoer(node, target, options.pingWait ?? seconds(10), 64, (_seq, outcome, from) => onPing?.(outcome, from));
  const rows: NslookupRow[] = [];
  const start = Math.max(options.from ?? lab.now, lab.now);
  const until = options.until ?? Number.POSITIVE_INFINITY;
  let seq = 0;
  let stopped = false;
  let next: EventHandle | null = null;
  let current: ConsoleProcess | null = null;

  const iteration = (startedAt: SimTime) => {
    next = null;
    if (stopped || startedAt >= until) return;
    const finish = (row: Omit<NslookupRow, 't' | 'probe'>) => {
      current = null;
      rows.push({ t: startedAt, probe: 'nslookup', ...row });
      if (stopped) return;
      const at = Math.max(startedAt + interval, node.now);
      next = node.scheduler.at(at, iteration);
    };
    onPing = (outcome, from) => {
      if (stopped) return;
      if (outcome !== 'reply') {
        finish({ outcome: 'ping-failed', server: null, address: null, latencyMs: null, icmpSeen: outcome === 'unreachable' && from !== null });
        return;
      }
      // ping -c1 exits when the reply is in and nslookup starts at once. NOTE: the tools' start-up cost
      // (TOOL_OVERHEAD in consoles/dns.ts) is left out: latencyMs is the lookup's own time.
      const d = nodeDns(node);
      const conf = { ...d.resolvConf, nameservers: [target] };
      // A private process: never exited through exit(), which would stop the scheduler of the whole run.
      const p = dnsTools().newProcess(node.scheduler);
      current = p;
      const began = node.now;
      let icmpSeen = false;
      const removeIcmp = node.addIcmpListener((msg) => {
        if (msg.kind === 'dest-unreachable') icmpSeen = true;
      });
      dnsTools().startLookup(p, node, name, 'A', conf, d.tools, () => {}, (o) => {
        p.exited = true;
        removeIcmp();
        finish({ ...lookupResult(o, servers), latencyMs: (node.now - began) / 1000, icmpSeen });
      });
    };
    echo.send(++seq);
  };
  next = node.scheduler.at(start, iteration);
  return {
    rows,
    stop() {
      stopped = true;
      next?.cancel();
      if (current !== null) current.exited = true;
      echo.abandon();
    },
  };
}

export interface DnsProbeOptions {
  client: string;
  /** The server asked (dig @target). @defaultValue '10.128.224.2' (the anycast address) */
  target?: string;
  /** The name looked up, with the client's search list. @defaultValue 'test' */
  name?: string;
  /** A query every interval, whether the last one has finished or not. @defaultValue 1 s */
  interval?: Duration;
  /** `dig +tries=1 +time=<timeout>`. @defaultValue 1 s */
  timeout?: Duration;
  from?: SimTime;
  until?: SimTime;
  /** Address of `name` → server name. @defaultValue read from each named's zones (`serversByAnswer`) */
  servers?: Record<string, string>;
}

/**
 * `dig +tries=1 +time=1 @<target> <name>` on `client` every `interval`, each a process of its own
 * (with the node's tool preset, and without the tools' start-up cost: `latencyMs` is the lookup's).
 * The DNS counterpart of `startPingProbe`: a server whose named is stopped still answers pings.
 */
export function startDnsProbe(lab: Lab, options: DnsProbeOptions): Probe<DnsProbeRow> {
  const node = clientNode(lab, options.client);
  const target = targetAddress(options.target ?? '10.128.224.2');
  const name = options.name ?? 'test';
  const interval = options.interval ?? seconds(1);
  if (interval <= 0) throw new Error('dns probe: interval must be longer than 0s');
  const timeout = options.timeout ?? seconds(1);
  if (timeout <= 0) throw new Error('dns probe: timeout must be longer than 0s');
  const servers = options.servers ?? serversByAnswer(lab, name);
  const pending = new Map<number, { p: ConsoleProcess; finish: (row: Omit<DnsProbeRow, 't' | 'probe' | 'seq'>) => void }>();
  const start = Math.max(options.from ?? lab.now, lab.now);
  const until = options.until ?? Number.POSITIVE_INFINITY;
  const timedOut = { outcome: 'timeout', server: null, address: null, latencyMs: null, icmpSeen: false } as const;
  const send = (s: number, now: SimTime) => {
    const p = dnsTools().newProcess(node.scheduler);
    let icmpSeen = false;
    const removeIcmp = node.addIcmpListener((msg) => {
      if (msg.kind === 'dest-unreachable') icmpSeen = true;
    });
    const finish = (row: Omit<DnsProbeRow, 't' | 'probe' | 'seq'>) => {
      if (p.exited) return;
      p.exited = true;
      pending.delete(s);
      removeIcmp();
      probe.publish(s, { t: now, probe: 'dns', seq: s, ...row });
    };
    pending.set(s, { p, finish });
    // NOTE: as in the nslookup loop, dig's start-up cost (TOOL_OVERHEAD) is left out: the query leaves at the tick.
    if (!node.running) {
      finish(timedOut);
      return;
    }
    const d = nodeDns(node);
    dnsTools().startLookup(p, node, name, 'A', { ...d.resolvConf, nameservers: [target] }, singleTry(d.tools, timeout), () => {}, (o) => {
      const r = lookupResult(o, servers);
      finish({ ...r, latencyMs: r.outcome === 'timeout' ? null : (node.now - now) / 1000, icmpSeen });
    });
  };
  const probe: PeriodicProbe<DnsProbeRow> = new PeriodicProbe<DnsProbeRow>(node, start, until, interval, send, () => {
    for (const q of [...pending.values()]) q.finish(timedOut);
  });
  return probe;
}

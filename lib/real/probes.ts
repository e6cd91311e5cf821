/**
 * Probes on the real lab, with rows in the simulator's format (lib/measure/probes.ts PingRow): iputils
 * `ping` run in the client's namespace, bounded by count and by deadline, its output read back into
 * one row per echo request. Times are microseconds since the lab's `up` started, as the
 * simulator's are since boot.
 */
import { spawn } from 'node:child_process';
import type { DnsProbeRow, PingRow } from '../results/probes';
import { ms, seconds, toMs, toSeconds, type Duration, type SimTime } from '../sim/time';
import type { RealLab } from './lab';
import { nodePlan } from './lab';
import { StateJournal } from './state';
import { processStartTime, RealLabError, type TrackedProcess } from './system';

export interface RealPingOptions {
  client: string;
  target: string;
  /** @defaultValue 1 s */
  interval?: Duration;
  /** Echo requests to send: the probe's bound. */
  count: number;
  /** A reply later than this is a timeout (iputils `-W`). @defaultValue 5 s, as the simulator's probe */
  timeout?: Duration;
}

/** A running ping: `done` resolves with its rows when it has sent `count` requests and waited for the last. */
export interface RealPing {
  process: TrackedProcess;
  done: Promise<PingRow[]>;
}

/** The time since the lab's start, in microseconds, of a wall-clock instant in seconds since the epoch. */
export function labTime(lab: RealLab, epochSeconds: number): SimTime {
  return Math.round(epochSeconds * 1e6 - lab.state.startedAtMs * 1e3);
}

/**
 * Reads `ping -D -O -n` output into rows. Send times: a reply's receive stamp minus its round trip;
 * the others from the first reply's send time and the interval (iputils sends on a fixed schedule);
 * `spawnedAt` (epoch seconds) when no echo was answered.
 */
export function parsePingOutput(text: string, o: { count: number; interval: Duration; timeout: Duration; spawnedAt: number; toLabTime: (epochSeconds: number) => SimTime }): PingRow[] {
  const replies = new Map<number, { sent: number; ttl: number; rttMs: number; from: string }>();
  const errors = new Map<number, { at: number; from: string }>();
  for (const line of text.split('\n')) {
    const stamp = /^\[(\d+\.\d+)\]\s*(.*)$/.exec(line);
    if (stamp === null) continue;
    const at = Number(stamp[1]);
    const body = stamp[2]!;
    const reply = /^\d+ bytes from ([\d.]+): icmp_seq=(\d+) ttl=(\d+) time=([\d.]+) ms(.*)$/.exec(body);
    if (reply !== null) {
      const seq = Number(reply[2]);
      if (reply[5]!.includes('DUP!') || replies.has(seq)) continue;
      const rttMs = Number(reply[4]);
      replies.set(seq, { sent: at - rttMs / 1000, ttl: Number(reply[3]), rttMs, from: reply[1]! });
      continue;
    }
    const error = /^From ([\d.]+)(?: icmp_seq=(\d+))? (Destination .*Unreachable|Time to live exceeded)/.exec(body);
    if (error !== null && error[2] !== undefined) {
      const seq = Number(error[2]);
      if (!errors.has(seq)) errors.set(seq, { at, from: error[1]! });
    }
  }
  const intervalS = toSeconds(o.interval);
  const firstReply = [...replies.entries()].sort((a, b) => a[0] - b[0])[0];
  const t0 = firstReply === undefined ? o.spawnedAt : firstReply[1].sent - (firstReply[0] - 1) * intervalS;
  const rows: PingRow[] = [];
  for (let seq = 1; seq <= o.count; seq++) {
    const scheduled = t0 + (seq - 1) * intervalS;
    const r = replies.get(seq);
    if (r !== undefined && r.rttMs * 1000 <= o.timeout) {
      rows.push({ t: o.toLabTime(r.sent), probe: 'ping', seq, outcome: 'reply', from: r.from, ttl: r.ttl, rttMs: r.rttMs });
      continue;
    }
    const e = errors.get(seq);
    if (e !== undefined) rows.push({ t: o.toLabTime(scheduled), probe: 'ping', seq, outcome: 'unreachable', from: e.from, ttl: null, rttMs: Math.max(0, (e.at - scheduled) * 1000) });
    else rows.push({ t: o.toLabTime(scheduled), probe: 'ping', seq, outcome: 'timeout', from: null, ttl: null, rttMs: null });
  }
  return rows;
}

/** Starts `ping -c count -i interval -W timeout -w deadline` in the client's namespace. */
export function startRealPing(lab: RealLab, o: RealPingOptions): RealPing {
  const n = nodePlan(lab, o.client);
  if (!Number.isSafeInteger(o.count) || o.count < 1) throw new RealLabError(`ping count: expected a whole number ≥ 1, got ${o.count}`);
  const interval = o.interval ?? seconds(1);
  const timeout = o.timeout ?? seconds(5);
  if (interval < ms(200)) throw new RealLabError('ping interval: at least 200 ms (iputils refuses less to non-root, and the lab needs no more)');
  // The count bounds the probe, and so does a deadline of our own: every request sent, the last one
  // waited for. Not ping's `-w`: with a deadline iputils exits at the first ICMP error, which is
  // exactly what a failover probe must record and go on from.
  const deadlineMs = toMs(interval) * o.count + toMs(timeout) + 2_000;
  const argv = ['ping', '-n', '-D', '-O', '-c', String(o.count), '-i', String(toSeconds(interval)), '-W', String(toSeconds(timeout)), o.target];
  const spawnedAt = Date.now() / 1000;
  const child = spawn('ip', ['netns', 'exec', n.ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new RealLabError(`could not start ping in ${n.ns}`);
  const process: TrackedProcess = { pid: child.pid, startTime: processStartTime(child.pid) ?? '', node: o.client, role: 'ping', argv, log: '' };
  new StateJournal(lab.stateFile, lab.state).recordProcess(process);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const done = new Promise<PingRow[]>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.on('error', (e) => reject(new RealLabError(`ping in ${n.ns}: ${e.message}`)));
    child.on('close', () => {
      clearTimeout(timer);
      resolve(parsePingOutput(out, { count: o.count, interval, timeout, spawnedAt, toLabTime: (s) => labTime(lab, s) }));
    });
  });
  return { process, done };
}

const DIG_STATUS: Record<string, DnsProbeRow['outcome']> = { NXDOMAIN: 'nxdomain', SERVFAIL: 'servfail', REFUSED: 'refused' };

/**
 * Reads one `dig +tries=1 +time=<t>` output. `connection refused` and `host unreachable` are ICMP
 * errors that reached dig; `servers` maps an answer's address to the server holding it.
 */
export function parseDigOutput(text: string, servers: Readonly<Record<string, string>>): Pick<DnsProbeRow, 'outcome' | 'server' | 'address' | 'icmpSeen'> {
  const icmpSeen = /connection refused|host unreachable|network unreachable/i.test(text);
  const status = /status: ([A-Z]+)/.exec(text)?.[1];
  if (status === undefined) return { outcome: 'timeout', server: null, address: null, icmpSeen };
  const rcode = DIG_STATUS[status];
  if (rcode !== undefined) return { outcome: rcode, server: null, address: null, icmpSeen };
  const address = /^\S+\s+\d+\s+IN\s+A\s+([\d.]+)$/m.exec(text)?.[1] ?? null;
  return { outcome: address === null ? 'nxdomain' : 'answer', server: address === null ? null : (servers[address] ?? null), address, icmpSeen };
}

export interface RealDnsProbeOptions {
  client: string;
  /** @defaultValue '10.128.224.2' */
  target?: string;
  /** @defaultValue 'test' (each server's zone gives it another address: the answer names the server) */
  name?: string;
  interval: Duration;
  /** Queries to send: the probe's bound. */
  count: number;
  /** dig `+time`. @defaultValue 1 s */
  timeout?: Duration;
  /** Answer address → server, e.g. from `serversByAnswer`. */
  servers: Readonly<Record<string, string>>;
}

/**
 * `dig +tries=1 +time=1 @target name` every interval from the client, `count` times: one process per
 * query as the write-up's shell loop, each killed if it outlives its timeout by 2 s.
 * NOTE: the send time is when dig is spawned; dig's own start-up (a few ms here) is in its latency.
 */
export function startRealDnsProbe(lab: RealLab, o: RealDnsProbeOptions): { done: Promise<DnsProbeRow[]> } {
  const n = nodePlan(lab, o.client);
  if (!Number.isSafeInteger(o.count) || o.count < 1) throw new RealLabError(`dns probe count: expected a whole number ≥ 1, got ${o.count}`);
  const timeout = o.timeout ?? seconds(1);
  const target = o.target ?? '10.128.224.2';
  const name = o.name ?? 'test';
  // Each dig lives at most timeout + 2 s and is not written to the state file: `down` stops
  // whatever still runs in the lab's namespaces, these included.
  const one = (seq: number): Promise<DnsProbeRow> =>
    new Promise((resolve) => {
      const sentAt = Date.now();
      const argv = ['dig', '+tries=1', `+time=${Math.max(1, Math.round(toSeconds(timeout)))}`, `@${target}`, name, '+search'];
      const child = spawn('ip', ['netns', 'exec', n.ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), toMs(timeout) + 2_000);
      const finish = (): void => {
        clearTimeout(timer);
        const r = parseDigOutput(out, o.servers);
        resolve({ t: labTime(lab, sentAt / 1000), probe: 'dns', seq, ...r, latencyMs: r.outcome === 'timeout' ? null : Date.now() - sentAt });
      };
      child.on('error', finish);
      child.on('close', finish);
    });
  const done = (async () => {
    const pending: Promise<DnsProbeRow>[] = [];
    const start = Date.now();
    for (let seq = 1; seq <= o.count; seq++) {
      await new Promise((r) => setTimeout(r, Math.max(0, start + (seq - 1) * toMs(o.interval) - Date.now())));
      pending.push(one(seq));
    }
    return Promise.all(pending);
  })();
  return { done };
}

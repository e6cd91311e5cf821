/**
 * Probes on the real lab, with rows in the simulator's format (lib/lab/probes.ts PingRow): iputils
 * `ping` run in the client's namespace, bounded by count and by deadline, its output read back into
 * one row per echo request. Times are microseconds since the lab's `up` started, as the
 * simulator's are since boot.
 */
import { spawn } from 'node:child_process';
import type { PingRow } from '../lab/probes';
import { ms, seconds, toSeconds, type Duration, type SimTime } from '../sim/time';
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
  // The deadline bounds the probe even if replies stop coming: every request sent, the last one waited for.
  const deadline = Math.ceil(toSeconds(interval) * o.count + toSeconds(timeout) + 1);
  const argv = ['ping', '-n', '-D', '-O', '-c', String(o.count), '-i', String(toSeconds(interval)), '-W', String(toSeconds(timeout)), '-w', String(deadline), o.target];
  const spawnedAt = Date.now() / 1000;
  const child = spawn('ip', ['netns', 'exec', n.ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new RealLabError(`could not start ping in ${n.ns}`);
  const process: TrackedProcess = { pid: child.pid, startTime: processStartTime(child.pid) ?? '', node: o.client, role: 'ping', argv, log: '' };
  new StateJournal(lab.stateFile, lab.state).recordProcess(process);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const done = new Promise<PingRow[]>((resolve, reject) => {
    child.on('error', (e) => reject(new RealLabError(`ping in ${n.ns}: ${e.message}`)));
    child.on('close', () => resolve(parsePingOutput(out, { count: o.count, interval, timeout, spawnedAt, toLabTime: (s) => labTime(lab, s) })));
  });
  return { process, done };
}

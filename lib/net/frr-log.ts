/**
 * The log of a node's FRR daemons (ripd, bfdd): what they write to the file `log file` names, or to
 * syslog without one. Daemons add messages with FRR's texts; a `debug` message is kept only while the
 * matching `debug …` command is on (FRR's IS_RIP_DEBUG_EVENT, bglobal.debug_peer_event), as zlog_debug
 * writes nothing below the log's level otherwise.
 *
 * Lines are written the way FRR's file target writes them (lib/zlog_targets.c: "%Y/%m/%d %H:%M:%S",
 * then the daemon's protocol name, "RIP:" or "BFD:", then the text).
 * NOTE: the lab has no calendar: its clock starts at the Unix epoch, so a line reads
 * "1970/01/01 00:02:00 RIP: …" for a message two minutes into the run. FRR 8+ also writes each
 * message's unique id ("[XXXXX-XXXXX]", a hash of its source location) before the text; those ids
 * are not reproduced.
 */
import type { SimTime } from '../sim/time';
import type { NetNode } from './node';
import { ServiceKey } from './service';

export type FrrLogDaemon = 'RIP' | 'BFD';
export type FrrDebugFlag = 'rip events' | 'rip zebra' | 'bfd peer';

export interface FrrLogEntry {
  time: SimTime;
  daemon: FrrLogDaemon;
  level: 'debug' | 'info' | 'warning';
  text: string;
}

export class FrrLog {
  readonly entries: FrrLogEntry[] = [];
  /** The `debug …` commands in force. */
  readonly debug = new Set<FrrDebugFlag>();

  info(time: SimTime, daemon: FrrLogDaemon, text: string): void {
    this.entries.push({ time, daemon, level: 'info', text });
  }

  /** A zlog_debug guarded by a `debug` flag: kept only while the flag is on. */
  debugMessage(flag: FrrDebugFlag, time: SimTime, daemon: FrrLogDaemon, text: string): void {
    if (this.debug.has(flag)) this.entries.push({ time, daemon, level: 'debug', text });
  }

  /** The lines of the log file up to `until`, oldest first. */
  lines(until: SimTime = Number.POSITIVE_INFINITY): string[] {
    return this.entries.filter((e) => e.time <= until).map((e) => `${logTimestamp(e.time)} ${e.daemon}: ${e.text}`);
  }
}

/** FRR's timestamp ("%Y/%m/%d %H:%M:%S", precision 0) of a simulated time counted from the Unix epoch. */
export function logTimestamp(t: SimTime): string {
  const d = new Date(Math.floor(t / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export const FRR_LOG = new ServiceKey<FrrLog>('frr/log');

/** The node's FRR log, made on first use. */
export function frrLogOf(node: NetNode): FrrLog {
  return node.serviceOrCreate(FRR_LOG, () => new FrrLog());
}

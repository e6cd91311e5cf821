/**
 * Tidy rows of the other measurements (routing tables, lookups, client moves, RIP traffic) and the
 * generic row of a sweep: plain data that tables, figures, files and the real lab share.
 */
import type { SimTime } from '../sim/time';
import type { RouteSource } from '../proto/fib';

/** One forwarding entry of a node at time `t` (the simulator's `routeRows`, the real lab's `ip route`). */
export interface RouteRow {
  t: SimTime;
  node: string;
  /** `10.128.4.0/24` */
  prefix: string;
  source: RouteSource;
  /** Next-hop address, or null for a directly connected network. */
  nextHop: string | null;
  iface: string;
  metric: number;
  distance: number;
}

export interface LookupTiming {
  tool: string;
  failure: string;
  /** Wall time of the command as `time` prints it. */
  seconds: number;
  /** The server that answered (nslookup's `Server:` line), or null. */
  server: string | null;
  ok: boolean;
  output: string;
}

/** One lookup of a resolver experiment. */
export interface ResolverLookupRow {
  /** When the lookup's process started. */
  t: SimTime;
  client: string;
  /** The resolver preset (`glibc`, `bind-9.10`, `bind-9.18`), with the rotation model for glibc with rotate. */
  tool: string;
  /** From the first query to the outcome (process start-up excluded, as in startNslookupLoop). */
  latencyMs: number;
  /** An address came back (NOERROR with an A record). */
  ok: boolean;
  /** Address the accepted reply came from (dotted quad), or null when every server failed. */
  server: string | null;
  /**
   * The node that answered: from the answer when the name is one that differs per server (the
   * §4.3.5 `test` host, serversByAnswer), else the owner of `server` when one node has it; null
   * when unknown (an anycast address and a name all servers agree on) or no answer.
   */
  answeredBy: string | null;
}

export interface ClientMoveRow {
  client: string;
  /** The server answering `nslookup test <anycast>` just before the failure (null: none answered). */
  before: string | null;
  /** The same at the end of the run, after routing has settled. */
  after: string | null;
  /** Routers between the client and the server answering its pings before / after (64 − the reply's TTL). */
  hopsBefore: number | null;
  hopsAfter: number | null;
  /** measureFailover's outage for this client: 0 when no ping went unanswered; null if it never recovered. */
  outageSeconds: number | null;
}

/** RIP traffic on one link or LAN over the meter's window. */
export interface RipTrafficRow {
  /** The segment's name (`lab.network.segments`). */
  link: string;
  kind: 'lan' | 'p2p';
  /** RIP packets (requests and responses, every direction). */
  packets: number;
  /** Their frame bytes: Ethernet header + IP + UDP + RIP, padded to 60 (lib/measure/rip-traffic.ts). */
  bytes: number;
  packetsPerSecond: number;
  bytesPerSecond: number;
}

/** A value in a sweep's row, CSV cell or JSON Lines field. */
export type CellValue = number | string | boolean | null;
/** One run of a sweep: its parameters and what the measure made of it, by column name. */
export type Row = Record<string, CellValue>;
/** One point of a sweep's summary (runs, min/median/p90/max, means of cost columns), by column name. */
export type SummaryRow = Record<string, CellValue>;

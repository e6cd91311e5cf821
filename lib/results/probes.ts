/**
 * The rows a probe records, one per echo request, query or loop iteration: plain data, the same for
 * the simulator's probes (lib/measure/probes.ts) and the real lab's (lib/real/probes.ts).
 */
import type { SimTime } from '../sim/time';

/** One echo request of a ping probe. */
export interface PingRow {
  /** When the echo request was sent. */
  t: SimTime;
  probe: 'ping';
  /** icmp_seq, from 1. */
  seq: number;
  /**
   * `reply`: an echo reply; `unreachable`: an ICMP error about this echo (Destination Host
   * Unreachable from a router with no route, TTL exceeded), or no route at the client itself;
   * `timeout`: nothing within the probe's timeout.
   */
  outcome: 'reply' | 'timeout' | 'unreachable';
  /** Source of the reply or ICMP error (dotted quad); null on a timeout or a local "no route". */
  from: string | null;
  /** IP TTL of the echo reply (63 = one router from the write-up's client, 60 = four); null otherwise. */
  ttl: number | null;
  /** Round trip of a reply, or time to the ICMP error; null on a timeout. */
  rttMs: number | null;
}

/** One query of a DNS probe (`dig +tries=1 +time=1 @<anycast> test`). */
export interface DnsProbeRow {
  /** When the query was sent. */
  t: SimTime;
  probe: 'dns';
  /** Query number, from 1. */
  seq: number;
  /**
   * `answer`: an A record came back; `nxdomain` / `servfail` / `refused`: the server said so;
   * `timeout`: nothing within the probe's timeout (dig: ";; connection timed out; no servers could
   * be reached"), ICMP errors included.
   */
  outcome: 'answer' | 'nxdomain' | 'servfail' | 'refused' | 'timeout';
  /** Which server answered, from the address in the answer (null when none answered). */
  server: string | null;
  address: string | null;
  /** From the query to its result; null on a timeout. */
  latencyMs: number | null;
  /** Whether an ICMP Destination Unreachable came back meanwhile (no route on a router, port unreachable). */
  icmpSeen: boolean;
}

/** One iteration of the write-up's §4.3.5 loop. */
export interface NslookupRow {
  /** When the iteration's `ping -c1` was sent. */
  t: SimTime;
  probe: 'nslookup';
  /**
   * `answer`: nslookup printed an address; `nxdomain` / `servfail` / `refused`: the server said so;
   * `timeout`: ";; connection timed out; no servers could be reached" (ICMP port unreachable
   * included: nslookup 9.10 takes it as a failed server too); `ping-failed`: the `ping -c1` got no
   * reply, so the loop did not run nslookup (the write-up's log shows nothing for those).
   */
  outcome: 'answer' | 'nxdomain' | 'servfail' | 'refused' | 'timeout' | 'ping-failed';
  /** Which server answered, from the `test` address in the answer (null when none answered). */
  server: string | null;
  /** The address nslookup printed for `test`. */
  address: string | null;
  /** From the start of nslookup to its result; null when it did not run. */
  latencyMs: number | null;
  /** Whether an ICMP error came back during the iteration (Destination Unreachable for the ping, port unreachable for the query). */
  icmpSeen: boolean;
}

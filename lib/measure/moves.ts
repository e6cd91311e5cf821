/**
 * Which clients move, and where, when one anycast server dies: one row per client with the server
 * answering before and after (told apart by the §4.3.5 `test` host, whose address differs per
 * server), how many routers away each is (from the ping TTL), and the client's outage
 * (measureFailover's: last reply before → first reply after).
 */
import type { SimTime } from '../sim/time';
import { formatDuration, minutes, seconds } from '../sim/time';
import type { LabSpec } from '../config/spec';
import { loadLab } from '../config/load';
import { Lab } from '../lab/lab';
import { installsBind } from '../config/node-dns';
import { measureFailover } from './failover';
import { serversByAnswer } from './probes';
import type { ClientMoveRow } from '../results/rows';


export interface ClientMovesOptions {
  /** A lab folder or a LabSpec already loaded (then `options` is not used). */
  lab: string | LabSpec;
  /** Lab options. @defaultValue `{ do_anycast: true }` */
  options?: Record<string, boolean>;
  /** The FRR release FRR files without a `frr version` line are read as (LoadLabSettings). @defaultValue the lab's */
  frrVersion?: string;
  /** The failure without its time, e.g. `xenial1:halt`. */
  fail: string;
  /** @defaultValue 2 min */
  at?: SimTime;
  /** @defaultValue every Linux node that does not run named */
  clients?: readonly string[];
  /** @defaultValue 10 min after `at` (the write-up's outage is ~4 min) */
  until?: SimTime;
  /** @defaultValue '10.128.224.2' */
  target?: string;
  /** The name whose address differs per server. @defaultValue 'test' */
  name?: string;
  /** @defaultValue 1 */
  seed?: number;
}

/** `nslookup <name> <target>` on each client now: the server its answer names. */
function answering(lab: Lab, clients: readonly string[], name: string, target: string, servers: Record<string, string>): (string | null)[] {
  return clients.map((client) => {
    const out = lab.exec(client, `nslookup ${name} ${target}`);
    const address = /^Name:.*\nAddress: (\S+)/m.exec(out)?.[1];
    return address === undefined ? null : (servers[address] ?? `unknown (${address})`);
  });
}

/** For one failed server: which clients move, where, how far, and for how long they lose the service. */
export function clientMoves(o: ClientMovesOptions): ClientMoveRow[] {
  const spec = typeof o.lab === 'string' ? loadLab(o.lab, o.options ?? { do_anycast: true }, o.frrVersion === undefined ? {} : { frrVersion: o.frrVersion }) : o.lab;
  const at = o.at ?? minutes(2);
  const until = o.until ?? at + minutes(10);
  const target = o.target ?? '10.128.224.2';
  const name = o.name ?? 'test';
  const seed = o.seed ?? 1;
  const clients = o.clients ?? spec.nodes.filter((n) => n.os === 'linux' && n.kind !== 'bridge' && !installsBind(n)).map((n) => n.name);
  if (o.fail.includes('@')) throw new Error(`fail: give the failure without its time (e.g. xenial1:halt), and the time as "at"; got "${o.fail}"`);
  // One run for the DNS answers (before: a few seconds before the failure; after: at the end) ...
  const lab = new Lab(spec, { seed, failures: [`${o.fail}@${formatDuration(at)}`] });
  const servers = serversByAnswer(lab, name);
  lab.runUntil(at - seconds(5));
  const before = answering(lab, clients, name, target, servers);
  lab.runUntil(until);
  const after = answering(lab, clients, name, target, servers);
  // ... and measureFailover's own run per client (same seed: the same routing) for hops and outage.
  return clients.map((client, i) => {
    const f = measureFailover({ lab: spec, client, target, fail: o.fail, at, until, seed });
    const replies = f.rows.filter((r) => r.outcome === 'reply' && r.ttl !== null);
    const last = replies[replies.length - 1];
    return {
      client,
      before: before[i]!,
      after: after[i]!,
      hopsBefore: f.nearTtl === null ? null : 64 - f.nearTtl,
      hopsAfter: last === undefined || last.t < at ? null : 64 - last.ttl!,
      outageSeconds: f.outageSeconds,
    };
  });
}

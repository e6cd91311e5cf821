/**
 * The lookup timings of lib/lab/lookups.ts on the real lab: one name looked up from a client with
 * the first name server healthy, with its named stopped, or halted, per tool (BIND 9.18's nslookup,
 * dig and host, glibc's getent), each case in a fresh lab as the simulator's are. Rows are the
 * simulator's LookupTiming, so the two tables sit side by side.
 *
 * The wall time is measured around the tool's process, `ip netns exec` included (a few ms here).
 */
import { spawnSync } from 'node:child_process';
import type { LookupTiming } from '../results/rows';
import { ms, toMs, type Duration } from '../sim/time';
import { realUp, realDown, REAL_RIP_TIMERS, nodePlan } from './lab';
import { failReal, parseRealFailure } from './failures';
import { waitForConvergence, realVersions, type RealVersions } from './observe';
import { assertClean } from './teardown';
import { RealLabError, sleepMs } from './system';

export interface RealLookupCase {
  /** Shown in tables, e.g. `nslookup (BIND 9.18)`. */
  label: string;
  /** The command as typed on the client, e.g. `nslookup r1`. */
  command: string;
}

export interface RealLookupOptions {
  labDir: string;
  /** @defaultValue `{}` (the unicast lab of the write-up's §3: clients ask 10.128.5.2, then 10.128.6.2) */
  options?: Record<string, boolean>;
  client: string;
  cases: readonly RealLookupCase[];
  /** Failure label → failures without time (`xenial1:named-stop`), done once RIP has converged. */
  failures: Readonly<Record<string, readonly string[]>>;
  /** Wait between the failure and the lookup. @defaultValue 2 s */
  settle?: Duration;
  ripTimers?: string;
  stateFile?: string;
  progress?: (line: string) => void;
}

/** The tools' own bounds are well below this (glibc: 2 tries × 2 servers × 5 s). */
const LOOKUP_LIMIT_MS = 60_000;

export interface RealLookupRecord {
  kind: 'real-lookups';
  lab: string;
  client: string;
  date: string;
  versions: RealVersions;
  ripTimers: string;
  settleSeconds: number;
  rows: LookupTiming[];
}

export function realLookups(o: RealLookupOptions): RealLookupRecord {
  const progress = o.progress ?? (() => {});
  const settle = o.settle ?? ms(2000);
  const timers = o.ripTimers ?? REAL_RIP_TIMERS;
  const rows: LookupTiming[] = [];
  let labName = '';
  for (const [failure, fails] of Object.entries(o.failures)) {
    const specs = fails.map(parseRealFailure);
    for (const c of o.cases) {
      const lab = realUp({ labDir: o.labDir, options: o.options ?? {}, ripTimers: timers, ...(o.stateFile === undefined ? {} : { stateFile: o.stateFile }) });
      labName = lab.state.lab;
      try {
        if (waitForConvergence(lab, 60_000) === null) throw new RealLabError('RIP did not converge within 60 s');
        for (const f of specs) failReal(lab, f);
        sleepMs(toMs(settle));
        const n = nodePlan(lab, o.client);
        const start = process.hrtime.bigint();
        const r = spawnSync('ip', ['netns', 'exec', n.ns, 'sh', '-c', c.command], { encoding: 'utf8', timeout: LOOKUP_LIMIT_MS, killSignal: 'SIGKILL' });
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
        const server = /^Server:\s+(\S+)/m.exec(output)?.[1] ?? /^;; SERVER: ([\d.]+)/m.exec(output)?.[1] ?? null;
        // The same reading of "answered" as the simulator's timeLookups, plus host's "has address".
        const ok = /^Name:|^\d+\.\d+\.\d+\.\d+\s|ANSWER SECTION|has address/m.test(output);
        rows.push({ tool: c.label, failure, seconds: Number(seconds.toFixed(3)), server, ok, output });
        progress(`${failure}: ${c.label} ${seconds.toFixed(2)} s${ok ? '' : ' (no answer)'}`);
      } finally {
        const report = realDown(lab.stateFile);
        if (report !== null) assertClean(report);
      }
    }
  }
  return { kind: 'real-lookups', lab: labName, client: o.client, date: new Date().toISOString(), versions: realVersions(), ripTimers: timers, settleSeconds: toMs(settle) / 1000, rows };
}

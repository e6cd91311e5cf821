/**
 * Timing name lookups the way the write-up did (`time nslookup r1`), across resolver tools and
 * failure modes, as tidy rows for tables and plots.
 */
import type { SimTime } from '../sim/time';
import { seconds } from '../sim/time';
import type { ResolverPresetName } from '../proto/dns/resolver';
import { Lab, type LoadOptions } from './lab';
import { nodeDns } from './dns';
import { RESOLVER_PRESETS } from '../proto/dns/resolver';

export interface LookupCase {
  /** Shown in tables: `nslookup (BIND 9.10)`. */
  label: string;
  /** The command to time, e.g. `nslookup r1` or `getent hosts r1`. */
  command: string;
  /** The preset the BIND tools (nslookup, dig, host) follow on this run; glibc tools ignore it. */
  toolPreset?: ResolverPresetName;
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

export interface LookupExperiment {
  lab: string;
  client: string;
  cases: readonly LookupCase[];
  /** Failure label → failures injected at time 0 (e.g. `xenial1:named-stop@0s`). */
  failures: Readonly<Record<string, readonly string[]>>;
  /** When to run each lookup (routing must have converged). */
  at?: SimTime;
  load?: LoadOptions;
}

/** Runs every case under every failure mode, each in a fresh lab with the same seed. */
export function timeLookups(e: LookupExperiment): LookupTiming[] {
  const rows: LookupTiming[] = [];
  for (const [failure, fails] of Object.entries(e.failures)) {
    for (const c of e.cases) {
      const lab = Lab.load(e.lab, { ...(e.load ?? {}), failures: [...fails] });
      if (c.toolPreset !== undefined) nodeDns(lab.node(e.client)).tools = RESOLVER_PRESETS[c.toolPreset];
      const output = lab.exec(e.client, `time ${c.command}`, { at: e.at ?? seconds(60) });
      const real = /real\t(\d+)m([\d.]+)s/.exec(output);
      const server = /^Server:\s+(\S+)/m.exec(output)?.[1] ?? null;
      // Answered: nslookup printed a Name, getent an address line, dig an answer section.
      const ok = /^Name:|^\d+\.\d+\.\d+\.\d+\s|ANSWER SECTION/m.test(output);
      rows.push({ tool: c.label, failure, seconds: real === null ? NaN : Number(real[1]) * 60 + Number(real[2]), server, ok, output });
    }
  }
  return rows;
}

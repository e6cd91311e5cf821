/**
 * The real measurements chapter 7 sets beside the simulator's, run in one go and saved under
 * data/real/<lab>/ with the versions, date, timers and kernel they ran on:
 *
 *   survey.json                     cold-start convergence, routing tables, ping TTLs
 *   lookups.json                    one lookup per tool with xenial1 healthy, named stopped, halted
 *   failover-<probe>-<mode>.json    the failover experiment, `runs` times per failure mode
 *
 * Real time: about 70 s per failover run and 15 s per lookup case with FRR `timers basic 5 15 10`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { realSurvey } from './survey';
import { realLookups, type RealLookupCase } from './lookups';
import { realFailover } from './failover';

/** Who looks up and pings in the chapter: the write-up's clients, servers and anycast address. */
export const SURVEY_CLIENTS = ['xenial3', 'xenial4'] as const;
export const SURVEY_TARGETS = ['10.128.5.2', '10.128.6.2', '10.128.224.2'] as const;

/** The tools of chapter 3, as installed here (BIND 9.18's tools, glibc). */
export const REAL_LOOKUP_CASES: readonly RealLookupCase[] = [
  { label: 'nslookup (BIND 9.18)', command: 'nslookup r1' },
  { label: 'dig (BIND 9.18)', command: 'dig r1.home' },
  { label: 'host (BIND 9.18)', command: 'host r1' },
  { label: 'getent hosts (glibc)', command: 'getent hosts r1' },
];

export const REAL_LOOKUP_FAILURES: Readonly<Record<string, readonly string[]>> = {
  'both servers up': [],
  'BIND stopped on xenial1': ['xenial1:named-stop'],
  'xenial1 halted': ['xenial1:halt'],
};

/** The failover cases: a failure mode and the probe that sees it (ping cannot see a stopped named). */
export const REAL_FAILOVER_CASES = [
  { mode: 'halt', probe: 'ping' },
  { mode: 'ripd-stop', probe: 'ping' },
  { mode: 'named-stop', probe: 'dns' },
] as const;

export type RealMeasurement = 'survey' | 'lookups' | 'failover';

export interface MeasureRealOptions {
  labDir: string;
  outDir: string;
  /** Failover runs per case. @defaultValue 5 */
  runs?: number;
  /** @defaultValue all three */
  only?: readonly RealMeasurement[];
  stateFile?: string;
  progress?: (line: string) => void;
}

/** Runs the measurements one after another and writes each file as soon as it is done; returns the files. */
export async function measureReal(o: MeasureRealOptions): Promise<string[]> {
  const progress = o.progress ?? (() => {});
  const only = new Set(o.only ?? ['survey', 'lookups', 'failover']);
  const state = o.stateFile === undefined ? {} : { stateFile: o.stateFile };
  mkdirSync(o.outDir, { recursive: true });
  const written: string[] = [];
  const save = (name: string, record: unknown): void => {
    const file = join(o.outDir, name);
    writeFileSync(file, JSON.stringify(record, null, 1) + '\n');
    written.push(file);
    progress(`saved ${file}`);
  };
  if (only.has('survey')) {
    progress('survey: cold start, routing tables, TTLs');
    save('survey.json', realSurvey({ labDir: o.labDir, clients: SURVEY_CLIENTS, targets: SURVEY_TARGETS, ...state }));
  }
  if (only.has('lookups')) {
    progress('lookups: one lab per tool and failure');
    save('lookups.json', realLookups({ labDir: o.labDir, client: 'xenial3', cases: REAL_LOOKUP_CASES, failures: REAL_LOOKUP_FAILURES, progress, ...state }));
  }
  if (only.has('failover')) {
    for (const c of REAL_FAILOVER_CASES) {
      progress(`failover: xenial1:${c.mode}, ${c.probe} probe, ${o.runs ?? 5} runs`);
      save(`failover-${c.probe}-${c.mode}.json`, await realFailover({ labDir: o.labDir, fail: `xenial1:${c.mode}`, probe: c.probe, runs: o.runs ?? 5, progress, ...state }));
    }
  }
  return written;
}

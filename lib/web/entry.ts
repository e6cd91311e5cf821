/**
 * The library as a page runs it: labs loaded from the text the page embeds (or a reader pasted), and
 * the measurements the chapters make, with nothing that needs a disk, threads or a terminal.
 * scripts/build-web.js bundles this file for browsers (esbuild), with the project's labs embedded,
 * as the global `AnycastLab`; the same functions run in Node, so a test compares the two row by row.
 */
import { loadLabFiles, type LoadLabOptions } from '../config/load';
import { memoryLabFiles } from '../config/lab-files';
import type { LabSpec } from '../config/spec';
import { failoverDistribution, measureFailover, type FailoverDistribution } from '../measure/failover';
import type { RipProfileName } from '../proto/rip/params';
import { parseDuration, toSeconds, type Duration } from '../sim/time';
import { mountSimulationMode, type SimulationSettings } from './simulation-mode';

/** Each lab's files by path relative to its folder, as `embeddedLabs` in the bundle holds them. */
export type LabTexts = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** A failover distribution as a page asks for it: times as text (`2m`, `10m`), the lab by name. */
export interface FailoverQuery {
  lab: string;
  options?: LoadLabOptions;
  fail: string;
  at: string;
  runs: number;
  profile: RipProfileName;
  timers?: string;
  runFor?: string;
  seed?: number;
}

/** The page's API over a set of labs' text. */
export function browserApi(labs: LabTexts) {
  const specs = new Map<string, LabSpec>();
  const lab = (name: string, options: LoadLabOptions = { do_anycast: true }): LabSpec => {
    const key = `${name}\u0000${JSON.stringify(Object.entries(options).sort())}`;
    let spec = specs.get(key);
    if (spec === undefined) {
      const files = labs[name];
      if (files === undefined) throw new Error(`no lab "${name}" in this page (it has ${Object.keys(labs).join(', ')})`);
      spec = loadLabFiles(memoryLabFiles(name, files), options);
      specs.set(key, spec);
    }
    return spec;
  };
  const duration = (text: string, what: string): Duration => {
    const d = parseDuration(text);
    if (!d.ok) throw new Error(`${what}: ${d.error}`);
    return d.value;
  };
  return {
    labNames: (): string[] => Object.keys(labs),
    labFiles: (name: string): Readonly<Record<string, string>> | undefined => labs[name],
    lab,
    /** The outage over `runs` failure instants: the rows `failover --runs` and chapter 4 report. */
    failoverDistribution(q: FailoverQuery): FailoverDistribution {
      return failoverDistribution({
        lab: lab(q.lab, q.options),
        fail: q.fail,
        at: duration(q.at, 'at'),
        runs: q.runs,
        profile: q.profile,
        ...(q.timers === undefined ? {} : { timers: q.timers }),
        ...(q.runFor === undefined ? {} : { runFor: duration(q.runFor, 'runFor') }),
        ...(q.seed === undefined ? {} : { seed: q.seed }),
      });
    },
    measureFailover,
    toSeconds,
    mountSimulationMode: (element: HTMLElement, settings: SimulationSettings = {}) => mountSimulationMode(element, settings, lab),
  };
}

export type BrowserApi = ReturnType<typeof browserApi>;

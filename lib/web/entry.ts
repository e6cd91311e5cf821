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
import { checkLab } from '../config/check';
import { LabFileError } from '../config/errors';
import { capturePanel, coldStartPanel, failoverPanel, linkCutPanel, pingPanel, realVsSimPanel, resolverPanel, whatIfPanel, withdrawalPanel, type Progress } from './runs';
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

/** Which lab a panel runs: a lab of the page by name, its options, and files a reader edited (path → text). */
export interface LabRef {
  name: string;
  options?: LoadLabOptions;
  edits?: Readonly<Record<string, string>>;
}

/** A finding of `check` on a lab's text, or a problem that kept it from loading: file:line and what is wrong. */
export interface TextFinding {
  file: string;
  line: number | null;
  severity: string;
  message: string;
}

/** The panels' runners by kind (lib/web/runs.ts): settings as text in, plain rows out. */
export const PANEL_RUNNERS = {
  failover: failoverPanel,
  ping: pingPanel,
  'link-cut': linkCutPanel,
  'cold-start': coldStartPanel,
  'what-if': whatIfPanel,
  resolvers: resolverPanel,
  capture: capturePanel,
  'real-vs-sim': realVsSimPanel,
  withdrawal: withdrawalPanel,
} as const;
export type PanelKind = keyof typeof PANEL_RUNNERS;

/**
 * The lab options each kind runs with unless the panel names its own, as its chapter loads the lab:
 * anycast on for the failovers (chapters 4 and 6), off for chapter 1's network, chapter 2's capture
 * and the resolver what-ifs (two name servers in resolv.conf, lib/sweep/measures.ts LOOKUPS_MEASURE).
 */
export const PANEL_LAB_OPTIONS: Readonly<Record<PanelKind, LoadLabOptions>> = {
  failover: { do_anycast: true },
  'what-if': { do_anycast: true },
  ping: {},
  'link-cut': {},
  'cold-start': {},
  resolvers: {},
  capture: {},
  // Chapter 7 loads the lab with anycast (lib/measure/compare-runs.ts: a lab folder is loaded so).
  'real-vs-sim': { do_anycast: true },
  withdrawal: { do_anycast: true },
};

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
  const filesOf = (ref: LabRef): Record<string, string> => {
    const files = labs[ref.name];
    if (files === undefined) throw new Error(`no lab "${ref.name}" in this page (it has ${Object.keys(labs).join(', ')})`);
    return { ...files, ...(ref.edits ?? {}) };
  };
  /** The lab a panel names: the embedded one (loaded once), or its text with the reader's edits. */
  const labOf = (ref: LabRef): LabSpec => (ref.edits === undefined || Object.keys(ref.edits).length === 0 ? lab(ref.name, ref.options) : loadLabFiles(memoryLabFiles(ref.name, filesOf(ref)), ref.options ?? { do_anycast: true }));
  return {
    labNames: (): string[] => Object.keys(labs),
    /**
     * `anycast-lab check` on a lab's text with the reader's edits: the problems that keep it from
     * loading (LabFileError: every one, file:line), else checkLab's findings.
     */
    checkText(ref: LabRef): TextFinding[] {
      let spec: LabSpec;
      try {
        spec = loadLabFiles(memoryLabFiles(ref.name, filesOf(ref)), ref.options ?? { do_anycast: true });
      } catch (e) {
        if (e instanceof LabFileError) return e.problems.map((p) => ({ file: p.file, line: p.line, severity: 'error', message: p.message }));
        throw e;
      }
      return checkLab(spec).map((f) => ({ file: f.source.file, line: f.source.line, severity: f.severity, message: f.message }));
    },
    /** One try-it panel's run: what lib/web/runs.ts gives for `kind`, on the lab `ref`. */
    runPanel(kind: PanelKind, ref: LabRef, settings: unknown, progress?: Progress): unknown {
      const runner = PANEL_RUNNERS[kind] as (lab: LabSpec, s: unknown, p?: Progress) => unknown;
      if (runner === undefined) throw new Error(`no panel kind "${String(kind)}" (expected ${Object.keys(PANEL_RUNNERS).join(', ')})`);
      return runner(labOf({ ...ref, options: ref.options ?? PANEL_LAB_OPTIONS[kind] }), settings, progress);
    },
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

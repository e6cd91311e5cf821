/**
 * Experiments as data: a YAML file (usually beside the lab, `data/labs/<lab>/experiments/*.yml`) that
 * says which lab to run, what to measure, a baseline, which parameters to vary, how many
 * repetitions, the seed and the columns to record. `lib/sweep/runner.ts` runs it.
 *
 * ```yaml
 * name: timers-and-probes
 * lab: anycast                   # a folder relative to this file, or a lab under data/labs/
 * measure: failover
 * baseline: { fail: xenial1:halt, at: 2m, runFor: 10m }
 * vary:                          # the full grid of these lists
 *   profile: [cisco-ios, frr]
 * zip:                           # optional: lists of one length, varied together (one more axis)
 *   probeInterval: [1s, 5s]
 *   window: [30s, 60s]
 * runs: 100                      # repetitions per point
 * seed: 1
 * record: [failureAtSeconds, outageSeconds]  # measurement columns to keep (default: all)
 * ```
 *
 * Measures (`MEASURES`): `failover` (a client probes the anycast address while a server fails:
 * outage, phases, RIP cost), `lookups` (a client's resolver after the failure: latency, failures,
 * service time lost), `clients-move` (which server a client reaches before and after, how far, how
 * long it lost the service). Each run gives one row.
 *
 * Every parameter has one entry in `PARAMETERS` (lib/sweep/parameters.ts: name, type, range, doc,
 * parse, format, apply, the measures that read it): adding a what-if is adding an entry. Errors name
 * file:line and what was expected. A parsed experiment is then checked against every lab it names
 * (lib/sweep/check.ts: failures, clients, targets, lab options), so its mistakes show before the
 * first run, not when their job starts. Parsed experiments are plain data (structured-clonable), so
 * worker threads receive them as they are.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { Problems } from '../config/errors';
import { defaultSetup, PARAMETERS, RUNS, SEED, type Knob, type ParseContext, type RunSetup } from './parameters';
import { JOB_COLUMNS, MEASURES, type Column } from './measures';
import { checkPoints, type PointSources, type ValueSource } from './check';

const shown = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

/** One point of the grid: the varied parameters' values (as text) and the setup they give. */
export interface Point {
  index: number;
  /** Varied parameter → its value as text (row cells). */
  values: Record<string, string>;
  /** `profile=frr window=1m`, or `baseline` when nothing varies. */
  label: string;
  setup: RunSetup;
}

/** A parsed experiment: plain data. */
export interface Experiment {
  name: string;
  description: string | null;
  /** Where it was read from (null when built from an object). */
  file: string | null;
  measure: string;
  runs: number;
  seed: number;
  /** The varied parameters, in column order (vary's, then zip's). */
  varied: string[];
  points: Point[];
  /** Row columns: job columns, varied parameters, recorded measurement columns. */
  columns: Column[];
  /** Hash of what determines the rows (not paths): shards and resumed files must carry the same. */
  hash: string;
}

const TOP_KEYS = ['name', 'description', 'lab', 'measure', 'baseline', 'vary', 'zip', 'runs', 'seed', 'record'];

/** A parameter's value as read: the value, its text (row cells) and where it was written. */
interface ReadValue {
  value: unknown;
  text: string;
  source: ValueSource;
}

/** An axis of the grid: one or more parameters (zip) and, per step, their values. */
interface Axis {
  params: string[];
  steps: ReadValue[][];
}

/**
 * Reads an experiment file, then checks it against its labs (lib/sweep/check.ts) before anything
 * runs. Throws LabFileError naming file:line and what was expected.
 */
export function loadExperiment(path: string): Experiment {
  const file = resolve(path);
  if (!existsSync(file)) {
    const problems = new Problems(path);
    problems.add(null, 'no such experiment file');
    problems.throwIfAny();
  }
  return parseExperiment(readFileSync(file, 'utf8'), path, dirname(file));
}

/**
 * Parses an experiment from YAML text, or from the same shape as a plain object (notebooks);
 * `name` is the file name errors show, `baseDir` where relative lab folders are looked up.
 */
export function parseExperiment(source: string | object, name: string, baseDir: string): Experiment {
  const lineCounter = new LineCounter();
  const doc = typeof source === 'string' ? parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false }) : new Document(source);
  const problems = new Problems(name);
  const lineOf = (node: unknown): number | null => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range === undefined || typeof source !== 'string' ? null : lineCounter.linePos(range[0]).line;
  };
  const problem = (node: unknown, message: string): void => problems.add(lineOf(node), message);
  for (const e of doc.errors) {
    const p = e.linePos?.[0] ?? (e.pos === undefined ? undefined : lineCounter.linePos(e.pos[0]));
    problems.add(p?.line ?? null, `not valid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  problems.throwIfAny();
  const root = doc.contents;
  if (!isMap(root)) {
    problem(root, 'expected a mapping with name, lab, measure, baseline, vary, runs, seed');
    problems.throwIfAny();
  }
  const pairs = (node: unknown): Pair<YamlNode | null, YamlNode | null>[] => (isMap(node) ? (node.items as Pair<YamlNode | null, YamlNode | null>[]) : []);
  const keyOf = (pair: Pair<YamlNode | null, YamlNode | null>): string => (isScalar(pair.key) ? String(pair.key.value) : '');
  const top = new Map<string, YamlNode | null>();
  for (const pair of pairs(root)) {
    const key = keyOf(pair);
    if (!TOP_KEYS.includes(key)) problem(pair.key, `unknown key "${key}"; expected one of ${TOP_KEYS.join(', ')}`);
    else top.set(key, pair.value);
  }
  const ctx: ParseContext = { baseDir };
  const js = (node: YamlNode | null | undefined): unknown => (node === null || node === undefined ? null : node.toJSON());

  const expName = top.get('name');
  const nameText = js(expName);
  if (typeof nameText !== 'string' || !/^[\w.-]+$/.test(nameText)) problem(expName ?? root, `name: expected a name of letters, digits, . _ -, got ${shown(nameText)}`);
  const description = js(top.get('description'));
  const measureNode = top.get('measure');
  const measureName = measureNode === undefined ? 'failover' : js(measureNode);
  const measure = typeof measureName === 'string' ? MEASURES[measureName] : undefined;
  if (measure === undefined) problem(measureNode, `measure: expected one of ${Object.keys(MEASURES).join(', ')}, got ${shown(measureName)}`);

  const wholeNumber = (knob: Knob<number>, fallback: number): number => {
    const node = top.get(knob.name);
    if (node === undefined) return fallback;
    const r = knob.parse(js(node), ctx);
    if (r.ok) return r.value;
    problem(node, `${knob.name}: ${r.error}`);
    return fallback;
  };
  const runs = wholeNumber(RUNS, 1);
  const seed = wholeNumber(SEED, 1);

  /** Whether `param` exists and the measure reads it; reports a problem if not. */
  const usable = (param: string, keyNode: unknown, where: string): boolean => {
    const p = PARAMETERS[param];
    if (p === undefined) problem(keyNode, `${where}: unknown parameter "${param}"; parameters: ${Object.keys(PARAMETERS).join(', ')}`);
    else if (measure !== undefined && p.measures !== undefined && !p.measures.includes(measure.name)) problem(keyNode, `${where}: measure ${measure.name} does not use ${param} (it is for ${p.measures.join(', ')})`);
    else return true;
    return false;
  };

  /** Parses one parameter value written at `node`; null after reporting a problem. */
  const parseValue = (param: string, keyNode: unknown, node: YamlNode | null, where: string): ReadValue | null => {
    // usable() first: it is what reports an unknown parameter.
    if (!usable(param, keyNode, where)) return null;
    const p = PARAMETERS[param]!;
    const r = p.parse(js(node), ctx);
    if (!r.ok) {
      problem(node ?? keyNode, `${where}: ${r.error}`);
      return null;
    }
    return { value: r.value, text: p.format(r.value), source: { where, line: lineOf(node ?? keyNode) } };
  };

  const base: { param: string; read: ReadValue }[] = [];
  const labNode = top.get('lab');
  if (labNode === undefined) problem(root, 'lab: missing; expected a lab folder relative to this file or a name under data/labs/, e.g. lab: anycast');
  else {
    const v = parseValue('lab', labNode, labNode, 'lab');
    if (v !== null) base.push({ param: 'lab', read: v });
  }
  const baselineNode = top.get('baseline');
  if (baselineNode !== undefined && baselineNode !== null && !isMap(baselineNode)) problem(baselineNode, 'baseline: expected a mapping of parameter: value');
  for (const pair of pairs(baselineNode)) {
    const param = keyOf(pair);
    const v = parseValue(param, pair.key, pair.value, `baseline.${param}`);
    if (v !== null) base.push({ param, read: v });
  }

  const axes: Axis[] = [];
  const varied: string[] = [];
  const readLists = (key: 'vary' | 'zip'): Map<string, ReadValue[]> => {
    const node = top.get(key);
    const lists = new Map<string, ReadValue[]>();
    if (node === undefined || node === null) return lists;
    if (!isMap(node)) {
      problem(node, `${key}: expected a mapping of parameter: [values]`);
      return lists;
    }
    for (const pair of pairs(node)) {
      const param = keyOf(pair);
      if (varied.includes(param)) {
        problem(pair.key, `${key}.${param}: already varied under vary; a parameter varies once`);
        continue;
      }
      if (!usable(param, pair.key, `${key}.${param}`)) continue;
      if (!isSeq(pair.value) || pair.value.items.length === 0) {
        problem(pair.value ?? pair.key, `${key}.${param}: expected a non-empty list of values, e.g. [a, b]`);
        continue;
      }
      const values: ReadValue[] = [];
      pair.value.items.forEach((item, i) => {
        const v = parseValue(param, pair.key, item as YamlNode, `${key}.${param}[${i}]`);
        if (v !== null) values.push(v);
      });
      if (values.length === pair.value.items.length) {
        lists.set(param, values);
        varied.push(param);
      }
    }
    return lists;
  };
  for (const [param, values] of readLists('vary')) axes.push({ params: [param], steps: values.map((v) => [v]) });
  const zipLists = readLists('zip');
  if (zipLists.size > 0) {
    const lengths = [...zipLists.values()].map((l) => l.length);
    if (lengths.some((n) => n !== lengths[0])) problem(top.get('zip'), `zip: every list must have the same length, got ${[...zipLists].map(([p, l]) => `${p}: ${l.length}`).join(', ')}`);
    else axes.push({ params: [...zipLists.keys()], steps: Array.from({ length: lengths[0]! }, (_, i) => [...zipLists.values()].map((l) => l[i]!)) });
  }

  const recordNode = top.get('record');
  let recorded: readonly Column[] = measure?.columns ?? [];
  if (recordNode !== undefined && measure !== undefined) {
    const names = js(recordNode);
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) problem(recordNode, `record: expected a list of columns among ${measure.columns.map((c) => c.name).join(', ')}`);
    else {
      for (const n of names) {
        if (measure.columns.some((c) => c.name === n)) continue;
        const renamed = measure.columns.find((c) => c.unit !== undefined && c.name === `${n}Seconds`);
        problem(recordNode, `record: unknown column "${n}"${renamed === undefined ? '' : ` (its name says its unit now: "${renamed.name}")`}; ${measure.name} records ${measure.columns.map((c) => c.name).join(', ')}`);
      }
      recorded = measure.columns.filter((c) => (names as string[]).includes(c.name));
    }
  }
  for (const c of recorded) if (varied.includes(c.name) || JOB_COLUMNS.some((j) => j.name === c.name)) problem(recordNode ?? root, `${c.name}: both a varied parameter and a ${measure!.name} column; a row has one of each name`);
  problems.throwIfAny();

  const { points, sources } = gridOf(base, axes, varied);
  checkPoints(measure!.name, sources, problems);
  problems.throwIfAny();
  const columns: Column[] = [...JOB_COLUMNS, ...varied.map((p): Column => ({ name: p, kind: 'text', doc: PARAMETERS[p]!.doc })), ...recorded];
  // The hash covers what fixes the rows, written machine-independently (labs by name, not path).
  const identity = { measure: measure!.name, runs, seed, columns: columns.map((c) => c.name), points: points.map((p) => ({ ...p.setup, lab: p.setup.lab.name })) };
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
  return { name: nameText as string, description: typeof description === 'string' ? description : null, file: typeof source === 'string' ? name : null, measure: measure!.name, runs, seed, varied, points, columns, hash };
}

/**
 * The points of the grid in key order, the last axis varying fastest, and where each point's values
 * were written (for the check against the labs).
 */
function gridOf(base: readonly { param: string; read: ReadValue }[], axes: readonly Axis[], varied: readonly string[]): { points: Point[]; sources: PointSources[] } {
  const points: Point[] = [];
  const sources: PointSources[] = [];
  const total = axes.reduce((n, a) => n * a.steps.length, 1);
  for (let index = 0; index < total; index++) {
    const setup = defaultSetup({ name: '', dir: '' });
    const where: Record<string, ValueSource> = {};
    for (const b of base) {
      PARAMETERS[b.param]!.apply(setup, b.read.value);
      where[b.param] = b.read.source;
    }
    const values: Record<string, string> = {};
    let rest = index;
    const chosen: { params: string[]; step: ReadValue[] }[] = [];
    for (let a = axes.length - 1; a >= 0; a--) {
      const axis = axes[a]!;
      chosen.unshift({ params: axis.params, step: axis.steps[rest % axis.steps.length]! });
      rest = Math.floor(rest / axis.steps.length);
    }
    for (const c of chosen) {
      c.params.forEach((p, i) => {
        PARAMETERS[p]!.apply(setup, c.step[i]!.value);
        where[p] = c.step[i]!.source;
      });
    }
    for (const p of varied) for (const c of chosen) if (c.params.includes(p)) values[p] = c.step[c.params.indexOf(p)]!.text;
    const label = varied.length === 0 ? 'baseline' : varied.map((p) => `${p}=${values[p]}`).join(' ');
    points.push({ index, values, label, setup });
    sources.push({ setup, sources: where });
  }
  return { points, sources };
}

/** `cisco-vs-frr` from `…/experiments/cisco-vs-frr.yml`. */
export function experimentStem(path: string): string {
  return basename(path).replace(/\.ya?ml$/, '');
}

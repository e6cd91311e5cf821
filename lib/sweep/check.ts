/**
 * An experiment checked against its labs before the first run: every lab it names (the baseline's and
 * every varied one) is loaded, and every point's failure (its node, interface and mode), client,
 * target and lab options are checked against the lab it runs on. Without this a mistake shows only
 * when its job starts, as the lab's own error (`job 0 (point 0, run 0): --fail ...`), possibly after
 * hours of other points; here every mistake is reported at once, at the line of the value in the
 * experiment file that brought it (a baseline entry, a vary or zip entry, or the lab's line for a
 * default).
 *
 * The failure is checked by the lab itself (`Lab.fail` on a lab built but never run), so the check
 * and the run cannot disagree about what a failure needs.
 */
import { LabFileError, type LabFileProblem, type Problems } from '../config/errors';
import { FailureError } from '../config/failures';
import { loadLab } from '../config/load';
import type { LabSpec } from '../config/spec';
import { Lab } from '../lab/lab';
import { formatDuration } from '../sim/time';
import { ipv4ToString, tryParseIpv4 } from '../wire/addr';
import { MEASURES, type Measure } from './measures';
import { labSpecKey, provideLabSpecs } from '../measure/failover';
import { PARAMETERS, probeBudgetError, type RunSetup } from './parameters';

/** Where a value of a point was written: `baseline.fail` at line 7, `vary.lab[1]` at line 12. */
export interface ValueSource {
  where: string;
  /** null when the experiment is an object, not a file. */
  line: number | null;
}

/** A point to check: its setup, and where each of its values was written (absent: the default). */
export interface PointSources {
  setup: RunSetup;
  sources: Readonly<Record<string, ValueSource>>;
}

/** One problem found: a line of the experiment file, and the lab's own problems when it does not load. */
interface Found {
  line: number | null;
  message: string;
  labProblems: readonly LabFileProblem[];
}

/** The labs of one check, each loaded once per set of options (the default set shared). */
class Labs {
  private readonly byDir = new Map<string, LabSpec | LabFileError>();
  private readonly withOptions = new Map<string, LabSpec | LabFileError>();
  private readonly built = new Map<LabSpec, Lab>();

  /** The lab with its declared defaults, read as FRR `frrVersion` (null: the lab's own), or why it does not load. */
  base(dir: string, frrVersion: string | null): LabSpec | LabFileError {
    const key = `${dir}\u0000${frrVersion ?? ''}`;
    let spec = this.byDir.get(key);
    if (spec === undefined) {
      spec = tryLoad(dir, {}, frrVersion);
      this.byDir.set(key, spec);
    }
    return spec;
  }

  /** The lab with `options` over its defaults (declared options only). */
  with(dir: string, base: LabSpec, options: Record<string, boolean>, frrVersion: string | null): LabSpec | LabFileError {
    if (Object.entries(options).every(([k, v]) => base.options[k] === v)) return base;
    const key = labSpecKey(dir, options, frrVersion ?? undefined);
    let spec = this.withOptions.get(key);
    if (spec === undefined) {
      spec = tryLoad(dir, options, frrVersion);
      this.withOptions.set(key, spec);
      // The runs use the lab as checked: loaded once, here (the failover runs' cache, given to the workers).
      if (!(spec instanceof LabFileError)) provideLabSpecs([[key, spec]]);
    }
    return spec;
  }

  /** The lab built at time 0 (booted, never run): what `Lab.fail` checks a failure against. */
  lab(spec: LabSpec): Lab {
    let lab = this.built.get(spec);
    if (lab === undefined) {
      lab = new Lab(spec);
      this.built.set(spec, lab);
    }
    return lab;
  }
}

function tryLoad(dir: string, options: Record<string, boolean>, frrVersion: string | null): LabSpec | LabFileError {
  try {
    return loadLab(dir, options, frrVersion === null ? {} : { frrVersion });
  } catch (e) {
    if (e instanceof LabFileError) return e;
    throw e;
  }
}

const optionsText = (options: Record<string, boolean>): string =>
  Object.entries(options)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/**
 * Checks every point against its lab and adds what is wrong to `problems` (in line order, each
 * once), after the problems already there. `measure` is the experiment's measure's name.
 */
export function checkPoints(measureName: string, points: readonly PointSources[], problems: Problems): void {
  const measure = MEASURES[measureName]!;
  const labs = new Labs();
  const found: Found[] = [];
  const seen = new Set<string>();
  for (const point of points) {
    checkPoint(measure, point, labs, (source, message, labProblems = []) => {
      const text = `${source.where}: ${message}`;
      const key = `${source.line}\u0000${text}`;
      if (seen.has(key)) return;
      seen.add(key);
      found.push({ line: source.line, message: text, labProblems });
    });
  }
  // Top to bottom, as the file is read; a value without a line (an object's) first.
  found.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  for (const f of found) {
    problems.add(f.line, f.message);
    problems.list.push(...f.labProblems);
  }
}

type Report = (source: ValueSource, message: string, labProblems?: readonly LabFileProblem[]) => void;

function checkPoint(measure: Measure, { setup, sources }: PointSources, labs: Labs, report: Report): void {
  const labSource = sources['lab']!;
  // A value the experiment does not set is the default, reported at the lab's line.
  const sourceOf = (param: string): ValueSource => sources[param] ?? { where: `${param} (default)`, line: labSource.line };
  // The probe budget the failover command enforces holds for experiment files too.
  const budget = usesParameter(measure, 'probeInterval') ? probeBudgetError(setup) : null;
  if (budget !== null) report(sources['probeInterval'] ?? sourceOf('runFor'), budget);
  const base = labs.base(setup.lab.dir, setup.frrVersion);
  if (base instanceof LabFileError) {
    reportLabError(report, labSource, `"${setup.lab.name}"`, base);
    return;
  }
  const labName = base.name;
  const options = measure.labOptions(setup);
  const declared = Object.keys(base.options);
  const undeclared = Object.keys(options).filter((k) => !declared.includes(k));
  for (const name of undeclared) {
    const list = `(declared: ${declared.length === 0 ? 'none' : declared.join(', ')})`;
    if (setup.options === null) report(labSource, `lab ${labName} declares no option ${name}, which measure ${measure.name} sets by default ${list}; give the options to use, e.g. options: {}`);
    else report(sourceOf('options'), `lab ${labName} declares no option "${name}" ${list}`);
  }
  if (undeclared.length > 0) return;
  const spec = labs.with(setup.lab.dir, base, options, setup.frrVersion);
  if (spec instanceof LabFileError) {
    reportLabError(report, setup.options === null ? labSource : sourceOf('options'), `${labName} with ${optionsText(options)}`, spec);
    return;
  }
  const suffix = setup.options === null || Object.keys(options).length === 0 ? '' : ` (lab options: ${optionsText(options)})`;
  checkFailure(labs.lab(spec), setup, sourceOf('fail'), report);
  checkClient(spec, setup.client, sourceOf('client'), report);
  if (usesParameter(measure, 'target')) checkTarget(spec, setup.target, suffix, sourceOf('target'), report);
}

function reportLabError(report: Report, source: ValueSource, what: string, e: LabFileError): void {
  // A folder that is no lab at all (no topology file) has one problem about the folder as a whole.
  if (e.problems.every((p) => p.line === null)) report(source, `${what} is not a lab: ${e.problems.map((p) => p.message).join('; ')}`);
  else report(source, `the lab ${what} does not load (${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} below)`, e.problems);
}

/** The failure as the run schedules it, at the start of its window, on a lab that is never run. */
function checkFailure(lab: Lab, setup: RunSetup, source: ValueSource, report: Report): void {
  try {
    lab.fail(`${setup.fail}@${formatDuration(setup.at)}`);
  } catch (e) {
    if (!(e instanceof FailureError)) throw e;
    // The lab names the failure (`failure xenial9:halt@2m: no node ...`); here the value came from the
    // experiment file, whose line and key are already named.
    report(source, e.detail.replace(/^\S+: /, ''));
  }
}

/** The client runs ping, dig and a stub resolver: a Linux host of the lab. */
function checkClient(spec: LabSpec, client: string, source: ValueSource, report: Report): void {
  const hosts = spec.nodes.filter((n) => n.kind === 'host' && n.os === 'linux').map((n) => n.name);
  const node = spec.nodes.find((n) => n.name === client);
  const list = `(Linux hosts: ${hosts.length === 0 ? 'none' : hosts.join(', ')})`;
  if (node === undefined) report(source, `no node "${client}" in lab ${spec.name} ${list}`);
  else if (!hosts.includes(client)) report(source, `${client} is a ${node.kind === 'bridge' ? 'bridge' : 'router'} of lab ${spec.name}; the client pings and looks names up from a Linux host ${list}`);
}

/** A probed address some interface of the lab has (an alias such as lo:0 included), with the point's options. */
function checkTarget(spec: LabSpec, target: string, suffix: string, source: ValueSource, report: Report): void {
  const address = tryParseIpv4(target);
  if (address === null) return; // the parameter's parser already refused it
  const has = spec.nodes.some((n) => n.interfaces.some((i) => i.addresses.some((a) => a.address === address) || i.aliases.some((a) => a.address === address)));
  if (!has) report(source, `no interface in lab ${spec.name} has the address ${ipv4ToString(address)}${suffix}`);
}

const usesParameter = (measure: Measure, param: string): boolean => PARAMETERS[param]!.measures?.includes(measure.name) ?? true;

/**
 * `anycast-lab failover`: one failover run (outage and phases), or `--runs n` of them over failure
 * instants drawn over the lab's RIP update interval, stepped run by run so Ctrl-C stops between
 * runs and prints the summary of the runs done. A run whose baseline before the failure was not
 * steady reports no outage: it says why, and the command exits 1 (lib/measure/failover.ts).
 */
import { formatDuration, seconds, toSeconds, type SimTime } from '../sim/time';
import { parseFailure } from '../config/failures';
import { distributionStream, failoverRun, failoverWindow, measureFailover, type FailoverOptions, type FailoverResult } from '../measure/failover';
import { instantStream, monteCarloRun, type MonteCarloPlan } from '../measure/monte-carlo';
import { outageSummary, type FailoverRun } from '../results/outcome';
import { defaultSetup, failoverOptionsOf, PARAMETERS, parseFlag, RUNS, type Knob, type RunSetup } from '../sweep';
import { probeBudgetError } from '../sweep/parameters';
import { failFlags, flagValue, labDir, labOptions, noMoreWords, seedOf, time, UsageError, type CliValues } from './options';
import { INTERRUPTED, type Steps } from './steps';
import { outageRunWithPremiseJson, outageSummaryJson, unsteadyCountJson } from './json';

type Out = (s: string) => void;

/** The failover command's what-if options, each read through its parameter (lib/sweep/parameters.ts: `--interval` is probeInterval). */
const FAILOVER_FLAGS = ['probeInterval', 'profile', 'bindProfile', 'probe', 'healthCheck', 'timers', 'iosPoison', 'frrVersion', 'client', 'target'] as const;

/** `--fail <node>:<mode> --at <time>`, or `--fail <node>:<mode>@<time>`: the failure without its time, and the time. */
function failoverFailure(values: CliValues): { fail: string; at: SimTime } {
  const fails = failFlags(values);
  if (fails.length !== 1) throw new UsageError(`failover needs exactly one --fail <node>:<mode>, e.g. --fail xenial1:halt (got ${fails.length})`);
  let fail = fails[0]!;
  const atKnob = PARAMETERS['at'] as Knob<SimTime>;
  let at = values.at === undefined ? null : flagValue(atKnob, values.at);
  if (fail.includes('@')) {
    const parsed = parseFailure(fail);
    if (!parsed.ok) throw new Error(`--fail ${parsed.error}`);
    if (at !== null) throw new UsageError(`--fail ${fail} carries its own time and --at gives another: give the time once`);
    // The time in --fail has the bounds of --at.
    const given = parseFlag(atKnob, fail.slice(fail.lastIndexOf('@') + 1), { baseDir: process.cwd() });
    if (!given.ok) throw new UsageError(`--fail ${fail}: ${given.error.replace(/^--at: /, '')}`);
    at = given.value;
    fail = fail.slice(0, fail.lastIndexOf('@'));
  } else {
    const parsed = PARAMETERS['fail']!.parse(fail, { baseDir: process.cwd() });
    if (!parsed.ok) throw new Error(`--fail ${parsed.error}`);
  }
  if (at === null) throw new UsageError('failover needs --at <time>: when the failure happens, e.g. --at 2m');
  return { fail, at };
}

/** The run the failover command's options describe, as an experiment's point would hold it (anycast on unless an option says otherwise). */
function failoverSetup(labArg: string, dir: string, values: CliValues, fail: string, at: SimTime): RunSetup {
  const setup = defaultSetup({ name: labArg, dir });
  setup.options = { do_anycast: true, ...labOptions(values) };
  setup.fail = fail;
  setup.at = at;
  for (const name of FAILOVER_FLAGS) {
    const parameter = PARAMETERS[name]!;
    const text = values[parameter.flag as keyof CliValues];
    if (typeof text === 'string') parameter.apply(setup, flagValue(parameter, text));
  }
  if (values.change !== undefined) {
    const change = PARAMETERS['change']!;
    const parsed = change.parse(values.change, { baseDir: process.cwd() });
    if (!parsed.ok) throw new UsageError(`--change: ${parsed.error}`);
    change.apply(setup, parsed.value);
  }
  return setup;
}

/** `anycast-lab failover <lab> --fail xenial1:halt --at 2m [...]`. */
export function failover(words: string[], values: CliValues, out: Out, err: Out): number | Steps<number> {
  const dir = labDir(words[0]);
  noMoreWords('failover', 'one lab', words.slice(1));
  const { fail, at } = failoverFailure(values);
  const until = values.until === undefined ? null : time(values.until, '--until', 0);
  if (until !== null && until <= at) throw new UsageError(`--until ${values.until} must be after the failure (--at ${formatDuration(at)})`);
  const setup = failoverSetup(words[0]!, dir, values, fail, at);
  if (until !== null) setup.runFor = until - at;
  const budget = probeBudgetError(setup, { interval: '--interval', runFor: '--until' });
  if (budget !== null) throw new UsageError(budget);
  const options: FailoverOptions = { ...failoverOptionsOf(setup), at, seed: seedOf(values.seed) };
  if (values.runs !== undefined) return failoverRuns(setup, options, flagValue(RUNS, values.runs), values.json === true, out, err);
  const r = measureFailover({ ...options, until: at + setup.runFor });
  const verdict = r.baseline.steady ? 0 : 1;
  if (values.json === true) {
    // `baseline` appears only when the premise failed: a steady run's output is what it always was.
    const baseline = r.baseline.steady ? {} : { baseline: { steady: false, problems: r.baseline.problems, causes: r.baseline.causes } };
    out(JSON.stringify({ ...(failoverJson(r, setup.client, setup.target, setup.probeInterval) as object), probe: setup.probe, nearServer: r.nearServer, healthChecks: r.healthChecks.map((e) => ({ node: e.node, kind: e.kind, atSeconds: toSeconds(e.t) })), ...baseline }, null, 2));
    return verdict;
  }
  const whatIf = [
    setup.profile === null ? '' : `; RIP profile ${setup.profile}`,
    setup.bindProfile === null ? '' : `; BIND profile ${setup.bindProfile}`,
    setup.timers === null ? '' : `; timers basic ${values.timers!.trim()}`,
    setup.iosPoison === null ? '' : `; IOS poison ${setup.iosPoison}`,
    setup.healthCheck?.interval === undefined ? '' : `; health check every ${formatDuration(setup.healthCheck.interval)}`,
  ].join('');
  out(`failover: ${r.failure}; ${setup.client} ${setup.probe === 'dns' ? 'asks' : 'pings'} ${setup.target} every ${formatDuration(setup.probeInterval)}${whatIf}; seed ${options.seed}`);
  printFailover(r, setup, out);
  return verdict;
}

/**
 * `failover --runs n`: the outage over n failure instants drawn over one RIP update interval from
 * --at, one run per step. The draws are failoverDistribution's (lib/measure/failover.ts): the same
 * seed gives the same runs, whether all are done or Ctrl-C stopped them after k.
 */
function* failoverRuns(setup: RunSetup, options: FailoverOptions, runs: number, json: boolean, out: Out, err: Out): Steps<number> {
  const profile = setup.profile;
  const o = options;
  const window = failoverWindow(o);
  const plan: MonteCarloPlan = { draws: instantStream(o.seed ?? 1, distributionStream(profile)), at: o.at, window };
  const done: FailoverRun[] = [];
  for (let run = 0; run < runs; run++) {
    done.push(monteCarloRun(plan, run, (t) => failoverRun({ ...o, seed: t.labSeed }, t.at, setup.runFor, t.run)));
    if (run + 1 < runs && (yield { done: run + 1, total: runs, unit: 'runs' })) break;
  }
  const d = outageSummary(done);
  const stopped = done.length < runs;
  if (stopped) err(`interrupted after ${done.length} of ${runs} runs (Ctrl-C): the outage over those`);
  const verdict = stopped ? INTERRUPTED : d.unsteady > 0 ? 1 : 0;
  if (json) {
    // `unsteady` (per run and in all) appears only for runs whose premise failed, as in a single run's `baseline`.
    out(JSON.stringify({ profile, runs: done.map(outageRunWithPremiseJson), ...outageSummaryJson(d), ...unsteadyCountJson(d) }, null, 2));
    return verdict;
  }
  const who = profile === null ? 'each RIP speaker its own profile' : `profile ${profile}`;
  out(`failover ${setup.fail} at ${formatDuration(setup.at)} + U[0, ${formatDuration(window)}), ${stopped ? `${done.length} of ${runs}` : runs} runs, ${who}, seed ${options.seed}`);
  out(`outage min/median/max = ${d.min ?? '-'}/${d.median ?? '-'}/${d.max ?? '-'} s${d.unrecovered > 0 ? `; ${d.unrecovered} runs did not recover` : ''}`);
  const unsteady = unsteadyLine(d, done);
  if (unsteady !== null) out(unsteady);
  return verdict;
}

/**
 * The runs whose baseline before the failure was not steady, in one line (null: none): they report
 * no outage, and the summary above is over the others. `failover --runs` and `real failover` alike.
 */
export function unsteadyLine(d: { unsteady: number }, done: readonly FailoverRun[]): string | null {
  if (d.unsteady === 0) return null;
  const first = done.find((r) => r.unsteady !== undefined)!;
  return `${d.unsteady} of ${done.length} runs report no outage: the baseline before the failure was not steady (run ${first.run}: ${first.unsteady}); \`anycast-lab doctor\` on the lab says why when its RIP timers cannot hold a route`;
}

/** The outage line: what was measured, including when nothing after the failure was, or why nothing is read. */
function outageLine(r: FailoverResult, setup: RunSetup): string {
  if (!r.baseline.steady) {
    const why = r.baseline.causes.length > 0 ? `\nwhy: ${r.baseline.causes.join('\nwhy: ')}` : '';
    return `outage: not measured: the service was not steady before the failure, so no outage can be told apart from the flapping\nbaseline: ${r.baseline.problems.join('\nbaseline: ')}${why}`;
  }
  if (r.outage === null) {
    return r.lastGood === null ? 'outage: unknown (no reply before the failure)' : `outage: no reply after the failure by the end of the run (last reply sent at ${formatDuration(r.lastGood)})`;
  }
  if (r.outage > 0) return `outage: ${toSeconds(r.outage)}s (last reply sent at ${formatDuration(r.lastGood!)}, first reply after the failure sent at ${formatDuration(r.firstGood!)})`;
  const after = [...r.rows, ...r.dnsRows].filter((row) => row.t >= r.at).length;
  if (after > 0) return 'outage: none (every probe after the failure was answered)';
  const end = r.at + setup.runFor;
  return `outage: not measured (no probe was sent after the failure at ${formatDuration(r.at)}: one every ${formatDuration(setup.probeInterval)} from ${formatDuration(Math.max(0, r.at - seconds(20)))}, and the run ended at ${formatDuration(end)}); a shorter --interval or a later --until measures it`;
}

/** One failover run as text: the health checks' actions, the outage, each phase with what identifies it. */
function printFailover(r: FailoverResult, setup: RunSetup, out: Out): void {
  for (const e of r.healthChecks) out(`health check: ${e.node} ${e.kind === 'withdrawn' ? 'took lo:0 down' : 'put lo:0 back'} at ${formatDuration(e.t)}`);
  out(outageLine(r, setup));
  out(r.baseline.steady ? 'phases:' : 'phases (what the probe saw; near = the shortest path, far = a longer one):');
  for (const p of r.phases) {
    const inPhase = r.rows.filter((row) => row.t >= p.from && row.t <= p.to);
    const answeredBy = r.dnsRows.filter((row) => row.t >= p.from && row.t <= p.to && row.server !== null).map((row) => row.server);
    const detail =
      setup.probe === 'dns'
        ? p.phase === 'near' || p.phase === 'far'
          ? `server ${[...new Set(answeredBy)].join(',')}`
          : ''
        : p.phase === 'near' || p.phase === 'far'
          ? `ttl=${[...new Set(inPhase.map((row) => row.ttl))].join(',')}`
          : p.phase === 'unreachable'
            ? `from ${[...new Set(inPhase.map((row) => row.from ?? 'the client'))].join(', ')}`
            : '';
    out(`  ${p.phase.padEnd(12)} ${`${formatDuration(p.from)} – ${formatDuration(p.to)}`.padEnd(18)} ${String(p.count).padStart(5)} probe${p.count === 1 ? ' ' : 's'}  ${detail}`.trimEnd());
  }
}

function failoverJson(r: FailoverResult, client: string, target: string, interval: number): unknown {
  const s = (t: SimTime | null) => (t === null ? null : toSeconds(t));
  return { failure: r.failure, client, target, intervalSeconds: toSeconds(interval), atSeconds: toSeconds(r.at), outageSeconds: r.outageSeconds, lastGoodSeconds: s(r.lastGood), firstGoodSeconds: s(r.firstGood), nearTtl: r.nearTtl, phases: r.phases.map((p) => ({ phase: p.phase, fromSeconds: toSeconds(p.from), toSeconds: toSeconds(p.to), count: p.count })) };
}

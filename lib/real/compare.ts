/**
 * Simulated and real runs of the same experiment side by side: the saved real records (data/real/),
 * and the agreement of the two sides, case by case. Pure functions of rows (the simulated rows come
 * from lib/measure/compare-runs.ts): the chapter renders from saved files without root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LookupTiming, RouteRow } from '../results/rows';
import type { FailoverRun } from '../results/outcome';
import { median } from '../results/stats';
import type { RealSurveyRecord, RealTtlRow } from './survey';
import type { RealFailoverRecord } from './failover';

/** The saved real measurements of a lab (data/real/<lab>), wherever the package is installed. */
export function realDataPath(lab: string): string {
  return join(__dirname, '..', '..', 'data', 'real', lab);
}

/** Reads a saved record and checks its kind, naming the file when it is not what was asked for. */
export function readRealRecord<T extends { kind: string }>(file: string, kind: T['kind']): T {
  if (!existsSync(file)) throw new Error(`${file}: no such saved measurement (run the real lab to make it: anycast-lab real measure)`);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { kind?: unknown };
  if (parsed.kind !== kind) throw new Error(`${file}: expected a saved "${kind}" record, found "${String(parsed.kind)}"`);
  return parsed as T;
}

export interface AgreementRow {
  case: string;
  simulated: string;
  real: string;
  /** Real values inside the simulated range widened by the slack on each side, as `k/n`. */
  realInSimRange: string;
  agree: boolean;
}

/** min / median / max of the values that are numbers, and how many are not (null: never happened). */
function summaryText(values: readonly (number | null)[], unit: string): string {
  const done = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const missing = values.length - done.length;
  if (done.length === 0) return `never (${values.length === 1 ? '1 run' : `${values.length} runs`})`;
  const mid = median(done)!;
  const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
  const spread = done.length === 1 ? `${fmt(done[0]!)} ${unit}` : `${fmt(done[0]!)} / ${fmt(mid)} / ${fmt(done[done.length - 1]!)} ${unit}`;
  return `${spread} (${values.length === 1 ? '1 run' : `${values.length} runs`}${missing > 0 ? `, ${missing} never` : ''})`;
}

/**
 * Whether real values fall where the simulator puts them: every real value inside the simulated
 * [min, max] widened by `slack` (the probe interval, the real clock's jitter, process start-up), and
 * a real null ("never": no recovery, no answer) only where the simulator also has one.
 */
export function agreementRow(label: string, simulated: readonly (number | null)[], real: readonly (number | null)[], slack: number, unit = 's'): AgreementRow {
  const sim = simulated.filter((v): v is number => v !== null);
  const simNever = sim.length < simulated.length;
  const lo = sim.length === 0 ? null : Math.min(...sim) - slack;
  const hi = sim.length === 0 ? null : Math.max(...sim) + slack;
  const inside = real.filter((v) => (v === null ? simNever : lo !== null && hi !== null && v >= lo && v <= hi)).length;
  return { case: label, simulated: summaryText(simulated, unit), real: summaryText(real, unit), realInSimRange: `${inside}/${real.length}`, agree: real.length > 0 && inside === real.length };
}

export interface RouteComparisonRow {
  node: string;
  prefix: string;
  simulated: string;
  real: string;
  same: boolean;
}

/** How a route reads in both tables: next hop (or "connected") and, for RIP routes, the metric. */
function routeText(r: RouteRow | undefined): string {
  if (r === undefined) return '—';
  const via = r.nextHop === null ? `connected ${r.iface}` : `via ${r.nextHop}`;
  return r.source === 'rip' ? `${via}, RIP metric ${Number.isNaN(r.metric) ? '?' : r.metric}` : `${via} (${r.source})`;
}

/** Every (node, prefix) in either table, side by side; local routes and loopback left out. */
export function compareRoutes(simulated: readonly RouteRow[], real: readonly RouteRow[]): RouteComparisonRow[] {
  const keep = (r: RouteRow) => r.source !== 'local' && !r.prefix.startsWith('127.');
  const key = (r: RouteRow) => `${r.node}\u0000${r.prefix}`;
  const sim = new Map(simulated.filter(keep).map((r) => [key(r), r]));
  const rea = new Map(real.filter(keep).map((r) => [key(r), r]));
  const keys = [...new Set([...sim.keys(), ...rea.keys()])].sort();
  return keys.map((k) => {
    const [node, prefix] = k.split('\u0000') as [string, string];
    const a = routeText(sim.get(k));
    const b = routeText(rea.get(k));
    return { node, prefix, simulated: a, real: b, same: a === b };
  });
}

/** Seconds to converge after a cold start on the real side: the survey's, then every failover run's. */
export function realColdStarts(survey: Pick<RealSurveyRecord, 'convergedSeconds'>, failovers: readonly Pick<RealFailoverRecord, 'runs'>[]): (number | null)[] {
  return [survey.convergedSeconds, ...failovers.flatMap((f) => f.runs.map((r) => r.convergedSeconds))];
}

/** One failover case on both sides, as rows of outageDistributionFigure: `<label>, simulated` and `<label>, real`. */
export function outageFigureRows(label: string, simulated: readonly Pick<FailoverRun, 'outageSeconds'>[], real: readonly Pick<FailoverRun, 'outageSeconds'>[]): { profile: string; outageSeconds: number | null }[] {
  return [...simulated.map((r) => ({ profile: `${label}, simulated`, outageSeconds: r.outageSeconds })), ...real.map((r) => ({ profile: `${label}, real`, outageSeconds: r.outageSeconds }))];
}

/** The agreement of two sets of failover runs on their outages (agreementRow over `outageSeconds`). */
export function outageAgreementRow(label: string, simulated: readonly Pick<FailoverRun, 'outageSeconds'>[], real: readonly Pick<FailoverRun, 'outageSeconds'>[], slack: number): AgreementRow {
  return agreementRow(label, simulated.map((r) => r.outageSeconds), real.map((r) => r.outageSeconds), slack);
}

export interface TtlComparisonRow {
  client: string;
  target: string;
  /** The echo reply's TTL, or "-" when no reply came. */
  simulated: number | '-';
  real: number | '-';
}

/** Each real (client, target) ping beside the simulated one; `simulated[i]` is the simulator's TTL for `real[i]`, null for no reply. */
export function compareTtls(real: readonly RealTtlRow[], simulated: readonly (number | null)[]): TtlComparisonRow[] {
  return real.map((t, i) => ({ client: t.client, target: t.target, simulated: simulated[i] ?? '-', real: t.ttl ?? '-' }));
}

type LookupTime = Pick<LookupTiming, 'tool' | 'failure' | 'seconds'>;

/** The simulated lookup of the same tool and failure as a real one. */
function simulatedLookup(simulated: readonly LookupTime[], real: LookupTime): LookupTime {
  const sim = simulated.find((s) => s.tool === real.tool && s.failure === real.failure);
  if (sim === undefined) throw new Error(`no simulated lookup for tool "${real.tool}" and failure "${real.failure}" (a case of the real lookups the simulated ones lack)`);
  return sim;
}

/** Every real lookup beside the simulated one of the same tool and failure, in seconds to two decimals. */
export function compareLookups(simulated: readonly LookupTime[], real: readonly LookupTime[]): { tool: string; failure: string; 'simulated (s)': number; 'real (s)': number }[] {
  return real.map((r) => ({ tool: r.tool, failure: r.failure, 'simulated (s)': +simulatedLookup(simulated, r).seconds.toFixed(2), 'real (s)': +r.seconds.toFixed(2) }));
}

export interface AgreementInputs {
  /** agreementRow of the cold starts. */
  coldStart: AgreementRow;
  routes: readonly RouteComparisonRow[];
  ttls: readonly TtlComparisonRow[];
  lookups: { simulated: readonly LookupTime[]; real: readonly LookupTime[]; slack: number };
  /** agreementRow (outageAgreementRow) of each failover case. */
  outages: readonly AgreementRow[];
}

/** Everything compared, one row a case: cold start, routing tables, TTLs, each lookup, each failover case. */
export function agreementRows(o: AgreementInputs): AgreementRow[] {
  const sameRoutes = o.routes.filter((r) => r.same).length;
  const sameTtls = o.ttls.filter((t) => t.simulated === t.real).length;
  return [
    o.coldStart,
    { case: 'routing tables (next hop, RIP metric)', simulated: `${o.routes.length} routes`, real: `${o.routes.length} routes`, realInSimRange: `${sameRoutes}/${o.routes.length}`, agree: o.routes.every((r) => r.same) },
    { case: 'ping TTLs', simulated: o.ttls.map((t) => t.simulated).join(' '), real: o.ttls.map((t) => t.real).join(' '), realInSimRange: `${sameTtls}/${o.ttls.length}`, agree: sameTtls === o.ttls.length },
    ...o.lookups.real.map((r) => agreementRow(`${r.tool}, ${r.failure}: lookup`, [simulatedLookup(o.lookups.simulated, r).seconds], [r.seconds], o.lookups.slack)),
    ...o.outages,
  ];
}

/** Agreement rows as the chapter's table shows them. */
export function agreementTable(rows: readonly AgreementRow[]): { case: string; simulated: string; real: string; 'real inside the simulated range': string; agree: 'yes' | 'NO' }[] {
  return rows.map((r) => ({ case: r.case, simulated: r.simulated, real: r.real, 'real inside the simulated range': r.realInSimRange, agree: r.agree ? 'yes' : 'NO' }));
}

/** The outages (seconds) of the runs that recovered, in run order. */
export function recoveredOutages(runs: readonly Pick<FailoverRun, 'outageSeconds'>[]): number[] {
  return runs.map((r) => r.outageSeconds).filter((x): x is number => x !== null);
}

/** The share of the recovered runs whose outage was longer than `limit` seconds, as a whole percentage: `40%`. */
export function shareLongerThan(runs: readonly Pick<FailoverRun, 'outageSeconds'>[], limit: number): string {
  const done = recoveredOutages(runs);
  return `${Math.round((100 * done.filter((x) => x > limit).length) / done.length)}%`;
}

/**
 * Simulated and real runs of the same experiment side by side: the saved real records (data/real/),
 * and the agreement of two outage distributions. Pure functions: the chapter renders from saved
 * files without root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteRow } from '../results/rows';

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
  const median = done.length % 2 === 1 ? done[(done.length - 1) / 2]! : (done[done.length / 2 - 1]! + done[done.length / 2]!) / 2;
  const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
  const spread = done.length === 1 ? `${fmt(done[0]!)} ${unit}` : `${fmt(done[0]!)} / ${fmt(median)} / ${fmt(done[done.length - 1]!)} ${unit}`;
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

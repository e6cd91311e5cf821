/**
 * Simulated and real runs of the same experiment side by side: the saved real records (data/real/),
 * and the agreement of two outage distributions. Pure functions: the chapter renders from saved
 * files without root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FailoverRun } from '../lab/failover';
import { outageSummary } from '../lab/failover';

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
  /** Real runs whose outage lies in the simulated range widened by `slack` on each side, as `k/n`. */
  realInSimRange: string;
  agree: boolean;
}

function summaryText(runs: readonly Pick<FailoverRun, 'outageSeconds'>[]): string {
  const s = outageSummary(runs as FailoverRun[]);
  const n = runs.length;
  if (s.median === null) return `no recovery in ${n} runs`;
  const fmt = (v: number | null) => (v === null ? '-' : v.toFixed(1));
  return `${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)} s (${n} runs${s.unrecovered > 0 ? `, ${s.unrecovered} without recovery` : ''})`;
}

/**
 * Whether the real outages fall where the simulator puts them: every real run inside the simulated
 * [min, max] widened by `slackSeconds` (the probe interval and the real clock's jitter), and the
 * runs that never recovered in both or in neither.
 */
export function agreementRow(label: string, simulated: readonly Pick<FailoverRun, 'outageSeconds'>[], real: readonly Pick<FailoverRun, 'outageSeconds'>[], slackSeconds: number): AgreementRow {
  const sim = simulated.flatMap((r) => (r.outageSeconds === null ? [] : [r.outageSeconds]));
  const lo = sim.length === 0 ? null : Math.min(...sim) - slackSeconds;
  const hi = sim.length === 0 ? null : Math.max(...sim) + slackSeconds;
  const inside = real.filter((r) => (r.outageSeconds === null ? sim.length === 0 : lo !== null && hi !== null && r.outageSeconds >= lo && r.outageSeconds <= hi)).length;
  return { case: label, simulated: summaryText(simulated), real: summaryText(real), realInSimRange: `${inside}/${real.length}`, agree: real.length > 0 && inside === real.length };
}

/**
 * A feature lab on real FRR 8.4, looked at once it has settled: every FRR router's `show ip route`
 * and `show ip rip` as vtysh prints them, saved under data/real/<lab>/show.json with the versions
 * and date they ran on, so that the simulator's consoles are checked against them without root
 * (lib/results/show.ts compares them, lib/cli/features.ts puts the two sides together).
 *
 * "Settled" cannot be "every router reaches every prefix" (ripConverged): these labs are made to
 * keep routes from some routers (passive interfaces, version mismatches). It is: no router's two
 * outputs changed, apart from their uptime and timer columns, for SETTLE_STABLE_MS, polled once a
 * second from MIN_WAIT_MS after up, for at most SETTLE_TIMEOUT_MS.
 */
import { toSeconds } from '../sim/time';
import { realUp, realDown } from './lab';
import { nodeDirs } from './daemons';
import { realVersions, type RealVersions } from './observe';
import { assertClean } from './teardown';
import { RealLabError, run, sleepMs } from './system';
import type { RealLab } from './lab';
import { normaliseShow, SHOW_COMMANDS, type ShowCommand, type ShowNode } from '../results/show';

/**
 * Four update intervals of the labs' `timers basic 5 15 10`: longer than the 15 s timeout, so a
 * route that is going to time out has done so (and shows metric 16) before the outputs count as
 * settled.
 */
export const SETTLE_STABLE_MS = 20_000;
/** Routers ask their neighbours at start (ripd.c rip_request_send): nothing is taken before 10 s. */
export const MIN_WAIT_MS = 10_000;
export const SETTLE_TIMEOUT_MS = 150_000;

/** A router's vtysh text for each command, as printed (uptimes and timers included). */
export type RealShowNode = ShowNode;

export interface RealShowRecord {
  kind: 'real-show';
  lab: string;
  options: Record<string, boolean>;
  date: string;
  versions: RealVersions;
  /** `lab`: every router ran the lab's own FRR files as written (their own `timers basic`). */
  ripTimers: 'lab';
  upSeconds: number;
  /** Seconds from up's start to the last change of any output (uptime and timer columns aside). */
  settledSeconds: number;
  /** Seconds from up's start to when the outputs below were taken. */
  recordedSeconds: number;
  nodes: RealShowNode[];
}

export interface RealShowOptions {
  labDir: string;
  options?: Record<string, boolean>;
  stateFile?: string;
  progress?: (line: string) => void;
}

/** One router's output of one command through its own vtysh socket; a failure names the router and the command. */
export function realShow(lab: RealLab, node: string, command: ShowCommand): string {
  const r = run(['vtysh', '--vty_socket', nodeDirs(lab, node).vty, '-c', command], 10_000);
  if (r.status !== 0) throw new RealLabError(`${node}: vtysh -c "${command}" failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
  // vtysh ends its output with a newline the simulator's console (one string per command) has not.
  return r.stdout.replace(/\n+$/, '');
}

function snapshot(lab: RealLab, nodes: readonly string[]): RealShowNode[] {
  return nodes.map((node) => ({ node, outputs: Object.fromEntries(SHOW_COMMANDS.map((c) => [c, realShow(lab, node, c)])) as Record<ShowCommand, string> }));
}

function fingerprint(s: readonly RealShowNode[]): string {
  return JSON.stringify(s.map((n) => SHOW_COMMANDS.map((c) => normaliseShow(c, n.outputs[c]))));
}

/** Brings the lab up with its own FRR files, waits until it has settled, takes every FRR router's outputs, removes the lab. */
export function recordRealShow(o: RealShowOptions): RealShowRecord {
  const progress = o.progress ?? (() => {});
  const lab = realUp({ labDir: o.labDir, options: o.options ?? {}, ripTimers: null, progress, ...(o.stateFile === undefined ? {} : { stateFile: o.stateFile }) });
  try {
    const nodes = lab.plan.nodes.filter((n) => n.rip).map((n) => n.node);
    const since = (): number => Date.now() - lab.state.startedAtMs;
    let last = '';
    let changedAt = since();
    let taken: RealShowNode[] = [];
    for (;;) {
      const now = since();
      taken = snapshot(lab, nodes);
      const f = fingerprint(taken);
      if (f !== last) {
        last = f;
        changedAt = now;
      } else if (now >= MIN_WAIT_MS && now - changedAt >= SETTLE_STABLE_MS) {
        const record: RealShowRecord = {
          kind: 'real-show',
          lab: lab.spec.name,
          options: lab.spec.options,
          date: new Date().toISOString(),
          versions: realVersions(),
          ripTimers: 'lab',
          upSeconds: +((lab.state.upAtMs! - lab.state.startedAtMs) / 1000).toFixed(3),
          settledSeconds: +(changedAt / 1000).toFixed(3),
          recordedSeconds: +(now / 1000).toFixed(3),
          nodes: taken,
        };
        progress(`${lab.spec.name}: settled at ${record.settledSeconds} s, taken at ${record.recordedSeconds} s`);
        return record;
      }
      if (now > SETTLE_TIMEOUT_MS) throw new RealLabError(`${lab.spec.name}: the routers' outputs last changed at ${toSeconds(changedAt * 1000).toFixed(0)} s and had not been steady for ${SETTLE_STABLE_MS / 1000} s when the wait ended at ${SETTLE_TIMEOUT_MS / 1000} s (no steady state to record)`);
      sleepMs(1000);
    }
  } finally {
    const report = realDown(lab.stateFile, progress);
    if (report !== null) assertClean(report);
  }
}

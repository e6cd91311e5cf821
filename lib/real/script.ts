/**
 * A lab script (lib/lab/script.ts) on the real lab: the lab's own FRR files on FRR 8.4 in network
 * namespaces, each step's vtysh command run in its router's vtysh at its time after the lab is up
 * (the wall clock stands in for simulated time), and every output saved, so that the simulator's run
 * of the same script is compared with it step by step (data/real/<lab>/script.json).
 *
 * Only `vtysh …` steps run here: a configuration change is the same `vtysh -c "configure terminal"
 * -c …` chain FRR takes; other console commands are the simulator's.
 * NOTE: a step runs when its time has come on the wall clock, counted from when every daemon was
 * started; the daemons started a second or two apart, so "30 s" is 30 s after the last one started.
 */
import { realUp, realDown } from './lab';
import { nodeDirs } from './daemons';
import { realVersions, type RealVersions } from './observe';
import { assertClean } from './teardown';
import { RealLabError, run, sleepMs } from './system';
import { toSeconds } from '../sim/time';
import { splitWords, type ScriptStep } from '../config/script';

export interface RealScriptStep {
  atSeconds: number;
  node: string;
  command: string;
  /** When it ran, in seconds after the lab was up (the wall clock's `atSeconds`). */
  ranSeconds: number;
  output: string;
}

export interface RealScriptRecord {
  kind: 'real-script';
  lab: string;
  script: string;
  date: string;
  versions: RealVersions;
  steps: RealScriptStep[];
}

export interface RealScriptOptions {
  labDir: string;
  script: string;
  steps: readonly ScriptStep[];
  stateFile?: string;
  /** The namespaces' prefix. @defaultValue realUp's */
  prefix?: string;
  progress?: (line: string) => void;
}

/** Runs the script's vtysh steps on the real lab at their times, then removes the lab. */
export function runRealScript(o: RealScriptOptions): RealScriptRecord {
  for (const s of o.steps) {
    if (splitWords(s.command)[0] !== 'vtysh') throw new RealLabError(`${where(s)}: the real lab runs vtysh steps only, got "${s.command}"`);
  }
  const progress = o.progress ?? (() => {});
  const lab = realUp({ labDir: o.labDir, ripTimers: null, ...(o.prefix === undefined ? {} : { prefix: o.prefix }), progress, ...(o.stateFile === undefined ? {} : { stateFile: o.stateFile }) });
  try {
    const upAt = lab.state.upAtMs!;
    const steps: RealScriptStep[] = [];
    for (const s of o.steps) {
      const due = upAt + toSeconds(s.at) * 1000;
      // Bounded: one step waits at most for its own time (the script's times are at most a day).
      while (Date.now() < due) sleepMs(Math.min(200, due - Date.now()));
      const ran = (Date.now() - upAt) / 1000;
      const args = splitWords(s.command).slice(1);
      const r = run(['vtysh', '--vty_socket', nodeDirs(lab, s.node).vty, ...args], 10_000);
      if (r.status !== 0 && r.stdout === '') throw new RealLabError(`${where(s)}: ${s.node}: ${s.command} failed (exit ${r.status}): ${r.stderr.trim()}`);
      steps.push({ atSeconds: toSeconds(s.at), node: s.node, command: s.command, ranSeconds: +ran.toFixed(3), output: r.stdout.replace(/\n+$/, '') });
      progress(`@${toSeconds(s.at)}s ${s.node}: ${s.command} (ran at ${ran.toFixed(1)} s)`);
    }
    return { kind: 'real-script', lab: lab.spec.name, script: o.script, date: new Date().toISOString(), versions: realVersions(), steps };
  } finally {
    const report = realDown(lab.stateFile, progress);
    if (report !== null) assertClean(report);
  }
}

/** Where a step was written: `drain.script:7`, or `--change` for a change given on the command line. */
function where(s: ScriptStep): string {
  return s.line === 0 ? s.file : `${s.file}:${s.line}`;
}

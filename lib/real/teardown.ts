/**
 * `real down`: removes everything a state file names, in the order that works after any crash:
 * processes first (by PID, checked by start time, waited for), then anything still running inside
 * the lab's namespaces, then /etc/netns entries, then the namespaces (their veths and bridges go
 * with them), FRR's crash-log folders of our daemons, the run folder and the state file. Each step
 * tolerates things that were never made (a crash can come between recording and making).
 */
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RealState } from './state';
import { removeState, runDirName } from './state';
import { deleteNamespace, ETC_NETNS, namespaceExists, namespacePids, removeEtcNetns } from './network';
import { isRunning, processStartTime, RealLabError, stopProcess } from './system';

/** FRR daemons write crash logs to /var/tmp/frr/<daemon>.<pid>/. */
export const FRR_CRASH_DIR = '/var/tmp/frr';

export interface TeardownReport {
  processesStopped: number;
  strayProcessesStopped: number;
  namespacesDeleted: string[];
  /** What could not be removed (empty when all is clean). */
  leftovers: string[];
}

export function teardown(state: RealState, stateFile: string, progress: (s: string) => void = () => {}): TeardownReport {
  let processesStopped = 0;
  for (const p of [...state.processes].reverse()) {
    if (!isRunning(p)) continue;
    stopProcess(p);
    processesStopped++;
  }
  progress(`${processesStopped} processes stopped`);
  // Processes started but killed before their PID was recorded, and whatever `real exec` left
  // running: anything inside a namespace of ours is ours.
  let strayProcessesStopped = 0;
  for (const ns of state.namespaces) {
    if (!namespaceExists(ns.name)) continue;
    for (const pid of namespacePids(ns.name)) {
      const startTime = processStartTime(pid);
      if (startTime === null) continue;
      stopProcess({ pid, startTime });
      strayProcessesStopped++;
    }
  }
  if (strayProcessesStopped > 0) progress(`${strayProcessesStopped} other processes in the lab's namespaces stopped`);
  for (const dir of state.etcNetns) removeEtcNetns(dir);
  // /etc/netns itself, when this lab made it and nothing else is in it now.
  if (state.madeEtcNetns === true && existsSync(ETC_NETNS) && readdirSync(ETC_NETNS).length === 0) rmdirSync(ETC_NETNS);
  const namespacesDeleted: string[] = [];
  for (const ns of [...state.namespaces].reverse()) {
    if (!namespaceExists(ns.name)) continue;
    deleteNamespace(ns.name);
    namespacesDeleted.push(ns.name);
  }
  progress(`${namespacesDeleted.length} namespaces deleted`);
  for (const p of state.processes) if (p.role === 'zebra' || p.role === 'staticd' || p.role === 'ripd') rmSync(join(FRR_CRASH_DIR, `${p.role}.${p.pid}`), { recursive: true, force: true });
  // The run folder is always named after the prefix (runDirFor): never remove another folder.
  if (basename(state.runDir) === runDirName(state.prefix)) rmSync(state.runDir, { recursive: true, force: true });
  const leftovers = leftoversOf(state);
  if (leftovers.length === 0) removeState(stateFile);
  return { processesStopped, strayProcessesStopped, namespacesDeleted, leftovers };
}

/** What of a state's things still exists: namespaces, processes, /etc/netns folders, the run folder. */
export function leftoversOf(state: RealState): string[] {
  const out: string[] = [];
  for (const ns of state.namespaces) if (namespaceExists(ns.name)) out.push(`namespace ${ns.name}`);
  for (const p of state.processes) if (isRunning(p)) out.push(`process ${p.pid} (${p.role} of ${p.node})`);
  for (const dir of state.etcNetns) if (existsSync(dir)) out.push(dir);
  if (existsSync(state.runDir)) out.push(state.runDir);
  // Namespaces with our prefix that the state does not list cannot exist (each is recorded before it
  // is made), but check: the prefix is ours alone.
  if (existsSync('/run/netns')) for (const name of readdirSync('/run/netns')) if (name.startsWith(state.prefix) && !state.namespaces.some((n) => n.name === name)) out.push(`namespace ${name} (not in the state file)`);
  return out;
}

export function assertClean(report: TeardownReport): void {
  if (report.leftovers.length > 0) throw new RealLabError(`real down could not remove: ${report.leftovers.join(', ')}`);
}

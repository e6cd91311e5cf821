/**
 * The daemons of a real lab node: zebra and ripd (FRR) on a RIP speaker, named (BIND 9) on a DNS
 * server, each started inside the node's namespace with its own files under the run folder, known
 * by PID (recorded in the state file), stopped by that PID.
 *
 * FRR 8.4 per namespace (DESIGN.md §5): explicit `-f` config, `-i` pid file, `-z` zserv socket and
 * `--vty_socket` folder, `-P 0` (no TCP vty), in the foreground so the PID we start is the daemon's.
 * The folder belongs to user `frr`: the daemons drop root before creating their sockets.
 * BIND 9 per namespace: its own named.conf, working folder, pid file and session key.
 */
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFrr, type FrrTimers } from '../config/writers/frr';
import { writeBind } from '../config/writers/bind';
import { namedBootPlan } from '../config/node-dns';
import { parseRipTimers } from '../config/overrides';
import type { RipTimersSpec } from '../config/spec';
import type { NodePlan } from './plan';
import type { StateJournal } from './state';
import type { RealLab } from './lab';
import { must, RealLabError, startInNamespace, stopProcess, waitUntil, isRunning, type TrackedProcess } from './system';

export const FRR_BIN = '/usr/lib/frr';
export const NAMED_BIN = '/usr/sbin/named';

export type DaemonRole = 'zebra' | 'ripd' | 'named';

/** A node's folders under the run folder. */
export function nodeDirs(lab: RealLab, node: string): { frr: string; named: string; vty: string } {
  const base = join(lab.state.runDir, node);
  return { frr: join(base, 'frr'), named: join(base, 'named'), vty: join(base, 'frr', 'vty') };
}

/**
 * FRR's `timers basic <update> <timeout> <garbage>` from its text (`5 15 10`), read by the
 * simulator's own reader (`withRipTimers`'s); IOS's four-number form is refused: ripd takes three.
 */
export function frrTimers(text: string, option = '--timers'): FrrTimers {
  let t: RipTimersSpec;
  try {
    t = parseRipTimers(text);
  } catch (e) {
    throw new RealLabError(`${option}: ${(e as Error).message.replace(/^timers: /, '')}`);
  }
  if (t.flavour !== 'frr') throw new RealLabError(`${option}: the real lab runs FRR ripd, which takes "timers basic <update> <timeout> <garbage>" (e.g. "5 15 10"), got IOS's four numbers "${text}"`);
  return { update: t.update, timeout: t.timeout, garbage: t.garbage };
}

/** A system user's ids (`frr`, `bind`: the users the packages create and the daemons drop to). */
function userIds(name: string): { uid: number; gid: number } {
  return { uid: Number(must(['id', '-u', name]).trim()), gid: Number(must(['id', '-g', name]).trim()) };
}

function chownAll(paths: string[], owner: { uid: number; gid: number }): void {
  for (const p of paths) chownSync(p, owner.uid, owner.gid);
}

/** Writes the node's FRR files and starts zebra, then ripd (ripd needs zebra's socket). */
export function startFrr(lab: RealLab, journal: StateJournal, n: NodePlan): void {
  const dirs = nodeDirs(lab, n.node);
  mkdirSync(dirs.vty, { recursive: true });
  const names: Record<string, string> = {};
  for (const i of lab.state.interfaces) if (i.node === n.node) names[`${i.node}:${i.spec}`] = i.linux;
  const timers = lab.state.ripTimers === null ? undefined : frrTimers(lab.state.ripTimers, 'state file ripTimers');
  const files = writeFrr(lab.spec, n.node, { interfaceNames: names, ...(timers === undefined ? {} : { timers }) });
  const zebraConf = join(dirs.frr, 'zebra.conf');
  const ripdConf = join(dirs.frr, 'ripd.conf');
  writeFileSync(zebraConf, files.zebraConf);
  writeFileSync(ripdConf, files.ripdConf);
  chownAll([dirs.frr, dirs.vty, zebraConf, ripdConf], userIds('frr'));
  startDaemon(journal, n, 'zebra', [join(FRR_BIN, 'zebra'), '-f', zebraConf, '-i', join(dirs.frr, 'zebra.pid'), '-z', join(dirs.frr, 'zserv.api'), '--vty_socket', dirs.vty, '-P', '0'], join(dirs.frr, 'zebra.log'));
  if (!waitUntil(() => existsSync(join(dirs.frr, 'zserv.api')), 10_000)) throw new RealLabError(`zebra of ${n.node} did not open its socket within 10 s; see ${join(dirs.frr, 'zebra.log')}`);
  startRipd(lab, journal, n);
}

export function startRipd(lab: RealLab, journal: StateJournal, n: NodePlan): void {
  const dirs = nodeDirs(lab, n.node);
  startDaemon(journal, n, 'ripd', [join(FRR_BIN, 'ripd'), '-f', join(dirs.frr, 'ripd.conf'), '-i', join(dirs.frr, 'ripd.pid'), '-z', join(dirs.frr, 'zserv.api'), '--vty_socket', dirs.vty, '-P', '0'], join(dirs.frr, 'ripd.log'));
}

/** Writes named.conf and the zones the node's setup makes, and starts named. */
export function startNamed(lab: RealLab, journal: StateJournal, n: NodePlan): void {
  const dirs = nodeDirs(lab, n.node);
  mkdirSync(dirs.named, { recursive: true });
  const written = writeBind(lab.spec, n.node, { dir: dirs.named });
  writeFileSync(join(dirs.named, 'named.conf'), written.namedConf);
  for (const f of written.files) writeFileSync(join(dirs.named, f.name), f.content);
  const plan = namedBootPlan(lab.spec, lab.spec.nodes.find((s) => s.name === n.node)!);
  // The write-up's §4.2 deletes `-u bind` from /etc/default/bind9, so its named runs as root.
  if (plan.runAsUser) chownAll([dirs.named], userIds('bind'));
  restartNamed(lab, journal, n);
}

export function restartNamed(lab: RealLab, journal: StateJournal, n: NodePlan): void {
  const dirs = nodeDirs(lab, n.node);
  const plan = namedBootPlan(lab.spec, lab.spec.nodes.find((s) => s.name === n.node)!);
  // -g: foreground, log to stderr; -4: the lab is IPv4-only; -n 1: one worker (a lab server answers a few queries a second).
  startDaemon(journal, n, 'named', [NAMED_BIN, '-g', '-4', '-n', '1', '-c', join(dirs.named, 'named.conf'), ...(plan.runAsUser ? ['-u', 'bind'] : [])], join(dirs.named, 'named.log'));
}

function startDaemon(journal: StateJournal, n: NodePlan, role: DaemonRole, argv: string[], log: string): TrackedProcess {
  const { pid, startTime } = startInNamespace(n.ns, argv, log);
  const p: TrackedProcess = { pid, startTime, node: n.node, role, argv, log };
  journal.recordProcess(p);
  return p;
}

/** The node's daemons in its setup's order: FRR (`/etc/init.d/quagga restart`) before named. */
export function startNodeDaemons(lab: RealLab, journal: StateJournal, n: NodePlan): void {
  if (n.rip) startFrr(lab, journal, n);
  if (n.named) startNamed(lab, journal, n);
}

/** The node's running daemons with this role (most recent last). */
export function daemonsOf(lab: RealLab, node: string, role?: DaemonRole): TrackedProcess[] {
  return lab.state.processes.filter((p) => p.node === node && (role === undefined || p.role === role) && isRunning(p));
}

/**
 * Stops a node's daemons of one role with `signal` (SIGTERM: a clean stop; SIGKILL: a crash). They
 * stay in the state file: `down` still removes their FRR crash-log folders.
 */
export function stopDaemons(lab: RealLab, node: string, role: DaemonRole, signal: NodeJS.Signals): number {
  const running = daemonsOf(lab, node, role);
  for (const p of running) stopProcess(p, signal);
  return running.length;
}

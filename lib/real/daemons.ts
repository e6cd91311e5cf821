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
import { must, run, RealLabError, startInNamespace, stopProcess, waitUntil, isRunning, type TrackedProcess } from './system';

export const FRR_BIN = '/usr/lib/frr';
export const NAMED_BIN = '/usr/sbin/named';

export type DaemonRole = 'zebra' | 'staticd' | 'ripd' | 'named';

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
  if (n.frrFiles !== null) {
    startOwnFrr(lab, journal, n, n.frrFiles);
    return;
  }
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

/** The argv of an FRR daemon of the node, reading `conf`, with its own pid file, zserv socket and vty folder. */
function frrArgv(lab: RealLab, n: NodePlan, daemon: 'zebra' | 'staticd' | 'ripd', conf: string): string[] {
  const dirs = nodeDirs(lab, n.node);
  return [join(FRR_BIN, daemon), '-f', conf, '-i', join(dirs.frr, `${daemon}.pid`), '-z', join(dirs.frr, 'zserv.api'), '--vty_socket', dirs.vty, '-P', '0'];
}

/**
 * A node that brings its own FRR files runs them as written, the way FRR 8.4's init script runs a
 * Debian 12 box (frrcommon.sh): zebra and staticd always, ripd when `daemons` says `ripd=yes`, each
 * reading its own file; an integrated `frr.conf` is then applied to the running daemons with
 * `vtysh -b` (frrcommon.sh `vtysh_b`). A daemon without a file of its own starts with an empty one.
 * The lab's `--timers` do not apply: the files are not rewritten.
 */
function startOwnFrr(lab: RealLab, journal: StateJournal, n: NodePlan, files: { name: string; text: string }[]): void {
  const dirs = nodeDirs(lab, n.node);
  mkdirSync(dirs.vty, { recursive: true });
  const written: string[] = [dirs.frr, dirs.vty];
  const conf = (daemon: string): string => {
    const path = join(dirs.frr, `${daemon}.conf`);
    writeFileSync(path, files.find((f) => f.name === `${daemon}.conf`)?.text ?? '');
    written.push(path);
    return path;
  };
  const zebraConf = conf('zebra');
  const staticdConf = conf('staticd');
  const ripdConf = conf('ripd');
  const integrated = files.find((f) => f.name === 'frr.conf');
  if (integrated !== undefined) {
    writeFileSync(join(dirs.frr, 'frr.conf'), integrated.text);
    written.push(join(dirs.frr, 'frr.conf'));
  }
  chownAll(written, userIds('frr'));
  startDaemon(journal, n, 'zebra', frrArgv(lab, n, 'zebra', zebraConf), join(dirs.frr, 'zebra.log'));
  if (!waitUntil(() => existsSync(join(dirs.frr, 'zserv.api')), 10_000)) throw new RealLabError(`zebra of ${n.node} did not open its socket within 10 s; see ${join(dirs.frr, 'zebra.log')}`);
  startDaemon(journal, n, 'staticd', frrArgv(lab, n, 'staticd', staticdConf), join(dirs.frr, 'staticd.log'));
  startDaemon(journal, n, 'ripd', frrArgv(lab, n, 'ripd', ripdConf), join(dirs.frr, 'ripd.log'));
  const sockets = ['zebra', 'staticd', 'ripd'].map((d) => join(dirs.vty, `${d}.vty`));
  if (!waitUntil(() => sockets.every((s) => existsSync(s)), 10_000)) throw new RealLabError(`the FRR daemons of ${n.node} did not open their vty sockets within 10 s; see the logs in ${dirs.frr}`);
  if (integrated !== undefined) {
    const r = run(['ip', 'netns', 'exec', n.ns, 'vtysh', '--vty_socket', dirs.vty, '--config_dir', dirs.frr, '-b'], 20_000);
    writeFileSync(join(dirs.frr, 'vtysh-b.log'), r.stdout + r.stderr);
    if (r.status !== 0) throw new RealLabError(`vtysh -b (${n.node}'s frr.conf) failed with exit ${r.status}: ${(r.stderr || r.stdout).trim()}`);
  }
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

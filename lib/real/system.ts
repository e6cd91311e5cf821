/**
 * The few ways the real-lab driver touches the machine: run a command and wait for it (bounded),
 * start a long-lived process in a namespace and know it by PID, and stop such a process by that PID
 * only after checking it is still the one we started.
 *
 * A PID alone can be reused after the process exits; `/proc/<pid>/stat` field 22 (start time in
 * clock ticks since boot) pinned at start makes (pid, startTime) unique for the life of the machine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';

/** Something the real lab needs from the machine is missing or failed: one clear line, no stack. */
export class RealLabError extends Error {
  override readonly name = 'RealLabError';
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Every command the driver waits for is bounded: one that hangs longer than this is killed. */
export const COMMAND_TIMEOUT_MS = 20_000;

/** Runs a command to completion (at most `timeoutMs`), returning its status and output; never throws for a non-zero status. */
export function run(argv: readonly string[], timeoutMs = COMMAND_TIMEOUT_MS, input?: string): RunResult {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL', ...(input === undefined ? {} : { input }) });
  if (r.error !== undefined) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RealLabError(`${argv[0]} is not installed (needed by the real lab)`);
    if (code === 'ETIMEDOUT') return { status: 124, stdout: r.stdout ?? '', stderr: `${argv.join(' ')}: killed after ${timeoutMs} ms` };
    throw new RealLabError(`${argv.join(' ')}: ${r.error.message}`);
  }
  return { status: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command that must succeed; its failure is a RealLabError naming the command and its error output. */
export function must(argv: readonly string[], timeoutMs = COMMAND_TIMEOUT_MS): string {
  const r = run(argv, timeoutMs);
  if (r.status !== 0) throw new RealLabError(`${argv.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** Why the real lab cannot run here, or null when it can (root, `ip`, network namespaces). */
export function realLabUnavailable(): string | null {
  if (process.platform !== 'linux') return `the real lab needs Linux network namespaces (this is ${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'the real lab needs root (it creates network namespaces and runs FRR and BIND 9): run it with sudo';
  if (!existsSync('/usr/sbin/ip') && !existsSync('/sbin/ip') && !existsSync('/usr/bin/ip') && !existsSync('/bin/ip')) return 'the real lab needs iproute2 (`ip`): apt-get install iproute2';
  for (const [path, pkg] of [['/usr/lib/frr/zebra', 'frr'], ['/usr/lib/frr/ripd', 'frr'], ['/usr/sbin/named', 'bind9'], ['/usr/bin/ping', 'iputils-ping'], ['/usr/bin/dig', 'bind9-dnsutils']] as const) {
    if (!existsSync(path)) return `the real lab needs ${path}: apt-get install ${pkg}`;
  }
  // A namespace made and dropped at once (never bound, never connected): can this process make one?
  const probe = run(['unshare', '--net', 'true'], 5_000);
  if (probe.status !== 0) return `network namespaces cannot be created here (unshare --net: ${probe.stderr.trim() || `exit ${probe.status}`}); a container needs CAP_SYS_ADMIN`;
  return null;
}

/** Throws a RealLabError with the reason when the real lab cannot run here. */
export function requireRealLab(): void {
  const why = realLabUnavailable();
  if (why !== null) throw new RealLabError(why);
}

/** Field 22 of /proc/<pid>/stat (start time, clock ticks after boot), or null when no such process. */
export function processStartTime(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: fields after it follow the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return null; // exited, waiting to be reaped
  return fields[19] ?? null;
}

/** A process the driver started, as recorded in the state file. */
export interface TrackedProcess {
  pid: number;
  startTime: string;
  /** Lab node it belongs to. */
  node: string;
  /** `zebra`, `ripd`, `named`, `ping`, ... */
  role: string;
  argv: string[];
  log: string;
}

/** Whether this is still the process we started (same PID, same start time). */
export function isRunning(p: Pick<TrackedProcess, 'pid' | 'startTime'>): boolean {
  return processStartTime(p.pid) === p.startTime;
}

/**
 * Starts `argv` inside network namespace `ns` (`ip netns exec` execs the command, so the PID we get
 * is the daemon's own), detached from us so it outlives a crash of this process; output to `log`.
 */
export function startInNamespace(ns: string, argv: readonly string[], log: string): { pid: number; startTime: string } {
  const fd = openSync(log, 'a');
  try {
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new RealLabError(`could not start ${argv.join(' ')} in ${ns}`);
    const startTime = processStartTime(pid);
    if (startTime === null) throw new RealLabError(`${argv.join(' ')} in ${ns} exited at once; see ${log}`);
    return { pid, startTime };
  } finally {
    closeSync(fd);
  }
}

/** Sleeps the current thread (setup steps are synchronous; the pause is always short and bounded). */
export function sleepMs(msToSleep: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, msToSleep));
}

/** Polls `done` every `everyMs` until it is true or `timeoutMs` passed; returns whether it became true. */
export function waitUntil(done: () => boolean, timeoutMs: number, everyMs = 50): boolean {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done()) return true;
    if (Date.now() >= deadline) return false;
    sleepMs(everyMs);
  }
}

/**
 * Stops a tracked process: SIGTERM (or `signal`), then SIGKILL if it has not exited within
 * `graceMs`; returns once it is gone. Does nothing when the PID now belongs to another process.
 */
export function stopProcess(p: Pick<TrackedProcess, 'pid' | 'startTime'>, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): void {
  if (!isRunning(p)) return;
  try {
    process.kill(p.pid, signal);
  } catch {
    return;
  }
  if (waitUntil(() => !isRunning(p), graceMs)) return;
  try {
    process.kill(p.pid, 'SIGKILL');
  } catch {
    return;
  }
  if (!waitUntil(() => !isRunning(p), 5_000)) throw new RealLabError(`process ${p.pid} did not exit after SIGKILL`);
}

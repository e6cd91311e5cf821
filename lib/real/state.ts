/**
 * The state file: everything the real lab has made, written down BEFORE it is made, so that
 * `real down` can remove it all after a crash, a Ctrl-C or a SIGKILL at any point of `real up` or of
 * an experiment. Nothing is ever removed that the state file does not name: namespaces carry a
 * run-specific prefix, processes are known by (PID, start time).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { RealLabError, type TrackedProcess } from './system';

/** Where the state file and each run's files live unless told otherwise (root-only tmpfs). */
export const DEFAULT_STATE_DIR = '/run/anycast-lab';

/** A network namespace the lab made: one per node, one per LAN (holding its bridge). */
export interface NamespaceRecord {
  name: string;
  /** The lab node or LAN it stands for. */
  for: string;
  role: 'node' | 'lan';
}

/** How a LabSpec interface is called inside its namespace (IOS `Ethernet0/0` is not a Linux name). */
export interface InterfaceRecord {
  node: string;
  spec: string;
  linux: string;
}

export interface RealState {
  format: 1;
  /** Run-specific prefix of every namespace name, e.g. `al7f3a-`. */
  prefix: string;
  lab: string;
  labDir: string;
  options: Record<string, boolean>;
  /** `--frr-version` as given to `up` (absent: the lab's own release). */
  frrVersion?: string;
  /** FRR `timers basic` as written into every ripd.conf, e.g. `5 15 10`; null: each config's own. */
  ripTimers: string | null;
  /** This run's folder: configs, logs, sockets. */
  runDir: string;
  /** Wall clock (ms since the epoch) when `up` started building: time 0 of the run's rows. */
  startedAtMs: number;
  /** Wall clock when `up` finished (every daemon started), or null while it is still building. */
  upAtMs: number | null;
  namespaces: NamespaceRecord[];
  interfaces: InterfaceRecord[];
  processes: TrackedProcess[];
  /** /etc/netns/<ns> folders written (resolv.conf, hosts for `ip netns exec`). */
  etcNetns: string[];
  /** Whether this lab created /etc/netns itself (then `down` removes it once empty). */
  madeEtcNetns?: boolean;
  /** Nodes failed by `real fail` and how, for status and for `boot`. */
  failed: Record<string, string[]>;
}

/** The state file a command uses: `--state`, else $ANYCAST_LAB_REAL_STATE, else the default. */
export function stateFilePath(explicit?: string): string {
  return explicit ?? process.env['ANYCAST_LAB_REAL_STATE'] ?? join(DEFAULT_STATE_DIR, 'real-state.json');
}

/** A new run-specific prefix: short (namespace names stay readable) and unlikely to repeat. */
export function newPrefix(): string {
  return `${prefixStem()}${randomBytes(3).toString('hex')}-`;
}

/**
 * The namespace names' stem: `al`, or `$ANYCAST_LAB_REAL_PREFIX` (lower-case letters and digits, at
 * most 8) so that runs sharing one machine can each tell their namespaces apart by name.
 */
function prefixStem(): string {
  const stem = process.env['ANYCAST_LAB_REAL_PREFIX'];
  if (stem === undefined || stem === '') return 'al';
  if (!/^[a-z][a-z0-9]{0,7}$/.test(stem)) throw new RealLabError(`ANYCAST_LAB_REAL_PREFIX: expected a lower-case letter then up to 7 letters or digits, got "${stem}"`);
  return stem;
}

/** The run folder's name: the prefix without its dash. */
export function runDirName(prefix: string): string {
  return `anycast-lab-${prefix.replace(/-$/, '')}`;
}

/** A run's folder, beside its state file. */
export function runDirFor(stateFile: string, prefix: string): string {
  return join(dirname(stateFile), runDirName(prefix));
}

export function readState(file: string): RealState | null {
  if (!existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RealLabError(`${file}: not a real-lab state file (${(e as Error).message}); remove it by hand after checking \`ip netns list\``);
  }
  const s = parsed as Partial<RealState>;
  if (s.format !== 1 || typeof s.prefix !== 'string' || !/^([a-z][a-z0-9]{0,7}[0-9a-f]{6}|[a-z][a-z0-9]{3,15})-$/.test(s.prefix) || !Array.isArray(s.namespaces) || !Array.isArray(s.processes)) {
    throw new RealLabError(`${file}: not a real-lab state file (format 1 with prefix, namespaces, processes expected)`);
  }
  return s as RealState;
}

/** Writes the state atomically (a crash leaves the old or the new file, never half of one). */
export function writeState(file: string, state: RealState): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, file);
}

export function removeState(file: string): void {
  rmSync(file, { force: true });
}

/**
 * The journal of one run: every `record*` call saves the state file before returning, so the
 * caller creates the thing only once it is written down.
 */
export class StateJournal {
  constructor(
    readonly file: string,
    readonly state: RealState,
  ) {
    writeState(file, state);
  }

  save(): void {
    writeState(this.file, this.state);
  }

  recordNamespace(ns: NamespaceRecord): void {
    this.state.namespaces.push(ns);
    this.save();
  }

  recordEtcNetns(dir: string, madeParent: boolean): void {
    if (!this.state.etcNetns.includes(dir)) this.state.etcNetns.push(dir);
    if (madeParent) this.state.madeEtcNetns = true;
    this.save();
  }

  recordProcess(p: TrackedProcess): void {
    this.state.processes.push(p);
    this.save();
  }
}

/**
 * Quagga and FRR configuration files: `zebra.conf` (interfaces, addresses, static routes, forwarding),
 * `ripd.conf` (`router rip` and per-interface RIP settings), the integrated `frr.conf` (both), and the
 * `daemons` file (which daemons run).
 *
 * One reader serves all three config files, the way vtysh reads them: a command that is not valid in
 * the current node is tried at the top level (so indentation means nothing). A command belonging to
 * another daemon (an `ip address` in ripd.conf) is reported: that daemon would reject it.
 * `hostname`, `password`, `log …`, `line vty` and similar are harmless and accepted silently.
 *
 * The commands are tables (./commands/frr.ts, and ./commands/rip.ts for `router rip`, shared with IOS).
 */
import { kw } from './common';
import { DEFAULT_FRR_RELEASE, type FrrRelease } from './frr-version';
import { Findings, Problems, quote, ref } from './errors';
import { attachAccessLists } from './commands/frr-policy';
import { FRR_BFD, FRR_BFD_SESSION, type BfddSpec } from './commands/frr-bfd';
import { FRR_INTERFACE, FRR_TOP, ROUTER_RIP, runCommand, type FrrState, type RipState, type SourceLine } from './commands';
import type { Ipv4Addr } from '../wire/types';
import type { ConfigFinding, RipConfigSpec, Sourced, SourceRef, StaticRouteSpec } from './spec';

export interface FrrInterfaceAddress {
  address: Ipv4Addr;
  prefixLength: number;
  /** `ip address A/L label lo:0`. */
  label: string | null;
  source: SourceRef;
}

/** An `interface X` block as written; X may be an alias label such as `lo:0`. */
export interface FrrInterface {
  name: string;
  addresses: FrrInterfaceAddress[];
  /** `shutdown` / `no shutdown`; null when not written. */
  up: Sourced<boolean> | null;
  source: SourceRef;
}

/** `ip rip bfd [profile P]` on an interface, or `bfd default-profile P` under `router rip` (interface null). */
export interface FrrBfdSpec {
  interface: string | null;
  profile: string | null;
  source: SourceRef;
}

export interface FrrConfig {
  /** Which file this was read as. */
  daemon: 'zebra' | 'ripd' | 'staticd' | 'frr';
  /** The file's `frr version` line, or null: the file was read as `release` from the lab's setting. */
  frrVersion: Sourced<string> | null;
  /** The release whose grammar read the file (the last `frr version` line's, else the lab's). */
  release: FrrRelease;
  /** `log file PATH`. */
  logFile: Sourced<string> | null;
  bfd: FrrBfdSpec[];
  /** The `debug …` switches the file turns on. */
  debug: string[];
  /** bfdd's `bfd` node, or null: none in this file. */
  bfdd: BfddSpec | null;
  hostname: Sourced<string> | null;
  interfaces: FrrInterface[];
  staticRoutes: StaticRouteSpec[];
  /** `ip forwarding` / `no ip forwarding`; null when not written. */
  ipForwarding: Sourced<boolean> | null;
  rip: RipConfigSpec | null;
  findings: ConfigFinding[];
}

export interface FrrReadOptions {
  /**
   * The line in `file` of the text's first line, when the text is embedded in another file (a heredoc
   * in a setup script writing /etc/quagga/zebra.conf): line numbers then point into that file.
   */
  firstLine?: number;
  /** Read from /etc/frr (FRR 8.4) rather than /etc/quagga: FRR's zebra has no `ip route`. Default false. */
  frr?: boolean;
  /** The release to read a file without a `frr version` line as (default 8.4, Debian 12's). */
  release?: FrrRelease;
}

/** Reads a Quagga/FRR `zebra.conf`. Throws LabFileError listing every error. */
export function parseZebraConf(text: string, file: string, options: FrrReadOptions = {}): FrrConfig {
  return parseFrrText(text, file, 'zebra', options.firstLine ?? 1, options.frr ?? false, options.release ?? DEFAULT_FRR_RELEASE);
}

/** Reads an FRR `staticd.conf` (static routes: staticd/static_vty.c). */
export function parseStaticdConf(text: string, file: string, options: FrrReadOptions = {}): FrrConfig {
  return parseFrrText(text, file, 'staticd', options.firstLine ?? 1, true, options.release ?? DEFAULT_FRR_RELEASE);
}

/** Reads a Quagga/FRR `ripd.conf`. Throws LabFileError listing every error. */
export function parseRipdConf(text: string, file: string, options: FrrReadOptions = {}): FrrConfig {
  return parseFrrText(text, file, 'ripd', options.firstLine ?? 1, options.frr ?? false, options.release ?? DEFAULT_FRR_RELEASE);
}

/** Reads an integrated FRR `frr.conf` (zebra and ripd commands in one file). */
export function parseFrrConf(text: string, file: string, options: FrrReadOptions = {}): FrrConfig {
  return parseFrrText(text, file, 'frr', options.firstLine ?? 1, true, options.release ?? DEFAULT_FRR_RELEASE);
}

/** Reads one Quagga/FRR config file as `daemon` would (frr: both daemons, as vtysh reads frr.conf). */
function parseFrrText(text: string, file: string, daemon: FrrConfig['daemon'], firstLine: number, frrDirectory: boolean, release: FrrRelease): FrrConfig {
  const state = newFrrState(daemon, file, frrDirectory, release);
  const { problems, findings } = state;
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const lineNo = firstLine + index;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('!') || trimmed.startsWith('#')) return;
    const line = { words: trimmed.split(/\s+/), lineNo, got: quote(trimmed), src: ref(file, lineNo) };
    if (!runFrrLine(state, line)) findings.add('unsupported', lineNo, `${line.got} is not modelled by the simulator`);
  });
  problems.throwIfAny();
  const rip = state.rip as RipConfigSpec | null;
  if (rip !== null) {
    rip.interfaces.push(...state.pendingRipInterfaces);
    attachAccessLists(rip, state.accessLists);
  }
  else {
    for (const p of state.pendingRipInterfaces) {
      findings.list.push({ severity: 'ignored', message: `RIP settings for ${p.name}, but there is no "router rip"`, source: p.source });
    }
  }
  const { hostname, interfaces, staticRoutes, ipForwarding, frrVersion, logFile, bfd, bfdd, debug } = state;
  return { daemon, frrVersion, release: state.release, logFile, bfd, bfdd, debug, hostname, interfaces, staticRoutes, ipForwarding, rip, findings: findings.list };
}

/** An empty reader's state: what `configure terminal` lines change, starting from nothing. */
export function newFrrState(daemon: FrrConfig['daemon'], file: string, frrDirectory: boolean, release: FrrRelease): FrrState {
  return {
    daemon,
    problems: new Problems(file),
    findings: new Findings(file),
    interfaces: [],
    staticRoutes: [],
    hostname: null,
    ipForwarding: null,
    rip: null,
    node: { kind: 'top' },
    pendingRipInterfaces: [],
    accessLists: [],
    frrDirectory,
    release,
    frrVersion: null,
    logFile: null,
    bfd: [],
    bfdd: null,
    debug: [],
  };
}

/**
 * Runs one line in the state's current node; false when no table knows it. A command the current
 * node does not know is tried at the top level, as vtysh does.
 */
export function runFrrLine(state: FrrState, line: SourceLine): boolean {
  const { problems, findings } = state;
  const error = (lineNo: number, message: string): void => problems.add(lineNo, message);
  let done = false;
  if (state.node.kind === 'interface') done = runCommand(FRR_INTERFACE, 'frr', state, line, error, state.release);
  else if (state.node.kind === 'rip') {
    const rip: RipState = { rip: state.rip!, dialect: 'frr', problems, findings };
    done = runCommand(ROUTER_RIP, 'frr', rip, line, error, state.release);
  } else if (state.node.kind === 'block') done = !isTopLevel(line.words);
  else if (state.node.kind === 'bfd-session') done = runCommand(FRR_BFD_SESSION, 'frr', state, line, error, state.release) || runCommand(FRR_BFD, 'frr', state, line, error, state.release);
  else if (state.node.kind === 'bfd') done = runCommand(FRR_BFD, 'frr', state, line, error, state.release);
  if (!done) done = runCommand(FRR_TOP, 'frr', state, line, error, state.release);
  return done;
}

/** Commands that leave an unmodelled block (`line vty`, `router bgp 1`); everything else in it is skipped. */
function isTopLevel(words: readonly string[]): boolean {
  const w = words[0];
  return kw(w, 'interface', 3) || kw(w, 'router', 3) || kw(w, 'hostname', 4) || kw(w, 'ip', 2) || kw(w, 'line', 3) || kw(w, 'end', 3);
}

// ---------------------------------------------------------------------------------------------
// daemons

export interface DaemonsConfig {
  /** `ripd=yes` → ripd: true. Only `yes`/`no` entries; options such as `zebra_options=` are skipped. */
  daemons: Record<string, Sourced<boolean>>;
  findings: ConfigFinding[];
}

/** Reads Quagga's/FRR's `daemons` file (`zebra=yes`, `ripd=no`, `# comments`). */
export function parseDaemons(text: string, file: string, options: FrrReadOptions = {}): DaemonsConfig {
  const problems = new Problems(file);
  const daemons: Record<string, Sourced<boolean>> = {};
  const firstLine = options.firstLine ?? 1;
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const lineNo = firstLine + index;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m === null) {
      problems.add(lineNo, `expected "<daemon>=yes" or "<daemon>=no" such as "ripd=yes", got ${quote(line)}`);
      return;
    }
    const name = m[1]!;
    const value = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
    if (/_options$|^vtysh_enable$|^watchfrr|^MAX_FDS$|^frr_profile$|_wrap$/.test(name) || name.startsWith('FRR_') || name.startsWith('QUAGGA_')) {
      return;
    }
    if (value !== 'yes' && value !== 'no') {
      problems.add(lineNo, `expected "${name}=yes" or "${name}=no", got ${quote(line)}`);
      return;
    }
    daemons[name] = { value: value === 'yes', source: ref(file, lineNo) };
  });
  problems.throwIfAny();
  return { daemons, findings: [] };
}

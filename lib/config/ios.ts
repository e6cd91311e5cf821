/**
 * A Cisco IOS configuration subset, in the two forms people keep it:
 *
 * - a startup-config (`show running-config` text: `hostname`, `interface …`, `!`, `end`);
 * - a pasted CLI session, as in the write-up §2: `enable`, `conf t`, `interface Ethernet0/0`,
 *   ` ip address 10.128.1.1 255.255.255.0`, ` no shut`, `!`, `^Z`, `wr`.
 *
 * Modelled: hostname, interfaces (address, secondary addresses, shutdown, mac-address, `ip rip
 * send|receive version`, split horizon), static routes (`Null0` too), standard access lists, `ip
 * routing`, and `router rip` with its subcommands. Lines that do not change what the simulator
 * shows (`duplex auto`, `line con 0`, `service timestamps …`) are `ignored` findings; anything else we
 * do not model is an `unsupported` finding with its line. Wrong arguments are errors.
 *
 * Like IOS: keywords may be abbreviated (`conf t`, `int e0/0`, `no shut`), indentation means nothing,
 * and a global command typed in a sub-mode leaves the sub-mode and runs globally.
 *
 * The commands are tables (./commands/ios.ts, and ./commands/rip.ts for `router rip`, shared with FRR);
 * this file walks the lines, reads banners whole, and hands each line to the table of the current mode.
 */
import { kw } from './common';
import { attachIosAccessLists } from './commands/ios-policy';
import { Findings, Problems, quote, ref } from './errors';
import type { ConfigFinding, InterfaceSpec, RipConfigSpec, Sourced, StaticRouteSpec } from './spec';
import {
  IGNORED_IP_INTERFACE,
  IOS_EXEC,
  IOS_GLOBAL,
  IOS_INTERFACE,
  ROUTER_RIP,
  runCommand,
  type IosState,
  type RipState,
  type SourceLine,
  type Table,
} from './commands';

export { normalizeIosInterfaceName, isIosLoopback, iosInterfaceMacIndex } from './commands';

export interface IosConfig {
  hostname: Sourced<string> | null;
  domain: Sourced<string> | null;
  interfaces: InterfaceSpec[];
  staticRoutes: StaticRouteSpec[];
  rip: RipConfigSpec | null;
  /** `ip routing` is on unless `no ip routing`. */
  ipForwarding: boolean;
  /**
   * The text is a pasted CLI session (it enters `configure terminal`). Such a session starts from a
   * router's factory state, where every non-loopback interface is shut down until `no shutdown`; in a
   * startup-config an interface is up unless it says `shutdown`.
   */
  sessionForm: boolean;
  findings: ConfigFinding[];
}

/** Parses IOS configuration text (startup-config or pasted session). Throws LabFileError listing every error. */
export function parseIosConfig(text: string, file: string): IosConfig {
  const state = newIosState(file);
  const { problems, findings } = state;
  const lines = text.split(/\r\n|\n|\r/);
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const trimmed = lines[index]!.trim();
    if (trimmed === '' || trimmed.startsWith('!')) continue;
    if (trimmed === '^Z' || trimmed === '\x1a') {
      state.mode = { kind: 'exec' };
      continue;
    }
    const line = { words: trimmed.split(/\s+/), lineNo, got: quote(trimmed), src: ref(file, lineNo) };
    // banner motd ^C … ^C can span lines: it is read whole, before any table sees its text.
    if (state.mode.kind !== 'exec' && kw(line.words[0], 'banner', 3)) {
      index = banner(state, lines, index, trimmed, line.got) - 1;
      continue;
    }
    if (!runIosLine(state, line)) findings.add('unsupported', lineNo, `${line.got} is not modelled by the simulator`);
  }
  problems.throwIfAny();
  return finish(state);
}

/** An empty reader's state, before the first line. */
export function newIosState(file: string): IosState {
  return {
    problems: new Problems(file),
    findings: new Findings(file),
    interfaces: [],
    adminState: new Map(),
    splitHorizon: new Map(),
    ripVersions: new Map(),
    accessLists: [],
    staticRoutes: [],
    rip: null,
    hostname: null,
    domain: null,
    ipForwarding: true,
    sessionForm: false,
    mode: { kind: 'start' },
  };
}

/** `banner <type> <delimiter>text<delimiter>`: returns the index of the line after the banner. */
function banner(state: IosState, lines: readonly string[], index: number, trimmed: string, got: string): number {
  const lineNo = index + 1;
  const words = trimmed.split(/\s+/);
  const after = trimmed.replace(/^\S+\s+\S+\s*/, '');
  if (words.length < 3 || after === '') {
    state.problems.add(lineNo, `expected "banner <type> <delimiter>text<delimiter>", got ${got}`);
    return index + 1;
  }
  const delim = after.startsWith('^C') ? '^C' : after[0]!;
  let rest = after.slice(delim.length);
  let end = lineNo;
  while (!rest.includes(delim) && end < lines.length) {
    rest = lines[end]!;
    end++;
  }
  if (!rest.includes(delim)) state.problems.add(lineNo, `the banner starting here is not closed by its delimiter ${quote(delim)}`);
  state.findings.add('ignored', lineNo, 'banner: not shown by the simulator');
  state.mode = { kind: 'config' };
  return end;
}

/** Runs a line in the current mode; false when no mode knows it (an `unsupported` finding follows). */
export function runIosLine(state: IosState, line: SourceLine): boolean {
  const run = <S>(table: Table<S>, s: S): boolean => runCommand(table, 'ios', s, line, (n, m) => state.problems.add(n, m));
  switch (state.mode.kind) {
    case 'start':
      // The first command tells the form: an exec command starts a pasted session, anything else a startup-config.
      state.mode = { kind: 'exec' };
      if (run(IOS_EXEC, state)) return true;
      state.mode = { kind: 'config' };
      return run(IOS_GLOBAL, state);
    case 'exec':
      if (run(IOS_EXEC, state)) return true;
      state.problems.add(
        line.lineNo,
        `${line.got} is a configuration command, but the session is not in configuration mode: expected "configure terminal" before it`,
      );
      return true;
    case 'config':
      return run(IOS_GLOBAL, state);
    case 'interface':
      // A line not valid in a sub-mode runs globally (and leaves the sub-mode) if it is a global command.
      return run(IOS_INTERFACE, state) || run(IOS_GLOBAL, state);
    case 'rip': {
      const rip: RipState = { rip: state.rip!, dialect: 'ios', problems: state.problems, findings: state.findings };
      return run(ROUTER_RIP, rip) || run(IOS_GLOBAL, state);
    }
    case 'block':
      if (isGlobalBlockExit(line.words)) return run(IOS_GLOBAL, state);
      return true; // part of a sub-mode we do not model; its first line carries the finding
  }
}

/** Commands that leave an unmodelled sub-mode (everything else in it is swallowed). */
function isGlobalBlockExit(words: readonly string[]): boolean {
  const w = words[0];
  return (
    kw(w, 'interface', 3) ||
    kw(w, 'router', 6) ||
    kw(w, 'hostname', 4) ||
    (kw(w, 'ip', 2) && words.length > 1 && !kw(words[1], 'address', 3) && !IGNORED_IP_INTERFACE.includes(words[1]!.toLowerCase())) ||
    kw(w, 'line', 4) ||
    kw(w, 'end', 3) ||
    kw(w, 'control-plane', 7) ||
    kw(w, 'gatekeeper', 4) ||
    kw(w, 'banner', 3) ||
    kw(w, 'version', 4) ||
    kw(w, 'service', 4)
  );
}

/** After the last line: per-interface RIP settings onto the RIP config, and each interface's state. */
function finish(state: IosState): IosConfig {
  const findings: ConfigFinding[] = state.findings.list;
  const rip = state.rip;
  if (rip !== null) {
    for (const [name, mode] of state.splitHorizon) rip.interfaces.push({ name, splitHorizon: mode, source: mode.source });
    for (const [name, v] of state.ripVersions) {
      const source = v.send?.source ?? v.receive?.source;
      if (source === undefined) continue;
      let entry = rip.interfaces.find((i) => i.name === name);
      if (entry === undefined) {
        entry = { name, splitHorizon: null, source };
        rip.interfaces.push(entry);
      }
      if (v.send !== undefined) entry.sendVersion = v.send;
      if (v.receive !== undefined) entry.receiveVersion = v.receive;
    }
    attachIosAccessLists(rip, state.accessLists, state.findings);
  } else {
    for (const [name, mode] of state.splitHorizon) {
      findings.push({ severity: 'ignored', message: `split-horizon setting on ${name}, but RIP is not configured`, source: mode.source });
    }
    for (const [name, v] of state.ripVersions) {
      const source = v.send?.source ?? v.receive?.source;
      if (source !== undefined) findings.push({ severity: 'ignored', message: `RIP version setting on ${name}, but RIP is not configured`, source });
    }
    for (const e of state.accessLists) findings.push({ severity: 'ignored', message: `access list ${e.name}: nothing uses it, RIP is not configured`, source: e.source });
  }
  for (const iface of state.interfaces) {
    const explicit = state.adminState.get(iface);
    iface.up = explicit ?? (iface.loopback || !state.sessionForm);
  }
  const { hostname, domain, interfaces, staticRoutes, ipForwarding, sessionForm } = state;
  return { hostname, domain, interfaces, staticRoutes, rip, ipForwarding, sessionForm, findings };
}

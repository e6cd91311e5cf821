/**
 * `configure terminal` on a running node: a terminal session that reads configuration lines with the
 * same command tables as the lab's files (lib/config/commands: FRR's `router rip` / `interface X`
 * nodes, IOS's modes) into the node's running configuration (a NodeSpec), and says what the line
 * changed so that the lab can apply it to the node (./live-config.ts).
 *
 * Read here, per line: what vtysh or IOS prints for it (nothing when it is accepted), and the
 * effects: RIP's configuration changed (and whether its timers did), the instance removed
 * (`no router rip`), static routes added or removed, interfaces shut or brought up.
 */
import { quote, ref } from '../config/errors';
import { newFrrState, runFrrLine } from '../config/frr';
import { newIosState, runIosLine } from '../config/ios';
import { kw } from '../config/common';
import { readFrrStaticRoute } from '../config/commands/frr-policy';
import { parseFrrRelease, DEFAULT_FRR_RELEASE } from '../config/frr-version';
import type { FrrState, IosState, SourceLine } from '../config/commands';
import type { NodeSpec, RipConfigSpec, StaticRouteSpec } from '../config/spec';

/** What one line changed on the node, for the lab to apply. */
export interface LineEffects {
  /** RIP's configuration changed (including a new or removed instance). */
  rip: boolean;
  /** `timers basic` changed: ripd restarts its update timer. */
  timersChanged: boolean;
  staticsAdded: StaticRouteSpec[];
  staticsRemoved: StaticRouteSpec[];
  /** Interfaces whose `shutdown` changed: name → up. */
  adminState: Map<string, boolean>;
}

export interface LineResult {
  /** What the CLI prints for the line ('' when accepted in silence). */
  output: string;
  effects: LineEffects;
}

/** A line the session does not take: an exec command to run on the node's console (`do show ip route`). */
export interface ExecLine {
  exec: string;
}

/** A terminal on one node: exec mode, or configuration mode and its node. */
export class ConfigSession {
  private frr: FrrState | null = null;
  private ios: IosState | null = null;
  /** Whether the session is in configuration mode (vtysh after `configure terminal`, IOS `(config)#`). */
  configuring = false;
  private lineNo = 0;

  constructor(
    readonly dialect: 'frr' | 'ios',
    /** Names the session in messages: `r1 (configure terminal)`. */
    readonly label: string,
  ) {}

  /** Enters configuration mode (what `configure terminal` does), for a change that starts there. */
  enter(spec: NodeSpec): void {
    this.configuring = true;
    if (this.dialect === 'frr') {
      const release = parseFrrRelease(spec.frr?.release ?? '') ?? DEFAULT_FRR_RELEASE;
      this.frr = newFrrState('frr', this.label, spec.frr !== undefined, release);
    } else {
      this.ios = newIosState(this.label);
      this.ios.mode = { kind: 'config' };
    }
  }

  /**
   * Runs one line against `spec` (the node's running configuration, changed in place). Null: not a
   * configuration line in exec mode (the console runs it); `exec`: a command to run from
   * configuration mode (`do …`).
   */
  line(spec: NodeSpec, text: string): LineResult | ExecLine | null {
    const trimmed = text.trim();
    const words = trimmed.split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return this.configuring ? { output: '', effects: noEffects() } : null;
    if (!this.configuring) {
      if (!isConfigureTerminal(words)) return null;
      this.enter(spec);
      return { output: '', effects: noEffects() };
    }
    // `do <command>` runs an exec command from a configuration node (FRR lib/command.c
    // cmd_try_do_shortcut; IOS alike).
    if (kw(words[0], 'do', 2) && words.length > 1) return { exec: words.slice(1).join(' ') };
    // NOTE: a bare `show …` in a configuration node runs here as at the prompt on FRR nodes; whether
    // vtysh 8.4 takes it without `do` is not checked. IOS refuses it (IOS_GLOBAL says so).
    if (this.dialect === 'frr' && kw(words[0], 'show', 2)) return { exec: trimmed };
    if (isConfigureTerminal(words)) return { output: '', effects: noEffects() };
    this.lineNo++;
    const line: SourceLine = { words, lineNo: this.lineNo, got: quote(trimmed), src: ref(this.label, this.lineNo) };
    return this.dialect === 'frr' ? this.frrLine(spec, line, trimmed) : this.iosLine(spec, line);
  }

  // ---- FRR (vtysh) ------------------------------------------------------------------------------

  private frrLine(spec: NodeSpec, line: SourceLine, text: string): LineResult {
    const s = this.frr!;
    const effects = noEffects();
    const before = ripSnapshot(spec.rip);
    const words = line.words;
    // vtysh: `end` and `exit` at the top leave configuration mode (lib/command.c config_end / config_exit).
    if (kw(words[0], 'end', 3) || (s.node.kind === 'top' && kw(words[0], 'exit', 3))) {
      this.configuring = false;
      return { output: '', effects };
    }
    // ripd/rip_cli.c "no router rip [vrf NAME]": the instance and its routes go (rip_clean →
    // rip_instance_disable deletes every RIP route from zebra).
    if (words.length >= 3 && kw(words[0], 'no', 2) && kw(words[1], 'router', 3) && kw(words[2], 'rip', 3)) {
      s.node = { kind: 'top' };
      if (spec.rip === null) return { output: '% RIP instance not found', effects };
      spec.rip = null;
      effects.rip = true;
      return { output: '', effects };
    }
    // staticd/static_vty.c "no ip route …": the route that matches goes.
    if (words.length >= 4 && kw(words[0], 'no', 2) && kw(words[1], 'ip', 2) && kw(words[2], 'route', 5)) {
      s.node = { kind: 'top' };
      const cl = { ...line, negated: true, body: words.slice(1), args: words.slice(3), values: new Map<string, unknown>() };
      const problemsBefore = s.problems.list.length;
      const route = readFrrStaticRoute(words.slice(1), cl, s.problems, s.findings);
      const problems = s.problems.list.slice(problemsBefore).map((p) => `% ${p.message}`);
      if (route === null) return { output: problems.join('\n') || `% Unknown command: ${text}`, effects };
      const same = (r: StaticRouteSpec) => r.prefix === route.prefix && r.prefixLength === route.prefixLength && r.via === route.via && r.device === route.device && r.blackhole === route.blackhole;
      const removed = spec.staticRoutes.filter(same);
      spec.staticRoutes = spec.staticRoutes.filter((r) => !same(r));
      effects.staticsRemoved.push(...removed);
      return { output: removed.length === 0 ? '% Refusing to remove a non-existent route' : '', effects };
    }
    s.rip = spec.rip;
    const accessLists = spec.rip?.accessLists ?? s.accessLists;
    s.accessLists = [...accessLists];
    const problemsBefore = s.problems.list.length;
    const findingsBefore = s.findings.list.length;
    const addressesBefore = s.interfaces.map((i) => i.addresses.length);
    const done = runFrrLine(s, line);
    const out: string[] = [];
    if (!done) out.push(`% Unknown command: ${text}`);
    for (const p of s.problems.list.slice(problemsBefore)) out.push(`% ${p.message}`);
    for (const f of s.findings.list.slice(findingsBefore)) if (f.severity === 'unsupported') out.push(`% ${f.message}`);
    spec.rip = s.rip;
    if (spec.rip !== null) {
      if (s.accessLists.length > 0 || spec.rip.accessLists !== undefined) spec.rip.accessLists = s.accessLists;
      for (const p of s.pendingRipInterfaces.splice(0)) mergeRipInterface(spec.rip, p);
    }
    for (const r of s.staticRoutes.splice(0)) {
      const route = { ...r, zebra: true };
      spec.staticRoutes.push(route);
      effects.staticsAdded.push(route);
    }
    s.interfaces.forEach((i, k) => {
      if (i.addresses.length !== (addressesBefore[k] ?? 0)) {
        out.push(`% ${line.got}: changing an address while the lab runs is not modelled (the line is not applied)`);
        i.addresses = i.addresses.slice(0, addressesBefore[k] ?? 0);
      }
      if (i.up === null) return;
      effects.adminState.set(i.name, i.up.value);
      const zebra = spec.frr?.interfaces.find((z) => z.name === i.name);
      if (zebra !== undefined) zebra.shutdown = !i.up.value;
      else spec.frr?.interfaces.push({ name: i.name, addresses: [], shutdown: !i.up.value });
      i.up = null;
    });
    if (spec.frr !== undefined) {
      if (s.hostname !== null) spec.frr.hostname = s.hostname.value;
      if (s.logFile !== null) spec.frr.ripdLogFile = s.logFile;
      spec.frr.bfd = s.bfd.length > 0 ? [...s.bfd] : spec.frr.bfd;
    }
    markRip(effects, before, spec.rip);
    return { output: out.join('\n'), effects };
  }

  // ---- Cisco IOS --------------------------------------------------------------------------------

  private iosLine(spec: NodeSpec, line: SourceLine): LineResult {
    const s = this.ios!;
    const effects = noEffects();
    const before = ripSnapshot(spec.rip);
    s.rip = spec.rip;
    s.interfaces = spec.interfaces;
    const problemsBefore = s.problems.list.length;
    const findingsBefore = s.findings.list.length;
    const addresses = new Map(spec.interfaces.map((i) => [i, i.addresses]));
    const done = runIosLine(s, line);
    const out: string[] = [];
    // IOS answers a line no mode takes with its parser's marker.
    if (!done) out.push(`% Invalid input detected at '^' marker.`);
    for (const p of s.problems.list.slice(problemsBefore)) out.push(`% ${p.message}`);
    for (const f of s.findings.list.slice(findingsBefore)) if (f.severity === 'unsupported') out.push(`% ${f.message}`);
    if (s.mode.kind === 'exec') this.configuring = false;
    spec.rip = s.rip;
    for (const [iface, list] of addresses) {
      if (iface.addresses !== list && JSON.stringify(iface.addresses) !== JSON.stringify(list)) {
        out.push(`% ${line.got}: changing an address while the lab runs is not modelled (the line is not applied)`);
        iface.addresses = list;
      }
    }
    for (const iface of s.interfaces) if (!addresses.has(iface)) out.push(`% ${line.got}: adding an interface while the lab runs is not modelled`);
    s.interfaces.splice(0, s.interfaces.length, ...[...addresses.keys()]);
    for (const [iface, up] of s.adminState) {
      iface.up = up;
      effects.adminState.set(iface.name, up);
    }
    s.adminState.clear();
    if (spec.rip !== null) for (const [name, mode] of s.splitHorizon) mergeRipInterface(spec.rip, { name, splitHorizon: mode, source: mode.source });
    s.splitHorizon.clear();
    for (const r of s.staticRoutes.splice(0)) {
      spec.staticRoutes.push(r);
      effects.staticsAdded.push(r);
    }
    markRip(effects, before, spec.rip);
    return { output: out.join('\n'), effects };
  }
}

function noEffects(): LineEffects {
  return { rip: false, timersChanged: false, staticsAdded: [], staticsRemoved: [], adminState: new Map() };
}

/** `configure terminal` as IOS and vtysh abbreviate it (`conf t`, `configure`). */
export function isConfigureTerminal(words: readonly string[]): boolean {
  return kw(words[0], 'configure', 4) && (words.length === 1 || (words.length === 2 && kw(words[1], 'terminal', 1)));
}

/** A configuration without where each line was written: what a change is compared by. */
function snapshot(value: unknown): string {
  return JSON.stringify(value ?? null, (k, v: unknown) => (k === 'source' ? undefined : v));
}

function ripSnapshot(rip: RipConfigSpec | null): { rip: string; timers: string } {
  return { rip: snapshot(rip), timers: snapshot(rip?.timers) };
}

function markRip(effects: LineEffects, before: { rip: string; timers: string }, after: RipConfigSpec | null): void {
  const now = ripSnapshot(after);
  effects.rip = now.rip !== before.rip;
  effects.timersChanged = now.timers !== before.timers;
}

/** An interface's RIP settings written in a session join the ones already in force (each setting replaces its own). */
function mergeRipInterface(rip: RipConfigSpec, p: RipConfigSpec['interfaces'][number]): void {
  const cur = rip.interfaces.find((i) => i.name === p.name);
  if (cur === undefined) {
    rip.interfaces.push(p);
    return;
  }
  if (p.splitHorizon !== null) cur.splitHorizon = p.splitHorizon;
  if (p.sendVersion !== undefined) cur.sendVersion = p.sendVersion;
  if (p.receiveVersion !== undefined) cur.receiveVersion = p.receiveVersion;
}

/**
 * Configuration changes while a lab runs: `--change 'r1@300s: router rip; passive-interface eth1'`,
 * a script's `configure terminal` lines, and `configure terminal` typed at a console. Each line is
 * read by a ConfigSession (./config-session.ts) into the node's running configuration; what it
 * changed is applied to the node at once, as the device applies a committed line: RIP's process
 * takes the new configuration (lib/net/rip-daemon.ts reconfigure), `no router rip` stops it and
 * deletes its routes, static routes enter or leave the forwarding table, `shutdown` takes an
 * interface down. `show running-config` then prints the running configuration.
 */
import type { NetNode, StaticRoute } from '../net/node';
import { RipDaemon, ripDaemonOf } from '../net/rip-daemon';
import type { NodeSpec, StaticRouteSpec } from '../config/spec';
import { formatDuration, parseDuration, type SimTime } from '../sim/time';
import type { ConfigSession, ExecLine, LineEffects } from './config-session';

/**
 * A session on a configuration (./config-session.ts), its dialect readers loaded with the first:
 * every Lab has a LiveConfig, few are ever reconfigured.
 */
function newConfigSession(dialect: ConstructorParameters<typeof ConfigSession>[0], name: string): ConfigSession {
  const { ConfigSession: Session } = require('./config-session') as typeof import('./config-session');
  return new Session(dialect, name);
}
import { ripBaseProfile, ripConfigFromSpec } from './routing';
import type { Lab } from './lab';

/** A timed change: `lines` typed in configuration mode on `node` at `at`. */
export interface ConfigChange {
  node: string;
  at: SimTime;
  lines: string[];
}

/** What a change line printed when it ran, for a script's or a what-if's report. */
export interface AppliedLine {
  at: SimTime;
  node: string;
  line: string;
  output: string;
}

export class ConfigChangeError extends Error {}

/** Reads `r1@300s: router rip; passive-interface eth1` (lines separated by `;` or new lines). */
export function parseConfigChange(text: string): { ok: true; value: ConfigChange } | { ok: false; error: string } {
  const m = /^\s*([A-Za-z0-9_.-]+)@([^:\s]+)\s*:([\s\S]*)$/.exec(text);
  const expected = `expected "<node>@<time>: <configuration lines>" such as "r1@300s: router rip; passive-interface eth1", got "${text}"`;
  if (m === null) return { ok: false, error: expected };
  const at = parseDuration(m[2]!);
  if (!at.ok) return { ok: false, error: `${at.error} in "${text}" (${expected.replace(/, got .*$/, '')})` };
  const lines = m[3]!.split(/[;\n]/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return { ok: false, error: `no configuration lines after ":" in "${text}"` };
  return { ok: true, value: { node: m[1]!, at: at.value, lines } };
}

export function formatConfigChange(c: ConfigChange): string {
  return `${c.node}@${formatDuration(c.at)}: ${c.lines.join('; ')}`;
}

/**
 * A change as the vtysh command that makes it on FRR: `vtysh -c "configure terminal" -c "<line>" …`
 * (what the real lab runs, and what the simulator's vtysh console takes the same way).
 */
export function changeAsVtysh(c: ConfigChange): string {
  const quoted = (l: string): string => {
    if (!l.includes('"')) return `"${l}"`;
    if (!l.includes("'")) return `'${l}'`;
    throw new ConfigChangeError(`--change ${formatConfigChange(c)}: a line with both kinds of quote cannot be passed to vtysh -c: ${l}`);
  };
  return ['vtysh', '-c', '"configure terminal"', ...c.lines.flatMap((l) => ['-c', quoted(l)])].join(' ');
}

/** The dialect of a node's configuration sessions, or null: it has none the simulator reads (a plain host). */
export function sessionDialect(spec: NodeSpec): 'frr' | 'ios' | null {
  if (spec.os === 'ios') return 'ios';
  if (spec.frr !== undefined || spec.rip?.flavour === 'frr') return 'frr';
  return null;
}

/** A node's static route as the stack keeps it: on Linux, one not from zebra/staticd is the kernel's. */
export function staticRouteOf(n: NodeSpec, r: StaticRouteSpec): StaticRoute {
  const route: StaticRoute = { prefix: r.prefix, prefixLength: r.prefixLength, via: r.via, device: r.device };
  if (r.blackhole !== undefined) route.blackhole = r.blackhole;
  if (r.distance !== undefined) route.distance = r.distance;
  if (r.zebra === true) route.zebra = true;
  else if (n.os === 'linux') route.kernel = true;
  return route;
}

/** The running configurations of one lab's nodes and the changes made to them. */
export class LiveConfig {
  /** Nodes whose configuration changed: their running configuration (the loaded one is left as loaded). */
  private readonly running = new Map<string, NodeSpec>();
  /** IOS consoles keep their mode from one command to the next, as a terminal does. */
  private readonly consoles = new Map<string, ConfigSession>();
  /** Every change line run so far, with what it printed. */
  readonly applied: AppliedLine[] = [];

  constructor(private readonly lab: Lab) {}

  /** The node's configuration now: the loaded one until a change is made. */
  spec(name: string): NodeSpec {
    return this.running.get(name) ?? this.lab.loadedNodeSpec(name);
  }

  private mutableSpec(name: string): NodeSpec {
    let spec = this.running.get(name);
    if (spec === undefined) {
      spec = structuredClone(this.lab.loadedNodeSpec(name));
      this.running.set(name, spec);
    }
    return spec;
  }

  /** A new session on the node (vtysh starts one per invocation); null: the node has no configuration CLI here. */
  newSession(name: string): ConfigSession | null {
    const dialect = sessionDialect(this.spec(name));
    return dialect === null ? null : newConfigSession(dialect, `${name} (configure terminal)`);
  }

  /** The node's console session (IOS: the mode lasts from one command to the next). */
  consoleSession(name: string): ConfigSession | null {
    let s = this.consoles.get(name) ?? null;
    if (s === null) {
      s = this.newSession(name);
      if (s !== null) this.consoles.set(name, s);
    }
    return s;
  }

  /** Runs one line of a session on the node now: its output, an exec command, or null (not a configuration line). */
  line(name: string, session: ConfigSession, text: string): string | ExecLine | null {
    const spec = this.mutableSpec(name);
    const r = session.line(spec, text);
    if (r === null || 'exec' in r) return r;
    this.apply(name, spec, r.effects);
    return r.output;
  }

  /** Checks a change's lines against the node's configuration now, without applying them: what each refused line printed. */
  check(change: ConfigChange): string[] {
    const spec = structuredClone(this.spec(change.node));
    const dialect = sessionDialect(spec);
    if (dialect === null) return [`${change.node} has no routing configuration to change (no FRR, Quagga or IOS files)`];
    const session = newConfigSession(dialect, `${change.node} (--change)`);
    session.enter(spec);
    const errors: string[] = [];
    for (const l of change.lines) {
      const r = session.line(spec, l);
      if (r === null) errors.push(`"${l}": not a configuration line`);
      else if ('exec' in r) errors.push(`"${l}": a console command, not configuration (use a script for it)`);
      else if (r.output !== '') errors.push(`"${l}": ${r.output}`);
    }
    return errors;
  }

  /** Schedules a change; refused when the node is unknown, the time has passed, or a line is refused. */
  schedule(change: ConfigChange): void {
    const text = formatConfigChange(change);
    if (!this.lab.network.nodes.has(change.node)) throw new ConfigChangeError(`--change ${text}: no node "${change.node}" in lab ${this.lab.spec.name} (nodes: ${[...this.lab.network.nodes.keys()].join(', ')})`);
    if (change.at < this.lab.now) throw new ConfigChangeError(`--change ${text}: that time has passed (the lab is at ${formatDuration(this.lab.now)})`);
    const errors = this.check(change);
    if (errors.length > 0) throw new ConfigChangeError(`--change ${text}: ${errors.join('; ')}`);
    this.lab.network.scheduler.at(change.at, () => this.run(change));
  }

  /** Runs a change's lines now, in a session that starts in configuration mode. */
  run(change: ConfigChange): AppliedLine[] {
    const node = this.lab.node(change.node);
    const out: AppliedLine[] = [];
    if (!node.running) {
      out.push({ at: this.lab.now, node: change.node, line: change.lines.join('; '), output: `${change.node} is halted: the change is not made` });
    } else {
      const session = this.newSession(change.node)!;
      session.enter(this.spec(change.node));
      for (const l of change.lines) {
        const r = this.line(change.node, session, l);
        out.push({ at: this.lab.now, node: change.node, line: l, output: typeof r === 'string' ? r : '' });
      }
    }
    this.applied.push(...out);
    return out;
  }

  /** Applies what a line changed to the node (the running configuration already has it). */
  private apply(name: string, spec: NodeSpec, effects: LineEffects): void {
    const node = this.lab.node(name);
    let routes = false;
    for (const r of effects.staticsAdded) {
      node.staticRoutes.push(staticRouteOf(spec, r));
      routes = true;
    }
    for (const r of effects.staticsRemoved) {
      const gone = staticRouteOf(spec, r);
      node.staticRoutes = node.staticRoutes.filter((x) => !(x.prefix === gone.prefix && x.prefixLength === gone.prefixLength && x.via === gone.via && x.device === gone.device && x.blackhole === gone.blackhole));
      routes = true;
    }
    if (routes) node.rebuildRoutes();
    for (const [ifName, up] of effects.adminState) {
      const iface = node.iface(ifName);
      if (iface === undefined || iface.loopback || iface.adminUp === up) continue;
      iface.adminUp = up;
      node.interfaceChanged(iface);
    }
    if (effects.rip || routes) this.applyRip(node, spec, effects.timersChanged);
  }

  private applyRip(node: NetNode, spec: NodeSpec, timersChanged: boolean): void {
    let daemon = ripDaemonOf(node);
    if (spec.rip === null) {
      // ripd.c rip_clean → rip_instance_disable: the routes leave zebra, nothing is sent.
      if (daemon?.router != null) daemon.stop(node, true);
      return;
    }
    const timers = this.lab.spec.overrides?.timers ?? null;
    // A lab-wide timer override stands until the change itself writes `timers basic`.
    const rip = timers === null || timersChanged ? spec.rip : { ...spec.rip, timers };
    const config = ripConfigFromSpec(rip, ripBaseProfile(this.lab.spec, spec));
    if (daemon === undefined) {
      daemon = new RipDaemon(node, config);
      node.services.push(daemon);
      this.lab.routeLog.watchRip(daemon);
      if (node.running) daemon.start(node);
    } else if (daemon.router === null) {
      // `router rip` after `no router rip`: a new instance starts (ripd_instance_create → rip_create).
      daemon.reconfigure(config, timersChanged);
      if (node.running && !this.stoppedByFailure(node)) daemon.start(node);
    } else daemon.reconfigure(config, timersChanged);
  }

  /** Whether the daemon is stopped by a scheduled `ripd-stop`/`ripd-crash` (a change does not start it). */
  private stoppedByFailure(node: NetNode): boolean {
    const last = this.lab.failures.filter((f) => f.node === node.name && f.at <= this.lab.now && f.mode.startsWith('ripd-')).at(-1);
    return last !== undefined && last.mode !== 'ripd-start';
  }
}

/**
 * A Lab: a LabSpec brought to life on the simulator. It builds the network, boots it at time 0,
 * schedules failures, runs console commands in simulated time and reports tidy rows.
 */
import type { DurationInput, SimTime } from '../sim/time';
import { formatDuration, minutes, toDuration } from '../sim/time';
import { Network } from '../net/network';
import type { NetNode } from '../net/node';
import { Capture } from '../net/capture';
import type { Interface } from '../net/interface';
import type { Segment } from '../net/segment';
import type { LabSpec, NodeSpec } from '../config/spec';
import { ipv4 } from '../wire/addr';
import { FailureError, formatFailure, parseFailure, type FailureSpec } from '../config/failures';
import { type RouteRow } from '../results/rows';
import { SetupScriptService } from './provision';
import { attachRoutingDaemons } from './routing';
import { type RouteLog } from './route-log';
import type { BindProfileName } from '../proto/dns/server';
import { attachDnsServices, namedFailure, namedOf } from './dns';
import { ripDaemonOf } from '../net/rip-daemon';
import { ConfigChangeError, LiveConfig, parseConfigChange, staticRouteOf, type ConfigChange } from './live-config';

export interface LabOptions {
  /**
   * How every named in the lab behaves (lib/proto/dns/server.ts BIND_PROFILES): `bind-9.10` (the
   * write-up's Ubuntu, the default), `bind-9.10-nocaps` (cannot bind port 53 after dropping root, as
   * the manpage the write-up quotes says), `bind-9.18` (listens on new addresses at once).
   */
  bindProfile?: BindProfileName;
  /** Seed of every random choice in the run (RIP jitter, ports, IDs, processing times). */
  seed?: number;
  /** Failures to inject: values or the CLI's text form (`xenial1:halt@60s`). */
  failures?: (FailureSpec | string)[];
  /** Configuration changes while the lab runs: values or the CLI's text form (`r1@300s: router rip; passive-interface eth1`). */
  changes?: (ConfigChange | string)[];
}

export interface LoadOptions extends LabOptions {
  /**
   * Lab options declared in the topology's `x-sim.options`, e.g. the write-up's `do_anycast` (set up
   * the servers with the anycast address) or `allow_recursion` (the §3.1 fix in named.conf.options).
   */
  options?: Record<string, boolean>;
  /** Shorthand for `options: { do_anycast }`. */
  do_anycast?: boolean;
  /** The FRR release FRR files without a `frr version` line are read as (`8.4`, `10.2`; default 8.4). */
  frrVersion?: string;
}

/** Times and durations here take microseconds (`seconds(60)`) or text as on the command line (`'1m'`). */
export interface ExecOptions {
  /** Run the command at this simulated time (the lab runs forward to it first). */
  at?: SimTime | string;
  /** Give up after this much simulated time (a command that never ends, like `ping` without -c). */
  limit?: DurationInput;
}

/** The default time at which CLI commands run: long enough after boot for routing to settle. */
export const DEFAULT_EXEC_TIME: SimTime = minutes(1);

export class Lab {
  readonly network: Network;
  readonly failures: FailureSpec[] = [];
  /** Every routing-table change of every node, and RIP's route events, as tidy rows (lib/lab/route-log.ts). */
  readonly routeLog: RouteLog;
  /** The nodes' running configurations and the changes made while the lab runs. */
  readonly live: LiveConfig;

  constructor(
    readonly spec: LabSpec,
    options: LabOptions = {},
  ) {
    this.network = new Network(options.seed ?? 1);
    buildNetwork(this.network, spec);
    this.routeLog = attachRoutingDaemons(this.network, spec).routeLog;
    attachDnsServices(this.network, spec, options.bindProfile === undefined ? {} : { bindProfile: options.bindProfile });
    this.network.bootAll();
    this.live = new LiveConfig(this);
    for (const f of options.failures ?? []) this.fail(f);
    for (const c of options.changes ?? []) this.change(c);
  }

  /** Schedules a configuration change (lib/lab/live-config.ts); refused when it cannot be made. */
  change(change: ConfigChange | string): void {
    let c: ConfigChange;
    if (typeof change === 'string') {
      const parsed = parseConfigChange(change);
      if (!parsed.ok) throw new ConfigChangeError(`--change: ${parsed.error}`);
      c = parsed.value;
    } else c = change;
    this.live.schedule(c);
  }

  /** Loads a lab folder (topology + each node's config text) and builds it. */
  static load(dir: string, options: LoadOptions = {}): Lab {
    const labOptions: Record<string, boolean> = { ...(options.options ?? {}) };
    if (options.do_anycast !== undefined) labOptions['do_anycast'] = options.do_anycast;
    // The lab readers (YAML, the config dialects) load with the first lab read from files: a Lab
    // built from a spec given (a sweep's worker, the web page) never needs them.
    const { loadLab } = require('../config/load') as typeof import('../config/load');
    return new Lab(loadLab(dir, labOptions, options.frrVersion === undefined ? {} : { frrVersion: options.frrVersion }), options);
  }

  get now(): SimTime {
    return this.network.now;
  }

  node(name: string): NetNode {
    return this.network.node(name);
  }

  /** Runs the simulation up to time `t` (no-op if already there): `runUntil(seconds(300))` or `runUntil('5m')`. */
  runUntil(t: SimTime | string): this {
    const until = toDuration(t, 'runUntil');
    if (until > this.now) this.network.run(until);
    return this;
  }

  /** Runs the simulation on for `d`: `runFor(seconds(30))` or `runFor('30s')`. */
  runFor(d: DurationInput): this {
    this.network.runFor(toDuration(d, 'runFor'));
    return this;
  }

  /** Schedules a failure (or recovery). Failures in the past are refused, not silently applied now. */
  fail(failure: FailureSpec | string): void {
    let f: FailureSpec;
    if (typeof failure === 'string') {
      const parsed = parseFailure(failure);
      if (!parsed.ok) throw new FailureError(parsed.error);
      f = parsed.value;
    } else f = failure;
    const node = this.network.nodes.get(f.node);
    if (node === undefined) throw new FailureError(`${formatFailure(f, formatDuration)}: no node "${f.node}" in lab ${this.spec.name} (nodes: ${[...this.network.nodes.keys()].join(', ')})`);
    let ifaces: Interface[] = node.interfaces.filter((i) => !i.loopback);
    if (f.iface !== null) {
      const one = node.iface(f.iface);
      if (one === undefined) throw new FailureError(`${formatFailure(f, formatDuration)}: ${f.node} has no interface "${f.iface}" (it has ${node.interfaces.map((i) => i.name).join(', ')})`);
      ifaces = [one];
    }
    if (f.at < this.now) throw new FailureError(`${formatFailure(f, formatDuration)}: that time has passed (the lab is at ${formatDuration(this.now)})`);
    if (f.mode.startsWith('named-') && namedOf(node) === null) {
      throw new FailureError(`${formatFailure(f, formatDuration)}: ${f.node} does not run named (its setup installs no bind9)`);
    }
    if (f.mode.startsWith('ripd-') && ripDaemonOf(node) === undefined) {
      throw new FailureError(`${formatFailure(f, formatDuration)}: ${f.node} does not run ripd (its lab files configure no RIP: no router rip, no ripd.conf)`);
    }
    if (f.mode === 'reboot' && (f.downFor === undefined || f.downFor <= 0)) {
      throw new FailureError(`${formatFailure(f, formatDuration)}: reboot needs the time the node stays down, e.g. ${f.node}:reboot=60s@${formatDuration(f.at)}`);
    }
    const anycastAliases = loopbackAliases(node);
    if (f.mode === 'drain') {
      if (f.drainFor === undefined || f.drainFor <= 0) throw new FailureError(`${formatFailure(f, formatDuration)}: drain needs the time from withdrawal to halt, e.g. ${f.node}:drain=10s@${formatDuration(f.at)}`);
      if (anycastAliases.length === 0) throw new FailureError(`${formatFailure(f, formatDuration)}: ${f.node} has no alias on its loopback (such as lo:0) to withdraw`);
    }
    this.failures.push(f);
    this.network.scheduler.at(f.at, () => {
      switch (f.mode) {
        case 'halt':
          node.halt();
          break;
        case 'reboot':
          node.halt();
          this.network.scheduler.after(f.downFor!, () => node.boot());
          break;
        case 'drain':
          if (!node.running) break;
          for (const label of anycastAliases) node.setAliasUp(label, false);
          namedOf(node)?.addressesChanged(node);
          this.network.scheduler.after(f.drainFor!, () => node.halt());
          break;
        case 'ripd-stop':
        case 'ripd-crash':
          // Both are silent on the wire (FRR rip_clean() sends nothing; a killed process cannot):
          // the daemon withdraws its routes from the node's table, neighbours wait for the timeout.
          if (node.running) ripDaemonOf(node)!.stop(node, f.mode === 'ripd-stop');
          break;
        case 'ripd-start':
          if (node.running) ripDaemonOf(node)!.start(node);
          break;
        case 'boot':
          node.boot();
          break;
        case 'link-down':
          for (const i of ifaces) this.network.setLink(i, false);
          break;
        case 'link-up':
          for (const i of ifaces) this.network.setLink(i, true);
          break;
        case 'named-stop':
        case 'named-start':
        case 'named-crash':
          namedFailure(node, f.mode);
          break;
      }
    });
  }

  /**
   * Runs a console command on a node and returns what the device prints. Simulated time advances
   * while the command runs (a 5-packet ping takes about 4 s, as on the real thing).
   */
  exec(nodeName: string, command: string, options: ExecOptions = {}): string {
    // Read both options before running anything, so a mistyped limit does not move the clock.
    const at = options.at === undefined ? undefined : toDuration(options.at, 'at');
    const limit = options.limit === undefined ? undefined : toDuration(options.limit, 'limit');
    const node = this.node(nodeName);
    if (at !== undefined) this.runUntil(at);
    // The consoles load with the first command: a run that only measures never needs them.
    const { runConsoleCommand } = require('./consoles/index') as typeof import('./consoles/index');
    return runConsoleCommand(this, node, command, limit);
  }

  /** Every node's forwarding table now, as tidy rows. */
  routes(): RouteRow[] {
    return (require('./rows') as typeof import('./rows')).routeRows(this);
  }

  /** Starts capturing on `node:interface` (tcpdump -i) or on a LAN/link by name (mirror port). */
  capture(point: string): Capture {
    const segment = this.network.segments.get(point);
    if (segment !== undefined) return Capture.onSegment(segment);
    const colon = point.indexOf(':');
    if (colon > 0) {
      const node = this.network.nodes.get(point.slice(0, colon));
      const iface = node?.iface(point.slice(colon + 1));
      if (iface !== undefined) return Capture.onInterface(iface);
    }
    const points = [
      ...[...this.network.segments.keys()],
      ...[...this.network.nodes.values()].flatMap((n) => n.interfaces.filter((i) => !i.loopback).map((i) => `${n.name}:${i.name}`)),
    ];
    throw new Error(`no capture point "${point}": use a LAN/link name or node:interface (${points.join(', ')})`);
  }

  segment(name: string): Segment {
    const s = this.network.segments.get(name);
    if (s === undefined) throw new Error(`no segment "${name}"`);
    return s;
  }

  /** The node's configuration now: as loaded, with the changes made since (`configure terminal`, --change). */
  nodeSpec(name: string): NodeSpec {
    return this.live.spec(name);
  }

  /** The node's configuration as loaded. */
  loadedNodeSpec(name: string): NodeSpec {
    const spec = this.spec.nodes.find((n) => n.name === name);
    if (spec === undefined) throw new Error(`no node "${name}" in lab ${this.spec.name}`);
    return spec;
  }
}

/** Labels of the aliases on a node's loopback (`lo:0`): where the lab's servers keep the anycast address. */
export function loopbackAliases(node: NetNode): string[] {
  const labels = new Set<string>();
  for (const i of node.interfaces) if (i.loopback) for (const a of i.addresses) if (a.label !== null) labels.add(a.label);
  return [...labels];
}

const LOOPBACK_MAC = 0;

/** Builds nodes, interfaces, addresses, static routes and wires from a LabSpec. */
export function buildNetwork(network: Network, spec: LabSpec): void {
  for (const n of spec.nodes) {
    if (n.kind === 'bridge') continue;
    const overrides = n.processingDelay === null ? {} : { processingDelay: n.processingDelay };
    const node = network.addNode(n.name, n.kind, n.os, overrides);
    node.forwarding = n.ipForwarding;
    node.hostname = n.hostname ?? n.name;
    if (n.os === 'linux' && !n.interfaces.some((i) => i.loopback)) {
      const lo = node.addInterface('lo', LOOPBACK_MAC, true);
      lo.addresses.push({ address: ipv4('127.0.0.1'), prefixLength: 8, label: null });
    }
    let generated = 0;
    for (const i of n.interfaces) {
      const mac = i.loopback ? LOOPBACK_MAC : (i.mac ?? fallbackMac(spec, n.name, generated++));
      const iface = node.addInterface(i.name, mac, i.loopback);
      iface.adminUp = i.up || i.loopback;
      if (i.loopback && !i.addresses.some((a) => a.address === ipv4('127.0.0.1'))) {
        iface.addresses.push({ address: ipv4('127.0.0.1'), prefixLength: 8, label: null });
      }
      for (const a of i.addresses) iface.addresses.push({ address: a.address, prefixLength: a.prefixLength, label: null });
      for (const a of i.aliases) iface.addresses.push({ address: a.address, prefixLength: a.prefixLength, label: a.label });
    }
    node.staticRoutes = n.staticRoutes.map((r) => staticRouteOf(n, r));
    const setup = new SetupScriptService(n);
    if (setup.hasWork) node.services.push(setup);
  }
  for (const s of spec.segments) {
    const segment = network.addSegment(s.name, s.kind, s.delay);
    for (const e of s.endpoints) {
      const node = network.nodes.get(e.node);
      const iface = node?.iface(e.iface);
      if (node === undefined || iface === undefined) {
        throw new Error(`lab ${spec.name}: segment ${s.name} names ${e.node}:${e.iface}, which the lab does not define`);
      }
      network.connect(iface, segment);
    }
  }
}

/** A stable locally administered MAC for an interface the lab gives none (should not happen for loaded labs). */
function fallbackMac(spec: LabSpec, node: string, n: number): number {
  const index = spec.nodes.findIndex((x) => x.name === node);
  return 0x02_00_00_00_00_00 + (index + 1) * 0x100 + n;
}

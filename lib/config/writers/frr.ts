/**
 * FRR configuration for a lab's RIP speakers: `zebra.conf` (interfaces, addresses, forwarding),
 * `ripd.conf` (`router rip` and per-interface RIP settings), `staticd.conf` when the node has static
 * routes of its own, and the `daemons` file. Syntax: FRR 8.4 (Debian 12), checked with its daemons'
 * `--dryrun` (writers/frr.test.ts).
 *
 * An IOS router becomes an FRR router the way the simulator runs it with the `frr` profile
 * (`withRipProfile(spec, 'frr')`): what its configuration says is translated (IOS's classful
 * `network 10.0.0.0` is FRR's `network 10.0.0.0/8`; `timers basic u i h f` is
 * `timers basic u i f-i`), what it leaves to IOS's defaults gets FRR's defaults, and every difference
 * that changes behaviour is a finding (hold-down, auto-summary, v1 default, ECMP, flush time).
 */
import { formatIpv4, formatPrefix } from '../addr';
import { RIP_PROFILES } from '../../proto/rip/params';
import { toSeconds, type Duration } from '../../sim/time';
import type { ConfigFinding, NodeSpec, LabSpec, RipConfigSpec, SourceRef, StaticRouteSpec } from '../spec';
import { configSourceOf, configuredAddresses, doesNotTranslate, interfaceNamer, nodeOf, translatedAs, wholeSeconds, WriterError, type InterfaceNaming } from './common';

/** FRR's `timers basic update timeout garbage`. */
export interface FrrTimers {
  update: Duration;
  timeout: Duration;
  garbage: Duration;
}

export type FrrDaemon = 'zebra' | 'ripd' | 'staticd';

export interface FrrWriteOptions {
  /** Names of the node's interfaces on the Linux host running FRR. @defaultValue `linuxInterfaceName` */
  interfaceNames?: InterfaceNaming;
  /**
   * `timers basic` for every node instead of its own, e.g. `{ update: seconds(5), timeout: seconds(15),
   * garbage: seconds(10) }` for runs in real time. Whole seconds, each at least 5 s (ripd's range).
   */
  timers?: FrrTimers;
  /** A `log file` path per daemon; none: FRR's default (syslog). */
  logFile?: (daemon: FrrDaemon) => string;
}

export interface FrrConfigFiles {
  zebraConf: string;
  ripdConf: string;
  /** Static routes the node's own configuration gives (IOS `ip route`, zebra.conf `ip route`), or null. */
  staticdConf: string | null;
  /** /etc/frr/daemons: ripd on (zebra and staticd always run). */
  daemons: string;
  /** What does not translate, or translates with a different meaning. */
  findings: ConfigFinding[];
}

/** The nodes that speak RIP: the ones `writeFrr` writes for. */
export function ripSpeakers(spec: LabSpec): NodeSpec[] {
  return spec.nodes.filter((n) => n.rip !== null && n.kind !== 'bridge');
}

/** FRR configuration files for one RIP speaker of the lab. */
export function writeFrr(spec: LabSpec, nodeName: string, opts: FrrWriteOptions = {}): FrrConfigFiles {
  const n = nodeOf(spec, nodeName, 'a RIP speaker', (x) => x.rip !== null && x.kind !== 'bridge');
  const rip = n.rip!;
  const name = interfaceNamer(n.name, opts.interfaceNames);
  const findings: ConfigFinding[] = [];
  const hostname = n.hostname ?? n.name;
  const head = (file: string, daemon: FrrDaemon): string[] => {
    const lines = [`! ${file} for ${n.name} of lab ${spec.name}, written by anycast-lab from ${configSourceOf(n)}`, '!', `hostname ${hostname}`];
    if (opts.logFile !== undefined) lines.push(`log file ${opts.logFile(daemon)}`);
    return lines;
  };

  const zebra = head('zebra.conf', 'zebra');
  zebra.push(n.ipForwarding ? 'ip forwarding' : 'no ip forwarding', '!');
  for (const i of n.interfaces) {
    const addresses = configuredAddresses(i);
    if (i.loopback && addresses.length === 0 && i.aliases.length === 0) continue;
    zebra.push(`interface ${name(i.name)}`);
    for (const a of addresses) zebra.push(` ip address ${formatPrefix(a.address, a.prefixLength)}`);
    for (const a of i.aliases) zebra.push(` ip address ${formatPrefix(a.address, a.prefixLength)} label ${aliasName(a.label, name)}`);
    if (!i.up && !i.loopback) zebra.push(' shutdown');
    zebra.push('!');
  }

  const ripd = head('ripd.conf', 'ripd');
  ripd.push('!', 'router rip');
  if (rip.version !== null) ripd.push(` version ${rip.version.value}`);
  else if (rip.flavour === 'ios') {
    const [ios, frr] = [RIP_PROFILES['cisco-ios'].defaultVersion, RIP_PROFILES.frr.defaultVersion];
    findings.push(doesNotTranslate(rip.source, `router rip without "version": IOS sends v${ios.send} and accepts v${ios.receive.join(' and v')}; FRR sends v${frr.send} and accepts v${frr.receive.join(' and v')}`));
  }
  for (const net of rip.networks) {
    if (net.kind === 'interface') {
      ripd.push(` network ${aliasName(net.name, name)}`);
      if (net.name.includes(':')) findings.push(translatedAs(net.source, `"network ${net.name}": an alias label is no kernel interface, so ripd enables nothing by it (FRR and the simulator alike)`));
      continue;
    }
    ripd.push(` network ${formatPrefix(net.prefix, net.prefixLength)}`);
    if (rip.flavour === 'ios') findings.push(translatedAs(net.source, `"network ${net.written}" is classful on IOS: written as "network ${formatPrefix(net.prefix, net.prefixLength)}"`));
  }
  for (const a of rip.neighbors) ripd.push(` neighbor ${formatIpv4(a.value)}`);
  if (rip.passiveDefault !== null) ripd.push(' passive-interface default');
  for (const p of rip.passiveInterfaces) ripd.push(` passive-interface ${name(p.value)}`);
  for (const p of rip.nonPassiveInterfaces) ripd.push(` no passive-interface ${name(p.value)}`);
  for (const r of rip.redistribute) ripd.push(` redistribute ${r.protocol}${r.metric === null ? '' : ` metric ${r.metric}`}`);
  if (rip.defaultMetric !== null) ripd.push(` default-metric ${rip.defaultMetric.value}`);
  if (rip.defaultInformationOriginate !== null) ripd.push(' default-information originate');
  ripd.push(...ripPolicyLines(rip, name));
  ecmp(rip, ripd, findings);
  const timers = timersLine(rip, opts.timers, findings);
  if (timers !== null) ripd.push(timers);
  if (rip.flavour === 'ios' && rip.autoSummary?.value !== false) {
    findings.push(doesNotTranslate(rip.autoSummary?.source ?? rip.source, `IOS auto-summary (${rip.autoSummary === null ? 'on by default' : 'written'}): FRR has none and advertises every subnet`));
  }
  ripd.push('!');
  const lists = accessListLines(rip);
  if (lists.length > 0) ripd.push(...lists, '!');
  for (const i of rip.interfaces) {
    if (i.splitHorizon === null || i.splitHorizon.value === 'on') continue;
    ripd.push(`interface ${name(i.name)}`, i.splitHorizon.value === 'off' ? ' no ip rip split-horizon' : ' ip rip split-horizon poisoned-reverse', '!');
  }

  const routes = daemonStaticRoutes(n);
  let staticdConf: string | null = null;
  if (routes.length > 0) {
    const lines = head('staticd.conf', 'staticd');
    lines.push('!');
    for (const r of routes) lines.push(`ip route ${formatPrefix(r.prefix, r.prefixLength)} ${staticTarget(r, name)}${r.distance === undefined ? '' : ` ${r.distance}`}`);
    staticdConf = lines.join('\n') + '\n';
  }

  const daemons = [
    `# /etc/frr/daemons for ${n.name} of lab ${spec.name}, written by anycast-lab`,
    '# zebra and staticd always run; ripd is the one routing daemon of the lab.',
    ...['bgpd', 'ospfd', 'ospf6d', 'ripd', 'ripngd', 'isisd'].map((d) => `${d}=${d === 'ripd' ? 'yes' : 'no'}`),
    'vtysh_enable=yes',
  ];
  return { zebraConf: zebra.join('\n') + '\n', ripdConf: ripd.join('\n') + '\n', staticdConf, daemons: daemons.join('\n') + '\n', findings };
}

/** staticd's words for where a route goes: `blackhole`, `reject`, a gateway (through an interface) or an interface. */
function staticTarget(r: StaticRouteSpec, name: (iface: string) => string): string {
  if (r.blackhole !== undefined) return r.blackhole;
  if (r.via === null) return name(r.device!);
  return r.device === null ? formatIpv4(r.via) : `${formatIpv4(r.via)} ${name(r.device)}`;
}

/** ripd's `distance` and `offset-list` lines as FRR 8.4 writes them (ripd/rip_cli.c cli_show_*). */
function ripPolicyLines(rip: RipConfigSpec, name: (iface: string) => string): string[] {
  const out: string[] = [];
  if (rip.distance !== undefined) out.push(` distance ${rip.distance.value}`);
  for (const d of rip.distanceSources ?? []) out.push(` distance ${d.distance} ${formatPrefix(d.prefix, d.prefixLength)}${d.accessList === null ? '' : ` ${d.accessList}`}`);
  for (const o of rip.offsetLists ?? []) out.push(` offset-list ${o.accessList} ${o.direction} ${o.offset}${o.iface === null ? '' : ` ${name(o.iface)}`}`);
  return out;
}

/** The access lists ripd reads (lib/filter.c's own syntax, or the standard numbered form). */
export function accessListLines(rip: RipConfigSpec): string[] {
  return (rip.accessLists ?? []).map((a) =>
    a.style === 'zebra'
      ? `access-list ${a.name} ${a.action} ${a.any ? 'any' : `${formatPrefix(a.prefix, a.prefixLength)}${a.exact ? ' exact-match' : ''}`}`
      : `access-list ${a.name} ${a.action} ${formatIpv4(a.address)} ${formatIpv4(a.wildcard)}`,
  );
}

/** `lo:0` → the label with its interface named for the target (`lo` stays `lo`). */
function aliasName(label: string, name: (iface: string) => string): string {
  const colon = label.indexOf(':');
  return colon < 0 ? name(label) : `${name(label.slice(0, colon))}${label.slice(colon)}`;
}

/**
 * The node's static routes that its routing configuration gives (IOS `ip route`, zebra.conf), not
 * the kernel routes its setup script adds (`route add`): those are the host's, not FRR's.
 */
function daemonStaticRoutes(n: NodeSpec): StaticRouteSpec[] {
  const fromScript = new Set(n.bootSteps.flatMap((s) => (s.kind === 'route-added' ? [`${s.source.file}:${s.source.line}`] : [])));
  return n.staticRoutes.filter((r) => !fromScript.has(`${r.source.file}:${r.source.line}`));
}

/** IOS `maximum-paths N` / FRR `allow-ecmp [N]` in FRR 8.4 terms (its allow-ecmp takes no number). */
function ecmp(rip: RipConfigSpec, lines: string[], findings: ConfigFinding[]): void {
  const [ios, frr] = [RIP_PROFILES['cisco-ios'], RIP_PROFILES.frr];
  if (rip.allowEcmp === null) {
    if (rip.flavour === 'ios') findings.push(doesNotTranslate(rip.source, `IOS shares load over up to ${ios.maxPaths} equal-cost RIP paths by default; FRR keeps ${frr.maxPaths} unless "allow-ecmp"`));
    return;
  }
  // NOTE: FRR 8.4's ripd rejects "allow-ecmp N" (measured here with ripd --dryrun); later FRR takes a number.
  lines.push(' allow-ecmp');
  if (rip.allowEcmp.maxPaths !== null) {
    findings.push(doesNotTranslate(rip.allowEcmp.source, `at most ${rip.allowEcmp.maxPaths} equal-cost paths: FRR 8.4's "allow-ecmp" takes no number and uses up to ${frr.ecmpDefaultPaths}`));
  }
}

/** The `timers basic` line, or null for FRR's defaults. */
function timersLine(rip: RipConfigSpec, override: FrrTimers | undefined, findings: ConfigFinding[]): string | null {
  const t = rip.timers;
  const ios = RIP_PROFILES['cisco-ios'].timers;
  if (t?.flavour === 'ios') {
    const garbage = t.flush - t.invalid;
    findings.push(doesNotTranslate(t.source, `IOS hold-down ${toSeconds(t.holddown)} s: FRR has no hold-down; flush ${toSeconds(t.flush)} s after the last update is FRR's garbage ${toSeconds(garbage)} s after the timeout`));
  } else if (t === null && rip.flavour === 'ios') {
    // NOTE: IOS's defaults are not written out as FRR timers: the router then runs as the simulator runs
    // it under the frr profile (withRipProfile), which is what a real-lab run is compared with.
    const frr = RIP_PROFILES.frr.timers;
    findings.push(
      doesNotTranslate(
        rip.source,
        `IOS default timers (update ${toSeconds(ios.update)}, invalid ${toSeconds(ios.invalid)}, hold-down ${toSeconds(ios.holddown!)}, flush ${toSeconds(ios.flush!)} s) become FRR's (update ${toSeconds(frr.update)}, timeout ${toSeconds(frr.invalid)}, garbage ${toSeconds(frr.garbage!)} s): no hold-down, and a lost route is flushed ${toSeconds(frr.invalid + frr.garbage!)} s after its last update instead of ${toSeconds(ios.flush!)} s`,
      ),
    );
  }
  if (override !== undefined) return ` timers basic ${frrSeconds(override.update, 'timers.update')} ${frrSeconds(override.timeout, 'timers.timeout')} ${frrSeconds(override.garbage, 'timers.garbage')}`;
  if (t === null) return null;
  if (t.flavour === 'frr') return ` timers basic ${toSeconds(t.update)} ${toSeconds(t.timeout)} ${toSeconds(t.garbage)}`;
  const garbage = t.flush - t.invalid;
  return ` timers basic ${timerSeconds(t.update, 'update', t.source, findings)} ${timerSeconds(t.invalid, 'timeout (IOS invalid)', t.source, findings)} ${timerSeconds(garbage, 'garbage (IOS flush − invalid)', t.source, findings)}`;
}

/** ripd's range for each `timers basic` value (ripd.c: 5–2147483647 s). */
const FRR_TIMER_MIN = 5;

function frrSeconds(d: Duration, option: string): number {
  const s = wholeSeconds(d);
  if (s === null || s < FRR_TIMER_MIN || s > 2147483647) throw new WriterError(`${option}: FRR takes whole seconds from ${FRR_TIMER_MIN} to 2147483647, got ${toSeconds(d)} s`);
  return s;
}

/** An IOS timer in FRR's range: one below it (IOS takes 0, or a flush before the invalid time) is raised, with a finding. */
function timerSeconds(d: Duration, what: string, source: SourceRef, findings: ConfigFinding[]): number {
  const s = Math.max(0, Math.round(toSeconds(d)));
  if (s >= FRR_TIMER_MIN) return s;
  findings.push(doesNotTranslate(source, `FRR's ${what} time is at least ${FRR_TIMER_MIN} s, IOS's is ${s} s: written as ${FRR_TIMER_MIN}`));
  return FRR_TIMER_MIN;
}

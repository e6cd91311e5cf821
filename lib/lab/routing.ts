/**
 * Routing daemons for a lab: a RIP daemon on every node whose LabSpec has a RIP configuration, with
 * the configuration as written (IOS `router rip`, Quagga/FRR ripd.conf) interpreted the way the
 * device reads it, and the route log that records every routing-table change.
 *
 * Interpretation (what each dialect's words mean):
 * - IOS `network 10.0.0.0`: a classful network (lib/config stores it as such); every interface with
 *   an address in it runs RIP and its subnets are advertised.
 * - FRR `network 10.128.0.0/16`: the same, per address (ripd `rip_enable_network_lookup2()`).
 *   FRR `network eth1`: the interface named so runs RIP, all its addresses advertised. The name is a
 *   kernel interface name: Linux alias labels such as `lo:0` are not interfaces to zebra, so the
 *   write-up's `network lo:0` enables nothing. Its anycast /32 on `lo` is still advertised, because
 *   `network 10.128.0.0/16` covers that address. Updates are never sent on loopback.
 * - `passive-interface [default]`, `neighbor`, `redistribute connected|static [metric N]`,
 *   `default-metric`, `default-information originate`, `allow-ecmp [N]` / IOS `maximum-paths N`,
 *   `timers basic`, per-interface split horizon, `version`.
 * - NOTE: IOS `auto-summary` (on unless `no auto-summary`) is not modelled: it only matters when a
 *   router sits between two major networks, which no lab here does.
 */
import type { LabSpec, NodeSpec, RipConfigSpec, RipTimersSpec } from '../config/spec';
import { readTimersBasic } from '../config/common';
import type { Network } from '../net/network';
import { RipDaemon } from '../net/rip-daemon';
import { RIP_PROFILES, type RipConfig, type RipProfile, type RipProfileName, type SplitHorizonMode, defaultRipConfig, withTimers } from '../proto/rip/params';
import { RouteLog } from './route-log';

export { RouteLog } from './route-log';

export interface RoutingAttachment {
  /** Every forwarding-table change of every node, and the RIP events, from boot on. */
  routeLog: RouteLog;
  /** The RIP daemon of each node that runs one, by node name. */
  rip: Map<string, RipDaemon>;
}

/**
 * A lab option (in `LabSpec.options`) that runs every RIP speaker with one profile's behaviour
 * instead of its own dialect's, e.g. the write-up's IOS routers with FRR's timers and rules.
 * Set it with `withRipProfile`.
 */
export const RIP_PROFILE_OPTION_PREFIX = 'x-rip-profile:';

/** The same lab with every RIP speaker running `profile` (its configuration is still read in its own dialect). */
export function withRipProfile(spec: LabSpec, profile: RipProfileName): LabSpec {
  const options: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(spec.options)) if (!k.startsWith(RIP_PROFILE_OPTION_PREFIX)) options[k] = v;
  options[RIP_PROFILE_OPTION_PREFIX + profile] = true;
  return { ...spec, options };
}

/**
 * What an IOS router does with a poison (metric 16) from the route's own next hop: `remove` (the
 * default: engineers' measurements, and what fits the write-up's 230–250 s take-over) or `holddown`
 * (the command reference's reading: keep forwarding, ignore other sources until hold-down ends).
 * See `RipProfile.onPoison`.
 */
export type IosPoisonReading = 'remove' | 'holddown';

/** A lab option (in `LabSpec.options`) that sets the IOS poison reading; set it with `withIosPoison`. */
export const IOS_POISON_OPTION_PREFIX = 'x-rip-ios-poison:';

/** The same lab with every IOS RIP speaker reading a received poison as `reading`. */
export function withIosPoison(spec: LabSpec, reading: IosPoisonReading): LabSpec {
  const options: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(spec.options)) if (!k.startsWith(IOS_POISON_OPTION_PREFIX)) options[k] = v;
  options[IOS_POISON_OPTION_PREFIX + reading] = true;
  return { ...spec, options };
}

function iosPoisonOverride(spec: LabSpec): IosPoisonReading | null {
  for (const reading of ['remove', 'holddown'] as const) if (spec.options[IOS_POISON_OPTION_PREFIX + reading] === true) return reading;
  return null;
}

/** Where `withRipTimers` says its timers came from (`show` output and errors cite it). */
const TIMERS_SOURCE = { file: 'withRipTimers', line: 1 };

/**
 * The same lab with `timers basic` on every RIP speaker, as if each configuration had the line.
 * `timers` is either dialect's form (lib/config's `RipTimersSpec`) or the line's arguments as text:
 * four numbers are IOS's `update invalid holddown flush` ("5 15 15 20"), three FRR's `update timeout
 * garbage` ("5 15 10"). Each speaker maps them onto its own profile as it would its own line
 * (`ripConfigFromSpec`), so IOS's hold-down survives on IOS routers and FRR gets a garbage timer.
 */
export function withRipTimers(spec: LabSpec, timers: RipTimersSpec | string): LabSpec {
  const t = typeof timers === 'string' ? parseRipTimers(timers) : timers;
  return { ...spec, nodes: spec.nodes.map((n) => (n.rip === null ? n : { ...n, rip: { ...n.rip, timers: t } })) };
}

/** "5 15 15 20" (IOS) or "5 15 10" (FRR) as a `RipTimersSpec`; throws naming what was expected. */
export function parseRipTimers(text: string): RipTimersSpec {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  const flavour = words.length === 4 ? 'ios' : words.length === 3 ? 'frr' : null;
  if (flavour === null) {
    throw new Error(`timers: expected IOS "<update> <invalid> <holddown> <flush>" (e.g. "5 15 15 20") or FRR "<update> <timeout> <garbage>" (e.g. "5 15 10") in seconds, got "${text}"`);
  }
  const t = readTimersBasic(flavour, words, TIMERS_SOURCE);
  if ('error' in t) throw new Error(`timers: ${t.error}, got "${text}"`);
  return t;
}

/** The profile forced by `withRipProfile`, or null. */
export function ripProfileOverride(spec: LabSpec): RipProfileName | null {
  for (const name of Object.keys(RIP_PROFILES) as RipProfileName[]) if (spec.options[RIP_PROFILE_OPTION_PREFIX + name] === true) return name;
  return null;
}

/** Builds and registers a RIP daemon per RIP-configured node, and the route log over every node. */
export function attachRoutingDaemons(network: Network, spec: LabSpec): RoutingAttachment {
  const routeLog = new RouteLog();
  for (const node of network.nodes.values()) routeLog.watch(node);
  const rip = new Map<string, RipDaemon>();
  const override = ripProfileOverride(spec);
  const poison = iosPoisonOverride(spec);
  for (const n of spec.nodes) {
    if (n.rip === null || n.kind === 'bridge') continue;
    const node = network.node(n.name);
    let profile = RIP_PROFILES[override ?? profileNameFor(n)];
    if (poison !== null && profile.name === 'cisco-ios') profile = { ...profile, onPoison: poison };
    const daemon = new RipDaemon(node, ripConfigFromSpec(n.rip, profile));
    node.services.push(daemon);
    routeLog.watchRip(daemon);
    rip.set(n.name, daemon);
  }
  return { routeLog, rip };
}

/** IOS configurations run the cisco-ios profile, ripd.conf ones the frr profile. */
export function profileNameFor(n: NodeSpec): RipProfileName {
  return n.rip?.flavour === 'ios' ? 'cisco-ios' : 'frr';
}

/** Interprets a RIP configuration as written into the settings the RIP process runs with. */
export function ripConfigFromSpec(rip: RipConfigSpec, base: RipProfile = RIP_PROFILES[rip.flavour === 'ios' ? 'cisco-ios' : 'frr']): RipConfig {
  let profile = base;
  const timers = rip.timers;
  if (timers !== null) {
    if (timers.flavour === 'ios') {
      profile =
        base.onInvalid === 'holddown'
          ? withTimers(base, { update: timers.update, invalid: timers.invalid, holddown: timers.holddown, flush: timers.flush })
          : withTimers(base, { update: timers.update, invalid: timers.invalid, garbage: Math.max(0, timers.flush - timers.invalid) });
    } else {
      profile =
        base.onInvalid === 'holddown'
          ? withTimers(base, { update: timers.update, invalid: timers.timeout, holddown: timers.timeout, flush: timers.timeout + timers.garbage })
          : withTimers(base, { update: timers.update, invalid: timers.timeout, garbage: timers.garbage });
    }
  }
  const config = defaultRipConfig(profile);
  const networks = rip.networks.flatMap((n) => (n.kind === 'prefix' ? [{ prefix: n.prefix, prefixLength: n.prefixLength }] : []));
  const interfaceNames = rip.networks.flatMap((n) => (n.kind === 'interface' ? [n.name] : []));
  const passiveDefault = rip.passiveDefault !== null;
  const passiveExceptions = (passiveDefault ? rip.nonPassiveInterfaces : rip.passiveInterfaces).map((p) => p.value);
  const splitHorizon: Record<string, SplitHorizonMode> = {};
  for (const i of rip.interfaces) if (i.splitHorizon !== null) splitHorizon[i.name] = i.splitHorizon.value;
  const version = rip.version?.value ?? null;
  const connected = rip.redistribute.find((r) => r.protocol === 'connected');
  const statics = rip.redistribute.find((r) => r.protocol === 'static');
  return {
    ...config,
    networks,
    interfaceNames,
    passiveDefault,
    passiveExceptions,
    splitHorizon,
    neighbors: rip.neighbors.map((n) => n.value),
    // `version 1|2` fixes both directions (IOS and ripd alike); without it the dialect's default.
    sendVersion: version ?? profile.defaultVersion.send,
    receiveVersions: version === null ? profile.defaultVersion.receive : [version],
    redistributeConnected: connected === undefined ? null : { metric: connected.metric },
    redistributeStatic: statics === undefined ? null : { metric: statics.metric },
    defaultMetric: rip.defaultMetric?.value ?? 1,
    defaultInformationOriginate: rip.defaultInformationOriginate !== null,
    maxPaths: rip.allowEcmp === null ? profile.maxPaths : (rip.allowEcmp.maxPaths ?? profile.ecmpDefaultPaths),
  };
}

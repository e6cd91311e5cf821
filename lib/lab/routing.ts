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
 * - FRR `redistribute kernel` (a setup script's `route add`), `distance N`, `distance N A.B.C.D/M [ACL]`
 *   and `offset-list ACL in|out N [IFNAME]` with the file's access lists (lib/proto/rip/policy.ts).
 * - IOS `distance N [A.B.C.D wildcard [ACL]]`, `offset-list ACL in|out N [IF]` with standard access
 *   lists: the same policy, with IOS's rules where they differ (policy.ts `rules: 'ios'`).
 * - `passive-interface [default]`, `neighbor`, `redistribute connected|static [metric N]`,
 *   `default-metric`, `default-information originate`, `allow-ecmp [N]` / IOS `maximum-paths N`,
 *   `timers basic`, per-interface split horizon, `version`.
 * - NOTE: IOS `auto-summary` (on unless `no auto-summary`) is not modelled: it only matters when a
 *   router sits between two major networks, which no lab here does.
 */
import type { LabSpec, NodeSpec, RipConfigSpec } from '../config/spec';
import { iosPoisonOverride, ripProfileOverride } from '../config/overrides';
import type { Network } from '../net/network';
import { RipDaemon } from '../net/rip-daemon';
import { RIP_PROFILES, type RipConfig, type RipInterfaceVersions, type RipProfile, type RipProfileName, type SplitHorizonMode, defaultRipConfig, withTimers } from '../proto/rip/params';
import { RouteLog } from './route-log';
import { attachBfdDaemon, attachRipBfdFromSpec } from './bfd';
import type { AccessListEntry, RipPolicy } from '../proto/rip/policy';

// The overrides' old home: they are lib/config/overrides.ts's now.

export interface RoutingAttachment {
  /** Every forwarding-table change of every node, and the RIP events, from boot on. */
  routeLog: RouteLog;
  /** The RIP daemon of each node that runs one, by node name. */
  rip: Map<string, RipDaemon>;
}

/**
 * Each node's RIP settings as read from a spec, by node name: read once per spec, since every run of
 * a distribution boots the same spec. The daemons never change a RipConfig: a reconfiguration
 * (./live-config.ts, proto/rip/reconfigure.ts) gives them a new one.
 */
const RIP_CONFIGS = new WeakMap<LabSpec, Map<string, RipConfig>>();

/** Builds and registers a RIP daemon per RIP-configured node, and the route log over every node. */
export function attachRoutingDaemons(network: Network, spec: LabSpec): RoutingAttachment {
  const routeLog = new RouteLog();
  for (const node of network.nodes.values()) routeLog.watch(node);
  const rip = new Map<string, RipDaemon>();
  const override = ripProfileOverride(spec);
  const poison = iosPoisonOverride(spec);
  const timers = spec.overrides?.timers ?? null;
  let configs = RIP_CONFIGS.get(spec);
  if (configs === undefined) RIP_CONFIGS.set(spec, (configs = new Map()));
  for (const n of spec.nodes) {
    if (n.kind === 'bridge') continue;
    // bfdd starts before ripd, so ripd's first neighbours find it running (./bfd.ts).
    const bfd = attachBfdDaemon(network.node(n.name), n);
    if (n.rip === null) continue;
    const node = network.node(n.name);
    let config = configs.get(n.name);
    if (config === undefined) {
      // withRipTimers also writes the line into every configuration; a spec built with overrides alone gets it here.
      config = ripConfigFromSpec(timers === null ? n.rip : { ...n.rip, timers }, ripBaseProfile(spec, n, override, poison));
      configs.set(n.name, config);
    }
    const daemon = new RipDaemon(node, config);
    node.services.push(daemon);
    routeLog.watchRip(daemon);
    rip.set(n.name, daemon);
    attachRipBfdFromSpec(daemon, bfd, n);
  }
  return { routeLog, rip };
}

/** The RIP profile a node's process runs with before its own `timers basic`: its OS's, or the lab's override. */
export function ripBaseProfile(spec: LabSpec, n: NodeSpec, override = ripProfileOverride(spec), poison = iosPoisonOverride(spec)): RipProfile {
  let profile = RIP_PROFILES[override ?? profileNameFor(n)];
  if (poison !== null && profile.name === 'cisco-ios') profile = { ...profile, onPoison: poison };
  return profile;
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
  const interfaceVersions: Record<string, RipInterfaceVersions> = {};
  for (const i of rip.interfaces) {
    const send = i.sendVersion?.value ?? null;
    const receive = i.receiveVersion?.value ?? null;
    if (send !== null || receive !== null) interfaceVersions[i.name] = { send, receive };
  }
  const version = rip.version?.value ?? null;
  const connected = rip.redistribute.find((r) => r.protocol === 'connected');
  const statics = rip.redistribute.find((r) => r.protocol === 'static');
  const kernel = rip.redistribute.find((r) => r.protocol === 'kernel');
  const policy = ripPolicyFromSpec(rip);
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
    interfaceVersions,
    // Only releases after FRR 8.4 take `allow-ecmp N`, and its ripd keeps the N lowest senders (params.ts).
    ecmpPrefersLowerSender: rip.flavour === 'frr' && rip.allowEcmp !== null && rip.allowEcmp.maxPaths !== null,
    ...(kernel === undefined ? {} : { redistributeKernel: { metric: kernel.metric } }),
    ...(policy === null ? {} : { policy }),
  };
}

/** FRR's `distance`, `offset-list` and access lists as the RIP process applies them; null: none written. */
export function ripPolicyFromSpec(rip: RipConfigSpec): RipPolicy | null {
  const offsets = rip.offsetLists ?? [];
  if (rip.distance === undefined && (rip.distanceSources ?? []).length === 0 && offsets.length === 0) return null;
  const accessLists = new Map<string, AccessListEntry[]>();
  for (const e of rip.accessLists ?? []) {
    const list = accessLists.get(e.name) ?? [];
    list.push(e.style === 'zebra' ? { style: 'zebra', action: e.action, prefix: e.prefix, prefixLength: e.prefixLength, exact: e.exact, any: e.any } : { style: 'cisco', action: e.action, address: e.address, wildcard: e.wildcard });
    accessLists.set(e.name, list);
  }
  const ios = rip.flavour === 'ios';
  if (ios) {
    // IOS: offset-list's list 0 is every route (RIP command reference, `offset-list`); a list that is
    // not defined is read as permitting every route too (lib/config/commands/ios-policy.ts says so as
    // a finding). ripd looks every name up (an unknown one applies no offset, policy.ts).
    const named = [...offsets.map((o) => o.accessList), ...(rip.distanceSources ?? []).flatMap((d) => (d.accessList === null ? [] : [d.accessList]))];
    for (const name of named) if (!accessLists.has(name)) accessLists.set(name, [{ style: 'cisco', action: 'permit', address: 0, wildcard: 0xffffffff }]);
  }
  const lists = (direction: 'in' | 'out') => offsets.filter((o) => o.direction === direction).map((o) => ({ accessList: o.accessList, offset: o.offset, iface: o.iface }));
  return {
    accessLists,
    distance: rip.distance?.value ?? null,
    distanceSources: (rip.distanceSources ?? []).map((d) => ({ prefix: d.prefix, prefixLength: d.prefixLength, distance: d.distance, accessList: d.accessList })),
    offsetIn: lists('in'),
    offsetOut: lists('out'),
    ...(ios ? { rules: 'ios' as const } : {}),
  };
}

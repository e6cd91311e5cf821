/**
 * RIP parameters: one object per profile, every value with its unit, default and source. Two
 * profiles, because the write-up's lab runs two implementations side by side: Cisco IOS 12.4 on
 * the routers and Quagga ripd (FRR's ancestor, same logic) on the servers.
 *
 * Sources, cited below by these short names:
 * - RFC 2453, "RIP Version 2" (sections as `RFC 2453 3.8`).
 * - IOS cmd ref: Cisco IOS IP Routing: RIP Command Reference, `timers basic` (the same text is in the
 *   NX-OS unicast routing command reference), `maximum-paths`, `flash-update-threshold`.
 * - Doyle: J. Doyle, "Routing TCP/IP, Volume I", ch. 5 ("RIP_JITTER subtracts up to 15% (4.5 seconds)
 *   from the update time. Therefore, updates from Cisco routers vary between 25.5 and 30 seconds").
 * - FRR ripd: FRRouting `ripd/ripd.c`, `ripd/rip_interface.c`, `ripd/ripd.h` (functions named where used);
 *   Quagga 0.99 ripd, which the write-up's xenial servers ran, has the same logic in these places.
 * - Cisco forum threads where engineers report what IOS does, cited where the command reference is
 *   silent or contradicted by measurement (see `onPoison`).
 */
import type { RipPolicy } from './policy';
import type { Duration } from '../../sim/time';
import { seconds } from '../../sim/time';

export type RipProfileName = 'cisco-ios' | 'frr';

export type SplitHorizonMode = 'on' | 'off' | 'poisoned-reverse';

/** The route timers. A profile leaves the ones its implementation does not have null. */
export interface RipTimers {
  /**
   * Interval between periodic (full-table) updates, before jitter.
   * @defaultValue 30 s (RFC 2453 3.8; IOS `timers basic` update 30; FRR RIP_UPDATE_TIMER_DEFAULT 30)
   */
  update: Duration;
  /**
   * Time without an update after which a route is declared unreachable (IOS "invalid", RFC and FRR
   * "timeout").
   * @defaultValue 180 s (RFC 2453 3.8; IOS invalid 180; FRR RIP_TIMEOUT_TIMER_DEFAULT 180)
   */
  invalid: Duration;
  /**
   * IOS hold-down: how long after a route becomes invalid better routes from other sources are
   * ignored. null: no hold-down (FRR, RFC 2453).
   * @defaultValue 180 s on IOS (IOS cmd ref `timers basic`); null for FRR
   */
  holddown: Duration | null;
  /**
   * IOS flush: time from the last update until the route is removed. It is shorter than
   * invalid + holddown, so with the defaults it ends hold-down at 240 s (IOS cmd ref: "if it is less
   * than the sum of the update and holddown arguments, the proper holddown interval cannot elapse").
   * null for FRR.
   * @defaultValue 240 s on IOS; null for FRR
   */
  flush: Duration | null;
  /**
   * RFC/FRR garbage collection: time from the timeout until a route advertised with metric 16 is
   * deleted. null for IOS.
   * @defaultValue 120 s (RFC 2453 3.8; FRR RIP_GARBAGE_TIMER_DEFAULT 120); null for IOS
   */
  garbage: Duration | null;
}

/** How each periodic update interval is drawn. */
export type UpdateJitter =
  /** IOS: `update` minus a uniform random fraction of it up to `maxFraction` (Doyle: 15%, so 25.5–30 s). */
  | { kind: 'subtract'; maxFraction: number }
  /**
   * FRR `rip_update_jitter()`: `update + (random() % (2u + 1) - u) / 4` whole seconds, u the update
   * time in seconds (at least 4), C integer division: 30 s gives 23–37 s.
   */
  | { kind: 'frr-quarter' }
  /** RFC 2453 3.8: "offset by a small random time (+/- 0 to 5 seconds)". */
  | { kind: 'uniform'; min: Duration; max: Duration };

export interface RipProfile {
  name: RipProfileName;
  timers: RipTimers;
  jitter: UpdateJitter;
  /**
   * RFC 2453 3.10.1: after a triggered update, further triggered updates wait a random 1–5 s;
   * changes in between are merged into one. The first triggered update after a quiet period goes at
   * once (FRR `rip_event(RIP_TRIGGERED_UPDATE)` runs `rip_triggered_update` as an immediate event).
   * `wholeSeconds`: FRR draws `random() % 5 + 1` seconds.
   * @defaultValue 1 s to 5 s (RFC 2453 3.10.1; FRR `rip_triggered_update()`)
   */
  triggeredHoldoff: { min: Duration; max: Duration; wholeSeconds: boolean };
  /**
   * Delay from start (or interface up) until an interface runs RIP: joins 224.0.0.9, sends its
   * whole-table request (RFC 2453 3.9.1) and accepts packets.
   * @defaultValue FRR 1 s (`rip_enable_apply()` arms `rip_interface_wakeup` after 1 s); IOS 0
   */
  interfaceWakeup: Duration;
  /**
   * Delay from start until the first periodic update.
   * @defaultValue FRR 2 s (`rip_instance_enable()` → `rip_event(RIP_UPDATE_EVENT, 1)`: "sock ? 2");
   * IOS 0 (NOTE: not documented; IOS is seen to send its table as soon as RIP is configured)
   */
  firstUpdate: Duration;
  /**
   * Split horizon on interfaces without an explicit setting.
   * @defaultValue 'on' (FRR `rip_interface_new()`: RIP_SPLIT_HORIZON; IOS: on for Ethernet)
   */
  splitHorizon: SplitHorizonMode;
  /**
   * Equal-cost paths installed without configuration (`allow-ecmp` on FRR, `maximum-paths` on IOS).
   * @defaultValue IOS 4 (`show ip protocols` "Maximum path: 4"); FRR 1 (ECMP off unless `allow-ecmp`)
   */
  maxPaths: number;
  /**
   * Paths when FRR's `allow-ecmp` is given without a number: MULTIPATH_NUM.
   * @defaultValue 16 (NOTE: FRR's configure default for --enable-multipath; distributions may differ)
   */
  ecmpDefaultPaths: number;
  /**
   * What the invalid (timeout) timer does to a route.
   * - 'holddown' (IOS): the route is marked "possibly down", advertised with metric 16, kept in the
   *   forwarding table (IOS cmd ref: "However, the route is still used to forward packets"), better
   *   routes from other sources are ignored until the hold-down ends, and it is removed at `flush`
   *   counted from the last update.
   * - 'garbage' (RFC 2453 3.8, FRR `rip_timeout()` → `rip_ecmp_delete()`): metric 16, removed from the
   *   forwarding table at once, deleted `garbage` later; any better route replaces it meanwhile.
   */
  onInvalid: 'holddown' | 'garbage';
  /**
   * What a metric-16 update from the route's own next hop does.
   * - 'garbage' (RFC 2453 3.9.2, FRR): as a timeout.
   * - 'remove' (IOS default here): the route leaves the forwarding table at once and is advertised
   *   with metric 16 for (flush − invalid) = 60 s, then deleted; other sources are accepted at once.
   *   Reported by engineers testing IOS (Cisco community: "Route entering the holddown state in RIP
   *   protocol", P. Paluch: "upon receiving such information, the route is immediately removed from
   *   the routing table, instead of going into holddown"; "Why a route is flushed after 60s": "The
   *   route is immediately removed ... for the next 60 seconds it keeps advertising this route ...
   *   with metric=16").
   * - 'holddown': as the IOS command reference reads ("A route enters into a holddown state when an
   *   update packet is received that indicates the route is unreachable ... still used to forward").
   * NOTE: sources disagree, so this is a switch. 'remove' is the IOS default because it is what was
   * measured on IOS and what fits the write-up: with 'holddown', r1 would ignore r2's path for ~4 min
   * after r3's poison and the anycast take-over would take ~400 s instead of the 230–250 s the
   * write-up measured (§4.3.5).
   */
  onPoison: 'remove' | 'holddown' | 'garbage';
  /**
   * Whether a route in hold-down takes an update from the neighbour it was learned from (the
   * Cisco Networking Academy description of hold-down: "If an update is received from the same
   * neighbor indicating the network is again accessible, the router marks the network as accessible
   * and removes the hold-down timer").
   * @defaultValue true
   */
  holddownAcceptsSameSource: boolean;
  /**
   * The metric written to the forwarding table and shown by `show ip route`.
   * - 'hops' (IOS): routers to cross, the RIP metric minus one. A neighbour's connected network shows
   *   as [120/1]; on the wire IOS sends it with metric 1 and adds one when it sends, not when it receives.
   * - 'rip' (FRR): the RFC 2453 3.9.2 metric, received metric + 1 (connected = 1); FRR installs the
   *   route in zebra with it (`rip_zebra_ipv4_add`: api.metric = rinfo->metric), shown as [120/2].
   * Both send the same bytes; only the number inside the router differs by one.
   */
  fibMetric: 'hops' | 'rip';
  /**
   * Whether a refreshing update resets the route's age in `show ip route`.
   * @defaultValue IOS true (the age column is time since the last update); FRR false (zebra's uptime
   * counts from when ripd last changed the route: a refresh is not sent to zebra)
   */
  fibAgeRefresh: boolean;
  /**
   * Whether updates carry the route's next hop when it is on the outgoing interface (RFC 2453 4.4).
   * @defaultValue FRR true (`rip_output_process()`: nexthop_out = gate when ifindex matches); IOS false
   */
  nextHopOut: boolean;
  /**
   * IP TTL of updates sent to the group. IOS sends RIP with TTL 2; Linux multicast defaults to 1
   * (IP_MULTICAST_TTL). Unicast replies use the stack's default TTL.
   */
  multicastTtl: number;
  /** Versions sent and accepted when the configuration has no `version` line. */
  defaultVersion: { send: 1 | 2; receive: readonly (1 | 2)[] };
  /**
   * Whether a graceful stop sends metric-16 updates for every route first. Neither ripd (SIGTERM →
   * `rip_clean()` → `rip_instance_disable()`: routes withdrawn from zebra, socket closed, nothing
   * sent) nor IOS is known to do so.
   * @defaultValue false
   */
  gracefulStopPoisons: boolean;
}

/** Cisco IOS 12.4, as on the write-up's c3640 routers. */
export const CISCO_IOS: RipProfile = {
  name: 'cisco-ios',
  timers: { update: seconds(30), invalid: seconds(180), holddown: seconds(180), flush: seconds(240), garbage: null },
  jitter: { kind: 'subtract', maxFraction: 0.15 },
  // NOTE: IOS's pacing of flash updates is not documented (flash-update-threshold only suppresses
  // them near a periodic update); we apply the RFC 2453 3.10.1 rule.
  triggeredHoldoff: { min: seconds(1), max: seconds(5), wholeSeconds: false },
  interfaceWakeup: 0,
  firstUpdate: 0,
  splitHorizon: 'on',
  maxPaths: 4,
  ecmpDefaultPaths: 4,
  onInvalid: 'holddown',
  onPoison: 'remove',
  holddownAcceptsSameSource: true,
  fibMetric: 'hops',
  fibAgeRefresh: true,
  nextHopOut: false,
  multicastTtl: 2,
  // IOS without `version`: sends version 1, accepts 1 and 2.
  defaultVersion: { send: 1, receive: [1, 2] },
  gracefulStopPoisons: false,
};

/** FRR ripd (and Quagga ripd, which the write-up's servers ran: same timers and rules). */
export const FRR: RipProfile = {
  name: 'frr',
  timers: { update: seconds(30), invalid: seconds(180), holddown: null, flush: null, garbage: seconds(120) },
  jitter: { kind: 'frr-quarter' },
  triggeredHoldoff: { min: seconds(1), max: seconds(5), wholeSeconds: true },
  interfaceWakeup: seconds(1),
  firstUpdate: seconds(2),
  splitHorizon: 'on',
  maxPaths: 1,
  ecmpDefaultPaths: 16,
  onInvalid: 'garbage',
  onPoison: 'garbage',
  holddownAcceptsSameSource: false,
  fibMetric: 'rip',
  fibAgeRefresh: false,
  nextHopOut: true,
  multicastTtl: 1,
  // FRR without `version`: sends 2, accepts 1 and 2 (yang defaults version/send 2, receive 1-2).
  defaultVersion: { send: 2, receive: [1, 2] },
  gracefulStopPoisons: false,
};

export const RIP_PROFILES: Record<RipProfileName, RipProfile> = { 'cisco-ios': CISCO_IOS, frr: FRR };

/** A RIP process's configuration, interpreted (lib/lab/routing.ts reads it from IOS or ripd.conf text). */
export interface RipConfig {
  profile: RipProfile;
  /**
   * Networks that enable RIP. IOS: classful networks; an interface with an address inside runs RIP
   * and its connected subnets are advertised. FRR `network A.B.C.D/M`: the same per address (ripd
   * `rip_enable_network_lookup2()`).
   */
  networks: readonly { prefix: number; prefixLength: number }[];
  /**
   * FRR `network IFNAME`: interfaces enabled by name; all their addresses are advertised. Names are
   * kernel interface names: an alias label such as `lo:0` names no interface (zebra has no such
   * interface), so it enables nothing.
   */
  interfaceNames: readonly string[];
  passiveDefault: boolean;
  /** Interfaces listed with `passive-interface` (or with `no passive-interface` under a passive default). */
  passiveExceptions: readonly string[];
  /** Per-interface split horizon (`ip rip split-horizon [poisoned-reverse]`, IOS `no ip split-horizon`). */
  splitHorizon: Readonly<Record<string, SplitHorizonMode>>;
  /** `neighbor A.B.C.D`: unicast updates to these addresses, and their updates accepted. */
  neighbors: readonly number[];
  sendVersion: 1 | 2;
  receiveVersions: readonly (1 | 2)[];
  /**
   * Per interface (by name), FRR `ip rip send version 1|2|1 2|none` and `ip rip receive version
   * ...` (ripd `ri_send` / `ri_receive`; IOS `ip rip send|receive version`): the versions sent and
   * accepted there, `[]` for `none`; null or no entry: `sendVersion` / `receiveVersions`.
   */
  interfaceVersions: Readonly<Record<string, RipInterfaceVersions>>;
  /** `redistribute connected [metric N]`; null: not redistributed. */
  redistributeConnected: { metric: number | null } | null;
  redistributeStatic: { metric: number | null } | null;
  /** `default-metric`: metric of redistributed routes without their own. @defaultValue 1 (FRR default-metric 1) */
  defaultMetric: number;
  defaultInformationOriginate: boolean;
  /** Equal-cost paths per prefix (1: no ECMP). */
  maxPaths: number;
  /** FRR `redistribute kernel [metric N]`: the kernel's routes (`route add`); absent: not redistributed. */
  redistributeKernel?: { metric: number | null } | null;
  /** FRR `distance`, `offset-list` and the access lists they name (./policy.ts); absent: none. */
  policy?: RipPolicy;
  /**
   * What an equal-cost path does when `maxPaths` are already kept: false, it is ignored (FRR 8.4,
   * whose `allow-ecmp` takes no number; IOS, NOTE: not documented); true, it replaces the kept path
   * from the highest sender address when its own sender's address is lower, so the lowest
   * `maxPaths` senders are kept whatever the order they were heard in (`allow-ecmp N`, which
   * releases after 8.4 have, 10.x among them; ripngd/ripngd.c `ripng_ecmp_add()`: "Add or replace
   * an existing ECMP path with lower neighbor IP", input.ts `replaceHighestSender`).
   */
  ecmpPrefersLowerSender: boolean;
}

/** One interface's `ip rip send version` / `ip rip receive version`; null: the router's setting. */
export interface RipInterfaceVersions {
  send: readonly (1 | 2)[] | null;
  receive: readonly (1 | 2)[] | null;
}

/** A configuration with the profile's defaults: no networks, nothing redistributed. */
export function defaultRipConfig(profile: RipProfile): RipConfig {
  return {
    profile,
    networks: [],
    interfaceNames: [],
    passiveDefault: false,
    passiveExceptions: [],
    splitHorizon: {},
    neighbors: [],
    sendVersion: profile.defaultVersion.send,
    receiveVersions: profile.defaultVersion.receive,
    interfaceVersions: {},
    redistributeConnected: null,
    redistributeStatic: null,
    defaultMetric: 1,
    defaultInformationOriginate: false,
    maxPaths: profile.maxPaths,
    ecmpPrefersLowerSender: false,
  };
}

/** A profile with some timers replaced (`timers basic`). */
export function withTimers(profile: RipProfile, timers: Partial<RipTimers>): RipProfile {
  return { ...profile, timers: { ...profile.timers, ...timers } };
}

/**
 * The shortest and longest time between two periodic updates of a speaker with `update` and
 * `jitter`, by the same rules as the update timer (lib/proto/rip/timers.ts `updateInterval`): what
 * a neighbour's invalid (timeout) timer must outlast. IOS subtracts up to 15% (25.5–30 s at 30 s);
 * ripd `rip_update_jitter()` adds (random() % (2u + 1) − u) / 4 whole seconds (23–37 s at 30 s).
 */
export function updateIntervalRange(update: Duration, jitter: UpdateJitter): { min: Duration; max: Duration } {
  switch (jitter.kind) {
    case 'subtract':
      return { min: update - Math.floor(jitter.maxFraction * update), max: update };
    case 'frr-quarter': {
      const whole = Math.floor(update / seconds(1));
      const spread = Math.floor(Math.max(4, whole) / 4);
      return { min: seconds(Math.max(0, whole - spread)), max: seconds(whole + spread) };
    }
    case 'uniform':
      return { min: update + jitter.min, max: update + jitter.max };
  }
}

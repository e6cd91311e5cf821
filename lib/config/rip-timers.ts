/**
 * The RIP timers each speaker of a lab runs with, as the simulator will run them (its configuration's
 * `timers basic`, else its dialect's defaults, with the lab's overrides applied: `withRipProfile`,
 * `withRipTimers`), and which speakers hear each other's updates on which segment. `doctor` reads
 * them to say when a route cannot survive between two updates; `failover` to pick the window its
 * failure instants are drawn over (`labUpdateInterval`).
 */
import type { Duration } from '../sim/time';
import { RIP_PROFILES, updateIntervalRange, type RipProfileName } from '../proto/rip/params';
import { inSubnet } from '../wire/addr';
import type { InterfaceSpec, LabSpec, NodeSpec, SourceRef } from './spec';

/** One RIP speaker's timers as it runs them. */
export interface SpeakerTimers {
  node: string;
  profile: RipProfileName;
  /** Nominal update interval, before jitter. */
  update: Duration;
  /** Shortest and longest time between two of its periodic updates (jitter included). */
  minGap: Duration;
  maxGap: Duration;
  /** IOS invalid, FRR (and RFC 2453) timeout: a route not refreshed for this long is dropped. */
  invalid: Duration;
  /** The `timers basic` line, or null when the speaker runs its defaults. */
  written: { text: string; source: SourceRef } | null;
  /** The `router rip` line (where the defaults come from when nothing is written). */
  routerRip: SourceRef;
}

/** Two RIP speakers on one segment: `receiver` hears `sender`'s periodic updates there. */
export interface RipAdjacency {
  segment: string;
  sender: SpeakerTimers;
  receiver: SpeakerTimers;
  /** The sender's and the receiver's interface on the segment. */
  senderInterface: string;
  receiverInterface: string;
}

function profileOf(spec: LabSpec, n: NodeSpec): RipProfileName {
  return spec.overrides?.ripProfile ?? (n.rip?.flavour === 'ios' ? 'cisco-ios' : 'frr');
}

/** The timers of every RIP speaker of the lab (bridges and nodes without RIP have none). */
export function speakerTimers(spec: LabSpec): Map<string, SpeakerTimers> {
  const out = new Map<string, SpeakerTimers>();
  for (const n of spec.nodes) {
    if (n.rip === null || n.kind === 'bridge') continue;
    const profileName = profileOf(spec, n);
    const profile = RIP_PROFILES[profileName];
    // As lib/lab/routing.ts builds the daemon: the override's timers, else the configuration's.
    const t = spec.overrides?.timers ?? n.rip.timers;
    const update = t?.update ?? profile.timers.update;
    const invalid = t === null ? profile.timers.invalid : t.flavour === 'ios' ? t.invalid : t.timeout;
    const gaps = updateIntervalRange(update, profile.jitter);
    const text =
      t === null ? null : t.flavour === 'ios' ? `timers basic ${[t.update, t.invalid, t.holddown, t.flush].map((d) => d / 1e6).join(' ')}` : `timers basic ${[t.update, t.timeout, t.garbage].map((d) => d / 1e6).join(' ')}`;
    out.set(n.name, { node: n.name, profile: profileName, update, minGap: gaps.min, maxGap: gaps.max, invalid, written: t === null ? null : { text: text!, source: t.source }, routerRip: n.rip.source });
  }
  return out;
}

function ifaceAddresses(i: InterfaceSpec): number[] {
  return [...i.addresses.map((a) => a.address), ...i.aliases.map((a) => a.address)];
}

/** Whether RIP runs on the interface (as lib/proto/rip/router.ts `updateEnabled`: named, or an address in a `network`). */
export function ripEnabled(n: NodeSpec, i: InterfaceSpec): boolean {
  const rip = n.rip!;
  if (i.addresses.length === 0) return false;
  return rip.networks.some((net) => (net.kind === 'interface' ? net.name === i.name : ifaceAddresses(i).some((a) => inSubnet(a, net.prefix, net.prefixLength))));
}

/** Whether the speaker keeps its updates off the interface (`passive-interface`, as lib/lab/routing.ts reads it). */
function passive(n: NodeSpec, i: InterfaceSpec): boolean {
  const rip = n.rip!;
  if (rip.passiveDefault !== null) return !rip.nonPassiveInterfaces.some((p) => p.value === i.name);
  return rip.passiveInterfaces.some((p) => p.value === i.name);
}

/**
 * Every (sender, receiver) pair of RIP speakers on a common segment where the sender's periodic
 * updates reach the receiver: both run RIP on their interface there and the sender's is not passive.
 * NOTE: unicast `neighbor` updates and `ip rip send|receive version` mismatches are not considered.
 */
export function ripAdjacencies(spec: LabSpec): RipAdjacency[] {
  const timers = speakerTimers(spec);
  const byName = new Map(spec.nodes.map((n) => [n.name, n]));
  const out: RipAdjacency[] = [];
  for (const s of spec.segments) {
    const on = s.endpoints.flatMap((e) => {
      const n = byName.get(e.node);
      const i = n?.interfaces.find((x) => x.name === e.iface);
      const t = timers.get(e.node);
      return n === undefined || i === undefined || t === undefined || !ripEnabled(n, i) ? [] : [{ t, sends: !passive(n, i), iface: i.name }];
    });
    for (const a of on) for (const b of on) if (a.t !== b.t && a.sends) out.push({ segment: s.name, sender: a.t, receiver: b.t, senderInterface: a.iface, receiverInterface: b.iface });
  }
  return out;
}

/**
 * The lab's RIP update interval: the longest nominal update interval of its RIP speakers (30 s with
 * every default; null when no node runs RIP). A failure's effect on the routing repeats with the
 * update schedule of the speakers that refresh the routes concerned; the longest covers every phase
 * of the slowest of them (for the write-up's halt, the server whose last update the nearest router
 * heard), and of the faster ones with it.
 */
export function labUpdateInterval(spec: LabSpec): Duration | null {
  let longest: Duration | null = null;
  for (const t of speakerTimers(spec).values()) if (longest === null || t.update > longest) longest = t.update;
  return longest;
}

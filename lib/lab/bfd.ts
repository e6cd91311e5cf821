/**
 * bfdd and ripd's BFD integration for a lab, from each node's FRR spec: a BFD daemon on every node
 * whose daemons file starts bfdd, ripd's sessions per neighbour on the `ip rip bfd` interfaces, and
 * the node's FRR log with the `debug` switches its files turn on (lib/net/frr-log.ts).
 */
import type { NodeSpec } from '../config/spec';
import type { BfdTimersSpec } from '../config/commands/frr-bfd';
import type { NetNode } from '../net/node';
import { BfdDaemon, type BfdConfig } from '../net/bfd-daemon';
import { frrLogOf, type FrrDebugFlag } from '../net/frr-log';
import { attachRipBfd } from '../net/rip-bfd';
import type { RipDaemon } from '../net/rip-daemon';
import { FRR_BFD_DEFAULTS, type BfdTimers } from '../proto/bfd/session';
import { ipv4ToString } from '../wire/addr';

const US_PER_MS = 1000;
const DEBUG_FLAGS: readonly FrrDebugFlag[] = ['rip events', 'rip zebra', 'bfd peer'];

function timersOf(t: BfdTimersSpec, base: BfdTimers = FRR_BFD_DEFAULTS): BfdTimers {
  return {
    transmitInterval: t.transmitIntervalMs === null ? base.transmitInterval : t.transmitIntervalMs * US_PER_MS,
    receiveInterval: t.receiveIntervalMs === null ? base.receiveInterval : t.receiveIntervalMs * US_PER_MS,
    detectMultiplier: t.detectMultiplier ?? base.detectMultiplier,
  };
}

/**
 * A `peer` block's timers over its profile's, as bfdd/bfd.c bfd_session_apply picks them: each value
 * the peer sets to something other than FRR's default wins; a value left unset, or set to the
 * default, comes from the profile (or is the default when there is none).
 */
function peerTimers(p: BfdTimersSpec, profile: BfdTimers = FRR_BFD_DEFAULTS): BfdTimers {
  const own = timersOf(p);
  const pick = (key: keyof BfdTimers): number => (own[key] === FRR_BFD_DEFAULTS[key] ? profile[key] : own[key]);
  return { transmitInterval: pick('transmitInterval'), receiveInterval: pick('receiveInterval'), detectMultiplier: pick('detectMultiplier') };
}

/** The BFD daemon of a node whose FRR runs bfdd (registered on the node, started before ripd), or null. */
export function attachBfdDaemon(node: NetNode, n: NodeSpec): BfdDaemon | null {
  const frr = n.frr;
  if (frr === undefined) return null;
  const log = frrLogOf(node);
  for (const d of frr.debug ?? []) if ((DEBUG_FLAGS as readonly string[]).includes(d)) log.debug.add(d as FrrDebugFlag);
  if (frr.bfdd === undefined) return null;
  const profiles = new Map(frr.bfdd.profiles.map((p) => [p.name, timersOf(p)] as const));
  const config: BfdConfig = {
    profiles,
    peers: frr.bfdd.peers.map((p) => ({ peer: p.peer, interface: p.interface, profile: p.profile, timers: peerTimers(p, p.profile === null ? undefined : profiles.get(p.profile)) })),
  };
  const daemon = new BfdDaemon(node, config);
  node.services.push(daemon);
  return daemon;
}

/** ripd's `ip rip bfd` interfaces, joined to the node's bfdd; and `debug rip zebra`'s route messages. */
export function attachRipBfdFromSpec(rip: RipDaemon, bfd: BfdDaemon | null, n: NodeSpec): void {
  const node = rip.node;
  const log = frrLogOf(node);
  if (log.debug.has('rip zebra')) {
    // ripd/rip_zebra.c rip_zebra_ipv4_send: "%s: %pFX" with "Install into zebra" / "Delete from zebra".
    node.fib.listeners.push((c) => {
      if (c.route.source !== 'rip') return;
      const what = c.kind === 'remove' ? 'Delete from zebra' : 'Install into zebra';
      log.debugMessage('rip zebra', node.now, 'RIP', `${what}: ${ipv4ToString(c.route.prefix)}/${c.route.prefixLength}`);
    });
  }
  // frr-ripd.yang keeps bfd-monitoring/enable and /profile apart: `ip rip bfd profile P` alone names
  // the profile without turning BFD on.
  const written = (n.frr?.bfd ?? []).filter((b) => b.interface !== null);
  const interfaces = new Map(written.filter((b) => b.profile === null).map((b) => [b.interface!, written.find((x) => x.interface === b.interface && x.profile !== null)?.profile ?? null] as const));
  if (bfd === null || interfaces.size === 0) return;
  attachRipBfd(rip, bfd, { interfaces, defaultProfile: n.rip?.bfdDefaultProfile?.value ?? null });
}

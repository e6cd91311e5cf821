/**
 * ripd's BFD integration (FRR ≥ 9.0, ripd/rip_bfd.c): with `ip rip bfd [profile NAME]` on an
 * interface, every RIP neighbour heard there gets a BFD session (rip_peer_update →
 * rip_bfd_session_update, profile: the interface's, else `bfd default-profile`); when a session goes
 * from Up to Down, ripd drops that neighbour's routes at once and forgets the neighbour
 * (rip_bfd_session_change → rip_peer_delete_routes, rip_peer_free, which frees the session too),
 * logging "%s: peer %pI4: BFD Down" under `debug rip events`.
 * NOTE: ripd also frees a neighbour (and so its session) when it has not been heard for the
 * timeout (rip_peer_timeout); that is not modelled: the session stays until BFD takes it down.
 */
import { ipv4ToString } from '../wire/addr';
import { BFD_DOWN, BFD_UP } from '../wire/bfd';
import type { BfdClient, BfdDaemon, BfdPeer } from './bfd-daemon';
import { frrLogOf } from './frr-log';
import type { RipDaemon } from './rip-daemon';

export interface RipBfdSettings {
  /** Interfaces with `ip rip bfd`, by name, and their `ip rip bfd profile` (null: none). */
  interfaces: ReadonlyMap<string, string | null>;
  /** `bfd default-profile NAME` under `router rip`, or null. */
  defaultProfile: string | null;
}

export function attachRipBfd(rip: RipDaemon, bfd: BfdDaemon, settings: RipBfdSettings): void {
  const node = rip.node;
  const held = new Map<string, { peer: BfdPeer; client: BfdClient }>();
  const log = frrLogOf(node);
  rip.peerListeners.push((_now, from, ifIndex) => {
    const ifName = node.interfaces[ifIndex]!.name;
    if (!settings.interfaces.has(ifName)) return;
    const key = `${from}/${ifIndex}`;
    if (held.has(key) && bfd.peers.includes(held.get(key)!.peer)) return;
    // rip_bfd_interface_profile: the interface's profile, else the instance's default.
    const profile = settings.interfaces.get(ifName) ?? settings.defaultProfile;
    const client: BfdClient = (c) => {
      const name = `rip_bfd_session_change: peer ${ipv4ToString(c.peer)}`;
      if (c.state === BFD_DOWN && c.previous === BFD_UP) {
        log.debugMessage('rip events', c.time, 'RIP', `${name}: BFD Down`);
        rip.router?.dropPeer(c.time, c.peer);
        const h = held.get(key);
        held.delete(key);
        if (h !== undefined) bfd.releaseSession(h.peer, h.client);
      } else if (c.state === BFD_UP) {
        log.debugMessage('rip events', c.time, 'RIP', `${name}: BFD Up`);
      }
    };
    const peer = bfd.requestSession(from, ifIndex, profile, client);
    if (peer !== null) held.set(key, { peer, client });
  });
}

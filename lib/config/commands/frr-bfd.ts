/**
 * bfdd's configuration (FRR bfdd/bfdd_cli.c): the `bfd` node, its `profile NAME` and `peer A.B.C.D`
 * sub-nodes and their timers. bfdd reads these from frr.conf (or its own bfdd.conf); the `bfd` node
 * is older than RIP's BFD support (bfdd came in FRR 6, profiles in 7.5, both in Debian 12's 8.4), so
 * no release check applies here: only ripd's `ip rip bfd` and `bfd default-profile` are FRR 9.0's.
 */
import type { SourceRef } from '../spec';
import { valueOf, type CommandLine, type Table } from './engine';
import type { FrrState } from './frr';

/** A `profile NAME` or `peer A.B.C.D` block: timers in milliseconds, as bfdd_cli.c takes them; null: the default. */
export interface BfdTimersSpec {
  transmitIntervalMs: number | null;
  receiveIntervalMs: number | null;
  detectMultiplier: number | null;
}

export interface BfdProfileSpec extends BfdTimersSpec {
  name: string;
  source: SourceRef;
}

export interface BfdPeerSpec extends BfdTimersSpec {
  peer: number;
  interface: string | null;
  profile: string | null;
  source: SourceRef;
}

/** What the `bfd` node of one file says. */
export interface BfddSpec {
  profiles: BfdProfileSpec[];
  peers: BfdPeerSpec[];
}

export function emptyBfdd(): BfddSpec {
  return { profiles: [], peers: [] };
}

/** `bfd` at the top level: bfdd's node (bfd_enter: "bfd"). */
export function enterBfd(s: FrrState, l: CommandLine): void {
  if (s.daemon !== 'frr') {
    s.findings.add('unsupported', l.lineNo, `${l.got} in ${s.daemon}.conf: ${s.daemon} does not read it (bfdd's configuration belongs in frr.conf)`);
    s.node = { kind: 'block' };
    return;
  }
  s.bfdd ??= emptyBfdd();
  s.node = { kind: 'bfd' };
}

function currentBlock(s: FrrState): BfdTimersSpec {
  if (s.node.kind !== 'bfd-session') throw new Error('a BFD timer outside a profile or peer node');
  return s.node.block;
}

const noTimers = (): BfdTimersSpec => ({ transmitIntervalMs: null, receiveIntervalMs: null, detectMultiplier: null });

/** `profile NAME` in the bfd node: creates or enters it; `no profile NAME` deletes it. */
function bfdProfile(s: FrrState, l: CommandLine): void {
  const bfdd = s.bfdd!;
  const name = valueOf<string>(l, 'name');
  if (l.negated) {
    bfdd.profiles = bfdd.profiles.filter((p) => p.name !== name);
    s.node = { kind: 'bfd' };
    return;
  }
  let p = bfdd.profiles.find((x) => x.name === name);
  if (p === undefined) {
    p = { name, ...noTimers(), source: l.src };
    bfdd.profiles.push(p);
  }
  s.node = { kind: 'bfd-session', block: p };
}

/** The `bfd` node: `profile NAME`, `peer A.B.C.D [interface IFNAME]`. */
export const FRR_BFD: Table<FrrState> = {
  mode: 'config-bfd',
  commands: [
    {
      // bfdd_cli.c bfd_profile: "profile BFDPROF$name"
      syntax: 'profile WORD$name',
      help: 'a set of BFD timers that sessions name',
      no: 'same',
      apply: bfdProfile,
    },
    {
      // bfdd_cli.c bfd_peer_enter: "peer <A.B.C.D|X:X::X:X> [{multihop|local-address <A.B.C.D|X:X::X:X>|interface IFNAME|vrf NAME}]"
      syntax: 'peer A.B.C.D$peer [interface IFNAME$ifname]',
      help: 'a single-hop BFD session configured by hand',
      no: 'same',
      apply: (s, l) => {
        const bfdd = s.bfdd!;
        const peer = valueOf<number>(l, 'peer');
        const ifname = valueOf<string | undefined>(l, 'ifname') ?? null;
        if (l.negated) {
          bfdd.peers = bfdd.peers.filter((p) => !(p.peer === peer && p.interface === ifname));
          return;
        }
        let p = bfdd.peers.find((x) => x.peer === peer && x.interface === ifname);
        if (p === undefined) {
          p = { peer, interface: ifname, profile: null, ...noTimers(), source: l.src };
          bfdd.peers.push(p);
        }
        s.node = { kind: 'bfd-session', block: p };
      },
    },
    {
      syntax: 'peer [LINE...]',
      help: 'multihop, IPv6, local-address and VRF sessions',
      apply: (s, l) => {
        s.findings.add('unsupported', l.lineNo, `${l.got}: only single-hop IPv4 peers ("peer A.B.C.D [interface IFNAME]") are modelled`);
        s.node = { kind: 'block' };
      },
    },
  ],
};

/** Inside `profile NAME` or `peer A.B.C.D` (bfdd_cli.c; ranges as FRR 10 declares them). */
export const FRR_BFD_SESSION: Table<FrrState> = {
  mode: 'config-bfd-peer',
  commands: [
    {
      // bfd_peer_tx: "transmit-interval (10-60000)$interval"
      syntax: 'transmit-interval (10-60000)$ms',
      help: 'desired minimum transmit interval (ms)',
      no: 'bare',
      apply: (s, l) => void (currentBlock(s).transmitIntervalMs = l.negated ? null : valueOf<number>(l, 'ms')),
    },
    {
      // bfd_peer_rx: "receive-interval (10-60000)$interval"
      syntax: 'receive-interval (10-60000)$ms',
      help: 'required minimum receive interval (ms)',
      no: 'bare',
      apply: (s, l) => void (currentBlock(s).receiveIntervalMs = l.negated ? null : valueOf<number>(l, 'ms')),
    },
    {
      // bfd_peer_mult: "detect-multiplier (2-255)$multiplier"
      syntax: 'detect-multiplier (2-255)$mult',
      help: 'packets missed before the session goes down',
      no: 'bare',
      apply: (s, l) => void (currentBlock(s).detectMultiplier = l.negated ? null : valueOf<number>(l, 'mult')),
    },
    {
      // bfd_peer_profile: "profile BFDPROF$pname" (inside a peer)
      syntax: 'profile WORD$name',
      help: "the profile whose timers this peer takes",
      no: 'bare',
      apply: (s, l) => {
        const block = currentBlock(s);
        // Inside a profile the line is the next profile of the bfd node (vtysh tries the parent node).
        if (!('peer' in block)) return bfdProfile(s, l);
        (block as BfdPeerSpec).profile = l.negated ? null : valueOf<string>(l, 'name');
      },
    },
    {
      syntax: '<shutdown|echo-mode|passive-mode|minimum-ttl|echo-interval|echo|label|local-address> [LINE...]',
      help: 'session settings not modelled',
      no: 'same',
      apply: (s, l) => s.findings.add('unsupported', l.lineNo, `${l.got}: read, not modelled (sessions run asynchronous mode, active, without echo)`),
    },
  ],
};

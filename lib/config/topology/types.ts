/** What a topology file says, read and checked on its own (before the nodes' config files). */
import { ms, seconds, type Duration } from '../../sim/time';
import type { MacAddr } from '../../wire/types';
import type { DurationRange } from '../common';
import type { ConfigFinding, NodeKind, NodeOs, SegmentSpec, SourceRef } from '../spec';

/**
 * One-way delay of a wire when the topology gives none: 0.1 ms. The labs this project imitates run
 * every device on one machine, where a "cable" is a software switch or a veth pair; a frame crosses it
 * in tens of microseconds, so 0.1 ms is a generous upper figure, small beside the routers' own delays.
 */
export const DEFAULT_LINK_DELAY: Duration = ms(0.1);

/**
 * The range of every delay a topology gives under `x-sim` (a node's processing delay, both ends of its
 * range, and a link's, a bridge's or the lab's one-way delay): 0s to 10s. Real values are microseconds
 * to milliseconds (the write-up's routers take 2–6 ms a packet); a satellite hop is about 0.3 s one
 * way. Past 10 s every timeout the lab runs expires before an answer could come back (resolv.conf's
 * 5 s, dig's 5 s, IOS ping's 2 s), so a larger value is a slip of the unit, and it would give a
 * network where nothing answers.
 */
export const DELAY_RANGE: { min: Duration; max: Duration } = { min: 0, max: seconds(10) };

/** containerlab kinds we understand and what they become. */
export const CLAB_KINDS: Record<string, { kind: NodeKind; os: NodeOs }> = {
  cisco_iol: { kind: 'router', os: 'ios' },
  cisco_ios: { kind: 'router', os: 'ios' },
  linux: { kind: 'host', os: 'linux' },
  bridge: { kind: 'bridge', os: 'linux' },
  'ovs-bridge': { kind: 'bridge', os: 'linux' },
};

export interface TopologyBind {
  /** Path in the lab folder (relative to it). */
  labFile: string;
  /** Absolute path on the device. */
  devicePath: string;
  readOnly: boolean;
  source: SourceRef;
}

export interface TopologyNode {
  name: string;
  clabKind: string;
  kind: NodeKind;
  os: NodeOs;
  /** Lab-folder-relative path of the node's startup config (IOS text, or a shell setup script). */
  startupConfig: { path: string; source: SourceRef } | null;
  binds: TopologyBind[];
  processingDelay: DurationRange | null;
  /** Bridges only: `x-sim: { delay }`, the LAN's one-way delay. */
  delay: Duration | null;
  source: SourceRef;
}

export interface TopologyEndpoint {
  node: string;
  /** Normalised (`e0/0` on an IOS node becomes `Ethernet0/0`). */
  iface: string;
  mac: MacAddr | null;
  source: SourceRef;
}

export interface TopologyLink {
  endpoints: [TopologyEndpoint, TopologyEndpoint];
  delay: Duration | null;
  source: SourceRef;
}

export interface LabOptionDecl {
  name: string;
  default: boolean;
  description: string | null;
  source: SourceRef;
}

export interface TopologySpec {
  name: string;
  file: string;
  source: SourceRef;
  options: LabOptionDecl[];
  /** `x-sim.frr-version`, or null. */
  frrVersion: { value: string; source: SourceRef } | null;
  nodes: TopologyNode[];
  links: TopologyLink[];
  /** The wires: one `lan` per bridge node (its ports' far ends), one `p2p` per direct link. */
  segments: SegmentSpec[];
  findings: ConfigFinding[];
}

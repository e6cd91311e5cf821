/** What a topology file says, read and checked on its own (before the nodes' config files). */
import { ms, type Duration } from '../../sim/time';
import type { MacAddr } from '../../wire/types';
import type { DurationRange } from '../common';
import type { ConfigFinding, NodeKind, NodeOs, SegmentSpec, SourceRef } from '../spec';

/**
 * One-way delay of a wire when the topology gives none: 0.1 ms. The labs this project imitates run
 * every device on one machine, where a "cable" is a software switch or a veth pair; a frame crosses it
 * in tens of microseconds, so 0.1 ms is a generous upper figure, small beside the routers' own delays.
 */
export const DEFAULT_LINK_DELAY: Duration = ms(0.1);

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
  nodes: TopologyNode[];
  links: TopologyLink[];
  /** The wires: one `lan` per bridge node (its ports' far ends), one `p2p` per direct link. */
  segments: SegmentSpec[];
  findings: ConfigFinding[];
}

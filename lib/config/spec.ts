/**
 * LabSpec: the one description of a lab that everything else builds from. The simulator builds its
 * network from it, the real-lab driver builds namespaces from it, and the config writers write
 * device configs from it. Only lib/config knows the file formats that produce it.
 *
 * Plain data: no classes, no functions, so a LabSpec can be printed, compared and sent to a worker.
 */
import type { Ipv4Addr, MacAddr } from '../wire/types';
import type { Duration } from '../sim/time';

/** Where a fact came from, so errors and findings can point at the user's own text. */
export interface SourceRef {
  file: string;
  line: number;
}

/** The operating system a node's consoles and protocol defaults imitate. */
export type NodeOs = 'ios' | 'linux';

/** containerlab `kind` values we understand, mapped to how the simulator models the node. */
export type NodeKind = 'router' | 'host' | 'bridge';

export interface InterfaceAddress {
  address: Ipv4Addr;
  prefixLength: number;
  source: SourceRef;
}

export interface InterfaceSpec {
  /** The device's own name: `Ethernet0/0`, `eth1`, `lo`. Aliases such as `lo:0` are addresses of `lo`. */
  name: string;
  mac: MacAddr | null;
  addresses: InterfaceAddress[];
  /** Administratively up (`no shut`, `ifconfig ... up`). Loopback is always up. */
  up: boolean;
  loopback: boolean;
  /** Linux alias labels (`lo:0`) with the address each carries, for consoles and the doctor. */
  aliases: { label: string; address: Ipv4Addr; prefixLength: number; source: SourceRef }[];
  source: SourceRef | null;
}

export interface StaticRouteSpec {
  prefix: Ipv4Addr;
  prefixLength: number;
  /** Next-hop address, or null for a route out of `device` (directly attached). */
  via: Ipv4Addr | null;
  device: string | null;
  source: SourceRef;
}

/** A line of device configuration we did not model: shown to the user, never silently dropped. */
export interface ConfigFinding {
  severity: 'ignored' | 'unsupported';
  message: string;
  source: SourceRef;
}

export interface NodeSpec {
  name: string;
  kind: NodeKind;
  os: NodeOs;
  /** The clab kind as written (`cisco_iol`, `linux`, `bridge`). */
  clabKind: string;
  hostname: string | null;
  domain: string | null;
  interfaces: InterfaceSpec[];
  staticRoutes: StaticRouteSpec[];
  /** Whether the node forwards IPv4 packets not addressed to it (routers, hosts running a router daemon). */
  ipForwarding: boolean;
  /** The config files this node was built from: path on the device → lab file, for provenance and export. */
  files: { devicePath: string; labFile: string }[];
  findings: ConfigFinding[];
  source: SourceRef;
}

export interface SegmentEndpoint {
  node: string;
  iface: string;
}

/**
 * A piece of wire. `lan`: a switch (a bridge node in the topology) with its ports; a host that dies
 * does not take its neighbours' links down. `p2p`: a direct cable between two interfaces.
 */
export interface SegmentSpec {
  name: string;
  kind: 'lan' | 'p2p';
  endpoints: SegmentEndpoint[];
  /** One-way propagation and switching delay. */
  delay: Duration;
  source: SourceRef;
}

export interface LabSpec {
  name: string;
  /** The folder the lab was loaded from (absolute), or null for a lab built in code. */
  dir: string | null;
  topologyFile: string | null;
  nodes: NodeSpec[];
  segments: SegmentSpec[];
}

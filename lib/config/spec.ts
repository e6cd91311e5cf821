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
  /**
   * `ignored`: understood and deliberately not modelled (it does not change what the simulator shows);
   * `unsupported`: not understood or not modelled although it may matter: the lab may behave differently;
   * `note`: accepted, but the device reads it differently from how it is written (IOS stores
   * `network 10.128.0.0` under `router rip` as `network 10.0.0.0`).
   */
  severity: 'ignored' | 'unsupported' | 'note';
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
  /**
   * Per-packet processing time of this node (CPU, emulator, hypervisor), drawn uniformly from
   * [min, max] for every packet it forwards or answers; null: the simulator's default for the OS.
   */
  processingDelay: { min: Duration; max: Duration } | null;
  /** The node's RIP configuration as written (IOS `router rip`, Quagga/FRR ripd.conf), or null: no RIP. */
  rip: RipConfigSpec | null;
  /** Files the node's setup script wrote (heredocs, `echo >`), in the order it wrote them. */
  writtenFiles: WrittenFileSpec[];
  /** What the setup script did that matters for behaviour, in order (empty for IOS routers). */
  bootSteps: BootStep[];
  source: SourceRef;
}

/** A value as written in a configuration file, with the place it was written. */
export interface Sourced<T> {
  value: T;
  source: SourceRef;
}

/** Whose RIP dialect a configuration was written in: defaults and timer names differ. */
export type RipFlavour = 'ios' | 'frr';

/**
 * A `network` statement. IOS takes a classful network (stored as the classful network, whatever was
 * typed: `written` keeps the text); Quagga/FRR take a prefix or an interface name (`network eth1`).
 */
export type RipNetworkSpec =
  | { kind: 'prefix'; prefix: Ipv4Addr; prefixLength: number; written: string; source: SourceRef }
  | { kind: 'interface'; name: string; source: SourceRef };

/**
 * `timers basic`. IOS: `update invalid holddown flush`, flush counted from the last update (default
 * 30 180 180 240). Quagga/FRR: `update timeout garbage`, garbage counted from the timeout, no hold-down
 * (default 30 180 120). Kept in each dialect's own terms; lib/proto/rip maps them.
 */
export type RipTimersSpec =
  | { flavour: 'ios'; update: Duration; invalid: Duration; holddown: Duration; flush: Duration; source: SourceRef }
  | { flavour: 'frr'; update: Duration; timeout: Duration; garbage: Duration; source: SourceRef };

export type SplitHorizonMode = 'on' | 'off' | 'poisoned-reverse';

/** Per-interface RIP settings: FRR `interface X` / ` ip rip split-horizon`, IOS ` no ip split-horizon`. */
export interface RipInterfaceSpec {
  name: string;
  splitHorizon: Sourced<SplitHorizonMode> | null;
  source: SourceRef;
}

export interface RipRedistributeSpec {
  protocol: 'connected' | 'static';
  metric: number | null;
  source: SourceRef;
}

/** A RIP configuration as written: parsed, not interpreted (no defaults filled in). */
export interface RipConfigSpec {
  flavour: RipFlavour;
  /** The `router rip` line. */
  source: SourceRef;
  /** null: the dialect's default (IOS sends v1 and accepts v1 and v2; FRR sends v2 and accepts both). */
  version: Sourced<1 | 2> | null;
  networks: RipNetworkSpec[];
  neighbors: Sourced<Ipv4Addr>[];
  passiveInterfaces: Sourced<string>[];
  /** `passive-interface default`. */
  passiveDefault: SourceRef | null;
  /** `no passive-interface X` (meaningful after `passive-interface default`). */
  nonPassiveInterfaces: Sourced<string>[];
  redistribute: RipRedistributeSpec[];
  defaultMetric: Sourced<number> | null;
  defaultInformationOriginate: SourceRef | null;
  /** IOS `auto-summary` / `no auto-summary`; null when not written (IOS default: on). */
  autoSummary: Sourced<boolean> | null;
  /** FRR `allow-ecmp [N]`, IOS `maximum-paths N`; maxPaths null: no limit given. */
  allowEcmp: { maxPaths: number | null; source: SourceRef } | null;
  timers: RipTimersSpec | null;
  interfaces: RipInterfaceSpec[];
}

/** A file a setup script wrote (`cat > /etc/resolv.conf <<EOF`, `echo x >> f`, `touch f`). */
export interface WrittenFileSpec {
  /** Absolute path on the device. */
  path: string;
  content: string;
  /** `write` replaces the file, `append` adds to it (`>>`, `tee -a`, `touch`). */
  mode: 'write' | 'append';
  /** The command's line. */
  source: SourceRef;
  /** Line in the script of the first content line (heredocs), for pointing into the content. */
  contentLine: number;
}

/**
 * One thing a setup script did that matters for behaviour, in script order. The debugging chapter
 * reads these to ask questions like "did BIND start before lo:0 existed?".
 */
export type BootStep =
  | { kind: 'address-added'; iface: string; label: string | null; address: Ipv4Addr; prefixLength: number; source: SourceRef }
  | { kind: 'link-up' | 'link-down'; iface: string; source: SourceRef }
  | { kind: 'route-added'; prefix: Ipv4Addr; prefixLength: number; via: Ipv4Addr | null; device: string | null; source: SourceRef }
  | { kind: 'ip-forwarding'; enabled: boolean; source: SourceRef }
  | { kind: 'hostname-set'; hostname: string; source: SourceRef }
  | { kind: 'domain-set'; domain: string; source: SourceRef }
  /** `apt-get install`; `startsServices`: services the packages' install scripts start (Debian does). */
  | { kind: 'packages-installed'; packages: string[]; startsServices: string[]; source: SourceRef }
  | { kind: 'file-written'; path: string; mode: 'write' | 'append'; source: SourceRef }
  /**
   * `ed FILE <<EOF … EOF`, `sed -i … FILE`. `deletesLinesMatching`: the patterns of lines the edit
   * deletes when we could read that much (`/-u bind` + `d`); `script`: the edit as written.
   */
  | { kind: 'file-edited'; path: string; editor: 'ed' | 'sed'; script: string; deletesLinesMatching: string[]; source: SourceRef }
  | { kind: 'service'; service: string; action: 'start' | 'stop' | 'restart' | 'reload'; source: SourceRef }
  | { kind: 'ping'; target: string; count: number | null; source: SourceRef }
  /**
   * `perl …/make_config*.perl <input>` run in /etc/bind (write-up §3.1): the author's script that turns
   * a "name address" list into BIND zones. The simulator builds the same zones (lib/config/dns.ts).
   */
  | { kind: 'dns-zones-generated'; script: string; input: string; cwd: string; source: SourceRef }
  /** A command the simulator does not run (also reported as a finding); `cwd`: the script's directory then. */
  | { kind: 'not-modelled'; command: string; cwd: string; source: SourceRef };

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
  /** The lab options this spec was loaded with (declared under `x-sim.options`, e.g. `do_anycast`). */
  options: Record<string, boolean>;
  /** Findings about the topology file itself (keys we read but do not model). */
  findings: ConfigFinding[];
  /** The folder the lab was loaded from (absolute), or null for a lab built in code. */
  dir: string | null;
  topologyFile: string | null;
  nodes: NodeSpec[];
  segments: SegmentSpec[];
}

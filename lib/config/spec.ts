/**
 * LabSpec: the one description of a lab that everything else builds from. The simulator builds its
 * network from it, the real-lab driver builds namespaces from it, and the config writers write
 * device configs from it. Only lib/config knows the file formats that produce it.
 *
 * Plain data: no classes, no functions, so a LabSpec can be printed, compared and sent to a worker.
 */
import type { BfddSpec } from './commands/frr-bfd';
import type { Ipv4Addr, MacAddr } from '../wire/types';
import type { Duration } from '../sim/time';
import type { DnsRecord } from '../wire/dns';
import type { NamedOptions } from '../proto/dns/server';
import type { ResolvConf } from '../proto/dns/resolver';
import type { RipProfileName } from '../proto/rip/params';

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
  /**
   * FRR/IOS `ip route P Null0|blackhole` (packets dropped in silence) or FRR `reject` (dropped with an
   * ICMP unreachable): no next hop, no interface. Absent: a route with a next hop or interface.
   */
  blackhole?: 'blackhole' | 'reject';
  /** `ip route … <distance>`: the administrative distance written (absent: the default, 1). */
  distance?: number;
  /** Installed by zebra/staticd (FRR `S` routes), not by the kernel (`route add`: FRR shows `K`). */
  zebra?: boolean;
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
  /**
   * The config files this node was built from: path on the device → lab file, with the text read at
   * load (nothing reads a lab file again after load), for provenance, export and the node's files.
   */
  files: { devicePath: string; labFile: string; text: string }[];
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
  /** What the node knows about DNS, read from its files at load; null: not a Linux host (or built in code without). */
  dns: NodeDnsSpec | null;
  /** The node's FRR (files under /etc/frr): the release it is read as, and what it says about logs and BFD. Absent: no FRR. */
  frr?: NodeFrrSpec;
  source: SourceRef;
}

/** What a node's FRR files say beyond routes: which release reads them, where ripd logs, BFD. */
export interface NodeFrrSpec {
  /** `8.4`, `10.2`: the release whose grammar and behaviour apply. */
  release: string;
  /** `config`: a `frr version` line; `lab`: the lab's setting (x-sim.frr-version, --frr-version); `default`: 8.4. */
  origin: 'config' | 'lab' | 'default';
  /** The `frr version` line or the topology's setting; null for the default or a setting given in code. */
  source: SourceRef | null;
  /** Whether the daemons file starts ripd (`ripd=yes`): with no `router rip` it runs without an instance. */
  ripd: boolean;
  /** `hostname` as the FRR files write it, or null. */
  hostname: string | null;
  /** The `interface` blocks of the FRR files, as zebra reads them (addresses, `shutdown`). */
  interfaces: { name: string; addresses: { address: Ipv4Addr; prefixLength: number; label: string | null }[]; shutdown: boolean | null }[];
  /** ripd's `log file PATH` (ripd.conf, or frr.conf's, which every daemon reads), or null: no log file. */
  ripdLogFile: Sourced<string> | null;
  /** `ip rip bfd` (profile null) and `ip rip bfd profile P` per interface: ripd's BFD sessions (lib/lab/bfd.ts). */
  bfd: { interface: string | null; profile: string | null; source: SourceRef }[];
  /** `ip rip bfd`'s debug switches and the like: `debug rip events`, `debug rip zebra`, `debug bfd peer`. */
  debug?: string[];
  /** bfdd (`bfdd=yes` in daemons): the `bfd` node's profiles and peers; absent: bfdd does not run. */
  bfdd?: BfddSpec;
}

/** A Linux node's DNS: its resolver files and, on a server, what named is given (lib/config/node-dns.ts). */
export interface NodeDnsSpec {
  /** /etc/resolv.conf as glibc's res_init.c reads it (no nameserver line: 127.0.0.1), or null: the node has none. */
  resolvConf: ResolvConf | null;
  /** /etc/hosts: address and names, in file order ([] without the file). */
  hosts: HostsEntry[];
  /** named, on a node whose setup installs bind9; null otherwise. */
  named: NamedSpec | null;
}

export interface HostsEntry {
  address: Ipv4Addr;
  names: string[];
}

/** One zone named serves, as plain records (lib/proto/dns/zone.ts's Zone is built from them). */
export interface ZoneSpec {
  /** Lower case, no trailing dot: `home`, `3.128.10.in-addr.arpa`. */
  origin: string;
  records: DnsRecord[];
}

/** What named runs with on a server: make_config's zones, named.conf.options, and how it boots. */
export interface NamedSpec {
  /** The zones make_config builds from the node's input file (none when the script does not run it). */
  zones: ZoneSpec[];
  /** The files make_config writes (zone files, then named.conf.local), path on the device → text. */
  files: { path: string; text: string }[];
  namedOptions: NamedOptionsSpec;
  bootPlan: NamedBootPlan;
}

/** /etc/bind/named.conf.options as named reads it: the node's own or Debian's, with the §3.1 fix when asked. */
export interface NamedOptionsSpec {
  text: string;
  options: NamedOptions;
  /** Options named reads that the simulator does not model (dnssec-validation, directory, …). */
  ignored: string[];
  /** Whether `text` has the write-up's §3.1 fix (the lab option `allow_recursion`). */
  allowRecursion: boolean;
}

/** A boot step that (re)starts named: `apt-get install bind9` (Debian's postinst starts it) or `service bind9 start|restart`. */
export type NamedStartStep = Extract<BootStep, { kind: 'packages-installed' }> | Extract<BootStep, { kind: 'service' }>;

/** An `address-added` boot step. */
export type AddressStep = Extract<BootStep, { kind: 'address-added' }>;

/** How named comes up on a node, read from its boot steps (`namedBootPlan`). */
export interface NamedBootPlan {
  /** The node's boot steps in the order they run: the script's, or the earlier order of `bind_before_lo0`. */
  steps: BootStep[];
  /** Whether the lab option `bind_before_lo0` moved bind9 (re)starts before the first alias address. */
  reordered: boolean;
  /** Every step that starts or restarts named, in boot order. */
  starts: NamedStartStep[];
  /** The last of them: the named that is running when the script ends, or null (no bind9). */
  lastStart: NamedStartStep | null;
  /** Addresses added after `lastStart`: named did not see them when it bound its sockets. */
  lateAddresses: AddressStep[];
  /** Whether /etc/default/bind9 still said `-u bind` when named last started (no ed/sed had deleted it yet). */
  runAsUser: boolean;
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
  /** `ip rip send version 1|2|1 2|none` (`[]`: none); absent or null: the router's version. */
  sendVersion?: Sourced<readonly (1 | 2)[]> | null;
  /** `ip rip receive version 1|2|1 2|none`; absent or null: the router's. */
  receiveVersion?: Sourced<readonly (1 | 2)[]> | null;
  source: SourceRef;
}

export interface RipRedistributeSpec {
  protocol: 'connected' | 'static' | 'kernel';
  metric: number | null;
  source: SourceRef;
}

/** A RIP configuration as written: parsed, not interpreted (no defaults filled in). */
export interface RipConfigSpec {
  flavour: RipFlavour;
  /** FRR ≥ 9.0 `bfd default-profile NAME`: the BFD profile of `ip rip bfd` interfaces that name none. */
  bfdDefaultProfile?: Sourced<string>;
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
  /** FRR `distance N` (absent: none written, ripd's 120). */
  distance?: Sourced<number>;
  /** FRR `distance N A.B.C.D/M [ACL]`: a distance for routes learned from senders in a prefix. */
  distanceSources?: RipDistanceSourceSpec[];
  /** FRR `offset-list ACL in|out N [IFNAME]`. */
  offsetLists?: RipOffsetListSpec[];
  /** The daemon's `access-list` entries, in file order (the lists `distance` and `offset-list` name). */
  accessLists?: AccessListEntrySpec[];
}

export interface RipDistanceSourceSpec {
  prefix: Ipv4Addr;
  prefixLength: number;
  distance: number;
  accessList: string | null;
  source: SourceRef;
}

export interface RipOffsetListSpec {
  accessList: string;
  direction: 'in' | 'out';
  offset: number;
  /** null: every interface (ripd's "*" list). */
  iface: string | null;
  source: SourceRef;
}

/**
 * One `access-list` line (lib/filter.c). `zebra`: `access-list NAME [seq N] permit|deny A.B.C.D/M
 * [exact-match] | any`; `cisco`: a standard numbered list, `access-list 1-99|1300-1999 permit|deny
 * A.B.C.D WILDCARD | host A.B.C.D | any`.
 */
export type AccessListEntrySpec =
  | { style: 'zebra'; name: string; action: 'permit' | 'deny'; prefix: Ipv4Addr; prefixLength: number; exact: boolean; any: boolean; source: SourceRef }
  | { style: 'cisco'; name: string; action: 'permit' | 'deny'; address: Ipv4Addr; wildcard: Ipv4Addr; source: SourceRef };

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

/**
 * What an IOS router does with a poison (metric 16) from the route's own next hop: `remove` (the
 * default: engineers' measurements, and what fits the write-up's 230–250 s take-over) or `holddown`
 * (the command reference's reading: keep forwarding, ignore other sources until hold-down ends).
 * See `RipProfile.onPoison`.
 */
export type IosPoisonReading = 'remove' | 'holddown';

/**
 * Simulator knobs that are no lab file's: set by lib/config/overrides.ts (`withRipProfile`,
 * `withIosPoison`, `withRipTimers`) and read when the lab's RIP daemons are built. null: none.
 */
export interface LabOverrides {
  /** Every RIP speaker runs this profile's behaviour instead of its own dialect's. */
  ripProfile: RipProfileName | null;
  /** How IOS RIP speakers read a received poison. */
  iosPoison: IosPoisonReading | null;
  /** `timers basic` on every RIP speaker, as if each configuration had the line. */
  timers: RipTimersSpec | null;
}

export interface LabSpec {
  name: string;
  /** The lab options this spec was loaded with (declared under `x-sim.options`, e.g. `do_anycast`). */
  options: Record<string, boolean>;
  /** Simulator knobs set in code; absent: none. */
  overrides?: LabOverrides;
  /** Findings about the topology file itself (keys we read but do not model). */
  findings: ConfigFinding[];
  /** The folder the lab was loaded from (absolute), or null for a lab built in code. */
  dir: string | null;
  topologyFile: string | null;
  nodes: NodeSpec[];
  segments: SegmentSpec[];
}

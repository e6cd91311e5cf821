/**
 * DNS in a lab: named on every node whose setup installs bind9 (zones from make_config and the
 * dns-input-file, options from named.conf.options), and each Linux node's resolver configuration
 * (/etc/resolv.conf, /etc/hosts as its setup script wrote them), all from `NodeSpec.dns` as
 * `loadLab` read it (lib/config/node-dns.ts): nothing here reads a file.
 *
 * The Lab constructor calls `attachDnsServices(network, spec)` before booting the network.
 */
import type { Network } from '../net/network';
import type { NetNode } from '../net/node';
import { NamedService } from '../net/dns-server';
import { ServiceKey } from '../net/service';
import type { LabSpec, NamedSpec, NodeSpec } from '../config/spec';
import { LOOPBACK_NAMESERVER } from '../config/dns';
import { namedOptionsFor, zonesOfNamed } from '../config/node-dns';
import { FailureError } from '../config/failures';
import { BIND_PROFILES, DnsServerCore, type BindProfile, type BindProfileName } from '../proto/dns/server';
import type { Zone } from '../proto/dns/zone';
import { DEFAULT_RESOLV_CONF, RESOLVER_PRESETS, type ResolvConf, type ResolverPreset, type ResolverPresetName } from '../proto/dns/resolver';

// Read from the spec, so lib/config's: the boot plan is decided at load (their old home was here).
import type { Ipv4Addr } from '../wire/types';

export interface DnsAttachOptions {
  /** Which BIND named imitates. @defaultValue 'bind-9.10' (Ubuntu xenial, the write-up's era) */
  bindProfile?: BindProfileName | BindProfile;
  /** Which dig/nslookup/host the consoles imitate. @defaultValue 'bind-9.10' */
  toolPreset?: ResolverPresetName | ResolverPreset;
  /**
   * The §3.1 fix (`allow-recursion {10.128.0.0/16;};` in named.conf.options). Also switched on by a
   * lab option `allow_recursion` when the topology declares one under x-sim.options.
   */
  allowRecursion?: boolean;
}

/** What a node knows about DNS: its resolver files and, on servers, named. */
export interface NodeDns {
  resolvConf: ResolvConf;
  /** /etc/hosts: name (lower case) → address, in file order. */
  hosts: { address: Ipv4Addr; names: string[] }[];
  /** The preset of the node's BIND tools (nslookup, dig, host). */
  tools: ResolverPreset;
  /** The preset of the C library resolver (getent, ping by name). */
  libc: ResolverPreset;
  named: NamedService | null;
  /** Zone files and named.conf.local as make_config wrote them (servers only). */
  files: Map<string, string>;
}

const NODE_DNS = new ServiceKey<NodeDns>('dns');

/** DNS state of a node (a default with no nameservers for nodes the lab gave none). */
export function nodeDns(node: NetNode): NodeDns {
  return node.serviceOrCreate(NODE_DNS, () => ({ resolvConf: { ...DEFAULT_RESOLV_CONF, nameservers: [LOOPBACK_NAMESERVER] }, hosts: [], tools: RESOLVER_PRESETS['bind-9.10'], libc: RESOLVER_PRESETS.glibc, named: null, files: new Map() }));
}

/** named on `node`, if it runs one. */
export function namedOf(node: NetNode): NamedService | null {
  return node.services.find((s): s is NamedService => s instanceof NamedService) ?? null;
}

/** The zones make_config builds on this node (read at load into `NodeSpec.dns`), or [] when its script does not run it. */
export function makeConfigZones(_spec: LabSpec, n: NodeSpec, _node?: NetNode): { zones: Zone[]; files: Map<string, string> } {
  const named = n.dns?.named ?? null;
  if (named === null) return { zones: [], files: new Map() };
  let zones = ZONES.get(named);
  if (zones === undefined) ZONES.set(named, (zones = zonesOfNamed(named)));
  return { zones: [...zones], files: new Map(named.files.map((f) => [f.path, f.text])) };
}

/**
 * Each named's zones, built once per spec: a Zone is fixed once built (proto/dns/zone.ts, read-only
 * lookups), and a failover distribution boots the same spec's servers hundreds of times.
 */
const ZONES = new WeakMap<NamedSpec, Zone[]>();

/**
 * Attaches named to the nodes that install bind9 and reads every Linux node's resolv.conf and
 * hosts. Call before `network.bootAll()`.
 */
export function attachDnsServices(network: Network, spec: LabSpec, options: DnsAttachOptions = {}): Map<string, NamedService> {
  const profile = typeof options.bindProfile === 'object' ? options.bindProfile : BIND_PROFILES[options.bindProfile ?? 'bind-9.10'];
  const tools = typeof options.toolPreset === 'object' ? options.toolPreset : RESOLVER_PRESETS[options.toolPreset ?? 'bind-9.10'];
  const servers = new Map<string, NamedService>();
  for (const n of spec.nodes) {
    if (n.os !== 'linux' || n.kind === 'bridge') continue;
    const node = network.nodes.get(n.name);
    if (node === undefined) continue;
    const d = nodeDns(node);
    d.tools = tools;
    if (n.dns === null) continue;
    if (n.dns.resolvConf !== null) d.resolvConf = { ...n.dns.resolvConf, nameservers: [...n.dns.resolvConf.nameservers], search: [...n.dns.resolvConf.search] };
    d.hosts = n.dns.hosts.map((h) => ({ address: h.address, names: [...h.names] }));
    if (n.dns.named === null) continue;
    const made = makeConfigZones(spec, n);
    const namedOptions = namedOptionsFor(n.dns.named, options.allowRecursion === true);
    const optionsText = namedOptions.text;
    const named = namedOptions.options;
    const plan = n.dns.named.bootPlan;
    const runAsUser = plan.runAsUser;
    const core = new DnsServerCore(made.zones, named);
    const existing = namedOf(node);
    if (existing !== null) {
      // Attached again (the Lab constructor did it with defaults): new configuration, as after
      // editing named.conf and `rndc reconfig`. (The addresses it missed at boot stay as they were.)
      existing.options.core = core;
      existing.options.profile = profile;
      existing.options.runAsUser = runAsUser;
      d.files = made.files;
      d.files.set('/etc/bind/named.conf.options', optionsText);
      servers.set(n.name, existing);
      continue;
    }
    // Addresses the script adds after named's last (re)start (lo:0 with `bind_before_lo0`): named
    // finds them only by a rescan, which `-u bind` without CAP_NET_BIND_SERVICE cannot bind (§4.3.4).
    const lateAddresses = plan.lateAddresses.map((a) => a.address);
    const service = new NamedService({ core, profile, runAsUser, ...(lateAddresses.length > 0 ? { lateAddresses } : {}) });
    node.services.push(service);
    d.named = service;
    d.files = made.files;
    d.files.set('/etc/bind/named.conf.options', optionsText);
    servers.set(n.name, service);
    // Attached after boot (a lab built before this hook existed): start it now, as boot would have.
    if (node.running) service.start(node);
  }
  return servers;
}

/** The `named-stop`, `named-start` and `named-crash` failure modes (`--fail xenial1:named-stop@0s`). */
export function namedFailure(node: NetNode, mode: 'named-stop' | 'named-start' | 'named-crash'): void {
  const named = namedOf(node);
  if (named === null) throw new FailureError(`${node.name}:${mode}: ${node.name} does not run named (its setup installs no bind9)`);
  if (mode === 'named-start') named.startDaemon(node);
  else named.stopDaemon(node, mode === 'named-stop');
}

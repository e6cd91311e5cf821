/**
 * DNS in a lab: named on every node whose setup installs bind9 (zones from make_config and the
 * dns-input-file, options from named.conf.options), and each Linux node's resolver configuration
 * (/etc/resolv.conf, /etc/hosts as its setup script wrote them).
 *
 * The Lab constructor calls `attachDnsServices(network, spec)` before booting the network.
 */
import type { Network } from '../net/network';
import type { NetNode } from '../net/node';
import { NamedService } from '../net/dns-server';
import type { BootStep, LabSpec, NodeSpec } from '../config/spec';
import { LOOPBACK_NAMESERVER, parseNamedOptions, parseResolvConf } from '../config/dns';
import { installsBind, makeConfigOnNode, namedOptionsText, nodeFile } from '../config/node-dns';

export { installsBind, nodeFile } from '../config/node-dns';
import { BIND_PROFILES, DnsServerCore, type BindProfile, type BindProfileName } from '../proto/dns/server';
import type { Zone } from '../proto/dns/zone';
import { DEFAULT_RESOLV_CONF, RESOLVER_PRESETS, type ResolvConf, type ResolverPreset, type ResolverPresetName } from '../proto/dns/resolver';
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

const byNode = new WeakMap<NetNode, NodeDns>();

/** DNS state of a node (a default with no nameservers for nodes the lab gave none). */
export function nodeDns(node: NetNode): NodeDns {
  let d = byNode.get(node);
  if (d === undefined) {
    d = { resolvConf: { ...DEFAULT_RESOLV_CONF, nameservers: [LOOPBACK_NAMESERVER] }, hosts: [], tools: RESOLVER_PRESETS['bind-9.10'], libc: RESOLVER_PRESETS.glibc, named: null, files: new Map() };
    byNode.set(node, d);
  }
  return d;
}

/** named on `node`, if it runs one. */
export function namedOf(node: NetNode): NamedService | null {
  return node.services.find((s): s is NamedService => s instanceof NamedService) ?? null;
}

function parseHosts(text: string): NodeDns['hosts'] {
  const out: NodeDns['hosts'] = [];
  for (const raw of text.split('\n')) {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/);
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(words[0] ?? '');
    if (m === null || words.length < 2) continue;
    out.push({ address: ((+m[1]! << 24) | (+m[2]! << 16) | (+m[3]! << 8) | +m[4]!) >>> 0, names: words.slice(1) });
  }
  return out;
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

/** The lab option that replays the write-up's provisioning order before the §4.3.4 fix. */
export const BIND_BEFORE_LO0_OPTION = 'bind_before_lo0';

const startsNamed = (s: BootStep): s is NamedStartStep =>
  (s.kind === 'packages-installed' && s.startsServices.includes('bind9')) || (s.kind === 'service' && s.service === 'bind9' && (s.action === 'start' || s.action === 'restart'));

/**
 * Which addresses named misses at boot. BIND binds one socket per address that exists when it
 * starts (and at each rescan); an address the script adds after named's last (re)start is not
 * listened on until a rescan or a restart (lib/net/dns-server.ts says when, per BIND profile).
 *
 * With the lab option `bind_before_lo0`, every bind9 start/restart the script runs after the first
 * alias address (`ifconfig lo:0 …`) is moved to just before it: "First, bind is started, and after
 * that the lo:0 is created" (§4.3.4).
 * NOTE: the write-up does not show that earlier script; this reordering is our model of it.
 */
export function namedBootPlan(spec: LabSpec, n: NodeSpec): NamedBootPlan {
  let steps = n.bootSteps;
  let reordered = false;
  if (spec.options[BIND_BEFORE_LO0_OPTION] === true) {
    const first = steps.findIndex((s) => s.kind === 'address-added' && s.label !== null);
    if (first >= 0) {
      const moved = steps.slice(first).filter((s) => s.kind === 'service' && startsNamed(s));
      if (moved.length > 0) {
        reordered = true;
        steps = [...steps.slice(0, first), ...moved, ...steps.slice(first).filter((s) => !moved.includes(s))];
      }
    }
  }
  const starts = steps.filter(startsNamed);
  const lastStart = starts[starts.length - 1] ?? null;
  const at = lastStart === null ? -1 : steps.indexOf(lastStart);
  const lateAddresses = lastStart === null ? [] : steps.slice(at + 1).filter((s): s is AddressStep => s.kind === 'address-added');
  // Debian's /etc/default/bind9 says OPTIONS="-u bind"; the do_anycast block's `ed` deletes it (§4.2).
  // It takes effect at the next (re)start only.
  const unbound = steps.slice(0, Math.max(at, 0)).some((s) => s.kind === 'file-edited' && s.path === '/etc/default/bind9' && s.deletesLinesMatching.some((p) => p.includes('-u bind')));
  return { steps, reordered, starts, lastStart, lateAddresses, runAsUser: !unbound };
}

/** The zones make_config builds on this node, or [] when its script does not run it. */
export function makeConfigZones(spec: LabSpec, n: NodeSpec, node: NetNode): { zones: Zone[]; files: Map<string, string> } {
  const ip = node.interfaces.filter((i) => !i.loopback).flatMap((i) => i.addresses)[0]?.address ?? 0x7f000001;
  return makeConfigOnNode(spec, n, ip);
}

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
    const resolv = nodeFile(spec, n, '/etc/resolv.conf');
    if (resolv !== null) {
      const conf = parseResolvConf(resolv);
      d.resolvConf = { nameservers: conf.nameservers.length > 0 ? conf.nameservers : [LOOPBACK_NAMESERVER], search: conf.search, timeout: conf.timeout, attempts: conf.attempts, rotate: conf.rotate, ndots: conf.ndots };
    }
    const hosts = nodeFile(spec, n, '/etc/hosts');
    if (hosts !== null) d.hosts = parseHosts(hosts);
    if (!installsBind(n)) continue;
    const made = makeConfigZones(spec, n, node);
    const optionsText = namedOptionsText(spec, n, options.allowRecursion === true);
    const { options: named } = parseNamedOptions(optionsText);
    const plan = namedBootPlan(spec, n);
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
  if (named === null) throw new Error(`--fail ${node.name}:${mode}: ${node.name} does not run named (its setup installs no bind9)`);
  if (mode === 'named-start') named.startDaemon(node);
  else named.stopDaemon(node, mode === 'named-stop');
}

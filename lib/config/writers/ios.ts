/**
 * Cisco IOS startup-configs from a LabSpec: hostname, interfaces with their addresses and state,
 * static routes and `router rip`, in the form `show running-config` prints and a user can paste after
 * `configure terminal`. Our IOS parser (lib/config/ios.ts) reads it back to the same facts
 * (writers/ios.test.ts).
 *
 * A Linux RIP speaker (ripd.conf) becomes an IOS router the other way round from writers/frr.ts: its
 * `network` prefixes become IOS's classful networks, FRR's timers gain a hold-down, and what IOS has
 * no word for (poisoned reverse, an alias label) is a finding.
 */
import { classfulPrefixLength, formatIpv4, formatNetmask, formatPrefix, networkOf } from '../addr';
import { RIP_PROFILES } from '../../proto/rip/params';
import { toSeconds } from '../../sim/time';
import type { ConfigFinding, LabSpec, NodeSpec, RipConfigSpec } from '../spec';
import { configSourceOf, configuredAddresses, doesNotTranslate, nodeOf, translatedAs, WriterError } from './common';

export interface IosWriteOptions {
  /**
   * IOS names for a Linux node's interfaces (`node:interface` → name, or a function); unnamed ones are
   * numbered `Ethernet0/0`, `Ethernet0/1`, … in the node's order, and `lo`'s aliases become `Loopback0`, ….
   */
  interfaceNames?: ((node: string, iface: string) => string) | Readonly<Record<string, string>>;
}

export interface IosConfigFile {
  startupConfig: string;
  findings: ConfigFinding[];
}

/** The nodes an IOS config is written for: routers, and hosts that run RIP. */
export function iosNodes(spec: LabSpec): NodeSpec[] {
  return spec.nodes.filter(isIosCandidate);
}

function isIosCandidate(n: NodeSpec): boolean {
  return n.kind === 'router' || (n.kind === 'host' && n.rip !== null);
}

/** One node's startup-config. */
export function writeIos(spec: LabSpec, nodeName: string, opts: IosWriteOptions = {}): IosConfigFile {
  const n = nodeOf(spec, nodeName, 'a router or RIP speaker', isIosCandidate);
  const findings: ConfigFinding[] = [];
  const name = iosNamer(n, opts.interfaceNames);
  const from = configSourceOf(n);
  const lines = [`! startup-config for ${n.name} of lab ${spec.name}, written by anycast-lab from ${from}`];
  // Without one, IOS calls itself "Router", as the write-up's prompts show (§2).
  if (n.hostname !== null) lines.push(`hostname ${n.hostname}`);
  if (n.domain !== null) lines.push(`ip domain-name ${n.domain}`);
  if (!n.ipForwarding) lines.push('no ip routing');
  lines.push('!');
  const splitOff = new Set<string>();
  for (const i of n.rip?.interfaces ?? []) {
    if (i.splitHorizon?.value === 'off') splitOff.add(i.name);
    if (i.splitHorizon?.value === 'poisoned-reverse') findings.push(doesNotTranslate(i.splitHorizon.source, `split horizon with poisoned reverse on ${i.name}: IOS has none; written as plain split horizon`));
  }
  for (const i of n.interfaces) {
    const addresses = configuredAddresses(i);
    if (!i.loopback) {
      lines.push(`interface ${name(i.name)}`);
      addresses.forEach((a, k) => lines.push(` ip address ${formatIpv4(a.address)} ${formatNetmask(a.prefixLength)}${k > 0 ? ' secondary' : ''}`));
      if (splitOff.has(i.name)) lines.push(' no ip split-horizon');
      lines.push(i.up ? ' no shutdown' : ' shutdown', '!');
      continue;
    }
    // IOS loopbacks are interfaces of their own: each of lo's addresses (and aliases) gets one.
    const all = [...addresses.map((a) => ({ key: i.name, ...a })), ...i.aliases.map((a) => ({ key: a.label, ...a }))];
    for (const a of all) {
      lines.push(`interface ${name(a.key)}`, ` ip address ${formatIpv4(a.address)} ${formatNetmask(a.prefixLength)}`, '!');
    }
  }
  for (const r of n.staticRoutes) {
    // IOS has one way to drop: Null0 (FRR's blackhole and reject alike).
    const target = r.blackhole !== undefined ? 'Null0' : r.via !== null ? formatIpv4(r.via) : name(r.device!);
    lines.push(`ip route ${formatIpv4(r.prefix)} ${formatNetmask(r.prefixLength)} ${target}${r.distance === undefined ? '' : ` ${r.distance}`}`);
  }
  if (n.staticRoutes.length > 0) lines.push('!');
  if (n.rip !== null) lines.push(...routerRip(n, n.rip, name, findings), '!');
  lines.push('end');
  return { startupConfig: lines.join('\n') + '\n', findings };
}

function routerRip(n: NodeSpec, rip: RipConfigSpec, name: (iface: string) => string, findings: ConfigFinding[]): string[] {
  const frr = rip.flavour === 'frr';
  const out = ['router rip'];
  if (rip.version !== null) out.push(` version ${rip.version.value}`);
  else if (frr) findings.push(doesNotTranslate(rip.source, `router rip without "version": FRR sends v2, IOS sends v1 (both accept v1 and v2)`));
  const networks = new Set<string>();
  const classful = (address: number, written: string, source: RipConfigSpec['source']): void => {
    const len = classfulPrefixLength(address);
    if (len === null) {
      findings.push(doesNotTranslate(source, `"network ${written}": ${formatIpv4(address)} has no class, so IOS has no network statement for it`));
      return;
    }
    const net = formatIpv4(networkOf(address, len));
    if (frr && !networks.has(net)) findings.push(translatedAs(source, `"network ${written}" is written as IOS's classful "network ${net}": every interface in ${formatPrefix(networkOf(address, len), len)} runs RIP`));
    networks.add(net);
  };
  for (const net of rip.networks) {
    if (net.kind === 'prefix') {
      classful(net.prefix, net.written, net.source);
      continue;
    }
    const iface = n.interfaces.find((i) => i.name === net.name);
    if (iface === undefined) {
      findings.push(translatedAs(net.source, `"network ${net.name}": no interface has that name (an alias label enables nothing in ripd); not written`));
      continue;
    }
    for (const a of iface.addresses) classful(a.address, net.name, net.source);
  }
  out.push(...[...networks].map((x) => ` network ${x}`));
  for (const a of rip.neighbors) out.push(` neighbor ${formatIpv4(a.value)}`);
  if (rip.passiveDefault !== null) out.push(' passive-interface default');
  for (const p of rip.passiveInterfaces) out.push(` passive-interface ${name(p.value)}`);
  for (const p of rip.nonPassiveInterfaces) out.push(` no passive-interface ${name(p.value)}`);
  for (const r of rip.redistribute) out.push(` redistribute ${r.protocol}${r.metric === null ? '' : ` metric ${r.metric}`}`);
  if (rip.defaultMetric !== null) out.push(` default-metric ${rip.defaultMetric.value}`);
  if (rip.defaultInformationOriginate !== null) out.push(' default-information originate');
  if (rip.allowEcmp !== null) out.push(` maximum-paths ${Math.min(rip.allowEcmp.maxPaths ?? RIP_PROFILES.frr.ecmpDefaultPaths, 32)}`);
  else if (frr) findings.push(doesNotTranslate(rip.source, `FRR keeps ${RIP_PROFILES.frr.maxPaths} path without "allow-ecmp"; IOS shares load over up to ${RIP_PROFILES['cisco-ios'].maxPaths} by default`));
  const t = rip.timers;
  if (t?.flavour === 'ios') out.push(` timers basic ${toSeconds(t.update)} ${toSeconds(t.invalid)} ${toSeconds(t.holddown)} ${toSeconds(t.flush)}`);
  else if (t?.flavour === 'frr') {
    // NOTE: as lib/lab/routing.ts runs FRR timers under the IOS profile: hold-down = timeout, flush = timeout + garbage.
    out.push(` timers basic ${toSeconds(t.update)} ${toSeconds(t.timeout)} ${toSeconds(t.timeout)} ${toSeconds(t.timeout + t.garbage)}`);
    findings.push(doesNotTranslate(t.source, `FRR has no hold-down: IOS's is written as the timeout (${toSeconds(t.timeout)} s), its flush as timeout + garbage (${toSeconds(t.timeout + t.garbage)} s)`));
  } else if (frr) {
    findings.push(doesNotTranslate(rip.source, `FRR's default timers (30 180 120, no hold-down) become IOS's (30 180 180 240)`));
  }
  // FRR never summarises; IOS does unless told not to.
  if (frr || rip.autoSummary?.value === false) out.push(' no auto-summary');
  else if (rip.autoSummary?.value === true) out.push(' auto-summary');
  return out;
}

/** IOS names for the node's interfaces: its own for an IOS node; for a Linux node the option's, else numbered. */
function iosNamer(n: NodeSpec, naming: IosWriteOptions['interfaceNames']): (iface: string) => string {
  const names = new Map<string, string>();
  if (n.os === 'linux') {
    let ethernet = 0;
    let loopback = 0;
    for (const i of n.interfaces) {
      if (!i.loopback) names.set(i.name, `Ethernet0/${ethernet++}`);
      else for (const key of [...(configuredAddresses(i).length > 0 ? [i.name] : []), ...i.aliases.map((a) => a.label)]) names.set(key, `Loopback${loopback++}`);
    }
  }
  return (iface) => {
    const given = naming === undefined ? undefined : typeof naming === 'function' ? naming(n.name, iface) : naming[`${n.name}:${iface}`];
    const name = given ?? names.get(iface) ?? iface;
    if (!/^[A-Za-z-]+\d+(\/\d+){0,2}(\.\d+)?$/.test(name)) throw new WriterError(`interfaceNames: ${n.name}:${iface} is named "${name}"; expected an IOS interface name such as Ethernet0/1`);
    return name;
  };
}

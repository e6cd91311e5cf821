/**
 * IOS `show running-config` for a router read from IOS text: the configuration as IOS keeps it, not
 * as it was typed. IOS writes the running configuration from its own state (Cisco IOS Configuration
 * Fundamentals Command Reference, `show running-config`: "Displays the contents of the current
 * running configuration file"), so:
 *
 * - abbreviations are written out (`int e0/0` → `interface Ethernet0/0`); `no shutdown` is no line,
 *   up being the default; a pasted session's exec lines (`enable`, `conf t`, `wr`) are gone;
 * - under `router rip` a `network` is the classful network IOS stored (`network 10.128.0.0` →
 *   `network 10.0.0.0`); `auto-summary` appears only as `no auto-summary`; `distance 120` (RIP's
 *   default) and `maximum-paths 4` (IOS's default) are no lines;
 * - an access list's address has the wildcard's bits cleared; a distance's source is written as the
 *   address and wildcard IOS takes.
 *
 * NOTE: the order of the lines inside `router rip` (version, timers, redistribute, passive-interface,
 * offset-list, network, neighbor, default-metric, distance, default-information, maximum-paths,
 * auto-summary) and inside an interface is the order IOS 12.4 configurations posted by engineers
 * show; it is not documented. `mac-address` is not shown: the LabSpec does not tell a configured MAC
 * from the one the lab assigns. Lines the simulator does not model (`duplex`, `line con 0`, `service
 * …`) are not shown: they are findings of the file, listed by `check`.
 */
import { formatIpv4, formatNetmask } from '../../config/addr';
import type { AccessListEntrySpec, InterfaceSpec, NodeSpec, RipConfigSpec } from '../../config/spec';
import { toSeconds } from '../../sim/time';

/** RIP's administrative distance and IOS's path count when nothing is configured (no line for them). */
const IOS_RIP_DISTANCE = 120;
const IOS_MAXIMUM_PATHS = 4;

/** `adminUp`: whether an interface is up now (a what-if may have shut it since boot). */
export function iosRunningConfig(node: NodeSpec, adminUp: (name: string) => boolean): string {
  // Without a `hostname` line IOS is "Router", as the write-up's prompts show (§2: "Router(config)#").
  const body: string[] = ['!', 'version 12.4', '!', `hostname ${node.hostname ?? 'Router'}`, '!'];
  if (node.domain !== null) body.push(`ip domain name ${node.domain}`, '!');
  for (const i of node.interfaces) body.push(...interfaceLines(node, i, adminUp(i.name)), '!');
  if (node.rip !== null) body.push(...ripLines(node.rip), '!');
  if (!node.ipForwarding) body.push('no ip routing', '!');
  for (const r of node.staticRoutes) {
    const target = r.blackhole !== undefined ? 'Null0' : [r.device, r.via === null ? null : formatIpv4(r.via)].filter((x) => x !== null).join(' ');
    body.push(`ip route ${formatIpv4(r.prefix)} ${formatNetmask(r.prefixLength)} ${target}${r.distance === undefined ? '' : ` ${r.distance}`}`);
  }
  if (node.staticRoutes.length > 0) body.push('!');
  const lists = node.rip?.accessLists ?? [];
  for (const e of lists) body.push(accessListLine(e));
  if (lists.length > 0) body.push('!');
  body.push('end');
  const text = body.join('\n');
  // IOS counts the bytes of the configuration after this header.
  return ['Building configuration...', '', `Current configuration : ${text.length + 1} bytes`, text].join('\n');
}

function accessListLine(e: AccessListEntrySpec): string {
  if (e.style !== 'cisco') return `! access-list ${e.name}: not an IOS list`;
  const match = e.wildcard === 0xffffffff ? 'any' : e.wildcard === 0 ? formatIpv4(e.address) : `${formatIpv4(e.address)} ${formatIpv4(e.wildcard)}`;
  return `access-list ${e.name} ${e.action} ${match}`;
}

function interfaceLines(node: NodeSpec, i: InterfaceSpec, up: boolean): string[] {
  const out = [`interface ${i.name}`];
  if (i.addresses.length === 0) out.push(' no ip address');
  i.addresses.forEach((a, k) => out.push(` ip address ${formatIpv4(a.address)} ${formatNetmask(a.prefixLength)}${k > 0 ? ' secondary' : ''}`));
  const rip = node.rip?.interfaces.find((x) => x.name === i.name);
  if (rip?.sendVersion != null) out.push(` ip rip send version ${rip.sendVersion.value.join(' ')}`);
  if (rip?.receiveVersion != null) out.push(` ip rip receive version ${rip.receiveVersion.value.join(' ')}`);
  // Split horizon is on by default on Ethernet: only its negation is a line.
  if (rip?.splitHorizon?.value === 'off') out.push(' no ip split-horizon');
  if (!up && !i.loopback) out.push(' shutdown');
  return out;
}

/** The wildcard of a prefix length (24 → 0.0.0.255), as `distance` takes it. */
function wildcardOf(prefixLength: number): number {
  return prefixLength === 0 ? 0xffffffff : (2 ** (32 - prefixLength) - 1) >>> 0;
}

function ripLines(rip: RipConfigSpec): string[] {
  const out = ['router rip'];
  if (rip.version !== null) out.push(` version ${rip.version.value}`);
  const t = rip.timers;
  if (t !== null && t.flavour === 'ios') out.push(` timers basic ${[t.update, t.invalid, t.holddown, t.flush].map(toSeconds).join(' ')}`);
  for (const r of rip.redistribute) out.push(` redistribute ${r.protocol}${r.metric === null ? '' : ` metric ${r.metric}`}`);
  if (rip.passiveDefault !== null) {
    out.push(' passive-interface default');
    for (const p of rip.nonPassiveInterfaces) out.push(` no passive-interface ${p.value}`);
  } else {
    for (const p of rip.passiveInterfaces) out.push(` passive-interface ${p.value}`);
  }
  for (const o of rip.offsetLists ?? []) out.push(` offset-list ${o.accessList} ${o.direction} ${o.offset}${o.iface === null ? '' : ` ${o.iface}`}`);
  for (const n of rip.networks) if (n.kind === 'prefix') out.push(` network ${formatIpv4(n.prefix)}`);
  for (const n of rip.neighbors) out.push(` neighbor ${formatIpv4(n.value)}`);
  if (rip.defaultMetric !== null) out.push(` default-metric ${rip.defaultMetric.value}`);
  if (rip.distance !== undefined && rip.distance.value !== IOS_RIP_DISTANCE) out.push(` distance ${rip.distance.value}`);
  for (const d of rip.distanceSources ?? []) {
    out.push(` distance ${d.distance} ${formatIpv4(d.prefix)} ${formatIpv4(wildcardOf(d.prefixLength))}${d.accessList === null ? '' : ` ${d.accessList}`}`);
  }
  if (rip.defaultInformationOriginate !== null) out.push(' default-information originate');
  if (rip.allowEcmp?.maxPaths != null && rip.allowEcmp.maxPaths !== IOS_MAXIMUM_PATHS) out.push(` maximum-paths ${rip.allowEcmp.maxPaths}`);
  if (rip.autoSummary?.value === false) out.push(' no auto-summary');
  return out;
}

/**
 * vtysh on a node whose routing daemons are FRR (files under /etc/frr): the commands that need the
 * node's FRR configuration or its release, in FRR's own output formats. Everything else goes to the
 * vtysh of ./rip.ts, which FRR and the write-up's Quagga share.
 *
 * The formats were checked against real FRR 8.4.4 (Debian 12): zebra and ripd in two network
 * namespaces joined by a veth pair, each reading a frr.conf like data/labs/frr-versions/r1.frr.conf,
 * and `vtysh -N <ns> -c "<command>"` after 35 s. The captures are lib/lab/consoles/frr-8.4.4-*.txt.
 */
import { ipv4ToString, prefixMask } from '../../wire/addr';
import { RIP_PROFILES } from '../../proto/rip/params';
import type { NetNode } from '../../net/node';
import { ripDaemonOf } from '../../net/rip-daemon';
import type { NodeSpec, RipConfigSpec } from '../../config/spec';
import { splitWords } from './process';
import { frrBfdCommand, frrShowLogging } from './bfd';
import { frrShowIpRip, frrShowIpRipStatus, vtyshCommand, vtyshCommands } from './rip';

const SECOND = 1_000_000;

/** ripd's defaults (frr-ripd.yang): a value equal to its default is not written by `show running-config`. */
const RIP_DEFAULT_TIMERS = { update: 30, timeout: 180, garbage: 120 };
const RIP_DEFAULT_METRIC = 1;

/**
 * `vtysh -c …` on an FRR node; null when the node's routing daemons are not FRR's (the caller then
 * runs the shared vtysh).
 */
export function frrVtyshCommand(node: NetNode, spec: NodeSpec | undefined, command: string): string | null {
  const frr = spec?.frr;
  if (spec === undefined || frr === undefined) return null;
  const [cmd, ...args] = splitWords(command);
  if (cmd !== 'vtysh') return null;
  const commands = vtyshCommands(args);
  if (commands === null) return null;
  return commands.map((c) => frrOne(node, spec, c) ?? vtyshCommand(node, ['-c', c])).join('\n');
}

/** One `-c` command of vtysh on a Linux node: FRR's own answer when its files are FRR's, else the shared vtysh's. */
export function vtyshOne(node: NetNode, spec: NodeSpec | undefined, command: string): string {
  return (spec?.frr === undefined ? null : frrOne(node, spec, command)) ?? vtyshCommand(node, ['-c', command]);
}

function frrOne(node: NetNode, spec: NodeSpec, command: string): string | null {
  const w = splitWords(command).join(' ');
  if (/^sh(ow?)? run(ning-config)?$/.test(w)) return frrShowRunningConfig(node, spec);
  if (/^sh(ow?)? ip route json$/.test(w)) return frrShowIpRouteJson(node);
  if (/^sh(ow?)? bfd /.test(w)) return frrBfdCommand(node, w);
  if (/^sh(ow?)? log(ging)?$/.test(w)) return frrShowLogging(spec);
  // ripd runs (ripd=yes) but the file has no `router rip`, or it was removed: ripd.c show_ip_rip and
  // show_ip_rip_status print "% RIP instance not found" when rip_lookup_by_vrf_name finds none (real
  // FRR 8.4.4 after "no router rip": frr-8.4.4-no-router-rip.txt).
  if (ripDaemonOf(node)?.router == null && spec.frr!.ripd) {
    if (/^sh(ow?)? ip rip$/.test(w)) return frrShowIpRip(node);
    if (/^sh(ow?)? ip rip status$/.test(w)) return frrShowIpRipStatus(node);
  }
  return null;
}

// ---- show running-config ------------------------------------------------------------------------

/**
 * `show running-config`: vtysh's merge of each daemon's configuration (lib/command.c vty_write_config:
 * "frr version", "frr defaults", then each node's lines; zebra's interfaces and forwarding, ripd's
 * `router rip` from the northbound tree, each value left out when it is yang's default).
 *
 * vtysh adds its own `hostname` (the system's) after the daemons' top-level lines; the real capture
 * shows both `hostname r1` (from frr.conf) and `hostname vm` (the machine's). NOTE: that the two
 * merge into one line when they are equal is inferred (vtysh_config.c keeps one copy of a repeated
 * top-level line), not captured.
 */
export function frrShowRunningConfig(node: NetNode, spec: NodeSpec): string {
  const frr = spec.frr!;
  const release = frr.release;
  const ten = Number(release.split('.')[0]) >= 10;
  const out = ['Building configuration...', '', 'Current configuration:', '!'];
  // FRR_VER_SHORT: the release's own number; a file's `frr version 8.4.4` is 8.4.4 again.
  out.push(`frr version ${frr.origin === 'config' && frr.source !== null ? writtenVersion(spec) : release}`);
  out.push('frr defaults traditional');
  if (frr.hostname !== null) out.push(`hostname ${frr.hostname}`);
  if (frr.ripdLogFile !== null) out.push(`log file ${frr.ripdLogFile.value}`);
  // zebra_vty.c config_write_forwarding: "no ip forwarding" / "no ipv6 forwarding" when off. The
  // simulator has no IPv6; a Linux node's IPv6 forwarding is off by default, as in the capture.
  if (!spec.ipForwarding) out.push('no ip forwarding');
  out.push('no ipv6 forwarding');
  const system = node.hostname;
  if (system !== frr.hostname) out.push(`hostname ${system}`);
  out.push('!');
  for (const block of interfaceBlocks(node, spec)) out.push(...block, '!');
  if (spec.rip !== null) out.push(...routerRip(spec.rip, ten), '!');
  const lists = accessListLines(spec.rip?.accessLists ?? []);
  if (lists.length > 0) out.push(...lists, '!');
  out.push('end');
  return out.join('\n');
}

function writtenVersion(spec: NodeSpec): string {
  const src = spec.frr!.source!;
  const file = spec.files.find((f) => f.labFile === src.file);
  const line = file?.text.split(/\r\n|\n|\r/)[src.line - 1];
  const m = line === undefined ? null : /^\s*frr\s+version\s+(\S+)/.exec(line);
  return m?.[1] ?? spec.frr!.release;
}

/**
 * One `interface` block per interface zebra and ripd know (every interface of the node, sorted by
 * name as FRR's interface tree is), with zebra's addresses and ripd's per-interface settings.
 */
function interfaceBlocks(node: NetNode, spec: NodeSpec): string[][] {
  const frr = spec.frr!;
  const names = new Set<string>(node.interfaces.map((i) => i.name));
  for (const i of frr.interfaces) names.add(i.name);
  const blocks: string[][] = [];
  for (const name of [...names].sort()) {
    const lines = [`interface ${name}`];
    for (const i of frr.interfaces.filter((x) => x.name === name)) {
      for (const a of i.addresses) lines.push(` ip address ${ipv4ToString(a.address)}/${a.prefixLength}${a.label === null ? '' : ` label ${a.label}`}`);
      if (i.shutdown === true) lines.push(' shutdown');
    }
    const rip = spec.rip?.interfaces.find((r) => r.name === name);
    // rip_cli.c cli_show_ip_rip_split_horizon; "simple" is yang's default and is not written.
    if (rip?.splitHorizon?.value === 'off') lines.push(' no ip rip split-horizon');
    if (rip?.splitHorizon?.value === 'poisoned-reverse') lines.push(' ip rip split-horizon poisoned-reverse');
    for (const b of frr.bfd.filter((x) => x.interface === name)) lines.push(b.profile === null ? ' ip rip bfd' : ` ip rip bfd profile ${b.profile}`);
    lines.push('exit');
    blocks.push(lines);
  }
  return blocks;
}

/**
 * The access lists after `router rip` (lib/filter_cli.c access_list_write_config_helper), each entry
 * with its sequence number. NOTE: the file's own `seq` is not kept; entries are numbered 5, 10, … in
 * a list's order, as FRR numbers entries written without one (filter_new_seq_get). The Cisco-style
 * form (`host A`, `any`, `A W`) follows filter_cli.c and was not captured.
 */
function accessListLines(entries: NonNullable<RipConfigSpec['accessLists']>): string[] {
  const seq = new Map<string, number>();
  return entries.map((e) => {
    const n = (seq.get(e.name) ?? 0) + 5;
    seq.set(e.name, n);
    let match: string;
    if (e.style === 'zebra') match = e.any ? 'any' : `${ipv4ToString(e.prefix)}/${e.prefixLength}${e.exact ? ' exact-match' : ''}`;
    else match = e.wildcard === 0 ? `host ${ipv4ToString(e.address)}` : e.wildcard >>> 0 === 0xffffffff ? 'any' : `${ipv4ToString(e.address)} ${ipv4ToString(e.wildcard)}`;
    return `access-list ${e.name} seq ${n} ${e.action} ${match}`;
  });
}

/** `router rip` as ripd writes it: frr-ripd.yang's order, defaults left out (rip_cli.c cli_show_*). */
function routerRip(rip: RipConfigSpec, ten: boolean): string[] {
  const out = ['router rip'];
  if (rip.allowEcmp !== null) {
    // 8.4: a boolean (" allow-ecmp"); 9.0 and later a count: rip_cli.c rip_allow_ecmp stores
    // MULTIPATH_NUM when none is given ("uint32_t paths = MULTIPATH_NUM"), and cli_show_rip_allow_ecmp
    // writes " allow-ecmp %d" of what is stored. NOTE: MULTIPATH_NUM is the build's (--enable-multipath),
    // taken as FRR's configure default (params.ts ecmpDefaultPaths).
    out.push(ten ? ` allow-ecmp ${rip.allowEcmp.maxPaths ?? RIP_PROFILES.frr.ecmpDefaultPaths}` : ' allow-ecmp');
  }
  if (rip.defaultInformationOriginate !== null) out.push(' default-information originate');
  if (rip.defaultMetric !== null && rip.defaultMetric.value !== RIP_DEFAULT_METRIC) out.push(` default-metric ${rip.defaultMetric.value}`);
  // rip_cli.c cli_show_rip_distance / cli_show_rip_distance_source: the default distance when it is
  // not 120, then each source (seen on FRR 8.4.4: data/real/feature-redistribute/running-config.json).
  if (rip.distance !== undefined && rip.distance.value !== 120) out.push(` distance ${rip.distance.value}`);
  for (const d of rip.distanceSources ?? []) out.push(` distance ${d.distance} ${ipv4ToString(d.prefix)}/${d.prefixLength}${d.accessList === null ? '' : ` ${d.accessList}`}`);
  for (const n of rip.neighbors) out.push(` neighbor ${ipv4ToString(n.value)}`);
  for (const n of rip.networks) if (n.kind === 'prefix') out.push(` network ${ipv4ToString(n.prefix)}/${n.prefixLength}`);
  for (const n of rip.networks) if (n.kind === 'interface') out.push(` network ${n.name}`);
  for (const o of rip.offsetLists ?? []) out.push(` offset-list ${o.accessList} ${o.direction} ${o.offset}${o.iface === null ? '' : ` ${o.iface}`}`);
  if (rip.passiveDefault !== null) out.push(' passive-interface default');
  for (const p of rip.passiveInterfaces) out.push(` passive-interface ${p.value}`);
  for (const p of rip.nonPassiveInterfaces) out.push(` no passive-interface ${p.value}`);
  for (const r of [...rip.redistribute].sort((a, b) => a.protocol.localeCompare(b.protocol))) out.push(` redistribute ${r.protocol}${r.metric === null ? '' : ` metric ${r.metric}`}`);
  const t = rip.timers;
  if (t !== null && t.flavour === 'frr') {
    const s = (d: number) => Math.round(d / SECOND);
    const v = { update: s(t.update), timeout: s(t.timeout), garbage: s(t.garbage) };
    if (v.update !== RIP_DEFAULT_TIMERS.update || v.timeout !== RIP_DEFAULT_TIMERS.timeout || v.garbage !== RIP_DEFAULT_TIMERS.garbage) {
      out.push(` timers basic ${v.update} ${v.timeout} ${v.garbage}`);
    }
  }
  // cli_show_rip_version: receive 1 → "version 1", 2 → "version 2"; 1 and 2 (the default) is not written.
  if (rip.version !== null) out.push(` version ${rip.version.value}`);
  out.push('exit');
  return out;
}

// ---- show ip route json -------------------------------------------------------------------------

/** FRR uptime as zebra prints it under a day (`00:00:43`). */
function hms(us: number): string {
  const s = Math.max(0, Math.floor(us / SECOND));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
}

/**
 * `show ip route json` (zebra_vty.c vty_show_ip_route_detail_json, FRR 8.4 and 10.x): an object keyed
 * by prefix, each an array of route entries with their next hops; keys in zebra's order, as captured
 * (frr-8.4.4-show-ip-route.json). Routes a setup script added are kernel routes, as `show ip route`
 * shows them here. NOTE: zebra's internal numbers are stood in for: internalStatus 16 and
 * internalFlags 8 (every installed route of the capture), nexthop-group ids counted in prefix order,
 * interface indexes the node's interface order from 1 (lo is 1 on Linux).
 */
export function frrShowIpRouteJson(node: NetNode): string {
  const now = node.now;
  const byPrefix = new Map<string, { prefix: number; len: number; source: string; distance: number; metric: number; since: number; hops: { ip: number; ifIndex: number }[] }>();
  for (const r of node.fib.routes()) {
    const key = `${ipv4ToString(r.prefix)}/${r.prefixLength}`;
    const protocol = r.source === 'connected' || r.source === 'local' ? 'connected' : r.source === 'static' ? 'kernel' : 'rip';
    const entry = byPrefix.get(key) ?? { prefix: r.prefix, len: r.prefixLength, source: protocol, distance: protocol === 'rip' ? r.distance : 0, metric: protocol === 'rip' ? r.metric : 0, since: r.updatedAt, hops: [] };
    entry.hops.push({ ip: r.nextHop, ifIndex: r.ifIndex });
    entry.since = Math.min(entry.since, r.updatedAt);
    byPrefix.set(key, entry);
  }
  for (const i of node.interfaces) {
    if (!i.loopback || !i.operational) continue;
    for (const a of i.addresses) {
      if (a.address >>> 24 === 127) continue;
      const net = (a.address & prefixMask(a.prefixLength)) >>> 0;
      const key = `${ipv4ToString(net)}/${a.prefixLength}`;
      if (!byPrefix.has(key)) byPrefix.set(key, { prefix: net, len: a.prefixLength, source: 'connected', distance: 0, metric: 0, since: 0, hops: [{ ip: 0, ifIndex: i.index }] });
    }
  }
  const sorted = [...byPrefix.entries()].sort((a, b) => a[1].prefix - b[1].prefix || a[1].len - b[1].len);
  const json: Record<string, unknown[]> = {};
  sorted.forEach(([key, e], n) => {
    const group = n + 1;
    json[key] = [
      {
        prefix: key,
        prefixLen: e.len,
        protocol: e.source,
        vrfId: 0,
        vrfName: 'default',
        selected: true,
        destSelected: true,
        distance: e.distance,
        metric: e.metric,
        installed: true,
        table: 254,
        internalStatus: 16,
        internalFlags: 8,
        internalNextHopNum: e.hops.length,
        internalNextHopActiveNum: e.hops.length,
        nexthopGroupId: group,
        installedNexthopGroupId: group,
        uptime: hms(now - e.since),
        nexthops: e.hops.map((h) => {
          const ifName = node.interfaces[h.ifIndex]?.name ?? '?';
          if (e.source === 'connected') return { flags: 3, fib: true, directlyConnected: true, interfaceIndex: h.ifIndex + 1, interfaceName: ifName, active: true };
          return { flags: 3, fib: true, ip: ipv4ToString(h.ip), afi: 'ipv4', interfaceIndex: h.ifIndex + 1, interfaceName: ifName, active: true, weight: 1 };
        }),
      },
    ];
  });
  // zebra prints with json_object_to_json_string_ext(…, JSON_C_TO_STRING_PRETTY): two-space indent,
  // no space after ":" (vty_json).
  return JSON.stringify(json, null, 2).replace(/": /g, '":');
}

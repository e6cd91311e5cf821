/**
 * RIP consoles: IOS `show ip protocols` and `show ip rip database` (IOS 12.4), and FRR's vtysh
 * `show ip rip`, `show ip rip status` and `show ip route` (FRR 8.4, as the real-lab driver runs it;
 * the write-up's Quagga 0.99 prints the same RIP table).
 */
import { ipv4ToString, classfulLength, prefixMask } from '../../wire/addr';
import type { NetNode } from '../../net/node';
import { ripDaemonOf, type RipDaemon } from '../../net/rip-daemon';
import type { FibRoute } from '../../proto/fib';
import type { RipRouter } from '../../proto/rip/router';
import { RIP_DISTANCE_DEFAULT, ripDistance, type RipOffsetList } from '../../proto/rip/policy';
import {
  KIND_CONNECTED,
  KIND_DEFAULT,
  KIND_INTERFACE,
  KIND_KERNEL,
  KIND_LEARNED,
  KIND_STATIC,
  STATE_VALID,
  type RipRouteView,
} from '../../proto/rip/table';
import { ConsoleError, splitWords } from './process';

const SECOND = 1_000_000;

function prefixText(addr: number, len: number): string {
  return `${ipv4ToString(addr)}/${len}`;
}

/** `00:00:12` (IOS ages under a day; beyond, `1d02h`). */
function hms(us: number): string {
  const s = Math.max(0, Math.floor(us / SECOND));
  const h = Math.floor(s / 3600);
  if (h >= 24) return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
  return `${String(h).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}


interface Entry {
  prefix: number;
  len: number;
  route: RipRouteView;
}

function entries(daemon: RipDaemon, router: RipRouter): Entry[] {
  const out: Entry[] = [];
  for (const id of router.table.ids) {
    const route = router.table.view(id)!;
    out.push({ prefix: daemon.prefixes.addresses[id]!, len: daemon.prefixes.lengths[id]!, route });
  }
  return out.sort((a, b) => a.prefix - b.prefix || a.len - b.len);
}

function running(node: NetNode): { daemon: RipDaemon; router: RipRouter } | null {
  const daemon = ripDaemonOf(node);
  if (daemon === undefined || daemon.router === null) return null;
  return { daemon, router: daemon.router };
}

// ---- Cisco IOS ----------------------------------------------------------------------------------

/** Whether IOS shows this RIP route as "possibly down" (hold-down). */
export function ripPossiblyDown(node: NetNode, route: FibRoute): boolean {
  return route.source === 'rip' && (ripDaemonOf(node)?.isPossiblyDown(route.prefix, route.prefixLength) ?? false);
}

/**
 * IOS `show ip protocols` (12.4 layout). The lines beyond the write-up's lab (offset lists, the
 * distance table, redistributed protocols, per-interface versions) follow the layout IOS uses for
 * them in other routing protocols' output. NOTE: their exact wording and spacing are inferred, not
 * from a capture.
 */
export function iosShowIpProtocols(node: NetNode): string {
  const r = running(node);
  if (r === null) return '';
  const { router } = r;
  const cfg = router.config;
  const t = cfg.profile.timers;
  const now = node.now;
  const s = (d: number | null) => String(Math.floor((d ?? 0) / SECOND));
  const v = (list: readonly number[]) => list.join(' ');
  const out = [
    'Routing Protocol is "rip"',
    '  Outgoing update filter list for all interfaces is not set',
    '  Incoming update filter list for all interfaces is not set',
    ...iosOffsetLines(router),
    `  Sending updates every ${s(t.update)} seconds, next due in ${Math.max(0, Math.ceil((router.nextUpdateAt - now) / SECOND))} seconds`,
    `  Invalid after ${s(t.invalid)} seconds, hold down ${s(t.holddown ?? t.garbage)}, flushed after ${s(t.flush ?? t.invalid + (t.garbage ?? 0))}`,
    `  Redistributing: ${['rip', ...(cfg.redistributeConnected === null ? [] : ['connected']), ...(cfg.redistributeStatic === null ? [] : ['static'])].join(', ')}`,
    `  Default version control: send version ${cfg.sendVersion}, receive ${cfg.receiveVersions.length === 1 ? `version ${cfg.receiveVersions[0]}` : 'any version'}`,
    '    Interface             Send  Recv  Triggered RIP  Key-chain',
  ];
  for (const i of node.interfaces) {
    const st = router.interfaceStatus(i.index);
    if (!st.enabled || st.passive || i.loopback) continue;
    // Each interface's own `ip rip send|receive version`, else the process's.
    const versions = router.interfaceVersions(i.index);
    out.push(`    ${i.name.padEnd(22)}${v(versions.send).padEnd(6)}${v(versions.receive).padEnd(6)}`);
  }
  out.push('  Automatic network summarization is not in effect');
  out.push(`  Maximum path: ${cfg.maxPaths}`);
  out.push('  Routing for Networks:');
  for (const n of cfg.networks) out.push(`    ${ipv4ToString(n.prefix)}`);
  const passive = node.interfaces.filter((i) => router.interfaceStatus(i.index).passive && router.interfaceStatus(i.index).enabled);
  if (passive.length > 0) {
    out.push('  Passive Interface(s):');
    for (const i of passive) out.push(`    ${i.name}`);
  }
  out.push('  Routing Information Sources:');
  out.push('    Gateway         Distance      Last Update');
  const peers = [...router.peers.values()].filter((p) => p.lastUpdate > 0).sort((a, b) => a.address - b.address);
  for (const p of peers) out.push(`    ${ipv4ToString(p.address).padEnd(16)}${String(gatewayDistance(router, p.address)).padStart(8)}      ${hms(now - p.lastUpdate)}`);
  const policy = cfg.policy;
  out.push(`  Distance: (default is ${policy?.distance ?? RIP_DISTANCE_DEFAULT})`);
  if (policy !== undefined && policy.distanceSources.length > 0) {
    out.push('    Address         Wild mask       Distance  List');
    for (const d of policy.distanceSources) {
      const wildcard = d.prefixLength === 0 ? 0xffffffff : (2 ** (32 - d.prefixLength) - 1) >>> 0;
      out.push(`    ${ipv4ToString(d.prefix).padEnd(16)}${ipv4ToString(wildcard).padEnd(16)}${String(d.distance).padEnd(10)}${d.accessList ?? ''}`.trimEnd());
    }
  }
  return out.join('\n');
}

/**
 * The distance IOS lists beside a gateway: the one its routes get when no access list is involved
 * (policy.ts ripDistance for a route no list can refuse). NOTE: inferred; IOS prints one figure per
 * gateway even when a list gives some of its routes another.
 */
function gatewayDistance(router: RipRouter, address: number): number {
  const policy = router.config.policy;
  if (policy === undefined) return RIP_DISTANCE_DEFAULT;
  const sources = policy.distanceSources.filter((d) => d.accessList === null);
  return ripDistance({ ...policy, distanceSources: sources }, address, 0, 0);
}

/** IOS's offset-list lines: "Incoming routes in Ethernet0/0 will have 3 added to metric if on list 1". */
function iosOffsetLines(router: RipRouter): string[] {
  const policy = router.config.policy;
  if (policy === undefined) return [];
  const line = (direction: string, o: RipOffsetList): string =>
    `  ${direction} routes${o.iface === null ? '' : ` in ${o.iface}`} will have ${o.offset} added to metric if on list ${o.accessList}`;
  return [...policy.offsetOut.map((o) => line('Outgoing', o)), ...policy.offsetIn.map((o) => line('Incoming', o))];
}

/**
 * IOS `show ip rip database`: the major network line, directly connected subnets, and learned
 * routes with each path as `[hops] via gateway, age, interface`.
 * NOTE: the layout of a route in hold-down ("possibly down") is from memory of IOS output, not a
 * verified capture.
 */
export function iosShowIpRipDatabase(node: NetNode): string {
  const r = running(node);
  if (r === null) return '';
  const { daemon, router } = r;
  const now = node.now;
  const list = entries(daemon, router);
  const out: string[] = [];
  const majors = new Set<string>();
  for (const e of list) {
    const cl = classfulLength(e.prefix);
    const major = prefixText((e.prefix & prefixMask(cl)) >>> 0, cl);
    if (!majors.has(major)) {
      majors.add(major);
      out.push(`${major}    auto-summary`);
    }
    const name = (i: number) => node.interfaces[i]?.name ?? '?';
    const k = e.route.kind;
    const p = prefixText(e.prefix, e.len);
    if (k === KIND_INTERFACE) {
      out.push(`${p}    ${e.route.state === STATE_VALID ? `directly connected, ${name(e.route.paths[0]!.ifIndex)}` : 'is possibly down'}`);
    } else if (k === KIND_LEARNED) {
      if (e.route.state !== STATE_VALID) {
        out.push(`${p}    is possibly down`);
        continue;
      }
      out.push(p);
      for (const path of e.route.paths) out.push(`    [${daemon.fibMetric(e.route.metric)}] via ${ipv4ToString(path.nextHop)}, ${hms(now - path.updatedAt)}, ${name(path.ifIndex)}`);
    } else {
      out.push(`${p}    redistributed`);
      out.push(`    [${daemon.fibMetric(e.route.metric)}] via 0.0.0.0,`);
    }
  }
  return out.join('\n');
}

// ---- FRR vtysh --------------------------------------------------------------------------------

/**
 * The commands of `vtysh -c "…" [-c "…"]` (vtysh_main.c takes -c/--command repeatedly and runs them in
 * order); null when an argument is anything else or no command is given, so that each caller can say
 * what it does instead.
 */
export function vtyshCommands(args: string[]): string[] | null {
  const commands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c' || a === '--command') {
      const c = args[++i];
      if (c === undefined) throw new ConsoleError(`vtysh: option requires an argument -- 'c'`);
      commands.push(c);
    } else if (a.startsWith('-c') && a.length > 2) commands.push(a.slice(2));
    else return null;
  }
  return commands.length === 0 ? null : commands;
}

/** `vtysh -c "…" [-c "…"]` on a Linux node. */
export function vtyshCommand(node: NetNode, args: string[]): string {
  const commands = vtyshCommands(args);
  if (commands === null) throw new ConsoleError(`vtysh: only "vtysh -c <command>" runs in a console here (interactive vtysh is not simulated)`);
  // vtysh talks to zebra and the routing daemons; without ripd configured none of them runs here.
  if (ripDaemonOf(node) === undefined) return 'Exiting: failed to connect to any daemons.';
  return commands.map((c) => vtyshOne(node, c)).join('\n');
}

function vtyshOne(node: NetNode, command: string): string {
  const w = splitWords(command).join(' ');
  if (/^sh(ow?)? ip rip$/.test(w)) return frrShowIpRip(node);
  if (/^sh(ow?)? ip rip status$/.test(w)) return frrShowIpRipStatus(node);
  if (/^sh(ow?)? ip route$/.test(w)) return frrShowIpRoute(node);
  return `% Unknown command: ${command}`;
}

/** FRR uptime: `HH:MM:SS` under a day, `XdYYhZZm` under a week, else `XXwYdZZh` (zebra_vty.c). */
function frrUptime(us: number): string {
  const s = Math.max(0, Math.floor(us / SECOND));
  const day = 86400;
  if (s < day) return hms(us);
  if (s < 7 * day) return `${Math.floor(s / day)}d${String(Math.floor((s % day) / 3600)).padStart(2, '0')}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${String(Math.floor(s / (7 * day))).padStart(2, '0')}w${Math.floor((s % (7 * day)) / day)}d${String(Math.floor((s % day) / 3600)).padStart(2, '0')}h`;
}

/** `MM:SS` remaining on a route's timer, as ripd's `rip_vty_out_uptime()` prints it. */
function mmss(us: number): string {
  const s = Math.max(0, Math.floor(us / SECOND)) % 3600;
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** FRR `show ip rip` (ripd.c `show_ip_rip`). */
export function frrShowIpRip(node: NetNode): string {
  const r = running(node);
  if (r === null) return '% RIP instance not found';
  const { daemon, router } = r;
  const now = node.now;
  const out = [
    'Codes: R - RIP, C - connected, S - Static, O - OSPF, B - BGP',
    'Sub-codes:',
    '      (n) - normal, (s) - static, (d) - default, (r) - redistribute,',
    '      (i) - interface',
    '',
    '     Network            Next Hop         Metric From            Tag Time',
  ];
  for (const e of entries(daemon, router)) {
    const k = e.route.kind;
    const code = k === KIND_LEARNED ? 'R(n)' : k === KIND_INTERFACE ? 'C(i)' : k === KIND_CONNECTED ? 'C(r)' : k === KIND_STATIC ? 'S(r)' : k === KIND_KERNEL ? 'K(r)' : k === KIND_DEFAULT ? 'R(d)' : '?(?)';
    const redistributed = k === KIND_CONNECTED || k === KIND_STATIC || k === KIND_KERNEL;
    for (const path of e.route.paths) {
      const head = `${code} ${prefixText(e.prefix, e.len)}`;
      let line = head.length < 24 ? head.padEnd(24) : head;
      // ripd.c show_ip_rip prints the route's next hop: a redistributed static's gateway, "blackhole"
      // for a route with none (a real FRR 8.4 run: "S(r) 10.9.0.0/16  10.0.0.2", "S(r) 10.8.0.0/16  blackhole").
      const hop = k === KIND_LEARNED || path.nextHop !== 0 ? ipv4ToString(path.nextHop) : (k === KIND_STATIC || k === KIND_KERNEL) && path.ifIndex < 0 ? 'blackhole' : '0.0.0.0';
      // A redistributed route is kept at metric 1 (the `metric N` of `redistribute`, the default-metric
      // and offset-lists are applied as updates are written: ripd.c rip_output_process's metric_out);
      // a real FRR 8.4 run shows "K(r) … 1" under "redistribute kernel metric 3".
      const metric = redistributed && e.route.metric < 16 ? 1 : e.route.metric;
      line += `${hop.padEnd(20)} ${String(metric).padStart(2)} `;
      if (k === KIND_LEARNED) {
        const timer = e.route.state === STATE_VALID ? path.deadline : e.route.deadline;
        line += `${ipv4ToString(path.from).padEnd(15)} ${String(path.tag).padStart(3)} ${mmss(timer - now).padStart(5)}`;
      } else if (e.route.metric >= 16) {
        line += `self            ${String(path.tag).padStart(3)} ${mmss(e.route.deadline - now).padStart(5)}`;
      } else {
        line += `self            ${String(path.tag).padStart(3)}`;
      }
      out.push(line);
    }
  }
  return out.join('\n');
}

/** FRR `show ip rip status` (ripd.c `show_ip_rip_status`). */
export function frrShowIpRipStatus(node: NetNode): string {
  const r = running(node);
  if (r === null) return '% RIP instance not found';
  const { router } = r;
  const cfg = router.config;
  const t = cfg.profile.timers;
  const now = node.now;
  const sec = (d: number) => Math.floor(d / SECOND);
  const out = [
    'Routing Protocol is "rip"',
    // ripd prints "+/-50%" although rip_update_jitter() draws +/-25%.
    `  Sending updates every ${sec(t.update)} seconds with +/-50%, next due in ${Math.max(0, Math.ceil((router.nextUpdateAt - now) / SECOND))} seconds`,
    `  Timeout after ${sec(t.invalid)} seconds, garbage collect after ${sec(t.garbage ?? (t.flush ?? 0) - t.invalid)} seconds`,
    '  Outgoing update filter list for all interface is not set',
    '  Incoming update filter list for all interface is not set',
    `  Default redistribution metric is ${cfg.defaultMetric}`,
    // ripd.c show_ip_rip_status: the redistributed route types in zebra's order (kernel, connected, static).
    `  Redistributing:${cfg.redistributeKernel != null ? ' kernel' : ''}${cfg.redistributeConnected !== null ? ' connected' : ''}${cfg.redistributeStatic !== null ? ' static' : ''}`,
    `  Default version control: send version ${cfg.sendVersion}, ${cfg.receiveVersions.length === 2 ? 'receive any version ' : `receive version ${cfg.receiveVersions[0]} `}`,
    '    Interface        Send  Recv   Key-chain',
  ];
  // ripd `show ip rip status`: each interface's own `ip rip send|receive version`, as ri_version_msg
  // spells them ("1", "2", "1 2", "none"), else the router's.
  const spell = (vs: readonly number[]): string => (vs.length === 0 ? 'none' : vs.join(' '));
  for (const i of node.interfaces) {
    const st = router.interfaceStatus(i.index);
    if (!st.running) continue;
    const v = router.interfaceVersions(i.index);
    out.push(`    ${i.name.padEnd(17)}${spell(v.send).padEnd(3)}   ${spell(v.receive).padEnd(3)}    `);
  }
  out.push('  Routing for Networks:');
  for (const n of cfg.networks) out.push(`    ${prefixText(n.prefix, n.prefixLength)}`);
  for (const n of cfg.interfaceNames) out.push(`    ${n}`);
  const passive = node.interfaces.filter((i) => router.interfaceStatus(i.index).enabled && router.interfaceStatus(i.index).passive);
  if (passive.length > 0) {
    out.push('  Passive Interface(s):');
    for (const i of passive) out.push(`    ${i.name}`);
  }
  out.push('  Routing Information Sources:');
  out.push('    Gateway          BadPackets BadRoutes  Distance Last Update');
  for (const p of [...router.peers.values()].sort((a, b) => a.address - b.address)) {
    // rip_peer.c rip_peer_display: "    %-16s%10d %9d %9d   %s", no blank after the address (a real
    // FRR 8.4 run: "    10.0.0.2                 0         0       120   00:00:07").
    out.push(`    ${ipv4ToString(p.address).padEnd(16)}${String(p.badPackets).padStart(10)} ${String(p.badRoutes).padStart(9)} ${'120'.padStart(9)}   ${hms(now - p.lastUpdate)}`);
  }
  out.push(...frrDistanceLines(router));
  return out.join('\n');
}

/**
 * The end of `show ip rip status` (ripd.c rip_distance_show): the default distance, then each
 * `distance N A.B.C.D/M [ACL]` as "    %-20s  %4d  %s" (a real FRR 8.4 run:
 * "    10.0.0.2/32            100  ACL1").
 */
function frrDistanceLines(router: RipRouter): string[] {
  const policy = router.config.policy;
  const out = [`  Distance: (default is ${policy?.distance ?? 120})`];
  const sources = [...(policy?.distanceSources ?? [])].sort((a, b) => a.prefix - b.prefix || a.prefixLength - b.prefixLength);
  if (sources.length > 0) out.push('    Address           Distance  List');
  for (const d of sources) out.push(`    ${prefixText(d.prefix, d.prefixLength).padEnd(20)}  ${String(d.distance).padStart(4)}  ${d.accessList ?? ''}`);
  return out;
}

const FRR_ROUTE_CODES = `Codes: K - kernel route, C - connected, S - static, R - RIP,
       O - OSPF, I - IS-IS, B - BGP, E - EIGRP, N - NHRP,
       T - Table, v - VNC, V - VNC-Direct, A - Babel, F - PBR,
       f - OpenFabric,
       > - selected route, * - FIB route, q - queued, r - rejected, b - backup
       t - trapped, o - offload failure`;

/**
 * FRR `show ip route` (zebra, FRR 8.4 layout, as zebra_vty.c prints it and a real FRR 8.4 run shows).
 * Every route zebra has for a prefix is listed: the selected one (`>*`, equal-cost paths as `  *`
 * rows), then the ones that lost on distance (`S   10.4.0.0/16 [200/0] via …`, no `*`: not in the
 * FIB). Routes the setup script added with `route add` are kernel routes to zebra (`K`, distance 0,
 * no weight); staticd's are `S` (gateway, interface, `unreachable (blackhole)` for blackhole/Null0,
 * `unreachable (ICMP unreachable)` for reject). Addresses on `lo` other than 127/8 show as connected.
 * NOTE: the order of the losing routes (by distance) is ours; zebra keeps them in its own list order,
 * which was the same in the runs compared. Statics whose gateway is unreachable ("inactive") are not listed.
 */
export function frrShowIpRoute(node: NetNode): string {
  const now = node.now;
  const lines: { prefix: number; len: number; text: string }[] = [];
  const seen = new Set<string>();
  for (const best of node.fib.routes()) {
    const key = `${best.prefix}/${best.prefixLength}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const all = node.fib.get(best.prefix, best.prefixLength);
    // zebra keeps a route's next hops sorted by address (lib/nexthop_group.c nexthop_group_add_sorted),
    // whatever order ripd heard them in (data/real/frr84-rip-rules s1: ripd .5 .3 .4 .2, zebra .2 .3 .4 .5).
    const selected = all.filter((r) => r.distance === best.distance && r.metric === best.metric && r.source === best.source).sort((a, b) => (a.nextHop >>> 0) - (b.nextHop >>> 0));
    const others = all.filter((r) => !selected.includes(r));
    // One prefix's route entries newest first, selected or not: zebra links each new entry at the head
    // of the prefix's list (zebra/zebra_rib.c rib_link, re_list_add_head), and shows the list in order
    // (seen on FRR 8.4.4: data/real/feature-passive r3, "R   10.13.34.0/24" above its "C>*").
    const entries = [
      { at: Math.max(...selected.map((r) => r.updatedAt)), rows: selected.map((r, i) => frrRouteRow(node, r, i === 0 ? '>*' : 'ecmp', now)) },
      ...others.map((r) => ({ at: r.updatedAt, rows: [frrRouteRow(node, r, '  ', now)] })),
    ].sort((a, b) => b.at - a.at);
    for (const e of entries) for (const text of e.rows) lines.push({ prefix: best.prefix, len: best.prefixLength, text });
  }
  for (const i of node.interfaces) {
    if (!i.loopback || !i.operational) continue;
    for (const a of i.addresses) {
      if (a.address >>> 24 === 127) continue;
      const net = (a.address & prefixMask(a.prefixLength)) >>> 0;
      lines.push({ prefix: net, len: a.prefixLength, text: `C>* ${prefixText(net, a.prefixLength)} is directly connected, ${i.name}, ${frrUptime(now)}` });
    }
  }
  // A stable sort: a prefix's rows keep their order.
  lines.sort((a, b) => a.prefix - b.prefix || a.len - b.len);
  return [FRR_ROUTE_CODES, '', ...lines.map((l) => l.text)].join('\n');
}

/** One row of `show ip route`: `flags` is `>*` (selected), `  ` (not selected) or `ecmp` (a further selected path). */
function frrRouteRow(node: NetNode, r: FibRoute, flags: '>*' | '  ' | 'ecmp', now: number): string {
  const iface = node.interfaces[r.ifIndex]?.name ?? '?';
  const p = prefixText(r.prefix, r.prefixLength);
  const age = frrUptime(now - r.updatedAt);
  const code = r.source === 'connected' || r.source === 'local' ? 'C' : r.source === 'rip' ? 'R' : r.kernel === true ? 'K' : 'S';
  if (code === 'C') return `C${flags === 'ecmp' ? '>*' : flags} ${p} is directly connected, ${iface}, ${age}`;
  if (code === 'K') return `K${flags === 'ecmp' ? '>*' : flags} ${p} [0/0] via ${ipv4ToString(r.nextHop)}, ${iface}, ${age}`;
  let hop: string;
  if (r.blackhole !== undefined) hop = `unreachable (${r.blackhole === 'reject' ? 'ICMP unreachable' : 'blackhole'})`;
  else if (r.nextHop === 0) hop = `is directly connected, ${iface}`;
  else hop = `via ${ipv4ToString(r.nextHop)}, ${iface}`;
  const head = `${code}${flags === 'ecmp' ? '>*' : flags} ${p} [${r.distance}/${r.metric}] `;
  // Another next hop of the same route lines its "via" up under the first one's (zebra/zebra_vty.c
  // show_route_nexthop_helper's caller pads by the length of the first line's head; seen on FRR
  // 8.4.4, data/real/feature-ecmp/show.json).
  if (flags === 'ecmp') return `  *${' '.repeat(head.length - 3)}${hop}, weight 1, ${age}`;
  return `${head}${hop}, weight 1, ${age}`;
}

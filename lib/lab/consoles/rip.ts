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
import {
  KIND_CONNECTED,
  KIND_DEFAULT,
  KIND_INTERFACE,
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

/** IOS `show ip protocols` (12.4 layout). */
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
    `  Sending updates every ${s(t.update)} seconds, next due in ${Math.max(0, Math.ceil((router.nextUpdateAt - now) / SECOND))} seconds`,
    `  Invalid after ${s(t.invalid)} seconds, hold down ${s(t.holddown ?? t.garbage)}, flushed after ${s(t.flush ?? t.invalid + (t.garbage ?? 0))}`,
    '  Redistributing: rip',
    `  Default version control: send version ${cfg.sendVersion}, receive ${cfg.receiveVersions.length === 1 ? `version ${cfg.receiveVersions[0]}` : 'any version'}`,
    '    Interface             Send  Recv  Triggered RIP  Key-chain',
  ];
  for (const i of node.interfaces) {
    const st = router.interfaceStatus(i.index);
    if (!st.enabled || st.passive || i.loopback) continue;
    out.push(`    ${i.name.padEnd(22)}${String(cfg.sendVersion).padEnd(6)}${v(cfg.receiveVersions).padEnd(6)}`);
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
  for (const p of peers) out.push(`    ${ipv4ToString(p.address).padEnd(16)}${'120'.padStart(8)}      ${hms(now - p.lastUpdate)}`);
  out.push('  Distance: (default is 120)');
  return out.join('\n');
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

/** `vtysh -c "…" [-c "…"]` on a Linux node. */
export function vtyshCommand(node: NetNode, args: string[]): string {
  const commands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-c' || a === '--command') {
      const c = args[++i];
      if (c === undefined) throw new ConsoleError(`vtysh: option requires an argument -- 'c'`);
      commands.push(c);
    } else if (a.startsWith('-c') && a.length > 2) commands.push(a.slice(2));
    else throw new ConsoleError(`vtysh: only "vtysh -c <command>" runs in a console here (interactive vtysh is not simulated)`);
  }
  if (commands.length === 0) throw new ConsoleError(`vtysh: only "vtysh -c <command>" runs in a console here (interactive vtysh is not simulated)`);
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
    const code = k === KIND_LEARNED ? 'R(n)' : k === KIND_INTERFACE ? 'C(i)' : k === KIND_CONNECTED ? 'C(r)' : k === KIND_STATIC ? 'S(r)' : k === KIND_DEFAULT ? 'R(d)' : '?(?)';
    for (const path of e.route.paths) {
      const head = `${code} ${prefixText(e.prefix, e.len)}`;
      let line = head.length < 24 ? head.padEnd(24) : head;
      const hop = k === KIND_LEARNED ? ipv4ToString(path.nextHop) : '0.0.0.0';
      line += `${hop.padEnd(20)} ${String(e.route.metric).padStart(2)} `;
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
    `  Redistributing:${cfg.redistributeConnected !== null ? ' connected' : ''}${cfg.redistributeStatic !== null ? ' static' : ''}`,
    `  Default version control: send version ${cfg.sendVersion}, ${cfg.receiveVersions.length === 2 ? 'receive any version ' : `receive version ${cfg.receiveVersions[0]} `}`,
    '    Interface        Send  Recv   Key-chain',
  ];
  const recv = cfg.receiveVersions.length === 2 ? '1 2' : String(cfg.receiveVersions[0]);
  for (const i of node.interfaces) {
    const st = router.interfaceStatus(i.index);
    if (!st.running) continue;
    out.push(`    ${i.name.padEnd(17)}${String(cfg.sendVersion).padEnd(3)}   ${recv.padEnd(3)}    `);
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
  // ripd.c rip_peer_display: "    %-16s %9d %9d %9d   %s" (real FRR 8.4.4: lib/lab/consoles/frr-8.4.4-show-ip-rip-status.txt).
  for (const p of [...router.peers.values()].sort((a, b) => a.address - b.address)) {
    out.push(`    ${ipv4ToString(p.address).padEnd(16)} ${String(p.badPackets).padStart(9)} ${String(p.badRoutes).padStart(9)} ${'120'.padStart(9)}   ${hms(now - p.lastUpdate)}`);
  }
  out.push('  Distance: (default is 120)');
  return out.join('\n');
}

const FRR_ROUTE_CODES = `Codes: K - kernel route, C - connected, S - static, R - RIP,
       O - OSPF, I - IS-IS, B - BGP, E - EIGRP, N - NHRP,
       T - Table, v - VNC, V - VNC-Direct, A - Babel, F - PBR,
       f - OpenFabric,
       > - selected route, * - FIB route, q - queued, r - rejected, b - backup
       t - trapped, o - offload failure`;

/**
 * FRR `show ip route` (zebra, FRR 8.4 layout). Routes the setup script added with `route add` are
 * kernel routes to zebra ("K"); addresses on `lo` other than 127/8 show as connected.
 * NOTE: only selected routes are listed (a RIP route that loses to a connected one is not shown).
 */
export function frrShowIpRoute(node: NetNode): string {
  const now = node.now;
  const lines: { prefix: number; len: number; text: string }[] = [];
  const routes = node.fib.routes();
  const seen = new Set<string>();
  for (const r of routes) {
    const key = `${r.prefix}/${r.prefixLength}`;
    const first = !seen.has(key);
    seen.add(key);
    const iface = node.interfaces[r.ifIndex]?.name ?? '?';
    const p = prefixText(r.prefix, r.prefixLength);
    const age = frrUptime(now - r.updatedAt);
    let text: string;
    if (r.source === 'connected' || r.source === 'local') text = `C>* ${p} is directly connected, ${iface}, ${age}`;
    else if (r.source === 'static') text = `K>* ${p} [0/0] via ${ipv4ToString(r.nextHop)}, ${iface}, ${age}`;
    else if (first) text = `R>* ${p} [${r.distance}/${r.metric}] via ${ipv4ToString(r.nextHop)}, ${iface}, weight 1, ${age}`;
    else text = `  *${' '.repeat(p.length + 1)}via ${ipv4ToString(r.nextHop)}, ${iface}, weight 1, ${age}`;
    lines.push({ prefix: r.prefix, len: r.prefixLength, text });
  }
  for (const i of node.interfaces) {
    if (!i.loopback || !i.operational) continue;
    for (const a of i.addresses) {
      if (a.address >>> 24 === 127) continue;
      const net = (a.address & prefixMask(a.prefixLength)) >>> 0;
      lines.push({ prefix: net, len: a.prefixLength, text: `C>* ${prefixText(net, a.prefixLength)} is directly connected, ${i.name}, ${frrUptime(now)}` });
    }
  }
  lines.sort((a, b) => a.prefix - b.prefix || a.len - b.len);
  return [FRR_ROUTE_CODES, '', ...lines.map((l) => l.text)].join('\n');
}

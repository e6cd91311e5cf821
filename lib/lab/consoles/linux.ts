/**
 * Linux commands as Ubuntu xenial prints them (iputils ping, traceroute 2.x, net-tools, iproute2).
 */
import type { Duration, SimTime } from '../../sim/time';
import { ms, seconds } from '../../sim/time';
import type { IcmpMessage, Ipv4Addr } from '../../wire/types';
import { IPPROTO_ICMP } from '../../wire/types';
import { ipv4ToString, macToString, tryParseIpv4, prefixMask } from '../../wire/addr';
import { parseInvoking } from '../../wire/icmp';
import type { NetNode } from '../../net/node';
import { CONSOLE_RUN_LIMIT, ConsoleError, runProcess, splitWords } from './process';
import { traceroute } from './traceroute';
import { vtyshCommand } from './rip';
import { dnsCommand } from './dns';

type Run = (node: NetNode, args: string[], command: string, limit: Duration | undefined) => string;

/**
 * Every command a Linux console runs: the dispatch and the "not simulated" hint both read this
 * table, so the hint cannot leave out a command that works. `usage` is how the hint lists it.
 */
const LINUX_COMMANDS: Record<string, { usage: string; run: Run }> = {
  ping: { usage: 'ping', run: (node, args, _c, limit) => linuxPing(node, args, limit) },
  traceroute: { usage: 'traceroute', run: (node, args) => linuxTraceroute(node, args) },
  netstat: {
    usage: 'netstat -rn',
    run: (node, args) => {
      if (['-rn', '-nr', '-r -n'].includes(args.join(' '))) return netstatRn(node);
      throw new ConsoleError(`netstat: only -rn is simulated`);
    },
  },
  route: {
    usage: 'route -n',
    run: (node, args) => {
      if (args.join(' ') === '-n') return netstatRn(node);
      throw new ConsoleError(`route: only -n is simulated`);
    },
  },
  ip: { usage: 'ip route, ip addr, ip neigh', run: (node, args) => ipCommand(node, args) },
  ifconfig: {
    usage: 'ifconfig',
    run: (node, args) => {
      if (args.length === 0 || (args.length === 1 && args[0] === '-a')) return ifconfig(node, args[0] === '-a');
      throw new ConsoleError('ifconfig: only listing (ifconfig, ifconfig -a) runs in a console; configure interfaces in the lab files');
    },
  },
  arp: {
    usage: 'arp -n',
    run: (node, args) => {
      if (args.join(' ') === '-n' || args.join(' ') === '-an') return arpN(node);
      throw new ConsoleError('arp: only -n is simulated');
    },
  },
  hostname: { usage: 'hostname', run: (node) => node.hostname },
  vtysh: { usage: 'vtysh -c "show ip rip" (also "show ip rip status", "show ip route"; on FRR nodes "show running-config", "show ip route json")', run: (node, args) => vtyshCommand(node, args) },
  nslookup: { usage: 'nslookup', run: dnsTool },
  dig: { usage: 'dig', run: dnsTool },
  host: { usage: 'host', run: dnsTool },
  getent: { usage: 'getent hosts', run: dnsTool },
  time: {
    usage: 'time (before nslookup, dig, host or getent)',
    run: (node, args, command, limit) => {
      const out = dnsCommand(node, command, limit);
      if (out === null) throw new ConsoleError(`time: only "time nslookup", "time dig", "time host" and "time getent" are simulated, not "time ${args.join(' ')}"`);
      return out;
    },
  },
};

function dnsTool(node: NetNode, _args: string[], command: string, limit: Duration | undefined): string {
  return dnsCommand(node, command, limit)!;
}

/** The commands a Linux console runs, as the "not simulated" hint lists them. */
export function linuxCommandList(): string {
  return Object.values(LINUX_COMMANDS)
    .map((c) => c.usage)
    .join(', ');
}

/** The names LINUX_COMMANDS dispatches on (tests run each one). */
export const LINUX_COMMAND_NAMES: readonly string[] = Object.keys(LINUX_COMMANDS);

export function linuxCommand(node: NetNode, command: string, limit: Duration | undefined): string | null {
  const [cmd, ...args] = splitWords(command);
  if (cmd === undefined) return '';
  const entry = Object.hasOwn(LINUX_COMMANDS, cmd) ? LINUX_COMMANDS[cmd]! : undefined;
  return entry === undefined ? null : entry.run(node, args, command, limit);
}

// ---- ping (iputils s20121221, Ubuntu xenial) ---------------------------------------------

interface PingOptions {
  count: number | null;
  interval: Duration;
  /** -W: time to wait for the last reply when nothing was received. */
  linger: Duration;
  deadline: Duration | null;
  ttl: number;
  size: number;
  quiet: boolean;
  dst: Ipv4Addr;
  dstText: string;
  /** What ping prints before it starts (the warnings of a lenient number parse). */
  warnings: string[];
}

const PING_USAGE = 'Usage: ping [-c count] [-i interval] [-W timeout] [-w deadline] [-t ttl] [-s packetsize] [-q] destination';
/** The options that take an argument, as in iputils' getopt string (`c:i:s:t:w:W:` among others). */
const PING_ARG_OPTIONS = new Set(['c', 'i', 's', 't', 'w', 'W']);
const LONG_MAX = 9223372036854775807n;
const INT_MAX = 2147483647;
/**
 * -s above this is refused: 65535 - 20 (IPv4 header) - 8 (ICMP header). iputils 20221126 takes any
 * size up to INT_MAX and then fails each send; iputils 20240905 refuses it (ping.c, ICMP_MAX_DATALEN:
 * "invalid -s value: '%d': out of range: 0 <= value <= %d"), which is what a console should do.
 */
const ICMP_MAX_DATALEN = 65535 - 20 - 8;
/** iputils ping_common.c MINUSERINTERVAL: the shortest -i a user without CAP_NET_ADMIN may ask for. */
const MIN_USER_INTERVAL = ms(2);
const BUDGET_SECONDS = CONSOLE_RUN_LIMIT / 1_000_000;
const BUDGET_NOTE = `the lab simulates at most ${BUDGET_SECONDS / 3600} h per command`;

/**
 * iputils_common.c strtol_or_err: a base-10 integer (strtol: leading blanks and a sign allowed)
 * within [min, max], else "ping: invalid argument: ..." and exit status 1. The messages are those of
 * iputils-ping 20221126 (Debian 12), checked on this machine.
 */
function pingInteger(text: string, min: bigint, max: bigint): number {
  if (!/^\s*[+-]?\d+$/.test(text)) throw new ConsoleError(`ping: invalid argument: '${text}'`);
  const v = BigInt(text.trim());
  if (v > LONG_MAX || v < -LONG_MAX - 1n) throw new ConsoleError(`ping: invalid argument: '${text}': Numerical result out of range`);
  if (v < min || v > max) throw new ConsoleError(`ping: invalid argument: '${text}': out of range: ${min} <= value <= ${max}`);
  return Number(v);
}

/**
 * ping.c ping_strtod as Debian 12's iputils 20221126 has it, for -i and -W: strtod's longest number,
 * with a warning (not an error) when text follows it; inf and nan are out of range (exit status 2).
 */
function pingFloat(text: string, what: string, warnings: string[]): number {
  const m = /^\s*[+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)/i.exec(text);
  const head = m?.[0] ?? '';
  const lower = head.trim().replace(/^[+-]/, '').toLowerCase();
  if (lower.startsWith('inf') || lower === 'nan') throw new ConsoleError(`ping: ${what}: ${text}: Numerical result out of range`);
  if (head.length < text.length || text === '') {
    warnings.push(`ping: option argument contains garbage: ${text.slice(head.length)}`, 'ping: this will become fatal error in the future');
  }
  const t = head.trim();
  const v = t === '' ? 0 : Number(t.replace(/^[+-]/, ''));
  return t.startsWith('-') ? -v : v;
}

/** GNU getopt as ping uses it: flags may be grouped (-qn), an argument may be glued (-c3) or follow. */
function parsePing(args: string[]): PingOptions {
  const o: PingOptions = { count: null, interval: seconds(1), linger: seconds(10), deadline: null, ttl: 64, size: 56, quiet: false, dst: 0, dstText: '', warnings: [] };
  let countText = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-') || a === '-') {
      // getopt reads every option first; the destination is looked up after (the last word wins).
      o.dstText = a;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const flag = a[j]!;
      if (flag === 'q') o.quiet = true;
      else if (flag === 'n') continue;
      else if (!PING_ARG_OPTIONS.has(flag)) throw new ConsoleError(`ping: invalid option -- '${flag}'\n${PING_USAGE}`);
      else {
        const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (value === undefined) throw new ConsoleError(`ping: option requires an argument -- '${flag}'\n${PING_USAGE}`);
        pingOption(o, flag, value);
        if (flag === 'c') countText = value;
        break;
      }
    }
  }
  if (o.dstText === '') throw new ConsoleError('ping: usage error: Destination address required');
  if (o.size > ICMP_MAX_DATALEN) throw new ConsoleError(`ping: invalid -s value: '${o.size}': out of range: 0 <= value <= ${ICMP_MAX_DATALEN}`);
  const addr = tryParseIpv4(o.dstText);
  if (addr === null) throw new ConsoleError(`ping: unknown host ${o.dstText}`);
  o.dst = addr;
  // IP_TTL 0 is refused by the kernel's setsockopt (EINVAL), which ping reports and exits 2.
  if (o.ttl === 0) throw new ConsoleError('ping: cannot set unicast time-to-live: Invalid argument');
  if (o.count !== null && o.count * o.interval > CONSOLE_RUN_LIMIT) {
    const most = Math.max(1, Math.floor(CONSOLE_RUN_LIMIT / Math.max(o.interval, 1)));
    throw new ConsoleError(`ping: invalid argument: '${countText}': out of range: 1 <= value <= ${most} (${BUDGET_NOTE}: ${most} probes at -i ${o.interval / 1_000_000})`);
  }
  return o;
}

function pingOption(o: PingOptions, flag: string, value: string): void {
  switch (flag) {
    case 'c':
      o.count = pingInteger(value, 1n, LONG_MAX);
      return;
    case 't':
      o.ttl = pingInteger(value, 0n, 255n);
      return;
    case 's':
      o.size = pingInteger(value, 0n, BigInt(INT_MAX));
      return;
    case 'w': {
      const deadline = pingInteger(value, 0n, BigInt(INT_MAX));
      if (deadline > BUDGET_SECONDS) throw new ConsoleError(`ping: invalid argument: '${value}': out of range: 0 <= value <= ${BUDGET_SECONDS} (${BUDGET_NOTE})`);
      // -w 0 means no deadline (iputils tests `if (rts->deadline)`).
      o.deadline = deadline === 0 ? null : seconds(deadline);
      return;
    }
    case 'i': {
      const v = pingFloat(value, 'bad timing interval', o.warnings);
      if (v > INT_MAX / 1000) throw new ConsoleError(`ping: bad timing interval: ${value}`);
      // ping keeps whole milliseconds: rts.interval = (int)(optval * 1000).
      o.interval = ms(Math.trunc(v * 1000));
      return;
    }
    case 'W': {
      const v = pingFloat(value, 'bad linger time', o.warnings);
      if (v < 0 || v > INT_MAX / 1000) throw new ConsoleError(`ping: bad linger time: ${value}`);
      if (v > BUDGET_SECONDS) throw new ConsoleError(`ping: bad linger time: ${value} (${BUDGET_NOTE}: at most ${BUDGET_SECONDS})`);
      o.linger = ms(Math.trunc(v * 1000));
      return;
    }
  }
}

/** iputils prints times with 3 significant-ish decimals: 0.123, 1.23, 14.6, 123. */
function pingTime(us: number): string {
  const msv = us / 1000;
  if (msv >= 100) return String(Math.floor(msv));
  if (msv >= 10) return msv.toFixed(1);
  if (msv >= 1) return msv.toFixed(2);
  return msv.toFixed(3);
}

const UNREACH_TEXT: Record<number, string> = {
  0: 'Destination Net Unreachable',
  1: 'Destination Host Unreachable',
  2: 'Destination Protocol Unreachable',
  3: 'Destination Port Unreachable',
  4: 'Frag needed and DF set',
  13: 'Packet filtered',
};

function linuxPing(node: NetNode, args: string[], limit: Duration | undefined): string {
  const o = parsePing(args);
  const id = node.rng.int(1, 0xffff);
  const data = new Uint8Array(Math.max(0, o.size));
  // iputils puts a timestamp in the first 8 bytes and fills the rest with 0x08, 0x09, …
  for (let i = 8; i < data.length; i++) data[i] = i & 0xff;
  const sentAt = new Map<number, SimTime>();
  const rtts: number[] = [];
  let transmitted = 0;
  let errors = 0;
  let start: SimTime = 0;
  let lastSend: SimTime = 0;
  const endless = o.count === null && o.deadline === null;
  const processLimit = limit ?? (endless ? seconds(10) : (o.deadline ?? (o.count! * o.interval + o.linger)) + seconds(1));
  const summary = (print: (s: string) => void) => {
    print('');
    print(`--- ${o.dstText} ping statistics ---`);
    const received = rtts.length;
    const loss = transmitted === 0 ? 0 : Math.floor(((transmitted - received) * 100) / transmitted);
    const errText = errors > 0 ? `+${errors} errors, ` : '';
    print(`${transmitted} packets transmitted, ${received} received, ${errText}${loss}% packet loss, time ${Math.floor((lastSend - start) / 1000)}ms`);
    if (received > 0) {
      const v = rtts.map((r) => r / 1000);
      const avg = v.reduce((a, b) => a + b, 0) / v.length;
      const mdev = Math.sqrt(Math.max(0, v.reduce((a, b) => a + b * b, 0) / v.length - avg * avg));
      print(`rtt min/avg/max/mdev = ${Math.min(...v).toFixed(3)}/${avg.toFixed(3)}/${Math.max(...v).toFixed(3)}/${mdev.toFixed(3)} ms`);
    }
  };
  return runProcess(
    node.scheduler,
    processLimit,
    (p) => {
      start = p.now;
      for (const w of o.warnings) p.print(w);
      p.print(`PING ${o.dstText} (${ipv4ToString(o.dst)}) ${o.size}(${o.size + 28}) bytes of data.`);
      // ping_common.c setup(), after the PING line: a user may not flood (exit status 2, no summary).
      if (o.interval < MIN_USER_INTERVAL) {
        p.print(`ping: cannot flood; minimal interval allowed for user is ${MIN_USER_INTERVAL / 1000}ms`);
        p.exit();
        return;
      }
      const done = () => {
        summary((s) => p.print(s));
        p.exit();
      };
      // ping_common.c main_loop: stop once count replies (or errors) are in; under a deadline, at
      // the first error. pinger(): under a deadline, keep sending past count until enough replies.
      const maybeDone = () => {
        if (o.deadline !== null && errors > 0) done();
        else if (o.count !== null && rtts.length + errors >= o.count) done();
      };
      const sentEnough = () => o.count !== null && transmitted >= o.count && o.deadline === null;
      const send = () => {
        if (sentEnough()) return;
        transmitted++;
        const seq = transmitted;
        lastSend = p.now;
        sentAt.set(seq, p.now);
        const result = node.sendIp({ tos: 0, id: node.nextIpId(), dontFragment: true, moreFragments: false, fragmentOffset: 0, ttl: o.ttl, protocol: IPPROTO_ICMP, src: 0, dst: o.dst, payload: { kind: 'echo-request', id, seq, data } });
        if (result === 'no-route') {
          p.print('connect: Network is unreachable');
          p.exit();
          return;
        }
        if (sentEnough()) {
          // After the last echo, wait for stragglers (ping_common.c __schedule_exit): twice the
          // longest round trip seen but at least the interval, or the linger time (-W, 10 s) when
          // nothing came back at all.
          const wait = rtts.length > 0 ? Math.max(2 * Math.max(...rtts), o.interval) : o.linger;
          p.after(wait, done);
        } else p.after(o.interval, send);
      };
      const remove = node.addIcmpListener((msg: IcmpMessage, packet) => {
        if (msg.kind === 'echo-reply' && msg.id === id && sentAt.has(msg.seq)) {
          const rtt = p.now - sentAt.get(msg.seq)!;
          sentAt.delete(msg.seq);
          rtts.push(rtt);
          if (!o.quiet) p.print(`${msg.data.length + 8} bytes from ${ipv4ToString(packet.src)}: icmp_seq=${msg.seq} ttl=${packet.ttl} time=${pingTime(rtt)} ms`);
          maybeDone();
          return;
        }
        if (msg.kind === 'dest-unreachable' || msg.kind === 'time-exceeded') {
          const q = parseInvoking(msg.invoking);
          if (q === null || q.protocol !== IPPROTO_ICMP || q.icmpId !== id || q.icmpSeq === null) return;
          errors++;
          sentAt.delete(q.icmpSeq);
          const text = msg.kind === 'time-exceeded' ? 'Time to live exceeded' : (UNREACH_TEXT[msg.code] ?? `Dest Unreachable, Bad Code: ${msg.code}`);
          if (!o.quiet) p.print(`From ${ipv4ToString(packet.src)} icmp_seq=${q.icmpSeq} ${text}`);
          maybeDone();
        }
      });
      p.onExit(remove);
      if (o.deadline !== null) p.after(o.deadline, done);
      send();
    },
    (p) => {
      p.print('^C');
      summary((s) => p.print(s));
    },
  );
}

// ---- traceroute (traceroute 2.0.21) ------------------------------------------------------

function linuxTraceroute(node: NetNode, args: string[]): string {
  let maxTtl = 30;
  let dstText = '';
  let numeric = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-m') maxTtl = tracerouteMaxTtl(args[++i], i);
    else if (a === '-n') numeric = true;
    else if (a.startsWith('-')) throw new ConsoleError(`Bad option \`${a}' (argc ${i + 1})`);
    else dstText = a;
  }
  // traceroute.c: "first hop out of range" when max_ttl < first hop (1), a 255 ceiling (MAX_HOPS).
  if (maxTtl > 255) throw new ConsoleError('max hops cannot be more than 255');
  if (maxTtl < 1) throw new ConsoleError('first hop out of range');
  const dst = tryParseIpv4(dstText);
  if (dst === null) throw new ConsoleError(dstText === '' ? 'Usage: traceroute [ -n ] [ -m max_ttl ] host' : `${dstText}: Name or service not known\nCannot handle "host" cmdline arg \`${dstText}' on position 1 (argc 1)`);
  const wait = seconds(5);
  return runProcess(node.scheduler, maxTtl * 3 * wait + seconds(10), (p) => {
    p.print(`traceroute to ${dstText} (${ipv4ToString(dst)}), ${maxTtl} hops max, 60 byte packets`);
    traceroute(node, p, dst, {
      maxTtl,
      probesPerHop: 3,
      wait,
      // 60-byte probes: 20 IP + 8 UDP + 32 bytes of payload.
      payloadBytes: 32,
      dontFragment: true,
      host: (a) => (numeric ? `${ipv4ToString(a)} ` : `${ipv4ToString(a)} (${ipv4ToString(a)}) `),
      answer: (rtt, code) => ` ${(rtt / 1000).toFixed(3)} ms ${code === 1 ? '!H ' : code === 0 ? '!N ' : code === 13 ? '!X ' : ''}`,
      hopLine: (ttl, text) => `${String(ttl).padStart(2)}  ${text}`,
    });
  });
}

/**
 * traceroute 2.x's option parser (clif.c) reads -m as an unsigned number: a word that is not one is
 * refused naming the option and its position; a negative one wraps past 255.
 */
function tracerouteMaxTtl(text: string | undefined, argc: number): number {
  if (text === undefined) throw new ConsoleError(`Option \`-m' (argc ${argc}) requires an argument: \`-m max_ttl'`);
  if (/^-\d+$/.test(text)) return Number.MAX_SAFE_INTEGER;
  if (!/^\d+$/.test(text)) throw new ConsoleError(`Cannot handle \`-m' option with arg \`${text}' (argc ${argc})`);
  return Number(text);
}

// ---- routing and interface listings ------------------------------------------------------

function flagsOf(nextHop: number, prefixLength: number): string {
  return `U${nextHop !== 0 ? 'G' : ''}${prefixLength === 32 && nextHop !== 0 ? 'H' : ''}`;
}

export function netstatRn(node: NetNode): string {
  const out = ['Kernel IP routing table', 'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface'];
  const routes = [...node.fib.routes()].sort((a, b) => b.prefixLength - a.prefixLength || a.prefix - b.prefix);
  // The kernel lists the main table in its own order: defaults first, then by insertion; we use
  // destination order, which reads the same for these small tables.
  routes.sort((a, b) => (a.prefixLength === 0 ? -1 : b.prefixLength === 0 ? 1 : a.prefix - b.prefix || b.prefixLength - a.prefixLength));
  for (const r of routes) {
    if (r.blackhole !== undefined) {
      // net-tools shows a route with no way out as flag "!" and interface "-".
      out.push(`${ipv4ToString(r.prefix).padEnd(16)}${'0.0.0.0'.padEnd(16)}${ipv4ToString(prefixMask(r.prefixLength)).padEnd(16)}${'!'.padEnd(8)}${'0'.padStart(3)} -${' '.repeat(10)}0 -`);
      continue;
    }
    const iface = node.interfaces[r.ifIndex]!.name;
    out.push(
      `${ipv4ToString(r.prefix).padEnd(16)}${ipv4ToString(r.nextHop).padEnd(16)}${ipv4ToString(prefixMask(r.prefixLength)).padEnd(16)}${flagsOf(r.nextHop, r.prefixLength).padEnd(8)}${'0'.padStart(3)} 0${' '.repeat(10)}0 ${iface}`,
    );
  }
  return out.join('\n');
}

function ipCommand(node: NetNode, args: string[]): string {
  const sub = args[0] ?? '';
  const rest = args.slice(1);
  if (['r', 'ro', 'rou', 'route'].includes(sub) && (rest.length === 0 || rest[0] === 'show' || rest[0] === 'list')) return ipRoute(node);
  if (['a', 'ad', 'addr', 'address'].includes(sub) && (rest.length === 0 || rest[0] === 'show' || rest[0] === 'list')) return ipAddr(node);
  if (['n', 'neigh', 'neighbor', 'neighbour'].includes(sub) && (rest.length === 0 || rest[0] === 'show')) return ipNeigh(node);
  throw new ConsoleError(`ip ${args.join(' ')}: only "ip route", "ip addr" and "ip neigh" listings run in a console; configure the node in the lab files`);
}

function ipRoute(node: NetNode): string {
  const lines: string[] = [];
  const routes = node.fib.routes().sort((a, b) => (a.prefixLength === 0 ? -1 : b.prefixLength === 0 ? 1 : a.prefix - b.prefix || b.prefixLength - a.prefixLength));
  for (const r of routes) {
    const dest = r.prefixLength === 0 ? 'default' : `${ipv4ToString(r.prefix)}/${r.prefixLength}`;
    // iproute2 as a real FRR 8.4 node prints zebra's routes: "blackhole 10.7.0.0/16 proto static metric 20",
    // "unreachable 10.6.0.0/16 proto static metric 20", "10.15.0.0/16 dev veth-a proto static metric 20".
    if (r.blackhole !== undefined) {
      lines.push(`${r.blackhole === 'reject' ? 'unreachable' : 'blackhole'} ${dest} proto static metric 20 `);
      continue;
    }
    const iface = node.interfaces[r.ifIndex]!;
    if (r.source === 'static' && r.kernel !== true && node.profile.os === 'linux') {
      lines.push(`${dest}${r.nextHop === 0 ? '' : ` via ${ipv4ToString(r.nextHop)}`} dev ${iface.name} proto static metric 20 `);
      continue;
    }
    if (r.source === 'connected') {
      const src = iface.addresses.find((a) => ((a.address ^ r.prefix) & prefixMask(r.prefixLength)) === 0)?.address ?? iface.primaryAddress;
      lines.push(`${dest} dev ${iface.name} proto kernel scope link src ${ipv4ToString(src)} `);
    } else {
      const proto = r.source === 'rip' ? ' proto rip metric 20' : '';
      lines.push(`${dest} via ${ipv4ToString(r.nextHop)} dev ${iface.name}${proto} `);
    }
  }
  return lines.join('\n');
}

function ipAddr(node: NetNode): string {
  const out: string[] = [];
  node.interfaces.forEach((i, n) => {
    const state = i.operational ? (i.loopback ? 'UNKNOWN' : 'UP') : 'DOWN';
    const flags = i.loopback ? 'LOOPBACK,UP,LOWER_UP' : i.operational ? 'BROADCAST,MULTICAST,UP,LOWER_UP' : i.adminUp ? 'NO-CARRIER,BROADCAST,MULTICAST,UP' : 'BROADCAST,MULTICAST';
    out.push(`${n + 1}: ${i.name}: <${flags}> mtu ${i.loopback ? 65536 : 1500} qdisc ${i.loopback ? 'noqueue' : 'pfifo_fast'} state ${state} group default qlen 1000`);
    out.push(i.loopback ? `    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00` : `    link/ether ${macToString(i.mac)} brd ff:ff:ff:ff:ff:ff`);
    for (const a of i.addresses) {
      const brd = a.prefixLength < 31 && !i.loopback ? ` brd ${ipv4ToString((a.address | ~prefixMask(a.prefixLength)) >>> 0)}` : '';
      const scope = i.loopback && a.address >>> 24 === 127 ? 'host' : 'global';
      out.push(`    inet ${ipv4ToString(a.address)}/${a.prefixLength}${brd} scope ${scope} ${a.label ?? i.name}`);
      out.push(`       valid_lft forever preferred_lft forever`);
    }
  });
  return out.join('\n');
}

function ifconfig(node: NetNode, all: boolean): string {
  const blocks: string[] = [];
  const entries: { label: string; iface: (typeof node.interfaces)[number]; addr: (typeof node.interfaces)[number]['addresses'][number] | null; primary: boolean }[] = [];
  for (const i of node.interfaces) {
    if (!all && !i.operational) continue;
    const own = i.addresses.filter((a) => a.label === null);
    entries.push({ label: i.name, iface: i, addr: own[0] ?? null, primary: true });
    for (const a of i.addresses.filter((x) => x.label !== null)) entries.push({ label: a.label!, iface: i, addr: a, primary: false });
  }
  entries.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  for (const e of entries) {
    const i = e.iface;
    const lines: string[] = [];
    lines.push(i.loopback ? `${e.label.padEnd(10)}Link encap:Local Loopback  ` : `${e.label.padEnd(10)}Link encap:Ethernet  HWaddr ${macToString(i.mac)}  `);
    if (e.addr !== null) {
      const mask = ipv4ToString(prefixMask(e.addr.prefixLength));
      if (i.loopback) lines.push(`          inet addr:${ipv4ToString(e.addr.address)}  Mask:${mask}`);
      else lines.push(`          inet addr:${ipv4ToString(e.addr.address)}  Bcast:${ipv4ToString((e.addr.address | ~prefixMask(e.addr.prefixLength)) >>> 0)}  Mask:${mask}`);
    }
    const up = i.adminUp ? 'UP ' : '';
    const running = i.operational ? 'RUNNING ' : '';
    lines.push(i.loopback ? `          ${up}LOOPBACK ${running}MTU:65536  Metric:1` : `          ${up}BROADCAST ${running}MULTICAST  MTU:1500  Metric:1`);
    if (e.primary) {
      lines.push(`          RX packets:${i.rxPackets} errors:0 dropped:0 overruns:0 frame:0`);
      lines.push(`          TX packets:${i.txPackets} errors:0 dropped:0 overruns:0 carrier:0`);
      lines.push(`          collisions:0 txqueuelen:${i.loopback ? 1 : 1000} `);
    }
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\n') + '\n';
}

function arpN(node: NetNode): string {
  const out = ['Address                  HWtype  HWaddress           Flags Mask            Iface'];
  for (const i of node.interfaces) {
    for (const e of node.arpCache(i.index).list()) {
      if (e.state === 'incomplete') out.push(`${ipv4ToString(e.ip).padEnd(25)}        (incomplete)                              ${i.name}`);
      else out.push(`${ipv4ToString(e.ip).padEnd(25)}ether   ${macToString(e.mac)}   C                     ${i.name}`);
    }
  }
  return out.join('\n');
}

function ipNeigh(node: NetNode): string {
  const out: string[] = [];
  for (const i of node.interfaces) {
    for (const e of node.arpCache(i.index).list()) {
      const state = e.state.toUpperCase();
      if (e.state === 'incomplete') out.push(`${ipv4ToString(e.ip)} dev ${i.name}  INCOMPLETE`);
      else out.push(`${ipv4ToString(e.ip)} dev ${i.name} lladdr ${macToString(e.mac)} ${state}`);
    }
  }
  return out.join('\n');
}

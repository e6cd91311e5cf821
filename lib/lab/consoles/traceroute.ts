/**
 * The probing machine both traceroutes share: UDP probes to ports 33434 and up with rising TTL,
 * one at a time (NOTE: Linux traceroute sends up to 16 at once), matched to the ICMP time-exceeded
 * or unreachable that quotes them. The device's console only decides how a hop line reads.
 */
import type { Duration, SimTime } from '../../sim/time';
import type { IcmpMessage, Ipv4Addr, Ipv4Packet } from '../../wire/types';
import { IPPROTO_UDP } from '../../wire/types';
import { parseInvoking } from '../../wire/icmp';
import type { NetNode } from '../../net/node';
import type { ConsoleProcess } from './process';

export interface TracerouteStyle {
  maxTtl: number;
  probesPerHop: number;
  /** How long to wait for each probe's answer before printing `*`. */
  wait: Duration;
  payloadBytes: number;
  dontFragment: boolean;
  /** Text for a new responder within a hop line (`10.128.3.1 ` or `10.128.3.1 (10.128.3.1) `). */
  host(addr: Ipv4Addr): string;
  /** Text for one answered probe: its round trip and the unreachable flag (`!H`), if any. */
  answer(rtt: Duration, unreachableCode: number | null): string;
  /** The finished hop line. */
  hopLine(ttl: number, text: string): string;
}

export function traceroute(node: NetNode, p: ConsoleProcess, dst: Ipv4Addr, style: TracerouteStyle): void {
  let ttl = 1;
  let probe = 0;
  let line = '';
  let hopAddr: Ipv4Addr | null = null;
  let reached = false;
  let port = 33434;
  let sentAt: SimTime = 0;
  let outstanding: number | null = null;
  const socket = node.udpBind(0, 0, { onMessage: () => undefined });
  p.onExit(() => socket.close());
  const endHop = () => {
    p.print(style.hopLine(ttl, line.trimEnd()));
    if (reached || ttl >= style.maxTtl) return p.exit();
    ttl++;
    probe = 0;
    line = '';
    hopAddr = null;
    send();
  };
  const record = (from: Ipv4Addr | null, text: string) => {
    if (from !== null && from !== hopAddr) {
      line += `${hopAddr === null ? '' : ' '}${style.host(from)}`;
      hopAddr = from;
    }
    line += text;
    probe++;
    if (probe >= style.probesPerHop) endHop();
    else send();
  };
  const send = () => {
    const myPort = port++;
    outstanding = myPort;
    sentAt = p.now;
    socket.send(dst, myPort, new Uint8Array(style.payloadBytes), { ttl, dontFragment: style.dontFragment });
    p.after(style.wait, () => {
      if (outstanding === myPort) {
        outstanding = null;
        record(null, '* ');
      }
    });
  };
  const remove = node.addIcmpListener((msg: IcmpMessage, packet: Ipv4Packet) => {
    if (outstanding === null || (msg.kind !== 'time-exceeded' && msg.kind !== 'dest-unreachable')) return;
    const q = parseInvoking(msg.invoking);
    if (q === null || q.protocol !== IPPROTO_UDP || q.dstPort !== outstanding) return;
    outstanding = null;
    if (msg.kind === 'dest-unreachable') reached = true;
    record(packet.src, style.answer(p.now - sentAt, msg.kind === 'dest-unreachable' ? msg.code : null));
  });
  p.onExit(remove);
  send();
}

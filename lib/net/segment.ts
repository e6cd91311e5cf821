/**
 * The wire between interfaces. A `lan` is a switch: frames go only to the port that owns the
 * destination MAC once it is learned, everywhere else (flooding) until then, and a port stays up when
 * the host behind it dies — exactly why a halted server is silent rather than "link down" to its
 * router. A `p2p` segment is a cable between two interfaces: taking it down drops carrier at both ends.
 */
import type { Duration, SimTime } from '../sim/time';
import type { Scheduler } from '../sim/scheduler';
import type { EthernetFrame, MacAddr } from '../wire/types';
import type { Interface } from './interface';
import { isMulticastMac } from '../wire/addr';
import { ETHERTYPE_IPV4, IPPROTO_UDP, type Ipv4Packet, type UdpDatagram } from '../wire/types';
import { ETHERNET_MIN_FRAME_LEN, ethernetBufferLen } from '../wire/ethernet';
import { RIP_PORT } from '../wire/rip';

/**
 * A frame's length as a capture reports it: header and payload, padded to Ethernet's 60-byte
 * minimum, without the 4-byte FCS, preamble and inter-frame gap (add 24 bytes a frame for the
 * line's share).
 */
export function wireLength(frame: EthernetFrame): number {
  return Math.max(ETHERNET_MIN_FRAME_LEN, ethernetBufferLen(frame));
}

export type FrameTap = (time: SimTime, frame: EthernetFrame, from: Interface) => void;

export class Segment {
  readonly ports: Interface[] = [];
  private readonly macTable = new Map<MacAddr, Interface>();
  readonly taps: FrameTap[] = [];
  /** Frames carried, for statistics (RIP traffic per link and the like). */
  framesCarried = 0;
  /** RIP frames carried (UDP to or from port 520) and their length on the wire (see `wireLength`). */
  ripFrames = 0;
  ripBytes = 0;

  constructor(
    readonly name: string,
    readonly kind: 'lan' | 'p2p',
    readonly delay: Duration,
    private readonly scheduler: Scheduler,
  ) {}

  attach(iface: Interface): void {
    if (this.kind === 'p2p' && this.ports.length >= 2) {
      throw new Error(`point-to-point link ${this.name} already has two ends; cannot attach ${iface.node.name}:${iface.name}`);
    }
    this.ports.push(iface);
    iface.segment = this;
  }

  /** Ports whose carrier is up (port enabled at both the switch and the interface's own cable). */
  isPortUp(iface: Interface): boolean {
    if (!iface.portUp) return false;
    if (this.kind === 'lan') return true;
    // A cable: both ends must be plugged in. Asked several times per packet, so no closure here.
    const ports = this.ports;
    return ports[0]!.portUp && (ports.length < 2 || ports[1]!.portUp);
  }

  /** Carries `frame` from `from` to the other ports after the segment's delay. */
  transmit(from: Interface, frame: EthernetFrame): void {
    if (!this.isPortUp(from)) return;
    this.framesCarried++;
    if (frame.etherType === ETHERTYPE_IPV4) {
      const packet = frame.payload as Ipv4Packet;
      // A counter, not a capture: sweeps count RIP's cost on thousands of runs. A raw payload (bytes)
      // has no ports, so reading them gives undefined; cheaper than an `in` test on every frame.
      if (packet.protocol === IPPROTO_UDP) {
        const udp = packet.payload as Partial<UdpDatagram>;
        if (udp.dstPort === RIP_PORT || udp.srcPort === RIP_PORT) {
          this.ripFrames++;
          this.ripBytes += wireLength(frame);
        }
      }
    }
    const now = this.scheduler.now;
    for (let i = 0; i < this.taps.length; i++) this.taps[i]!(now, frame, from);
    const at = now + this.delay;
    if (this.kind === 'p2p') {
      // A cable has one other end, and its MAC table stays empty: what flooding would do, without
      // the table lookup.
      const ports = this.ports;
      const other = ports[0] === from ? ports[1] : ports[0];
      if (other !== undefined && other !== from && this.isPortUp(other)) this.scheduler.post2(at, arrive, other, frame);
      return;
    }
    this.macTable.set(frame.src, from);
    const known = !isMulticastMac(frame.dst) ? this.macTable.get(frame.dst) : undefined;
    if (known !== undefined) {
      if (known !== from && this.isPortUp(known)) this.deliver(at, known, frame);
      return;
    }
    for (const port of this.ports) if (port !== from && this.isPortUp(port)) this.deliver(at, port, frame);
  }

  private deliver(at: SimTime, to: Interface, frame: EthernetFrame): void {
    this.scheduler.post2(at, arrive, to, frame);
  }

  /** Forget learned MACs (the switch is reset or a port moved). */
  flushMacTable(): void {
    this.macTable.clear();
  }
}

function arrive(to: Interface, frame: EthernetFrame): void {
  to.node.receiveFrame(to, frame);
}

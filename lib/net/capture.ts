/**
 * Packet capture, like tcpdump on an interface or a mirror port on a LAN. Frames are recorded as
 * values with their time and turned into bytes only when the capture is exported, so capturing
 * costs little while the simulation runs.
 */
import type { SimTime } from '../sim/time';
import type { EthernetFrame } from '../wire/types';
import { emitEthernet } from '../wire/ethernet';
import { PcapWriter } from '../wire/pcap';
import { isMulticastMac } from '../wire/addr';
import type { Interface } from './interface';
import type { Segment } from './segment';

export interface CapturedFrame {
  time: SimTime;
  frame: EthernetFrame;
  /** Where it was seen: `r3:Ethernet0/1` or `lan5`. */
  point: string;
  direction: 'out' | 'in' | 'wire';
}

export class Capture {
  readonly frames: CapturedFrame[] = [];
  private readonly detachers: (() => void)[] = [];
  private stopped = false;

  /** Captures everything crossing a LAN or link, as a mirror port would. */
  static onSegment(segment: Segment): Capture {
    const capture = new Capture();
    const tap = (time: SimTime, frame: EthernetFrame) => {
      if (!capture.stopped) capture.frames.push({ time, frame, point: segment.name, direction: 'wire' });
    };
    segment.taps.push(tap);
    capture.detachers.push(() => remove(segment.taps, tap));
    return capture;
  }

  /** Captures what one interface sends and receives, as tcpdump -i would. */
  static onInterface(iface: Interface): Capture {
    const capture = new Capture();
    const point = `${iface.node.name}:${iface.name}`;
    const node = iface.node;
    const out = (time: SimTime, frame: EthernetFrame, from: Interface) => {
      if (!capture.stopped && from === iface) capture.frames.push({ time, frame, point, direction: 'out' });
    };
    node.frameTaps.push(out);
    capture.detachers.push(() => remove(node.frameTaps, out));
    const segment = iface.segment;
    if (segment !== null) {
      const inbound = (time: SimTime, frame: EthernetFrame, from: Interface) => {
        if (capture.stopped || from === iface || !iface.operational) return;
        const forUs = frame.dst === iface.mac || isMulticastMac(frame.dst);
        if (forUs) capture.frames.push({ time: time + segment.delay, frame, point, direction: 'in' });
      };
      segment.taps.push(inbound);
      capture.detachers.push(() => remove(segment.taps, inbound));
    }
    return capture;
  }

  stop(): void {
    this.stopped = true;
    for (const d of this.detachers) d();
    this.detachers.length = 0;
  }

  /** Frames in time order (inbound copies are stamped at arrival, so sort). */
  sorted(): CapturedFrame[] {
    return [...this.frames].sort((a, b) => a.time - b.time);
  }

  /** The capture as a libpcap file (Ethernet link type), readable by Wireshark and tshark. */
  toPcap(): Uint8Array {
    const writer = new PcapWriter();
    for (const f of this.sorted()) writer.add(f.time, emitEthernet(f.frame));
    return writer.toBytes();
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

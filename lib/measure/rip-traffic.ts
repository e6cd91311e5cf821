/**
 * What RIP costs on each link: packets and bytes over a time window, from the segments' counters
 * (lib/net/segment.ts), so a sweep can ask it on every run for nothing.
 *
 * Bytes are frame bytes as a capture shows them (Ethernet header + IP + UDP + RIP, padded to 60),
 * what a network engineer budgets on a link; the FCS, preamble and gap (24 bytes a frame) are not
 * included. A RIP v2 response with n routes is 4 + 20n bytes of RIP, so 46 + 20n on the wire. On a
 * LAN a frame counts once however many ports it reaches; on a point-to-point link both directions
 * are summed.
 */
import type { SimTime } from '../sim/time';
import { formatDuration, toSeconds } from '../sim/time';
import type { Segment } from '../net/segment';
import type { Lab } from '../lab/lab';
import type { RipTrafficRow } from '../results/rows';


export interface RipTrafficMeter {
  readonly from: SimTime;
  readonly until: SimTime;
  /** One row per segment, in the lab's segment order; throws before the lab has run to `until`. */
  rows(): RipTrafficRow[];
}

interface Count {
  frames: number;
  bytes: number;
}

function counts(segments: Iterable<Segment>): Map<Segment, Count> {
  const m = new Map<Segment, Count>();
  for (const s of segments) m.set(s, { frames: s.ripFrames, bytes: s.ripBytes });
  return m;
}

/**
 * Counts RIP on every segment of `lab` from `from` (default: now) to `until`. Start it, run the lab
 * to `until` or beyond, then read `rows()`.
 */
export function startRipTrafficMeter(lab: Lab, window: { from?: SimTime; until: SimTime }): RipTrafficMeter {
  const from = Math.max(window.from ?? lab.now, lab.now);
  const until = window.until;
  if (until <= from) throw new Error(`RIP traffic window: until (${formatDuration(until)}) must be after from (${formatDuration(from)})`);
  const segments = [...lab.network.segments.values()];
  let start: Map<Segment, Count> | null = from === lab.now ? counts(segments) : null;
  let end: Map<Segment, Count> | null = null;
  if (start === null) lab.network.scheduler.at(from, () => (start = counts(segments)));
  // Scheduled at `until` itself: frames sent at that instant are outside [from, until).
  lab.network.scheduler.at(until, () => (end = counts(segments)));
  const seconds = toSeconds(until - from);
  return {
    from,
    until,
    rows() {
      if (start === null || end === null) throw new Error(`RIP traffic: the lab is at ${formatDuration(lab.now)}; run it to ${formatDuration(until)} first`);
      const a = start;
      const b = end;
      return segments.map((s) => {
        const packets = b.get(s)!.frames - a.get(s)!.frames;
        const bytes = b.get(s)!.bytes - a.get(s)!.bytes;
        return { link: s.name, kind: s.kind, packets, bytes, packetsPerSecond: packets / seconds, bytesPerSecond: bytes / seconds };
      });
    },
  };
}

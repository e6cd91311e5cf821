/**
 * Where a workload's CPU time goes, by part of the simulator: V8's sampling profiler (through
 * node:inspector, in the same process, no flags) runs while the workload does, and each sample is
 * put in the category of the function it was taken in (its own time, not its callees'). The bench
 * prints this per workload so the next optimisation starts from the floor, not from a guess.
 */
import { Session } from 'node:inspector';

export const PROFILE_CATEGORIES = ['scheduler', 'forwarding', 'RIP input', 'RIP output', 'RIP timers/tables', 'DNS', 'garbage collector', 'other'] as const;
export type ProfileCategory = (typeof PROFILE_CATEGORIES)[number];

/** Path fragments (of lib/, .ts under ts-node or .js under dist/) and the category they count for; first match wins. */
const RULES: [RegExp, ProfileCategory][] = [
  [/\/sim\/scheduler\.[jt]s$/, 'scheduler'],
  [/\/proto\/rip\/input\.[jt]s$/, 'RIP input'],
  [/\/proto\/rip\/output\.[jt]s$/, 'RIP output'],
  [/\/wire\/rip\.[jt]s$/, 'RIP output'],
  [/\/(proto\/rip\/(timers|table|router|prefixes)|proto\/fib|net\/rip-daemon|lab\/route-log)\.[jt]s$/, 'RIP timers/tables'],
  [/\/(net\/dns-server|wire\/dns|proto\/dns\/[a-z-]+|lab\/dns)\.[jt]s$/, 'DNS'],
  [/\/net\/(segment|node|ipv4|interface|network|udp|icmp|capture)\.[jt]s$/, 'forwarding'],
  [/\/proto\/(arp|ipv4|icmp|udp)\.[jt]s$/, 'forwarding'],
  [/\/wire\/(ethernet|ipv4|ipv4-header|arp|checksum|udp|icmp|addr|pcap)\.[jt]s$/, 'forwarding'],
];

/** The category of a frame's own code, or null for code outside the simulator (Node, V8 built-ins). */
function categoryOf(url: string, functionName: string): ProfileCategory | null {
  if (functionName === '(garbage collector)') return 'garbage collector';
  for (const [re, cat] of RULES) if (re.test(url)) return cat;
  return /\/(lib|scripts)\//.test(url) ? 'other' : null;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

function post<T>(session: Session, method: string, params: object = {}): T {
  let result: T | undefined;
  let error: Error | null = null;
  // The inspector answers a session of the main thread synchronously, inside post().
  session.post(method, params, (err, res) => {
    error = err;
    result = res as T;
  });
  if (error !== null) throw error;
  if (result === undefined) throw new Error(`inspector ${method}: no answer`);
  return result;
}

/** Runs `work` under the sampling profiler; returns its result and the share of samples per category (0–1). */
export function profileBreakdown<T>(work: () => T, intervalMicros = 500): { result: T; shares: Record<ProfileCategory, number> } {
  const session = new Session();
  session.connect();
  try {
    post(session, 'Profiler.enable');
    post(session, 'Profiler.setSamplingInterval', { interval: intervalMicros });
    post(session, 'Profiler.start');
    const result = work();
    const { profile } = post<{ profile: CpuProfile }>(session, 'Profiler.stop');
    // A built-in (Buffer.slice, a Map lookup) counts for the simulator code that called it.
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const own = new Map(profile.nodes.map((n) => [n.id, categoryOf(n.callFrame.url, n.callFrame.functionName)]));
    const categoryOfNode = new Map<number, ProfileCategory>();
    for (const n of profile.nodes) {
      let id: number | undefined = n.id;
      while (id !== undefined && own.get(id) === null) id = parent.get(id);
      categoryOfNode.set(n.id, id === undefined ? 'other' : own.get(id)!);
    }
    const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
    const time = new Map<ProfileCategory, number>(PROFILE_CATEGORIES.map((c) => [c, 0]));
    let total = 0;
    // The first sample's delta runs from the profiler's start and the last one is Profiler.stop itself.
    for (let i = 1; i < profile.samples.length - 1; i++) {
      const id = profile.samples[i]!;
      // A sample taken while the thread waited is not the workload's time.
      if (idle.has(id)) continue;
      const cat = categoryOfNode.get(id) ?? 'other';
      const dt = profile.timeDeltas[i] ?? 0;
      time.set(cat, time.get(cat)! + dt);
      total += dt;
    }
    const shares = Object.fromEntries(PROFILE_CATEGORIES.map((c) => [c, total > 0 ? time.get(c)! / total : 0])) as Record<ProfileCategory, number>;
    return { result, shares };
  } finally {
    session.disconnect();
  }
}

/** `scheduler 14% · forwarding 12% · …`, largest first. */
export function formatBreakdown(shares: Record<ProfileCategory, number>): string {
  return PROFILE_CATEGORIES.map((c) => [c, shares[c]] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([c, s]) => `${c} ${(100 * s).toFixed(0)}%`)
    .join(' · ');
}

/**
 * Benchmarks: how fast the simulator runs on this machine. Run with `npm run bench`.
 * Prints one line per benchmark and a JSON summary (for comparing runs); never part of the tests.
 */
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { Scheduler, seconds, ms } from '../lib/sim';
import { Network } from '../lib/net';
import { ipv4 } from '../lib/wire/addr';

interface Result {
  name: string;
  value: number;
  unit: string;
  wallSeconds: number;
  detail: string;
}

const results: Result[] = [];

function report(r: Result): void {
  results.push(r);
  console.log(`${r.name.padEnd(44)} ${r.value.toExponential(3).padStart(10)} ${r.unit.padEnd(12)} (${r.wallSeconds.toFixed(2)} s wall; ${r.detail})`);
}

/** Raw scheduler throughput: many self-rescheduling timers, like protocol timers in a big lab. */
function schedulerEvents(): void {
  const s = new Scheduler();
  const timers = 10_000;
  for (let i = 0; i < timers; i++) {
    const period = 1000 + (i % 97);
    const tick = (now: number) => {
      s.at(now + period, tick);
    };
    s.at(i % 1000, tick);
  }
  const t0 = performance.now();
  s.runUntil(seconds(1));
  const wall = (performance.now() - t0) / 1000;
  report({ name: 'scheduler events', value: s.eventsExecuted / wall, unit: 'events/s', wallSeconds: wall, detail: `${s.eventsExecuted} events, ${timers} timers` });
}

/**
 * Forwarding throughput: a host sends UDP through a chain of routers (static routes) to another
 * host; every hop is an ARP-resolved, TTL-decremented, queued, delayed forward.
 */
function forwarding(): void {
  const routers = 8;
  const net = new Network(1);
  const addr = (a: number, b: number) => ipv4(`10.${a}.${b}.0`);
  const left = net.addNode('left', 'host', 'linux');
  const right = net.addNode('right', 'host', 'linux');
  const chain = Array.from({ length: routers }, (_, i) => net.addNode(`r${i}`, 'router', 'linux'));
  const link = (i: number) => net.addSegment(`l${i}`, 'p2p', ms(0.1));
  // link i joins element i and i+1 of [left, r0..r7, right], subnet 10.i.0.0/24: .1 on the left, .2 on the right.
  const path = [left, ...chain, right];
  for (let i = 0; i + 1 < path.length; i++) {
    const seg = link(i);
    const a = path[i]!.addInterface(`e${i}r`, 0x02_00_00_00_10_00 + i);
    const b = path[i + 1]!.addInterface(`e${i}l`, 0x02_00_00_00_20_00 + i);
    a.addresses.push({ address: addr(i, 0) + 1, prefixLength: 24, label: null });
    b.addresses.push({ address: addr(i, 0) + 2, prefixLength: 24, label: null });
    net.connect(a, seg);
    net.connect(b, seg);
  }
  for (let k = 0; k < path.length; k++) {
    const node = path[k]!;
    for (let i = 0; i + 1 < path.length; i++) {
      if (i === k || i + 1 === k) continue; // connected
      const via = i > k ? addr(k, 0) + 2 : addr(k - 1, 0) + 1;
      node.staticRoutes.push({ prefix: addr(i, 0), prefixLength: 24, via, device: null });
    }
  }
  net.bootAll();
  for (const r of chain) r.forwarding = true;
  const dst = addr(path.length - 2, 0) + 2;
  let received = 0;
  right.udpBind(0, 9, { onMessage: () => received++ });
  const socket = left.udpBind(0, 0, { onMessage: () => undefined });
  const payload = new Uint8Array(64);
  const packets = 100_000;
  const gap = 250; // one packet every 250 µs: slower than the routers process them, so queues stay short
  for (let i = 0; i < packets; i++) net.scheduler.at(seconds(1) + i * gap, () => socket.send(dst, 9, payload));
  const t0 = performance.now();
  net.run(seconds(1) + packets * gap + seconds(1));
  const wall = (performance.now() - t0) / 1000;
  const forwarded = net.forwardedPackets;
  if (received !== packets) throw new Error(`forwarding bench lost packets: ${received}/${packets}`);
  report({ name: 'forwarded packets (8-router chain, UDP)', value: forwarded / wall, unit: 'packets/s', wallSeconds: wall, detail: `${forwarded} forwards, ${net.scheduler.eventsExecuted} events` });
}

function main(): void {
  console.log(`anycast-lab benchmarks on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}`);
  schedulerEvents();
  forwarding();
  console.log(JSON.stringify({ node: process.version, results }, null, 1));
}

main();

/**
 * A network: the clock, the nodes and the wires between them. Built by lib/lab from a LabSpec, or
 * by hand in tests and generators.
 */
import type { Duration, SimTime } from '../sim/time';
import { Scheduler } from '../sim/scheduler';
import { Rng } from '../sim/rng';
import type { MacAddr } from '../wire/types';
import { NetNode, STACK_PROFILES, type NodeOs, type StackProfile } from './node';
import { Segment } from './segment';
import type { Interface } from './interface';
import { ServiceRegistry } from './service';
import { setFlagsFromString } from 'node:v8';

// V8 "pretenures" an allocation site, allocating its objects straight in the old generation, once
// enough of them survived a scavenge. Building a big lab makes the per-packet sites (frames, packet
// copies, RIP messages) look long-lived, so for the rest of the run every short-lived frame goes to
// old space and waits for a full collection: the 32×32 grid of `npm run bench` peaked at 788 MiB
// with it and 447 MiB without (17.3 s and 16.1 s CPU, 2026-12-04). It changes only where V8
// allocates, not what the simulation computes. Not in a browser, which has no such switch.
if (typeof process !== 'undefined' && process.release?.name === 'node') setFlagsFromString('--no-allocation-site-pretenuring');

export class Network {
  readonly scheduler = new Scheduler();
  readonly rng: Rng;
  readonly nodes = new Map<string, NetNode>();
  readonly segments = new Map<string, Segment>();
  /**
   * State shared by every node of this network, by kind (lib/net/service.ts): RIP's prefix
   * dictionary. Each node holds it as `node.shared`.
   */
  readonly shared = new ServiceRegistry();

  constructor(readonly seed: number) {
    this.rng = Rng.fromSeed(seed);
  }

  get now(): SimTime {
    return this.scheduler.now;
  }

  addNode(name: string, kind: 'router' | 'host', os: NodeOs, overrides: Partial<StackProfile> = {}): NetNode {
    if (this.nodes.has(name)) throw new Error(`duplicate node name ${name}`);
    const profile: StackProfile = { ...STACK_PROFILES[os], ...overrides };
    const node = new NetNode(name, kind, profile, this.scheduler, this.rng.fork(`node/${name}`), this.shared);
    this.nodes.set(name, node);
    return node;
  }

  addSegment(name: string, kind: 'lan' | 'p2p', delay: Duration): Segment {
    if (this.segments.has(name)) throw new Error(`duplicate segment name ${name}`);
    const segment = new Segment(name, kind, delay, this.scheduler);
    this.segments.set(name, segment);
    return segment;
  }

  node(name: string): NetNode {
    const node = this.nodes.get(name);
    if (node === undefined) throw new Error(`no node named "${name}" (nodes: ${[...this.nodes.keys()].join(', ')})`);
    return node;
  }

  /** Cable interface `iface` into `segment`. */
  connect(iface: Interface, segment: Segment): void {
    segment.attach(iface);
  }

  /** Takes a port's cable out (or puts it back). On a p2p link both ends lose carrier. */
  setLink(iface: Interface, up: boolean): void {
    iface.portUp = up;
    const segment = iface.segment;
    const affected = segment !== null && segment.kind === 'p2p' ? segment.ports : [iface];
    for (const i of affected) i.node.interfaceChanged(i);
  }

  /** Boots every node at the current time, in insertion order. */
  bootAll(): void {
    for (const node of this.nodes.values()) node.boot();
  }

  run(until: SimTime): void {
    this.scheduler.runUntil(until);
  }

  runFor(duration: Duration): void {
    this.scheduler.runFor(duration);
  }

  /** Packets forwarded by all nodes so far. */
  get forwardedPackets(): number {
    let n = 0;
    for (const node of this.nodes.values()) n += node.forwardedPackets;
    return n;
  }
}

/** Deterministic locally administered MAC for nodes built in code (02:xx:...). */
export function syntheticMac(nodeIndex: number, ifIndex: number): MacAddr {
  return 0x02_00_00_00_00_00 + nodeIndex * 0x100 + ifIndex;
}

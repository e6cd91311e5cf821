/**
 * A bench for RIP routers without a network stack: routers are wired point to point through a
 * scheduler with a fixed delay, so every timer rule can be checked at exact simulated times.
 * Test-only (imports nothing above lib/proto).
 */
import { Scheduler, type Timer } from '../../sim/scheduler';
import { Rng } from '../../sim/rng';
import { ms, type SimTime } from '../../sim/time';
import { RipPayload, RIP_MULTICAST_GROUP, RIP_PORT } from '../../wire/rip';
import { ipv4 } from '../../wire/addr';
import { defaultRipConfig, type RipConfig, type RipProfile } from './params';
import { PrefixTable } from './prefixes';
import { RipRouter, type RipEventKind, type RipInterfaceView } from './router';
import type { RipPath } from './table';

export interface FakeIface extends RipInterfaceView {
  index: number;
  name: string;
  addresses: { address: number; prefixLength: number }[];
  operational: boolean;
  loopback: boolean;
}

export interface Sent {
  t: SimTime;
  from: string;
  ifIndex: number;
  dst: number;
  command: number;
  /** `prefix/len metric` per entry. */
  entries: string[];
}

export interface Arrival {
  t: SimTime;
  from: string;
  to: string;
  command: number;
}

export interface BenchRouter {
  name: string;
  router: RipRouter;
  ifaces: FakeIface[];
  events: { t: SimTime; kind: RipEventKind; prefix: string }[];
  /** Forwarding changes: prefix → paths after the change (empty = withdrawn). */
  fib: { t: SimTime; prefix: string; paths: RipPath[] }[];
  /** Packets from this router are dropped (a dead neighbour) when true. */
  mute: boolean;
  timer: Timer;
}

interface Wire {
  a: { r: string; i: number };
  b: { r: string; i: number };
}

export class RipBench {
  readonly sched = new Scheduler();
  readonly prefixes = new PrefixTable();
  readonly routers = new Map<string, BenchRouter>();
  readonly sent: Sent[] = [];
  readonly arrivals: Arrival[] = [];
  private readonly wires: Wire[] = [];
  private readonly rng = Rng.fromSeed(7);

  constructor(readonly delay = ms(1)) {}

  get now(): SimTime {
    return this.sched.now;
  }

  /** A router with interfaces `addresses[i]` = "a.b.c.d/len" (prefix `lo:` for loopback). */
  add(name: string, profile: RipProfile, addresses: string[], config: Partial<RipConfig> = {}): BenchRouter {
    const ifaces: FakeIface[] = addresses.map((text, index) => {
      const loopback = text.startsWith('lo:');
      const [a, l] = text.replace('lo:', '').split('/');
      return { index, name: loopback ? 'lo' : `e${index}`, addresses: [{ address: ipv4(a!), prefixLength: Number(l) }], operational: true, loopback };
    });
    const cfg: RipConfig = { ...defaultRipConfig(profile), networks: [{ prefix: ipv4('10.0.0.0'), prefixLength: 8 }], sendVersion: 2, receiveVersions: [2], ...config };
    const self = this;
    const b: BenchRouter = {
      name,
      ifaces,
      events: [],
      fib: [],
      mute: false,
      timer: this.sched.timer((now) => b.router.onTimer(now)),
      router: null as unknown as RipRouter,
    };
    b.router = new RipRouter(cfg, ifaces, this.prefixes, this.rng.fork(name), {
      setTimer(at) {
        if (at === Number.POSITIVE_INFINITY) b.timer.cancel();
        else b.timer.setAt(at);
      },
      send(ifIndex, _src, dst, _dstPort, payload) {
        self.transmit(b, ifIndex, dst, payload);
      },
      routeChanged(id) {
        b.fib.push({ t: self.now, prefix: self.prefixText(id), paths: b.router.forwardingPaths(id) });
      },
      routeRefreshed() {},
      event(kind, id, now) {
        b.events.push({ t: now, kind, prefix: self.prefixText(id) });
      },
      staticRoutes: () => [],
    });
    this.routers.set(name, b);
    return b;
  }

  /** A point-to-point wire between interface `ai` of `a` and `bi` of `b`. */
  link(a: string, ai: number, b: string, bi: number): void {
    this.wires.push({ a: { r: a, i: ai }, b: { r: b, i: bi } });
  }

  start(): void {
    for (const r of this.routers.values()) r.router.start(this.now);
  }

  run(until: SimTime): void {
    this.sched.runUntil(until);
  }

  prefixText(id: number): string {
    const a = this.prefixes.addresses[id]!;
    return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${this.prefixes.lengths[id]}`;
  }

  /** The paths `router` forwards `prefix` on now (empty: none). */
  paths(router: string, prefix: string): RipPath[] {
    const [a, l] = prefix.split('/');
    const id = this.prefixes.lookup(ipv4(a!), Number(l));
    return id < 0 ? [] : this.routers.get(router)!.router.forwardingPaths(id);
  }

  /** The RIP metric `router` has for `prefix` (16 when none). */
  metric(router: string, prefix: string): number {
    const [a, l] = prefix.split('/');
    const id = this.prefixes.lookup(ipv4(a!), Number(l));
    return id < 0 ? 16 : this.routers.get(router)!.router.table.metricOf(id);
  }

  /** Takes an interface down (or up) and tells its router. */
  setInterface(router: string, ifIndex: number, up: boolean): void {
    const r = this.routers.get(router)!;
    r.ifaces[ifIndex]!.operational = up;
    r.router.onInterfaceChange(this.now, ifIndex);
  }

  private transmit(from: BenchRouter, ifIndex: number, dst: number, payload: RipPayload | Uint8Array): void {
    if (!(payload instanceof RipPayload)) throw new Error('the bench only carries compact payloads');
    const entries: string[] = [];
    for (let i = 0; i < (payload.buf === null ? 0 : payload.count); i++) entries.push(`${this.prefixText(payload.prefixId(i))} ${payload.metric(i)}`);
    this.sent.push({ t: this.now, from: from.name, ifIndex, dst, command: payload.command, entries });
    if (from.mute) return;
    const src = from.ifaces[ifIndex]!.addresses[0]!.address;
    for (const w of this.wires) {
      const [me, peer] = w.a.r === from.name && w.a.i === ifIndex ? [w.a, w.b] : w.b.r === from.name && w.b.i === ifIndex ? [w.b, w.a] : [null, null];
      if (me === null || peer === null) continue;
      const to = this.routers.get(peer.r)!;
      const reaches = (a: { address: number; prefixLength: number }) => a.address === dst || dst === 0xffffffff || (dst | ((1 << (32 - a.prefixLength)) - 1)) >>> 0 === dst && ((dst ^ a.address) >>> (32 - a.prefixLength)) === 0;
      if (dst !== RIP_MULTICAST_GROUP && !to.ifaces[peer.i]!.addresses.some(reaches)) continue;
      this.sched.after(this.delay, (now) => {
        if (!to.ifaces[peer.i]!.operational || !from.ifaces[ifIndex]!.operational) return;
        this.arrivals.push({ t: now, from: from.name, to: to.name, command: payload.command });
        to.router.onPacket(now, peer.i, src, RIP_PORT, payload);
      });
    }
  }
}

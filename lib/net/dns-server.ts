/**
 * named as a Service on a NetNode: one UDP socket on port 53 per IPv4 address that exists (and
 * matches `listen-on`) when it starts, as BIND does (ns_interfacemgr_scan: "listening on IPv4
 * interface eth1, 10.128.5.2#53"; never a wildcard socket), rescans every `interface-interval` and,
 * for BIND 9.18 on Linux, at once when an address appears (automatic-interface-scan). Run with
 * `-u bind`, a rescan cannot bind port 53 unless the build keeps CAP_NET_BIND_SERVICE (profile).
 *
 * Stopping closes the sockets: the host then answers queries with ICMP port unreachable (the
 * write-up's §3.4 capture). A crash does the same without the goodbye log line.
 */
import type { SimTime } from '../sim/time';
import type { Ipv4Addr } from '../wire/types';
import { payloadBytes } from '../wire/dns';
import { ipv4ToString } from '../wire/addr';
import { DnsServerCore, aclAllows, type BindProfile, type LocalAddress } from '../proto/dns/server';
import type { NetNode, Service, UdpSocket } from './node';

export interface NamedServiceOptions {
  /** Zones and options; replaceable (a reconfiguration). */
  core: DnsServerCore;
  profile: BindProfile;
  /** `-u bind` in /etc/default/bind9 (Debian's default): named drops root after binding. */
  runAsUser: boolean;
  /**
   * Addresses that did not exist yet when named started at boot (its start came before the setup
   * step that added them, e.g. `lo:0` after `apt-get install bind9`): found only by a rescan.
   */
  lateAddresses?: readonly Ipv4Addr[];
}

export interface NamedLogLine {
  time: SimTime;
  node: string;
  text: string;
}

export class NamedService implements Service {
  readonly name = 'named';
  /** Whether the daemon is running (the host may be up with named stopped). */
  active = false;
  /** Start named when the node boots (systemd/rc enabled). */
  enabled = true;
  readonly log: NamedLogLine[] = [];
  /** Answered and dropped queries, for tests and tables. */
  queries = 0;
  private readonly sockets = new Map<Ipv4Addr, UdpSocket>();
  private generation = 0;
  private late: Set<Ipv4Addr>;
  private unsubscribe: (() => void) | null = null;

  constructor(readonly options: NamedServiceOptions) {
    this.late = new Set(options.lateAddresses ?? []);
  }

  get profile(): BindProfile {
    return this.options.profile;
  }

  /** The addresses named has a socket on now. */
  listening(): Ipv4Addr[] {
    return [...this.sockets.keys()];
  }

  start(node: NetNode): void {
    if (this.enabled) this.startDaemon(node, true);
  }

  stop(node: NetNode, graceful: boolean): void {
    if (this.active) this.shutdown(node, graceful ? 'exiting' : null);
  }

  /** `service bind9 start`. */
  startDaemon(node: NetNode, atBoot = false): void {
    if (this.active || !node.running) return;
    this.active = true;
    this.generation++;
    this.say(node, `starting BIND ${this.profile.version}${this.options.runAsUser ? ' -u bind' : ''}`);
    // Every start binds as root, before dropping privileges; addresses still to come at boot are not there yet.
    this.scan(node, true, atBoot ? this.late : new Set());
    if (!atBoot) this.late.clear();
    this.say(node, 'running');
    const gen = this.generation;
    const interval = this.options.core.options.interfaceInterval ?? this.profile.interfaceInterval;
    if (interval > 0) {
      const tick = () => {
        if (!this.active || this.generation !== gen) return;
        this.late.clear();
        this.scan(node, false, new Set());
        node.afterGuarded(interval, tick);
      };
      node.afterGuarded(interval, tick);
    }
    const automatic = this.options.core.options.automaticInterfaceScan ?? this.profile.automaticInterfaceScan;
    if (automatic) {
      const listener = () => {
        if (!this.active || this.generation !== gen) return;
        node.afterGuarded(this.profile.automaticScanDelay, () => {
          if (this.active && this.generation === gen) this.scan(node, false, new Set());
        });
      };
      node.linkListeners.push(listener);
      this.unsubscribe = () => {
        const i = node.linkListeners.indexOf(listener);
        if (i >= 0) node.linkListeners.splice(i, 1);
      };
      if (this.late.size > 0) {
        // The address appears right after named started: the route socket tells 9.18 at once.
        node.afterGuarded(this.profile.automaticScanDelay, () => {
          if (this.active && this.generation === gen) {
            this.late.clear();
            this.scan(node, false, new Set());
          }
        });
      }
    }
  }

  /** `service bind9 stop` (graceful) or `kill -9` / a crash (not graceful). */
  stopDaemon(node: NetNode, graceful = true): void {
    if (this.active) this.shutdown(node, graceful ? 'exiting' : null);
  }

  /** SIGHUP / `rndc reconfig`: rescan now. */
  rescan(node: NetNode): void {
    if (this.active) {
      this.late.clear();
      this.scan(node, false, new Set());
    }
  }

  /** Tells an automatic-scanning named that the node's addresses changed (an `ip addr add`). */
  addressesChanged(node: NetNode): void {
    const automatic = this.options.core.options.automaticInterfaceScan ?? this.profile.automaticInterfaceScan;
    if (this.active && automatic) node.afterGuarded(this.profile.automaticScanDelay, () => this.rescan(node));
  }

  private shutdown(node: NetNode, message: string | null): void {
    for (const s of this.sockets.values()) {
      try {
        s.close();
      } catch {
        // the node halted: its socket table is gone already
      }
    }
    this.sockets.clear();
    this.active = false;
    this.generation++;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (message !== null) this.say(node, message);
  }

  /**
   * The addresses of the node's administratively up interfaces. The records themselves, in one
   * array refilled per call: the core reads them during `handle` and keeps nothing (a fresh array
   * and a copy of each record per query were most of named's garbage).
   */
  private localAddresses(node: NetNode): LocalAddress[] {
    const out = this.localScratch;
    // Written only where it changed: emptying the array and pushing again reallocated its store.
    let n = 0;
    for (const i of node.interfaces) {
      if (!i.adminUp) continue;
      for (const a of i.addresses) {
        if (out[n] !== a) out[n] = a;
        n++;
      }
    }
    if (out.length !== n) out.length = n;
    return out;
  }

  private readonly localScratch: LocalAddress[] = [];

  private scan(node: NetNode, asRoot: boolean, skip: ReadonlySet<Ipv4Addr>): void {
    if (!node.running) return;
    const local = [...this.localAddresses(node)];
    const wanted = new Set<Ipv4Addr>();
    for (const i of node.interfaces) {
      if (!i.adminUp) continue;
      for (const a of i.addresses) {
        if (skip.has(a.address)) continue;
        const listenOn = this.options.core.options.listenOn;
        if (listenOn !== null && !aclAllows(listenOn, a.address, local)) continue;
        wanted.add(a.address);
      }
    }
    for (const [addr, s] of this.sockets) {
      if (!wanted.has(addr)) {
        s.close();
        this.sockets.delete(addr);
        this.say(node, `no longer listening on ${ipv4ToString(addr)}#53`);
      }
    }
    const privileged = asRoot || !this.options.runAsUser || this.profile.bindsPort53AfterSetuid;
    for (const addr of wanted) {
      if (this.sockets.has(addr)) continue;
      const iface = node.interfaces.find((i) => i.addresses.some((a) => a.address === addr))!;
      if (!privileged) {
        // bind(2) to port 53 without CAP_NET_BIND_SERVICE: EACCES (ns_interface_setup).
        this.say(node, `could not listen on UDP socket: permission denied`);
        this.say(node, `creating IPv4 interface ${iface.name} failed; interface ignored`);
        continue;
      }
      try {
        const socket = node.udpBind(addr, 53, { onMessage: (payload, meta) => this.onQuery(node, addr, payload, meta.src, meta.srcPort) });
        this.sockets.set(addr, socket);
        this.say(node, `listening on IPv4 interface ${iface.name}, ${ipv4ToString(addr)}#53`);
      } catch (e) {
        this.say(node, `binding ${ipv4ToString(addr)}#53: ${(e as Error).message}`);
      }
    }
  }

  private onQuery(node: NetNode, local: Ipv4Addr, payload: Parameters<typeof payloadBytes>[0], src: Ipv4Addr, srcPort: number): void {
    this.queries++;
    const outcome = this.options.core.handle(payloadBytes(payload), { client: src, local: this.localAddresses(node) });
    if (outcome.kind === 'dropped') return;
    const socket = this.sockets.get(local);
    // BIND's sockets are unconnected and leave DF to the kernel's default (set on Linux).
    socket?.send(src, srcPort, outcome.bytes);
  }

  private say(node: NetNode, text: string): void {
    this.log.push({ time: node.now, node: node.name, text });
  }
}



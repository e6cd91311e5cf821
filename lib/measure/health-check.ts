/**
 * The "some sort of monitoring" the write-up asks for (§4.3.5): a health check beside named on an
 * anycast server, as an operator would script it:
 *
 *   while sleep $interval; do
 *     if dig +tries=1 +time=$timeout @127.0.0.1 test >/dev/null; then ok; else failed; fi
 *   done
 *
 * After `fall` failed checks in a row it takes the anycast alias down (`ifconfig lo:0 down`): the
 * address leaves `lo`, zebra tells ripd, and ripd poisons the route in a triggered update (ripd
 * `rip_interface_address_delete()` → `rip_redistribute_delete()`: metric 16, garbage timer, RFC 2453
 * §3.10.1's 1–5 s pacing for the updates after the first). After `rise` good checks in a row it
 * puts the alias back and ripd advertises the route again.
 *
 * It runs as a service of the node: it starts at boot and dies with a halt (the check is only as
 * alive as the host it runs on), and it keeps running when named stops — that is its point.
 */
import type { Duration, SimTime } from '../sim/time';
import { formatDuration, seconds } from '../sim/time';
import { tryParseIpv4 } from '../wire/addr';
import type { NetNode, Service } from '../net/node';
import type { Lab } from '../lab/lab';
import { loopbackAliases } from '../lab/lab';
import { namedOf, nodeDns } from '../lab/dns';
import type { ConsoleProcess } from '../lab/consoles/process';
import { dnsTools } from './dns-tools';
import { lookupResult, singleTry } from './probes';

/** The health check's knobs; every one has a default, so `{}` is a working check. */
export interface HealthCheckOptions {
  /**
   * Time between the starts of two checks (a check that takes longer delays the next one).
   * @defaultValue 2 s
   */
  interval?: Duration;
  /** How long a check waits for named (`dig +time`). @defaultValue 1 s */
  timeout?: Duration;
  /**
   * Failed checks in a row that take the route down.
   * @defaultValue 1 (the lab loses no packets, so one failed check means named is gone; on a real
   * network operators take 2–3, as HAProxy's `fall 3`, at the cost of as many intervals)
   */
  fall?: number;
  /** Good checks in a row that bring the route back. @defaultValue 1 */
  rise?: number;
  /** The name asked for, with the server's search list. @defaultValue 'test' (test.home in the lab) */
  name?: string;
  /** The named asked: the local one, on an address that stays when the anycast alias goes. @defaultValue '127.0.0.1' */
  server?: string;
  /** The alias taken down and up. @defaultValue every alias on the node's loopback (the lab's `lo:0`) */
  alias?: string;
}

/** What the check did, as tidy rows. */
export interface HealthCheckEvent {
  t: SimTime;
  node: string;
  /** `withdrawn`: the alias went down after `fall` failures; `restored`: up again after `rise` successes. */
  kind: 'withdrawn' | 'restored';
}

const DEFAULTS = { interval: seconds(2), timeout: seconds(1), fall: 1, rise: 1, name: 'test', server: '127.0.0.1' };

function positiveCount(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`health check ${name}: expected a whole number ≥ 1, got ${value}`);
  return value;
}

export class HealthCheckService implements Service {
  readonly name = 'health-check';
  /** Every withdrawal and restoration, in time order. */
  readonly events: HealthCheckEvent[] = [];
  readonly interval: Duration;
  readonly timeout: Duration;
  readonly fall: number;
  readonly rise: number;
  private readonly server: number;
  private readonly labels: string[];
  private failures = 0;
  private successes = 0;
  private withdrawn = false;
  private process: ConsoleProcess | null = null;

  constructor(
    readonly node: NetNode,
    private readonly options: HealthCheckOptions = {},
  ) {
    this.interval = options.interval ?? DEFAULTS.interval;
    this.timeout = options.timeout ?? DEFAULTS.timeout;
    if (this.interval <= 0) throw new Error(`health check interval: must be longer than 0s, got ${formatDuration(this.interval)}`);
    if (this.timeout <= 0) throw new Error(`health check timeout: must be longer than 0s, got ${formatDuration(this.timeout)}`);
    this.fall = positiveCount('fall', options.fall ?? DEFAULTS.fall);
    this.rise = positiveCount('rise', options.rise ?? DEFAULTS.rise);
    const server = tryParseIpv4(options.server ?? DEFAULTS.server);
    if (server === null) throw new Error(`health check server: expected an IPv4 address such as 127.0.0.1, got "${options.server}"`);
    this.server = server;
    this.labels = options.alias !== undefined ? [options.alias] : loopbackAliases(node);
    if (this.labels.length === 0 || !this.labels.every((l) => node.interfaces.some((i) => i.addresses.some((a) => a.label === l)))) {
      throw new Error(`health check on ${node.name}: no alias ${options.alias ?? 'on its loopback (such as lo:0)'} to take down`);
    }
  }

  /** Whether the check has the anycast route down now. */
  get isWithdrawn(): boolean {
    return this.withdrawn;
  }

  start(node: NetNode): void {
    // A boot brings the alias up (the setup script), and the check starts from a clean slate.
    this.failures = 0;
    this.successes = 0;
    this.withdrawn = false;
    node.afterGuarded(this.interval, (now) => this.check(now));
  }

  stop(): void {
    // Its timers are guarded by the node's epoch: a halt voids them. An outstanding dig dies too.
    if (this.process !== null) this.process.exited = true;
    this.process = null;
  }

  private check(startedAt: SimTime): void {
    const node = this.node;
    // NOTE: dig's process start-up (TOOL_OVERHEAD in consoles/dns.ts, ~40 ms) is left out: the check
    // asks at its tick. Against a 1–10 s interval it shifts the verdict by under 1 %.
    const d = nodeDns(node);
    const p = dnsTools().newProcess(node.scheduler);
    this.process = p;
    const conf = { ...d.resolvConf, nameservers: [this.server] };
    dnsTools().startLookup(p, node, this.options.name ?? DEFAULTS.name, 'A', conf, singleTry(d.tools, this.timeout), () => {}, (o) => {
      if (p.exited) return;
      p.exited = true;
      this.process = null;
      this.verdict(node.now, lookupResult(o, {}).outcome === 'answer');
      node.scheduleGuarded(Math.max(startedAt + this.interval, node.now), (now) => this.check(now));
    });
  }

  private verdict(now: SimTime, ok: boolean): void {
    if (ok) {
      this.failures = 0;
      this.successes++;
      if (this.withdrawn && this.successes >= this.rise) this.setRoute(now, true);
    } else {
      this.successes = 0;
      this.failures++;
      if (!this.withdrawn && this.failures >= this.fall) this.setRoute(now, false);
    }
  }

  private setRoute(now: SimTime, up: boolean): void {
    for (const label of this.labels) this.node.setAliasUp(label, up);
    this.withdrawn = !up;
    // named 9.18 follows address changes at once (automatic-interface-scan); 9.10 at its next rescan.
    namedOf(this.node)?.addressesChanged(this.node);
    this.events.push({ t: now, node: this.node.name, kind: up ? 'restored' : 'withdrawn' });
  }
}

/**
 * Starts a health check on `nodeName` (an anycast server) from now on. Returns the service, whose
 * `events` say when it withdrew and restored the route.
 */
export function attachHealthCheck(lab: Lab, nodeName: string, options: HealthCheckOptions = {}): HealthCheckService {
  const node = lab.network.nodes.get(nodeName);
  if (node === undefined) throw new Error(`health check: no node "${nodeName}" in lab ${lab.spec.name} (nodes: ${[...lab.network.nodes.keys()].join(', ')})`);
  if (namedOf(node) === null) throw new Error(`health check on ${nodeName}: it does not run named (its setup installs no bind9)`);
  const service = new HealthCheckService(node, options);
  node.services.push(service);
  if (node.running) service.start(node);
  return service;
}

/** A health check on every node that runs named and has an alias on its loopback: the anycast servers. */
export function attachHealthChecks(lab: Lab, options: HealthCheckOptions = {}): HealthCheckService[] {
  const out: HealthCheckService[] = [];
  for (const node of lab.network.nodes.values()) {
    if (namedOf(node) === null || loopbackAliases(node).length === 0) continue;
    out.push(attachHealthCheck(lab, node.name, options));
  }
  return out;
}

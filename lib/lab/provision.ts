/**
 * What a node's setup script does at every boot that the network can see. Addresses and routes are
 * configuration (built into the node); this runs the rest as traffic. Today: the `ping -c1 <gateway>`
 * lines the write-up's scripts end with. They matter: that ping teaches the router the host's MAC,
 * so the router does not drop the first packet it forwards to the host while it ARPs (IOS drops the
 * packet that triggers resolution). Without it, the write-up's first `ping -c1` from xenial3 to
 * xenial1 would be lost.
 */
import { seconds } from '../sim/time';
import { IPPROTO_ICMP } from '../wire/types';
import { tryParseIpv4 } from '../wire/addr';
import type { BootStep, NodeSpec } from '../config/spec';
import type { NetNode, Service } from '../net/node';

/**
 * NOTE: the real scripts reach their final ping after package installs, minutes into the boot;
 * we run it 2 s after boot (one echo per count, 1 s apart), which is the same to the network
 * except for timing nobody measured.
 */
const FIRST_PING_AFTER_BOOT = seconds(2);

/** Each node's boot pings, read once per spec: a distribution boots the same spec hundreds of times. */
const PINGS = new WeakMap<NodeSpec, readonly { target: number; count: number }[]>();

export class SetupScriptService implements Service {
  readonly name = 'setup-script';
  private readonly pings: readonly { target: number; count: number }[];

  constructor(spec: NodeSpec) {
    let pings = PINGS.get(spec);
    if (pings === undefined) {
      pings = spec.bootSteps
        .filter((s): s is Extract<BootStep, { kind: 'ping' }> => s.kind === 'ping')
        .map((s) => ({ target: tryParseIpv4(s.target), count: Math.min(s.count ?? 1, 5) }))
        .filter((p): p is { target: number; count: number } => p.target !== null);
      PINGS.set(spec, pings);
    }
    this.pings = pings;
  }

  get hasWork(): boolean {
    return this.pings.length > 0;
  }

  start(node: NetNode): void {
    let at = FIRST_PING_AFTER_BOOT;
    const id = node.rng.int(1, 0xffff);
    let seq = 0;
    for (const p of this.pings) {
      for (let i = 0; i < p.count; i++) {
        const mySeq = ++seq;
        node.afterGuarded(at, () => {
          node.sendIp({ tos: 0, id: node.nextIpId(), dontFragment: true, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: IPPROTO_ICMP, src: 0, dst: p.target, payload: { kind: 'echo-request', id, seq: mySeq, data: new Uint8Array(56) } });
        });
        at += seconds(1);
      }
    }
  }

  stop(): void {
    // Nothing to stop: its pings are scheduled with afterGuarded, voided by the halt itself.
  }
}

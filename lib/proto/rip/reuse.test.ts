// The reuse of update messages (output.ts CachedUpdate) and of what a receiver learned from them
// (the response memo, input.ts) is an optimisation only: with it and without it, every lab below must
// put the same bytes on every link and make the same forwarding-table changes at the same times.
// The labs cover what invalidates the reuse: equal-cost paths (feature-ecmp), RIP-1 and per-
// interface versions (feature-versions), passive interfaces and unicast neighbours (feature-
// passive), redistribution (feature-redistribute), IOS hold-down and offset lists (ios-features),
// BFD dropping a peer (anycast-bfd), a LAN of three routers taking the same payloads (anycast-3site);
// each with a router halted and booted again and a link taken down mid-run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Lab } from '../../lab/lab';
import { messageReuse } from './output';

const LABS = join(__dirname, '..', '..', '..', 'data', 'labs');

/** A digest of every link's capture and the route log of a 10-minute run with failures. */
function run(labName: string, reuse: boolean): { pcaps: string; routes: string; frames: number } {
  messageReuse.enabled = reuse;
  try {
    const options = labName.startsWith('anycast') && labName !== 'anycast-bfd' ? { do_anycast: true } : {};
    const probe = Lab.load(join(LABS, labName), options);
    const routers = [...probe.network.nodes.values()].filter((n) => n.interfaces.some((i) => !i.loopback)).map((n) => n.name).sort();
    const victim = routers[0]!;
    const other = routers[routers.length - 1]!;
    const otherIface = probe.network.nodes.get(other)!.interfaces.find((i) => !i.loopback)!.name;
    const lab = Lab.load(join(LABS, labName), { ...options, seed: 3, failures: [`${victim}:reboot=70s@100s`, `${other}:${otherIface}:link-down@250s`, `${other}:${otherIface}:link-up@330s`] });
    const captures = [...lab.network.segments.keys()].sort().map((name) => lab.capture(name));
    lab.runUntil('10m');
    const hash = createHash('sha256');
    let frames = 0;
    for (const c of captures) {
      hash.update(c.toPcap());
      frames += c.sorted().length;
    }
    return { pcaps: hash.digest('hex'), routes: JSON.stringify(lab.routeLog.rows()), frames };
  } finally {
    messageReuse.enabled = true;
  }
}

for (const lab of ['feature-ecmp', 'feature-versions', 'feature-passive', 'feature-redistribute', 'ios-features', 'anycast-bfd', 'anycast-3site']) {
  test(`${lab}: the same captures and route changes with and without message reuse`, () => {
    const reused = run(lab, true);
    const fresh = run(lab, false);
    // A run that sent nothing would compare equal for nothing.
    assert.ok(reused.frames > 100, `${lab}: only ${reused.frames} frames captured`);
    assert.ok(reused.routes.length > 100, `${lab}: no route changes logged`);
    assert.equal(reused.pcaps, fresh.pcaps, `${lab}: captures differ`);
    assert.equal(reused.routes, fresh.routes, `${lab}: route logs differ`);
  });
}

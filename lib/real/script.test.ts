/**
 * The example script (data/labs/feature-passive/drain.script) simulated and on real FRR 8.4.4: after
 * each step, every `show ip route` the script takes gives the same routing table (uptimes aside:
 * lib/results/show.ts normaliseShow). The real side is the saved record of `anycast-lab real run
 * feature-passive --script … --out data/real/feature-passive/script.json`; with root and
 * ANYCAST_LAB_REAL_SCRIPT=1 the script is run on the real lab again instead (about 95 s).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Lab } from '../lab/lab';
import { loadScript } from '../config/script';
import { normaliseShow } from '../results/show';
import { runRealScript, type RealScriptRecord } from './script';

const LAB = join(__dirname, '..', '..', 'data', 'labs', 'feature-passive');
const SCRIPT = join(LAB, 'drain.script');
const RECORD = join(__dirname, '..', '..', 'data', 'real', 'feature-passive', 'script.json');

function realRecord(): RealScriptRecord {
  if (process.env['ANYCAST_LAB_REAL_SCRIPT'] === '1' && process.getuid?.() === 0) {
    return runRealScript({ labDir: LAB, script: 'drain.script', steps: loadScript(SCRIPT), prefix: `live14t-`, stateFile: '/tmp/anycast-lab-script-test/state.json' });
  }
  return JSON.parse(readFileSync(RECORD, 'utf8')) as RealScriptRecord;
}

test('drain.script: simulated and real FRR 8.4 routing tables agree after every step', () => {
  const real = realRecord();
  assert.equal(real.kind, 'real-script');
  const steps = loadScript(SCRIPT);
  assert.equal(real.steps.length, steps.length);
  const lab = Lab.load(LAB);
  let compared = 0;
  steps.forEach((step, i) => {
    const r = real.steps[i]!;
    assert.equal(r.command, step.command);
    const simulated = lab.exec(step.node, step.command, { at: step.at });
    if (!/show ip route/.test(step.command)) {
      // A configuration chain prints nothing on either side when FRR accepts it.
      if (/configure terminal/.test(step.command)) assert.equal(simulated, r.output, step.command);
      return;
    }
    assert.equal(normaliseShow('show ip route', simulated), normaliseShow('show ip route', r.output), `@${r.atSeconds}s ${step.node}: ${step.command}`);
    compared++;
  });
  // Before the drain, during it, after the routes timed out, and after it was undone.
  assert.equal(compared, 4);
});

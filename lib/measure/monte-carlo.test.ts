// The Monte Carlo engine: each draw strategy gives exactly the numbers its caller drew before the
// engine existed (failoverDistribution: one stream forked `failover/<profile>`, instants
// at + ⌊uniform(0, window)⌋; the sweep: `sweep/run/<r>` per run, lab seed then u), whatever order
// runs are asked in; and the window rule both callers share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../sim/rng';
import { seconds } from '../sim/time';
import { commonRandomNumbers, failureWindow, instantStream, monteCarloRun, runDraw, trialOf } from './monte-carlo';

test('instant stream: the lab seed for every run, run r the r-th draw of the forked stream, in any order of asking', () => {
  const window = seconds(30);
  const plan = { draws: instantStream(7, 'failover/frr'), at: seconds(120), window };
  const asked = [3, 0, 5, 1, 2, 4].map((r) => trialOf(plan, r)).sort((a, b) => a.run - b.run);
  const rng = Rng.fromSeed(7).fork('failover/frr');
  const before = Array.from({ length: 6 }, (_, run) => ({ run, labSeed: 7, at: seconds(120) + Math.floor(rng.uniform(0, window)) }));
  assert.deepEqual(asked, before);
});

test('common random numbers: run r from its own stream, the same whatever came before', () => {
  const draws = commonRandomNumbers(7);
  const late = draws.draw(4);
  for (let run = 0; run < 4; run++) draws.draw(run);
  assert.deepEqual(draws.draw(4), late);
  const rng = Rng.fromSeed(7).fork('sweep/run/4');
  assert.deepEqual(runDraw(7, 4), { labSeed: rng.int(1, 2 ** 31 - 1), u: rng.next() });
  const t = monteCarloRun({ draws, at: seconds(100), window: seconds(10) }, 4, (trial) => trial);
  assert.deepEqual(t, { run: 4, labSeed: late.labSeed, at: seconds(100) + Math.floor(late.u * seconds(10)) });
});

test('the window: as given, else the timers\' update, else the profile\'s (cisco-ios when none)', () => {
  assert.equal(failureWindow({ window: seconds(7), timers: '5 15 10', profile: 'frr' }), seconds(7));
  assert.equal(failureWindow({ timers: '5 15 10', profile: 'cisco-ios' }), seconds(5));
  assert.equal(failureWindow({ window: null, timers: null, profile: null }), seconds(30));
  assert.equal(failureWindow({ profile: 'frr' }), seconds(30));
});

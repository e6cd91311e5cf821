import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreementRow, agreementRows, agreementTable, compareLookups, compareTtls, outageAgreementRow, outageFigureRows, realColdStarts, recoveredOutages, shareLongerThan } from './compare';

test('compare: the agreement rows of every case, from simulated and real rows', () => {
  const ttls = compareTtls([{ client: 'xenial3', target: '10.128.224.2', ttl: 63, rttMs: 1 }, { client: 'xenial4', target: '10.128.5.2', ttl: null, rttMs: null }], [63, null]);
  assert.deepEqual(ttls.map((t) => [t.simulated, t.real]), [[63, 63], ['-', '-']]);
  const sim = [{ tool: 'dig', failure: 'up', seconds: 0.08 }];
  const real = [{ tool: 'dig', failure: 'up', seconds: 0.061 }];
  assert.deepEqual(compareLookups(sim, real), [{ tool: 'dig', failure: 'up', 'simulated (s)': 0.08, 'real (s)': 0.06 }]);
  const cold = agreementRow('cold start', [6, 7, 8], realColdStarts({ convergedSeconds: 7 }, [{ runs: [{ convergedSeconds: 6.5 } as never] }]), 1);
  const outage = outageAgreementRow('halt', [{ outageSeconds: 10 }, { outageSeconds: 12 }], [{ outageSeconds: 11 }], 0.4);
  assert.equal(outage.simulated, '10.0 / 11.0 / 12.0 s (2 runs)');
  assert.deepEqual(outageFigureRows('halt', [{ outageSeconds: 10 }], [{ outageSeconds: null }]), [{ profile: 'halt, simulated', outageSeconds: 10 }, { profile: 'halt, real', outageSeconds: null }]);
  const all = agreementRows({ coldStart: cold, routes: [{ node: 'r1', prefix: '10.0.0.0/24', simulated: 'a', real: 'a', same: true }], ttls, lookups: { simulated: sim, real, slack: 0.5 }, outages: [outage] });
  assert.deepEqual(all.map((r) => [r.case, r.realInSimRange, r.agree]), [
    ['cold start', '2/2', true],
    ['routing tables (next hop, RIP metric)', '1/1', true],
    ['ping TTLs', '2/2', true],
    ['dig, up: lookup', '1/1', true],
    ['halt', '1/1', true],
  ]);
  assert.equal(agreementTable(all)[0]!.agree, 'yes');
  assert.throws(() => compareLookups([], real), /no simulated lookup for tool "dig" and failure "up"/);
});

test('compare: the share of long outages among the recovered runs', () => {
  const runs = [{ outageSeconds: 2 }, { outageSeconds: 12 }, { outageSeconds: null }, { outageSeconds: 20 }];
  assert.deepEqual(recoveredOutages(runs), [2, 12, 20]);
  assert.equal(shareLongerThan(runs, 10), '67%');
});

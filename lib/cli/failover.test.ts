/** `failover`'s outage line says what was measured, also when no probe followed the failure. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './main';

test('failover with no probe after the failure says so, instead of "every probe after the failure was answered"', () => {
  const r = runCli(['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--interval', '1h']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.split('\n')[1], 'outage: not measured (no probe was sent after the failure at 2m: one every 1h from 1m40s, and the run ended at 12m); a shorter --interval or a later --until measures it');
  assert.doesNotMatch(r.out, /every probe after the failure was answered/);
  // A failure the probes do see, and nobody loses a reply (xenial2 is not the near server): none.
  const none = runCli(['failover', 'anycast', '--fail', 'xenial2:halt', '--at', '2m', '--until', '3m']);
  assert.equal(none.code, 0, none.err);
  assert.equal(none.out.split('\n')[1], 'outage: none (every probe after the failure was answered)');
  // JSON keeps its fields: the phases show that only the probe before the failure was sent.
  const json = JSON.parse(runCli(['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--interval', '1h', '--json']).out) as { phases: { phase: string; fromSeconds: number; count: number }[] };
  assert.deepEqual(json.phases, [{ phase: 'near', fromSeconds: 100, toSeconds: 100, count: 1 }]);
});

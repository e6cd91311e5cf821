/**
 * The tutorial pages' address (lib/web/page.ts splitHash, joinHash): a section's anchor and the
 * settings of the panels a reader ran, in one hash, so a link opens at the section with the what-if.
 * The anchors are the ids nbconvert gives chapter 7's headings (build/tutorial/07-real-vs-sim.html),
 * one of which holds a `?` and a `:`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinHash, splitHash } from './page';

test('a hash holds a section anchor and panel settings, and splits back into both', () => {
  const settings = new URLSearchParams({ 'ch7.fail': 'xenial1:drain=10s', 'ch7.timers': '10 30 20' });
  const hash = joinHash('Change-this-and-run-again', settings);
  assert.equal(hash, '#Change-this-and-run-again&ch7.fail=xenial1%3Adrain%3D10s&ch7.timers=10+30+20');
  const back = splitHash(hash);
  assert.equal(back.anchor, 'Change-this-and-run-again');
  assert.deepEqual([...back.settings], [['ch7.fail', 'xenial1:drain=10s'], ['ch7.timers', '10 30 20']]);
  // An anchor with `?` and `&` of its own stays whole.
  const odd = splitHash('#Withdrawal:-does-RIP-wait-for-the-next-update?&A-&-B&ch4.runs=8');
  assert.equal(odd.anchor, 'Withdrawal:-does-RIP-wait-for-the-next-update?&A-&-B');
  assert.equal(odd.settings.get('ch4.runs'), '8');
});

test('links of the earlier forms: a plain anchor, settings alone, nothing', () => {
  assert.deepEqual(splitHash('#Cold-start').anchor, 'Cold-start');
  assert.equal([...splitHash('#Cold-start').settings].length, 0);
  const only = splitHash('#ch4.fail=xenial1%3Aripd-stop&ch4.profile=frr');
  assert.equal(only.anchor, '');
  assert.equal(only.settings.get('ch4.fail'), 'xenial1:ripd-stop');
  assert.equal(joinHash('', only.settings), '#ch4.fail=xenial1%3Aripd-stop&ch4.profile=frr');
  assert.equal(joinHash('Cold-start', new URLSearchParams()), '#Cold-start');
  assert.deepEqual(splitHash(''), { anchor: '', settings: new URLSearchParams() });
});

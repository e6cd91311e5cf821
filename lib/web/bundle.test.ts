/**
 * The library in a browser: scripts/build-web.js bundles lib/web/entry.ts with the labs' text
 * embedded; headless Chromium runs failover distributions from that bundle, opened from file://,
 * and the rows must be the bytes Node gives for the same query from the lab folders on disk (same
 * seed, same rows: the simulator is deterministic and uses no platform clock or randomness).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { labPath } from '../config/paths';
import { loadLab } from '../config/load';
import { failoverDistribution } from '../measure/failover';
import { parseDuration } from '../sim/time';
import type { FailoverQuery } from './entry';

const ROOT = join(__dirname, '..', '..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Queries a chapter's try-it panel would make: both profiles, tuned timers, another lab. */
const QUERIES: FailoverQuery[] = [
  { lab: 'anycast', fail: 'xenial1:halt', at: '2m', runs: 12, profile: 'cisco-ios', seed: 1 },
  { lab: 'anycast', fail: 'xenial1:halt', at: '2m', runs: 6, profile: 'frr', timers: '5 15 10', runFor: '2m', seed: 3 },
  { lab: 'anycast-3site', fail: 'xenial2:ripd-stop', at: '100s', runs: 4, profile: 'frr', seed: 2 },
];

function inNode(q: FailoverQuery): string {
  const d = (t: string) => {
    const p = parseDuration(t);
    assert.ok(p.ok);
    return p.value;
  };
  const lab = loadLab(labPath(q.lab), { do_anycast: true });
  return JSON.stringify(failoverDistribution({ lab, fail: q.fail, at: d(q.at), runs: q.runs, profile: q.profile, ...(q.timers === undefined ? {} : { timers: q.timers }), ...(q.runFor === undefined ? {} : { runFor: d(q.runFor) }), ...(q.seed === undefined ? {} : { seed: q.seed }) }));
}

test('the browser bundle: within its 1 MB budget, and Chromium gives the rows Node gives, byte for byte', async () => {
  const out = mkdtempSync(join(tmpdir(), 'anycast-web-'));
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.js'), '--out', out], { encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const bundle = join(out, 'anycast-lab.js');
  assert.ok(readFileSync(bundle).length <= 1_000_000, build.stdout);
  // The page asks the network for nothing: no URL of any scheme but the bundle's own file.
  assert.doesNotMatch(readFileSync(bundle, 'utf8'), /\b(?:https?:)?\/\/(?:cdn|unpkg|fonts)\./);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), or set CHROMIUM_PATH`);
  const page = join(out, 'index.html');
  writeFileSync(page, '<!doctype html><meta charset="utf-8"><title>anycast-lab</title><script src="anycast-lab.js"></script>\n');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const tab = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    tab.on('request', (r) => requests.push(r.url()));
    await tab.goto(pathToFileURL(page).href);
    const labNames = await tab.evaluate(() => (globalThis as unknown as { AnycastLab: { labNames(): string[] } }).AnycastLab.labNames());
    for (const name of ['anycast', 'anycast-3site', 'anycast-asym']) assert.ok(labNames.includes(name), `the bundle embeds ${labNames.join(', ')}: not ${name}`);
    for (const q of QUERIES) {
      const browserRows = await tab.evaluate((query) => JSON.stringify((globalThis as unknown as { AnycastLab: { failoverDistribution(q: unknown): unknown } }).AnycastLab.failoverDistribution(query)), q);
      assert.equal(browserRows, inNode(q), `${JSON.stringify(q)}: Chromium and Node differ`);
    }
    // A bad query is an error the page can show, not a hang.
    const refused = await tab.evaluate(() => {
      try {
        (globalThis as unknown as { AnycastLab: { failoverDistribution(q: unknown): unknown } }).AnycastLab.failoverDistribution({ lab: 'nowhere', fail: 'xenial1:halt', at: '2m', runs: 1, profile: 'frr' });
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    });
    assert.match(refused ?? '', /^no lab "nowhere" in this page \(it has anycast, /);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file://')), [], 'the page asked the network');
  } finally {
    await browser.close();
  }
});

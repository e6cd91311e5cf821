/**
 * The library in a browser: scripts/build-web.js bundles lib/web/entry.ts with the labs' text
 * embedded; headless Chromium runs failover distributions from that bundle, opened from file://,
 * and the rows must be the bytes Node gives for the same query from the lab folders on disk (same
 * seed, same rows: the simulator is deterministic and uses no platform clock or randomness). The
 * try-it panels' Web Worker gives the same rows again: chapter 4's distribution is Node's
 * failoverDistribution, chapter 6's inline experiment is Node's runExperiment.
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
import { loadLab, loadLabFiles } from '../config/load';
import { memoryLabFiles } from '../config/lab-files';
import { failoverDistribution } from '../measure/failover';
import { runExperiment } from '../sweep/runner';
import { formatDuration, ms, parseDuration, seconds } from '../sim/time';
import { traceRun } from '../measure/trace';
import { withRipProfile, withRipTimers } from '../config/overrides';
import { simulatedFailoverRuns } from '../measure/compare-runs';
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
    // The page reads the topology files from trees parsed when it was built (scripts/build-web.js
    // preparsedYaml, without the yaml package): each lab, with and without anycast, is the LabSpec
    // Node's loader makes from the same text with yaml itself, line numbers included.
    for (const name of labNames) {
      for (const options of [{ do_anycast: true }, {}]) {
        const inPage = await tab.evaluate(({ name, options }) => JSON.stringify((globalThis as unknown as { AnycastLab: { lab(n: string, o: unknown): unknown } }).AnycastLab.lab(name, options)), { name, options });
        const files = await tab.evaluate((name) => (globalThis as unknown as { AnycastLab: { labFiles(n: string): Record<string, string> } }).AnycastLab.labFiles(name), name);
        assert.equal(inPage, JSON.stringify(loadLabFiles(memoryLabFiles(name, files), options)), `${name} ${JSON.stringify(options)}: the page's LabSpec differs from Node's`);
      }
    }
    // A topology the page was not built with is refused, not misread.
    const refusedYaml = await tab.evaluate(() => {
      try {
        (globalThis as unknown as { AnycastLab: { checkText(r: unknown): unknown } }).AnycastLab.checkText({ name: 'anycast', edits: { 'topology.clab.yml': 'name: other\n' } });
        return null;
      } catch (e) {
        return (e as Error).message;
      }
    });
    assert.match(refusedYaml ?? '', /^this page reads only the YAML of its own labs/);
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

    // The same rows from the page's Web Worker (a Blob worker from the bundle's own source, as the
    // try-it panels run them), with progress on the way and Stop in the middle of a long run.
    const inWorker = (kind: string, settings: unknown) =>
      tab.evaluate(
        async ({ kind, settings }) => {
          const progress: [number, number][] = [];
          const w = (globalThis as unknown as { AnycastLab: { panelWorker(): { run(k: string, l: unknown, s: unknown, p: (d: number, t: number) => void): Promise<{ value: unknown }>; stop(): void } } }).AnycastLab.panelWorker();
          const { value } = await w.run(kind, { name: 'anycast' }, settings, (d, t) => progress.push([d, t]));
          w.stop();
          return { json: JSON.stringify(value), progress };
        },
        { kind, settings },
      );
    // Chapter 4's panel: its distribution is failoverDistribution's, byte for byte.
    const ch4 = await inWorker('failover', { fail: 'xenial1:halt', at: '2m', profile: 'cisco-ios', timers: 'default', runs: 12, seed: 1 });
    assert.equal(JSON.stringify((JSON.parse(ch4.json) as { distribution: unknown }).distribution), inNode(QUERIES[0]!), 'the worker and Node differ (chapter 4 panel, failoverDistribution)');
    assert.deepEqual(ch4.progress.at(-1), [12, 12], 'the last progress message is the last run');
    assert.ok(ch4.progress.length >= 2, `progress: ${JSON.stringify(ch4.progress)}`);
    // Chapter 6's panel: the rows runExperiment gives for the notebook's inline experiment (here two
    // timers, a health check and 3 runs), byte for byte.
    const experiment = (extra: Record<string, unknown>) => ({ name: 'my-what-if', lab: labPath('anycast'), measure: 'failover', baseline: { fail: 'xenial1:named-stop', profile: 'frr', at: '2m', runFor: '4m', ...extra }, vary: { timers: ['default', '5 15 10'] }, runs: 3, seed: 1 });
    const ch6 = await inWorker('what-if', { fail: 'xenial1:named-stop', profile: 'frr', at: '2m', runFor: '4m', timers: 'default; 5 15 10', healthCheck: '2s', runs: 3, seed: 1 });
    const nodeRows = await runExperiment(experiment({ healthCheck: '2s', probe: 'dns' }), { workers: 1 });
    assert.equal(JSON.stringify((JSON.parse(ch6.json) as { rows: unknown }).rows), JSON.stringify(nodeRows), 'the worker and Node differ (chapter 6 panel, runExperiment)');

    // Chapter 7's panel: simulatedFailoverRuns as the chapter calls it (FRR, ping every 200 ms; a
    // stopped named with a DNS query every 500 ms), here a drain and a named stop with other timers.
    for (const settings of [
      { fail: 'xenial1:drain=10s', timers: '10 30 20', settle: '20s', runFor: '30s', schedules: 3, instants: 2 },
      { fail: 'xenial1:named-stop', timers: '5 15 10', settle: '20s', runFor: '20s', schedules: 2, instants: 2 },
    ]) {
      const ch7 = await inWorker('real-vs-sim', settings);
      const dns = settings.fail.endsWith(':named-stop');
      const runFor = parseDuration(settings.runFor);
      assert.ok(runFor.ok);
      const nodeRuns = simulatedFailoverRuns({ lab: labPath('anycast'), fail: settings.fail, probe: dns ? 'dns' : 'ping', probeInterval: ms(dns ? 500 : 200), timers: settings.timers, settle: seconds(20), runFor: runFor.value, schedules: settings.schedules, instants: settings.instants });
      assert.equal(JSON.stringify((JSON.parse(ch7.json) as { runs: unknown }).runs), JSON.stringify(nodeRuns), `the worker and Node differ (chapter 7 panel, simulatedFailoverRuns, ${settings.fail})`);
      assert.equal(nodeRuns.length, settings.schedules * settings.instants);
    }

    // Chapter 7's withdrawal: the frames and route changes of traceRun, with the timers and seed a reader set.
    const ch7w = await inWorker('withdrawal', { fail: 'xenial1:drain=10s', at: '125s', timers: '5 15 10', runFor: '30s', seed: 2 });
    const traced = traceRun({ lab: withRipTimers(withRipProfile(loadLab(labPath('anycast'), { do_anycast: true }), 'frr'), '5 15 10'), seed: 2, failures: [`xenial1:drain=10s@${formatDuration(seconds(125))}`], until: seconds(155), from: seconds(125), probe: { kind: 'ping', interval: seconds(1) } });
    const w = JSON.parse(ch7w.json) as { packets: unknown[]; routeChanges: unknown[] };
    assert.ok(traced.packets.length > 0 && traced.routeChanges.length > 0, 'the drain traced nothing');
    assert.equal(JSON.stringify(w.packets), JSON.stringify(traced.packets), 'the worker and Node differ (chapter 7 withdrawal panel, traceRun packets)');
    assert.equal(JSON.stringify(w.routeChanges), JSON.stringify(traced.routeChanges), 'the worker and Node differ (chapter 7 withdrawal panel, traceRun route changes)');

    // Stop: a 300-run distribution is terminated after its first progress, and the next run works.
    const stopped = await tab.evaluate(async () => {
      const w = (globalThis as unknown as { AnycastLab: { panelWorker(): { run(k: string, l: unknown, s: unknown, p: (d: number, t: number) => void): Promise<unknown>; stop(): void } } }).AnycastLab.panelWorker();
      let firstProgress = 0;
      const started = performance.now();
      const outcome = await new Promise<string>((resolve) => {
        w.run('failover', { name: 'anycast' }, { fail: 'xenial1:halt', at: '2m', profile: 'frr', timers: 'default', runs: 300, seed: 1 }, (done) => {
          if (done >= 1 && firstProgress === 0) {
            firstProgress = done;
            w.stop();
          }
        }).then(() => resolve('finished'), (e: Error) => resolve(`${e.name}: ${e.message}`));
      });
      const after = (await w.run('ping', { name: 'anycast' }, { failure: '', at: '60s', seed: 1 }, () => undefined)) as { value: { console: string } };
      w.stop();
      return { outcome, firstProgress, ms: performance.now() - started, after: after.value.console.split('\n')[1] };
    });
    assert.equal(stopped.outcome, 'Stopped: stopped');
    assert.ok(stopped.firstProgress >= 1 && stopped.firstProgress < 300, JSON.stringify(stopped));
    assert.match(stopped.after ?? '', /^PING 10\.128\.7\.1 /, 'a run after Stop works');
    assert.deepEqual(errors, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('blob:')), [], 'the page asked the network');
  } finally {
    await browser.close();
  }
});

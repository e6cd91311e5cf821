#!/usr/bin/env node
// The live tutorial's budgets, measured in headless Chromium (Debian's /usr/bin/chromium, or
// CHROMIUM_PATH) on the built site opened from file://, offline: how long chapter 4 takes to become
// interactive (navigation start to the panels' controls working), and a 100-run failover
// distribution (chapter 4's: xenial1:halt at 2m, cisco-ios, seed 1) on the page's thread and in the
// chapter 4 panel's Web Worker. Prints one JSON line; exit 2 when there is no Chromium.
//
// Usage: node scripts/measure-pages.js SITE_DIR   (scripts/tutorial.ts runs it after each build)
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

async function main() {
  const site = process.argv[2];
  if (site === undefined) throw new Error('usage: measure-pages.js SITE_DIR');
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) process.exit(2);
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const context = await browser.newContext();
    const asked = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      asked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(site, '04-anycast.html')).href);
    await page.waitForFunction(() => window.anycastLabPage?.ready === true, null, { timeout: 30_000 });
    const interactiveMs = await page.evaluate(() => window.anycastLabPage.interactiveMs);
    const distribution100Ms = await page.evaluate(() => {
      const started = performance.now();
      window.AnycastLab.failoverDistribution({ lab: 'anycast', fail: 'xenial1:halt', at: '2m', runs: 100, profile: 'cisco-ios', seed: 1 });
      return performance.now() - started;
    });
    const panel = page.locator('#try-ch4');
    await panel.locator('input[name=runs]').fill('100');
    await panel.locator('button.try-it-run').click();
    await page.waitForFunction(() => document.querySelector('#try-ch4')?.dataset.state === 'done', null, { timeout: 120_000 });
    const panel100Ms = await page.evaluate(() => window.anycastLabPage.runs.find((r) => r.panel === 'ch4' && r.ok).ms);
    if (asked.length > 0) throw new Error(`the page asked the network for ${asked.join(', ')}`);
    process.stdout.write(JSON.stringify({ interactiveMs, distribution100Ms, panel100Ms }) + '\n');
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(`measure-pages: ${e.message}`);
  process.exit(1);
});

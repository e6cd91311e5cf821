/**
 * The RIP + BFD what-if on data/labs/anycast-bfd: outages with and without BFD, and BFD's cost.
 *
 * Expected figures:
 * - RIP alone: no run recovers before FRR's 180 s timeout (RFC 2453 3.8; ripd's default `timers
 *   basic 30 180 120`) has passed since s1's last update, so every outage is over 150 s;
 * - with BFD: 3 × 300 ms to detect (RFC 5880 §6.8.4), then r1 waits for r2's next periodic update
 *   (30 s, less ripd's jitter) to learn the far server: at most 0.9 + 30 + the 1 s probe interval;
 * - BFD's packets per second on a server LAN: two ends, each sending every 75–100 % of 300 ms
 *   (§6.8.7's jitter, uniform, so 87.5 % on average): 2 / (0.875 × 0.3 s) ≈ 7.62 packets/s; none on
 *   the router-to-router link, where no session runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BFD_OPTIONS, bfdWhatIf, summarizeBfdWhatIf } from './bfd-whatif';

const LAB = join(__dirname, '..', '..', 'data', 'labs', 'anycast-bfd');

test('RIP + BFD against RIP alone: outage per run, and BFD packets per second per link', () => {
  const r = bfdWhatIf({ lab: LAB, runs: 8, options: BFD_OPTIONS.slice(0, 2) });
  const of = (option: string) => r.rows.filter((x) => x.option === option).map((x) => x.outageSeconds);
  const ripOnly = of(BFD_OPTIONS[0]!.option);
  const bfd = of(BFD_OPTIONS[1]!.option);
  assert.equal(ripOnly.length, 8);
  assert.ok(ripOnly.every((s) => s !== null && s > 150), `RIP alone: ${ripOnly.join(', ')}`);
  assert.ok(bfd.every((s) => s !== null && s <= 0.9 + 30 + 1), `with BFD: ${bfd.join(', ')}`);
  const cost = (option: string, link: string) => r.costs.find((c) => c.option === option && c.link === link)!;
  const lan = cost(BFD_OPTIONS[1]!.option, 'lan1');
  assert.ok(Math.abs(lan.bfdPacketsPerSecond - 2 / (0.875 * 0.3)) < 0.25, `lan1: ${lan.bfdPacketsPerSecond} BFD packets/s`);
  assert.equal(lan.bfdBytesPerSecond, lan.bfdPacketsPerSecond * 66);
  assert.equal(cost(BFD_OPTIONS[1]!.option, 'r1-r2').bfdPacketsPerSecond, 0);
  assert.equal(cost(BFD_OPTIONS[0]!.option, 'lan1').bfdPacketsPerSecond, 0);
  assert.equal(lan.ripPacketsPerSecond, cost(BFD_OPTIONS[0]!.option, 'lan1').ripPacketsPerSecond, 'BFD adds no RIP traffic');
  const [plain, withBfd] = summarizeBfdWhatIf(r);
  assert.deepEqual([plain!.runs, plain!.unrecovered, withBfd!.unrecovered], [8, 0, 0]);
  assert.ok(withBfd!.max! < plain!.median!);
  assert.equal(withBfd!.bfdPacketsPerSecond, Math.max(...r.costs.filter((c) => c.option === withBfd!.option).map((c) => c.bfdPacketsPerSecond)));
});

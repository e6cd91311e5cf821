/**
 * FRR releases: a `frr version` line selects the grammar; without one the lab's setting does (8.4 by
 * default). Where each expectation comes from:
 * - "real 8.4.4": `/usr/lib/frr/ripd --dryrun -f FILE` of Debian 12's frr 8.4.4-1.1~deb12u2, which
 *   logs `No such command on config line N` for a line 8.4 does not have and nothing for one it reads;
 * - "rip_cli.c 10.x": FRRouting/frr ripd/rip_cli.c as 10.x has it (the northbound callbacks take
 *   `const struct lyd_node *`): DEFUN_YANG rip_allow_ecmp "allow-ecmp [" CMD_RANGE_STR(1, MULTIPATH_NUM) "]"
 *   (no count: MULTIPATH_NUM), DEFPY_YANG rip_timers "timers basic (5-2147483647)$update
 *   (5-2147483647)$timeout (5-2147483647)$garbage" (the same three ranges as 8.4's DEFPY rip_timers:
 *   "timers basic 1 10 15" is refused by every release), DEFPY_YANG rip_bfd_default_profile
 *   "bfd default-profile BFDPROF$profile", ip_rip_bfd "[no] ip rip bfd", ip_rip_bfd_profile;
 * - "host_cli.c": FRRouting/frr lib/host_cli.c (2025) DEFPY allow_reserved_ranges "[no] allow-reserved-ranges",
 *   a top-level command (lib/command.c before it), as in 8.4.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFrrConf, parseRipdConf } from './frr';
import { compareFrrRelease, howToSelect, parseFrrRelease } from './frr-version';
import { errorOf } from './test-support';

const TEN = { major: 10, minor: 2 };

test('release numbers as FRR writes them: 8.4.4 is 8.4, 10.2 is 10.2; text that is no release is refused', () => {
  assert.deepEqual(parseFrrRelease('8.4.4'), { major: 8, minor: 4 });
  assert.deepEqual(parseFrrRelease('10.2'), { major: 10, minor: 2 });
  assert.deepEqual(parseFrrRelease('10'), { major: 10, minor: 0 });
  assert.equal(parseFrrRelease('eight'), null);
  assert.ok(compareFrrRelease({ major: 8, minor: 4 }, { major: 9, minor: 0 }) < 0);
  assert.equal(howToSelect({ major: 9, minor: 0 }), 'frr version 10.x or --frr-version 10');
});

test('allow-ecmp 2: FRR 8.4 refuses it (real 8.4.4) and says which releases have it; 10.x reads the count (rip_cli.c 10.x)', () => {
  const text = 'router rip\n network eth1\n allow-ecmp 2\n';
  const e = errorOf(() => parseRipdConf(text, 'lab/ripd.conf'));
  assert.deepEqual(
    e.problems.map((p) => `line ${p.line}: ${p.message}`),
    ['line 3: "allow-ecmp 2": FRR 8.4 has "allow-ecmp" without a count; "allow-ecmp <1-MULTIPATH_NUM>" is FRR 9.0 and later (frr version 10.x or --frr-version 10)'],
  );
  // 8.4's own form still reads (real 8.4.4 accepts "allow-ecmp").
  assert.deepEqual(parseRipdConf('router rip\n allow-ecmp\n', 'lab/ripd.conf').rip?.allowEcmp?.maxPaths, null);
  assert.equal(parseRipdConf(text, 'lab/ripd.conf', { release: TEN }).rip?.allowEcmp?.maxPaths, 2);
});

test('a "frr version" line selects the release for the rest of the file, whatever the lab says', () => {
  const c = parseFrrConf('frr version 10.2\nfrr defaults traditional\nrouter rip\n allow-ecmp 2\n', 'lab/frr.conf');
  assert.equal(c.rip?.allowEcmp?.maxPaths, 2);
  assert.deepEqual(c.frrVersion, { value: '10.2', source: { file: 'lab/frr.conf', line: 1 } });
  assert.deepEqual(c.release, TEN);
  // And the other way: a file FRR 8.4.4 wrote is read as 8.4 even when the lab says 10.
  const e = errorOf(() => parseFrrConf('frr version 8.4.4\nrouter rip\n allow-ecmp 4\n', 'lab/frr.conf', { release: TEN }));
  assert.match(e.problems[0]!.message, /^"allow-ecmp 4": FRR 8\.4 has "allow-ecmp" without a count/);
});

test('frr version: an unreadable or unknown release is an error naming the line', () => {
  const bad = errorOf(() => parseFrrConf('frr version banana\n', 'lab/frr.conf'));
  assert.equal(bad.problems[0]!.line, 1);
  assert.match(bad.problems[0]!.message, /expected "frr version <release>" such as "frr version 8.4.4"/);
  const old = errorOf(() => parseFrrConf('frr version 7.5.1\n', 'lab/frr.conf'));
  assert.match(old.problems[0]!.message, /FRR 7\.5\.1 is not a release the simulator reads: expected 8\.x, 9\.x or 10\.x/);
  // 9.1 is read with the declarations (allow-ecmp N is 9.0's), with a note that 9.x is not checked.
  const nine = parseFrrConf('frr version 9.1\nrouter rip\n allow-ecmp 3\n', 'lab/frr.conf');
  assert.equal(nine.rip?.allowEcmp?.maxPaths, 3);
  assert.deepEqual(nine.findings.map((f) => f.severity), ['note']);
});

test('ip rip bfd: FRR 8.4 does not have it (real 8.4.4); 10.x reads it, and bfd default-profile too', () => {
  const text = 'interface eth1\n ip rip bfd\n ip rip bfd profile fast\nrouter rip\n network eth1\n bfd default-profile slow\n';
  const e = errorOf(() => parseFrrConf(text, 'lab/frr.conf'));
  assert.deepEqual(
    e.problems.map((p) => `line ${p.line}: ${p.message}`),
    [
      'line 2: "ip rip bfd": FRR 8.4 does not have it; "ip rip bfd [profile <profile>]" is FRR 9.0 and later (frr version 10.x or --frr-version 10)',
      'line 3: "ip rip bfd profile fast": FRR 8.4 does not have it; "ip rip bfd [profile <profile>]" is FRR 9.0 and later (frr version 10.x or --frr-version 10)',
      'line 6: "bfd default-profile slow": FRR 8.4 does not have it; "bfd default-profile <profile>" is FRR 9.0 and later (frr version 10.x or --frr-version 10)',
    ],
  );
  const c = parseFrrConf(text, 'lab/frr.conf', { release: TEN });
  assert.deepEqual(c.bfd.map((b) => [b.interface, b.profile, b.source.line]), [['eth1', null, 2], ['eth1', 'fast', 3]]);
  assert.equal(c.rip?.bfdDefaultProfile?.value, 'slow');
  assert.deepEqual(c.findings, []);
});

test('timers basic: every value 5 s or more in 8.4 (real 8.4.4 refuses "30 3 3" and "1 10 15") and in 10.x (rip_cli.c 10.x)', () => {
  for (const release of [undefined, TEN]) {
    for (const line of ['timers basic 1 10 15', 'timers basic 30 3 3']) {
      const e = errorOf(() => parseRipdConf(`router rip\n ${line}\n`, 'lab/ripd.conf', release === undefined ? {} : { release }));
      assert.match(e.problems[0]!.message, /each 5-2147483647 seconds in every FRR release/);
    }
    const ok = parseRipdConf('router rip\n timers basic 5 5 5\n', 'lab/ripd.conf', release === undefined ? {} : { release });
    assert.equal(ok.rip?.timers?.flavour, 'frr');
  }
});

test('allow-reserved-ranges is read in 8.4 (real 8.4.4 zebra and ripd accept it) and 10.x, with a note that 8.4.4 refused reserved destinations all the same', () => {
  for (const release of [undefined, TEN]) {
    const c = parseFrrConf('allow-reserved-ranges\n', 'lab/frr.conf', release === undefined ? {} : { release });
    // data/real/frr84-rip-rules s2: 0/8, 127/8, 224/4 and 240/4 counted as bad routes with it written.
    assert.deepEqual(c.findings.map((f) => [f.severity, f.source.line]), [['note', 1]]);
    assert.match(c.findings[0]!.message, /refuses 0\/8, 127\/8 and 240\/4 destinations all the same/);
  }
});

test('log file PATH is kept (lib/log_vty.c "log file FILENAME [LEVEL]"); a later "no log file" drops it', () => {
  const c = parseFrrConf('log file /var/log/frr/ripd.log informational\nrouter rip\n', 'lab/frr.conf');
  assert.deepEqual(c.logFile, { value: '/var/log/frr/ripd.log', source: { file: 'lab/frr.conf', line: 1 } });
  assert.equal(parseFrrConf('log file /tmp/a.log\nno log file\n', 'lab/frr.conf').logFile, null);
});

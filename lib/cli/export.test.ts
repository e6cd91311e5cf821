import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './main';
import { loadLab } from '../config/load';
import { exportLab, EXPORT_TARGETS } from '../config/writers/export';
import { bindMissing, runBindCheck } from '../config/writers/test-support';

const ANYCAST = join(__dirname, '..', '..', 'data', 'labs', 'anycast');

function inTemp<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'anycast-lab-export-'));
  try {
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('export --to <each target>: writes the writers\' files into --out, lists them, then every finding', () => {
  const spec = loadLab(ANYCAST, { do_anycast: true });
  for (const target of EXPORT_TARGETS) {
    inTemp((dir) => {
      const out = join(dir, 'out');
      const r = runCli(['export', 'anycast', '--to', target, '--out', out, '--anycast']);
      assert.equal(r.code, 0, r.err);
      const expected = exportLab(spec, target, out);
      const lines = r.out.split('\n');
      assert.deepEqual(lines.slice(0, expected.files.length), expected.files.map((f) => `wrote ${join(out, f.name)}`), target);
      for (const f of expected.files) assert.equal(readFileSync(join(out, f.name), 'utf8'), f.content, `${target} ${f.name}`);
      const findingLines = lines.slice(expected.files.length, -1);
      assert.deepEqual(findingLines, expected.findings.map((f) => `${f.source.file}:${f.source.line}: ${f.severity === 'unsupported' ? 'does not translate' : 'note'}: ${f.message}`));
      const untranslated = expected.findings.filter((f) => f.severity === 'unsupported').length;
      const summary = untranslated === 0 ? 'everything translates' : untranslated === 1 ? '1 thing does not translate' : `${untranslated} things do not translate`;
      assert.equal(lines.at(-1), `${expected.files.length} files for ${target} in ${out}; ${summary}`);
    });
  }
});

test('export --to frr lists what does not translate: IOS timers and ECMP for each router', () => {
  inTemp((dir) => {
    const r = runCli(['export', 'anycast', '--to', 'frr', '--out', dir]);
    assert.equal(r.code, 0, r.err);
    // Four IOS routers without timers or maximum-paths (r1.cfg–r4.cfg): two findings each.
    assert.equal(r.out.split('\n').filter((l) => l.includes(': does not translate: ')).length, 8);
    assert.match(r.out, /^anycast\/r1\.cfg:15: does not translate: IOS default timers .* flushed 300 s after its last update instead of 240 s$/m);
    assert.ok(r.out.endsWith('; 8 things do not translate'));
  });
});

test('export --to containerlab gives a lab the command line loads like the original', () => {
  inTemp((dir) => {
    const out = join(dir, 'anycast');
    assert.equal(runCli(['export', 'anycast', '--to', 'containerlab', '--out', out]).code, 0);
    const original = runCli(['check', 'anycast', '--json']);
    const exported = runCli(['check', out, '--json']);
    assert.equal(exported.code, original.code);
    const shape = (text: string) => {
      const j = JSON.parse(text) as { lab: string; nodes: unknown; segments: unknown };
      return { lab: j.lab, nodes: j.nodes, segments: j.segments };
    };
    assert.deepEqual(shape(exported.out), shape(original.out));
  });
});

test("export --to bind: named.conf's working directory is its own folder, so named-checkconf runs it in place", { skip: bindMissing() }, () => {
  inTemp((dir) => {
    assert.equal(runCli(['export', 'anycast', '--to', 'bind', '--out', dir]).code, 0);
    for (const server of ['xenial1', 'xenial2']) {
      const conf = join(dir, server, 'named.conf');
      assert.match(readFileSync(conf, 'utf8'), new RegExp(`^\\tdirectory "${join(dir, server).replace(/[/.]/g, '\\$&')}";$`, 'm'));
      const checked = runBindCheck('named-checkconf', ['-z', conf]);
      assert.equal(checked.code, 0, checked.output);
    }
  });
});

test('export: a missing or unknown target, or a second lab, is a usage error', () => {
  inTemp((dir) => {
    const none = runCli(['export', 'anycast', '--out', dir]);
    assert.equal(none.code, 2);
    assert.match(none.err, /^error: export needs --to <frr\|bind\|ios\|vagrant\|containerlab>\n/);
    const bad = runCli(['export', 'anycast', '--to', 'junos', '--out', dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^error: export needs --to <frr\|bind\|ios\|vagrant\|containerlab>, got "junos"\n/);
    assert.equal(runCli(['export', 'anycast', 'anycast', '--to', 'ios']).code, 2);
    assert.ok(!existsSync(join(dir, 'r1.cfg')));
  });
});

test('export --out into a folder that cannot be made (/proc/nope) is refused in one line, at once', { timeout: 20_000 }, () => {
  // Node's mkdir({ recursive: true }) never returns on /proc: the folder is made one level at a time.
  const r = runCli(['export', 'anycast', '--to', 'frr', '--out', '/proc/nope']);
  assert.equal(r.code, 1);
  assert.equal(r.err, 'error: --out /proc/nope: cannot make the folder /proc/nope (ENOENT: no such file or directory)');
  assert.equal(r.out, '');
  inTemp((dir) => {
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    const onFile = runCli(['export', 'anycast', '--to', 'ios', '--out', join(file, 'sub')]);
    assert.equal(onFile.code, 1);
    assert.equal(onFile.err, `error: --out: ${file} is not a folder`);
    const capture = runCli(['capture', 'anycast', '--until', '1m', '--out', join(dir, 'missing', 'x.pcap')]);
    assert.equal(capture.code, 1);
    assert.equal(capture.err, `error: --out: no folder ${join(dir, 'missing')} to write into`);
  });
});

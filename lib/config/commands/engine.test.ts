import { test } from 'node:test';
import assert from 'node:assert/strict';
import { helpOf, parseSyntax, runCommand, usage, valueOf, type CommandLine, type Table } from './engine';
import { ROUTER_RIP, type RipState } from './rip';
import { emptyRip, readTimersBasic } from '../common';
import { Findings, Problems } from '../errors';
import { IOS_GLOBAL } from './ios';

interface Seen {
  applied: { negated: boolean; args: readonly string[]; values: Record<string, unknown> }[];
  errors: string[];
}

const record = (s: Seen, l: CommandLine): void => void s.applied.push({ negated: l.negated, args: l.args, values: Object.fromEntries(l.values) });

const TABLE: Table<Seen> = {
  mode: 'test',
  commands: [
    { syntax: 'shu(tdown)', help: 'down', no: 'same', apply: record },
    { syntax: 'maxi(mum-paths) (1-32)$paths', help: 'paths', no: 'bare', apply: record },
    { syntax: 'all(ow-ecmp) [(1-256)$paths]', help: 'ecmp', apply: record },
    { syntax: 'red(istribute) <conn(ected)|sta(tic)>$protocol [m(etric) (0-16)$value]', help: 'redistribute', select: 1, no: 'same', apply: record },
    { syntax: 'nei(ghbor) A.B.C.D$address', help: 'neighbor', expected: 'expected a neighbor', apply: record },
    { syntax: 'ip domain-n(ame) WORD$name', help: 'domain', fallThrough: true, apply: record },
    { syntax: 'ip LINE...$rest', help: 'other ip', apply: record },
    { syntax: 'ver(sion) <1|2>$version', help: 'version', select: 1, no: 'only', apply: record },
  ],
};

function run(text: string): Seen {
  const seen: Seen = { applied: [], errors: [] };
  const matched = runCommand(TABLE, null, seen, { words: text.split(' '), lineNo: 7, got: JSON.stringify(text), src: { file: 'f', line: 7 } }, (n, m) =>
    seen.errors.push(`${n}: ${m}`),
  );
  if (!matched) seen.errors.push('no match');
  return seen;
}

test('a keyword is accepted from its minimum abbreviation on, in any case, and not beyond its length', () => {
  assert.equal(run('shu').applied.length, 1);
  assert.equal(run('SHUTD').applied.length, 1);
  assert.equal(run('shutdown').applied.length, 1);
  assert.deepEqual(run('sh').errors, ['no match']);
  assert.deepEqual(run('shutdowns').errors, ['no match']);
  // A keyword-only command with words after it is not that command.
  assert.deepEqual(run('shut now').errors, ['no match']);
});

test('a range argument reads a decimal integer inside the range; outside it, the error shows the usage', () => {
  assert.deepEqual(run('maxi 32').applied[0]!.values, { 'maximum-paths': 'maximum-paths', paths: 32 });
  assert.deepEqual(run('maxi 33').errors, ['7: expected "maximum-paths <1-32>", got "maxi 33"']);
  assert.deepEqual(run('maxi 0x1').errors, ['7: expected "maximum-paths <1-32>", got "maxi 0x1"']);
  assert.deepEqual(run('maximum-paths').errors, ['7: expected "maximum-paths <1-32>", got "maximum-paths"']);
  assert.deepEqual(run('allow-ecmp 257').errors, ['7: expected "allow-ecmp [<1-256>]", got "allow-ecmp 257"']);
  assert.equal(run('all').applied[0]!.values['paths'], undefined);
});

test('choices and optional parts read their keywords under the declared names', () => {
  assert.deepEqual(run('red conn m 3').applied[0]!.values, { redistribute: 'redistribute', protocol: 'connected', metric: 'metric', value: 3 });
  assert.deepEqual(run('red sta').applied[0]!.values, { redistribute: 'redistribute', protocol: 'static' });
  assert.deepEqual(run('red sta metric 17').errors, ['7: expected "redistribute connected|static [metric <0-16>]", got "red sta metric 17"']);
  assert.deepEqual(run('red ospf').errors, ['7: expected "redistribute connected|static [metric <0-16>]", got "red ospf"']);
});

test('an explicit expected text replaces the usage in the error; typed arguments read their values', () => {
  assert.deepEqual(run('nei 10.0.0.300').errors, ['7: expected a neighbor, got "nei 10.0.0.300"']);
  assert.equal(run('nei 10.0.0.2').applied[0]!.values['address'], 0x0a000002);
});

test('a command that falls through leaves the line to the next one', () => {
  assert.deepEqual(run('ip domain-name home').applied[0]!.values['name'], 'home');
  assert.deepEqual(run('ip domain-name home more').applied[0]!.values['rest'], 'domain-name home more');
});

test('no forms: same arguments, bare (anything after), only the no form', () => {
  assert.deepEqual(run('no shut').applied[0]!.negated, true);
  assert.deepEqual(run('no maxi').applied[0]!.args, []);
  assert.deepEqual(run('no maxi 99 x').applied[0]!.args, ['99', 'x']);
  assert.deepEqual(run('no nei 10.0.0.2').errors, ['no match']);
  assert.deepEqual(run('version 2').errors, ['no match']);
  assert.equal(run('no version 2').applied[0]!.values['version'], '2');
});

test('declarations render as help: usage, shortest accepted form, and the help line', () => {
  assert.equal(usage(parseSyntax('timers basic (5-2147483647)$update (1-2147483647)$timeout [vrf WORD$name] LINE...')), 'timers basic <5-2147483647> <1-2147483647> [vrf <name>] <text...>');
  assert.deepEqual(helpOf(TABLE, null).slice(0, 2), ['shutdown  (shu)  down', 'maximum-paths <1-32>  (maxi)  paths']);
  assert.throws(() => parseSyntax('a <b|c'), /command declaration "a <b\|c"/);
  assert.throws(() => parseSyntax('a (b'), /cannot read/);
});

test('the shared router rip table: each dialect its own spelling, shared commands once', () => {
  const ios = helpOf(ROUTER_RIP, 'ios');
  const frr = helpOf(ROUTER_RIP, 'frr');
  assert.ok(ios.some((h) => h.startsWith('timers basic <1-4294967295> <0-4294967295> <0-4294967295> <0-4294967295>  (timer b)')));
  assert.ok(frr.some((h) => h.startsWith('timers basic <5-2147483647> <5-2147483647> <5-2147483647>  (ti b)')));
  assert.ok(ios.some((h) => h.startsWith('maximum-paths')) && !frr.some((h) => h.startsWith('maximum-paths')));
  assert.ok(frr.some((h) => h.startsWith('allow-ecmp')) && !ios.some((h) => h.startsWith('allow-ecmp')));
  for (const shared of ['version', 'neighbor', 'default-metric', 'default-information', 'redistribute connected|static']) {
    assert.ok(ios.some((h) => h.startsWith(shared)) && frr.some((h) => h.startsWith(shared)), shared);
  }
  assert.ok(helpOf(IOS_GLOBAL, 'ios').length > 10);
});

test('valueOf reads what the declaration read', () => {
  const seen = run('maxi 4');
  assert.equal(valueOf<number>({ values: new Map(Object.entries(seen.applied[0]!.values)) } as unknown as CommandLine, 'paths'), 4);
});

test("the router rip table's timers basic reads what readTimersBasic (the overrides' reader) reads, in both dialects", () => {
  const inputs = ['30 180 180 240', '1 0 0 0', '0 1 1 1', '30 180 180', '30 180 120', '5 1 1', '4 1 1', '5 0 1', '2147483647 2147483647 2147483647', '2147483648 1 1', '4294967295 0 0 4294967295', '30 x 1 1'];
  for (const dialect of ['ios', 'frr'] as const) {
    for (const args of inputs) {
      const text = `timers basic ${args}`;
      const src = { file: 'f', line: 3 };
      const state: RipState = { rip: emptyRip(dialect, src), dialect, problems: new Problems('f'), findings: new Findings('f') };
      runCommand(ROUTER_RIP, dialect, state, { words: text.split(' '), lineNo: 3, got: JSON.stringify(text), src }, (n, m) => state.problems.add(n, m));
      const expected = readTimersBasic(dialect, args.split(' '), src);
      if ('error' in expected) assert.deepEqual(state.problems.list.map((p) => p.message), [`${expected.error}, got ${JSON.stringify(text)}`], `${dialect} ${text}`);
      else assert.deepEqual(state.rip.timers, expected, `${dialect} ${text}`);
    }
  }
});

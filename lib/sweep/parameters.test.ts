// One vocabulary per knob: a parameter's declaration reads an experiment file's value and a command
// line's option alike, with the same words after the place it was typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { PARAMETERS, RUNS, parseFlag, type Parsed } from '.';
import { parseExperiment } from './experiment';

const ctx = { baseDir: tmpdir() };
const error = (r: Parsed<unknown>): string => (r.ok ? 'accepted' : r.error);

test('every parameter declares its type and range; the options are distinct', () => {
  for (const p of Object.values(PARAMETERS)) {
    assert.ok(p.type.length > 0 && p.range.length > 0 && p.doc.length > 0, p.name);
    if (p.type === 'duration') assert.equal(p.unit, 'µs', p.name);
  }
  const flags = Object.values(PARAMETERS).flatMap((p) => (p.flag === undefined ? [] : [p.flag]));
  assert.equal(new Set(flags).size, flags.length);
  assert.deepEqual(Object.values(PARAMETERS).filter((p) => p.flag !== undefined).map((p) => `${p.name}=--${p.flag}`), [
    'profile=--profile', 'bindProfile=--bind-profile', 'fail=--fail', 'at=--at', 'runFor=--run-for', 'probeInterval=--interval',
    'client=--client', 'target=--target', 'probe=--probe', 'healthCheck=--health-check', 'timers=--timers', 'change=--change', 'iosPoison=--ios-poison',
    'frrVersion=--frr-version',
  ]);
});

test('an option and an experiment file refuse a value in the same words', () => {
  const inFile = (param: string, value: unknown): string => {
    try {
      parseExperiment({ name: 'x', lab: 'anycast', baseline: { [param]: value } }, 'x', ctx.baseDir);
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };
  for (const [param, text] of [['probeInterval', '0s'], ['profile', 'junos'], ['timers', '5 15'], ['iosPoison', 'maybe'], ['healthCheck', '0s'], ['target', 'anycast']] as const) {
    const p = PARAMETERS[param]!;
    const flag = error(parseFlag(p, text, ctx));
    const words = flag.slice(`--${p.flag}: `.length);
    assert.ok(flag.startsWith(`--${p.flag}: `), flag);
    assert.equal(inFile(param, text), `x: baseline.${param}: ${words}`);
  }
  // --probe keeps the words the command line had before the declarations (its tests hold both).
  assert.equal(error(parseFlag(PARAMETERS['probe']!, 'dsn', ctx)), '--probe: expected ping or dns, got "dsn"');
  assert.equal(error(PARAMETERS['probe']!.parse('dsn', ctx)), 'expected one of ping, dns, got "dsn"');
  // A count typed on a command line is read as a number.
  assert.deepEqual(parseFlag(RUNS, '12', ctx), { ok: true, value: 12 });
  assert.equal(error(parseFlag(RUNS, '1.5', ctx)), '--runs: expected a whole number ≥ 1, got "1.5"');
});

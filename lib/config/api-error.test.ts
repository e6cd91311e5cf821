// The library's errors as a notebook shows them: tslab prints an uncaught error with console.error,
// i.e. util.inspect; an ApiError inspects as name and message first (no compiled source line and caret).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { FailureError, parseFailure } from './failures';
import { LabFileError } from './errors';

test('FailureError: the message stands alone (no command-line wording), detail is for a command line', () => {
  const parsed = parseFailure('xenial1:hlt@1s');
  assert.equal(parsed.ok, false);
  const e = new FailureError(parsed.ok ? '' : parsed.error);
  assert.match(e.message, /^failure "xenial1:hlt@1s": unknown failure mode "hlt"; modes: halt, /);
  assert.doesNotMatch(e.message, /--fail/);
  assert.equal(e.detail, e.message.slice('failure '.length));
});

test('ApiError subclasses inspect as "Name: message" first, then frames outside Node and the kernel', () => {
  const e = new FailureError('xenial9:halt@1s: no node "xenial9" in lab anycast');
  // What Node's vm does to the stack of an error thrown out of runInThisContext (displayErrors).
  e.stack = `/x/dist/lab/lab.js:72\n  throw new Error(\`...\`);\n  ^\n\n${e.stack}\n    at evalmachine.<anonymous>:8:26\n    at Script.runInThisContext (node:vm:135:14)\n    at Object.execute (/x/node_modules/tslab/dist/executor.js:160:38)`;
  const shown = inspect(e).split('\n');
  assert.equal(shown[0], 'FailureError: failure xenial9:halt@1s: no node "xenial9" in lab anycast');
  assert.ok(shown.slice(1).every((line) => /^\s+at /.test(line)), shown.join('\n'));
  assert.ok(!shown.some((l) => /node:vm|tslab|evalmachine|\^/.test(l)), shown.join('\n'));
  const file = new LabFileError([{ file: 'anycast/r1.cfg', line: 4, column: null, message: 'expected an address' }]);
  assert.equal(inspect(file).split('\n')[0], 'LabFileError: anycast/r1.cfg:4: expected an address');
});

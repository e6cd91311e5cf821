/**
 * The base of the errors the library's public functions throw, so that a notebook shows them as API
 * errors: name and message first. tslab prints a cell's uncaught error with `console.error(e)`
 * (tslab/dist/executor.js), that is with `util.inspect(e)`, which prints `e.stack`; and Node's `vm`
 * has by then put the compiled `dist/*.js` line and a caret above the stack (`decorateErrorStack` in
 * Node's lib/internal/util.js, applied by `vm.runInThisContext` with `displayErrors`). Inspecting an
 * `ApiError` gives `Name: message`, then only the stack frames outside Node and the kernel.
 */
import { inspect } from 'node:util';

export class ApiError extends Error {
  [inspect.custom](): string {
    const frames = (this.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /.test(line) && !/\(node:|\bat node:|[/\\]tslab[/\\]|evalmachine\.<anonymous>/.test(line));
    return [`${this.name}: ${this.message}`, ...frames].join('\n');
  }
}

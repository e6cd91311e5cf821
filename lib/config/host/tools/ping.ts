/** `ping [-c <count>] <host>`: a boot step, so the lab's boot shows the ping's answers as the device would. */
import { readInt } from '../../common';
import type { CommandRun } from '../command';
import type { CommandStatus } from '../state';

export function ping(run: CommandRun): CommandStatus {
  const rest = run.args;
  const target = rest.filter((a, i) => !a.startsWith('-') && !(i > 0 && /^-[cwWiIst]$/.test(rest[i - 1]!))).pop();
  if (target === undefined) {
    run.problem(`expected "ping [-c <count>] <host>", got ${run.got}`);
    return 'harmless';
  }
  let count: number | null = null;
  rest.forEach((a, i) => {
    if (a === '-c') count = readInt(rest[i + 1], 1, 1_000_000);
    else if (/^-c\d+$/.test(a)) count = readInt(a.slice(2), 1, 1_000_000);
  });
  run.step({ kind: 'ping', target, count, source: run.source });
  return 'harmless';
}

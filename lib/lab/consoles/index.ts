/**
 * Console dispatch: a command typed at a node runs with the console of the node's OS and returns
 * what the device prints. A command we do not simulate says so plainly rather than guessing.
 */
import type { Duration } from '../../sim/time';
import type { NetNode } from '../../net/node';
import type { Lab } from '../lab';
import { iosCommand, iosCommandList } from './ios';
import { linuxCommand, linuxCommandList } from './linux';
import { frrVtyshCommand } from './frr';
import { frrLogFileCommand } from './bfd';
import { ConsoleError } from './process';

export { ConsoleError, splitWords } from './process';
export { showIpRoute, iosAge } from './ios';
export { netstatRn } from './linux';

/** Thrown when a command cannot run at all (unknown command, halted node). */
export class ExecError extends Error {}

export function runConsoleCommand(lab: Lab, node: NetNode, command: string, limit: Duration | undefined): string {
  if (!node.running) throw new ExecError(`${node.name} is halted: its console does not answer`);
  try {
    // vtysh on an FRR node reads the node's FRR configuration (show running-config, its release).
    const frr = node.profile.os === 'ios' ? null : frrVtyshCommand(node, lab.spec.nodes.find((n) => n.name === node.name), command);
    if (frr !== null) return frr;
    // The FRR daemons' log file (`log file PATH`), as `cat` or `tail` read it.
    const log = node.profile.os === 'ios' ? null : frrLogFileCommand(node, lab.spec.nodes.find((n) => n.name === node.name), command);
    if (log !== null) return log;
    const out = node.profile.os === 'ios' ? iosCommand(node, command) : linuxCommand(node, command, limit);
    if (out !== null) return out;
  } catch (e) {
    if (e instanceof ConsoleError) return e.message;
    throw e;
  }
  const word = command.trim().split(/\s+/)[0] ?? '';
  if (node.profile.os === 'ios') {
    throw new ExecError(`${node.name}: "${command}" is not simulated; IOS commands: ${iosCommandList()}`);
  }
  throw new ExecError(`${node.name}: ${word}: not simulated; Linux commands: ${linuxCommandList()}`);
}

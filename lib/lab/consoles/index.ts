/**
 * Console dispatch: a command typed at a node runs with the console of the node's OS and returns
 * what the device prints. A command we do not simulate says so plainly rather than guessing.
 */
import type { Duration } from '../../sim/time';
import type { NetNode } from '../../net/node';
import type { Lab } from '../lab';
import { iosCommand, iosCommandList } from './ios';
import { linuxCommand, linuxCommandList } from './linux';
import { frrVtyshCommand, vtyshOne } from './frr';
import { frrLogFileCommand } from './bfd';
import { ConsoleError, splitWords } from './process';
import { vtyshCommands } from './rip';
import { isConfigureTerminal } from '../config-session';

export { ConsoleError, splitWords } from './process';
export { showIpRoute, iosAge } from './ios';
export { netstatRn } from './linux';

/** Thrown when a command cannot run at all (unknown command, halted node). */
export class ExecError extends Error {}

export function runConsoleCommand(lab: Lab, node: NetNode, command: string, limit: Duration | undefined): string {
  if (!node.running) throw new ExecError(`${node.name} is halted: its console does not answer`);
  try {
    const configured = configureCommand(lab, node, command, limit);
    if (configured !== null) return configured;
    // vtysh on an FRR node reads the node's FRR configuration (show running-config, its release).
    const spec = lab.nodeSpec(node.name);
    const frr = node.profile.os === 'ios' ? null : frrVtyshCommand(node, spec, command);
    if (frr !== null) return frr;
    // The FRR daemons' log file (`log file PATH`), as `cat` or `tail` read it.
    const log = node.profile.os === 'ios' ? null : frrLogFileCommand(node, spec, command);
    if (log !== null) return log;
    // IOS: the node's configuration for show running-config.
    const out = node.profile.os === 'ios' ? iosCommand(node, command, spec) : linuxCommand(node, command, limit);
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

/**
 * `configure terminal` at a console: IOS's console keeps its mode from one command to the next (a
 * terminal); vtysh runs its `-c` commands in one session, as `vtysh -c "configure terminal" -c
 * "router rip" -c "passive-interface eth1"` does. Null: the command has no configuration in it.
 */
function configureCommand(lab: Lab, node: NetNode, command: string, limit: Duration | undefined): string | null {
  if (node.profile.os === 'ios') {
    const session = lab.live.consoleSession(node.name);
    if (session === null) return null;
    const r = lab.live.line(node.name, session, command);
    if (r === null || typeof r === 'string') return r;
    return runConsoleCommand(lab, node, r.exec, limit);
  }
  const words = splitWords(command);
  if (words[0] !== 'vtysh') return null;
  const commands = vtyshCommands(words.slice(1));
  if (commands === null || !commands.some((c) => isConfigureTerminal(splitWords(c)))) return null;
  const session = lab.live.newSession(node.name);
  if (session === null) return null;
  const out: string[] = [];
  for (const c of commands) {
    const r = lab.live.line(node.name, session, c);
    if (typeof r === 'string') {
      if (r !== '') out.push(r);
    } else out.push(vtyshOne(node, lab.nodeSpec(node.name), r === null ? c : r.exec));
  }
  return out.join('\n');
}

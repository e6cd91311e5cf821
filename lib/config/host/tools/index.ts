/**
 * The Linux tools a setup script may call, by command name. Adding a tool: write its handler in a file
 * of this folder and add one line to TOOLS. A name not in TOOLS only looks when it is in HARMLESS, is
 * an interpreter the simulator does not run (NOT_RUN), or else is reported as not modelled.
 */
import { CommandRun, type Tool } from '../command';
import type { CommandStatus, HostScriptState } from '../state';
import type { SimpleCommand, Statement } from '../syntax';
import { apt } from './apt';
import { cd, exit } from './builtins';
import { ed, sed } from './edit';
import { touch, writeFile } from './files';
import { harmless, HARMLESS } from './harmless';
import { ifconfig } from './ifconfig';
import { ip } from './ip';
import { domainname, hostname } from './names';
import { ping } from './ping';
import { route } from './route';
import { notModelled, notRun, NOT_RUN, perl } from './scripts';
import { initScriptService, service, serviceAction, systemctl } from './service';
import { sysctl } from './sysctl';

export { HARMLESS } from './harmless';

export const TOOLS: ReadonlyMap<string, Tool> = new Map<string, Tool>([
  ['ifconfig', ifconfig],
  ['route', route],
  ['ip', ip],
  ['sysctl', sysctl],
  ['hostname', hostname],
  ['domainname', domainname],
  ['cd', cd],
  ['cat', writeFile],
  ['tee', writeFile],
  ['echo', writeFile],
  ['printf', writeFile],
  ['touch', touch],
  ['ed', ed],
  ['sed', sed],
  ['apt-get', apt],
  ['apt', apt],
  ['service', service],
  ['invoke-rc.d', service],
  ['systemctl', systemctl],
  ['ping', ping],
  ['exit', exit],
  ['perl', perl],
]);

function toolFor(name: string): Tool {
  return TOOLS.get(name) ?? (HARMLESS.has(name) ? harmless : NOT_RUN.includes(name) ? notRun : notModelled);
}

/**
 * Runs one command whose words are expanded (`args`). `apply` false: the command sits in a branch
 * that does not run; its arguments are checked, nothing changes.
 */
export function execute(state: HostScriptState, args: string[], command: SimpleCommand, statement: Statement, apply: boolean): CommandStatus {
  const argv = args[0] === 'sudo' ? args.slice(1) : args;
  const run = new CommandRun(state, argv, command, statement, apply);
  const initService = initScriptService(argv[0] ?? '');
  if (initService !== null) return serviceAction(run, initService, argv[1]);
  return toolFor(run.name)(run);
}

/**
 * The console's DNS tools (lib/lab/consoles/dns.ts `startLookup`, in a private ConsoleProcess) as the
 * DNS probes and health checks run them, loaded with the first lookup: a run that only pings never
 * loads the consoles.
 */
import type { Scheduler } from '../sim/scheduler';
import type { ConsoleProcess } from '../lab/consoles/process';

export interface DnsTools {
  newProcess(scheduler: Scheduler): ConsoleProcess;
  startLookup: typeof import('../lab/consoles/dns').startLookup;
}

let tools: DnsTools | null = null;

export function dnsTools(): DnsTools {
  if (tools === null) {
    const { ConsoleProcess: Process } = require('../lab/consoles/process') as typeof import('../lab/consoles/process');
    const { startLookup } = require('../lab/consoles/dns') as typeof import('../lab/consoles/dns');
    tools = { newProcess: (scheduler) => new Process(scheduler), startLookup };
  }
  return tools;
}

/**
 * Starting and stopping services: `service NAME ACTION`, `invoke-rc.d NAME ACTION`,
 * `/etc/init.d/NAME ACTION` and `systemctl ACTION UNIT…`. Start, stop, restart and reload are boot
 * steps; `enable`/`disable` change nothing here, since a service starts when the script starts it.
 */
import type { CommandRun } from '../command';
import type { CommandStatus } from '../state';

/** `service NAME ACTION` and `invoke-rc.d NAME ACTION`. */
export function service(run: CommandRun): CommandStatus {
  return serviceAction(run, run.args[0] ?? '', run.args[1]);
}

export function systemctl(run: CommandRun): CommandStatus {
  const rest = run.args;
  const action = rest.find((a) => !a.startsWith('-'));
  const units = rest.filter((a) => !a.startsWith('-')).slice(1);
  if (action === undefined || action === 'status' || action === 'is-active' || action === 'list-units') return 'harmless';
  if (action === 'enable' || action === 'disable' || action === 'daemon-reload') {
    run.finding('ignored', `${run.got}: services start when the script starts them`);
    return 'harmless';
  }
  if (units.length === 0) {
    run.problem(`expected "systemctl ${action} <service>", got ${run.got}`);
    return 'modelled';
  }
  let status: CommandStatus = 'modelled';
  for (const u of units) status = serviceAction(run, u.replace(/\.service$/, ''), action);
  return status;
}

/** `/etc/init.d/NAME ACTION`: the command's own path names the service. */
const INIT_SCRIPT = /^\/etc\/init\.d\/([A-Za-z0-9_.-]+)$/;

/** The service an init script path names (`/etc/init.d/bind9` → `bind9`), or null. */
export function initScriptService(path: string): string | null {
  return INIT_SCRIPT.exec(path)?.[1] ?? null;
}

export function serviceAction(run: CommandRun, service: string, action: string | undefined): CommandStatus {
  if (service === '' || action === undefined) {
    run.problem(`expected "service <name> start|stop|restart|reload", got ${run.got}`);
    return 'modelled';
  }
  const normalized = action === 'force-reload' ? 'reload' : action;
  if (normalized === 'status') return 'harmless';
  if (normalized !== 'start' && normalized !== 'stop' && normalized !== 'restart' && normalized !== 'reload') {
    return run.unsupported(`${run.got}: "${action}" is not modelled (start, stop, restart, reload are)`);
  }
  run.step({ kind: 'service', service, action: normalized, source: run.source });
  return 'modelled';
}

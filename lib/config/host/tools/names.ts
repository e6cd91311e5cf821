/** `hostname <name>` and `domainname <name>` (`-b` allowed); without a name, or with a flag, they only print. */
import type { CommandRun } from '../command';
import type { CommandStatus } from '../state';

export function hostname(run: CommandRun): CommandStatus {
  const value = nameArgument(run);
  if (typeof value === 'string' && run.apply) {
    run.state.hostname = { value, source: run.source };
    run.state.bootSteps.push({ kind: 'hostname-set', hostname: value, source: run.source });
  }
  return value === undefined ? 'harmless' : 'modelled';
}

export function domainname(run: CommandRun): CommandStatus {
  const value = nameArgument(run);
  if (typeof value === 'string' && run.apply) {
    run.state.domain = { value, source: run.source };
    run.state.bootSteps.push({ kind: 'domain-set', domain: value, source: run.source });
  }
  return value === undefined ? 'harmless' : 'modelled';
}

/** The name to set; undefined when the command only prints, null after a problem. */
function nameArgument(run: CommandRun): string | null | undefined {
  const rest = run.args;
  if (rest.length === 0 || (rest.length === 1 && /^-[a-zA-Z]$/.test(rest[0]!) && rest[0] !== '-b')) return undefined;
  const value = rest[rest.length - 1]!;
  if (rest.length > 2 || (rest.length === 2 && rest[0] !== '-b') || !/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/.test(value)) {
    run.problem(`expected "${run.name} <name>" (letters, digits, dots and hyphens), got ${run.got}`);
    return null;
  }
  return value;
}

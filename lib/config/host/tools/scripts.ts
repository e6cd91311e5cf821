/**
 * Commands the simulator does not run: other scripts and interpreters (`perl`, `python3`, `bash`,
 * `make`, …), and any command it does not know. Each is a finding and a `not-modelled` boot step, so
 * the lab's boot shows where the real device would have done something more. The one script it does
 * model is the write-up's zone generator, `perl make_config.perl <input>`: lib/config/dns.ts builds
 * the zones it writes.
 */
import { makeConfigInput } from '../../dns';
import type { CommandRun } from '../command';
import type { CommandStatus } from '../state';

/** Interpreters and script runners: the script they run is not read. */
export const NOT_RUN: readonly string[] = ['perl', 'python', 'python3', 'bash', 'sh', 'source', '.', 'ruby', 'make'];

export function perl(run: CommandRun): CommandStatus {
  const zoneInput = makeConfigInput(run.argv);
  if (zoneInput === null) return notRun(run);
  run.step({ kind: 'dns-zones-generated', script: run.argv[1]!, input: run.state.resolvePath(zoneInput), cwd: run.state.cwd, source: run.source });
  return 'modelled';
}

export function notRun(run: CommandRun): CommandStatus {
  if (run.apply) {
    run.state.findings.add('unsupported', run.line, `${run.got}: the simulator does not run ${run.name} scripts`);
    run.state.bootSteps.push({ kind: 'not-modelled', command: run.statement.text, cwd: run.state.cwd, source: run.source });
  }
  return 'unsupported';
}

export function notModelled(run: CommandRun): CommandStatus {
  if (run.apply) {
    run.state.findings.add('unsupported', run.line, `${run.got}: "${run.name}" is not modelled by the simulator`);
    run.state.bootSteps.push({ kind: 'not-modelled', command: run.statement.text, cwd: run.state.cwd, source: run.source });
  }
  return 'unsupported';
}

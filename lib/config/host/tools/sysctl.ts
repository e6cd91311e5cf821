/**
 * `sysctl -w net.ipv4.ip_forward=1` (also `net.ipv4.conf.all.forwarding`, and the slash spelling);
 * reading a value only looks. Other keys are reported as not modelled.
 */
import type { CommandRun } from '../command';
import type { CommandStatus } from '../state';

export function sysctl(run: CommandRun): CommandStatus {
  const rest = run.args;
  const got = run.got;
  const settings = rest.filter((a) => !a.startsWith('-'));
  if (rest.includes('-p') || rest.includes('--system')) return run.unsupported(`${got}: reading sysctl files is not modelled`);
  if (settings.length === 0) return 'harmless';
  let status: CommandStatus = 'harmless';
  for (const s of settings) {
    const m = /^([a-z0-9_./-]+)=(.*)$/.exec(s);
    if (m === null) continue; // reading a value
    const key = m[1]!.replace(/\//g, '.');
    if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
      if (m[2] !== '0' && m[2] !== '1') {
        run.problem(`expected "${key}=0" or "${key}=1", got ${got}`);
        return 'modelled';
      }
      setIpForwarding(run, m[2] === '1');
      status = 'modelled';
    } else {
      run.finding('unsupported', `${got}: "${key}" is not modelled`);
      status = 'unsupported';
    }
  }
  return status;
}

/** The kernel's IPv4 forwarding switch, set by sysctl or by a write to /proc/sys/net/ipv4/ip_forward. */
export function setIpForwarding(run: CommandRun, enabled: boolean): void {
  if (!run.apply) return;
  run.state.ipForwarding = enabled;
  run.state.bootSteps.push({ kind: 'ip-forwarding', enabled, source: run.source });
}

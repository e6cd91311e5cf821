/**
 * Edits of files already on the device: `ed FILE <<EOF … EOF` and `sed -i SCRIPT FILE…` (the write-up
 * takes `-u bind` out of /etc/default/bind9 this way). Only line deletions by pattern are understood;
 * any edit is recorded as a boot step with its script.
 */
import { heredocText } from '../expand';
import type { CommandRun } from '../command';
import type { CommandStatus } from '../state';

export function ed(run: CommandRun): CommandStatus {
  const files = run.args.filter((a) => !a.startsWith('-'));
  const heredoc = run.command.redirects.find((r) => r.heredoc !== null);
  if (files.length !== 1 || heredoc === undefined) return run.unsupported(`${run.got}: only "ed <file> <<EOF … EOF" is modelled`);
  const script = heredocText(run.state, heredoc, run.line, run.apply);
  const deletes: string[] = [];
  let pending: string | null = null;
  let understood = true;
  for (const raw of script.split('\n')) {
    const cmd = raw.trim();
    if (cmd === '' || cmd === 'w' || cmd === 'q' || cmd === 'wq' || cmd === 'Q' || /^\d+$/.test(cmd) || cmd === '$') {
      pending = null;
      continue;
    }
    const searchDelete = /^\/(.*)\/d$/.exec(cmd);
    if (searchDelete !== null) {
      deletes.push(searchDelete[1]!);
      continue;
    }
    const search = /^\/(.*?)\/?$/.exec(cmd);
    if (search !== null) {
      pending = search[1]!;
      continue;
    }
    if (cmd === 'd' && pending !== null) {
      deletes.push(pending);
      pending = null;
      continue;
    }
    understood = false;
  }
  if (run.apply) {
    run.state.bootSteps.push({ kind: 'file-edited', path: run.state.resolvePath(files[0]!), editor: 'ed', script, deletesLinesMatching: deletes, source: run.source });
    if (!understood) run.state.findings.add('unsupported', run.line, `${run.got}: the ed commands are recorded but only "/pattern" + "d" is understood`);
  }
  return understood ? 'modelled' : 'unsupported';
}

/** sed: only in-place edits change the device. */
export function sed(run: CommandRun): CommandStatus {
  const rest = run.args;
  if (!rest.some((a) => a === '-i' || a.startsWith('-i') || a === '--in-place')) return 'harmless';
  const nonOptions = rest.filter((a) => !a.startsWith('-'));
  if (nonOptions.length < 2) {
    run.problem(`expected "sed -i '<script>' <file>", got ${run.got}`);
    return 'modelled';
  }
  const script = nonOptions[0]!;
  const deletes: string[] = [];
  const del = /^\/(.*)\/d$/.exec(script);
  if (del !== null) deletes.push(del[1]!);
  if (run.apply) {
    for (const f of nonOptions.slice(1)) {
      run.state.bootSteps.push({ kind: 'file-edited', path: run.state.resolvePath(f), editor: 'sed', script, deletesLinesMatching: deletes, source: run.source });
    }
    if (del === null) run.state.findings.add('unsupported', run.line, `${run.got}: the sed edit is recorded but only "/pattern/d" is understood`);
  }
  return del === null ? 'unsupported' : 'modelled';
}

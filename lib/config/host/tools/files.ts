/**
 * Commands that write files: `cat > FILE <<EOF … EOF`, `tee [-a] FILE <<EOF`, `echo … > FILE` (and
 * `>>`), `printf TEXT > FILE`, `touch FILE`. A write to /proc/sys/net/ipv4/ip_forward is the kernel's
 * forwarding switch. Without a redirection, echo, printf and cat only print.
 */
import { expand, heredocText } from '../expand';
import type { CommandRun } from '../command';
import type { CommandStatus } from '../state';
import type { Redirect } from '../syntax';
import { setIpForwarding } from './sysctl';

/** `cat`, `tee`, `echo`, `printf`. */
export function writeFile(run: CommandRun): CommandStatus {
  const name = run.name;
  const redirects = run.command.redirects;
  const outRedirect = redirects.find((r) => (r.op === '>' || r.op === '>>' || r.op === '>|' || r.op === '&>') && (r.fd === null || r.fd === 1));
  const heredoc = redirects.find((r) => r.heredoc !== null);
  if (outRedirect === undefined && name !== 'tee') {
    if (name === 'cat' && heredoc !== undefined) return run.unsupported(`${run.got}: a here-document read by cat without "> <file>" is not modelled`);
    return 'harmless';
  }
  const target = writeTarget(run, outRedirect);
  if (target === 'unsupported' || target === 'modelled') return target;
  if (target === null) return 'harmless';
  const content = name === 'cat' || name === 'tee' ? heredocContent(run, heredoc) : echoContent(run);
  if (content === 'unsupported') return content;
  const path = run.state.resolvePath(target.path);
  if (path === '/proc/sys/net/ipv4/ip_forward') {
    const v = content.text.trim();
    if (v !== '0' && v !== '1') {
      run.problem(`expected "echo 1 > /proc/sys/net/ipv4/ip_forward" (or 0), got ${run.got}`);
      return 'modelled';
    }
    setIpForwarding(run, v === '1');
    return 'modelled';
  }
  if (run.apply) run.state.addWrittenFile(path, content.text, target.mode, run.source, content.line);
  return 'modelled';
}

/** The file written (null: none), or the status to return when that cannot be told. */
function writeTarget(run: CommandRun, outRedirect: Redirect | undefined): { path: string; mode: 'write' | 'append' } | null | 'modelled' | 'unsupported' {
  if (run.name === 'tee') {
    const rest = run.args;
    const files = rest.filter((a) => !a.startsWith('-'));
    if (files.length !== 1) return run.unsupported(`${run.got}: only "tee [-a] <file> <<EOF" is modelled`);
    return { path: files[0]!, mode: rest.includes('-a') || rest.includes('--append') ? 'append' : 'write' };
  }
  if (outRedirect === undefined) return null;
  const t = outRedirect.target;
  if (t === null) return 'modelled'; // the lexer reported it
  const e = expand(run.state, [t], true);
  if (!e.ok || e.args.length !== 1) {
    run.problem(`${run.got}: cannot tell which file this writes`);
    return 'modelled';
  }
  return { path: e.args[0]!, mode: outRedirect.op === '>>' ? 'append' : 'write' };
}

/** What cat or tee writes: the here-document (and the line its body starts on). */
function heredocContent(run: CommandRun, heredoc: Redirect | undefined): { text: string; line: number } | 'unsupported' {
  if (heredoc === undefined) {
    if (run.name === 'cat' && run.args.length > 0) return run.unsupported(`${run.got}: copying files is not modelled`);
    return run.unsupported(`${run.got}: only "cat > <file> <<EOF … EOF" is modelled`);
  }
  return { text: heredocText(run.state, heredoc, run.line, run.apply), line: heredoc.heredoc!.bodyLine };
}

/** What echo or printf writes. */
function echoContent(run: CommandRun): { text: string; line: number } | 'unsupported' {
  let words = run.args;
  let newline = run.name === 'echo';
  if (run.name === 'echo') {
    while (words[0] !== undefined && /^-[neE]+$/.test(words[0])) {
      if (words[0].includes('n')) newline = false;
      if (words[0].includes('e')) run.finding('note', `${run.got}: "echo -e" escapes are written as typed`);
      words = words.slice(1);
    }
  } else if (words.length > 1 || /%/.test(words[0] ?? '')) {
    return run.unsupported(`${run.got}: printf formats are not modelled`);
  }
  return { text: words.join(' ') + (newline ? '\n' : ''), line: run.line };
}

/** `touch FILE…`: the files exist from now on (`[ -f FILE ]` is true). */
export function touch(run: CommandRun): CommandStatus {
  if (run.args.length === 0) {
    run.problem(`expected "touch <file>", got ${run.got}`);
    return 'modelled';
  }
  for (const f of run.args.filter((a) => !a.startsWith('-'))) {
    if (run.apply) run.state.addWrittenFile(run.state.resolvePath(f), '', 'append', run.source, run.line);
  }
  return 'modelled';
}

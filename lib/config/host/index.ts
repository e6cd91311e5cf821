/**
 * Linux host setup scripts (the write-up's `setup.xenialN.sh`, a containerlab node's startup script).
 *
 * The script is read, not run: each command is either modelled (it changes the node: `ifconfig`,
 * `route add`, `ip addr add`, `ip route add`, `sysctl -w net.ipv4.ip_forward=1`, `hostname X`,
 * here-documents into files, `apt-get install`, `service bind9 restart`, `ed` edits), harmless (it only
 * prints or looks: `echo`, `netstat -rn`, `cat`, `banner`, `ping`, `cd`), or unsupported (reported as a
 * finding with its line, e.g. `perl make_config…`). Arguments that the real command would reject are
 * errors (`ifconfig eth1 10.128.5.300 …`, a gateway on no connected subnet).
 *
 * Shell features: `VAR=value`, `$VAR`/`${VAR}`, quotes, comments, `;`, here-documents, and
 * `if [ -f PATH ] ; then … [else …] fi`. The condition is decided from what exists on the device:
 * bound lab files, files the script wrote earlier, and lab options (see `HostScriptOptions`).
 * The write-up's interface-naming idiom `ETH1=$(dmesg | grep -i 'renamed from eth1' | sed …)` names
 * the interface `eth1` (its sed expression is garbled in the write-up; we only look for the name).
 *
 * The parts: lexer.ts (text → statements), interpreter.ts with control.ts and expand.ts (the shell),
 * state.ts (what the script has done so far), and tools/ (one file per Linux tool family, registered
 * by command name in tools/index.ts).
 */
export { parseHostScript } from './interpreter';
export { lexShell } from './lexer';
export type { HostScriptConfig, HostScriptOptions, ScriptCommand } from './state';
export type { Heredoc, LexProblem, Redirect, SimpleCommand, Statement, Word, WordPart } from './syntax';
export { TOOLS } from './tools';
export type { Tool } from './command';

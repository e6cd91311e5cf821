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
 */
import { makeConfigInput } from './dns';
import { classfulPrefixLength, formatIpv4, formatPrefix, inSubnet, networkOf, readCidr, readIpv4, readNetmask } from './addr';
import { interfaceIn, isLinuxInterfaceName, isLinuxLoopback, kw, readInt } from './common';
import { Findings, Problems, quote, ref } from './errors';
import { lexShell, type Redirect, type SimpleCommand, type Statement, type Word } from './shell';
import type { Ipv4Addr } from '../wire/types';
import type { BootStep, ConfigFinding, InterfaceSpec, Sourced, SourceRef, StaticRouteSpec, WrittenFileSpec } from './spec';

export interface HostScriptOptions {
  /**
   * Lab options. `[ -f /vagrant/NAME ]` is true when option NAME is on.
   * NOTE: Vagrant shares the lab folder as /vagrant, and the write-up switches anycast on with
   * `touch do_anycast` there (§4.3.2); an option stands for such a file.
   */
  options?: Readonly<Record<string, boolean | undefined>>;
  /** Paths that exist on the device before the script runs (files bound in from the lab). */
  files?: readonly string[];
}

/** How a command of the script was read. */
export interface ScriptCommand {
  line: number;
  text: string;
  status: 'modelled' | 'harmless' | 'unsupported' | 'skipped';
}

export interface HostScriptConfig {
  hostname: Sourced<string> | null;
  domain: Sourced<string> | null;
  /** Interfaces the script configured (no MACs: those come from the topology). */
  interfaces: InterfaceSpec[];
  staticRoutes: StaticRouteSpec[];
  /** `sysctl -w net.ipv4.ip_forward=1` or `echo 1 > /proc/sys/net/ipv4/ip_forward`. */
  ipForwarding: boolean;
  writtenFiles: WrittenFileSpec[];
  bootSteps: BootStep[];
  findings: ConfigFinding[];
  /** Every command, in order, with how it was read (harmless commands are recorded here). */
  transcript: ScriptCommand[];
}

/** Debian packages whose install scripts start a service right away (this is what bit the write-up, §4.3.4). */
const PACKAGE_SERVICES: Record<string, string[]> = {
  bind9: ['bind9'],
  quagga: ['quagga'],
  frr: ['frr'],
  'isc-dhcp-server': ['isc-dhcp-server'],
  dnsmasq: ['dnsmasq'],
};

const HARMLESS = new Set([
  'echo',
  'printf',
  'netstat',
  'cat',
  'banner',
  'true',
  ':',
  'sleep',
  'date',
  'uname',
  'whoami',
  'id',
  'ls',
  'pwd',
  'dmesg',
  'env',
  'wait',
  'sync',
  'nslookup',
  'dig',
  'host',
  'traceroute',
  'tracepath',
  'arp',
  'ss',
  'ps',
  'free',
  'df',
  'uptime',
  'which',
  'whereis',
  'tail',
  'head',
  'grep',
  'wc',
  'sort',
  'clear',
  'logger',
  'set',
  'figlet',
  'tput',
]);

const NOT_RUN = new Set(['perl', 'python', 'python3', 'bash', 'sh', 'source', '.', 'ruby', 'make']);

interface Frame {
  kind: 'if' | 'loop';
  line: number;
  /** The branch being read now will run (given the enclosing frames run). */
  branchTrue: boolean;
  condition: boolean;
  seenThen: boolean;
  inElse: boolean;
}

type Expanded = { ok: true; args: string[] } | { ok: false; unset: string[]; unknown: string[] };

/** Reads a host setup script. Throws LabFileError listing every error. */
export function parseHostScript(text: string, file: string, options: HostScriptOptions = {}): HostScriptConfig {
  const problems = new Problems(file);
  const findings = new Findings(file);
  const interfaces: InterfaceSpec[] = [];
  const staticRoutes: StaticRouteSpec[] = [];
  const writtenFiles: WrittenFileSpec[] = [];
  const bootSteps: BootStep[] = [];
  const transcript: ScriptCommand[] = [];
  const existing = new Set(options.files ?? []);
  const labOptions = options.options ?? {};
  /** null value: set by a command we do not run. */
  const vars = new Map<string, { value: string | null; line: number }>();
  let hostname: Sourced<string> | null = null;
  let domain: Sourced<string> | null = null;
  let ipForwarding = false;
  let cwd = '/';
  let exited = false;
  const frames: Frame[] = [];

  const lexed = lexShell(text);
  for (const p of lexed.problems) problems.add(p.line, p.message, p.column);

  const active = (): boolean => !exited && frames.every((f) => f.branchTrue);

  for (const statement of lexed.statements) {
    runStatement(statement);
  }
  for (const f of frames) {
    problems.add(f.line, f.kind === 'if' ? 'this "if" is never closed by "fi"' : 'this loop is never closed by "done"/"esac"');
  }

  function record(statement: Statement, status: ScriptCommand['status']): void {
    transcript.push({ line: statement.line, text: statement.text, status });
  }

  function runStatement(statement: Statement): void {
    const got = quote(statement.text);
    if (statement.commands.length > 1 || statement.background) {
      // Pipelines and lists: fine when every part only looks; otherwise not modelled.
      const kinds = statement.commands.map((c) => literalName(c));
      if (!active()) {
        record(statement, 'skipped');
        return;
      }
      if (kinds.every((k) => k !== null && (HARMLESS.has(k) || k === 'ifconfig' || k === 'route' || k === 'ip' || k === 'ping'))) {
        record(statement, 'harmless');
        return;
      }
      findings.add('unsupported', statement.line, `${got}: pipelines, "&&", "||" and "&" are not modelled`);
      record(statement, 'unsupported');
      return;
    }
    runCommand(statement.commands[0]!, statement);
  }

  /** The command's name when it is plain text (no expansions). */
  function literalName(c: SimpleCommand): string | null {
    const w = c.words[0];
    if (w === undefined || w.parts.some((p) => p.kind !== 'text')) return null;
    return w.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
  }

  function runCommand(c: SimpleCommand, statement: Statement): void {
    const first = literalName(c);
    const got = quote(statement.text);
    const lineNo = statement.line;

    // Control structures: `if [ -f X ] ; then … else … fi`.
    if (first === 'if') {
      const wasActive = active();
      const cond = wasActive ? evaluateCondition(c.words.slice(1), lineNo, got) : false;
      frames.push({ kind: 'if', line: lineNo, branchTrue: cond, condition: cond, seenThen: false, inElse: false });
      record(statement, wasActive ? 'modelled' : 'skipped');
      return;
    }
    if (first === 'then' || first === 'else') {
      const top = frames[frames.length - 1];
      if (top === undefined || top.kind !== 'if' || (first === 'then' && top.seenThen) || (first === 'else' && (!top.seenThen || top.inElse))) {
        problems.add(lineNo, `"${first}" without a matching "if"`);
        return;
      }
      if (first === 'then') top.seenThen = true;
      else {
        top.inElse = true;
        top.branchTrue = !top.condition;
      }
      if (c.words.length > 1 || c.redirects.length > 0) {
        runCommand({ ...c, words: c.words.slice(1) }, { ...statement, text: statement.text.replace(/^\s*(then|else)\s+/, '') });
      }
      return;
    }
    if (first === 'elif') {
      problems.add(lineNo, `expected "if [ -f <path> ] ; then … [else …] fi": "elif" is not supported, got ${got}`);
      return;
    }
    if (first === 'fi') {
      const top = frames[frames.length - 1];
      if (top === undefined || top.kind !== 'if') problems.add(lineNo, '"fi" without a matching "if"');
      else {
        if (!top.seenThen) problems.add(top.line, 'expected "then" after the condition of this "if"');
        frames.pop();
      }
      if (c.words.length > 1) problems.add(lineNo, `expected "fi" alone, got ${got}`);
      return;
    }
    if (first === 'while' || first === 'until' || first === 'for' || first === 'case' || first === 'select') {
      if (active()) findings.add('unsupported', lineNo, `${got}: loops and case statements are not modelled; their body is skipped`);
      frames.push({ kind: 'loop', line: lineNo, branchTrue: false, condition: false, seenThen: true, inElse: false });
      record(statement, 'unsupported');
      return;
    }
    if (first === 'done' || first === 'esac') {
      const top = frames[frames.length - 1];
      if (top === undefined || top.kind !== 'loop') problems.add(lineNo, `"${first}" without a matching loop`);
      else frames.pop();
      return;
    }
    if (first === 'do') {
      if (c.words.length > 1) runCommand({ ...c, words: c.words.slice(1) }, statement);
      return;
    }
    const top = frames[frames.length - 1];
    if (top !== undefined && top.kind === 'if' && !top.seenThen) {
      problems.add(top.line, `expected "then" after the condition of this "if", got ${got} on line ${lineNo}`);
      top.seenThen = true;
    }

    // Assignments: `VAR=value`, `export VAR=value`.
    const words = first === 'export' || first === 'local' || first === 'readonly' ? c.words.slice(1) : c.words;
    if (words.length > 0 && words.every(isAssignment)) {
      if (active()) for (const w of words) assign(w, lineNo, got);
      record(statement, active() ? 'modelled' : 'skipped');
      return;
    }
    if (c.words.length === 0) {
      // Only redirections (`> file`): truncates a file.
      record(statement, active() ? 'unsupported' : 'skipped');
      if (active()) findings.add('unsupported', lineNo, `${got}: a redirection without a command is not modelled`);
      return;
    }
    const commandWords = words.length > 0 && isAssignment(words[0]!) ? words.filter((w) => !isAssignment(w)) : c.words;
    if (commandWords.length === 0) return;
    if (!active()) {
      // Still check the arguments the real command would reject, so a lab is wrong in one way only.
      const expanded = expand(commandWords, false);
      if (expanded.ok) execute(expanded.args, c, statement, false);
      record(statement, 'skipped');
      return;
    }
    const expanded = expand(commandWords, true);
    if (!expanded.ok) {
      if (expanded.unset.length > 0) {
        problems.add(lineNo, `${got} uses ${expanded.unset.map((n) => '$' + n).join(', ')}, which the script never sets (bash would run it with an empty word)`);
      } else {
        const name = literalName(c);
        if (name !== null && HARMLESS.has(baseName(name))) {
          record(statement, 'harmless');
          return;
        }
        findings.add(
          'unsupported',
          lineNo,
          `${got} uses ${expanded.unknown.map((n) => (n.startsWith('$(') || n.startsWith('`') || n.startsWith('${') ? n : '$' + n)).join(', ')}, whose value comes from a command the simulator does not run`,
        );
      }
      record(statement, 'unsupported');
      return;
    }
    const status = execute(expanded.args, c, statement, true);
    record(statement, status);
  }

  function isAssignment(w: Word): boolean {
    const p = w.parts[0];
    return p !== undefined && p.kind === 'text' && !p.quoted && /^[A-Za-z_][A-Za-z0-9_]*=/.test(p.text);
  }

  function assign(w: Word, lineNo: number, got: string): void {
    const p = w.parts[0] as { kind: 'text'; text: string; quoted: boolean };
    const eq = p.text.indexOf('=');
    const name = p.text.slice(0, eq);
    const valueWord: Word = { ...w, parts: [{ ...p, text: p.text.slice(eq + 1) }, ...w.parts.slice(1)].filter((x) => !(x.kind === 'text' && x.text === '')) };
    // The write-up's idiom: ETH1=$(dmesg | grep -i 'renamed from eth1' | sed …) names interface eth1.
    const subst = valueWord.parts.length === 1 && valueWord.parts[0]!.kind === 'subst' ? valueWord.parts[0]!.text : null;
    if (subst !== null && /\bdmesg\b/.test(subst)) {
      const m = /renamed from\s+([A-Za-z0-9_.-]+)/.exec(subst);
      if (m !== null) {
        vars.set(name, { value: m[1]!, line: lineNo });
        return;
      }
    }
    const expanded = expandWord(valueWord, true);
    if (expanded.unknown.length > 0 || expanded.unset.length > 0) {
      if (expanded.unknown.length > 0) {
        findings.add('unsupported', lineNo, `${got}: ${name} is set from a command the simulator does not run`);
      }
      vars.set(name, { value: expanded.unknown.length > 0 ? null : expanded.text, line: lineNo });
      return;
    }
    vars.set(name, { value: expanded.text, line: lineNo });
  }

  function expandWord(w: Word, splitUnquoted: boolean): { text: string; fields: string[]; unset: string[]; unknown: string[] } {
    const unset: string[] = [];
    const unknown: string[] = [];
    const fields: string[] = [''];
    let anyQuoted = false;
    for (const part of w.parts) {
      if (part.quoted) anyQuoted = true;
      let value: string;
      if (part.kind === 'text') value = part.text;
      else if (part.kind === 'subst') {
        unknown.push(part.text);
        value = '';
      } else {
        const v = vars.get(part.name);
        if (v === undefined) {
          unset.push(part.name);
          value = '';
        } else if (v.value === null) {
          unknown.push(part.name);
          value = '';
        } else value = v.value;
        if (!part.quoted && splitUnquoted && /\s/.test(value)) {
          const pieces = value.split(/\s+/);
          fields[fields.length - 1] += pieces[0];
          for (const piece of pieces.slice(1)) fields.push(piece);
          continue;
        }
      }
      fields[fields.length - 1] += value;
    }
    const kept = fields.filter((f, i) => f !== '' || anyQuoted || i < fields.length - 1);
    return { text: fields.join(' '), fields: kept, unset, unknown };
  }

  function expand(words: Word[], strict: boolean): Expanded {
    const args: string[] = [];
    const unset: string[] = [];
    const unknown: string[] = [];
    for (const w of words) {
      const e = expandWord(w, true);
      unset.push(...e.unset);
      unknown.push(...e.unknown);
      args.push(...e.fields);
    }
    if (strict && (unset.length > 0 || unknown.length > 0)) return { ok: false, unset, unknown };
    if (!strict && unknown.length > 0) return { ok: false, unset, unknown };
    return { ok: true, args };
  }

  function evaluateCondition(words: Word[], lineNo: number, got: string): boolean {
    const e = expand(words, false);
    if (!e.ok) {
      findings.add('unsupported', lineNo, `${got}: the condition uses a value the simulator cannot know; taken as false`);
      return false;
    }
    let args = e.args;
    if ((args[0] === '[' && args[args.length - 1] === ']') || (args[0] === '[[' && args[args.length - 1] === ']]')) args = args.slice(1, -1);
    else if (args[0] === 'test') args = args.slice(1);
    else {
      findings.add('unsupported', lineNo, `${got}: only "[ -f <path> ]"-style conditions are modelled; taken as false`);
      return false;
    }
    let negate = false;
    if (args[0] === '!') {
      negate = true;
      args = args.slice(1);
    }
    let result: boolean | null = null;
    if (args.length === 2 && (args[0] === '-f' || args[0] === '-e' || args[0] === '-r' || args[0] === '-s')) {
      result = fileExists(resolvePath(args[1]!));
    } else if (args.length === 2 && (args[0] === '-z' || args[0] === '-n')) {
      result = args[0] === '-z' ? args[1] === '' : args[1] !== '';
    } else if (args.length === 3 && (args[1] === '=' || args[1] === '==' || args[1] === '!=')) {
      result = (args[0] === args[2]) === (args[1] !== '!=');
    }
    if (result === null) {
      findings.add('unsupported', lineNo, `${got}: only "[ -f <path> ]", "[ -z … ]" and "[ a = b ]" conditions are modelled; taken as false`);
      return false;
    }
    return negate ? !result : result;
  }

  function fileExists(path: string): boolean {
    if (existing.has(path)) return true;
    if (path.startsWith('/vagrant/')) return labOptions[path.slice('/vagrant/'.length)] === true;
    return false;
  }

  function resolvePath(p: string): string {
    const joined = p.startsWith('/') ? p : `${cwd === '/' ? '' : cwd}/${p}`;
    const out: string[] = [];
    for (const seg of joined.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') out.pop();
      else out.push(seg);
    }
    return '/' + out.join('/');
  }

  function baseName(name: string): string {
    return name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
  }

  // -------------------------------------------------------------------------------------------
  // Commands. `apply` false: the command sits in a branch that does not run; only check arguments.

  function execute(args: string[], c: SimpleCommand, statement: Statement, apply: boolean): ScriptCommand['status'] {
    const lineNo = statement.line;
    const got = quote(statement.text);
    const src = ref(file, lineNo);
    let argv = args;
    if (argv[0] === 'sudo') argv = argv.slice(1);
    const name0 = argv[0] ?? '';
    const initd = /^\/etc\/init\.d\/([A-Za-z0-9_.-]+)$/.exec(name0);
    if (initd !== null) return serviceAction(initd[1]!, argv[1], lineNo, got, src, apply);
    const name = baseName(name0);
    const rest = argv.slice(1);
    const outRedirect = c.redirects.find((r) => (r.op === '>' || r.op === '>>' || r.op === '>|' || r.op === '&>') && (r.fd === null || r.fd === 1));
    const heredoc = c.redirects.find((r) => r.heredoc !== null);
    const unsupported = (message: string): ScriptCommand['status'] => {
      if (apply) findings.add('unsupported', lineNo, message);
      return 'unsupported';
    };

    switch (name) {
      case 'ifconfig':
        return ifconfig(rest, lineNo, got, src, apply);
      case 'route':
        return route(rest, lineNo, got, src, apply);
      case 'ip':
        return ipCommand(rest, lineNo, got, src, apply);
      case 'sysctl':
        return sysctl(rest, lineNo, got, src, apply);
      case 'hostname':
      case 'domainname': {
        if (rest.length === 0 || (rest.length === 1 && /^-[a-zA-Z]$/.test(rest[0]!) && rest[0] !== '-b')) return 'harmless';
        const value = rest[rest.length - 1]!;
        if (rest.length > 2 || (rest.length === 2 && rest[0] !== '-b') || !/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/.test(value)) {
          problems.add(lineNo, `expected "${name} <name>" (letters, digits, dots and hyphens), got ${got}`);
          return 'modelled';
        }
        if (apply) {
          if (name === 'hostname') {
            hostname = { value, source: src };
            bootSteps.push({ kind: 'hostname-set', hostname: value, source: src });
          } else {
            domain = { value, source: src };
            bootSteps.push({ kind: 'domain-set', domain: value, source: src });
          }
        }
        return 'modelled';
      }
      case 'cd': {
        if (apply) cwd = rest.length === 0 ? '/root' : resolvePath(rest[0]!);
        return 'harmless';
      }
      case 'cat':
      case 'tee':
      case 'echo':
      case 'printf': {
        if (outRedirect === undefined && name !== 'tee') {
          if (name === 'cat' && heredoc !== undefined) return unsupported(`${got}: a here-document read by cat without "> <file>" is not modelled`);
          return 'harmless';
        }
        return writeFile(name, rest, outRedirect, heredoc, lineNo, got, src, apply);
      }
      case 'touch': {
        if (rest.length === 0) {
          problems.add(lineNo, `expected "touch <file>", got ${got}`);
          return 'modelled';
        }
        for (const f of rest.filter((a) => !a.startsWith('-'))) addWrittenFile(resolvePath(f), '', 'append', src, lineNo, apply);
        return 'modelled';
      }
      case 'ed':
      case 'sed':
        return editFile(name, rest, heredoc, lineNo, got, src, apply);
      case 'apt-get':
      case 'apt':
        return apt(rest, lineNo, got, src, apply);
      case 'service':
        return serviceAction(rest[0] ?? '', rest[1], lineNo, got, src, apply);
      case 'invoke-rc.d':
        return serviceAction(rest[0] ?? '', rest[1], lineNo, got, src, apply);
      case 'systemctl': {
        const action = rest.find((a) => !a.startsWith('-'));
        const units = rest.filter((a) => !a.startsWith('-')).slice(1);
        if (action === undefined || action === 'status' || action === 'is-active' || action === 'list-units') return 'harmless';
        if (action === 'enable' || action === 'disable' || action === 'daemon-reload') {
          if (apply) findings.add('ignored', lineNo, `${got}: services start when the script starts them`);
          return 'harmless';
        }
        if (units.length === 0) {
          problems.add(lineNo, `expected "systemctl ${action} <service>", got ${got}`);
          return 'modelled';
        }
        let status: ScriptCommand['status'] = 'modelled';
        for (const u of units) status = serviceAction(u.replace(/\.service$/, ''), action, lineNo, got, src, apply);
        return status;
      }
      case 'ping': {
        const target = rest.filter((a, i) => !a.startsWith('-') && !(i > 0 && /^-[cwWiIst]$/.test(rest[i - 1]!))).pop();
        if (target === undefined) {
          problems.add(lineNo, `expected "ping [-c <count>] <host>", got ${got}`);
          return 'harmless';
        }
        let count: number | null = null;
        rest.forEach((a, i) => {
          if (a === '-c') count = readInt(rest[i + 1], 1, 1_000_000);
          else if (/^-c\d+$/.test(a)) count = readInt(a.slice(2), 1, 1_000_000);
        });
        if (apply) bootSteps.push({ kind: 'ping', target, count, source: src });
        return 'harmless';
      }
      case 'exit':
        if (apply) exited = true;
        return 'modelled';
      default:
        break;
    }
    if (HARMLESS.has(name)) return 'harmless';
    // The write-up's zone generator is modelled: lib/config/dns.ts builds the zones it writes.
    const zoneInput = makeConfigInput(argv);
    if (zoneInput !== null) {
      if (apply) bootSteps.push({ kind: 'dns-zones-generated', script: argv[1]!, input: resolvePath(zoneInput), cwd, source: src });
      return 'modelled';
    }
    if (NOT_RUN.has(name)) {
      if (apply) {
        findings.add('unsupported', lineNo, `${got}: the simulator does not run ${name} scripts`);
        bootSteps.push({ kind: 'not-modelled', command: statement.text, cwd, source: src });
      }
      return 'unsupported';
    }
    if (apply) {
      findings.add('unsupported', lineNo, `${got}: "${name}" is not modelled by the simulator`);
      bootSteps.push({ kind: 'not-modelled', command: statement.text, cwd, source: src });
    }
    return 'unsupported';
  }

  // --- addresses ------------------------------------------------------------------------------

  function checkIfaceName(name: string, lineNo: number, got: string): boolean {
    if (!isLinuxInterfaceName(name)) {
      problems.add(lineNo, `expected an interface name such as eth1 or lo:0, got "${name}" in ${got}`);
      return false;
    }
    return true;
  }

  function addAddress(name: string, address: Ipv4Addr, prefixLength: number, label: string | null, src: SourceRef, bringUp: boolean): void {
    const base = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
    const iface = interfaceIn(interfaces, base, src, isLinuxLoopback(base));
    iface.source ??= src;
    const aliasLabel = label ?? (name.includes(':') ? name : null);
    if (aliasLabel !== null) {
      iface.aliases = iface.aliases.filter((a) => a.label !== aliasLabel);
      iface.aliases.push({ label: aliasLabel, address, prefixLength, source: src });
    } else {
      iface.addresses = [{ address, prefixLength, source: src }, ...iface.addresses.slice(1)];
    }
    bootSteps.push({ kind: 'address-added', iface: base, label: aliasLabel, address, prefixLength, source: src });
    if (bringUp && !iface.up) {
      iface.up = true;
      bootSteps.push({ kind: 'link-up', iface: base, source: src });
    }
  }

  function addSecondaryAddress(name: string, address: Ipv4Addr, prefixLength: number, label: string | null, src: SourceRef): void {
    const iface = interfaceIn(interfaces, name, src, isLinuxLoopback(name));
    if (label !== null && label !== name) {
      iface.aliases.push({ label, address, prefixLength, source: src });
    } else if (!iface.addresses.some((a) => a.address === address && a.prefixLength === prefixLength)) {
      iface.addresses.push({ address, prefixLength, source: src });
    }
    bootSteps.push({ kind: 'address-added', iface: name, label, address, prefixLength, source: src });
  }

  function setLink(name: string, up: boolean, src: SourceRef): void {
    const base = name.includes(':') ? name.slice(0, name.indexOf(':')) : name;
    const iface = interfaceIn(interfaces, base, src, isLinuxLoopback(base));
    if (iface.up !== up) {
      iface.up = up;
      bootSteps.push({ kind: up ? 'link-up' : 'link-down', iface: base, source: src });
    }
  }

  function readAddressArg(text: string, lineNo: number, got: string): number | null {
    const a = readIpv4(text);
    if (a === null) problems.add(lineNo, `expected an IPv4 address such as 10.128.5.2, got "${text}" in ${got}`);
    return a;
  }

  /**
   * A route's destination as `route` and `ip route` take it: `default`, a prefix `a.b.c.d/len`, or a
   * bare address (`length` null: the caller decides, from -host/-net or netmask). Null after an error.
   */
  function readRouteTarget(target: string, lineNo: number, got: string): { prefix: number; length: number | null } | null {
    if (target === 'default') return { prefix: 0, length: 0 };
    if (target.includes('/')) {
      const cidr = readCidr(target);
      if (cidr === null) {
        problems.add(lineNo, `expected a prefix such as 10.128.0.0/16, got "${target}" in ${got}`);
        return null;
      }
      return { prefix: cidr.address, length: cidr.prefixLength };
    }
    const a = readAddressArg(target, lineNo, got);
    return a === null ? null : { prefix: a, length: null };
  }

  function readMaskArg(text: string | undefined, lineNo: number, got: string): number | null {
    if (text === undefined) {
      problems.add(lineNo, `expected a netmask after "netmask" in ${got}`);
      return null;
    }
    const len = readNetmask(text);
    if (len === null) problems.add(lineNo, `expected a contiguous netmask such as 255.255.255.0, got "${text}" in ${got}`);
    return len;
  }

  function ifconfig(rest: string[], lineNo: number, got: string, src: SourceRef, apply: boolean): ScriptCommand['status'] {
    if (rest.length === 0 || (rest.length === 1 && rest[0]!.startsWith('-'))) return 'harmless';
    const name = rest[0]!;
    if (!checkIfaceName(name, lineNo, got)) return 'modelled';
    if (rest.length === 1) return 'harmless';
    if (rest.length === 2 && (rest[1] === 'up' || rest[1] === 'down')) {
      if (apply) setLink(name, rest[1] === 'up', src);
      return 'modelled';
    }
    let address: number | null = null;
    let prefixLength: number | null = null;
    let up = true;
    let i = 1;
    if (rest[i] === 'inet') i++;
    const addrText = rest[i]!;
    if (addrText === undefined) {
      problems.add(lineNo, `expected "ifconfig <interface> <address> netmask <netmask> [up]", got ${got}`);
      return 'modelled';
    }
    if (addrText.includes('/')) {
      const cidr = readCidr(addrText);
      if (cidr === null) {
        problems.add(lineNo, `expected an IPv4 address such as 10.128.5.2 or 10.128.5.2/24, got "${addrText}" in ${got}`);
        return 'modelled';
      }
      address = cidr.address;
      prefixLength = cidr.prefixLength;
    } else {
      address = readAddressArg(addrText, lineNo, got);
      if (address === null) return 'modelled';
    }
    i++;
    let ok = true;
    while (i < rest.length) {
      const opt = rest[i]!;
      if (opt === 'netmask') {
        const len = readMaskArg(rest[i + 1], lineNo, got);
        if (len === null) ok = false;
        else prefixLength = len;
        i += 2;
      } else if (opt === 'broadcast') {
        if (rest[i + 1] === undefined || readIpv4(rest[i + 1]!) === null) {
          problems.add(lineNo, `expected an address after "broadcast" in ${got}`);
          ok = false;
        }
        i += 2;
      } else if (opt === 'up' || opt === 'down') {
        up = opt === 'up';
        i++;
      } else if (opt === 'mtu' || opt === 'metric' || opt === 'txqueuelen') {
        if (apply) findings.add('ignored', lineNo, `${got}: "${opt}" is not modelled`);
        i += 2;
      } else {
        if (apply) findings.add('unsupported', lineNo, `${got}: "${opt}" is not modelled`);
        ok = false;
        break;
      }
    }
    if (!ok) return 'modelled';
    if (prefixLength === null) {
      // NOTE: like net-tools, an address without a netmask gets its class's mask.
      prefixLength = classfulPrefixLength(address) ?? 32;
      if (apply) findings.add('note', lineNo, `${got}: no netmask given; ifconfig uses the classful mask /${prefixLength}`);
    }
    if (prefixLength === 0) {
      problems.add(lineNo, `${got}: a /0 netmask is not an interface address`);
      return 'modelled';
    }
    if (apply) addAddress(name, address, prefixLength, null, src, up);
    return 'modelled';
  }

  /** Connected subnets now: addresses of interfaces that are up, and 127/8. */
  function connected(device: string | null): { network: number; prefixLength: number; iface: string }[] {
    const out: { network: number; prefixLength: number; iface: string }[] = [];
    if (device === null || device === 'lo') out.push({ network: 0x7f000000, prefixLength: 8, iface: 'lo' });
    for (const i of interfaces) {
      if (!i.up && !i.loopback) continue;
      if (device !== null && i.name !== device) continue;
      for (const a of [...i.addresses, ...i.aliases]) out.push({ network: networkOf(a.address, a.prefixLength), prefixLength: a.prefixLength, iface: i.name });
    }
    return out;
  }

  function addRoute(
    prefix: number,
    prefixLength: number,
    via: number | null,
    device: string | null,
    lineNo: number,
    got: string,
    src: SourceRef,
    apply: boolean,
    linuxSays: string,
  ): void {
    if (networkOf(prefix, prefixLength) !== prefix) {
      problems.add(lineNo, `${got}: ${formatIpv4(prefix)} has bits outside the /${prefixLength} netmask; expected the network address ${formatIpv4(networkOf(prefix, prefixLength))}`);
      return;
    }
    if (via === null && device === null) {
      problems.add(lineNo, `${got}: a route needs a gateway ("gw <address>" / "via <address>") or a device ("dev <interface>")`);
      return;
    }
    if (!apply) return;
    if (via !== null) {
      const subnets = connected(device);
      if (!subnets.some((s) => inSubnet(via, s.network, s.prefixLength))) {
        const list = connected(null)
          .filter((s) => s.iface !== 'lo')
          .map((s) => `${formatPrefix(s.network, s.prefixLength)} on ${s.iface}`);
        problems.add(
          lineNo,
          `${got}: the gateway ${formatIpv4(via)} is not on a connected subnet${device === null ? '' : ` of ${device}`} (Linux says "${linuxSays}"); connected now: ${list.length === 0 ? 'none' : list.join(', ')}`,
        );
        return;
      }
    }
    staticRoutes.push({ prefix, prefixLength, via, device, source: src });
    bootSteps.push({ kind: 'route-added', prefix, prefixLength, via, device, source: src });
  }

  function route(rest: string[], lineNo: number, got: string, src: SourceRef, apply: boolean): ScriptCommand['status'] {
    const args = rest.filter((a) => a !== '-n' && a !== '-A' && a !== 'inet' && a !== '-v');
    if (args.length === 0) return 'harmless';
    const expected = `expected "route add -net <network> netmask <netmask> gw <gateway>", "route add -host <address> gw <gateway>" or "route add default gw <gateway>", got ${got}`;
    if (args[0] === 'del') {
      if (apply) findings.add('unsupported', lineNo, `${got}: deleting routes is not modelled`);
      return 'unsupported';
    }
    if (args[0] !== 'add') {
      problems.add(lineNo, expected);
      return 'modelled';
    }
    let i = 1;
    let type: 'net' | 'host' | null = null;
    if (args[i] === '-net' || args[i] === '-host') {
      type = args[i] === '-net' ? 'net' : 'host';
      i++;
    }
    const target = args[i];
    if (target === undefined) {
      problems.add(lineNo, expected);
      return 'modelled';
    }
    i++;
    const dest = readRouteTarget(target, lineNo, got);
    if (dest === null) return 'modelled';
    const prefix = dest.prefix;
    let prefixLength = dest.length;
    if (prefixLength === null) {
      if (type === 'host') prefixLength = 32;
      else if (type === null) {
        problems.add(lineNo, expected);
        return 'modelled';
      }
    }
    let via: number | null = null;
    let device: string | null = null;
    while (i < args.length) {
      const opt = args[i]!;
      if (opt === 'netmask') {
        const len = readMaskArg(args[i + 1], lineNo, got);
        if (len === null) return 'modelled';
        if (type === 'host' || target === 'default') {
          problems.add(lineNo, `${got}: "netmask" goes with "-net", not with "${type === 'host' ? '-host' : 'default'}"`);
          return 'modelled';
        }
        prefixLength = len;
        i += 2;
      } else if (opt === 'gw' || opt === 'gateway') {
        const g = args[i + 1];
        if (g === undefined) {
          problems.add(lineNo, expected);
          return 'modelled';
        }
        via = readAddressArg(g, lineNo, got);
        if (via === null) return 'modelled';
        i += 2;
      } else if (opt === 'dev') {
        const d = args[i + 1];
        if (d === undefined || !checkIfaceName(d, lineNo, got)) return 'modelled';
        device = d;
        i += 2;
      } else if (opt === 'metric') {
        if (readInt(args[i + 1], 0, 4294967295) === null) {
          problems.add(lineNo, `expected a number after "metric" in ${got}`);
          return 'modelled';
        }
        if (apply) findings.add('ignored', lineNo, `${got}: the route metric is not modelled`);
        i += 2;
      } else if (i === args.length - 1 && isLinuxInterfaceName(opt) && readIpv4(opt) === null) {
        device = opt; // `route add -net … gw … eth1`: a trailing device name
        i++;
      } else {
        if (apply) findings.add('unsupported', lineNo, `${got}: "${opt}" is not modelled`);
        return 'unsupported';
      }
    }
    if (prefixLength === null) {
      // NOTE: like net-tools, "-net" without a netmask takes the class's mask.
      prefixLength = classfulPrefixLength(prefix) ?? 32;
      if (apply) findings.add('note', lineNo, `${got}: no netmask given; route uses the classful mask /${prefixLength}`);
    }
    addRoute(prefix, prefixLength, via, device, lineNo, got, src, apply, 'SIOCADDRT: Network is unreachable');
    return 'modelled';
  }

  function ipCommand(rest: string[], lineNo: number, got: string, src: SourceRef, apply: boolean): ScriptCommand['status'] {
    let args = rest;
    while (args[0] !== undefined && args[0].startsWith('-')) {
      if (args[0] === '-6') {
        if (apply) findings.add('ignored', lineNo, `${got}: IPv6 is not modelled`);
        return 'harmless';
      }
      args = args[0] === '-f' || args[0] === '-family' ? args.slice(2) : args.slice(1);
    }
    const object = args[0];
    const verb = args[1];
    const looks = verb === undefined || kw(verb, 'show', 1) || kw(verb, 'list', 1) || verb === 'lst' || kw(verb, 'get', 1);
    if (kw(object, 'address', 1) || kw(object, 'addr', 1)) {
      if (looks) return 'harmless';
      if (kw(verb, 'add', 1) || verb === 'replace') return ipAddrAdd(args.slice(2), lineNo, got, src, apply);
      if (apply) findings.add('unsupported', lineNo, `${got}: only "ip addr add" is modelled`);
      return 'unsupported';
    }
    if (kw(object, 'link', 1)) {
      if (looks) return 'harmless';
      if (kw(verb, 'set', 1)) {
        let a = args.slice(2);
        if (a[0] === 'dev') a = a.slice(1);
        const name = a[0];
        if (name === undefined || a.length < 2) {
          problems.add(lineNo, `expected "ip link set [dev] <interface> up|down", got ${got}`);
          return 'modelled';
        }
        if (!checkIfaceName(name, lineNo, got)) return 'modelled';
        const state = a.slice(1).find((x) => x === 'up' || x === 'down');
        const others = a.slice(1).filter((x) => x !== 'up' && x !== 'down');
        if (others.length > 0 && apply) findings.add('unsupported', lineNo, `${got}: "${others.join(' ')}" is not modelled`);
        if (state !== undefined && apply) setLink(name, state === 'up', src);
        return state === undefined ? 'unsupported' : 'modelled';
      }
      if (apply) findings.add('unsupported', lineNo, `${got}: only "ip link set <interface> up|down" is modelled`);
      return 'unsupported';
    }
    if (kw(object, 'route', 1)) {
      if (looks) return 'harmless';
      if (kw(verb, 'add', 1) || verb === 'replace' || verb === 'append') return ipRouteAdd(args.slice(2), lineNo, got, src, apply);
      if (apply) findings.add('unsupported', lineNo, `${got}: only "ip route add" is modelled`);
      return 'unsupported';
    }
    if (kw(object, 'neighbour', 1) || kw(object, 'neighbor', 1) || kw(object, 'rule', 2) || kw(object, 'maddress', 1)) {
      if (looks) return 'harmless';
    }
    if (apply) findings.add('unsupported', lineNo, `${got} is not modelled by the simulator`);
    return 'unsupported';
  }

  function ipAddrAdd(a: string[], lineNo: number, got: string, src: SourceRef, apply: boolean): ScriptCommand['status'] {
    const expected = `expected "ip addr add <address>/<length> dev <interface> [label <label>]", got ${got}`;
    const addrText = a[0];
    if (addrText === undefined) {
      problems.add(lineNo, expected);
      return 'modelled';
    }
    let address: number | null;
    let prefixLength: number;
    if (addrText.includes('/')) {
      const cidr = readCidr(addrText);
      if (cidr === null) {
        problems.add(lineNo, `expected an address with a prefix length such as 10.128.5.2/24, got "${addrText}" in ${got}`);
        return 'modelled';
      }
      address = cidr.address;
      prefixLength = cidr.prefixLength;
    } else {
      address = readAddressArg(addrText, lineNo, got);
      if (address === null) return 'modelled';
      prefixLength = 32;
      if (apply) findings.add('note', lineNo, `${got}: no prefix length given; ip uses /32`);
    }
    let device: string | null = null;
    let label: string | null = null;
    let i = 1;
    while (i < a.length) {
      const opt = a[i]!;
      const value = a[i + 1];
      if (opt === 'dev' && value !== undefined) device = value;
      else if (opt === 'label' && value !== undefined) label = value;
      else if ((opt === 'brd' || opt === 'broadcast') && value !== undefined) {
        if (value !== '+' && readIpv4(value) === null) {
          problems.add(lineNo, `expected an address or "+" after "${opt}" in ${got}`);
          return 'modelled';
        }
      } else if (opt === 'scope' && value !== undefined) {
        /* scope host/link/global: not modelled, harmless here */
      } else {
        problems.add(lineNo, expected);
        return 'modelled';
      }
      i += 2;
    }
    if (device === null) {
      problems.add(lineNo, expected);
      return 'modelled';
    }
    if (!checkIfaceName(device, lineNo, got) || (label !== null && !checkIfaceName(label, lineNo, got))) return 'modelled';
    if (prefixLength === 0) {
      problems.add(lineNo, `${got}: a /0 prefix is not an interface address`);
      return 'modelled';
    }
    if (apply) addSecondaryAddress(device, address, prefixLength, label, src);
    return 'modelled';
  }

  function ipRouteAdd(a: string[], lineNo: number, got: string, src: SourceRef, apply: boolean): ScriptCommand['status'] {
    const expected = `expected "ip route add <prefix>/<length> via <gateway> [dev <interface>]" or "ip route add default via <gateway>", got ${got}`;
    const target = a[0];
    if (target === undefined) {
      problems.add(lineNo, expected);
      return 'modelled';
    }
    const dest = readRouteTarget(target, lineNo, got);
    if (dest === null) return 'modelled';
    const prefix = dest.prefix;
    // iproute2: a bare address is a host route.
    const prefixLength = dest.length ?? 32;
    let via: number | null = null;
    let device: string | null = null;
    let i = 1;
    while (i < a.length) {
      const opt = a[i]!;
      const value = a[i + 1];
      if (value === undefined) {
        problems.add(lineNo, expected);
        return 'modelled';
      }
      if (opt === 'via') {
        via = readAddressArg(value, lineNo, got);
        if (via === null) return 'modelled';
      } else if (opt === 'dev') {
        if (!checkIfaceName(value, lineNo, got)) return 'modelled';
        device = value;
      } else if (opt === 'metric' || opt === 'proto' || opt === 'src' || opt === 'scope' || opt === 'table') {
        if (apply) findings.add(opt === 'table' ? 'unsupported' : 'ignored', lineNo, `${got}: "${opt} ${value}" is not modelled`);
      } else {
        problems.add(lineNo, expected);
        return 'modelled';
      }
      i += 2;
    }
    if (networkOf(prefix, prefixLength) !== prefix) {
      problems.add(lineNo, `${got}: ${target} has host bits set (ip says "Error: Invalid prefix for given prefix length."); expected ${formatPrefix(networkOf(prefix, prefixLength), prefixLength)}`);
      return 'modelled';
    }
    addRoute(prefix, prefixLength, via, device, lineNo, got, src, apply, 'Error: Nexthop has invalid gateway.');
    return 'modelled';
  }

  function sysctl(rest: string[], lineNo: number, got: string, src: SourceRef, apply: boolean): ScriptCommand['status'] {
    const settings = rest.filter((a) => !a.startsWith('-'));
    if (rest.includes('-p') || rest.includes('--system')) {
      if (apply) findings.add('unsupported', lineNo, `${got}: reading sysctl files is not modelled`);
      return 'unsupported';
    }
    if (settings.length === 0) return 'harmless';
    let status: ScriptCommand['status'] = 'harmless';
    for (const s of settings) {
      const m = /^([a-z0-9_./-]+)=(.*)$/.exec(s);
      if (m === null) continue; // reading a value
      const key = m[1]!.replace(/\//g, '.');
      if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
        if (m[2] !== '0' && m[2] !== '1') {
          problems.add(lineNo, `expected "${key}=0" or "${key}=1", got ${got}`);
          return 'modelled';
        }
        if (apply) {
          ipForwarding = m[2] === '1';
          bootSteps.push({ kind: 'ip-forwarding', enabled: ipForwarding, source: src });
        }
        status = 'modelled';
      } else {
        if (apply) findings.add('unsupported', lineNo, `${got}: "${key}" is not modelled`);
        status = 'unsupported';
      }
    }
    return status;
  }

  // --- files, packages, services -------------------------------------------------------------

  function addWrittenFile(path: string, content: string, mode: 'write' | 'append', src: SourceRef, contentLine: number, apply: boolean): void {
    if (!apply) return;
    writtenFiles.push({ path, content, mode, source: src, contentLine });
    bootSteps.push({ kind: 'file-written', path, mode, source: src });
    existing.add(path);
  }

  function heredocText(r: Redirect, lineNo: number, apply: boolean): string {
    const h = r.heredoc!;
    if (h.quoted) return h.body;
    let unsupportedNoted = false;
    return h.body.replace(/\\([$`\\])|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$\(|`/g, (m, esc?: string, braced?: string, bare?: string) => {
      if (esc !== undefined) return esc;
      const name = braced ?? bare;
      if (name !== undefined) {
        const v = vars.get(name);
        if (v !== undefined && v.value !== null) return v.value;
        if (apply) findings.add('note', lineNo, `the here-document uses $${name}, which is not known here: written as an empty string, as bash would`);
        return '';
      }
      if (!unsupportedNoted && apply) {
        unsupportedNoted = true;
        findings.add('unsupported', lineNo, 'the here-document contains a command substitution; it is kept as written');
      }
      return m;
    });
  }

  function writeFile(
    name: string,
    rest: string[],
    outRedirect: Redirect | undefined,
    heredoc: Redirect | undefined,
    lineNo: number,
    got: string,
    src: SourceRef,
    apply: boolean,
  ): ScriptCommand['status'] {
    let target: string | null = null;
    let mode: 'write' | 'append' = 'write';
    if (name === 'tee') {
      const files = rest.filter((a) => !a.startsWith('-'));
      if (files.length !== 1) {
        if (apply) findings.add('unsupported', lineNo, `${got}: only "tee [-a] <file> <<EOF" is modelled`);
        return 'unsupported';
      }
      target = files[0]!;
      if (rest.includes('-a') || rest.includes('--append')) mode = 'append';
    } else if (outRedirect !== undefined) {
      const t = outRedirect.target;
      if (t === null) return 'modelled'; // the lexer reported it
      const e = expand([t], true);
      if (!e.ok || e.args.length !== 1) {
        problems.add(lineNo, `${got}: cannot tell which file this writes`);
        return 'modelled';
      }
      target = e.args[0]!;
      if (outRedirect.op === '>>') mode = 'append';
    }
    if (target === null) return 'harmless';
    const path = resolvePath(target);
    let content: string;
    let contentLine = lineNo;
    if (name === 'cat' || name === 'tee') {
      if (heredoc === undefined) {
        if (name === 'cat' && rest.length > 0) {
          if (apply) findings.add('unsupported', lineNo, `${got}: copying files is not modelled`);
          return 'unsupported';
        }
        if (apply) findings.add('unsupported', lineNo, `${got}: only "cat > <file> <<EOF … EOF" is modelled`);
        return 'unsupported';
      }
      content = heredocText(heredoc, lineNo, apply);
      contentLine = heredoc.heredoc!.bodyLine;
    } else {
      // echo / printf into a file
      let words = rest;
      let newline = name === 'echo';
      if (name === 'echo') {
        while (words[0] !== undefined && /^-[neE]+$/.test(words[0])) {
          if (words[0].includes('n')) newline = false;
          if (words[0].includes('e') && apply) findings.add('note', lineNo, `${got}: "echo -e" escapes are written as typed`);
          words = words.slice(1);
        }
      } else if (words.length > 1 || /%/.test(words[0] ?? '')) {
        if (apply) findings.add('unsupported', lineNo, `${got}: printf formats are not modelled`);
        return 'unsupported';
      }
      content = words.join(' ') + (newline ? '\n' : '');
    }
    if (path === '/proc/sys/net/ipv4/ip_forward') {
      const v = content.trim();
      if (v !== '0' && v !== '1') {
        problems.add(lineNo, `expected "echo 1 > /proc/sys/net/ipv4/ip_forward" (or 0), got ${got}`);
        return 'modelled';
      }
      if (apply) {
        ipForwarding = v === '1';
        bootSteps.push({ kind: 'ip-forwarding', enabled: ipForwarding, source: src });
      }
      return 'modelled';
    }
    addWrittenFile(path, content, mode, src, contentLine, apply);
    return 'modelled';
  }

  function editFile(
    editor: 'ed' | 'sed',
    rest: string[],
    heredoc: Redirect | undefined,
    lineNo: number,
    got: string,
    src: SourceRef,
    apply: boolean,
  ): ScriptCommand['status'] {
    if (editor === 'ed') {
      const files = rest.filter((a) => !a.startsWith('-'));
      if (files.length !== 1 || heredoc === undefined) {
        if (apply) findings.add('unsupported', lineNo, `${got}: only "ed <file> <<EOF … EOF" is modelled`);
        return 'unsupported';
      }
      const script = heredocText(heredoc, lineNo, apply);
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
      if (apply) {
        bootSteps.push({ kind: 'file-edited', path: resolvePath(files[0]!), editor, script, deletesLinesMatching: deletes, source: src });
        if (!understood) findings.add('unsupported', lineNo, `${got}: the ed commands are recorded but only "/pattern" + "d" is understood`);
      }
      return understood ? 'modelled' : 'unsupported';
    }
    // sed: only in-place edits change the device.
    if (!rest.some((a) => a === '-i' || a.startsWith('-i') || a === '--in-place')) return 'harmless';
    const nonOptions = rest.filter((a) => !a.startsWith('-'));
    if (nonOptions.length < 2) {
      problems.add(lineNo, `expected "sed -i '<script>' <file>", got ${got}`);
      return 'modelled';
    }
    const script = nonOptions[0]!;
    const deletes: string[] = [];
    const del = /^\/(.*)\/d$/.exec(script);
    if (del !== null) deletes.push(del[1]!);
    if (apply) {
      for (const f of nonOptions.slice(1)) {
        bootSteps.push({ kind: 'file-edited', path: resolvePath(f), editor, script, deletesLinesMatching: deletes, source: src });
      }
      if (del === null) findings.add('unsupported', lineNo, `${got}: the sed edit is recorded but only "/pattern/d" is understood`);
    }
    return del === null ? 'unsupported' : 'modelled';
  }

  function apt(rest: string[], lineNo: number, got: string, src: SourceRef, apply: boolean): ScriptCommand['status'] {
    const words: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === '-o' || a === '-t') {
        i++;
        continue;
      }
      if (!a.startsWith('-')) words.push(a);
    }
    const sub = words[0];
    if (sub === undefined) {
      problems.add(lineNo, `expected "apt-get [-y] install <package>…", got ${got}`);
      return 'modelled';
    }
    if (sub === 'update' || sub === 'clean' || sub === 'autoclean') return 'harmless';
    if (sub === 'upgrade' || sub === 'dist-upgrade') {
      if (apply) findings.add('ignored', lineNo, `${got}: package versions are not modelled`);
      return 'harmless';
    }
    if (sub === 'install') {
      const packages = words.slice(1).map((p) => p.replace(/[=:].*$/, ''));
      if (packages.length === 0) {
        problems.add(lineNo, `expected "apt-get install <package>…", got ${got}`);
        return 'modelled';
      }
      if (apply) {
        bootSteps.push({ kind: 'packages-installed', packages, startsServices: packages.flatMap((p) => PACKAGE_SERVICES[p] ?? []), source: src });
      }
      return 'modelled';
    }
    if (apply) findings.add('unsupported', lineNo, `${got}: "apt-get ${sub}" is not modelled`);
    return 'unsupported';
  }

  function serviceAction(
    service: string,
    action: string | undefined,
    lineNo: number,
    got: string,
    src: SourceRef,
    apply: boolean,
  ): ScriptCommand['status'] {
    if (service === '' || action === undefined) {
      problems.add(lineNo, `expected "service <name> start|stop|restart|reload", got ${got}`);
      return 'modelled';
    }
    const normalized = action === 'force-reload' ? 'reload' : action;
    if (normalized === 'status') return 'harmless';
    if (normalized !== 'start' && normalized !== 'stop' && normalized !== 'restart' && normalized !== 'reload') {
      if (apply) findings.add('unsupported', lineNo, `${got}: "${action}" is not modelled (start, stop, restart, reload are)`);
      return 'unsupported';
    }
    if (apply) bootSteps.push({ kind: 'service', service, action: normalized, source: src });
    return 'modelled';
  }

  problems.throwIfAny();
  return {
    hostname: hostname as Sourced<string> | null,
    domain: domain as Sourced<string> | null,
    interfaces,
    staticRoutes,
    ipForwarding: ipForwarding as boolean,
    writtenFiles,
    bootSteps,
    findings: findings.list,
    transcript,
  };
}


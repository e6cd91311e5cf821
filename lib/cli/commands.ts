/**
 * The commands that read or run one lab: check, doctor, exec, routes, capture, export. Each takes
 * its words and options (named as on the command line) and prints through `out`; the long ones
 * (exec's run-up, routes, capture) are stepped (steps.ts) so Ctrl-C can stop them.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { formatDuration, toSeconds } from '../sim/time';
import { DEFAULT_EXEC_TIME } from '../lab/lab';
import { ExecError, showIpRoute, netstatRn } from '../lab/consoles/index';
import { loadScript, stepHeader } from '../config/script';
import { loadLab } from '../config/load';
import { checkLab } from '../config/check';
import type { NodeSpec } from '../config/spec';
import { doctor, formatDoctorFinding } from '../config/doctor';
import { ipv4ToString } from '../wire/addr';
import { EXPORT_TARGETS, exportLab, type ExportTarget } from '../config/writers/export';
import { labDir, labOptions, labSettings, MAX_COMMAND_TIME, noMoreWords, openLab, time, UsageError, type CliValues } from './options';
import { INTERRUPTED, interruptedAt, runLabUntil, type StepIo, type Steps } from './steps';

type Out = (s: string) => void;

/** `check <lab>`: nodes, wires, every finding. */
export function check(words: string[], values: CliValues, out: Out): number {
  noMoreWords('check', 'one lab', words.slice(1));
  const spec = loadLab(labDir(words[0]), labOptions(values), labSettings(values));
  const findings = checkLab(spec, { verbose: values.verbose === true });
  const failing = findings.some((f) => f.severity === 'unsupported' || f.severity === 'error') ? 1 : 0;
  if (values.json === true) {
    out(JSON.stringify({ lab: spec.name, nodes: spec.nodes.map((n) => ({ name: n.name, kind: n.kind, os: n.os, ...frrJson(n), interfaces: n.interfaces.map((i) => ({ name: i.name, addresses: i.addresses.map((a) => `${ipv4ToString(a.address)}/${a.prefixLength}`) })) })), segments: spec.segments.map((s) => ({ name: s.name, kind: s.kind, endpoints: s.endpoints.map((e) => `${e.node}:${e.iface}`) })), findings }, null, 2));
    return failing;
  }
  out(`lab ${spec.name}: ${spec.nodes.filter((n) => n.kind !== 'bridge').length} nodes, ${spec.segments.length} LANs and links`);
  for (const n of spec.nodes) {
    if (n.kind === 'bridge') continue;
    const addrs = n.interfaces.flatMap((i) => [...i.addresses.map((a) => `${i.name} ${ipv4ToString(a.address)}/${a.prefixLength}`), ...i.aliases.map((a) => `${a.label} ${ipv4ToString(a.address)}/${a.prefixLength}`)]);
    out(`  ${n.name.padEnd(10)} ${n.kind.padEnd(7)} ${n.os.padEnd(6)} ${addrs.join(', ')}${n.frr === undefined ? '' : `; ${frrReadAs(n.frr)}`}`);
  }
  for (const s of spec.segments) out(`  ${s.kind === 'lan' ? 'LAN ' : 'link'} ${s.name.padEnd(12)} ${s.endpoints.map((e) => `${e.node}:${e.iface}`).join(' — ')}  (${formatDuration(s.delay)})`);
  for (const f of findings) out(`${f.source.file}:${f.source.line}: ${f.severity}: ${f.message}`);
  out(findings.length === 0 ? 'no findings' : `${findings.length} finding${findings.length === 1 ? '' : 's'}`);
  return failing;
}

/** `FRR 10.2 (frr version, lab/r1/frr.conf:1)`: which release a node's FRR files are read as, and why. */
function frrReadAs(f: NonNullable<NodeSpec['frr']>): string {
  const why = f.origin === 'config' ? 'frr version' : f.origin === 'lab' ? 'the lab\'s setting' : 'the default';
  return `FRR ${f.release} (${why}${f.source === null ? '' : `, ${f.source.file}:${f.source.line}`})`;
}

function frrJson(n: NodeSpec): object {
  if (n.frr === undefined) return {};
  return { frr: { release: n.frr.release, origin: n.frr.origin, ripdLogFile: n.frr.ripdLogFile?.value ?? null, bfd: n.frr.bfd.map((b) => ({ interface: b.interface, profile: b.profile })) } };
}

/** `doctor <lab>`: inconsistencies across the lab's files. */
export function doctorCommand(words: string[], values: CliValues, out: Out): number {
  noMoreWords('doctor', 'one lab', words.slice(1));
  const spec = loadLab(labDir(words[0]), labOptions(values), labSettings(values));
  const findings = doctor(spec);
  if (values.json === true) out(JSON.stringify({ lab: spec.name, options: spec.options, findings }, null, 2));
  else {
    for (const f of findings) out(formatDoctorFinding(f));
    const count = (s: string) => findings.filter((f) => f.severity === s).length;
    out(findings.length === 0 ? `lab ${spec.name}: no findings` : `lab ${spec.name}: ${count('error')} errors, ${count('warning')} warnings, ${count('info')} notes`);
  }
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** `exec <lab> <node> "<command>"`: the lab runs (stepped) to --at, then the console command runs. */
export function* exec(words: string[], values: CliValues, out: Out, err: Out, io: StepIo = {}): Steps<number> {
  const [labArg, nodeName, ...commandWords] = words;
  if (nodeName === undefined || commandWords.length === 0) throw new UsageError('exec needs <lab> <node> "<command>"');
  const at = time(values.at, '--at', DEFAULT_EXEC_TIME);
  const limit = values.for === undefined ? undefined : time(values.for, '--for', 0);
  const lab = openLab(labDir(labArg), values);
  lab.node(nodeName);
  const reached = yield* runLabUntil(lab, at);
  if (reached < at) {
    err(`${interruptedAt(reached, at)}: "${commandWords.join(' ')}" did not run`);
    return INTERRUPTED;
  }
  io.unstepped?.();
  out(lab.exec(nodeName, commandWords.join(' '), limit === undefined ? { at } : { at, limit }));
  return 0;
}

/** `routes <lab> [--at <time>] [--json]`: every node's routing table. */
export function* routes(words: string[], values: CliValues, out: Out, err: Out): Steps<number> {
  noMoreWords('routes', 'one lab', words.slice(1));
  const at = time(values.at, '--at', DEFAULT_EXEC_TIME);
  const lab = openLab(labDir(words[0]), values);
  const reached = yield* runLabUntil(lab, at);
  if (reached < at) err(`${interruptedAt(reached, at)}: the tables at ${formatDuration(reached)}`);
  // A shell user reads the JSON without our types: the time says its unit (seconds, as every time in
  // the CLI's JSON), where the library's rows keep SimTime in microseconds.
  if (values.json === true) out(JSON.stringify(lab.routes().map(({ t, ...route }) => ({ atSeconds: toSeconds(t), ...route })), null, 2));
  else {
    for (const node of lab.network.nodes.values()) {
      out(`==== ${node.name} at ${formatDuration(lab.now)} ====`);
      out(!node.running ? '(halted)' : node.profile.os === 'ios' ? showIpRoute(node) : netstatRn(node));
      out('');
    }
  }
  return reached < at ? INTERRUPTED : 0;
}

/** `capture <lab> --until <time> --out <file.pcap> [--on <point>]`: frames from boot until --until. */
export function* capture(words: string[], values: CliValues, out: Out, err: Out): Steps<number> {
  noMoreWords('capture', 'one lab', words.slice(1));
  const outFile = values.out;
  if (outFile === undefined) throw new UsageError('capture needs --out <file.pcap>');
  if (values.until === undefined) throw new UsageError('capture needs --until <time>');
  const until = time(values.until, '--until', 0);
  writableFolder(dirname(resolve(outFile)), '--out', false);
  const lab = openLab(labDir(words[0]), values);
  const on = values.on;
  const points = on !== undefined ? [on] : [...lab.network.segments.keys()];
  const captures = points.map((p) => lab.capture(p));
  const reached = yield* runLabUntil(lab, until);
  const merged = captures.length === 1 ? captures[0]! : captures.reduce((acc, c) => { acc.frames.push(...c.frames); return acc; });
  writeFileSync(outFile, merged.toPcap());
  out(`${merged.frames.length} frames from ${points.join(', ')} until ${formatDuration(reached)} written to ${outFile}`);
  if (reached < until) {
    err(interruptedAt(reached, until));
    return INTERRUPTED;
  }
  return 0;
}

/**
 * A folder output goes into, made if missing (`create`) one level at a time: Node's recursive mkdir
 * never returns on /proc (mkdir of /proc/nope says ENOENT, which it reads as "make the parent").
 * Refused in one line when it cannot be made or written.
 */
function writableFolder(dir: string, option: string, create: boolean): void {
  const missing: string[] = [];
  let d = dir;
  while (!existsSync(d)) {
    missing.unshift(d);
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  if (!create && missing.length > 0) throw new Error(`${option}: no folder ${missing[0]} to write into`);
  if (existsSync(d) && !statSync(d).isDirectory()) throw new Error(`${option}: ${d} is not a folder`);
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (e) {
      throw new Error(`${option} ${dir}: cannot make the folder ${m} (${(e as Error).message.replace(/, mkdir .*$/, '')})`);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new Error(`${option} ${dir}: the folder is not writable`);
  }
}

/** `export <lab> --to <target> [--out dir]`: the lab's configs for real devices. */
export function exportCommand(words: string[], values: CliValues, out: Out): number {
  const dir = labDir(words[0]);
  noMoreWords('export', 'one lab', words.slice(1));
  const target = values.to;
  if (target === undefined || !(EXPORT_TARGETS as readonly string[]).includes(target)) {
    throw new UsageError(`export needs --to <${EXPORT_TARGETS.join('|')}>${target === undefined ? '' : `, got "${target}"`}`);
  }
  const spec = loadLab(dir, labOptions(values), labSettings(values));
  const outDir = resolve(values.out ?? `${spec.name}-${target}`);
  const result = exportLab(spec, target as ExportTarget, outDir);
  writableFolder(outDir, '--out', true);
  for (const f of result.files) {
    const path = join(outDir, f.name);
    writableFolder(dirname(path), '--out', true);
    writeFileSync(path, f.content);
    out(`wrote ${path}`);
  }
  for (const f of result.findings) out(`${f.source.file}:${f.source.line}: ${f.severity === 'unsupported' ? 'does not translate' : 'note'}: ${f.message}`);
  const untranslated = result.findings.filter((f) => f.severity === 'unsupported').length;
  out(`${result.files.length} files for ${target} in ${outDir}; ${untranslated === 0 ? 'everything translates' : `${untranslated} thing${untranslated === 1 ? '' : 's'} do${untranslated === 1 ? 'es' : ''} not translate`}`);
  return 0;
}

/** `run <lab> --script <file>`: the script's steps in one simulation, each output under its time. */
export function* runScript(words: string[], values: CliValues, out: Out, err: Out): Steps<number> {
  noMoreWords('run', 'one lab', words.slice(1));
  if (values.script === undefined) throw new UsageError('run needs --script <file>: lines "@<time> <node> <command>"');
  const lab = openLab(labDir(words[0]), values);
  const steps = loadScript(values.script, [...lab.network.nodes.keys()]);
  let status = 0;
  for (const step of steps) {
    if (step.at > MAX_COMMAND_TIME) throw new UsageError(`${step.file}:${step.line}: at most ${formatDuration(MAX_COMMAND_TIME)} of simulated time, got ${formatDuration(step.at)}`);
    const reached = yield* runLabUntil(lab, step.at);
    if (reached < step.at) {
      err(`${interruptedAt(reached, step.at)}: ${step.file}:${step.line} and the lines after it did not run`);
      return INTERRUPTED;
    }
    out(stepHeader(step));
    try {
      // A configuration line accepted prints nothing, as vtysh and IOS print nothing.
      const printed = lab.exec(step.node, step.command);
      if (printed !== '') out(printed);
    } catch (e) {
      if (!(e instanceof ExecError)) throw e;
      out(`${step.file}:${step.line}: ${e.message}`);
      status = 1;
    }
  }
  return status;
}

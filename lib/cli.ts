#!/usr/bin/env node
/**
 * The anycast-lab command line. Every command that runs a lab takes --seed and repeatable
 * --fail <node>[:<iface>]:<mode>@<time>. Errors are one clear line (file:line: what was expected),
 * never a stack trace; set ANYCAST_LAB_DEBUG=1 to see one.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDuration, parseDuration, type SimTime } from './sim/time';
import { Lab, DEFAULT_EXEC_TIME } from './lab/lab';
import { ExecError } from './lab/consoles/index';
import { showIpRoute, netstatRn } from './lab/consoles/index';
import { loadLab } from './config/load';
import { checkLab } from './config/check';
import { LabFileError } from './config/errors';
import { ipv4ToString } from './wire/addr';

const USAGE = `usage: anycast-lab <command> [options]

commands:
  check <lab>                               load a lab, report its nodes, wires and every config finding
  exec <lab> <node> "<command>"             run a console command (ping, traceroute, show ip route, ...)
        [--at <time>] [--for <time>]        when to run it (default ${formatDuration(DEFAULT_EXEC_TIME)}); how long an endless command may run
  routes <lab> [--at <time>] [--json]       every node's routing table
  capture <lab> --until <time> --out <file.pcap> [--on <lan | node:interface>]
                                            record frames from boot until <time> (default: every LAN and link)

options for every command that runs a lab:
  --seed <n>                                seed of all random choices (default 1): same seed, same run
  --fail <node>[:<iface>]:<mode>@<time>     inject a failure (repeatable); modes: halt, boot, link-down,
                                            link-up, named-stop, named-start, named-crash
  --option <name>[=true|false]              a lab option declared in its topology (repeatable), e.g.
                                            allow_recursion=false (Debian's named defaults, before the fix)
  --anycast                                 set the lab up with anycast (--option do_anycast)

<lab> is a folder with a topology file, or the name of one under data/labs/ (e.g. anycast).
Times: 300s, 5m, 1h30m, 250ms.`;

class UsageError extends Error {}

function labDir(arg: string | undefined): string {
  if (arg === undefined) throw new UsageError('no lab given');
  const direct = resolve(arg);
  if (existsSync(direct) && statSync(direct).isDirectory()) return direct;
  const named = join(__dirname, '..', 'data', 'labs', arg);
  if (existsSync(named) && statSync(named).isDirectory()) return named;
  throw new UsageError(`no lab folder "${arg}" (looked at ${direct} and ${named})`);
}

function time(value: string | undefined, option: string, fallback: SimTime): SimTime {
  if (value === undefined) return fallback;
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new UsageError(`${option}: ${parsed.error}`);
  return parsed.value;
}

function seedOf(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--seed: expected a whole number, got "${value}"`);
  return n;
}

const OPTIONS = {
  seed: { type: 'string' },
  fail: { type: 'string', multiple: true },
  at: { type: 'string' },
  for: { type: 'string' },
  json: { type: 'boolean' },
  until: { type: 'string' },
  out: { type: 'string' },
  on: { type: 'string' },
  anycast: { type: 'boolean' },
  option: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

interface CliValues {
  seed?: string;
  fail?: string[];
  at?: string;
  for?: string;
  json?: boolean;
  until?: string;
  out?: string;
  on?: string;
  anycast?: boolean;
  option?: string[];
  help?: boolean;
}

/** `--option allow_recursion=false`, `--option do_anycast` (= true), plus `--anycast`. */
function labOptions(values: CliValues): Record<string, boolean> {
  const options: Record<string, boolean> = {};
  for (const text of values.option ?? []) {
    const m = /^([A-Za-z_][\w-]*)(?:=(true|false|yes|no|on|off|1|0))?$/.exec(text);
    if (m === null) throw new UsageError(`--option: expected <name>[=true|false], e.g. allow_recursion=false, got "${text}"`);
    options[m[1]!] = m[2] === undefined || ['true', 'yes', 'on', '1'].includes(m[2]);
  }
  if (values.anycast === true) options['do_anycast'] = true;
  return options;
}

function openLab(dir: string, values: CliValues): Lab {
  const failures = values.fail ?? [];
  return Lab.load(dir, { seed: seedOf(values.seed), failures, options: labOptions(values) });
}

export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): number {
  const parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const values = parsed.values as CliValues;
  const positionals = parsed.positionals;
  const [command, ...rest] = positionals;
  if (values.help === true || command === undefined || command === 'help') {
    out(USAGE);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  switch (command) {
    case 'check': {
      const dir = labDir(rest[0]);
      const spec = loadLab(dir, labOptions(values));
      const findings = checkLab(spec);
      if (values.json === true) {
        out(JSON.stringify({ lab: spec.name, nodes: spec.nodes.map((n) => ({ name: n.name, kind: n.kind, os: n.os, interfaces: n.interfaces.map((i) => ({ name: i.name, addresses: i.addresses.map((a) => `${ipv4ToString(a.address)}/${a.prefixLength}`) })) })), segments: spec.segments.map((s) => ({ name: s.name, kind: s.kind, endpoints: s.endpoints.map((e) => `${e.node}:${e.iface}`) })), findings }, null, 2));
        return findings.some((f) => f.severity === 'unsupported' || f.severity === 'error') ? 1 : 0;
      }
      out(`lab ${spec.name}: ${spec.nodes.filter((n) => n.kind !== 'bridge').length} nodes, ${spec.segments.length} LANs and links`);
      for (const n of spec.nodes) {
        if (n.kind === 'bridge') continue;
        const addrs = n.interfaces.flatMap((i) => [...i.addresses.map((a) => `${i.name} ${ipv4ToString(a.address)}/${a.prefixLength}`), ...i.aliases.map((a) => `${a.label} ${ipv4ToString(a.address)}/${a.prefixLength}`)]);
        out(`  ${n.name.padEnd(10)} ${n.kind.padEnd(7)} ${n.os.padEnd(6)} ${addrs.join(', ')}`);
      }
      for (const s of spec.segments) out(`  ${s.kind === 'lan' ? 'LAN ' : 'link'} ${s.name.padEnd(12)} ${s.endpoints.map((e) => `${e.node}:${e.iface}`).join(' — ')}  (${formatDuration(s.delay)})`);
      for (const f of findings) out(`${f.source.file}:${f.source.line}: ${f.severity}: ${f.message}`);
      out(findings.length === 0 ? 'no findings' : `${findings.length} finding${findings.length === 1 ? '' : 's'}`);
      return findings.some((f) => f.severity === 'unsupported' || f.severity === 'error') ? 1 : 0;
    }
    case 'exec': {
      const [labArg, nodeName, ...commandWords] = rest;
      if (nodeName === undefined || commandWords.length === 0) throw new UsageError('exec needs <lab> <node> "<command>"');
      const lab = openLab(labDir(labArg), values);
      const at = time(values.at, '--at', DEFAULT_EXEC_TIME);
      const limitText = values.for;
      const options = limitText === undefined ? { at } : { at, limit: time(limitText, '--for', 0) };
      out(lab.exec(nodeName, commandWords.join(' '), options));
      return 0;
    }
    case 'routes': {
      const lab = openLab(labDir(rest[0]), values);
      lab.runUntil(time(values.at, '--at', DEFAULT_EXEC_TIME));
      if (values.json === true) {
        out(JSON.stringify(lab.routes(), null, 2));
        return 0;
      }
      for (const node of lab.network.nodes.values()) {
        out(`==== ${node.name} at ${formatDuration(lab.now)} ====`);
        out(!node.running ? '(halted)' : node.profile.os === 'ios' ? showIpRoute(node) : netstatRn(node));
        out('');
      }
      return 0;
    }
    case 'capture': {
      const outFile = values.out;
      if (outFile === undefined) throw new UsageError('capture needs --out <file.pcap>');
      if (values.until === undefined) throw new UsageError('capture needs --until <time>');
      const until = time(values.until, '--until', 0);
      const lab = openLab(labDir(rest[0]), values);
      const on = values.on;
      const points = on !== undefined ? [on] : [...lab.network.segments.keys()];
      const captures = points.map((p) => lab.capture(p));
      lab.runUntil(until);
      const merged = captures.length === 1 ? captures[0]! : captures.reduce((acc, c) => { acc.frames.push(...c.frames); return acc; });
      writeFileSync(outFile, merged.toPcap());
      out(`${merged.frames.length} frames from ${points.join(', ')} until ${formatDuration(until)} written to ${outFile}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

if (require.main === module) {
  let code: number;
  try {
    code = main(process.argv.slice(2));
  } catch (e) {
    code = reportError(e);
  }
  process.exitCode = code;
}

export function reportError(e: unknown, err: (s: string) => void = (s) => process.stderr.write(s + '\n')): number {
  if (process.env['ANYCAST_LAB_DEBUG'] === '1' && e instanceof Error) err(e.stack ?? e.message);
  if (e instanceof LabFileError) {
    err(`error: ${e.message}`);
    return 2;
  }
  if (e instanceof UsageError) {
    err(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (e instanceof ExecError) {
    err(`error: ${e.message}`);
    return 1;
  }
  if (e instanceof Error && 'code' in e && typeof (e as { code: unknown }).code === 'string' && String((e as { code: string }).code).startsWith('ERR_PARSE_ARGS')) {
    err(`error: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  err(`error: ${e instanceof Error ? e.message : String(e)}`);
  return 1;
}

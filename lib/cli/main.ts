#!/usr/bin/env node
/**
 * The anycast-lab command line. Every command that runs a lab takes --seed and repeatable
 * --fail <node>[:<iface>]:<mode>@<time>. Errors are one clear line (file:line: what was expected),
 * never a stack trace; set ANYCAST_LAB_DEBUG=1 to see one.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BindProfileName } from '../proto/dns/server';
import { formatDuration, parseDuration, seconds, toSeconds, type SimTime } from '../sim/time';
import { Lab, DEFAULT_EXEC_TIME } from '../lab/lab';
import { ExecError } from '../lab/consoles/index';
import { showIpRoute, netstatRn } from '../lab/consoles/index';
import { loadLab } from '../config/load';
import { checkLab } from '../config/check';
import { doctor, formatDoctorFinding } from '../config/doctor';
import { LabFileError } from '../config/errors';
import { ipv4ToString } from '../wire/addr';
import { parseFailure } from '../config/failures';
import { measureFailover, failoverDistribution, type FailoverOptions, type FailoverResult } from '../measure/failover';
import { failureWindow } from '../measure/monte-carlo';
import { defaultSetup, experimentStem, failoverOptionsOf, formatSummary, loadExperiment, mergeShards, PARAMETERS, parseFlag, parseShard, RUNS, shardOutput, sweep, SweepError, type Knob, type RunSetup, type SweepProgress } from '../sweep';
import { realCli, REAL_USAGE } from './real';
import { EXPORT_TARGETS, exportLab, type ExportTarget } from '../config/writers/export';

const USAGE = `usage: anycast-lab <command> [options]

commands:
  check <lab>                               load a lab, report its nodes, wires and every config finding
  doctor <lab> [--json]                     inconsistencies across the lab's files (addresses, RIP networks,
                                            resolvers, BIND's start before its addresses), with hints
  exec <lab> <node> "<command>"             run a console command (ping, traceroute, show ip route, ...)
        [--at <time>] [--for <time>]        when to run it (default ${formatDuration(DEFAULT_EXEC_TIME)}); how long an endless command may run
  routes <lab> [--at <time>] [--json]       every node's routing table
  capture <lab> --until <time> --out <file.pcap> [--on <lan | node:interface>]
                                            record frames from boot until <time> (default: every LAN and link)
  failover <lab> --fail <node>:<mode> --at <time>
                                            ping the anycast address from a client while a server fails:
                                            the outage (last reply before → first reply after the failure)
                                            and its phases (near, silent, unreachable, far); anycast is on
                                            unless --option do_anycast=false
        [--client xenial3] [--target 10.128.224.2] [--interval 1s] [--until <time>]
                                            probe source and address, ping interval, end of the run
                                            (default 10 minutes after the failure)
        [--profile cisco-ios|frr]           run every RIP speaker with one profile's timers and rules
        [--probe ping|dns]                  ping (default), or dig +tries=1 +time=1 for test (sees named-stop)
        [--health-check <interval>]         a health check on each anycast server: lo:0 down when named
                                            stops answering (e.g. 2s)
        [--timers "<update> ..."]           timers basic on every RIP speaker: IOS "5 15 15 20", FRR "5 15 10"
        [--ios-poison remove|holddown]      how IOS reads a received poison (default remove)
        [--runs <n>]                        repeat over n failure instants drawn uniformly over one RIP
                                            update interval from --at; print min/median/max
        [--json]                            machine-readable; times in seconds
  sweep <experiment.yml>                    run an experiment (lab, baseline, grid of parameters, runs,
                                            seed: see data/labs/anycast/experiments/) in worker threads;
                                            rows to a CSV or JSON Lines file, a summary per point to stdout
        [--out <file.csv|file.jsonl>]       default <experiment>.csv here; a shard writes <file>.shard-i-of-n.csv
        [--workers <n>]                     worker threads (default: one per core; 0: none)
        [--shard <i>/<n>]                   run only jobs i, i+n, i+2n, … (1-based), for batch schedulers
        [--resume | --overwrite]            continue an interrupted output / start it again
        [--json]                            the summary as JSON
  merge --out <file> <shard outputs...>     join every shard of one sweep into one file; print the summary
  export <lab> --to <frr|bind|ios|vagrant|containerlab> [--out <dir>] [--option ...] [--anycast]
                                            write the lab's configs for real devices into <dir> (default
                                            <lab>-<target>): FRR and BIND per node, IOS startup-configs,
                                            the write-up's Vagrantfile and setup scripts, a containerlab
                                            folder; prints each file and what does not translate

options for every command that runs a lab:
  --seed <n>                                seed of all random choices (default 1): same seed, same run
  --fail <node>[:<iface>]:<mode>@<time>     inject a failure (repeatable); modes: halt, boot, reboot=<down
                                            time> (e.g. xenial1:reboot=60s@2m), link-down, link-up,
                                            named-stop, named-start, named-crash, ripd-stop, ripd-start,
                                            ripd-crash, drain=<time> (lo:0 down, halt that much later)
  --option <name>[=true|false]              a lab option declared in its topology (repeatable), e.g.
                                            allow_recursion=false (Debian's named defaults, before the fix)
  --anycast                                 set the lab up with anycast (--option do_anycast)
  --bind-profile <bind-9.10 | bind-9.10-nocaps | bind-9.18>
                                            how named listens (default bind-9.10, the write-up's era)

<lab> is a folder with a topology file, or the name of one under data/labs/ (e.g. anycast).
Times: 300s, 5m, 1h30m, 250ms.

${REAL_USAGE}`;

class UsageError extends Error {}

function labDir(arg: string | undefined): string {
  if (arg === undefined) throw new UsageError('no lab given');
  const direct = resolve(arg);
  if (existsSync(direct) && statSync(direct).isDirectory()) return direct;
  const named = join(__dirname, '..', '..', 'data', 'labs', arg);
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
  'bind-profile': { type: 'string' },
  client: { type: 'string' },
  target: { type: 'string' },
  interval: { type: 'string' },
  profile: { type: 'string' },
  runs: { type: 'string' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  resume: { type: 'boolean' },
  overwrite: { type: 'boolean' },
  probe: { type: 'string' },
  'health-check': { type: 'string' },
  timers: { type: 'string' },
  'ios-poison': { type: 'string' },
  to: { type: 'string' },
  state: { type: 'string' },
  only: { type: 'string' },
  settle: { type: 'string' },
  'run-for': { type: 'string' },
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
  'bind-profile'?: string;
  client?: string;
  target?: string;
  interval?: string;
  profile?: string;
  runs?: string;
  workers?: string;
  shard?: string;
  resume?: boolean;
  overwrite?: boolean;
  probe?: string;
  'health-check'?: string;
  timers?: string;
  'ios-poison'?: string;
  to?: string;
  state?: string;
  only?: string;
  help?: boolean;
}

/** Where long commands report progress, and what stops them (Ctrl-C). */
export interface CliIo {
  err?: (s: string) => void;
  /** Progress as one line rewritten in place (a terminal), or a line every ~10 %. */
  tty?: boolean;
  signal?: AbortSignal;
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

function bindProfileOf(values: CliValues): BindProfileName | undefined {
  const name = values['bind-profile'];
  return name === undefined ? undefined : flagValue(PARAMETERS['bindProfile'] as Knob<BindProfileName>, name);
}

function openLab(dir: string, values: CliValues): Lab {
  const failures = values.fail ?? [];
  const bindProfile = bindProfileOf(values);
  return Lab.load(dir, { seed: seedOf(values.seed), failures, options: labOptions(values), ...(bindProfile === undefined ? {} : { bindProfile }) });
}

/** Runs one command line; `sweep` (worker threads) and `real ...` (real daemons) finish later and return a promise. */
export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n'), io: CliIo = {}): number | Promise<number> {
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
    case 'doctor': {
      const spec = loadLab(labDir(rest[0]), labOptions(values));
      const findings = doctor(spec);
      if (values.json === true) out(JSON.stringify({ lab: spec.name, options: spec.options, findings }, null, 2));
      else {
        for (const f of findings) out(formatDoctorFinding(f));
        const count = (s: string) => findings.filter((f) => f.severity === s).length;
        out(findings.length === 0 ? `lab ${spec.name}: no findings` : `lab ${spec.name}: ${count('error')} errors, ${count('warning')} warnings, ${count('info')} notes`);
      }
      return findings.some((f) => f.severity === 'error') ? 1 : 0;
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
    case 'failover':
      return failover(rest, values, out);
    case 'sweep':
      return sweepCommand(rest, values, out, io);
    case 'merge': {
      if (values.out === undefined) throw new UsageError('merge needs --out <file.csv|file.jsonl> and the shard outputs');
      const merged = mergeShards(values.out, rest);
      if (values.json === true) out(JSON.stringify(merged.summary, null, 2));
      else out(`${merged.meta.experiment}: ${merged.rows} rows from ${rest.length} shards written to ${values.out}\n${formatSummary(merged.summary)}`);
      return 0;
    }
    case 'export':
      return exportCommand(rest, values, out);
    case 'real':
      return realCli(rest[0], rest.slice(1), values, labDir, labOptions(values), out);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** The failover command's what-if options, each read through its parameter (lib/sweep/parameters.ts: `--interval` is probeInterval). */
const FAILOVER_FLAGS = ['probeInterval', 'profile', 'probe', 'healthCheck', 'timers', 'iosPoison', 'client', 'target'] as const;

/** An option's text read through its knob's declaration; a refusal is a usage error naming the option. */
function flagValue<T>(knob: Knob<T>, text: string): T {
  const r = parseFlag(knob, text, { baseDir: process.cwd() });
  if (!r.ok) throw new UsageError(r.error);
  return r.value;
}

/** `--fail <node>:<mode> --at <time>`, or `--fail <node>:<mode>@<time>`: the failure without its time, and the time. */
function failoverFailure(values: CliValues): { fail: string; at: SimTime } {
  const fails = values.fail ?? [];
  if (fails.length !== 1) throw new UsageError(`failover needs exactly one --fail <node>:<mode>, e.g. --fail xenial1:halt (got ${fails.length})`);
  let fail = fails[0]!;
  let at = values.at === undefined ? null : flagValue(PARAMETERS['at'] as Knob<SimTime>, values.at);
  if (fail.includes('@')) {
    const parsed = parseFailure(fail);
    if (!parsed.ok) throw new Error(`--fail ${parsed.error}`);
    if (at !== null) throw new UsageError(`--fail ${fail} carries its own time and --at gives another: give the time once`);
    at = parsed.value.at;
    fail = fail.slice(0, fail.lastIndexOf('@'));
  } else {
    const parsed = PARAMETERS['fail']!.parse(fail, { baseDir: process.cwd() });
    if (!parsed.ok) throw new Error(`--fail ${parsed.error}`);
  }
  if (at === null) throw new UsageError('failover needs --at <time>: when the failure happens, e.g. --at 2m');
  return { fail, at };
}

/** The run the failover command's options describe, as an experiment's point would hold it (anycast on unless an option says otherwise). */
function failoverSetup(labArg: string, dir: string, values: CliValues, fail: string, at: SimTime): RunSetup {
  const setup = defaultSetup({ name: labArg, dir });
  setup.options = { do_anycast: true, ...labOptions(values) };
  setup.fail = fail;
  setup.at = at;
  for (const name of FAILOVER_FLAGS) {
    const parameter = PARAMETERS[name]!;
    const text = values[parameter.flag as keyof CliValues];
    if (typeof text === 'string') parameter.apply(setup, flagValue(parameter, text));
  }
  return setup;
}

/** `anycast-lab failover <lab> --fail xenial1:halt --at 2m [...]`. */
function failover(rest: string[], values: CliValues, out: (s: string) => void): number {
  const dir = labDir(rest[0]);
  if (rest.length > 1) throw new UsageError(`failover takes one lab, got also "${rest.slice(1).join(' ')}"`);
  const { fail, at } = failoverFailure(values);
  const until = values.until === undefined ? null : time(values.until, '--until', 0);
  if (until !== null && until <= at) throw new UsageError(`--until ${values.until} must be after the failure (--at ${formatDuration(at)})`);
  const setup = failoverSetup(rest[0]!, dir, values, fail, at);
  if (until !== null) setup.runFor = until - at;
  const options: FailoverOptions = { ...failoverOptionsOf(setup), at, seed: seedOf(values.seed) };
  if (values.runs !== undefined) return failoverRuns(setup, options, flagValue(RUNS, values.runs), values.json === true, out);
  const r = measureFailover({ ...options, until: at + setup.runFor });
  if (values.json === true) {
    out(JSON.stringify({ ...(failoverJson(r, setup.client, setup.target, setup.probeInterval) as object), probe: setup.probe, nearServer: r.nearServer, healthChecks: r.healthChecks.map((e) => ({ node: e.node, kind: e.kind, t: toSeconds(e.t) })) }, null, 2));
    return 0;
  }
  const whatIf = [
    setup.profile === null ? '' : `; RIP profile ${setup.profile}`,
    setup.timers === null ? '' : `; timers basic ${values.timers!.trim()}`,
    setup.iosPoison === null ? '' : `; IOS poison ${setup.iosPoison}`,
    setup.healthCheck?.interval === undefined ? '' : `; health check every ${formatDuration(setup.healthCheck.interval)}`,
  ].join('');
  out(`failover: ${r.failure}; ${setup.client} ${setup.probe === 'dns' ? 'asks' : 'pings'} ${setup.target} every ${formatDuration(setup.probeInterval)}${whatIf}; seed ${options.seed}`);
  printFailover(r, setup.probe, out);
  return 0;
}

/** `failover --runs n`: the outage over n failure instants drawn over one RIP update interval from --at. */
function failoverRuns(setup: RunSetup, options: FailoverOptions, runs: number, json: boolean, out: (s: string) => void): number {
  const profile = setup.profile;
  if (profile === null) throw new UsageError('--runs needs --profile cisco-ios|frr');
  const d = failoverDistribution({ ...options, runs, profile, runFor: setup.runFor });
  if (json) {
    out(JSON.stringify({ profile, runs: d.runs.map((r) => ({ run: r.run, at: toSeconds(r.at), outage: r.outageSeconds, silent: r.silentSeconds, unreachable: r.unreachableSeconds })), min: d.min, median: d.median, max: d.max, unrecovered: d.unrecovered }, null, 2));
    return 0;
  }
  out(`failover ${setup.fail} at ${formatDuration(setup.at)} + U[0, ${formatDuration(failureWindow({ timers: setup.timers, profile }))}), ${runs} runs, profile ${profile}, seed ${options.seed}`);
  out(`outage min/median/max = ${d.min ?? '-'}/${d.median ?? '-'}/${d.max ?? '-'} s${d.unrecovered > 0 ? `; ${d.unrecovered} runs did not recover` : ''}`);
  return 0;
}

/** One failover run as text: the health checks' actions, the outage, each phase with what identifies it. */
function printFailover(r: FailoverResult, probe: 'ping' | 'dns', out: (s: string) => void): void {
  for (const e of r.healthChecks) out(`health check: ${e.node} ${e.kind === 'withdrawn' ? 'took lo:0 down' : 'put lo:0 back'} at ${formatDuration(e.t)}`);
  if (r.outage === null) {
    out(r.lastGood === null ? 'outage: unknown (no reply before the failure)' : `outage: no reply after the failure by the end of the run (last reply sent at ${formatDuration(r.lastGood)})`);
  } else if (r.outage === 0) out('outage: none (every probe after the failure was answered)');
  else out(`outage: ${toSeconds(r.outage)}s (last reply sent at ${formatDuration(r.lastGood!)}, first reply after the failure sent at ${formatDuration(r.firstGood!)})`);
  out('phases:');
  for (const p of r.phases) {
    const inPhase = r.rows.filter((row) => row.t >= p.from && row.t <= p.to);
    const answeredBy = r.dnsRows.filter((row) => row.t >= p.from && row.t <= p.to && row.server !== null).map((row) => row.server);
    const detail =
      probe === 'dns'
        ? p.phase === 'near' || p.phase === 'far'
          ? `server ${[...new Set(answeredBy)].join(',')}`
          : ''
        : p.phase === 'near' || p.phase === 'far'
          ? `ttl=${[...new Set(inPhase.map((row) => row.ttl))].join(',')}`
          : p.phase === 'unreachable'
            ? `from ${[...new Set(inPhase.map((row) => row.from ?? 'the client'))].join(', ')}`
            : '';
    out(`  ${p.phase.padEnd(12)} ${`${formatDuration(p.from)} – ${formatDuration(p.to)}`.padEnd(18)} ${String(p.count).padStart(5)} probe${p.count === 1 ? ' ' : 's'}  ${detail}`.trimEnd());
  }
}

/** `anycast-lab sweep <experiment.yml> [--out f.csv] [--workers n] [--shard i/n] [--resume|--overwrite]`. */
async function sweepCommand(rest: string[], values: CliValues, out: (s: string) => void, io: CliIo): Promise<number> {
  const [file, ...extra] = rest;
  if (file === undefined) throw new UsageError('sweep needs an experiment file, e.g. data/labs/anycast/experiments/timers.yml');
  if (extra.length > 0) throw new UsageError(`sweep takes one experiment file, got also "${extra.join(' ')}"`);
  if (values.resume === true && values.overwrite === true) throw new UsageError('--resume and --overwrite: give one of them');
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isSafeInteger(workers) || workers < 0) throw new UsageError(`--workers: expected a whole number ≥ 0, got "${values.workers}"`);
  }
  let shard = { index: 1, count: 1 };
  if (values.shard !== undefined) {
    const parsed = parseShard(values.shard);
    if ('error' in parsed) throw new UsageError(`--shard: ${parsed.error}`);
    shard = parsed;
  }
  // Every shard writes its own file, even when a batch scheduler gives them all the same --out.
  const outFile = shardOutput(values.out ?? `${experimentStem(file)}.csv`, shard);
  const experiment = loadExperiment(file);
  const err = io.err ?? ((s: string) => process.stderr.write(s + '\n'));
  const result = await sweep(experiment, {
    out: outFile,
    shard,
    existing: values.resume === true ? 'resume' : values.overwrite === true ? 'overwrite' : 'error',
    ...(workers === undefined ? {} : { workers }),
    onProgress: progressPrinter(`sweep ${experiment.name}${shard.count > 1 ? ` shard ${shard.index}/${shard.count}` : ''}`, io.tty ?? false, err),
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  });
  const rows = result.resumed + result.ran;
  if (!result.complete) {
    err(`interrupted: ${rows} of ${result.meta.total} rows in ${outFile}; run the same command with --resume to finish`);
    return 130;
  }
  if (values.json === true) out(JSON.stringify(result.summary, null, 2));
  else out(`${experiment.name}: ${rows} rows in ${outFile}${result.resumed > 0 ? ` (${result.resumed} resumed)` : ''}\n${formatSummary(result.summary)}`);
  return 0;
}

/** Progress on stderr: a line rewritten in place on a terminal (at most 10 times a second), else one every ~10 %. */
function progressPrinter(what: string, tty: boolean, err: (s: string) => void): (p: SweepProgress) => void {
  let shownAt = 0;
  let shownTenth = -1;
  // Wall time, written as simulated durations are (42s, 3m5s).
  const wall = (milliseconds: number) => formatDuration(seconds(Math.ceil(milliseconds / 1000)));
  return (p) => {
    const finished = p.done === p.total;
    const percent = p.total === 0 ? 100 : Math.floor((100 * p.done) / p.total);
    const line = `${what}: ${p.done}/${p.total} runs (${percent}%)${p.rate > 0 ? `, ${p.rate.toFixed(0)} runs/s` : ''}${p.etaMs === null || finished ? '' : `, ${wall(p.etaMs)} left`}${finished ? `, ${(p.elapsedMs / 1000).toFixed(1)}s` : ''}`;
    if (tty) {
      const now = Date.now();
      if (!finished && now - shownAt < 100) return;
      shownAt = now;
      const filled = Math.round(percent / 5);
      // Straight to the terminal: a line rewritten in place has no place among `err`'s lines.
      process.stderr.write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}] ${line}${finished ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor((10 * p.done) / Math.max(1, p.total));
    if (tenth === shownTenth) return;
    shownTenth = tenth;
    err(line);
  };
}

/** `anycast-lab export <lab> --to frr [--out dir]`. */
function exportCommand(rest: string[], values: CliValues, out: (s: string) => void): number {
  const dir = labDir(rest[0]);
  if (rest.length > 1) throw new UsageError(`export takes one lab, got also "${rest.slice(1).join(' ')}"`);
  const target = values.to;
  if (target === undefined || !(EXPORT_TARGETS as readonly string[]).includes(target)) {
    throw new UsageError(`export needs --to <${EXPORT_TARGETS.join('|')}>${target === undefined ? '' : `, got "${target}"`}`);
  }
  const spec = loadLab(dir, labOptions(values));
  const outDir = resolve(values.out ?? `${spec.name}-${target}`);
  const result = exportLab(spec, target as ExportTarget, outDir);
  for (const f of result.files) {
    const path = join(outDir, f.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    out(`wrote ${path}`);
  }
  for (const f of result.findings) out(`${f.source.file}:${f.source.line}: ${f.severity === 'unsupported' ? 'does not translate' : 'note'}: ${f.message}`);
  const untranslated = result.findings.filter((f) => f.severity === 'unsupported').length;
  out(`${result.files.length} files for ${target} in ${outDir}; ${untranslated === 0 ? 'everything translates' : `${untranslated} thing${untranslated === 1 ? '' : 's'} do${untranslated === 1 ? 'es' : ''} not translate`}`);
  return 0;
}

function failoverJson(r: FailoverResult, client: string, target: string, interval: number): unknown {
  const s = (t: SimTime | null) => (t === null ? null : toSeconds(t));
  return { failure: r.failure, client, target, interval: toSeconds(interval), at: toSeconds(r.at), outage: r.outageSeconds, lastGood: s(r.lastGood), firstGood: s(r.firstGood), nearTtl: r.nearTtl, phases: r.phases.map((p) => ({ phase: p.phase, from: toSeconds(p.from), to: toSeconds(p.to), count: p.count })) };
}

if (require.main === module) {
  // Ctrl-C stops a sweep between rows: the output stays a clean prefix, resumable.
  // A second Ctrl-C, or one in any other command, ends the process as usual.
  const interrupt = new AbortController();
  if (process.argv[2] === 'sweep') process.once('SIGINT', () => interrupt.abort());
  const io: CliIo = { tty: process.stderr.isTTY === true, signal: interrupt.signal };
  try {
    const code = main(process.argv.slice(2), undefined, io);
    if (typeof code === 'number') process.exitCode = code;
    else code.then((c) => (process.exitCode = c), (e: unknown) => (process.exitCode = reportError(e))).finally(() => process.removeAllListeners('SIGINT'));
  } catch (e) {
    process.exitCode = reportError(e);
  }
}

/**
 * Runs a command line in-process and returns its exit code and what it printed, as the shell would
 * see them (errors included, never thrown): for tests and notebooks.
 */
export function runCli(args: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  let code: number;
  try {
    // Refused before it starts, or it would go on writing after this returns.
    const command = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: false }).positionals[0];
    if (command === 'sweep') throw new Error('sweep runs asynchronously: use runCliAsync');
    // The real-lab commands take minutes and root: they run as their own process, never in-process.
    if (command === 'real') throw new UsageError('the real-lab commands run in their own process: node dist/cli/main.js real ...');
    const result = main(args, (s) => out.push(s), { err: (s) => err.push(s) });
    if (typeof result !== 'number') throw new Error(`${args[0]} runs asynchronously: use runCliAsync`);
    code = result;
  } catch (e) {
    code = reportError(e, (s) => err.push(s));
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `runCli` for every command, the asynchronous ones (sweep) included. */
export async function runCliAsync(args: string[], io: Omit<CliIo, 'err'> = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  let code: number;
  try {
    code = await main(args, (s) => out.push(s), { ...io, err: (s) => err.push(s) });
  } catch (e) {
    code = reportError(e, (s) => err.push(s));
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
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
  if (e instanceof ExecError || e instanceof SweepError) {
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

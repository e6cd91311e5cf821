/**
 * `anycast-lab real <up|exec|fail|status|down|failover|measure|record-show|compare-features>`: the command line of the real lab.
 * program.ts declares the commands and options and hands them here; everything that touches the
 * machine is in lib/real.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDuration, seconds, toMs, toSeconds, type Duration } from '../sim/time';
import { outageRunWithPremiseJson, outageSummaryJson, unsteadyCountJson } from './json';
import { unsteadyLine } from './failover';
import { realUp, realDown, openRealLab, nodePlan, REAL_RIP_TIMERS } from '../real/lab';
import { failReal, parseRealFailure } from '../real/failures';
import { runRealScript } from '../real/script';
import { loadScript, type ScriptStep } from '../config/script';
import { changeAsVtysh, parseConfigChange } from '../lab/live-config';
import { daemonsOf, nodeDirs, frrTimers } from '../real/daemons';
import { realFailover } from '../real/failover';
import { measureReal, type RealMeasurement } from '../real/measure';
import { realDataPath } from '../real/compare';
import { recordRealShow } from '../real/show';
import { SHOW_RECORD } from '../real/show-records';
import { featureSummary, formatFeatureAgreement } from '../results/show';
import { featureAgreement } from './features';
import { readState, stateFilePath } from '../real/state';
import { namespaceExists } from '../real/network';
import { RealLabError, requireRealLab } from '../real/system';

export interface RealCliValues {
  state?: string;
  'frr-version'?: string;
  timers?: string;
  json?: boolean;
  fail?: string[];
  script?: string;
  change?: string[];
  runs?: string;
  client?: string;
  target?: string;
  interval?: string;
  seed?: string;
  out?: string;
  for?: string;
  only?: string;
  probe?: string;
  settle?: string;
  'run-for'?: string;
}

function duration(text: string | undefined, option: string, fallback: Duration): Duration {
  if (text === undefined) return fallback;
  const d = parseDuration(text);
  if (!d.ok) throw new RealLabError(`${option}: ${d.error}`);
  return d.value;
}

/** `--frr-version` (program.ts has checked it is an 8.x) for `real up` and `real failover`. */
function frrVersionOf(values: RealCliValues): { frrVersion?: string } {
  const text = values['frr-version'];
  return text === undefined ? {} : { frrVersion: text };
}

function timersOf(values: RealCliValues): string | null {
  if (values.timers === undefined) return REAL_RIP_TIMERS;
  if (values.timers === 'lab') return null;
  frrTimers(values.timers);
  return values.timers.trim().replace(/\s+/g, ' ');
}

/**
 * Runs one real-lab command. `labDir` resolves a lab argument (lib/cli.ts's rule); `labOptions` are
 * the lab options from --option/--anycast; `rest` the positionals after `real <sub>`.
 */
/**
 * Runs a long experiment so that Ctrl-C (or SIGTERM) removes the lab it has up before exiting; a
 * SIGKILL leaves it to `real down`, which reads the same state file.
 */
async function removingLabOnSignal<T>(stateFile: string, work: () => Promise<T>): Promise<T> {
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`${signal}: removing the real lab before exiting\n`);
    realDown(stateFile, (s) => process.stderr.write(s + '\n'));
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work();
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

export async function realCli(sub: string | undefined, rest: string[], values: RealCliValues, labDir: (arg: string | undefined) => string, labOptions: Record<string, boolean>, out: (s: string) => void): Promise<number> {
  const stateFile = stateFilePath(values.state);
  const progress = (s: string): void => {
    process.stderr.write(s + '\n');
  };
  switch (sub) {
    case 'up': {
      const lab = realUp({ labDir: labDir(rest[0]), options: labOptions, ...frrVersionOf(values), ripTimers: timersOf(values), stateFile, progress });
      out(`real lab ${lab.state.lab} is up (prefix ${lab.state.prefix}); \`anycast-lab real down\` removes it`);
      return 0;
    }
    case 'down': {
      const report = realDown(stateFile, progress);
      if (report === null) {
        out(`no real lab to remove (no state file ${stateFile})`);
        return 0;
      }
      if (report.leftovers.length > 0) {
        out(`could not remove: ${report.leftovers.join(', ')}; the state file ${stateFile} is kept, run \`real down\` again`);
        return 1;
      }
      out(`removed: ${report.namespacesDeleted.length} namespaces, ${report.processesStopped + report.strayProcessesStopped} processes`);
      return 0;
    }
    case 'status':
      return status(stateFile, values.json === true, out);
    case 'exec': {
      const [node, ...command] = rest;
      if (node === undefined || command.length === 0) throw new RealLabError('real exec needs <node> -- <command...>');
      const lab = openRealLab(stateFile);
      const n = nodePlan(lab, node);
      // vtysh finds a daemon by its socket folder: the node's, not the machine's.
      const argv = command[0] === 'vtysh' ? ['vtysh', '--vty_socket', nodeDirs(lab, node).vty, ...command.slice(1)] : command;
      const limit = duration(values.for, '--for', seconds(300));
      return await new Promise<number>((resolve, reject) => {
        const child = spawn('ip', ['netns', 'exec', n.ns, ...argv], { stdio: 'inherit' });
        const timer = setTimeout(() => child.kill('SIGKILL'), toMs(limit));
        child.on('error', (e) => reject(new RealLabError(`real exec ${node}: ${e.message}`)));
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (signal === 'SIGKILL') process.stderr.write(`real exec: killed after ${toSeconds(limit)} s (--for)\n`);
          resolve(code ?? 128);
        });
      });
    }
    case 'fail': {
      const [text] = rest;
      if (text === undefined || rest.length > 1) throw new RealLabError('real fail needs one <node>[:<iface>]:<mode>, e.g. xenial1:halt');
      out(failReal(openRealLab(stateFile), parseRealFailure(text)));
      return 0;
    }
    case 'failover': {
      const fails = values.fail ?? [];
      if (fails.length !== 1) throw new RealLabError(`real failover needs exactly one --fail <node>:<mode>, e.g. --fail xenial1:halt (got ${fails.length})`);
      const runs = values.runs === undefined ? 5 : Number(values.runs);
      if (!Number.isSafeInteger(runs) || runs < 1) throw new RealLabError(`--runs: expected a whole number ≥ 1, got "${values.runs}"`);
      const seed = values.seed === undefined ? 1 : Number(values.seed);
      if (!Number.isSafeInteger(seed)) throw new RealLabError(`--seed: expected a whole number, got "${values.seed}"`);
      const timers = timersOf(values);
      const probe = values.probe ?? 'ping';
      if (probe !== 'ping' && probe !== 'dns') throw new RealLabError(`--probe: expected ping or dns, got "${probe}"`);
      const interval = values.interval === undefined ? {} : { probeInterval: duration(values.interval, '--interval', 0) };
      const settle = values.settle === undefined ? {} : { settle: duration(values.settle, '--settle', 0) };
      const runFor = values['run-for'] === undefined ? {} : { runFor: duration(values['run-for'], '--run-for', 0) };
      const record = await removingLabOnSignal(stateFile, () => realFailover({ labDir: labDir(rest[0]), options: { do_anycast: true, ...labOptions }, ...frrVersionOf(values), fail: fails[0]!, probe, runs, ripTimers: timers, ...interval, ...settle, ...runFor, client: values.client ?? 'xenial3', target: values.target ?? '10.128.224.2', seed, stateFile, progress }));
      if (values.out !== undefined) writeFileSync(values.out, JSON.stringify(record, null, 1) + '\n');
      if (values.json === true) {
        out(JSON.stringify({ profile: `frr timers ${record.ripTimers}`, runs: record.runs.map(outageRunWithPremiseJson), ...outageSummaryJson(record), ...unsteadyCountJson(record), versions: record.versions, date: record.date }, null, 2));
      } else {
        out(`real failover ${record.fail}, ${runs} runs, FRR timers basic ${record.ripTimers}, ${record.client} ${record.probe === 'ping' ? 'pings' : 'asks'} ${record.target} every ${record.probeIntervalSeconds} s`);
        out(`outage min/median/max = ${record.min ?? '-'}/${record.median ?? '-'}/${record.max ?? '-'} s${record.unrecovered > 0 ? `; ${record.unrecovered} runs did not recover` : ''}`);
        // The simulated failover's premise check, on the real probe's rows (lib/results/outcome.ts baselineProblems).
        const unsteady = unsteadyLine(record, record.runs);
        if (unsteady !== null) out(unsteady);
        out(`on ${record.versions.frr}, ${record.versions.bind}, ${record.versions.kernel}${values.out === undefined ? '' : `; saved to ${values.out}`}`);
      }
      return record.unsteady > 0 ? 1 : 0;
    }
    case 'record-show': {
      const dir = labDir(rest[0]);
      const record = await removingLabOnSignal(stateFile, async () => recordRealShow({ labDir: dir, options: labOptions, stateFile, progress }));
      const outDir = values.out ?? realDataPath(basename(dir));
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, SHOW_RECORD);
      writeFileSync(file, JSON.stringify(record, null, 1) + '\n');
      out(`saved ${file}: ${record.nodes.length} routers, settled at ${record.settledSeconds} s, taken at ${record.recordedSeconds} s, on ${record.versions.frr}`);
      return 0;
    }
    case 'run': {
      const dir = labDir(rest[0]);
      if (values.script === undefined && values.change === undefined) throw new RealLabError('real run needs --script <file> (lines "@<time> <node> vtysh -c …") or --change "<node>@<time>: <lines>"');
      // A --change is its vtysh chain, run before the script's steps of the same time (as in the simulator).
      const changes: ScriptStep[] = (values.change ?? []).map((text) => {
        const parsed = parseConfigChange(text);
        if (!parsed.ok) throw new RealLabError(`--change: ${parsed.error}`);
        return { at: parsed.value.at, node: parsed.value.node, command: changeAsVtysh(parsed.value), file: '--change', line: 0 };
      });
      const scripted = values.script === undefined ? [] : loadScript(values.script);
      const steps = [...changes, ...scripted].sort((a, b) => a.at - b.at);
      const record = await removingLabOnSignal(stateFile, async () => runRealScript({ labDir: dir, script: values.script === undefined ? '--change' : basename(values.script), steps, stateFile, progress }));
      for (const s of record.steps) {
        out(`=== @${s.atSeconds}s ${s.node}: ${s.command} (ran at ${s.ranSeconds} s)`);
        if (s.output !== '') out(s.output);
      }
      if (values.out !== undefined) {
        writeFileSync(values.out, JSON.stringify(record, null, 1) + '\n');
        out(`saved ${values.out}`);
      }
      return 0;
    }
    case 'compare-features': {
      const rows = featureAgreement();
      out(values.json === true ? JSON.stringify({ summary: featureSummary(rows), rows }, null, 2) : formatFeatureAgreement(rows));
      return 0;
    }
    case 'measure': {
      const dir = labDir(rest[0]);
      const runs = values.runs === undefined ? 5 : Number(values.runs);
      if (!Number.isSafeInteger(runs) || runs < 1) throw new RealLabError(`--runs: expected a whole number ≥ 1, got "${values.runs}"`);
      const only = values.only === undefined ? undefined : values.only.split(',').map((w) => w.trim());
      for (const w of only ?? []) if (!['survey', 'lookups', 'failover'].includes(w)) throw new RealLabError(`--only: expected survey, lookups or failover (comma-separated), got "${w}"`);
      const outDir = values.out ?? realDataPath(basename(dir));
      const files = await removingLabOnSignal(stateFile, () => measureReal({ labDir: dir, outDir, runs, ...(only === undefined ? {} : { only: only as RealMeasurement[] }), stateFile, progress }));
      out(`saved: ${files.join(', ')}`);
      return 0;
    }
    default:
      throw new RealLabError(`unknown real-lab command "${sub ?? ''}" (anycast-lab real --help)`);
  }
}

function status(stateFile: string, json: boolean, out: (s: string) => void): number {
  requireRealLab();
  const state = readState(stateFile);
  if (state === null) {
    out(json ? JSON.stringify({ up: false, stateFile }) : `no real lab is up (no state file ${stateFile})`);
    return 0;
  }
  const lab = openRealLab(stateFile);
  const nodes = lab.plan.nodes.map((n) => ({ node: n.node, namespace: n.ns, exists: namespaceExists(n.ns), daemons: daemonsOf(lab, n.node).map((p) => `${p.role}[${p.pid}]`), failed: state.failed[n.node] ?? [] }));
  if (json) {
    out(JSON.stringify({ up: true, stateFile, lab: state.lab, prefix: state.prefix, ripTimers: state.ripTimers, options: state.options, startedAt: new Date(state.startedAtMs).toISOString(), complete: state.upAtMs !== null, nodes }, null, 2));
    return 0;
  }
  out(`real lab ${state.lab}, prefix ${state.prefix}, ${state.upAtMs === null ? 'NOT complete (up was interrupted: run real down)' : `up since ${new Date(state.upAtMs).toISOString()}`}; FRR timers ${state.ripTimers ?? "the lab's own"}`);
  for (const n of nodes) out(`  ${n.node.padEnd(10)} ${n.exists ? n.namespace.padEnd(20) : '(no namespace)'.padEnd(20)} ${n.daemons.join(' ') || '-'}${n.failed.length > 0 ? `  failed: ${n.failed.join(', ')}` : ''}`);
  return 0;
}

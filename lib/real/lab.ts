/**
 * The real lab: the LabSpec built on Linux network namespaces, with FRR (zebra + ripd) on every RIP
 * speaker and BIND 9 on every DNS server, driven by `anycast-lab real up|exec|fail|status|down`.
 *
 * Every command reads and writes one state file (state.ts): `up` records each thing before making
 * it, `down` removes what the file names, also after `up` or an experiment was killed midway.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadLab } from '../config/load';
import { parseFrrRelease } from '../config/frr-version';
import type { LabSpec } from '../config/spec';
import { namedBootPlan } from '../config/node-dns';
import { ipv4ToString } from '../wire/addr';
import { planLab, type NodePlan, type RealPlan } from './plan';
import { StateJournal, newPrefix, readState, runDirFor, stateFilePath, type RealState } from './state';
import { addAddress, buildWiring, configureNode, linksUp, namespaceExists, writeEtcFiles } from './network';
import { RealLabError, requireRealLab } from './system';
import { startNodeDaemons } from './daemons';
import { leftoversOf, teardown, type TeardownReport } from './teardown';

/** FRR `timers basic` for real-time runs: update 5 s, timeout 15 s, garbage 10 s (a sixth of the defaults). */
export const REAL_RIP_TIMERS = '5 15 10';

export interface RealUpOptions {
  /** The lab folder. */
  labDir: string;
  /** Lab options, e.g. `{ do_anycast: true }`. */
  options?: Record<string, boolean>;
  /** `--frr-version`: the release FRR files without a `frr version` line are read as (an 8.x: the namespaces run the installed FRR). @defaultValue the lab's */
  frrVersion?: string;
  /** FRR `timers basic <update> <timeout> <garbage>` for every ripd, or null for each config's own. @defaultValue REAL_RIP_TIMERS */
  ripTimers?: string | null;
  /** @defaultValue stateFilePath() */
  stateFile?: string;
  /** The namespaces' prefix (`<prefix><node>`). @defaultValue newPrefix(), `al<6 hex digits>-` */
  prefix?: string;
  progress?: (line: string) => void;
}

/** A lab that is up: its state, its plan and the LabSpec it was built from. */
export interface RealLab {
  state: RealState;
  stateFile: string;
  plan: RealPlan;
  spec: LabSpec;
}

function refuseIfUp(stateFile: string): void {
  const existing = readState(stateFile);
  if (existing === null) return;
  const left = leftoversOf(existing);
  throw new RealLabError(
    left.length > 0
      ? `a real lab (${existing.lab}, prefix ${existing.prefix}) is already up according to ${stateFile}: run \`anycast-lab real down\` first`
      : `${stateFile} names a real lab that is gone (prefix ${existing.prefix}): run \`anycast-lab real down\` to clear it`,
  );
}

/**
 * The lab as the real namespaces run it: read like the simulator reads it (with `--frr-version` when
 * given), then refused when a node's FRR files are read as a release other than 8.x: the namespaces
 * run the installed FRR (Debian 12's 8.4.4), which would refuse or misread another release's grammar
 * (a `frr version 10.2` line, or the topology's x-sim.frr-version: 10.2).
 */
export function loadRealSpec(labDir: string, options: Record<string, boolean>, frrVersion: string | undefined): LabSpec {
  const spec = loadLab(labDir, options, frrVersion === undefined ? {} : { frrVersion });
  for (const n of spec.nodes) {
    if (n.frr === undefined || parseFrrRelease(n.frr.release)?.major === 8) continue;
    const where = n.frr.source === null ? `the lab's setting` : `${n.frr.source.file}:${n.frr.source.line}`;
    throw new RealLabError(`${n.name}: its FRR files are read as FRR ${n.frr.release} (${where}); the real lab runs the installed FRR 8.4: give --frr-version 8.4, or run this lab in the simulator only`);
  }
  return spec;
}

/** Builds the lab: namespaces, wiring, addresses, routes, /etc files, then the daemons. */
export function realUp(o: RealUpOptions): RealLab {
  requireRealLab();
  const stateFile = o.stateFile ?? stateFilePath();
  refuseIfUp(stateFile);
  const progress = o.progress ?? (() => {});
  const spec = loadRealSpec(o.labDir, o.options ?? {}, o.frrVersion);
  const prefix = o.prefix ?? newPrefix();
  const plan = planLab(spec, prefix);
  const runDir = runDirFor(stateFile, prefix);
  const state: RealState = {
    format: 1,
    prefix,
    lab: spec.name,
    labDir: o.labDir,
    options: spec.options,
    ...(o.frrVersion === undefined ? {} : { frrVersion: o.frrVersion }),
    ripTimers: o.ripTimers === undefined ? REAL_RIP_TIMERS : o.ripTimers,
    runDir,
    startedAtMs: Date.now(),
    upAtMs: null,
    namespaces: [],
    interfaces: plan.interfaces,
    processes: [],
    etcNetns: [],
    failed: {},
  };
  const journal = new StateJournal(stateFile, state);
  const lab: RealLab = { state, stateFile, plan, spec };
  try {
    mkdirSync(runDir, { recursive: true, mode: 0o755 });
    assertReachableByDaemons(runDir);
    progress(`real lab ${spec.name}: prefix ${prefix}, state ${stateFile}`);
    buildWiring(plan, journal, progress);
    // Every node's links up before any node adds its routes: a route added over a veth whose far
    // end is still down is marked `linkdown` by the kernel, and zebra keeps showing it so
    // (`K>* ... eth1 linkdown`) after the link comes up.
    for (const n of plan.nodes) linksUp(n);
    for (const n of plan.nodes) bootNode(lab, journal, n);
  } catch (e) {
    // Half a lab is no use: remove what was made, then report why.
    teardown(state, stateFile);
    throw e;
  }
  state.upAtMs = Date.now();
  journal.save();
  progress(`up in ${((state.upAtMs - state.startedAtMs) / 1000).toFixed(1)} s: ${plan.nodes.filter((n) => n.rip).length} ripd, ${plan.nodes.filter((n) => n.named).length} named`);
  return lab;
}

/**
 * A node's boot: its links, addresses and routes, files, then its daemons in the order its setup
 * runs them. Addresses its setup adds after named's last start (`bind_before_lo0`) come after named.
 */
export function bootNode(lab: RealLab, journal: StateJournal, n: NodePlan): void {
  const nodeSpec = lab.spec.nodes.find((s) => s.name === n.node)!;
  const late = n.named ? namedBootPlan(lab.spec, nodeSpec).lateAddresses.map((s) => `${ipv4ToString(s.address)}/${s.prefixLength}`) : [];
  configureNode(n, late);
  writeEtcFiles(n, journal);
  startNodeDaemons(lab, journal, n);
  for (const cidr of late) addAddress(n, cidr);
}

/**
 * zebra, ripd and named (as `bind`) drop root before they open their files and sockets: every folder
 * above the run folder must let others through (x), or they fail with nothing but a timeout.
 */
function assertReachableByDaemons(runDir: string): void {
  for (let dir = runDir; dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) throw new RealLabError(`${dir} is not reachable by the frr and bind users (mode ${(statSync(dir).mode & 0o777).toString(8)}): FRR and BIND could not open their files below it; give it o+x or put the state file elsewhere (--state)`);
  }
}

/** The lab the state file describes, for the commands that act on a running lab. */
export function openRealLab(stateFile = stateFilePath()): RealLab {
  requireRealLab();
  const state = readState(stateFile);
  if (state === null) throw new RealLabError(`no real lab is up (no state file ${stateFile}); start one with \`anycast-lab real up <lab>\``);
  const spec = loadRealSpec(state.labDir, state.options, state.frrVersion);
  const plan = planLab(spec, state.prefix);
  return { state, stateFile, plan, spec };
}

export function nodePlan(lab: RealLab, node: string): NodePlan {
  const n = lab.plan.nodes.find((p) => p.node === node);
  if (n === undefined) throw new RealLabError(`no node "${node}" in the real lab ${lab.state.lab} (nodes: ${lab.plan.nodes.map((p) => p.node).join(', ')})`);
  if (!namespaceExists(n.ns)) throw new RealLabError(`node ${node}'s namespace ${n.ns} does not exist: the lab is not (fully) up; \`anycast-lab real down\` then \`real up\``);
  return n;
}

/** Removes everything the state file names. */
export function realDown(stateFile = stateFilePath(), progress: (line: string) => void = () => {}): TeardownReport | null {
  requireRealLab();
  const state = readState(stateFile);
  if (state === null) return null;
  return teardown(state, stateFile, progress);
}

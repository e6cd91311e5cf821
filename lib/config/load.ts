/**
 * loadLab: a lab folder (topology file + each node's own config text) → one validated LabSpec.
 *
 * Per node kind:
 * - `cisco_iol`/`cisco_ios`: the startup-config is IOS text (startup-config or pasted session form).
 * - `linux`: the startup-config is a shell setup script; files bound in (`binds`) and files the script
 *   writes (here-documents) that land in /etc/quagga/ or /etc/frr/ are read as Quagga/FRR config:
 *   `daemons` says which daemons run, `zebra.conf` adds interface addresses (an alias label such as
 *   `lo:0` becomes an alias of `lo`), `ripd.conf` (with ripd=yes) makes the host a RIP speaker.
 * - `bridge`: a LAN segment whose endpoints are the interfaces linked to it.
 *
 * Then each Linux node's DNS, from its files after the setup script (lib/config/node-dns.ts): its
 * resolv.conf and hosts and, on a server, make_config's zones, named.conf.options and named's boot.
 * After load nothing reads a lab file again: the spec holds every file's text.
 *
 * The files come from a folder (`loadLab`) or from text (`loadLabFiles` with lib/config/lab-files.ts's
 * `memoryLabFiles`): the same LabSpec either way, so a page can load a lab it embeds or a config a
 * reader pasted.
 *
 * Every problem in every file is collected and thrown as one LabFileError.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { interfaceIn, isLinuxLoopback, newInterface } from './common';
import { LabFileError, type LabFileProblem } from './errors';
import type { LabFiles } from './lab-files';
import type { BfddSpec } from './commands/frr-bfd';
import { parseDaemons, parseFrrConf, parseRipdConf, parseStaticdConf, parseZebraConf, type DaemonsConfig, type FrrConfig } from './frr';
import { DEFAULT_FRR_RELEASE, formatFrrRelease, frrReleaseProblem, parseFrrRelease, type FrrRelease } from './frr-version';
import { parseHostScript } from './host';
import { parseIosConfig } from './ios';
import { defaultMac } from './macs';
import { parseTopology, type TopologyNode, type TopologySpec } from './topology';
import { resolveNodeDns } from './node-dns';
import type { ConfigFinding, InterfaceSpec, LabSpec, NodeSpec, SourceRef } from './spec';

/** Lab options (declared in the topology under `x-sim.options`), e.g. `{ do_anycast: true }`. */
export interface LoadLabOptions {
  do_anycast?: boolean;
  [option: string]: boolean | undefined;
}

/** Lab settings that are not on/off options. */
export interface LoadLabSettings {
  /**
   * The FRR release (`8.4`, `10.2`) a node's FRR files without a `frr version` line are read as; it
   * wins over the topology's `x-sim.frr-version`. Default 8.4.
   */
  frrVersion?: string;
}

const TOPOLOGY_NAMES = ['topology.clab.yml', 'topology.clab.yaml', 'topology.yml', 'topology.yaml'];

/** The topology file of a lab folder: topology.clab.yml, else the one *.clab.yml/yaml, else topology.yml. */
export function findTopologyFile(dir: string): string {
  const files = labFolder(dir);
  return join(files.dir!, topologyFileName(files));
}

/** The lab's topology file among its top-level files, by the rule of `findTopologyFile`. */
function topologyFileName(files: LabFiles): string {
  const where = files.dir ?? `the lab ${files.name}`;
  const names = files.topLevel();
  if (names.includes('topology.clab.yml')) return 'topology.clab.yml';
  const clab = names.filter((n) => n.endsWith('.clab.yml') || n.endsWith('.clab.yaml')).sort();
  if (clab.length === 1) return clab[0]!;
  if (clab.length > 1) {
    throw new LabFileError([{ file: files.name, line: null, column: null, message: `more than one topology file (${clab.join(', ')}): keep one` }]);
  }
  for (const n of TOPOLOGY_NAMES) if (names.includes(n)) return n;
  throw new LabFileError([
    { file: files.name, line: null, column: null, message: `no topology file: expected topology.clab.yml (or *.clab.yml, topology.yml) in ${where}` },
  ]);
}

/** A lab folder on disk as LabFiles; names in errors are relative to the folder holding it. */
function labFolder(dir: string): LabFiles {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new LabFileError([{ file: basename(abs), line: null, column: null, message: `the lab folder ${abs} does not exist` }]);
  }
  const parent = dirname(abs);
  return {
    name: basename(abs),
    dir: abs,
    topLevel: () => readdirSync(abs),
    read: (path) => {
      const file = resolve(abs, path);
      return existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : null;
    },
    displayName: (path) => relative(parent, resolve(abs, path)).split(sep).join('/'),
  };
}

/** What every step of loading reads and writes: the lab folder, its options, the problems found so far. */
interface LoadContext {
  files: LabFiles;
  /** The lab options in effect: declared defaults, overridden by the caller. */
  options: Record<string, boolean>;
  problems: LabFileProblem[];
  /** The release FRR files without a `frr version` line are read as, and where that came from. */
  frr: { release: FrrRelease; origin: 'lab' | 'default'; source: SourceRef | null };
}

/** A file of the lab folder as the node's files and parsers see it: its text and its name in errors. */
interface LabFileText {
  text: string;
  file: string;
}

/** The device's files after boot: path → content and where its first line came from. */
type DeviceFiles = Map<string, { text: string; file: string; firstLine: number }>;

/** Runs a parser, adding the problems of a LabFileError it throws to the context's; null then. */
function collect<T>(ctx: LoadContext, f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof LabFileError) {
      ctx.problems.push(...e.problems);
      return null;
    }
    throw e;
  }
}

/** A file of the lab folder named by the topology (`source`), or null with a problem when it is missing. */
function readLabFile(ctx: LoadContext, path: string, source: SourceRef, what: string): LabFileText | null {
  const text = ctx.files.read(path);
  if (text === null) {
    ctx.problems.push({ file: source.file, line: source.line, column: null, message: `${what} "${path}" does not exist in the lab folder ${ctx.files.name}/` });
    return null;
  }
  return { text, file: ctx.files.displayName(path) };
}

/** Options: declared defaults, overridden by the caller; an undeclared option is a typo. */
function effectiveOptions(topo: TopologySpec, topoFile: string, options: LoadLabOptions, problems: LabFileProblem[]): Record<string, boolean> {
  const effective: Record<string, boolean> = {};
  for (const o of topo.options) effective[o.name] = o.default;
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!(name in effective)) {
      problems.push({
        file: topoFile,
        line: null,
        column: null,
        message: `lab option "${name}" is not declared under x-sim.options${topo.options.length > 0 ? ` (declared: ${topo.options.map((o) => o.name).join(', ')})` : ''}`,
      });
      continue;
    }
    effective[name] = value;
  }
  return effective;
}

/**
 * Loads a lab folder into a LabSpec: the topology, each node's config files, then what the nodes'
 * files say about DNS. Throws LabFileError listing every problem in every file.
 */
export function loadLab(dir: string, options: LoadLabOptions = {}, settings: LoadLabSettings = {}): LabSpec {
  return loadLabFiles(labFolder(dir), options, settings);
}

/** `loadLab` of files from anywhere (lib/config/lab-files.ts): text in, LabSpec out. */
export function loadLabFiles(files: LabFiles, options: LoadLabOptions = {}, settings: LoadLabSettings = {}): LabSpec {
  const topoName = topologyFileName(files);
  const topoFile = files.displayName(topoName);
  const topo = parseTopology(files.read(topoName)!, topoFile);
  const problems: LabFileProblem[] = [];
  const ctx: LoadContext = { files, options: effectiveOptions(topo, topoFile, options, problems), problems, frr: labFrrRelease(topo, topoFile, settings, problems) };

  const nodes: NodeSpec[] = [];
  for (const t of topo.nodes) {
    const node = emptyNode(t);
    if (t.kind === 'router') buildRouter(ctx, t, node);
    else if (t.kind === 'host') buildHost(ctx, t, node);
    nodes.push(node);
  }

  // Interfaces named by links exist on their nodes even when no config mentions them.
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const s of topo.segments) {
    for (const e of s.endpoints) {
      const n = byName.get(e.node)!;
      if (n.kind === 'bridge') continue;
      interfaceIn(n.interfaces, e.iface, null, false).source ??= s.source;
    }
  }
  assignMacs(topo, nodes);
  // DNS last: make_config's zones need the server's own address.
  for (const n of nodes) if (n.os === 'linux' && n.kind !== 'bridge') n.dns = collect(ctx, () => resolveNodeDns(n, ctx.options));

  if (problems.length > 0) throw new LabFileError(problems);
  return {
    name: topo.name,
    options: ctx.options,
    findings: topo.findings,
    dir: files.dir,
    topologyFile: topoFile,
    nodes,
    segments: topo.segments,
  };
}

/** The lab's FRR release: the caller's setting, else the topology's `x-sim.frr-version`, else 8.4. */
function labFrrRelease(topo: TopologySpec, topoFile: string, settings: LoadLabSettings, problems: LabFileProblem[]): LoadContext['frr'] {
  const given = settings.frrVersion !== undefined ? { value: settings.frrVersion, source: null } : topo.frrVersion;
  if (given === null) return { release: DEFAULT_FRR_RELEASE, origin: 'default', source: null };
  const release = parseFrrRelease(given.value);
  const why = release === null ? `expected a release such as "8.4" or "10.2"` : frrReleaseProblem(release, given.value);
  if (why !== null || release === null) {
    const what = given.source === null ? `FRR version "${given.value}"` : `x-sim.frr-version "${given.value}"`;
    problems.push({ file: given.source?.file ?? topoFile, line: given.source?.line ?? null, column: null, message: `${what}: ${why}` });
    return { release: DEFAULT_FRR_RELEASE, origin: 'default', source: null };
  }
  return { release, origin: 'lab', source: given.source };
}

function buildRouter(ctx: LoadContext, t: TopologyNode, node: NodeSpec): void {
  if (t.startupConfig === null) return;
  const cfg = readLabFile(ctx, t.startupConfig.path, t.startupConfig.source, `node ${t.name}: startup-config`);
  if (cfg === null) return;
  node.files.push({ devicePath: 'startup-config', labFile: cfg.file, text: cfg.text });
  const ios = collect(ctx, () => parseIosConfig(cfg.text, cfg.file));
  if (ios === null) return;
  node.hostname = ios.hostname?.value ?? null;
  node.domain = ios.domain?.value ?? null;
  node.interfaces = ios.interfaces;
  node.staticRoutes = ios.staticRoutes;
  node.rip = ios.rip;
  node.ipForwarding = ios.ipForwarding;
  node.findings.push(...ios.findings);
}

function buildHost(ctx: LoadContext, t: TopologyNode, node: NodeSpec): void {
  node.ipForwarding = false;
  const fs: DeviceFiles = new Map();
  for (const b of t.binds) {
    const f = readLabFile(ctx, b.labFile, b.source, `node ${t.name}: bind source`);
    if (f === null) continue;
    node.files.push({ devicePath: b.devicePath, labFile: f.file, text: f.text });
    fs.set(b.devicePath, { text: f.text, file: f.file, firstLine: 1 });
  }
  if (t.startupConfig !== null) {
    const script = readLabFile(ctx, t.startupConfig.path, t.startupConfig.source, `node ${t.name}: startup-config`);
    if (script !== null) {
      node.files.push({ devicePath: 'startup-config', labFile: script.file, text: script.text });
      runSetupScript(ctx, t, node, script, fs);
    }
  }
  // Every Linux box has lo with 127.0.0.1/8 (listed first, as `ip addr` does).
  if (!node.interfaces.some((i) => i.name === 'lo')) node.interfaces.unshift(newInterface('lo', t.source, true));
  const lo = interfaceIn(node.interfaces, 'lo', t.source, true);
  lo.up = true;
  if (!lo.addresses.some((a) => a.address === 0x7f000001)) lo.addresses.unshift({ address: 0x7f000001, prefixLength: 8, source: t.source });
  routingDaemons(ctx, t, node, fs);
}

/** The host's setup script: what it configures, and the files it writes onto the device's. */
function runSetupScript(ctx: LoadContext, t: TopologyNode, node: NodeSpec, script: LabFileText, fs: DeviceFiles): void {
  const host = collect(ctx, () => parseHostScript(script.text, script.file, { options: ctx.options, files: t.binds.map((b) => b.devicePath) }));
  if (host === null) return;
  node.hostname = host.hostname?.value ?? null;
  node.domain = host.domain?.value ?? null;
  node.interfaces = host.interfaces;
  node.staticRoutes = host.staticRoutes;
  node.ipForwarding = host.ipForwarding;
  node.writtenFiles = host.writtenFiles;
  node.bootSteps = host.bootSteps;
  node.findings.push(...host.findings);
  for (const w of host.writtenFiles) {
    const before = fs.get(w.path);
    if (w.mode === 'append' && before !== undefined) before.text += w.content;
    else fs.set(w.path, { text: w.content, file: script.file, firstLine: w.contentLine });
  }
}

function routingDaemons(ctx: LoadContext, t: TopologyNode, node: NodeSpec, fs: DeviceFiles): void {
  for (const dir of ['/etc/quagga', '/etc/frr']) {
    const frr = dir === '/etc/frr';
    const get = (name: string) => fs.get(`${dir}/${name}`);
    const daemonsFile = get('daemons');
    const zebraFile = get('zebra.conf');
    const ripdFile = get('ripd.conf');
    const frrFile = frr ? get('frr.conf') : undefined;
    const staticdFile = frr ? get('staticd.conf') : undefined;
    if (daemonsFile === undefined && zebraFile === undefined && ripdFile === undefined && frrFile === undefined && staticdFile === undefined) continue;
    const daemons: DaemonsConfig | null =
      daemonsFile === undefined ? null : collect(ctx, () => parseDaemons(daemonsFile.text, daemonsFile.file, { firstLine: daemonsFile.firstLine }));
    const at: SourceRef = daemonsFile === undefined ? t.source : { file: daemonsFile.file, line: daemonsFile.firstLine };
    // NOTE: FRR always runs zebra; Quagga runs it when daemons says zebra=yes.
    const zebraOn = frr || daemons?.daemons['zebra']?.value === true;
    const ripdOn = daemons?.daemons['ripd']?.value === true;
    if (daemonsFile === undefined) {
      node.findings.push(finding('note', at, `${dir} has routing daemon configs but no daemons file: no daemon is started`));
      continue;
    }
    // Quagga's files are read with FRR 8.4's grammar: Quagga 0.99 has none of the later additions.
    const release = frr ? ctx.frr.release : DEFAULT_FRR_RELEASE;
    const read = (file: { text: string; file: string; firstLine: number } | undefined, parse: typeof parseZebraConf): FrrConfig | null =>
      file === undefined ? null : collect(ctx, () => parse(file.text, file.file, { firstLine: file.firstLine, frr, release }));
    const configs: FrrConfig[] = [];
    if (frrFile !== undefined) {
      const c = read(frrFile, parseFrrConf);
      if (c !== null) configs.push(c);
    } else {
      if (zebraOn) {
        const c = read(zebraFile, parseZebraConf);
        if (c !== null) configs.push(c);
        // frrcommon.sh: "zebra" and "staticd" are always started, whatever the daemons file says.
        const st = read(staticdFile, parseStaticdConf);
        if (st !== null) configs.push(st);
      } else if (zebraFile !== undefined) {
        node.findings.push(finding('note', at, `${dir}/zebra.conf is present but zebra is not enabled in ${dir}/daemons`));
      }
      if (ripdOn) {
        const c = read(ripdFile, parseRipdConf);
        if (c !== null) configs.push(c);
        else if (ripdFile === undefined) node.findings.push(finding('note', at, `ripd=yes in ${dir}/daemons but there is no ${dir}/ripd.conf`));
      } else if (ripdFile !== undefined) {
        node.findings.push(finding('note', at, `${dir}/ripd.conf is present but ripd is not enabled in ${dir}/daemons`));
      }
    }
    for (const c of configs) {
      node.findings.push(...c.findings);
      if (c.daemon !== 'ripd' && zebraOn) applyZebra(node, c);
      if (c.rip !== null && ripdOn) {
        node.rip = c.rip;
        // NOTE: a host that runs a routing daemon is taken to forward packets (the project's rule); real
        // zebra only turns forwarding on with "ip forwarding".
        node.ipForwarding = true;
      }
      if (c.ipForwarding !== null) node.ipForwarding = c.ipForwarding.value;
    }
    if (frr) node.frr = frrOfNode(ctx, node, configs, ripdOn, daemons?.daemons['bfdd']?.value === true);
  }
}

/**
 * The release the node's FRR is read as: its files' `frr version` line (vtysh writes the same one in
 * each), else the lab's. Files that name different releases are each read as their own, with a note.
 */
function frrOfNode(ctx: LoadContext, node: NodeSpec, configs: FrrConfig[], ripdOn: boolean, bfddOn: boolean): NonNullable<NodeSpec['frr']> {
  const versioned = configs.filter((c) => c.frrVersion !== null);
  const first = versioned[0];
  const releases = new Set(configs.map((c) => formatFrrRelease(c.release)));
  if (releases.size > 1) {
    const at = first?.frrVersion?.source ?? node.source;
    node.findings.push(finding('note', at, `the FRR files name different releases (${[...releases].join(', ')}): each file is read as its own`));
  }
  const ripd = configs.filter((c) => c.daemon !== 'zebra');
  const logFile = ripdOn ? (ripd.map((c) => c.logFile).find((l) => l !== null) ?? null) : null;
  const bfd = ripdOn ? ripd.flatMap((c) => c.bfd) : [];
  const firstBfd = bfd[0];
  if (firstBfd !== undefined && !bfddOn) {
    node.findings.push(finding('note', firstBfd.source, `ip rip bfd, but the daemons file does not start bfdd (bfdd=yes): ripd's BFD sessions have no daemon to run them, and routes age out by RIP's timers only`));
  }
  const zebra = configs.filter((c) => c.daemon !== 'ripd');
  return {
    release: formatFrrRelease(first?.release ?? ctx.frr.release),
    origin: first !== undefined ? 'config' : ctx.frr.origin,
    source: first?.frrVersion?.source ?? ctx.frr.source,
    ripd: ripdOn,
    hostname: configs.map((c) => c.hostname?.value).find((h) => h !== undefined) ?? null,
    interfaces: zebra.flatMap((c) =>
      c.interfaces.map((i) => ({ name: i.name, addresses: i.addresses.map((a) => ({ address: a.address, prefixLength: a.prefixLength, label: a.label })), shutdown: i.up === null ? null : !i.up.value })),
    ),
    ripdLogFile: logFile,
    bfd,
    debug: [...new Set(configs.flatMap((c) => c.debug))],
    ...bfddOf(configs, bfddOn),
  };
}

/** bfdd's profiles and peers from every file that has a `bfd` node, when daemons starts bfdd. */
function bfddOf(configs: FrrConfig[], bfddOn: boolean): { bfdd?: BfddSpec } {
  if (!bfddOn) return {};
  const blocks = configs.flatMap((c) => (c.bfdd === null ? [] : [c.bfdd]));
  return { bfdd: { profiles: blocks.flatMap((b) => b.profiles), peers: blocks.flatMap((b) => b.peers) } };
}

function applyZebra(node: NodeSpec, c: FrrConfig): void {
  for (const fi of c.interfaces) {
    const colon = fi.name.indexOf(':');
    const base = colon < 0 ? fi.name : fi.name.slice(0, colon);
    const iface = interfaceIn(node.interfaces, base, fi.source, isLinuxLoopback(base));
    for (const a of fi.addresses) {
      const label = a.label ?? (colon < 0 ? null : fi.name);
      if (label !== null) {
        if (!iface.aliases.some((x) => x.label === label && x.address === a.address && x.prefixLength === a.prefixLength)) {
          iface.aliases.push({ label, address: a.address, prefixLength: a.prefixLength, source: a.source });
        }
      } else if (!iface.addresses.some((x) => x.address === a.address && x.prefixLength === a.prefixLength)) {
        iface.addresses.push({ address: a.address, prefixLength: a.prefixLength, source: a.source });
      }
    }
    if (fi.up !== null) iface.up = fi.up.value;
  }
  node.staticRoutes.push(...c.staticRoutes);
}

function emptyNode(t: TopologyNode): NodeSpec {
  return {
    name: t.name,
    kind: t.kind,
    os: t.os,
    clabKind: t.clabKind,
    hostname: null,
    domain: null,
    interfaces: [],
    staticRoutes: [],
    ipForwarding: t.kind === 'router',
    files: [],
    findings: [],
    processingDelay: t.processingDelay,
    rip: null,
    writtenFiles: [],
    bootSteps: [],
    dns: null,
    source: t.source,
  };
}

function finding(severity: ConfigFinding['severity'], source: SourceRef, message: string): ConfigFinding {
  return { severity, message, source };
}

/** Config `mac-address` first, then the topology's endpoint MAC, then a deterministic default. */
function assignMacs(topo: TopologySpec, nodes: NodeSpec[]): void {
  const fromTopology = new Map<string, number>();
  for (const l of topo.links) for (const e of l.endpoints) if (e.mac !== null) fromTopology.set(`${e.node}:${e.iface}`, e.mac);
  const taken = new Set<number>();
  const pending: { node: NodeSpec; iface: InterfaceSpec }[] = [];
  for (const n of nodes) {
    for (const i of n.interfaces) {
      if (i.loopback) continue;
      i.mac ??= fromTopology.get(`${n.name}:${i.name}`) ?? null;
      if (i.mac !== null) taken.add(i.mac);
      else pending.push({ node: n, iface: i });
    }
  }
  for (const { node, iface } of pending) {
    let salt = 0;
    let mac = defaultMac(node.os, node.name, iface.name, salt);
    while (taken.has(mac)) mac = defaultMac(node.os, node.name, iface.name, ++salt);
    iface.mac = mac;
    taken.add(mac);
  }
}

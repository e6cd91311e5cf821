/**
 * The command line's declaration, on commander (https://github.com/tj/commander.js): each command
 * with its words, its options and examples, and a `--help` of its own. Options belong to the
 * commands that read them: one a command does not take is refused, not ignored. Every value is
 * checked by the command (options.ts, lib/sweep/parameters.ts), so a refusal reads the same
 * wherever the value is typed.
 */
import { Command, Option, type CommanderError } from 'commander';
import { formatDuration } from '../sim/time';
import { DEFAULT_EXEC_TIME } from '../lab/lab';
import { EXPORT_TARGETS } from '../config/writers/export';
import { parseFrrRelease } from '../config/frr-version';
import { LIMITS } from '../sweep/parameters';
import { capture, check, doctorCommand, exec, exportCommand, routes, runScript } from './commands';
import { failover } from './failover';
import { mergeCommand, sweepCommand } from './sweep';
import { realCli } from './real';
import { labDir, labOptions, labSettings, MAX_COMMAND_TIME, noMoreWords, UsageError, type CliValues } from './options';
import type { StepIo, Steps } from './steps';

/** What a command gives back: an exit status, now or later, or a stepped run. */
export type CommandResult = number | Promise<number> | Steps<number>;

export interface ProgramIo {
  out: (s: string) => void;
  err: (s: string) => void;
  steps: StepIo;
}

type Handler = (words: string[], values: CliValues, io: ProgramIo) => CommandResult;

interface OptionSpec {
  flags: string;
  doc: string;
  repeat?: boolean;
}

interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  args: [string, string][];
  options: OptionSpec[];
  examples: string[];
  run: Handler;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const LAB = ['[lab]', 'a folder with a topology file, or the name of one under data/labs/ (e.g. anycast)'] as [string, string];
const MAX = formatDuration(MAX_COMMAND_TIME);

const LAB_OPTIONS: OptionSpec[] = [
  { flags: '--option <name[=true|false]>', doc: 'a lab option declared in its topology (repeatable), e.g. allow_recursion=false', repeat: true },
  { flags: '--anycast', doc: 'set the lab up with anycast (--option do_anycast)' },
  { flags: '--frr-version <release>', doc: 'the FRR release (8.4, 10.2, …) FRR files without a "frr version" line are read as (default: the topology\'s x-sim.frr-version, else 8.4)' },
];

const CHANGE_OPTION: OptionSpec = { flags: "--change '<node>@<time>: <lines>'", doc: 'configuration typed on a node while the lab runs (repeatable), lines separated by ";", e.g. --change "r4@30s: router rip; passive-interface eth1"', repeat: true };

const RUN_OPTIONS: OptionSpec[] = [
  { flags: '--seed <n>', doc: 'seed of all random choices (default 1): same seed, same run' },
  { flags: '--fail <node[:iface]:mode@time>', doc: 'inject a failure (repeatable, one per --fail); modes: halt, boot, reboot=<down time>, link-down, link-up, named-stop, named-start, named-crash, ripd-stop, ripd-start, ripd-crash, drain=<time>', repeat: true },
  CHANGE_OPTION,
  ...LAB_OPTIONS,
  { flags: '--bind-profile <name>', doc: "how named listens: bind-9.10 (default, the write-up's era), bind-9.10-nocaps or bind-9.18" },
];

const JSON_OPTION: OptionSpec = { flags: '--json', doc: 'machine-readable output' };

const COMMANDS: CommandSpec[] = [
  {
    name: 'check',
    usage: '<lab> [options]',
    summary: 'load a lab, report its nodes, wires and every config finding',
    args: [LAB],
    options: [...LAB_OPTIONS, JSON_OPTION, { flags: '--verbose', doc: 'also list the setup-script steps that are recorded, not run (package installs, perl, editors)' }],
    examples: ['anycast-lab check anycast', 'anycast-lab check anycast --anycast --json', 'anycast-lab check anycast --verbose'],
    run: (w, v, io) => check(w, v, io.out),
  },
  {
    name: 'doctor',
    usage: '<lab> [options]',
    summary: "inconsistencies across the lab's files (addresses, RIP networks, resolvers, BIND's start before its addresses), with hints",
    args: [LAB],
    options: [...LAB_OPTIONS, JSON_OPTION],
    examples: ['anycast-lab doctor anycast --anycast', 'anycast-lab doctor anycast --option bind_before_lo0 --json'],
    run: (w, v, io) => doctorCommand(w, v, io.out),
  },
  {
    name: 'exec',
    usage: '<lab> <node> "<command>" [options]',
    summary: 'run a console command (ping, traceroute, show ip route, nslookup, ...) on a node',
    args: [LAB, ['[node]', 'the node whose console it is'], ['[command...]', 'the console command, quoted']],
    options: [
      { flags: '--at <time>', doc: `when to run it (default ${formatDuration(DEFAULT_EXEC_TIME)} after boot; at most ${MAX})` },
      { flags: '--for <time>', doc: `how long an endless command (ping without -c) may run (at most ${MAX})` },
      ...RUN_OPTIONS,
    ],
    examples: ['anycast-lab exec anycast r3 "traceroute 10.128.4.2"', 'anycast-lab exec anycast xenial3 "ping -c 3 10.128.7.1" --fail r3:halt@1s --at 1m', 'anycast-lab exec anycast xenial4 "time nslookup r1" --fail xenial1:named-stop@0s'],
    run: (w, v, io) => exec(w, v, io.out, io.err, io.steps),
  },
  {
    name: 'routes',
    usage: '<lab> [options]',
    summary: "every node's routing table",
    args: [LAB],
    options: [{ flags: '--at <time>', doc: `when (default ${formatDuration(DEFAULT_EXEC_TIME)}; at most ${MAX})` }, { flags: '--json', doc: 'one row per route: atSeconds, node, prefix, source, nextHop, iface, metric (hops), distance' }, ...RUN_OPTIONS],
    examples: ['anycast-lab routes anycast --at 5m', 'anycast-lab routes anycast --anycast --at 5m --json', 'anycast-lab routes anycast --fail xenial1:halt@2m --at 6m'],
    run: (w, v, io) => routes(w, v, io.out, io.err),
  },
  {
    name: 'capture',
    usage: '<lab> --until <time> --out <file.pcap> [options]',
    summary: 'record frames from boot until a time, as a pcap file',
    args: [LAB],
    options: [
      { flags: '--until <time>', doc: `end of the capture (at most ${MAX})` },
      { flags: '--out <file.pcap>', doc: 'the pcap file to write' },
      { flags: '--on <lan|node:interface>', doc: 'where to capture (default: every LAN and link)' },
      ...RUN_OPTIONS,
    ],
    examples: ['anycast-lab capture anycast --until 2m --on vboxnet3 --out lan3.pcap   # then: tshark -r lan3.pcap'],
    run: (w, v, io) => capture(w, v, io.out, io.err),
  },
  {
    name: 'failover',
    usage: '<lab> --fail <node>:<mode> --at <time> [options]',
    summary: 'ping the anycast address from a client while a server fails: the outage and its phases (near, silent, unreachable, far)',
    args: [LAB],
    options: [
      { flags: '--at <time>', doc: `when the failure happens (or --fail <node>:<mode>@<time>; at most ${MAX})` },
      { flags: '--until <time>', doc: `end of the run (default 10 minutes after the failure; at most ${MAX})` },
      { flags: '--client <node>', doc: 'the probing client (default xenial3)' },
      { flags: '--target <address>', doc: 'the address probed (default the anycast address 10.128.224.2)' },
      { flags: '--interval <time>', doc: `probe interval (default 1s); a run sends at most ${LIMITS.probesPerRun} probes` },
      { flags: '--profile <cisco-ios|frr>', doc: "run every RIP speaker with one profile's timers and rules" },
      { flags: '--probe <ping|dns>', doc: 'ping (default), or dig +tries=1 +time=1 for test (sees named-stop)' },
      { flags: '--health-check <interval>', doc: 'a health check on each anycast server: lo:0 down when named stops answering (e.g. 2s)' },
      { flags: '--timers <"update ...">', doc: `timers basic on every RIP speaker: IOS "5 15 15 20", FRR "5 15 10" (each at most ${LIMITS.timerSeconds} s)` },
      { flags: '--ios-poison <remove|holddown>', doc: 'how IOS reads a received poison (default remove)' },
      { flags: '--runs <n>', doc: `repeat over n failure instants drawn over the lab's RIP update interval (its speakers' longest) from --at (at most ${LIMITS.runs}); print min/median/max, and how many runs had no steady baseline` },
      { flags: '--json', doc: 'machine-readable; every time in seconds, its name saying so (atSeconds, outageSeconds)' },
      ...RUN_OPTIONS,
    ],
    examples: [
      'anycast-lab failover anycast --fail xenial1:halt --at 125s',
      'anycast-lab failover anycast --fail xenial1:halt --at 2m --runs 100 --profile frr',
      'anycast-lab failover anycast --fail xenial1:named-stop --at 2m --probe dns --health-check 2s',
      'anycast-lab failover anycast --fail xenial1:halt --at 2m --timers "5 15 15 20" --profile cisco-ios',
    ],
    run: (w, v, io) => failover(w, v, io.out, io.err),
  },
  {
    name: 'run',
    usage: '<lab> --script <file> [options]',
    summary: 'a script of console commands and configuration changes at simulated times ("@<time> <node> <command>" lines), in one simulation',
    args: [LAB],
    options: [{ flags: '--script <file>', doc: 'the script: lines "@30s r1 vtysh -c \"show ip route\"", in time order; # comments' }, ...RUN_OPTIONS],
    examples: ['anycast-lab run feature-passive --script data/labs/feature-passive/drain.script'],
    run: (w, v, io) => runScript(w, v, io.out, io.err),
  },
  {
    name: 'sweep',
    usage: '<experiment.yml> [options]',
    summary: 'run an experiment file (lab, baseline, grid of parameters, runs, seed) in worker threads',
    args: [['[experiment]', 'an experiment file, e.g. data/labs/anycast/experiments/timers.yml']],
    options: [
      { flags: '--out <file.csv|file.jsonl>', doc: 'the rows (default <experiment>.csv here; a shard writes <file>.shard-i-of-n.csv)' },
      { flags: '--workers <n>', doc: 'worker threads (default: one per core; 0: none)' },
      { flags: '--shard <i/n|auto/n>', doc: 'run only jobs i, i+n, i+2n, … (1-based), for batch schedulers; auto/n takes i from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm job array)' },
      { flags: '--resume', doc: 'continue an interrupted output' },
      { flags: '--overwrite', doc: 'start the output again' },
      { flags: '--json', doc: 'the summary as JSON' },
    ],
    examples: ['anycast-lab sweep data/labs/anycast/experiments/timers.yml', 'anycast-lab sweep data/labs/anycast/experiments/cisco-1000.yml --out c.csv --resume', 'anycast-lab sweep exp.yml --workers 1 --shard 3/8 --out rows.csv'],
    run: (w, v, io) => sweepCommand(w, v, io.out, io.err, io.steps),
  },
  {
    name: 'merge',
    usage: '--out <file> <shard outputs...> [options]',
    summary: 'join every shard of one sweep into one file; print the summary',
    args: [['[shards...]', 'the shard outputs']],
    options: [{ flags: '--out <file>', doc: 'the joined file' }, { flags: '--json', doc: 'the summary as JSON' }],
    examples: ['anycast-lab merge --out rows.csv rows.shard-*-of-8.csv'],
    run: (w, v, io) => mergeCommand(w, v, io.out),
  },
  {
    name: 'export',
    usage: '<lab> --to <target> [options]',
    summary: "write the lab's configs for real devices: FRR and BIND per node, IOS startup-configs, the write-up's Vagrantfile, a containerlab folder",
    args: [LAB],
    options: [
      { flags: `--to <${EXPORT_TARGETS.join('|')}>`, doc: 'what to write' },
      { flags: '--out <dir>', doc: 'the folder (default <lab>-<target>); refused when it cannot be made or written' },
      ...LAB_OPTIONS,
    ],
    examples: ['anycast-lab export anycast --to frr --anycast --out /tmp/frr', 'anycast-lab export anycast --to containerlab --out mylab'],
    run: (w, v, io) => exportCommand(w, v, io.out),
  },
];

interface RealSpec {
  name: string;
  /** The words it takes, for refusing more (`real up takes one lab, got also "x"`); absent: any (exec's command). */
  takes?: [number, string];
  usage: string;
  summary: string;
  options: OptionSpec[];
  examples: string[];
}

const STATE: OptionSpec = { flags: '--state <file>', doc: 'the state file (default $ANYCAST_LAB_REAL_STATE or /run/anycast-lab/real-state.json)' };
const REAL_TIMERS: OptionSpec = { flags: '--timers <"5 15 10"|lab>', doc: 'FRR timers basic on every RIP speaker (default "5 15 10"; lab: each config\'s own)' };

const REAL: RealSpec[] = [
  { name: 'up', takes: [1, 'one lab'], usage: '<lab> [options]', summary: 'build the lab: a namespace per node and per LAN, FRR on every RIP speaker, BIND 9 on every DNS server', options: [...LAB_OPTIONS, REAL_TIMERS, STATE], examples: ['anycast-lab real up anycast --anycast'] },
  { name: 'exec', usage: '<node> [options] -- <command...>', summary: "run a command in the node's namespace (vtysh is pointed at the node's FRR)", options: [{ flags: '--for <time>', doc: 'killed after this long (default 5m)' }, STATE], examples: ['anycast-lab real exec xenial3 -- ping -c 3 10.128.224.2', 'anycast-lab real exec r3 -- vtysh -c "show ip rip"'] },
  { name: 'fail', takes: [1, 'one failure'], usage: '<node>[:<iface>]:<mode> [options]', summary: 'a failure now (halt, boot, reboot=<d>, link-down, link-up, named-stop|start|crash, ripd-stop|start|crash)', options: [STATE], examples: ['anycast-lab real fail xenial1:halt'] },
  { name: 'status', takes: [0, 'no words'], usage: '[options]', summary: 'what is up: namespaces, daemons, failures', options: [{ flags: '--json', doc: 'machine-readable' }, STATE], examples: ['anycast-lab real status'] },
  { name: 'down', takes: [0, 'no words'], usage: '[options]', summary: 'remove everything the lab made (also after a crash)', options: [STATE], examples: ['anycast-lab real down'] },
  {
    name: 'failover',
    takes: [1, 'one lab'],
    usage: '<lab> --fail <node>:<mode> [options]',
    summary: 'the failover experiment in real time, each run a fresh lab',
    options: [
      { flags: '--fail <node:mode>', doc: 'the failure (exactly one)', repeat: true },
      { flags: '--runs <n>', doc: 'runs (default 5)' },
      REAL_TIMERS,
      { flags: '--probe <ping|dns>', doc: 'how the client probes (default ping)' },
      { flags: '--interval <time>', doc: 'probe interval (200ms or 500ms)' },
      { flags: '--client <node>', doc: 'the probing client (default xenial3)' },
      { flags: '--target <address>', doc: 'the address probed (default 10.128.224.2)' },
      { flags: '--seed <n>', doc: 'seed of the failure instants (default 1)' },
      { flags: '--settle <time>', doc: 'wait after the lab is up before the failure' },
      { flags: '--run-for <time>', doc: 'how long each run lasts after the failure' },
      { flags: '--out <file.json>', doc: 'save the record' },
      { flags: '--json', doc: 'machine-readable' },
      ...LAB_OPTIONS,
      STATE,
    ],
    examples: ['anycast-lab real failover anycast --fail xenial1:halt --runs 5 --json', 'anycast-lab real failover anycast --fail xenial1:drain=10s --timers lab --settle 60s --run-for 60s --runs 8 --out drains.json'],
  },
  { name: 'record-show', takes: [1, 'one lab'], usage: '<lab> [options]', summary: "a lab with its own FRR files on real FRR until it settles, every router's show ip route and show ip rip saved as JSON (data/real/<lab>/show.json)", options: [{ flags: '--out <dir>', doc: 'where (default data/real/<lab>)' }, STATE], examples: ['anycast-lab real record-show feature-ecmp'] },
  { name: 'run', takes: [1, 'one lab'], usage: '<lab> --script <file> [options]', summary: "a script's vtysh steps (configuration changes included) on real FRR 8.4 at their times after up, every output printed (and saved with --out)", options: [{ flags: '--script <file>', doc: 'lines "@<time> <node> vtysh -c …"' }, CHANGE_OPTION, { flags: '--out <file.json>', doc: 'save the record' }, STATE], examples: ['anycast-lab real run feature-passive --change "r4@30s: router rip; passive-interface eth1" --script show.script', 'anycast-lab real run feature-passive --script data/labs/feature-passive/drain.script --out data/real/feature-passive/script.json'] },
  { name: 'compare-features', takes: [0, 'no words'], usage: '[options]', summary: "the feature labs' show ip route and show ip rip, simulated beside the saved real FRR 8.4 outputs (no root needed)", options: [{ flags: '--json', doc: 'every row, machine-readable' }], examples: ['anycast-lab real compare-features'] },
  { name: 'measure', takes: [1, 'one lab'], usage: '<lab> [options]', summary: "chapter 7's measurements, saved as JSON with the versions they ran on (about 25 minutes with 5 runs)", options: [{ flags: '--runs <n>', doc: 'runs (default 5)' }, { flags: '--out <dir>', doc: 'where (default data/real/<lab>)' }, { flags: '--only <survey,lookups,failover>', doc: 'some of them' }, STATE], examples: ['anycast-lab real measure anycast'] },
];

/** A command's options under their command-line names (`bind-profile`), as the commands read them. */
function valuesOf(cmd: Command): CliValues {
  const values: Record<string, unknown> = {};
  for (const o of cmd.options) {
    const v: unknown = cmd.getOptionValue(o.attributeName());
    if (v !== undefined && o.long !== undefined) values[o.long.slice(2)] = v;
  }
  return values as CliValues;
}

function addOptions(cmd: Command, options: OptionSpec[]): void {
  for (const o of options) cmd.addOption(o.repeat === true ? new Option(o.flags, o.doc).argParser(collect) : new Option(o.flags, o.doc));
}

/** Commander's refusals as ours: one line, named after the command whose help explains it. */
function refusal(command: string, subcommands: readonly string[] = []): (e: CommanderError) => never {
  return (e) => {
    if (e.exitCode === 0) throw e;
    const text = e.message.replace(/^error: /, '').split('\n').join(' ');
    // A command of commands given none: commander would print its whole help as the error.
    const usage = new UsageError(e.code === 'commander.help' ? `${command} needs a command: ${subcommands.join(', ')}` : text);
    usage.command = command;
    throw usage;
  };
}

function examples(list: string[]): string {
  return `\nExamples:\n${list.map((e) => `  ${e}`).join('\n')}`;
}

const PROGRAM_NOTES = `
<lab> is a folder with a topology file, or the name of one under data/labs/ (e.g. anycast).
Times: 300s, 5m, 1h30m, 250ms; at most ${MAX} of simulated time (--at, --until, --for, runFor).
Long runs (routes, capture, exec, failover --runs, sweep) show progress on a terminal after a second;
Ctrl-C stops them, prints what was done and exits 130.
Each command's options and examples: anycast-lab <command> --help`;

/**
 * The program, its output going to `io`. `chosen` receives the command commander chose and the way
 * to run it (commander's own `parse` returns nothing of what the command gives back).
 */
export function buildProgram(io: ProgramIo, chosen: (command: string, run: () => CommandResult) => void): Command {
  const program = new Command('anycast-lab');
  program
    .usage('<command> [options]')
    .description('anycast DNS over RIP v2, simulated packet by packet, and the same lab on real FRR and BIND 9')
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: () => {}, outputError: () => {} })
    .configureHelp({ subcommandTerm: (cmd) => `${cmd.name()} ${cmd.usage().replace(/ \[options\]$/, '')}` })
    .exitOverride(refusal(''))
    .addHelpText('after', PROGRAM_NOTES);
  for (const spec of COMMANDS) {
    const cmd = program.command(spec.name).usage(spec.usage).description(spec.summary).allowExcessArguments(true).exitOverride(refusal(spec.name));
    for (const [name, doc] of spec.args) cmd.argument(name, doc);
    addOptions(cmd, spec.options);
    cmd.addHelpText('after', examples(spec.examples));
    cmd.action((...args: unknown[]) => {
      const self = args[args.length - 1] as Command;
      chosen(spec.name, () => spec.run(self.args, valuesOf(self), io));
    });
  }
  const real = program.command('real').usage('<command> [options]').description('the same lab on Linux network namespaces, FRR and BIND 9 (root)').exitOverride(refusal('real', REAL.map((r) => r.name)));
  real.addHelpText('after', examples(REAL.flatMap((r) => r.examples)));
  for (const spec of REAL) {
    const cmd = real.command(spec.name).usage(spec.usage).description(spec.summary).allowExcessArguments(true).exitOverride(refusal(`real ${spec.name}`));
    addOptions(cmd, spec.options);
    cmd.addHelpText('after', examples(spec.examples));
    cmd.action((...args: unknown[]) => {
      const self = args[args.length - 1] as Command;
      const values = valuesOf(self);
      chosen(`real ${spec.name}`, () => {
        if (spec.takes !== undefined) noMoreWords(`real ${spec.name}`, spec.takes[1], self.args.slice(spec.takes[0]));
        const frr = labSettings(values).frrVersion;
        // The namespaces run the installed FRR (Debian 12's 8.4.4); another release is the simulator's alone.
        if (frr !== undefined && parseFrrRelease(frr)?.major !== 8) throw new UsageError(`--frr-version: the real lab runs the installed FRR 8.4, got "${frr}"`);
        return realCli(spec.name, self.args, values, labDir, labOptions(values), io.out);
      });
    });
  }
  return program;
}

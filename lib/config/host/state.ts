/**
 * What a host setup script has done to its device so far, as one object the interpreter and every
 * tool handler are given: the interfaces, routes, files and boot steps it made, the shell's own state
 * (variables, working directory, open `if`s, `exit`), and the problems and findings of the reading.
 */
import { Findings, Problems } from '../errors';
import type { BootStep, ConfigFinding, InterfaceSpec, Sourced, SourceRef, StaticRouteSpec, WrittenFileSpec } from '../spec';
import type { Statement } from './syntax';

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

export type CommandStatus = ScriptCommand['status'];

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

/** An open `if … fi`, or a loop or `case` whose body is skipped. */
export interface Frame {
  kind: 'if' | 'loop';
  line: number;
  /** The branch being read now will run (given the enclosing frames run). */
  branchTrue: boolean;
  condition: boolean;
  seenThen: boolean;
  inElse: boolean;
}

/** A shell variable; `value` null: set by a command we do not run. */
export interface Variable {
  value: string | null;
  line: number;
}

export class HostScriptState {
  readonly problems: Problems;
  readonly findings: Findings;
  readonly interfaces: InterfaceSpec[] = [];
  readonly staticRoutes: StaticRouteSpec[] = [];
  readonly writtenFiles: WrittenFileSpec[] = [];
  readonly bootSteps: BootStep[] = [];
  readonly transcript: ScriptCommand[] = [];
  /** Paths that exist on the device now: bound lab files and the files the script wrote. */
  readonly existing: Set<string>;
  readonly labOptions: Readonly<Record<string, boolean | undefined>>;
  readonly vars = new Map<string, Variable>();
  readonly frames: Frame[] = [];
  hostname: Sourced<string> | null = null;
  domain: Sourced<string> | null = null;
  ipForwarding = false;
  cwd = '/';
  exited = false;

  constructor(
    readonly file: string,
    options: HostScriptOptions,
  ) {
    this.problems = new Problems(file);
    this.findings = new Findings(file);
    this.existing = new Set(options.files ?? []);
    this.labOptions = options.options ?? {};
  }

  /** Whether the command being read runs: no `exit` before it, and every enclosing branch taken. */
  active(): boolean {
    return !this.exited && this.frames.every((f) => f.branchTrue);
  }

  record(statement: Statement, status: CommandStatus): void {
    this.transcript.push({ line: statement.line, text: statement.text, status });
  }

  /** An absolute path from one relative to the script's working directory (`cd`), `.` and `..` resolved. */
  resolvePath(p: string): string {
    const joined = p.startsWith('/') ? p : `${this.cwd === '/' ? '' : this.cwd}/${p}`;
    const out: string[] = [];
    for (const seg of joined.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') out.pop();
      else out.push(seg);
    }
    return '/' + out.join('/');
  }

  fileExists(path: string): boolean {
    if (this.existing.has(path)) return true;
    if (path.startsWith('/vagrant/')) return this.labOptions[path.slice('/vagrant/'.length)] === true;
    return false;
  }

  addWrittenFile(path: string, content: string, mode: 'write' | 'append', source: SourceRef, contentLine: number): void {
    this.writtenFiles.push({ path, content, mode, source, contentLine });
    this.bootSteps.push({ kind: 'file-written', path, mode, source });
    this.existing.add(path);
  }

  result(): HostScriptConfig {
    return {
      hostname: this.hostname,
      domain: this.domain,
      interfaces: this.interfaces,
      staticRoutes: this.staticRoutes,
      ipForwarding: this.ipForwarding,
      writtenFiles: this.writtenFiles,
      bootSteps: this.bootSteps,
      findings: this.findings.list,
      transcript: this.transcript,
    };
  }
}

/** The last part of a command's path: `/usr/sbin/ifconfig` → `ifconfig`. */
export function baseName(name: string): string {
  return name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
}

/**
 * Usage errors: one line naming the option or word and what was expected, then where the
 * command's help is; per-command help with examples; options a command does not read are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main, reportError, runCli } from './main';
import { measureFailover } from '../measure/failover';
import { labPath } from '../config/paths';
import { minutes } from '../sim/time';

function usageError(args: string[], message: string, command: string): void {
  const r = runCli(args);
  assert.equal(r.code, 2, args.join(' '));
  assert.equal(r.err, `error: ${message}\nsee: anycast-lab ${command === '' ? '' : `${command} `}--help`, args.join(' '));
}

test('a usage error is one line, then "see: anycast-lab <command> --help"', () => {
  // parseArgs read "-1s" as another option ("argument is ambiguous"): the value reaches our check.
  usageError(['routes', 'anycast', '--at', '-1s'], '--at: expected a duration such as 300s, 5m, 1h30m or 250ms, got "-1s" (units: us, ms, s, m, h, d)', 'routes');
  usageError(['exec', 'anycast', 'r1', 'show ip route', '--at', 'later'], '--at: expected a duration such as 300s, 5m, 1h30m or 250ms, got "later" (units: us, ms, s, m, h, d)', 'exec');
  usageError(['chek', 'anycast'], "unknown command 'chek' (Did you mean check?)", '');
  usageError(['routes', 'anycast', '--jsn'], "unknown option '--jsn' (Did you mean --json?)", 'routes');
  usageError(['routes', 'anycast', '--at'], "option '--at <time>' argument missing", 'routes');
  usageError(['check', '/nonexistent/lab'], `no lab folder "/nonexistent/lab" (looked at /nonexistent/lab and ${labPath('/nonexistent/lab')})`, 'check');
  usageError(['export', 'anycast', '--to', 'junos'], 'export needs --to <frr|bind|ios|vagrant|containerlab>, got "junos"', 'export');
  // `real ...` runs as its own process, not in runCli: main, as the process calls it.
  const err: string[] = [];
  let code = 0;
  try {
    main(['real'], () => {}, { err: (s) => err.push(s) });
  } catch (e) {
    code = reportError(e, (s) => err.push(s));
  }
  assert.equal(code, 2);
  assert.equal(err.join('\n'), 'error: real needs a command: up, exec, fail, status, down, failover, record-show, run, compare-features, measure\nsee: anycast-lab real --help');
  let extra: unknown;
  try {
    main(['real', 'up', 'anycast', 'now'], () => {});
  } catch (e) {
    extra = e;
  }
  const lines: string[] = [];
  assert.equal(reportError(extra, (s) => lines.push(s)), 2);
  assert.equal(lines.join('\n'), 'error: real up takes one lab, got also "now"\nsee: anycast-lab real up --help');
});

test('options a command does not read are refused, not ignored; so are extra words, named', () => {
  usageError(['check', 'anycast', '--seed', '3'], "unknown option '--seed'", 'check');
  usageError(['doctor', 'anycast', '--at', '5m'], "unknown option '--at'", 'doctor');
  usageError(['export', 'anycast', '--to', 'frr', '--fail', 'xenial1:halt@1m'], "unknown option '--fail'", 'export');
  usageError(['merge', '--out', 'x.csv', 'a.csv', '--at', '1m'], "unknown option '--at'", 'merge');
  usageError(['check', 'anycast', 'anycast-3site'], 'check takes one lab, got also "anycast-3site"', 'check');
  usageError(['routes', 'anycast', '5m'], 'routes takes one lab, got also "5m"', 'routes');
  usageError(['capture', 'anycast', 'vboxnet1', '--until', '1m', '--out', 'x.pcap'], 'capture takes one lab, got also "vboxnet1"', 'capture');
  usageError(['doctor', 'anycast', 'now', 'please'], 'doctor takes one lab, got also "now please"', 'doctor');
  usageError(['failover', 'anycast', 'xenial1:halt', '--fail', 'xenial1:halt', '--at', '2m'], 'failover takes one lab, got also "xenial1:halt"', 'failover');
});

test('--seed: an empty or fractional seed is refused, not read as 0', () => {
  usageError(['routes', 'anycast', '--seed='], '--seed: expected a whole number, got ""', 'routes');
  usageError(['routes', 'anycast', '--seed', '1.5'], '--seed: expected a whole number, got "1.5"', 'routes');
  usageError(['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--seed', ' '], '--seed: expected a whole number, got " "', 'failover');
  assert.equal(runCli(['routes', 'anycast', '--seed=0', '--at', '30s']).code, 0);
  assert.equal(runCli(['routes', 'anycast', '--seed', '-3', '--at', '30s']).code, 0);
});

test('--fail a@1s,b@2s: one failure per --fail', () => {
  usageError(['exec', 'anycast', 'xenial3', 'ping -c 1 10.128.7.1', '--fail', 'r3:halt@1s,r4:halt@2s'], '--fail r3:halt@1s,r4:halt@2s: one failure per --fail: repeat --fail (--fail r3:halt@1s --fail r4:halt@2s)', 'exec');
  usageError(['failover', 'anycast', '--fail', 'xenial1:halt,xenial2:halt', '--at', '2m'], '--fail xenial1:halt,xenial2:halt: one failure per --fail: repeat --fail (--fail xenial1:halt --fail xenial2:halt)', 'failover');
  const two = runCli(['exec', 'anycast', 'xenial3', 'ping -c 1 10.128.7.1', '--fail', 'r3:halt@1s', '--fail', 'r3:boot@2s', '--at', '1m']);
  assert.equal(two.code, 0, two.err);
});

test('failover --bind-profile is checked and applied', () => {
  usageError(['failover', 'anycast', '--fail', 'xenial1:halt', '--at', '2m', '--bind-profile', 'x'], '--bind-profile: expected one of bind-9.10, bind-9.10-nocaps, bind-9.18, got "x"', 'failover');
  const text = runCli(['failover', 'anycast', '--fail', 'xenial1:named-stop', '--at', '2m', '--probe', 'dns', '--bind-profile', 'bind-9.18', '--until', '4m']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^failover: xenial1:named-stop@2m; xenial3 asks 10\.128\.224\.2 every 1s; BIND profile bind-9.18; seed 1$/m);
  const json = runCli(['failover', 'anycast', '--fail', 'xenial1:named-stop', '--at', '2m', '--probe', 'dns', '--bind-profile', 'bind-9.18', '--until', '4m', '--json']);
  const r = measureFailover({ lab: labPath('anycast'), fail: 'xenial1:named-stop', at: minutes(2), probe: 'dns', bindProfile: 'bind-9.18', until: minutes(4) });
  assert.deepEqual((JSON.parse(json.out) as { phases: unknown }).phases, JSON.parse(JSON.stringify(r.phases.map((p) => ({ phase: p.phase, fromSeconds: p.from / 1e6, toSeconds: p.to / 1e6, count: p.count })))));
});

test('help: the program\'s, each command\'s with its usage and examples, exit 0; no command at all, exit 2', () => {
  const lines: string[] = [];
  assert.equal(main(['--help'], (s) => lines.push(s)), 0);
  assert.match(lines.join('\n'), /^Usage: anycast-lab <command> \[options\]\n/);
  assert.match(lines.join('\n'), /^ {2}failover <lab> --fail <node>:<mode> --at <time> +ping the anycast address/m);
  assert.match(lines.join('\n'), /Each command's options and examples: anycast-lab <command> --help$/);
  const none: string[] = [];
  assert.equal(main([], (s) => none.push(s)), 2);
  assert.equal(none.join('\n'), lines.join('\n'));
  assert.equal(main(['help'], () => {}), 0);
  const commands = ['check', 'doctor', 'exec', 'routes', 'capture', 'failover', 'run', 'sweep', 'merge', 'export', 'real', 'real up', 'real exec', 'real fail', 'real status', 'real down', 'real failover', 'real record-show', 'real run', 'real compare-features', 'real measure'];
  for (const command of commands) {
    const out: string[] = [];
    assert.equal(main([...command.split(' '), '--help'], (s) => out.push(s)), 0, command);
    const help = out.join('\n');
    assert.match(help, new RegExp(`^Usage: anycast-lab ${command} `), command);
    assert.match(help, /\nExamples:\n {2}anycast-lab /, command);
  }
  const routes: string[] = [];
  main(['help', 'routes'], (s) => routes.push(s));
  assert.match(routes.join('\n'), /^ {2}--at <time> +when \(default 1m; at most 24h\)$/m);
});

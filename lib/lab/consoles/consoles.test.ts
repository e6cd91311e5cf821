/**
 * The consoles refuse what the real tools refuse, with the tools' own words (iputils-ping 20221126
 * as Debian 12 prints it, run here on 127.0.0.1; IOS 12.4's ping ranges; traceroute 2.x), stop a
 * run that would take more than a day of simulated time, and end a deadline the way iputils does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { seconds } from '../../sim/time';
import { Lab } from '../lab';
import { ExecError } from './index';
import { LINUX_COMMAND_NAMES, linuxCommandList } from './linux';

const LAB = join(__dirname, '..', '..', '..', 'data', 'labs', 'anycast');

function labAt(at: number, failures: string[] = []): Lab {
  const lab = Lab.load(LAB, { failures });
  lab.runUntil(at);
  return lab;
}

test('Linux ping refuses the numbers iputils refuses, with its messages', () => {
  const lab = labAt(seconds(60));
  const refusals: [string, string][] = [
    // IP_TTL 0 passes ping's own check (0..255) and is refused by the kernel's setsockopt (exit 2).
    ['ping -t 0 10.128.7.1', 'ping: cannot set unicast time-to-live: Invalid argument'],
    ['ping -t 256 10.128.7.1', "ping: invalid argument: '256': out of range: 0 <= value <= 255"],
    ['ping -t abc 10.128.7.1', "ping: invalid argument: 'abc'"],
    ['ping -s 70000 10.128.7.1', "ping: invalid -s value: '70000': out of range: 0 <= value <= 65507"],
    ['ping -s 65508 10.128.7.1', "ping: invalid -s value: '65508': out of range: 0 <= value <= 65507"],
    ['ping -s -1 10.128.7.1', "ping: invalid argument: '-1': out of range: 0 <= value <= 2147483647"],
    ['ping -c 1e3 10.128.7.1', "ping: invalid argument: '1e3'"],
    ['ping -c 0 10.128.7.1', "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807"],
    ['ping -c 9223372036854775808 10.128.7.1', "ping: invalid argument: '9223372036854775808': Numerical result out of range"],
    ['ping -w 1.5 10.128.7.1', "ping: invalid argument: '1.5'"],
    ['ping -w 99999999999 10.128.7.1', "ping: invalid argument: '99999999999': out of range: 0 <= value <= 2147483647"],
    ['ping -W -1 10.128.7.1', 'ping: bad linger time: -1'],
    ['ping -W 99999999999 10.128.7.1', 'ping: bad linger time: 99999999999'],
    ['ping -i 99999999999 -c 1 10.128.7.1', 'ping: bad timing interval: 99999999999'],
    ['ping -i inf -c 1 10.128.7.1', 'ping: bad timing interval: inf: Numerical result out of range'],
    ['ping -x 10.128.7.1', "ping: invalid option -- 'x'\nUsage: ping [-c count] [-i interval] [-W timeout] [-w deadline] [-t ttl] [-s packetsize] [-q] destination"],
    ['ping 10.128.7.1 -c', "ping: option requires an argument -- 'c'\nUsage: ping [-c count] [-i interval] [-W timeout] [-w deadline] [-t ttl] [-s packetsize] [-q] destination"],
    ['ping -c 3', 'ping: usage error: Destination address required'],
  ];
  for (const [command, message] of refusals) {
    assert.equal(lab.exec('xenial3', command), message, command);
    assert.equal(lab.now, seconds(60), `${command} sends nothing and takes no time`);
  }
});

test('a ping count past 24 h of simulated time is refused naming the most that fits', () => {
  const lab = labAt(seconds(60));
  assert.equal(
    lab.exec('xenial3', 'ping -c 99999999999 10.128.7.1'),
    "ping: invalid argument: '99999999999': out of range: 1 <= value <= 86400 (the lab simulates at most 24 h per command: 86400 probes at -i 1)",
  );
  assert.equal(
    lab.exec('xenial3', 'ping -c 432001 -i 0.2 10.128.7.1'),
    "ping: invalid argument: '432001': out of range: 1 <= value <= 432000 (the lab simulates at most 24 h per command: 432000 probes at -i 0.2)",
  );
  assert.equal(lab.exec('xenial3', 'ping -w 86401 10.128.7.1'), "ping: invalid argument: '86401': out of range: 0 <= value <= 86400 (the lab simulates at most 24 h per command)");
  assert.equal(lab.exec('xenial3', 'ping -W 86401 -c 1 10.128.7.1'), 'ping: bad linger time: 86401 (the lab simulates at most 24 h per command: at most 86400)');
  assert.equal(lab.now, seconds(60));
});

test('ping warns about a number with garbage after it, and a user may not flood', () => {
  const lab = labAt(seconds(60));
  // Debian 12's ping takes strtod's number and warns; -i abc is then 0, under the 2 ms a user may ask for.
  assert.equal(
    lab.exec('xenial3', 'ping -i abc -c 1 10.128.7.1'),
    'ping: option argument contains garbage: abc\nping: this will become fatal error in the future\nPING 10.128.7.1 (10.128.7.1) 56(84) bytes of data.\nping: cannot flood; minimal interval allowed for user is 2ms',
  );
  assert.equal(lab.exec('xenial3', 'ping -i 0.001 -c 1 10.128.7.1'), 'PING 10.128.7.1 (10.128.7.1) 56(84) bytes of data.\nping: cannot flood; minimal interval allowed for user is 2ms');
  const glued = lab.exec('xenial3', 'ping -qc2 -W1x 10.128.7.1');
  assert.match(glued, /^ping: option argument contains garbage: x\nping: this will become fatal error in the future\nPING 10\.128\.7\.1 \(10\.128\.7\.1\) 56\(84\) bytes of data\.\n\n--- 10\.128\.7\.1 ping statistics ---\n2 packets transmitted, 2 received, 0% packet loss, time 1000ms\n/);
});

test('a deadline does not count the probe it cuts: -w 5 and exec --for 10s on a healthy lab lose nothing', () => {
  const lab = labAt(seconds(60));
  const w = lab.exec('xenial3', 'ping -q -w 5 10.128.5.2');
  assert.match(w, /\n5 packets transmitted, 5 received, 0% packet loss, time 4000ms\n/);
  // iputils' -w: SIGALRM at 5 s ends the run before the probe due at 5 s (ping_common.c).
  assert.equal(lab.now, seconds(65));
  // No -c, stopped after 10 s (exec's limit, as Ctrl-C would): the probe due at 10 s is not sent.
  const stopped = lab.exec('xenial3', 'ping -q 10.128.5.2', { limit: seconds(10) });
  assert.match(stopped, /^PING 10\.128\.5\.2 \(10\.128\.5\.2\) 56\(84\) bytes of data\.\n\^C\n\n--- 10\.128\.5\.2 ping statistics ---\n10 packets transmitted, 10 received, 0% packet loss, time 9000ms\nrtt /);
  assert.equal(lab.now, seconds(75));
  // Without -c or a limit the console stops ping after 10 s, the same way.
  assert.match(lab.exec('xenial3', 'ping -q 10.128.5.2'), /\n10 packets transmitted, 10 received, 0% packet loss, time 9000ms\n/);
});

test('-c with -w keeps sending until count replies, and under a deadline the first error ends ping', () => {
  const lab = labAt(seconds(60));
  assert.match(lab.exec('xenial3', 'ping -q -c 3 -w 10 10.128.5.2'), /\n3 packets transmitted, 3 received, 0% packet loss, time 2000ms\n/);
  const unreachable = lab.exec('xenial3', 'ping -w 5 10.128.99.9');
  assert.match(unreachable, /\n1 packets transmitted, 0 received, \+1 errors, 100% packet loss, time 0ms$/);
});

test('after a lost last probe ping waits the interval (ping_common.c __schedule_exit), not just twice the round trip', () => {
  // xenial1 halts at 61.5 s: the probe at 61 s is answered, the one at 62 s is not.
  const lab = labAt(seconds(61), ['xenial1:halt@61500ms']);
  const out = lab.exec('xenial3', 'ping -q -c 2 10.128.5.2');
  assert.match(out, /\n2 packets transmitted, 1 received, 50% packet loss, time 1000ms\n/);
  assert.equal(lab.now, seconds(63));
});

test('IOS ping takes repeat 1-2147483647, size 36-18024, timeout 0-3600, and at most a day of probes', () => {
  const lab = labAt(seconds(60));
  const invalid = "% Invalid input detected at '^' marker.";
  for (const args of ['size 99999', 'size 35', 'size 18025', 'repeat 0', 'repeat 1e3', 'repeat 2147483648', 'timeout 3601', 'timeout -1', 'ttl 3']) {
    assert.equal(lab.exec('r1', `ping 10.128.1.2 ${args}`), invalid, args);
  }
  assert.equal(lab.exec('r1', 'ping 10.128.1.2 repeat'), '% Incomplete command.');
  assert.equal(lab.exec('r1', 'ping 10.128.1.2 repeat 99999999'), '% repeat 99999999: the lab simulates at most 24 h per command: at most 43200 at timeout 2');
  assert.equal(lab.exec('r1', 'ping 10.128.1.2 repeat 86401 timeout 0'), '% repeat 86401: the lab simulates at most 24 h per command: at most 86400 at timeout 0');
  assert.equal(lab.now, seconds(60));
  assert.match(lab.exec('r1', 'ping 10.128.1.2 size 18024 repeat 2'), /^Type escape sequence to abort\.\nSending 2, 18024-byte ICMP Echos to 10\.128\.1\.2, timeout is 2 seconds:\n!!\n/);
  assert.match(lab.exec('r1', 'ping 10.128.1.2 size 36 repeat 1 timeout 0'), /^Type escape sequence to abort\.\nSending 1, 36-byte ICMP Echos to 10\.128\.1\.2, timeout is 0 seconds:\n\.\nSuccess rate is 0 percent \(0\/1\)$/);
});

test('traceroute -m: traceroute 2.x refuses 0, more than 255, and a word that is not a number', () => {
  const lab = labAt(seconds(60));
  assert.equal(lab.exec('xenial3', 'traceroute -m 0 10.128.5.2'), 'first hop out of range');
  assert.equal(lab.exec('xenial3', 'traceroute -m 256 10.128.5.2'), 'max hops cannot be more than 255');
  assert.equal(lab.exec('xenial3', 'traceroute -m -1 10.128.5.2'), 'max hops cannot be more than 255');
  assert.equal(lab.exec('xenial3', 'traceroute -m abc 10.128.5.2'), "Cannot handle `-m' option with arg `abc' (argc 1)");
  assert.equal(lab.exec('xenial3', 'traceroute -m'), "Option `-m' (argc 1) requires an argument: `-m max_ttl'");
  assert.equal(lab.now, seconds(60));
  assert.match(lab.exec('xenial3', 'traceroute -n -m 1 10.128.5.2'), /^traceroute to 10\.128\.5\.2 \(10\.128\.5\.2\), 1 hops max, 60 byte packets\n 1  10\.128\.7\.1 /);
});

/** One command line per command the Linux console dispatches: a new command must add one here. */
const LINUX_EXAMPLES: Record<string, string> = {
  ping: 'ping -c 1 10.128.7.1',
  traceroute: 'traceroute -n -m 1 10.128.5.2',
  netstat: 'netstat -rn',
  route: 'route -n',
  ip: 'ip route',
  ifconfig: 'ifconfig',
  arp: 'arp -n',
  hostname: 'hostname',
  vtysh: 'vtysh -c "show ip route"',
  nslookup: 'nslookup r1',
  dig: 'dig r1',
  host: 'host r1',
  getent: 'getent hosts r1',
  time: 'time nslookup r1',
};

test('the "not simulated" hint lists every command the Linux console runs, and each listed one runs', () => {
  const lab = labAt(seconds(60));
  assert.throws(() => lab.exec('xenial3', 'frob -x'), (e: unknown) => e instanceof ExecError && e.message === `xenial3: frob: not simulated; Linux commands: ${linuxCommandList()}`);
  assert.deepEqual([...LINUX_COMMAND_NAMES].sort(), Object.keys(LINUX_EXAMPLES).sort());
  const hint = linuxCommandList();
  for (const word of ['nslookup', 'dig', 'host', 'getent hosts', 'time']) assert.ok(hint.includes(word), `${word} in: ${hint}`);
  for (const name of LINUX_COMMAND_NAMES) {
    assert.ok(new RegExp(`(^|, )${name}\\b`).test(hint), `${name} listed in: ${hint}`);
    const out = lab.exec('xenial4', LINUX_EXAMPLES[name]!);
    assert.doesNotMatch(out, /not simulated|only .* (is|are) simulated|Usage/, `${name}: ${out}`);
    assert.notEqual(out.trim(), '', name);
  }
});

test('the IOS hint lists the show commands the console runs, and each runs', () => {
  const lab = labAt(seconds(60));
  assert.throws(() => lab.exec('r1', 'frob'), (e: unknown) => e instanceof ExecError && /^r1: "frob" is not simulated; IOS commands: ping, traceroute, show running-config, show ip route, show ip protocols, show ip rip database, show ip interface brief, show arp, show version$/.test(e.message));
  for (const show of ['show running-config', 'show ip route', 'show ip protocols', 'show ip rip database', 'show ip interface brief', 'show arp', 'show version']) {
    assert.doesNotMatch(lab.exec('r1', show), /Invalid input/, show);
  }
});

test('dig refuses +time/+tries/+retry values BIND cannot parse before it sends; nslookup says so and goes on', () => {
  const lab = labAt(seconds(60));
  // Messages as dig/nslookup 9.18.49 print them (parse_uint: decimal, at most 4294967295).
  assert.equal(lab.exec('xenial4', 'dig +tries=abc r1'), "invalid tries 'abc': not a valid number\ndig: Couldn't parse tries");
  assert.equal(lab.exec('xenial4', 'dig +time=99999999999 r1'), "invalid timeout '99999999999': out of range\ndig: Couldn't parse timeout");
  assert.equal(lab.exec('xenial4', 'dig +retry=-1 r1'), "invalid retries '-1': not a valid number\ndig: Couldn't parse retries");
  assert.equal(lab.now, seconds(60));
  const ns = lab.exec('xenial4', 'nslookup -retry=abc -timeout=4294967296 r1');
  assert.match(ns, /^invalid tries 'abc': not a valid number\ninvalid timeout '4294967296': out of range\nServer:\t\t/);
});

test('ping reads every option before it looks up the destination, as getopt does', () => {
  const lab = labAt(seconds(60));
  assert.equal(lab.exec('xenial3', 'ping nosuchhost -c abc'), "ping: invalid argument: 'abc'");
  assert.equal(lab.exec('xenial3', 'ping nosuchhost -c 2'), 'ping: unknown host nosuchhost');
  assert.equal(
    lab.exec('xenial3', 'ping -c 9223372036854775807 10.128.7.1'),
    "ping: invalid argument: '9223372036854775807': out of range: 1 <= value <= 86400 (the lab simulates at most 24 h per command: 86400 probes at -i 1)",
  );
});

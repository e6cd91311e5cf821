// Same seed, same bytes: command lines over the three labs whose outputs (text, JSON and pcap bytes) were
// recorded on 2026-12-03 before the house was re-cut (issue 12), and must not change unless a change of
// behaviour is meant. A meant change records them again with ANYCAST_LAB_RECORD_GOLDEN=1 and says why in
// its commit; every other difference fails here with the first line that differs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli';

const GOLDEN = join(__dirname, '..', 'lib', 'golden');
const RECORD = process.env['ANYCAST_LAB_RECORD_GOLDEN'] === '1';
const LABS = ['anycast', 'anycast-3site', 'anycast-asym'] as const;

interface GoldenCase {
  name: string;
  args: string[];
  /** A pcap the command writes, compared byte for byte beside its text output. */
  pcap?: boolean;
}

function cases(): GoldenCase[] {
  const list: GoldenCase[] = [];
  for (const lab of LABS) {
    list.push(
      { name: `${lab}.check`, args: ['check', lab, '--anycast', '--json'] },
      { name: `${lab}.doctor`, args: ['doctor', lab, '--anycast', '--json'] },
      { name: `${lab}.routes`, args: ['routes', lab, '--anycast', '--at', '5m', '--json'] },
      { name: `${lab}.routes-text`, args: ['routes', lab, '--anycast', '--at', '4m', '--seed', '3'] },
      { name: `${lab}.capture`, args: ['capture', lab, '--anycast', '--until', '150s', '--seed', '2'], pcap: true },
      { name: `${lab}.failover-halt`, args: ['failover', lab, '--anycast', '--fail', 'xenial1:halt', '--at', '125s', '--json'] },
      { name: `${lab}.failover-frr-runs`, args: ['failover', lab, '--anycast', '--fail', 'xenial1:halt', '--at', '2m', '--runs', '6', '--profile', 'frr', '--json'] },
      // Long runs, recorded before the scheduler and forwarding path were optimised (issue 15): an hour
      // of RIP updates and timeouts in every table, and the Cisco failover distribution the sweep bench runs.
      { name: `${lab}.routes-1h`, args: ['routes', lab, '--anycast', '--at', '1h', '--json', '--seed', '5'] },
      { name: `${lab}.failover-cisco-runs`, args: ['failover', lab, '--anycast', '--fail', 'xenial1:halt', '--at', '2m', '--runs', '20', '--profile', 'cisco-ios', '--probe', 'dns', '--json', '--seed', '7'] },
    );
  }
  list.push(
    { name: 'anycast.exec-traceroute', args: ['exec', 'anycast', 'r3', 'traceroute 10.128.4.2'] },
    { name: 'anycast.exec-ping', args: ['exec', 'anycast', 'xenial3', 'ping -c 3 10.128.7.1', '--fail', 'r3:halt@1s', '--at', '1m'] },
    { name: 'anycast.exec-nslookup-named-stop', args: ['exec', 'anycast', 'xenial4', 'time nslookup r1', '--fail', 'xenial1:named-stop@0s'] },
    { name: 'anycast.exec-refused', args: ['exec', 'anycast', 'xenial3', 'nslookup www.example.com', '--option', 'allow_recursion=false'] },
    { name: 'anycast.exec-show-ip-rip-db', args: ['exec', 'anycast', 'r1', 'show ip rip database', '--anycast', '--at', '3m'] },
    { name: 'anycast.exec-show-ip-protocols', args: ['exec', 'anycast', 'r2', 'show ip protocols', '--anycast', '--at', '3m'] },
    { name: 'anycast.exec-vtysh', args: ['exec', 'anycast', 'xenial1', 'vtysh -c "show ip rip"', '--anycast', '--at', '3m'] },
    { name: 'anycast.exec-vtysh-status', args: ['exec', 'anycast', 'xenial2', 'vtysh -c "show ip rip status"', '--anycast', '--at', '3m'] },
    { name: 'anycast.exec-dig', args: ['exec', 'anycast', 'xenial3', 'dig test @10.128.224.2', '--anycast', '--at', '2m'] },
    { name: 'anycast.exec-getent', args: ['exec', 'anycast', 'xenial4', 'time getent hosts r2', '--fail', 'xenial1:halt@10s', '--at', '1m'] },
    { name: 'anycast.exec-linux-tables', args: ['exec', 'anycast', 'xenial2', 'ip route', '--anycast'] },
    { name: 'anycast.exec-arp', args: ['exec', 'anycast', 'r3', 'show arp', '--anycast'] },
    { name: 'anycast.failover-dns-health', args: ['failover', 'anycast', '--anycast', '--fail', 'xenial1:named-stop', '--at', '2m', '--probe', 'dns', '--health-check', '2s', '--json'] },
    { name: 'anycast.failover-drain-holddown', args: ['failover', 'anycast', '--anycast', '--fail', 'xenial1:drain=10s', '--at', '2m', '--probe', 'dns', '--ios-poison', 'holddown', '--json'] },
    { name: 'anycast.failover-timers', args: ['failover', 'anycast', '--anycast', '--fail', 'xenial1:halt', '--at', '2m', '--timers', '5 15 15 20', '--profile', 'cisco-ios'] },
    { name: 'anycast.failover-reboot', args: ['failover', 'anycast', '--anycast', '--fail', 'xenial1:reboot=30s', '--at', '2m', '--json'] },
    { name: 'anycast.failover-ripd-stop', args: ['failover', 'anycast', '--anycast', '--fail', 'xenial2:ripd-stop', '--at', '100s', '--json', '--seed', '4'] },
    { name: 'anycast.export-frr', args: ['export', 'anycast', '--to', 'frr', '--anycast'] },
    { name: 'anycast.export-bind', args: ['export', 'anycast', '--to', 'bind'] },
    { name: 'anycast.export-ios', args: ['export', 'anycast', '--to', 'ios'] },
  );
  return list;
}

/** What a case produced: its exit code and output, then, for a capture, the pcap's bytes as hex. */
function produce(c: GoldenCase, dir: string): { text: string; pcap: Buffer | null } {
  const pcapFile = join(dir, `${c.name}.pcap`);
  const exportDir = join(dir, `${c.name}.out`);
  const args = c.pcap === true ? [...c.args, '--out', pcapFile] : c.args[0] === 'export' ? [...c.args, '--out', exportDir] : c.args;
  const r = runCli(args);
  let text = `exit ${r.code}\n--- stdout\n${r.out}\n--- stderr\n${r.err}\n`;
  if (c.args[0] === 'export' && existsSync(exportDir)) {
    for (const line of r.out.split('\n')) {
      const m = /^wrote (.*)$/.exec(line);
      if (m !== null) text += `--- ${m[1]}\n${readFileSync(m[1]!, 'utf8')}\n`;
    }
  }
  // The temporary folder's name differs from run to run.
  text = text.split(dir).join('<tmp>');
  return { text, pcap: c.pcap === true ? readFileSync(pcapFile) : null };
}

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `line ${i + 1}:\n  recorded: ${al[i] ?? '(end)'}\n  now:      ${bl[i] ?? '(end)'}`;
  }
  return 'no line differs';
}

test('golden outputs: the same command lines give the same bytes as recorded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'anycast-lab-golden-'));
  try {
    if (RECORD) mkdirSync(GOLDEN, { recursive: true });
    const list = cases();
    assert.ok(list.length >= 40, 'the case list is complete');
    for (const c of list) {
      const got = produce(c, dir);
      const textFile = join(GOLDEN, `${c.name}.txt`);
      const pcapFile = join(GOLDEN, `${c.name}.pcap`);
      if (RECORD) {
        writeFileSync(textFile, got.text);
        if (got.pcap !== null) writeFileSync(pcapFile, got.pcap);
        continue;
      }
      assert.ok(existsSync(textFile), `${textFile} is missing: record it with ANYCAST_LAB_RECORD_GOLDEN=1`);
      const recorded = readFileSync(textFile, 'utf8');
      assert.ok(recorded === got.text, `${c.name} (${c.args.join(' ')}) differs from ${textFile} at ${firstDifference(recorded, got.text)}`);
      if (got.pcap !== null) {
        const recordedPcap = readFileSync(pcapFile);
        assert.ok(got.pcap.length > 1000, `${c.name}: the capture holds frames`);
        assert.ok(recordedPcap.equals(got.pcap), `${c.name}: the pcap differs from ${pcapFile} (${recordedPcap.length} bytes recorded, ${got.pcap.length} now)`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadLab } from '../load';
import { dnsServers, writeBind, type BindConfigFiles } from './bind';
import { WriterError } from './common';
import { bindMissing, runBindCheck, tempDir } from './test-support';

const ANYCAST = join(__dirname, '..', '..', '..', 'data', 'labs', 'anycast');

test('xenial1: one self-contained named.conf with its run-time files under the given folder, and its eight zones', () => {
  const r = writeBind(loadLab(ANYCAST, { do_anycast: true }), 'xenial1', { dir: '/run/lab/xenial1/' });
  const head = r.namedConf.split('\n\nzone ')[0];
  assert.equal(
    head,
    `// named.conf for xenial1 of lab anycast, written by anycast-lab from anycast/setup.xenial1.sh
options {
\tdirectory "/run/lab/xenial1";
\tpid-file "/run/lab/xenial1/named.pid";
\tlock-file "/run/lab/xenial1/named.lock";
\tsession-keyfile "/run/lab/xenial1/session.key";
\tmanaged-keys-directory "/run/lab/xenial1";
\tlisten-on { any; };
\tlisten-on-v6 { none; };
\trecursion yes;
\tallow-recursion { 10.128.0.0/16; };
};

controls { };`,
  );
  // make_config's zones (lib/config/dns.ts): home and one reverse zone per /24 of the input file.
  assert.deepEqual(r.files.map((f) => f.name), ['db.home', 'db.10.128.5', 'db.10.128.6', 'db.10.128.7', 'db.10.128.8', 'db.10.128.3', 'db.10.128.4', 'db.10.128.1']);
  assert.match(r.namedConf, /\nzone "home" \{\n\ttype master;\n\tfile "db\.home";\n\};\n/);
  assert.match(r.namedConf, /\nzone "3\.128\.10\.in-addr\.arpa" \{\n\ttype master;\n\tfile "db\.10\.128\.3";\n\};\n/);
  const home = r.files.find((f) => f.name === 'db.home')!.content;
  // §3.3: r1 is r1.home, 10.128.3.1; §4.3.5: `test` answers 10.128.1.1 from xenial1 (xenial1.dns-input-file).
  assert.match(home, /^r1 +\tIN\tA\t10\.128\.3\.1$/m);
  assert.match(home, /^test +\tIN\tA\t10\.128\.1\.1$/m);
  assert.match(home, /^@ +\tIN\tSOA\txenial1\.home\. root\.xenial1\.home\. \( 1 604800 86400 2419200 86400 \)$/m);
  assert.match(r.files.find((f) => f.name === 'db.10.128.3')!.content, /^1 +\tIN\tPTR\tr1\.home\.$/m);
  assert.deepEqual(
    r.findings.map((f) => f.message),
    [
      "/etc/bind/named.conf.options: dnssec-validation, auth-nxdomain not written (the simulator does not model them; BIND's defaults apply)",
      '/etc/bind/named.conf.options: listen-on-v6 written as { none; }: the lab is IPv4 only',
    ],
  );
});

test("xenial2 serves its own `test` address; Debian's options without the §3.1 fix write no allow-recursion", () => {
  const spec = loadLab(ANYCAST, { allow_recursion: false });
  assert.deepEqual(dnsServers(spec).map((n) => n.name), ['xenial1', 'xenial2']);
  const r = writeBind(spec, 'xenial2', { dir: '/srv/x2', port: 5353, pidFile: '/run/x2.pid' });
  assert.match(r.files.find((f) => f.name === 'db.home')!.content, /^test +\tIN\tA\t10\.128\.2\.2$/m);
  assert.ok(!r.namedConf.includes('allow-recursion'), r.namedConf);
  assert.match(r.namedConf, /^\tlisten-on port 5353 \{ any; \};$/m);
  assert.match(r.namedConf, /^\tpid-file "\/run\/x2\.pid";$/m);
  // The caller's allowRecursion adds the fix whatever the lab option says, as DnsAttachOptions does.
  assert.match(writeBind(spec, 'xenial2', { dir: '/srv/x2', allowRecursion: true }).namedConf, /^\tallow-recursion \{ 10\.128\.0\.0\/16; \};$/m);
});

test('bad requests name the option or the node', () => {
  const spec = loadLab(ANYCAST);
  assert.throws(() => writeBind(spec, 'xenial1', { dir: 'relative/dir' }), (e) => e instanceof WriterError && e.message === 'dir: expected an absolute path without quotes, got "relative/dir"');
  assert.throws(() => writeBind(spec, 'xenial1', { dir: '/x', port: 0 }), (e) => e instanceof WriterError && e.message === 'port: expected 1–65535, got 0');
  assert.throws(() => writeBind(spec, 'r1', { dir: '/x' }), (e) => e instanceof WriterError && e.message === 'r1 is not a DNS server (a DNS server: xenial1, xenial2)');
});

/** Writes a server's files into a fresh folder, as the real-lab driver does. */
function laidOut(r: (dir: string) => BindConfigFiles, f: (dir: string, conf: string, files: BindConfigFiles) => void): void {
  const t = tempDir('anycast-lab-bind-');
  try {
    const files = r(t.dir);
    const conf = join(t.dir, 'named.conf');
    writeFileSync(conf, files.namedConf);
    for (const z of files.files) writeFileSync(join(t.dir, z.name), z.content);
    f(t.dir, conf, files);
  } finally {
    t.done();
  }
}

test("BIND's named-checkconf and named-checkzone accept both servers' files, with and without anycast and the fix", { skip: bindMissing() }, () => {
  for (const options of [{}, { do_anycast: true }, { allow_recursion: false }]) {
    const spec = loadLab(ANYCAST, options);
    for (const n of dnsServers(spec)) {
      laidOut((dir) => writeBind(spec, n.name, { dir }), (dir, conf, files) => {
        const checked = runBindCheck('named-checkconf', ['-z', conf]);
        assert.equal(checked.code, 0, `${n.name} ${JSON.stringify(options)}: ${checked.output}`);
        // -z loads every zone: one "loaded serial 1" line per zone file.
        assert.equal(checked.output.split('\n').filter((l) => / loaded serial 1$/.test(l)).length, files.files.length, checked.output);
        for (const z of files.files) {
          const origin = /^zone "([^"]+)" \{\n\ttype master;\n\tfile "([^"]+)"/gm;
          const zoneOf = [...files.namedConf.matchAll(origin)].find((m) => m[2] === z.name)![1]!;
          const zc = runBindCheck('named-checkzone', [zoneOf, join(dir, z.name)]);
          assert.equal(zc.code, 0, `${n.name} ${z.name}: ${zc.output}`);
        }
      });
    }
  }
  // The check can fail: a zone whose NS has no address is refused.
  laidOut((dir) => writeBind(loadLab(ANYCAST), 'xenial1', { dir }), (dir, conf) => {
    writeFileSync(join(dir, 'db.home'), '$TTL 60\n@ IN SOA ns.home. root.home. ( 1 60 60 60 60 )\n@ IN NS ns.home.\n');
    assert.notEqual(runBindCheck('named-checkconf', ['-z', conf]).code, 0);
  });
});

/** Why two named cannot be run side by side here, or false: root, unshare, named and dig are needed. */
function namedRunMissing(): string | false {
  if (process.getuid?.() !== 0) return 'running named in a network namespace needs root';
  for (const p of ['unshare', 'named', 'dig', 'ip']) if (spawnSync('sh', ['-c', `command -v ${p}`]).status !== 0) return `${p} is not installed`;
  return false;
}

test('both servers run side by side: two named in one network namespace, each answering its own `test` address', { skip: namedRunMissing() }, () => {
  const spec = loadLab(ANYCAST);
  const t = tempDir('anycast-lab-named-');
  try {
    // A new network namespace has only its loopback: `listen-on { any; }` binds 127.0.0.1 alone, and each
    // named listens on a port of its own.
    const servers = [
      { name: 'xenial1', port: 5301 },
      { name: 'xenial2', port: 5302 },
    ];
    for (const s of servers) {
      const dir = join(t.dir, s.name);
      mkdirSync(dir);
      const r = writeBind(spec, s.name, { dir, port: s.port });
      writeFileSync(join(dir, 'named.conf'), r.namedConf);
      for (const z of r.files) writeFileSync(join(dir, z.name), z.content);
    }
    const script = [
      'ip link set lo up',
      ...servers.map((s) => `named -f -c ${join(t.dir, s.name, 'named.conf')} > ${join(t.dir, s.name, 'named.log')} 2>&1 &`),
      // Up to 10 s for both to answer, then one query each.
      ...servers.map((s) => `for i in $(seq 50); do dig +time=1 +tries=1 +short @127.0.0.1 -p ${s.port} test.home > /dev/null && break; sleep 0.2; done`),
      ...servers.map((s) => `echo ${s.name} $(dig +time=1 +tries=1 +short @127.0.0.1 -p ${s.port} test.home) $(dig +time=1 +tries=1 +short @127.0.0.1 -p ${s.port} -x 10.128.3.1)`),
      // The run-time files each named made in its own folder while running.
      ...servers.map((s) => `echo ${s.name} $(cd ${join(t.dir, s.name)} && ls named.pid named.lock session.key)`),
      ...servers.map((s) => `kill $(cat ${join(t.dir, s.name, 'named.pid')})`),
      'wait',
    ].join('\n');
    const run = spawnSync('unshare', ['-n', 'sh', '-c', script], { encoding: 'utf8', timeout: 40_000 });
    const logs = servers.map((s) => readFileSync(join(t.dir, s.name, 'named.log'), 'utf8')).join('\n');
    // xenial1.dns-input-file and xenial2.dns-input-file: test is 10.128.1.1 on one, 10.128.2.2 on the other (§4.3.5); r1 is 10.128.3.1 (§3.3).
    assert.equal(run.stdout.trim(), 'xenial1 10.128.1.1 r1.home.\nxenial2 10.128.2.2 r1.home.\nxenial1 named.lock named.pid session.key\nxenial2 named.lock named.pid session.key', `${run.stderr}\n${logs}`);
    // Neither touched the default run-time paths (Debian: /run/named, /var/cache/bind).
    assert.doesNotMatch(logs, /\/run\/named|\/var\/cache\/bind/);
  } finally {
    t.done();
  }
});

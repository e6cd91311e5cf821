#!/usr/bin/env node
/**
 * anycast-lab's side of the benchmark workloads: one workload per process, from the compiled library
 * (dist/, which `npm run bench` builds first), printing one JSON line of the same shape as the ns-3
 * peer's (bench/peers/ns3/anycast-bench.cc, which describes the workloads in full). Same arguments:
 *
 *   node scripts/bench/workload.js anycast [--seconds S] [--halt-at T|none] [--seed N]
 *     The write-up's lab (data/labs/anycast) with do_anycast; xenial3 sends the write-up's query
 *     (A r1.home) to 10.128.224.2 every second from 60 s to the end, answered by named on xenial1 or
 *     xenial2; xenial1 halts at T (default 300 s), so afterwards every query crosses r3, r1, r2 and
 *     r4. Default 86400 s.
 *   node scripts/bench/workload.js chain [--routers N] [--seconds S] [--seed N]     (1000, 3600 s)
 *   node scripts/bench/workload.js grid [--rows R] [--cols C] [--seconds S] [--seed N]   (32×32, 3600 s)
 *     lib/config/generators.ts chainLab and gridLab, FRR routers, 1 ms links.
 *
 * It checks its own result as the peer does (ok: false, with the reasons, when a check fails): the
 * queries lost to the halt within what the IOS timers allow, and every router's routes at the end.
 * The process's CPU time is measured by the bench from outside; the JSON has the event count and the
 * peak RSS (ru_maxrss).
 */
'use strict';
const { join } = require('node:path');

const dist = join(__dirname, '..', '..', 'dist');
const { Lab } = require(join(dist, 'lab', 'lab'));
const { chainLab, gridLab, linkAddress } = require(join(dist, 'config', 'generators'));
const { seconds } = require(join(dist, 'sim', 'time'));
const { ipv4 } = require(join(dist, 'wire', 'addr'));
const { dnsQuery, emitDns, parseDnsHeader } = require(join(dist, 'wire', 'dns'));

const USAGE = `usage: workload.js anycast [--seconds S] [--halt-at T|none] [--seed N]
       workload.js chain [--routers N] [--seconds S] [--seed N]
       workload.js grid [--rows R] [--cols C] [--seconds S] [--seed N]`;

function fail(message) {
  process.stderr.write(`workload.js: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse(argv) {
  const workload = argv[0];
  if (workload === undefined) fail('no workload given');
  if (!['anycast', 'chain', 'grid'].includes(workload)) fail(`unknown workload "${workload}" (anycast, chain or grid)`);
  const o = { workload, seconds: workload === 'anycast' ? 86400 : 3600, haltAt: 300, routers: 1000, rows: 32, cols: 32, seed: 1 };
  const min = { '--seconds': 1, '--halt-at': 0, '--routers': 2, '--rows': 1, '--cols': 1, '--seed': 1 };
  const key = { '--seconds': 'seconds', '--halt-at': 'haltAt', '--routers': 'routers', '--rows': 'rows', '--cols': 'cols', '--seed': 'seed' };
  for (let i = 1; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!(flag in key)) fail(`unknown option ${flag}`);
    if (value === undefined) fail(`${flag} needs a value`);
    if (flag === '--halt-at' && value === 'none') {
      o.haltAt = null;
      continue;
    }
    const v = Number(value);
    if (value.trim() === '' || !Number.isFinite(v) || v < min[flag]) fail(`${flag} expects a number ≥ ${min[flag]}, got "${value}"`);
    o[key[flag]] = v;
  }
  if (o.workload === 'grid' && o.rows * o.cols < 2) fail('a grid needs at least two routers');
  return o;
}

/** The answered count and routes after the write-up's lab ran; see the peer for the same checks. */
function anycast(o) {
  const halted = o.haltAt !== null && o.haltAt < o.seconds;
  const lab = Lab.load(join(__dirname, '..', '..', 'data', 'labs', 'anycast'), { do_anycast: true, seed: o.seed, failures: halted ? [`xenial1:halt@${o.haltAt}s`] : [] });
  const end = seconds(o.seconds);
  const sched = lab.network.scheduler;
  let queries = 0;
  let answered = 0;
  const socket = lab.node('xenial3').udpBind(0, 0, {
    onMessage: (payload) => {
      if (payload instanceof Uint8Array && parseDnsHeader(payload).ancount > 0) answered++;
    },
  });
  // The write-up's query (§3.3), encoded once; each send gets its own transaction ID, as a resolver's
  // would (the bench measures the simulator, not the client).
  const template = emitDns(dnsQuery(0, 'r1.home', 'A'));
  const anycastAddress = ipv4('10.128.224.2');
  // Queries at 60 s, 61 s, … while before the end, as the peer sends them (its run stops at the end,
  // before an event due then).
  const tick = (now) => {
    const query = template.slice();
    query[0] = (queries >> 8) & 0xff;
    query[1] = queries & 0xff;
    socket.send(anycastAddress, 53, query, { dontFragment: false });
    queries++;
    if (now + seconds(1) < end) sched.at(now + seconds(1), tick);
  };
  if (end > seconds(60)) sched.at(seconds(60), tick);
  lab.runUntil(end);

  const failures = [];
  // With IOS timers r3 keeps forwarding to the halted xenial1 until it flushes the route, 240 s after
  // xenial1's last update (FRR timers: ≤ 37 s before the halt); a route that is invalid or in
  // hold-down still forwards (lib/proto/rip). r1, whose route went through r3, is in hold-down too
  // and flushes up to one IOS update (30 s) later, then takes r2's route (through r4 to xenial2) at
  // r2's next update (≤ 30 s) and passes it to r3 in a triggered update (≤ 5 s). So a halt loses
  // between 240 − 37 and 240 + 30 + 30 + 5 queries (one more either way for the query in flight).
  const lost = queries - answered;
  const queryable = halted ? o.seconds - Math.max(60, o.haltAt) : 0;
  const [minLost, maxLost] = halted ? [Math.min(queryable, 240 - 37) - 1, 240 + 30 + 30 + 5 + 1] : [0, 1];
  if (lost < minLost || lost > maxLost) failures.push(`${answered} of ${queries} queries answered: expected ${minLost}–${maxLost} lost`);
  const networks = ['10.128.1.9', '10.128.3.9', '10.128.4.9', '10.128.5.9', '10.128.6.9', '10.128.7.9', '10.128.8.9', '10.128.224.2'];
  let checked = 0;
  for (const name of ['r1', 'r2', 'r3', 'r4']) {
    for (const n of networks) {
      checked++;
      if (lab.node(name).fib.lookup(ipv4(n)).kind !== 'found') failures.push(`${name} has no route to ${n}`);
    }
  }
  const r3 = lab.node('r3').fib.lookup(anycastAddress);
  const expected = ipv4(halted ? '10.128.3.1' : '10.128.5.2');
  if (r3.kind === 'found' && r3.route.nextHop !== expected) failures.push(`r3 routes 10.128.224.2 via ${formatIp(r3.route.nextHop)}, expected ${formatIp(expected)}`);
  return { events: sched.eventsExecuted, failures, detail: { queries, answered, routesChecked: checked } };
}

function formatIp(a) {
  return [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
}

/**
 * The chain or the grid: each sampled router against every link, as the peer checks: a route to the
 * link's network iff its nearest end is at most 14 hops away (connected metric 1, one more per hop,
 * 16 is infinity: RFC 2453 §3.6).
 */
function mesh(o) {
  const chain = o.workload === 'chain';
  const spec = chain ? chainLab(o.routers) : gridLab(o.rows, o.cols);
  const lab = new Lab(spec, { seed: o.seed });
  lab.runUntil(seconds(o.seconds));
  const index = new Map(spec.nodes.map((node, i) => [node.name, i]));
  const links = spec.segments.map((s) => [index.get(s.endpoints[0].node), index.get(s.endpoints[1].node)]);
  const n = spec.nodes.length;
  const hops = chain ? (a, b) => Math.abs(a - b) : (a, b) => Math.abs(Math.floor(a / o.cols) - Math.floor(b / o.cols)) + Math.abs((a % o.cols) - (b % o.cols));
  const sample = [0, n - 1, Math.floor(n / 2)];
  for (let i = 37; i < n; i += 37) sample.push(i);
  const failures = [];
  let checked = 0;
  for (const router of sample) {
    const fib = lab.network.nodes.get(spec.nodes[router].name).fib;
    links.forEach(([a, z], k) => {
      const distance = Math.min(hops(router, a), hops(router, z));
      const has = fib.lookup(linkAddress(k + 1, 1) + 8).kind === 'found';
      checked++;
      if (has !== distance <= 14 && failures.length < 10) failures.push(`${spec.nodes[router].name} ${has ? 'has a route' : 'has no route'} to link ${k + 1}'s network, ${distance} hops away`);
    });
  }
  return { events: lab.network.scheduler.eventsExecuted, failures, detail: { routers: n, links: links.length, routesChecked: checked } };
}

// `--profile` (last): the same run under V8's sampling profiler (scripts/profile.ts): where the CPU
// time goes by part of the simulator, printed instead of the result; not timed.
const argv = process.argv.slice(2);
const profiled = argv[argv.length - 1] === '--profile';
const o = parse(profiled ? argv.slice(0, -1) : argv);
if (profiled) {
  require('ts-node').register({ transpileOnly: true });
  const { profileBreakdown, formatBreakdown } = require('../profile.ts');
  const { result, shares } = profileBreakdown(() => (o.workload === 'anycast' ? anycast(o) : mesh(o)));
  console.log(JSON.stringify({ profile: formatBreakdown(shares), events: result.events, ok: result.failures.length === 0 }));
  process.exit(0);
}
const r = o.workload === 'anycast' ? anycast(o) : mesh(o);
// ru_maxrss is in kilobytes on Linux.
console.log(
  JSON.stringify({ side: 'anycast-lab', version: process.version, workload: o.workload, simSeconds: o.seconds, events: r.events, maxRssMiB: process.resourceUsage().maxRSS / 1024, ...r.detail, ok: r.failures.length === 0, failures: r.failures }),
);

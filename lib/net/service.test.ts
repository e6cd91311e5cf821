/**
 * The typed service registry: per node (`node.service(key)`) and per network (`node.shared`), as
 * the RIP daemon uses it for itself and for the prefix dictionary its routers share.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network } from './network';
import { ServiceKey, ServiceRegistry } from './service';
import { RIP_DAEMON, RIP_PREFIX_TABLE, RipDaemon, prefixTableOf, ripDaemonOf } from './rip-daemon';
import { RIP_PROFILES, defaultRipConfig } from '../proto/rip/params';

test('service registry: a value per key, typed by the key; two keys of one name are two keys', () => {
  const registry = new ServiceRegistry();
  const a = new ServiceKey<{ n: number }>('x');
  const b = new ServiceKey<{ n: number }>('x');
  assert.equal(registry.get(a), undefined);
  let made = 0;
  const first = registry.getOrCreate(a, () => ({ n: ++made }));
  assert.equal(registry.getOrCreate(a, () => ({ n: ++made })), first);
  assert.equal(made, 1);
  assert.equal(registry.has(b), false);
  registry.set(b, { n: 9 });
  assert.equal(registry.get(b)?.n, 9);
  assert.equal(registry.get(a), first);
  assert.equal(registry.delete(a), true);
  assert.equal(registry.get(a), undefined);
});

test('service registry: per node, per network, and kept across a halt', () => {
  const key = new ServiceKey<string>('label');
  const one = new Network(1);
  const two = new Network(1);
  const n1 = one.addNode('n1', 'router', 'linux');
  const n2 = one.addNode('n2', 'router', 'linux');
  const m1 = two.addNode('n1', 'router', 'linux');
  n1.setService(key, 'mine');
  assert.equal(n1.service(key), 'mine');
  assert.equal(n2.service(key), undefined);
  assert.equal(n2.serviceOrCreate(key, () => 'made'), 'made');
  n1.boot();
  n1.halt();
  assert.equal(n1.service(key), 'mine');
  // The network's registry is the one every node of it holds.
  assert.equal(n1.shared, one.shared);
  assert.equal(n2.shared, one.shared);
  assert.notEqual(m1.shared, one.shared);
});

test('RIP: the daemon registers itself on its node; one prefix dictionary per network', () => {
  const one = new Network(1);
  const two = new Network(1);
  const [r1, r2] = [one.addNode('r1', 'router', 'linux'), one.addNode('r2', 'router', 'linux')];
  const s1 = two.addNode('r1', 'router', 'linux');
  const config = defaultRipConfig(RIP_PROFILES.frr);
  const d1 = new RipDaemon(r1, config);
  assert.equal(ripDaemonOf(r1), d1);
  assert.equal(r1.service(RIP_DAEMON), d1);
  assert.equal(ripDaemonOf(r2), undefined);
  const d2 = new RipDaemon(r2, config);
  const e1 = new RipDaemon(s1, config);
  assert.equal(d1.prefixes, d2.prefixes);
  assert.equal(prefixTableOf(r2), d1.prefixes);
  assert.equal(one.shared.get(RIP_PREFIX_TABLE), d1.prefixes);
  assert.notEqual(e1.prefixes, d1.prefixes);
});

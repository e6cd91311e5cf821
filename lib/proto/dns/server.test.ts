/**
 * The server's reply cache must be invisible: a cached reply is byte for byte the reply a fresh
 * server computes, but for the transaction ID, and the client's recursion rights are part of the key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { makeConfig, parseDnsInputFile, withAllowRecursion, parseNamedOptions, DEBIAN_NAMED_CONF_OPTIONS } from '../../config/dns';
import { dnsQuery, emitDns, parseDns } from '../../wire/dns';
import { ipv4 } from '../../wire/addr';
import { DnsServerCore } from './server';

const INPUT = 'r1 10.128.3.1\nr2 10.128.4.1\nxenial1 10.128.5.2\n';
const zones = () => makeConfig(parseDnsInputFile(INPUT), { iAm: 'xenial1', domain: 'home', iAmLong: 'xenial1.home', iAmIp: ipv4('10.128.5.2') }).zones;
const local = [{ address: ipv4('10.128.5.2'), prefixLength: 24 }];
const fromClient = { client: ipv4('10.128.7.2'), local };
const fromLan = { client: ipv4('10.128.5.9'), local };

test('a cached reply equals a freshly computed one except for the ID', () => {
  fc.assert(
    fc.property(fc.constantFrom('r1.home', 'r2.home', 'nosuch.home', 'www.example.com', '2.5.128.10.in-addr.arpa'), fc.constantFrom('A', 'PTR', 'MX'), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.boolean(), (name, type, id1, id2, lan) => {
      const ctx = lan ? fromLan : fromClient;
      const warm = new DnsServerCore(zones());
      warm.handle(emitDns(dnsQuery(id1, name, type as 'A')), ctx);
      const cached = warm.handle(emitDns(dnsQuery(id2, name, type as 'A')), ctx);
      const fresh = new DnsServerCore(zones()).handle(emitDns(dnsQuery(id2, name, type as 'A')), ctx);
      assert.equal(cached.kind, 'reply');
      assert.equal(fresh.kind, 'reply');
      if (cached.kind === 'reply' && fresh.kind === 'reply') {
        assert.deepEqual(Buffer.from(cached.bytes), Buffer.from(fresh.bytes));
        assert.equal(parseDns(cached.bytes).id, id2);
        assert.equal(cached.message.id, id2);
      }
    }),
    { numRuns: 60 },
  );
});

test("recursion rights are part of the key: Debian's defaults refuse a remote client after answering a local one", () => {
  const core = new DnsServerCore(zones(), parseNamedOptions(DEBIAN_NAMED_CONF_OPTIONS).options);
  const q = emitDns(dnsQuery(1, 'www.example.com', 'A'));
  const lan = core.handle(q, fromLan);
  const remote = core.handle(q, fromClient);
  assert.ok(lan.kind === 'reply' && remote.kind === 'reply');
  if (lan.kind === 'reply' && remote.kind === 'reply') {
    assert.equal(lan.message.ra, true);
    assert.equal(remote.message.ra, false);
    assert.equal(remote.message.rcode, 5, 'REFUSED');
  }
  const fixed = new DnsServerCore(zones(), parseNamedOptions(withAllowRecursion(DEBIAN_NAMED_CONF_OPTIONS)).options);
  const after = fixed.handle(q, fromClient);
  assert.ok(after.kind === 'reply' && after.message.ra === true);
});

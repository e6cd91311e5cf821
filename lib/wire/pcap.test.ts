import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { WireError } from './errors';
import { emitEthernet } from './ethernet';
import { hexdump } from './hexdump';
import { icmpInvokingBytes } from './icmp';
import { PcapWriter, parsePcap } from './pcap';
import type { EthernetFrame, Ipv4Packet } from './types';
import { ARP_REQUEST, ETHERTYPE_ARP, ICMP_UNREACH_PORT, IPPROTO_ICMP } from './types';
import { arbDamaged, fromHex, valueOrWireError, writeupDnsFrame } from './test-support';

test('global and record headers follow the libpcap format byte for byte', () => {
  // Layout from https://wiki.wireshark.org/Development/LibpcapFileFormat, little-endian:
  // magic a1b2c3d4, version 2.4, thiszone 0, sigfigs 0, snaplen 262144 (0x00040000), network 1.
  const w = new PcapWriter();
  assert.deepEqual(w.toBytes(), fromHex('d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 00 00 04 00 01 00 00 00'));
  // Record: ts_sec 1500 (0x5dc), ts_usec 123 (0x7b), incl_len 3, orig_len 3, then the bytes.
  w.add(1_500_000_123, fromHex('aa bb cc'));
  assert.equal(w.packetCount, 1);
  assert.deepEqual(w.toBytes().subarray(24), fromHex('dc 05 00 00 7b 00 00 00 03 00 00 00 03 00 00 00 aa bb cc'));
});

test('frames longer than snaplen are cut, keeping their original length; the writer copies frames', () => {
  const w = new PcapWriter(20);
  const frame = emitEthernet(writeupDnsFrame());
  w.add(0, frame);
  frame.fill(0); // a caller reusing its buffer must not change what was captured
  const file = parsePcap(w.toBytes());
  assert.equal(file.snaplen, 20);
  assert.equal(file.linkType, 1);
  assert.equal(file.records[0].origLen, 67);
  assert.deepEqual(file.records[0].data, emitEthernet(writeupDnsFrame()).subarray(0, 20));
});

test('bad timestamps and snaplens are refused', () => {
  const w = new PcapWriter();
  for (const t of [-1, 1.5, NaN, 2 ** 32 * 1e6]) assert.throws(() => w.add(t, new Uint8Array(1)), RangeError);
  for (const s of [0, -5, 1.5]) assert.throws(() => new PcapWriter(s), RangeError);
});

test('big-endian and nanosecond files are read too', () => {
  // Big-endian (as written on SPARC/PowerPC): magic a1b2c3d4 in network order; one 2-byte record at 1.000002 s.
  const be = fromHex(`a1 b2 c3 d4 00 02 00 04 00 00 00 00 00 00 00 00 00 00 ff ff 00 00 00 01
                      00 00 00 01 00 00 00 02 00 00 00 02 00 00 00 3c 12 34`);
  assert.deepEqual(parsePcap(be), { linkType: 1, snaplen: 65535, records: [{ timeUs: 1_000_002, data: fromHex('12 34'), origLen: 60 }] });
  // Little-endian nanosecond magic a1b23c4d: 2 s + 3 999 ns → 2 000 003 µs (truncated).
  const ns = fromHex(`4d 3c b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 00 00 04 00 01 00 00 00
                      02 00 00 00 9f 0f 00 00 01 00 00 00 01 00 00 00 ee`);
  assert.deepEqual(parsePcap(ns).records, [{ timeUs: 2_000_003, data: fromHex('ee'), origLen: 1 }]);
});

test('broken files give WireErrors that say why', () => {
  const good = (() => {
    const w = new PcapWriter();
    w.add(5, fromHex('01 02 03 04'));
    return w.toBytes();
  })();
  const expectError = (bytes: Uint8Array, message: string) =>
    assert.throws(() => parsePcap(bytes), (e: unknown) => e instanceof WireError && e.message === message);
  expectError(good.subarray(0, 23), 'pcap: truncated global header: needs 24 bytes, 23 available (offset 0)');
  expectError(fromHex('0a 0d 0d 0a' + ' 00'.repeat(20)), 'pcap: magic 0x0a0d0d0a is not a pcap magic number (offset 0)');
  expectError(good.subarray(0, 30), 'pcap: truncated record header: needs 16 bytes, 6 available (offset 24)');
  expectError(good.subarray(0, 43), 'pcap: truncated record: captured length 4, 3 bytes available (offset 32)');
  const v1 = Uint8Array.from(good);
  v1[4] = 1;
  expectError(v1, 'pcap: version 1.4 is not 2.x (offset 4)');
  const usec = Uint8Array.from(good);
  usec.set([0x40, 0x42, 0x0f, 0x00], 28); // 1 000 000 µs
  expectError(usec, 'pcap: sub-second timestamp 1000000 is out of range (offset 28)');
  const incl = Uint8Array.from(good);
  incl[36] = 3; // orig_len 3 < incl_len 4
  expectError(incl, 'pcap: captured length 4 exceeds the original length 3 (offset 32)');
});

test('round trip: any frames at any times come back as written', () => {
  const arbRecords = fc.array(fc.tuple(fc.maxSafeNat().map((t) => t % (2 ** 32 * 1e6)), fc.uint8Array({ maxLength: 80 })), { maxLength: 8 });
  fc.assert(
    fc.property(arbRecords, (records) => {
      const w = new PcapWriter();
      for (const [t, data] of records) w.add(t, data);
      const file = parsePcap(w.toBytes());
      assert.deepEqual(
        file.records,
        records.map(([timeUs, data]) => ({ timeUs, data: Uint8Array.from(data), origLen: data.length })),
      );
    }),
  );
});

test('arbitrary and damaged files give a value or a WireError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => valueOrWireError(() => parsePcap(b))), { numRuns: 1000 });
  const valid = fc.array(fc.uint8Array({ maxLength: 30 }), { maxLength: 4 }).map((frames) => {
    const w = new PcapWriter();
    frames.forEach((f, i) => w.add(i * 1000, f));
    return w.toBytes();
  });
  fc.assert(fc.property(arbDamaged(valid), (b) => valueOrWireError(() => parsePcap(b))), { numRuns: 2000 });
});

// ---- tshark reads what we write ---------------------------------------------------------------

const XENIAL1 = 0x080027a9511d;
const ROUTER = 0xcc0318190001;

function labFrames(): { timeUs: number; frame: EthernetFrame }[] {
  const query = writeupDnsFrame();
  const queryIp = query.payload as Ipv4Packet;
  const ip = (payload: Ipv4Packet['payload'], src: number, dst: number, extra: Partial<Ipv4Packet> = {}): Ipv4Packet => ({
    tos: 0,
    id: 0x4d2e,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 64,
    protocol: IPPROTO_ICMP,
    src,
    dst,
    payload,
    ...extra,
  });
  return [
    { timeUs: 1_000_000, frame: query },
    {
      timeUs: 1_500_000,
      frame: {
        dst: 0xffffffffffff,
        src: ROUTER,
        etherType: ETHERTYPE_ARP,
        payload: { op: ARP_REQUEST, senderMac: ROUTER, senderIp: 0x0a800501, targetMac: 0, targetIp: 0x0a800502 },
      },
    },
    {
      timeUs: 2_000_000,
      frame: { ...query, payload: ip({ kind: 'echo-request', id: 1, seq: 1, data: Uint8Array.from({ length: 56 }, (_, i) => i) }, 0x0a800702, 0x0a800502, { dontFragment: true }) },
    },
    {
      timeUs: 2_250_001,
      frame: {
        dst: ROUTER,
        src: XENIAL1,
        etherType: query.etherType,
        payload: ip({ kind: 'dest-unreachable', code: ICMP_UNREACH_PORT, nextHopMtu: 0, invoking: icmpInvokingBytes(queryIp) }, 0x0a800502, 0x0a800702, { tos: 0xc0 }),
      },
    },
    {
      timeUs: 3_000_000,
      frame: {
        dst: XENIAL1,
        src: ROUTER,
        etherType: query.etherType,
        payload: ip({ kind: 'time-exceeded', code: 0, invoking: icmpInvokingBytes({ ...queryIp, ttl: 1 }) }, 0x0a800501, 0x0a800502, { ttl: 255 }),
      },
    },
  ];
}

function tshark(args: string[]): string {
  const r = spawnSync('tshark', args, { encoding: 'utf8' });
  if (r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    assert.fail('tshark is required for this test: it checks that Wireshark decodes our pcap files (CI installs it: apt-get install tshark)');
  }
  assert.equal(r.status, 0, `tshark ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

test('tshark decodes our capture: protocols, info columns, timestamps, and every checksum good', () => {
  const frames = labFrames();
  const w = new PcapWriter();
  for (const f of frames) w.add(f.timeUs, emitEthernet(f.frame));
  const dir = mkdtempSync(join(tmpdir(), 'anycast-lab-pcap-'));
  try {
    const file = join(dir, 'lab.pcap');
    writeFileSync(file, w.toBytes());
    const fields = ['frame.number', 'frame.time_epoch', 'frame.len', 'ip.src', 'ip.dst', '_ws.col.Protocol', '_ws.col.Info', 'ip.checksum.status', 'udp.checksum.status', 'icmp.checksum.status'];
    const out = tshark([
      '-r', file, '-n',
      '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
      '-T', 'fields', '-E', 'occurrence=f', '-E', 'separator=|',
      ...fields.flatMap((f) => ['-e', f]),
    ]);
    const rows = out.trim().split('\n').map((line) => Object.fromEntries(line.split('|').map((v, i) => [fields[i], v])));
    assert.equal(rows.length, 5);
    // Checksum status 1 = "Good" (epan/proto.h PROTO_CHECKSUM_E_GOOD).
    assert.deepEqual(rows[0], {
      'frame.number': '1', 'frame.time_epoch': '1.000000000', 'frame.len': '67', 'ip.src': '10.128.7.2', 'ip.dst': '10.128.5.2',
      '_ws.col.Protocol': 'DNS', '_ws.col.Info': 'Standard query 0x003e A r1.home',
      'ip.checksum.status': '1', 'udp.checksum.status': '1', 'icmp.checksum.status': '',
    });
    assert.equal(rows[1]['_ws.col.Protocol'], 'ARP');
    assert.equal(rows[1]['_ws.col.Info'], 'Who has 10.128.5.2? Tell 10.128.5.1');
    assert.equal(rows[1]['frame.len'], '42');
    assert.equal(rows[2]['_ws.col.Protocol'], 'ICMP');
    assert.match(rows[2]['_ws.col.Info'], /^Echo \(ping\) request +id=0x0001, seq=1\/256, ttl=64/);
    assert.equal(rows[3]['_ws.col.Info'], 'Destination unreachable (Port unreachable)');
    assert.equal(rows[3]['frame.time_epoch'], '2.250001000');
    assert.equal(rows[4]['_ws.col.Info'], 'Time-to-live exceeded (Time to live exceeded in transit)');
    for (const row of rows.slice(2)) {
      assert.equal(row['ip.checksum.status'], '1', `IPv4 checksum of frame ${row['frame.number']}`);
      assert.equal(row['icmp.checksum.status'], '1', `ICMP checksum of frame ${row['frame.number']}`);
    }

    // And tshark's hex dump of each frame is ours, character for character.
    const dumps = tshark(['-r', file, '-x']).trim().split(/\n\s*\n/);
    assert.deepEqual(dumps, frames.map((f) => hexdump(emitEthernet(f.frame))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

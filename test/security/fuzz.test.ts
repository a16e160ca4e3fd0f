// Fuzzing the feeds through their real sockets: well over 100,000 mutated
// NMEA, JSON and CoT messages (bit flips, truncation, duplication, splicing,
// huge fields, binary junk, odd Unicode) against a real core with a real
// SQLite file. No crash, no hang, every message accepted or quarantined, and
// the counts add up: feeds.status and the quarantine table against what was sent.
//
// Seeded: VIGIE_FUZZ_SEED=<n> replays a run exactly (the seed is in every
// failure message). VIGIE_FUZZ_SCALE=<x> multiplies the message counts.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FeedsStatus } from '../../shared/contract';
import { startCore, type RunningCore } from '../../electron/core/core';
import { silentLogger } from '../../electron/core/logger';
import { verifyChain } from '../../electron/core/log/verify';
import { nmeaChecksum } from '../../electron/core/feeds/nmea/parseNmeaSentence';
import type { Site } from '../../shared/site';
import { apiHeaders, tempDataDir, until } from '../helpers';
import { seededRandom } from '../../electron/simulator/model/random';

const SEED = Number(process.env.VIGIE_FUZZ_SEED ?? 20261127);
const SCALE = Number(process.env.VIGIE_FUZZ_SCALE ?? 1);
const COUNTS = { nmea: Math.round(45_000 * SCALE), json: Math.round(40_000 * SCALE), cot: Math.round(20_000 * SCALE) };
const tag = `(seed ${SEED}; rerun with VIGIE_FUZZ_SEED=${SEED})`;

const UNICODE = [
  '\u0000',
  '\u202e',
  '\ufeff',
  '\ud83d\ude80',
  '\u00e9',
  '\u0301',
  '\uffff',
  '\u2028',
  'Ω',
  '中',
  '\ud800',
  '"',
  '\\',
  '<',
  '&',
  '>',
  ']]>',
  '\u0085',
];
const JUNK_SEQUENCES = [
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xbf, 0x01, 0xbf]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
];

class Mutator {
  readonly used: Record<string, number> = {};
  constructor(
    private readonly rnd: () => number,
    private readonly corpus: Buffer[],
    private readonly maxBytes: number,
  ) {}

  private int(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  next(): Buffer {
    let message = this.corpus[this.int(this.corpus.length)]!;
    // One in eight goes out intact, so that acceptance is exercised too.
    if (this.rnd() < 0.125) return this.count('none', message);
    const rounds = 1 + this.int(3);
    for (let i = 0; i < rounds; i++) message = this.mutate(message);
    return message.length > this.maxBytes ? message.subarray(0, this.maxBytes) : message;
  }

  private count(kind: string, message: Buffer): Buffer {
    this.used[kind] = (this.used[kind] ?? 0) + 1;
    return message;
  }

  private mutate(input: Buffer): Buffer {
    const at = this.int(input.length + 1);
    switch (this.int(7)) {
      case 0: {
        const out = Buffer.from(input);
        for (let flips = 1 + this.int(8); flips > 0 && out.length > 0; flips--) out[this.int(out.length)]! ^= 1 << this.int(8);
        return this.count('bit-flip', out);
      }
      case 1:
        return this.count('truncate', input.subarray(0, at));
      case 2: {
        const from = this.int(input.length + 1);
        const slice = input.subarray(from, from + 1 + this.int(64));
        const copies = 1 + this.int(4);
        return this.count('duplicate', Buffer.concat([input.subarray(0, at), ...Array.from({ length: copies }, () => slice), input.subarray(at)]));
      }
      case 3: {
        const other = this.corpus[this.int(this.corpus.length)]!;
        return this.count('splice', Buffer.concat([input.subarray(0, at), other.subarray(this.int(other.length + 1))]));
      }
      case 4: {
        const size = this.rnd() < 0.8 ? 1 + this.int(2_000) : 1 + this.int(this.maxBytes);
        const fill = Buffer.alloc(size, ['A', '9', '"', ' ', '<', ','][this.int(6)]!);
        return this.count('huge-field', Buffer.concat([input.subarray(0, at), fill, input.subarray(at)]));
      }
      case 5: {
        const junk =
          this.rnd() < 0.5 ? JUNK_SEQUENCES[this.int(JUNK_SEQUENCES.length)]! : Buffer.from(Array.from({ length: 1 + this.int(32) }, () => this.int(256)));
        const replace = this.rnd() < 0.5 ? junk.length : 0;
        return this.count('binary-junk', Buffer.concat([input.subarray(0, at), junk, input.subarray(at + replace)]));
      }
      default: {
        const text = Array.from({ length: 1 + this.int(4) }, () => UNICODE[this.int(UNICODE.length)]!).join('');
        return this.count('unicode', Buffer.concat([input.subarray(0, at), Buffer.from(text, 'utf8'), input.subarray(at)]));
      }
    }
  }
}

const site: Site = {
  version: 1,
  name: 'fuzz post',
  escalateAfterSeconds: 3600,
  coverageEtaMinutes: 15,
  // No throttling: every message must be dealt with, not dropped.
  listeners: {
    host: '127.0.0.1',
    cot: { udp: 0, tcp: 0, multicast: false },
    nmea: [{ sensor: 'RAD-1', udp: 0, tcp: 0 }],
    json: { tcp: 0, ws: 0 },
    perSourceRate: 10_000_000,
  },
  sensors: [
    { id: 'RAD-1', kind: 'radar', name: 'Radar', position: [1.584, 50.8697], rangeMeters: 30000, heartbeatSeconds: 3600 },
    { id: 'CAM-1', kind: 'camera', name: 'Camera', position: [1.664, 50.8855], bearing: 300, fieldOfView: 70, rangeMeters: 3000, heartbeatSeconds: 3600 },
    {
      id: 'CAM-S',
      kind: 'camera',
      name: 'Signed camera',
      position: [1.7, 50.9],
      bearing: 300,
      fieldOfView: 70,
      rangeMeters: 3000,
      heartbeatSeconds: 3600,
      secret: 'camera-secret-0123456789',
    },
    { id: 'OPT-1', kind: 'optronic', name: 'Optronic', position: [1.715, 50.9215], rangeMeters: 8000, heartbeatSeconds: 3600 },
    { id: 'DRN-1', kind: 'drone', name: 'Drone', position: [1.62, 50.77], footprintMeters: 800, heartbeatSeconds: 3600, cotUids: ['DRN-1'] },
  ],
  units: [
    { id: 'U01', callsign: 'OPALE 01', type: '4x4', crew: 3, home: [1.76, 50.93], device: { protocol: 'json' } },
    { id: 'U02', callsign: 'OPALE 02', type: 'quad', crew: 2, home: [1.63, 50.86], device: { protocol: 'cot', uid: 'ANDROID-U02' } },
  ],
};

const nmea = (body: string) => Buffer.from(`$${body}*${nmeaChecksum(body)}`, 'latin1');
const nmeaCorpus = [
  nmea('RATTM,07,5.00,315.0,T,6.5,330.0,T,1.2,15.0,N,SB7,T,,221500.00,A'),
  nmea('RATTM,21,2.00,290.0,T,11.0,40.0,T,1.0,9.0,N,V21,T,,221500.00,A'),
  nmea('RATTM,08,1.50,10.0,T,3.0,180.0,T,0.5,2.0,K,VESSEL X,L,,,M'),
  nmea('RATLL,22,5056.00,N,00130.00,E,V22,221500.00,T,'),
  nmea('RATLL,23,5101.25,N,00145.50,E,SMALL,,Q,R'),
  nmea('GPGGA,221500.00,5052.18,N,00135.04,E,1,08,0.9,12.0,M,47.0,M,,'),
  Buffer.from('!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24', 'latin1'),
];
const jsonCorpus = [
  { v: 1, type: 'heartbeat', sensor: 'CAM-1' },
  {
    v: 1,
    type: 'track',
    sensor: 'RAD-1',
    track: 'T0042',
    lat: 50.9312,
    lon: 1.512,
    course: 315,
    speed: 6.5,
    class: 'small-boat',
    time: '2026-11-26T23:10:01.250Z',
  },
  { v: 1, type: 'track', sensor: 'RAD-1', track: 'T0043', lat: 50.94, lon: 1.501, class: 'vessel', lost: true },
  { v: 1, type: 'detection', sensor: 'CAM-1', detection: 'D-1187', kind: 'group-on-beach', lat: 50.8861, lon: 1.6598, confidence: 0.82, count: 38 },
  { v: 1, type: 'detection', sensor: 'CAM-S', detection: 'D-9', kind: 'vehicle', lat: 50.9, lon: 1.7, confidence: 0.5 },
  { v: 1, type: 'unit-position', unit: 'U01', lat: 50.9301, lon: 1.7602, heading: 270, speed: 12.5 },
  { v: 1, type: 'unit-ack', unit: 'U01', assignment: 'D00012', status: 'en-route' },
  {
    v: 1,
    type: 'optronic',
    sensor: 'OPT-1',
    report: 'R-77',
    kind: 'boat-launch',
    observer: { lat: 50.9215, lon: 1.715 },
    bearing: 252.5,
    range: 1850,
    confidence: 0.9,
  },
].map((value) => Buffer.from(JSON.stringify(value)));

function cot(uid: string, type: string, lat: number, lon: number, detail: string): Buffer {
  // Valid for a day, so that only mutations make them stale.
  const now = new Date().toISOString();
  const stale = new Date(Date.now() + 86_400_000).toISOString();
  return Buffer.from(
    `<event version="2.0" uid="${uid}" type="${type}" time="${now}" start="${now}" stale="${stale}" how="m-g"><point lat="${lat}" lon="${lon}" hae="12" ce="5" le="9999999"/><detail>${detail}</detail></event>`,
  );
}
// No seed carries <vigie status>: every CoT event then gives at most one message, so frames and outcomes match one to one.
const cotCorpus = [
  cot('DRN-1', 'a-f-A-M-F-Q', 50.77, 1.62, '<contact callsign="DRONE"/>'),
  cot('RAD-1.T77', 'a-h-S-X', 50.95, 1.45, '<track course="120" speed="3.5"/>'),
  cot('CAM-1.D5', 'b-m-p-s-p-i', 50.88, 1.66, '<vigie kind="boat-launch" confidence="0.8" count="12"/><remarks>launch &amp; group</remarks>'),
  cot('ANDROID-U02', 'a-f-G-U-C', 50.86, 1.63, '<contact callsign="OPALE 02"/><track course="90" speed="3"/><__group name="Cyan" role="Team Member"/>'),
  cot('x', 't-x-d', 50.8, 1.6, '<link uid="ANDROID-U02" relation="p-p" type="a-f-G"/>'),
  Buffer.from('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE event [<!ENTITY x "y">]><event version="2.0"/>'),
];

interface Sent {
  key: string;
  messages: number;
}

describe(`fuzzing the feeds over real sockets ${tag}`, { timeout: 180_000 }, () => {
  let core: RunningCore;
  const dataDir = tempDataDir();
  const port = (name: string, transport: string) => core.feeds!.listeners.find((l) => l.name.startsWith(name) && l.transport === transport)!.port;
  const sent: Sent[] = [];
  const rnd = seededRandom(SEED);

  before(async () => {
    const siteFile = path.join(dataDir, 'site.json');
    fs.writeFileSync(siteFile, JSON.stringify(site));
    core = await startCore({
      dataDir: path.join(dataDir, 'data'),
      logger: silentLogger,
      siteFile,
      rendererDir: dataDir,
      feedPorts: { cotUdp: 0, cotTcp: 0, jsonTcp: 0, jsonWs: 0, nmea: { 'RAD-1': { udp: 0, tcp: 0 } } },
    });
  });
  after(() => core.stop());

  const dealt = (key: string) => {
    const s = core.ingest.stats.list().find((source) => source.source === key);
    return s ? s.accepted + Object.values(s.rejected).reduce((a, b) => a + b, 0) : 0;
  };

  /** Line protocols over TCP: one message per line, whatever the mutation did to its bytes. */
  async function lines(listener: string, protocol: string, corpus: Buffer[], count: number, maxBytes: number) {
    const mutator = new Mutator(rnd, corpus, maxBytes);
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(port(listener, 'tcp'), '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    socket.resume();
    const key = `${protocol}/tcp/127.0.0.1:${socket.localPort}`;
    // The first line goes intact (a connection opening like an HTTP request is closed by design).
    const batch: Buffer[] = [corpus[0]!, Buffer.from('\n')];
    for (let i = 1; i < count; i++) {
      let line = mutator.next();
      // One line, one message: newlines become spaces, and a line the framer would skip as empty gets a byte.
      if (line.includes(0x0a)) line = Buffer.from(line.map((byte) => (byte === 0x0a ? 0x20 : byte)));
      if (line.length === 0 || (line.length === 1 && line[0] === 0x0d)) line = Buffer.from('x');
      batch.push(line, Buffer.from('\n'));
      if (batch.length >= 2_000 || i === count - 1) {
        if (!socket.write(Buffer.concat(batch.splice(0)))) await new Promise((resolve) => socket.once('drain', resolve));
      }
    }
    sent.push({ key, messages: count });
    const started = Date.now();
    await until(() => dealt(key) >= count, `${count} ${protocol} lines dealt with (have ${dealt(key)}) ${tag}`, 60_000);
    socket.destroy();
    return { key, mutations: mutator.used, ms: Date.now() - started };
  }

  test(`≥ 100,000 mutated messages: no crash, no hang, each accepted or quarantined, and the counts add up ${tag}`, async () => {
    const t0 = Date.now();
    const nmeaRun = await lines('NMEA RAD-1', 'nmea', nmeaCorpus, COUNTS.nmea, 400);
    const jsonRun = await lines('JSON lines', 'json', jsonCorpus, COUNTS.json, 20 * 1024);

    // CoT over UDP: one datagram, one event. Sent in batches the core has dealt with before the next, so the kernel never drops one.
    const mutator = new Mutator(rnd, cotCorpus, 60_000);
    const udp = dgram.createSocket('udp4');
    const key = 'cot/udp/127.0.0.1';
    const cotPort = port('CoT mesh', 'udp');
    for (let done = 0; done < COUNTS.cot;) {
      const size = Math.min(400, COUNTS.cot - done);
      await Promise.all(
        Array.from({ length: size }, () => {
          let datagram = mutator.next();
          if (datagram.length === 0) datagram = Buffer.from(' ');
          return new Promise<void>((resolve, reject) => udp.send(datagram, cotPort, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
        }),
      );
      done += size;
      await until(() => dealt(key) >= done, `${done} CoT datagrams dealt with (have ${dealt(key)}) ${tag}`, 30_000);
    }
    udp.close();
    sent.push({ key, messages: COUNTS.cot });
    core.writer.flushNow();

    // The counts, as a console reads them, against what was sent.
    const response = await fetch(`http://127.0.0.1:${core.port}/api/feeds.status`, { method: 'POST', headers: await apiHeaders(core), body: '{}' });
    const status = ((await response.json()) as { result: FeedsStatus }).result;
    let total = 0;
    let rejectedTotal = 0;
    for (const { key: source, messages } of sent) {
      const s = status.sources.find((candidate) => candidate.source === source);
      assert.ok(s, `${source} in feeds.status ${tag}`);
      const rejected = Object.values(s.rejected).reduce((a, b) => a + b, 0);
      assert.equal(s.accepted + rejected, messages, `${source}: ${s.accepted} accepted + ${rejected} rejected ≠ ${messages} sent ${tag}`);
      assert.equal(s.throttled, 0, `${source} throttled ${tag}`);
      assert.ok(s.accepted > 0 && rejected > 0, `${source}: both outcomes exercised ${JSON.stringify(s)} ${tag}`);
      const rows = (core.db.prepare('SELECT count(*) AS n FROM quarantine WHERE source = ?').get(source) as { n: number }).n;
      assert.equal(rows, rejected, `${source}: quarantine rows vs rejected ${tag}`);
      total += messages;
      rejectedTotal += rejected;
    }
    assert.ok(total >= 100_000 * Math.min(SCALE, 1), `${total} messages`);
    assert.equal(status.quarantined, rejectedTotal, `quarantined ${status.quarantined} vs ${rejectedTotal} ${tag}`);
    // Nothing accepted was lost on the way to the log.
    assert.equal((core.db.prepare("SELECT count(*) AS n FROM quarantine WHERE reason = 'unloggable'").get() as { n: number }).n, 0);
    // The core still answers and its log still verifies.
    const verified = verifyChain(core.db);
    assert.equal(verified.ok, true, `${JSON.stringify(verified)} ${tag}`);
    const stats = {
      seed: SEED,
      messages: total,
      rejected: rejectedTotal,
      seconds: (Date.now() - t0) / 1000,
      nmea: nmeaRun.mutations,
      json: jsonRun.mutations,
      cot: mutator.used,
    };
    process.stderr.write(`fuzz: ${JSON.stringify(stats)}\n`);
  });
});

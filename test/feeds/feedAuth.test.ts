// Per-message authentication of sensors that have a secret in the site file
// (docs/feeds.md, "Authenticated sensors"), over the real sockets of a real
// core: signed NMEA (TAG block), CoT (<__vigie_auth/>) and JSON lines
// ("n", "mac") are accepted; unsigned, wrongly signed, altered, replayed and
// stale ones are quarantined with their reason; sensors without a secret are
// unchanged.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCore, type RunningCore } from '../../electron/core/core';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { silentLogger } from '../../electron/core/logger';
import type { Site } from '../../shared/site';
import { MacCounter, signCot, signJsonLine, signNmea } from '../../electron/simulator/encode/auth';
import { cotEvent } from '../../electron/simulator/encode/cot';
import { nmeaSentence } from '../../electron/simulator/encode/nmea';
import { SigningLink, signerFor } from '../../electron/simulator/transport/signing';
import type { SimMessage } from '../../electron/simulator/simulation';
import { tempDataDir, until } from '../helpers';

const RADAR_SECRET = 'radar-secret-0123456789';
const DRONE_SECRET = 'drone-secret-0123456789';
const CAMERA_SECRET = 'camera-secret-0123456789';

const site: Site = {
  version: 1,
  name: 'auth test post',
  escalateAfterSeconds: 120,
  coverageEtaMinutes: 15,
  listeners: {
    host: '127.0.0.1',
    cot: { udp: 0, tcp: 0, multicast: false },
    nmea: [
      { sensor: 'RAD-S', udp: 0, tcp: 0 },
      { sensor: 'RAD-P', udp: 0, tcp: 0 },
    ],
    json: { tcp: 0, ws: 0 },
    perSourceRate: 5000,
  },
  sensors: [
    { id: 'RAD-S', kind: 'radar', name: 'Signed radar', position: [1.584, 50.8697], rangeMeters: 30000, heartbeatSeconds: 600, secret: RADAR_SECRET },
    { id: 'RAD-P', kind: 'radar', name: 'Plain radar', position: [1.6, 50.9], rangeMeters: 30000, heartbeatSeconds: 600 },
    {
      id: 'DRN-S',
      kind: 'drone',
      name: 'Signed drone',
      position: [1.62, 50.77],
      footprintMeters: 800,
      heartbeatSeconds: 600,
      secret: DRONE_SECRET,
      cotUids: ['DRN-S'],
    },
    {
      id: 'CAM-S',
      kind: 'camera',
      name: 'Signed camera',
      position: [1.664, 50.8855],
      bearing: 300,
      fieldOfView: 70,
      rangeMeters: 3000,
      heartbeatSeconds: 600,
      secret: CAMERA_SECRET,
    },
  ],
  units: [],
};

const ttm = (target: number, name = 'V1') =>
  nmeaSentence(['RATTM', String(target).padStart(2, '0'), '3.00', '300.0', 'T', '5.0', '90.0', 'T', '1.0', '10.0', 'N', name, 'T', '', '', 'A']);
const droneHeartbeat = (time = Date.now()) =>
  cotEvent({ uid: 'DRN-S', type: 'a-f-A-M-F-Q', time, staleSeconds: 60, how: 'm-g', point: { lat: 50.77, lon: 1.62, hae: 120 }, detail: [] });
const detection = (id: string) =>
  `${JSON.stringify({ v: 1, type: 'detection', sensor: 'CAM-S', detection: id, kind: 'group-on-beach', lat: 50.9, lon: 1.66, confidence: 0.7 })}\n`;
const micros = (ms = Date.now()) => Math.floor(ms * 1000);

describe('feed authentication over real sockets', () => {
  let core: RunningCore;
  let startedAt = 0;
  const dataDir = tempDataDir();
  const sockets: (net.Socket | dgram.Socket)[] = [];
  const port = (name: string, transport: string) => core.feeds!.listeners.find((l) => l.name === name && l.transport === transport)!.port;
  const stats = (key: string) => core.ingest.stats.list().find((s) => s.source === key);
  const quarantined = (source: string) => {
    core.writer.flushNow();
    return core.db.prepare('SELECT reason, detail, raw FROM quarantine WHERE source = ? ORDER BY id').all(source) as {
      reason: string;
      detail: string;
      raw: Buffer;
    }[];
  };

  async function tcp(listener: string): Promise<{ socket: net.Socket; key: string }> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(port(listener, 'tcp'), '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    socket.resume();
    sockets.push(socket);
    return { socket, key: `${listener.startsWith('NMEA') ? 'nmea' : listener.startsWith('CoT') ? 'cot' : 'json'}/tcp/127.0.0.1:${socket.localPort}` };
  }

  /** Waits until the source has been dealt `total` messages, then returns its counts. */
  async function settled(key: string, total: number) {
    return until(
      () => {
        const s = stats(key);
        const dealt = s ? s.accepted + Object.values(s.rejected).reduce((a, b) => a + b, 0) : 0;
        return dealt >= total && s;
      },
      `${total} messages dealt with on ${key} (have ${JSON.stringify(stats(key))})`,
    );
  }

  before(async () => {
    const siteFile = path.join(dataDir, 'site.json');
    fs.writeFileSync(siteFile, JSON.stringify(site));
    // Before the core: a message signed a second before this is "signed before the core started", yet fresh.
    startedAt = Date.now();
    core = await startCore({
      dataDir: path.join(dataDir, 'data'),
      logger: silentLogger,
      siteFile,
      rendererDir: dataDir,
      feedPorts: { cotUdp: 0, cotTcp: 0, jsonTcp: 0, jsonWs: 0, nmea: { 'RAD-S': { udp: 0, tcp: 0 }, 'RAD-P': { udp: 0, tcp: 0 } } },
    });
  });
  after(async () => {
    for (const socket of sockets) {
      if (socket instanceof net.Socket) socket.destroy();
      else socket.close();
    }
    await core.stop();
  });

  test('the documented NMEA signature, computed by hand, is accepted', async () => {
    const { socket, key } = await tcp('NMEA RAD-S');
    const sentence = ttm(1).trimEnd();
    const n = micros();
    const mac = createHmac('sha256', RADAR_SECRET).update(`vigie-feed-mac-v1\nnmea\nRAD-S\n${n}\n${sentence}`).digest('hex').slice(0, 32);
    const tag = `vn:${n},vm:${mac}`;
    const checksum = [...tag]
      .reduce((sum, c) => sum ^ c.charCodeAt(0), 0)
      .toString(16)
      .toUpperCase()
      .padStart(2, '0');
    socket.write(`\\${tag}*${checksum}\\${sentence}\r\n`);
    const s = await settled(key, 1);
    assert.equal(s.accepted, 1, JSON.stringify(s));
    await until(() => core.picture.tracks.get('RAD-S:1'), 'the signed track');
  });

  test('NMEA over TCP: unsigned, wrong secret, altered, replayed, stale and pre-start messages are quarantined with their reason', async () => {
    const { socket, key } = await tcp('NMEA RAD-S');
    const counter = new MacCounter();
    const good = signNmea(ttm(2), 'RAD-S', RADAR_SECRET, counter.next());
    // Altered in flight: the NMEA checksum catches a careless change first…
    const altered = good.replace(',3.00,', ',4.00,');
    // …so alter and fix the sentence checksum, as an attacker would: only the MAC can tell.
    const body = ttm(3).trimEnd().slice(1, -3).replace(',3.00,', ',4.00,');
    const fixedChecksum = [...body]
      .reduce((sum, c) => sum ^ c.charCodeAt(0), 0)
      .toString(16)
      .toUpperCase()
      .padStart(2, '0');
    const signedOriginal = signNmea(ttm(3), 'RAD-S', RADAR_SECRET, counter.next());
    const tampered = signedOriginal.replace(/\$.*\r\n$/, `$${body}*${fixedChecksum}\r\n`);
    const lines = [
      good, // accepted
      good, // replayed
      ttm(4), // unsigned: bad-secret
      signNmea(ttm(5), 'RAD-S', 'not-the-radar-secret-000', counter.next()), // bad-signature
      signNmea(ttm(6), 'RAD-P', RADAR_SECRET, counter.next()), // signed for another sensor: bad-signature
      tampered, // bad-signature
      altered, // bad-checksum
      signNmea(ttm(7), 'RAD-S', RADAR_SECRET, micros(Date.now() - 60_000)), // stale
      signNmea(ttm(8), 'RAD-S', RADAR_SECRET, micros(Date.now() + 60_000)), // from the future: stale
      signNmea(ttm(9), 'RAD-S', RADAR_SECRET, micros(Date.now() - 3 * 60_000 + 1)), // stale as well
      signNmea(ttm(12), 'RAD-S', RADAR_SECRET, micros(startedAt - 1_000)), // fresh enough, but signed before this core started: replayed
      '\\vn:1,vm:0123*00\\' + ttm(10), // malformed tag block: as before, a TAG block is refused
      signNmea(ttm(11), 'RAD-S', RADAR_SECRET, counter.next()), // accepted
    ];
    socket.write(lines.join(''));
    const s = await settled(key, lines.length);
    assert.equal(s.accepted, 2, JSON.stringify(s));
    assert.deepEqual(s.rejected, { replayed: 2, 'bad-secret': 1, 'bad-signature': 3, 'bad-checksum': 1, stale: 3, 'bad-sentence': 1 });
    const entries = quarantined(key);
    assert.equal(entries.length, 11);
    assert.ok(entries.some((entry) => entry.reason === 'replayed' && /before this core started/.test(entry.detail)));
    // The raw bytes are kept as they came, signature included.
    assert.ok(entries.some((entry) => entry.reason === 'replayed' && entry.raw.toString('latin1') === good.trimEnd()));
    assert.ok(entries.some((entry) => entry.reason === 'bad-secret' && /must be signed/.test(entry.detail)));
    assert.ok(core.picture.tracks.get('RAD-S:2') && core.picture.tracks.get('RAD-S:11'));
    for (const n of [3, 4, 5, 6, 7, 8, 9, 10, 12]) assert.equal(core.picture.tracks.get(`RAD-S:${n}`), undefined, `track ${n} got in`);
  });

  test('NMEA over UDP: a captured datagram replayed from anywhere is refused; reordering within the window is fine', async () => {
    const udp = dgram.createSocket('udp4');
    sockets.push(udp);
    const key = 'nmea/udp/127.0.0.1';
    const before = stats(key);
    const base = (before?.accepted ?? 0) + Object.values(before?.rejected ?? {}).reduce((a, b) => a + b, 0);
    const now = micros();
    const late = signNmea(ttm(20), 'RAD-S', RADAR_SECRET, now + 10);
    const early = signNmea(ttm(21), 'RAD-S', RADAR_SECRET, now + 5); // arrives after a higher counter: still accepted
    const send = (text: string) => new Promise<void>((resolve) => udp.send(text, port('NMEA RAD-S', 'udp'), '127.0.0.1', () => resolve()));
    await send(late);
    await send(early);
    await send(late);
    const s = await settled(key, base + 3);
    assert.equal(s.accepted - (before?.accepted ?? 0), 2);
    assert.equal((s.rejected.replayed ?? 0) - (before?.rejected.replayed ?? 0), 1);
  });

  test('CoT over UDP and TCP: a signed drone report is accepted; unsigned, altered, replayed or doubly signed ones are not', async () => {
    const counter = new MacCounter();
    const signed = signCot(droneHeartbeat(), 'DRN-S', DRONE_SECRET, counter.next());
    const udp = dgram.createSocket('udp4');
    sockets.push(udp);
    // With an XML declaration in front (a mesh datagram): not covered, still valid.
    udp.send(
      `<?xml version="1.0" encoding="UTF-8"?>\n${signCot(droneHeartbeat(), 'DRN-S', DRONE_SECRET, counter.next())}`,
      port('CoT mesh', 'udp'),
      '127.0.0.1',
    );
    await settled('cot/udp/127.0.0.1', 1);
    assert.equal(stats('cot/udp/127.0.0.1')!.accepted, 1, JSON.stringify(stats('cot/udp/127.0.0.1')));

    const { socket, key } = await tcp('CoT stream');
    const twice = signCot(signCot(droneHeartbeat(), 'DRN-S', DRONE_SECRET, counter.next()), 'DRN-S', DRONE_SECRET, counter.next());
    const events = [
      signed, // accepted
      signed, // replayed
      droneHeartbeat(), // bad-secret
      signed.replace('lat="50.77"', 'lat="50.78"'), // altered: bad-signature
      twice, // two auth elements: bad-signature
      signCot(droneHeartbeat(), 'DRN-S', DRONE_SECRET, counter.next()), // accepted
    ];
    socket.write(events.join(''));
    const s = await settled(key, events.length);
    assert.equal(s.accepted, 2, JSON.stringify(s));
    assert.deepEqual(s.rejected, { replayed: 1, 'bad-secret': 1, 'bad-signature': 2 });
    const heartbeats = [...iterateEvents(core.db)].filter((event) => event.kind === 'sensor.heartbeat' && event.source === 'cot:DRN-S');
    assert.equal(heartbeats.length, 3);
  });

  test('JSON lines: signed lines need no hello; unsigned, altered and replayed ones are refused and answered', async () => {
    const { socket, key } = await tcp('JSON lines');
    const replies: string[] = [];
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => replies.push(...chunk.split('\n').filter(Boolean)));
    const counter = new MacCounter();
    const good = signJsonLine(detection('J1'), 'CAM-S', CAMERA_SECRET, counter.next());
    const altered = good.replace('"confidence":0.7', '"confidence":0.9');
    const lines = [
      good, // accepted
      good, // replayed
      detection('J2'), // bad-secret
      altered, // bad-signature
      signJsonLine(detection('J3'), 'CAM-S', 'wrong-secret-0123456789', counter.next()), // bad-signature
      `${JSON.stringify({ ...JSON.parse(detection('J4')), n: counter.next() })}\n`, // n without mac: bad-signature
      // Key order and spacing are free: the MAC covers the canonical form.
      (() => {
        const value = JSON.parse(signJsonLine(detection('J5'), 'CAM-S', CAMERA_SECRET, counter.next())) as Record<string, unknown>;
        const reordered = Object.fromEntries(Object.entries(value).reverse());
        return `${JSON.stringify(reordered, null, 1).replace(/\n/g, ' ')}\n`;
      })(),
    ];
    socket.write(lines.join(''));
    const s = await settled(key, lines.length);
    assert.equal(s.accepted, 2, JSON.stringify(s));
    assert.deepEqual(s.rejected, { replayed: 1, 'bad-secret': 1, 'bad-signature': 3 });
    await until(() => replies.filter((line) => line.includes('"rejected"')).length === 5, 'five refusals answered');
    assert.ok(replies.some((line) => line.includes('"replayed"')));
    // A hello with the secret still binds a connection (sensors configured before signatures existed).
    const bound = await tcp('JSON lines');
    bound.socket.write(`${JSON.stringify({ v: 1, type: 'hello', sensor: 'CAM-S', secret: CAMERA_SECRET })}\n${detection('J6')}`);
    assert.equal((await settled(bound.key, 1)).accepted, 1);
  });

  test('sensors without a secret are unchanged: unsigned messages pass, and a signature is not required', async () => {
    const { socket, key } = await tcp('NMEA RAD-P');
    socket.write(ttm(30) + signNmea(ttm(31), 'RAD-P', 'any-secret-at-all-000', micros()));
    const s = await settled(key, 2);
    assert.equal(s.accepted, 2, JSON.stringify(s));
  });

  test('the simulator signs what a sensor with a secret sends, at send time', async () => {
    const sent: SimMessage[] = [];
    const sink = { send: (message: SimMessage) => void sent.push(message), close: () => Promise.resolve() };
    const signer = signerFor(site, { protocol: 'nmea', id: 'RAD-S' });
    assert.ok(signer);
    assert.equal(signerFor(site, { protocol: 'nmea', id: 'RAD-P' }), undefined);
    const link = new SigningLink(sink, signer);
    link.send({ endpoint: 'nmea:RAD-S', protocol: 'nmea', kind: 'TTM', text: ttm(40) });
    link.send({ endpoint: 'nmea:RAD-S', protocol: 'nmea', kind: 'TTM', text: ttm(41) });
    const { socket, key } = await tcp('NMEA RAD-S');
    socket.write(sent.map((message) => message.text).join(''));
    assert.equal((await settled(key, 2)).accepted, 2);
  });
});

// The feed parse worker (electron/core/feeds/parseWorker): batches read in a
// real worker thread mean what they mean on the main thread, come back in
// order, and a worker that crashes, hangs or is stopped with the core loses
// nothing and holds nothing up — down to a core taking a TCP feed while its
// worker crashes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { startCore } from '../../electron/core/core';
import { iterateEvents } from '../../electron/core/log/eventLog';
import type { Logger } from '../../electron/core/logger';
import { silentLogger } from '../../electron/core/logger';
import { nmeaChecksum } from '../../electron/core/feeds/nmea/parseNmeaSentence';
import { ParsePool } from '../../electron/core/feeds/parseWorker/parsePool';
import { parseFrame, type ParsedFeed, type ParsedFrame } from '../../electron/core/feeds/parseWorker/frameParsing';
import { feedMac } from '../../electron/core/feeds/auth';
import { readSite } from '../../electron/core/site/siteConfig';
import { defaultSiteFile } from '../../electron/core/paths';
import type { Site } from '../../shared/site';
import { tempDataDir, until } from '../helpers';

const site = readSite(defaultSiteFile);
const RADAR = site.listeners.nmea[0]!.sensor;
const NOW = Date.now();

function jsonTrack(i: number): string {
  return `{"v":1,"type":"track","sensor":"${RADAR}","track":"T${i}","lat":50.8${i % 10},"lon":1.3,"course":${i % 360},"speed":4.5,"class":"vessel"}`;
}

function nmea(body: string): string {
  return `$${body}*${nmeaChecksum(body)}`;
}

function cot(i: number): string {
  const time = new Date(NOW).toISOString();
  const stale = new Date(NOW + 600_000).toISOString();
  return `<event version="2.0" uid="${RADAR}.T${i}" type="a-n-S-X-M" time="${time}" start="${time}" stale="${stale}" how="m-r"><point lat="50.8" lon="1.4" hae="0" ce="50" le="9999999"/><detail><link uid="${RADAR}" relation="p-p" type="a-f-G-E-S"/><track course="12" speed="3.5"/></detail></event>`;
}

/** Good and bad frames of each feed, as a TCP framer hands them over. */
const FRAMES: Record<ParsedFeed, Buffer[]> = {
  json: [
    jsonTrack(1),
    '{"v":1,"type":"track"',
    '{"v":2,"type":"heartbeat","sensor":"X"}',
    '{"v":1,"type":"hello","sensor":"CAM-1","secret":"s"}',
    jsonTrack(2),
    '{"v":1,"type":"track","sensor":"RAD-1","track":"T1","lat":95,"lon":1,"class":"vessel"}',
  ].map((line) => Buffer.from(line)),
  nmea: [
    nmea('RATTM,01,2.5,45.0,T,10.0,90.0,T,,,N,V1,T,,,A'),
    '$RATTM,01,2.5,45.0,T,10.0,90.0,T,,,N,V1,T,,,A*00',
    nmea('RATLL,02,5052.00,N,00130.00,E,SB2,,T,'),
    // Signed: the signature's bytes must come back as a Buffer.
    `\\vn:7,vm:${'a'.repeat(32)}*${nmeaChecksum(`vn:7,vm:${'a'.repeat(32)}`)}\\${nmea('RATTM,03,1.0,10.0,T,5.0,10.0,T,,,N,V3,T,,,A')}`,
  ].map((line) => Buffer.from(line, 'latin1')),
  cot: [cot(1), '<event version="2.0"', cot(2)].map((xml) => Buffer.from(xml)),
};

function times(count: number): Float64Array {
  return new Float64Array(count).fill(NOW);
}

/** What the main thread itself makes of the frames. */
function here(feed: ParsedFeed, frames: Buffer[]): ParsedFrame[] {
  return frames.map((frame) => parseFrame(feed, frame, NOW, { site }, feed === 'nmea' ? RADAR : undefined));
}

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { ...silentLogger, errors, error: (line: string) => void errors.push(line) };
}

function submit(pool: ParsePool, feed: ParsedFeed, frames: Buffer[]): Promise<ParsedFrame[]> {
  return new Promise((resolve) => pool.submit(feed, feed === 'nmea' ? RADAR : undefined, frames, times(frames.length), resolve));
}

describe('feed parse worker', () => {
  const pools: ParsePool[] = [];
  after(async () => {
    for (const pool of pools) await pool.close();
  });

  function pool(options: Partial<ConstructorParameters<typeof ParsePool>[0]> = {}): ParsePool {
    const made = new ParsePool({ site, logger: silentLogger, onDrained: () => undefined, ...options });
    pools.push(made);
    return made;
  }

  test('batches read in the worker give exactly what the main thread gives, in the order sent', async () => {
    const parser = pool();
    assert.equal(parser.running, true);
    const order: string[] = [];
    const answers = await Promise.all(
      (['json', 'nmea', 'cot', 'json'] as const).map((feed, i) =>
        submit(parser, feed, FRAMES[feed]).then((results) => {
          order.push(`${feed}${i}`);
          return [feed, results] as const;
        }),
      ),
    );
    assert.deepEqual(order, ['json0', 'nmea1', 'cot2', 'json3']);
    for (const [feed, results] of answers) {
      assert.equal(results.length, FRAMES[feed].length);
      assert.deepEqual(results, here(feed, FRAMES[feed]));
    }
    // Bad input is refused as before, with the same reasons.
    const json = answers[0]![1];
    assert.deepEqual(
      json.map((r) => (r.ok ? ('hello' in r ? 'hello' : 'ok') : r.reason)),
      ['ok', 'bad-json', 'wrong-version', 'hello', 'ok', 'out-of-range'],
    );
    const signed = answers[1]![1][3]!;
    assert.ok(signed.ok && 'auth' in signed && signed.auth?.ok);
    assert.equal(parser.failures, 0);
  });

  test('a signature read in the worker checks as one read on the main thread', async () => {
    const secret = 'worker-secret';
    const sentence = nmea('RATTM,04,1.0,10.0,T,5.0,10.0,T,,,N,V4,T,,,A');
    const tag = `vn:9,vm:${feedMac(secret, 'nmea', RADAR, 9, sentence)}`;
    const frame = Buffer.from(`\\${tag}*${nmeaChecksum(tag)}\\${sentence}`, 'latin1');
    const parser = pool();
    const results: ParsedFrame[] = await new Promise((resolve) => parser.submit('nmea', RADAR, [frame], times(1), (r) => resolve(r)));
    const result = results[0]!;
    assert.ok(result.ok && 'auth' in result && result.auth?.ok);
    assert.equal(feedMac(secret, 'nmea', RADAR, 9, result.auth.payload), tag.slice(tag.indexOf('vm:') + 3));
  });

  test('a worker that crashes is reported; the frames it held are read on the main thread, in order, and a new worker takes over', async () => {
    const logger = recordingLogger();
    const parser = pool({ logger });
    const order: number[] = [];
    parser.crashWorker();
    const applied = (feed: ParsedFeed, mark: number) =>
      new Promise<ParsedFrame[]>((resolve) =>
        parser.submit(feed, feed === 'nmea' ? RADAR : undefined, FRAMES[feed], times(FRAMES[feed].length), (r) => (order.push(mark), resolve(r))),
      );
    const first = applied('json', 1);
    const second = applied('nmea', 2);
    parser.defer(() => order.push(3));
    assert.deepEqual(await first, here('json', FRAMES.json));
    assert.deepEqual(await second, here('nmea', FRAMES.nmea));
    await until(() => order.length === 3, 'the deferred item');
    assert.deepEqual(order, [1, 2, 3]);
    assert.equal(parser.failures, 1);
    assert.match(
      logger.errors.join('\n'),
      /feed parse worker crashed: crash requested \(test\); the \d+ frames it held are parsed on the main thread, in order; starting a new worker/,
    );
    assert.equal(parser.running, true);
    assert.deepEqual(await submit(parser, 'cot', FRAMES.cot), here('cot', FRAMES.cot));
    assert.equal(parser.failures, 1);
  });

  test('a worker that stops answering is taken as hung: its batches are read on the main thread, nothing waits on it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-parseworker-'));
    try {
      // A worker that takes batches and never answers.
      const silent = path.join(dir, 'silent.cjs');
      fs.writeFileSync(silent, "require('node:worker_threads').parentPort.on('message', () => undefined);\n");
      const logger = recordingLogger();
      const parser = pool({ logger, workerFile: silent, stallMs: 300 });
      const results = await submit(parser, 'json', FRAMES.json);
      assert.deepEqual(results, here('json', FRAMES.json));
      assert.ok(parser.failures >= 1);
      assert.match(logger.errors[0]!, /feed parse worker did not answer for \d+ ms; the 6 frames it held are parsed on the main thread/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a worker that cannot start leaves parsing on the main thread', async () => {
    const logger = recordingLogger();
    const parser = pool({ logger, workerFile: path.join(os.tmpdir(), 'no-such-parse-worker.cjs') });
    assert.deepEqual(await submit(parser, 'json', FRAMES.json), here('json', FRAMES.json));
    await until(() => logger.errors.length > 0, 'the report');
  });

  test('close stops the worker and reads what it still held first', async () => {
    const parser = new ParsePool({ site, logger: silentLogger, onDrained: () => undefined });
    let results: ParsedFrame[] | undefined;
    parser.submit('cot', undefined, FRAMES.cot, times(FRAMES.cot.length), (r) => (results = r));
    await parser.close();
    assert.deepEqual(results, here('cot', FRAMES.cot));
    assert.equal(parser.running, false);
    // After close, frames are read here.
    assert.deepEqual(await submit(parser, 'json', FRAMES.json), here('json', FRAMES.json));
  });

  test('a core whose parse worker crashes mid-feed commits every message of a TCP source, in the order sent', async () => {
    const dataDir = tempDataDir();
    const testSite: Site = { ...site, listeners: { ...site.listeners, perSourceRate: 1_000_000 } };
    const siteFile = path.join(dataDir, 'site.json');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(siteFile, JSON.stringify(testSite));
    const logger = recordingLogger();
    const core = await startCore({
      dataDir: path.join(dataDir, 'data'),
      logger,
      siteFile,
      rendererDir: dataDir,
      parseWorker: true,
      feedPorts: {
        cotUdp: 0,
        cotTcp: 0,
        jsonTcp: 0,
        jsonWs: 0,
        nmea: Object.fromEntries(testSite.listeners.nmea.map((l) => [l.sensor, { udp: 0, tcp: 0 }])),
        ais: Object.fromEntries((testSite.listeners.ais ?? []).map((l) => [l.sensor, { udp: 0, tcp: 0 }])),
      },
    });
    try {
      const parser = core.feeds!.parsePool!;
      assert.equal(parser.running, true);
      const port = core.feeds!.listeners.find((l) => l.protocol === 'json' && l.transport === 'tcp')!.port;
      const count = 20_000;
      const socket = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      // Speed carries the sending order: 0.0, 0.1, … (wrapping) with the track number i.
      const line = (i: number) =>
        `{"v":1,"type":"track","sensor":"${RADAR}","track":"S${i}","lat":50.85,"lon":1.4,"speed":${(i % 1000) / 10},"class":"vessel"}\n`;
      for (let i = 0; i < count; i += 500) {
        socket.write(Array.from({ length: Math.min(500, count - i) }, (_, k) => line(i + k)).join(''));
        if (i === 5_000) parser.crashWorker();
        await new Promise((resolve) => setImmediate(resolve));
      }
      socket.end();
      const tracks = () => [...iterateEvents(core.db)].filter((e) => e.kind === 'track.update').map((e) => (JSON.parse(e.payload) as { t: string }).t);
      await until(() => (core.writer.flushNow(), tracks().length >= count), 'every message committed', 30_000);
      const logged = tracks();
      assert.equal(logged.length, count);
      assert.deepEqual(
        logged,
        Array.from({ length: count }, (_, i) => `${RADAR}:S${i}`),
      );
      assert.equal(parser.failures, 1);
      assert.match(logger.errors.join('\n'), /feed parse worker crashed/);
    } finally {
      await core.stop('test done');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

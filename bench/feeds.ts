// Feed ingest benchmark: for each protocol, ≥ 1,000,000 messages sent over a
// real TCP socket by a separate process, each parsed, validated, placed in a
// sector, appended to the hash-chained log and committed. Reports messages/s
// from first receipt to last commit, p50/p99 receipt-to-commit latency, and
// checks that every message is in the log (zero loss).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCore, type RunningCore } from '../electron/core/core';
import type { Site, SiteUplink } from '../shared/site';
import { silentLogger } from '../electron/core/logger';
import { readSite } from '../electron/core/site/siteConfig';
import { defaultSiteFile, projectRoot } from '../electron/core/paths';
import { streamFrame, xmlToTak } from '../electron/core/feeds/tak/takProtocol';

export interface FeedBenchResult {
  protocol: string;
  /** Offered messages/s, or 'max' when the sender ran flat out. */
  offered: number | 'max';
  messages: number;
  committed: number;
  lost: number;
  seconds: number;
  perSecond: number;
  target: number;
  latencyMs: { p50: number; p99: number; max: number };
  blocks: number;
}

const TARGETS: Record<string, number> = { json: 20_000, nmea: 20_000, cot: 10_000, ais: 20_000, 'tak-xml': 10_000, 'tak-proto': 10_000 };

export const FEED_PROTOCOLS = ['json', 'nmea', 'cot', 'ais', 'tak-xml', 'tak-proto'] as const;
export type FeedBenchProtocol = (typeof FEED_PROTOCOLS)[number];

/** The real ATAK-CIV 3.12 self-report of the samples (test/fixtures/feeds/cot/tak-samples), the template of every TAK message. */
const ATAK_SELF_REPORT = path.join(projectRoot, 'test', 'fixtures', 'feeds', 'cot', 'tak-samples', 'fts-a-f-G-U-C-1581185452254.xml');
/** Devices reporting: a busy night's patrols and partners, each unregistered (device.report). */
const TAK_DEVICES = 500;
const TAK_POOL = 20_000;

/**
 * ATAK self-reports from TAK_DEVICES devices moving along the coast, as the
 * stream frames a TCP connection carries: the real sample's XML with its uid,
 * callsign, position, course, speed and times changed, or the same as TAK
 * protocol v1 (0xbf, length, TakMessage — encoded by Vigie's own encoder,
 * which test/feeds/takProtocol.test.ts checks against the samples).
 */
function takPool(protocol: 'tak-xml' | 'tak-proto'): Buffer[] {
  const template = fs.readFileSync(ATAK_SELF_REPORT, 'utf8');
  const now = Date.now();
  const time = new Date(now).toISOString();
  // Valid for the whole run.
  const stale = new Date(now + 3_600_000).toISOString();
  return Array.from({ length: TAK_POOL }, (_, i) => {
    const device = i % TAK_DEVICES;
    const uid = `ANDROID-BENCH${String(device).padStart(4, '0')}`;
    const xml = template
      .replace(/uid='ANDROID-R52JB0CDC4E'/, `uid='${uid}'`)
      .replace(/callsign='corvTab'/, `callsign='BENCH ${device}'`)
      .replace(/Droid='corvTab'/, `Droid='BENCH ${device}'`)
      .replace(/time='[^']*' start='[^']*' stale='[^']*'/, `time='${time}' start='${time}' stale='${stale}'`)
      .replace(
        /lat='[^']*' lon='[^']*'/,
        `lat='${(50.7 + (device % 50) / 100 + (i % 97) / 100_000).toFixed(6)}' lon='${(1.55 + Math.floor(device / 50) / 50).toFixed(6)}'`,
      )
      .replace(/<track speed='[^']*' course='[^']*'\/>/, `<track speed='${((i % 40) / 10).toFixed(1)}' course='${i % 360}.0'/>`);
    return protocol === 'tak-xml' ? Buffer.from(xml) : streamFrame(xmlToTak(xml));
  });
}

/**
 * The demo site written into `dir` with no per-source limit (a flood must
 * reach the pipeline, not the limiter) and hour-long heartbeats (its sensors
 * stay quiet): the site of the feed benches, and its file.
 */
export function writeFloodSite(dir: string): { site: Site; siteFile: string } {
  const site = readSite(defaultSiteFile);
  site.listeners.perSourceRate = 1_000_000_000;
  site.sensors = site.sensors.map((sensor) => ({ ...sensor, heartbeatSeconds: 3600 }));
  const siteFile = path.join(dir, 'site.json');
  fs.writeFileSync(siteFile, JSON.stringify(site));
  return { site, siteFile };
}

/**
 * One protocol over one TCP connection. `rate` 0 offers messages as fast as
 * flow control allows (throughput, with latency then mostly queueing); a rate
 * paces the sender so the latency is what a message sees at that load.
 */
export async function benchFeed(
  protocol: FeedBenchProtocol,
  messages: number,
  rate = 0,
  extra: {
    /** Publish the log to a NATS server meanwhile (bench/federation.ts). */
    uplink?: SiteUplink;
    /** Runs once ingest is measured, before the core stops (the uplink's catch-up). */
    afterIngest?: (core: RunningCore) => Promise<void>;
  } = {},
): Promise<FeedBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-feedbench-'));
  try {
    const { site, siteFile } = writeFloodSite(dir);
    const core = await startCore({
      dataDir: path.join(dir, 'data'),
      logger: silentLogger,
      siteFile,
      rendererDir: dir,
      uplink: extra.uplink,
      // VIGIE_BENCH_PARSE_WORKER=1: TCP frames parsed in the parse worker thread (off by default, as in the core).
      parseWorker: process.env.VIGIE_BENCH_PARSE_WORKER === '1',
      feedPorts: {
        cotUdp: 0,
        cotTcp: 0,
        jsonTcp: 0,
        jsonWs: 0,
        nmea: Object.fromEntries(site.listeners.nmea.map((l) => [l.sensor, { udp: 0, tcp: 0 }])),
        ais: Object.fromEntries((site.listeners.ais ?? []).map((l) => [l.sensor, { udp: 0, tcp: 0 }])),
      },
    });
    const tak = protocol === 'tak-xml' || protocol === 'tak-proto';
    const listener = core.feeds!.listeners.find(
      (l) => l.transport === 'tcp' && (protocol === 'nmea' ? l.sensor === 'RAD-GRISNEZ' : l.protocol === (tak ? 'cot' : protocol)),
    )!;
    // TAK messages are made here, with the project's encoder, and handed to the sender as a file of frames.
    const poolFile = path.join(dir, 'pool.json');
    if (tak) fs.writeFileSync(poolFile, JSON.stringify(takPool(protocol).map((frame) => frame.toString('base64'))));

    const latencies = new Float64Array(messages);
    let committed = 0;
    let blocks = 0;
    let firstCommitAt = 0;
    let lastCommitAt = 0;
    const done = new Promise<void>((resolve) => {
      core.writer.onCommitted((batch, count) => {
        if (firstCommitAt === 0) firstCommitAt = performance.now();
        latencies.set(batch.subarray(0, Math.min(count, messages - committed)), committed);
        committed += count;
        blocks += 1;
        lastCommitAt = performance.now();
        if (committed >= messages) resolve();
      });
    });
    const started = performance.now();
    const sender = spawn(
      process.execPath,
      [path.join(projectRoot, 'bench', 'feedSender.mjs'), protocol, String(listener.port), String(messages), String(rate), ...(tak ? [poolFile] : [])],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const senderCode = await new Promise<number | null>((resolve) => sender.on('exit', resolve));
    if (senderCode !== 0) throw new Error(`${protocol}: the load generator failed (exit ${senderCode})`);
    // Everything is sent; wait (bounded) for the last commit.
    await Promise.race([
      done,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`${protocol}: only ${committed} of ${messages} committed after 120 s`)), 120_000).unref()),
    ]);
    const seconds = (lastCommitAt - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 200));
    core.writer.flushNow();
    await extra.afterIngest?.(core);

    const kind = protocol === 'ais' ? 'ais.position' : tak ? 'device.report' : 'track.update';
    const inLog = (core.db.prepare('SELECT count(*) AS n FROM events e JOIN event_kinds k ON k.id = e.kind WHERE k.name = ?').get(kind) as { n: number }).n;
    const rejected = core.ingest.stats.list().reduce((sum, s) => sum + Object.values(s.rejected).reduce((a, b) => a + b, 0), 0);
    await core.stop('benchmark done');
    if (rejected > 0) throw new Error(`${protocol}: ${rejected} benchmark messages were rejected`);

    const sorted = latencies.subarray(0, Math.min(committed, messages)).sort();
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
    return {
      protocol,
      offered: rate > 0 ? rate : 'max',
      messages,
      committed: inLog,
      lost: messages - inLog,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round(inLog / seconds),
      target: TARGETS[protocol]!,
      latencyMs: { p50: at(0.5), p99: at(0.99), max: Math.round(sorted[sorted.length - 1]! * 10) / 10 },
      blocks,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

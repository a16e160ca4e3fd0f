// Federation benchmark (issue 16 item 8; docs/federation.md): a real
// nats-server on loopback. (1) The post's own ingest with and without its
// uplink, in the same run, alternated: the JSON feed flat out, as in
// bench/feeds.ts, and the ratio of the two — what publishing costs the post.
// (2) The uplink's catch-up after that burst (events/s to the stream).
// (3) Catch-up after an outage, post to centre mirror: a log written while
// NATS was down, then NATS and a centre started, events/s until the mirror
// holds it all.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startCore } from '../electron/core/core';
import { Centre } from '../electron/core/federation/centre';
import { logEvent } from '../electron/core/log/eventCatalogue';
import { silentLogger } from '../electron/core/logger';
import { benchFeed } from './feeds';

const NATS_SERVER = process.env.NATS_SERVER ?? '/usr/sbin/nats-server';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `extra`: more nats-server arguments (-m PORT for its monitoring page…). */
export async function startNats(port: number, storeDir: string, extra: string[] = []): Promise<ChildProcess> {
  const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Server is ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited ${code}: ${out}`)));
  });
  child.stderr!.resume();
  return child;
}

export async function until(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Commit to mirror: each commit's wall time at the post, and the moment the
 * centre's mirror first holds its last seq (polled every millisecond). Post,
 * centre and nats-server share the machine (and post and centre one process).
 */
export async function benchLatency(url: string, dir: string, seconds = Number(process.env.VIGIE_BENCH_LATENCY_SECONDS ?? 30)) {
  const core = await startCore({ dataDir: path.join(dir, 'post'), logger: silentLogger, feeds: false, uplink: { post: 'LATENCY', url } });
  const centre = new Centre({ dir: path.join(dir, 'centre'), logger: silentLogger, url, discoverEveryMs: 100 });
  await centre.start();
  const mirrored = () => centre.status().posts.find((p) => p.post === 'LATENCY')?.lastSeq ?? 0;
  await until(() => mirrored() >= core.log.status().lastSeq, 30_000, 'the centre to follow the latency post');
  const sent: { seq: number; at: number }[] = [];
  const latencies: number[] = [];
  const toStream: number[] = [];
  let k = 0;
  let nextAcked = 0;
  const timer = setInterval(() => {
    const events = [];
    for (let i = 0; i < 12; i++) events.push(logEvent('security.refused', 'core', { reason: 'secret', n: ++k, detail: `latency-${k}` }));
    core.writer.append(events);
    sent.push({ seq: core.log.status().lastSeq, at: performance.now() });
  }, 100);
  const end = performance.now() + seconds * 1000;
  let next = 0;
  while (performance.now() < end || next < sent.length) {
    const held = mirrored();
    const now = performance.now();
    while (next < sent.length && sent[next]!.seq <= held) latencies.push(now - sent[next++]!.at);
    const acked = core.uplink!.status().ackedSeq;
    while (nextAcked < sent.length && sent[nextAcked]!.seq <= acked) toStream.push(now - sent[nextAcked++]!.at);
    if (performance.now() >= end) clearInterval(timer);
    if (performance.now() > end + 30_000) break;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  clearInterval(timer);
  await centre.stop();
  await core.stop('benchmark done');
  const summary = (values: number[]) => {
    const sorted = values.sort((a, b) => a - b);
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
    return { commits: sorted.length, p50: at(0.5), p99: at(0.99), max: Math.round(sorted[sorted.length - 1]! * 10) / 10 };
  };
  return { eventsPerSecond: 120, toStreamAckMs: summary(toStream), toCentreMirrorMs: summary(latencies) };
}

export async function benchFederation(messages = 500_000, outageEvents = 200_000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-fedbench-'));
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  let nats = await startNats(port, path.join(dir, 'nats'));
  try {
    // (1) and (2): alternated, so machine noise falls on both alike.
    const without: number[] = [];
    const withUplink: number[] = [];
    const catchUp: { events: number; seconds: number; perSecond: number }[] = [];
    for (let round = 0; round < 2; round++) {
      process.stderr.write(`bench: json feed without uplink, ${messages.toLocaleString('en-GB')} messages…\n`);
      without.push((await benchFeed('json', messages)).perSecond);
      process.stderr.write(`bench: json feed with the uplink publishing, ${messages.toLocaleString('en-GB')} messages…\n`);
      const post = `BENCH${round}`;
      const result = await benchFeed('json', messages, 0, {
        uplink: { post, url },
        afterIngest: async (core) => {
          const behind = core.uplink!.status().behind;
          const started = performance.now();
          await until(() => core.uplink!.status().behind === 0, 600_000, 'the uplink to catch up');
          const seconds = (performance.now() - started) / 1000;
          catchUp.push({ events: behind, seconds: Math.round(seconds * 10) / 10, perSecond: Math.round(behind / Math.max(seconds, 0.001)) });
        },
      });
      withUplink.push(result.perSecond);
      process.stderr.write(
        `bench: round ${round + 1}: ${without.at(-1)} msg/s without, ${withUplink.at(-1)} with; uplink catch-up ${JSON.stringify(catchUp.at(-1))}\n`,
      );
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

    // (3) An outage: the post logs while NATS is down, then NATS and a centre come up.
    nats.kill('SIGKILL');
    await new Promise((resolve) => nats.once('exit', resolve));
    const postDir = path.join(dir, 'post');
    const core = await startCore({ dataDir: postDir, logger: silentLogger, feeds: false, uplink: { post: 'OUTAGE', url }, uplinkRetryMs: 100 });
    process.stderr.write(`bench: ${outageEvents.toLocaleString('en-GB')} events logged while NATS is down…\n`);
    for (let i = 0; i < outageEvents; i += 500) {
      const events = [];
      for (let k = i; k < i + 500; k++) events.push(logEvent('security.refused', 'core', { reason: 'secret', n: k + 1, detail: `outage-${k}` }));
      core.writer.append(events);
    }
    const target = core.log.status().lastSeq;
    const centre = new Centre({ dir: path.join(dir, 'centre'), logger: silentLogger, url, discoverEveryMs: 100 });
    nats = await startNats(port, path.join(dir, 'nats'));
    const started = performance.now();
    await centre.start();
    // >=: the post logs on meanwhile (silent sensors, signed heads).
    await until(() => (centre.status().posts.find((p) => p.post === 'OUTAGE')?.lastSeq ?? 0) >= target, 600_000, 'the centre mirror to catch up');
    const seconds = (performance.now() - started) / 1000;
    await centre.stop();
    await core.stop('benchmark done');
    // (4) Latency at the demo load: ~120 events/s (100 tracks at 1 Hz, 24 units every 2 s) in commits every 100 ms, post to mirror.
    const latency = await benchLatency(url, path.join(dir, 'latency'));
    return {
      note:
        'ingest: the json feed flat out over TCP (bench/feeds.ts), without and with the uplink publishing to a nats-server on loopback, alternated twice in one run; ' +
        'ratio = mean with ÷ mean without. uplinkCatchUp: events the uplink still had to send when ingest ended, and how fast it sent them. ' +
        'outageCatchUp: a log written while NATS was down, then NATS and a centre (in the same process as the post) started: events/s until the mirror held it all. ' +
        'latency: 12 events committed every 100 ms for 30 s, from each commit at the post to its last event in the centre’s mirror (same process, polled every ms).',
      ingest: { without, with: withUplink, ratio: Math.round((mean(withUplink) / mean(without)) * 1000) / 1000 },
      uplinkCatchUp: catchUp,
      outageCatchUp: { events: target, seconds: Math.round(seconds * 10) / 10, perSecond: Math.round(target / seconds) },
      latency,
    };
  } finally {
    nats.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A cluster node's arguments to nats-server: its own route port, and routes to every other node's (loopback). */
export function clusterRouteArgs(routePorts: readonly number[], i: number): string[] {
  return [
    '--cluster_name',
    'vigie',
    '--cluster',
    `nats://127.0.0.1:${routePorts[i]}`,
    '--routes',
    routePorts
      .filter((_, k) => k !== i)
      .map((p) => `nats://127.0.0.1:${p}`)
      .join(','),
  ];
}

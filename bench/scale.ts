// Past one server (issue 16 item 6; docs/scale.md): four demo posts — real
// `vigie serve --demo` cores, each fed by its own night simulator over its
// feed sockets — uplinking to one nats-server on loopback (or, with
// VIGIE_BENCH_SCALE_NODES=3, a three-node cluster, streams in three copies), with `vigie
// centre` following them, for VIGIE_BENCH_SCALE_SECONDS (60 by default).
// Measured: each post's events/s (counted in its own log), the stream's bytes
// per event (JetStream's count and the store on disk), the server's bytes in
// and out per second (its monitoring page, loopback), event-to-server latency
// (an event's received time at the post to the stream's stored timestamp, both
// this machine's clock), and a fresh centre's catch-up rate over the four
// streams once the posts have stopped. The figures for twenty posts are
// worked out from these in docs/scale.md.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { openDatabase } from '../electron/core/db/database';
import { Centre } from '../electron/core/federation/centre';
import { decodeBlock, decodeEvent, streamName, subjects } from '../electron/core/federation/wire';
import { silentLogger } from '../electron/core/logger';
import { projectRoot } from '../electron/core/paths';
import { clusterRouteArgs, freePort, startNats, until } from './federation';

const POSTS = ['DUNKERQUE', 'CALAIS', 'BOULOGNE', 'BERCK'];
const vigieBin = path.join(projectRoot, 'bin', 'vigie.cjs');

/** A child `vigie` command whose first stdout line is its address; stopped with SIGTERM. */
async function startVigie(args: string[]): Promise<{ child: ChildProcess; firstLine: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [vigieBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4_000)));
  const firstLine = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`vigie ${args[0]} exited ${code}: ${errors}`)));
  });
  child.stdout!.resume();
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  };
  return { child, firstLine, stop };
}

async function varz(monitorPort: number): Promise<{ in_bytes: number; out_bytes: number; in_msgs: number; out_msgs: number }> {
  return (await (await fetch(`http://127.0.0.1:${monitorPort}/varz`)).json()) as { in_bytes: number; out_bytes: number; in_msgs: number; out_msgs: number };
}

function duBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  return total;
}

function percentiles(values: number[]) {
  const sorted = values.sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
  return { events: sorted.length, p50: at(0.5), p99: at(0.99), max: Math.round(sorted[sorted.length - 1]! * 10) / 10 };
}

const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

/**
 * One nats-server, or (nodes = 3) a cluster routed on loopback, each node its
 * own store and monitoring port, ready once it can place a stream on every node.
 */
async function startServers(dir: string, nodes: number) {
  const ports = await Promise.all(Array.from({ length: nodes }, () => freePort()));
  const routePorts = await Promise.all(Array.from({ length: nodes }, () => freePort()));
  const monitorPorts = await Promise.all(Array.from({ length: nodes }, () => freePort()));
  const storeDirs = ports.map((_, i) => path.join(dir, `nats-${i + 1}`));
  const clusterArgs = (i: number) => (nodes === 1 ? [] : ['--server_name', `n${i + 1}`, ...clusterRouteArgs(routePorts, i)]);
  const children = await Promise.all(ports.map((port, i) => startNats(port, storeDirs[i]!, ['-m', String(monitorPorts[i]), ...clusterArgs(i)])));
  const url = ports.map((port) => `nats://127.0.0.1:${port}`).join(',');
  if (nodes > 1) {
    const started = Date.now();
    for (;;) {
      const nc = await connect({ servers: url });
      try {
        const jsm = await jetstreamManager(nc);
        await jsm.streams.add({ name: 'CLUSTER_READY', subjects: ['cluster.ready'], num_replicas: nodes });
        await jsm.streams.delete('CLUSTER_READY');
        break;
      } catch (error) {
        if (Date.now() - started > 60_000) throw new Error(`the cluster is not ready after a minute: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      } finally {
        await nc.close();
      }
    }
  }
  return { children, url, monitorPorts, storeDirs };
}

/** `nodes`: 1, one nats-server; 3, a three-node cluster with the posts' streams in three copies (VIGIE_BENCH_SCALE_NODES). */
export async function benchScale(
  seconds = Number(process.env.VIGIE_BENCH_SCALE_SECONDS ?? 60),
  nodes = Number(process.env.VIGIE_BENCH_SCALE_NODES ?? 1),
  warmUpSeconds = 15,
) {
  if (nodes !== 1 && nodes !== 3) throw new Error(`VIGIE_BENCH_SCALE_NODES is 1 or 3, got ${nodes}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-scalebench-'));
  const servers = await startServers(dir, nodes);
  const { url, monitorPorts } = servers;
  const varzAll = async () => {
    const all = await Promise.all(monitorPorts.map((p) => varz(p)));
    return all.reduce((sum, v) => ({
      in_bytes: sum.in_bytes + v.in_bytes,
      out_bytes: sum.out_bytes + v.out_bytes,
      in_msgs: sum.in_msgs + v.in_msgs,
      out_msgs: sum.out_msgs + v.out_msgs,
    }));
  };
  const running: { stop(): Promise<void> }[] = [];
  try {
    const centreLive = await startVigie(['centre', '--data', path.join(dir, 'centre'), '--nats', url, '--port', '0']);
    running.push(centreLive);
    for (const post of POSTS) {
      process.stderr.write(`bench: post ${post} (vigie serve --demo) uplinking to ${url}…\n`);
      running.push(
        await startVigie([
          'serve',
          '--demo',
          '--data',
          path.join(dir, post),
          '--port',
          '0',
          '--feed-ports',
          'random',
          '--post-name',
          post,
          '--uplink',
          url,
          '--uplink-replicas',
          String(nodes),
        ]),
      );
    }
    const nc = await connect({ servers: url });
    const jsm = await jetstreamManager(nc);
    // Every post has made its stream and is publishing, then the simulators settle into the night.
    for (const post of POSTS) {
      const started = Date.now();
      for (;;) {
        const info = await jsm.streams.info(streamName(post)).catch(() => undefined);
        if (info && info.state.messages > 0) break;
        if (Date.now() - started > 60_000) throw new Error(`post ${post} published nothing within a minute`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    process.stderr.write(`bench: four posts publishing; ${warmUpSeconds} s to settle, then ${seconds} s measured…\n`);
    await new Promise((resolve) => setTimeout(resolve, warmUpSeconds * 1000));
    const loadBefore = load();
    const from = Date.now();
    const varzBefore = await varzAll();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const to = Date.now();
    const varzAfter = await varzAll();
    const loadAfter = load();
    const elapsed = (to - from) / 1000;

    // Stop the posts (and their simulators), then the live centre; what each post logged is what the stream must hold.
    for (const child of running.splice(1)) await child.stop();
    await centreLive.stop();
    running.length = 0;

    const js = jetstream(nc);
    const perPost = [];
    const latencies: number[] = [];
    let totalEvents = 0;
    let totalStreamBytes = 0;
    let totalMessages = 0;
    for (const post of POSTS) {
      const db = openDatabase(path.join(dir, post), { readonly: true });
      const logged = (db.prepare('SELECT count(*) AS n FROM events WHERE time >= ? AND time < ?').get(from, to) as { n: number }).n;
      const lastSeq = (db.prepare('SELECT max(seq) AS seq FROM events').get() as { seq: number }).seq;
      db.close();
      const info = await jsm.streams.info(streamName(post));
      const lastBlock = await jsm.streams.getMessage(streamName(post), { last_by_subj: subjects(post).blocks });
      const published = lastBlock ? decodeBlock(lastBlock.data).lastSeq : 0;
      // Each event's stored time on the server against its received time at the post (events received in the window).
      const consumer = await js.consumers.get(streamName(post));
      const messages = await consumer.consume();
      let read = 0;
      for await (const message of messages) {
        read += 1;
        if (message.subject === subjects(post).events) {
          const event = decodeEvent(message.data);
          if (event.time >= from && event.time < to) latencies.push(Number(message.info.timestampNanos) / 1e6 - event.time);
        }
        if (message.info.pending === 0) break;
      }
      await messages.close();
      totalEvents += lastSeq;
      totalStreamBytes += info.state.bytes;
      totalMessages += read;
      perPost.push({
        post,
        eventsPerSecond: Math.round(logged / elapsed),
        loggedInAll: lastSeq,
        onStream: published,
        streamMessages: info.state.messages,
        streamBytes: info.state.bytes,
        streamBytesPerEvent: Math.round(info.state.bytes / lastSeq),
      });
    }
    const storeBytes = servers.storeDirs.reduce((sum, store) => sum + duBytes(store), 0);

    // A fresh centre catches up with the four streams.
    process.stderr.write(`bench: a fresh centre catching up with the four streams (${totalEvents.toLocaleString('en-GB')} events)…\n`);
    const centre = new Centre({ dir: path.join(dir, 'centre-fresh'), logger: silentLogger, url, discoverEveryMs: 100 });
    const started = performance.now();
    await centre.start();
    const targets = new Map(perPost.map((p) => [p.post, p.onStream]));
    await until(
      () => POSTS.every((post) => (centre.status().posts.find((p) => p.post === post)?.lastSeq ?? 0) >= targets.get(post)!),
      600_000,
      'the fresh centre to catch up',
    );
    const catchUpSeconds = (performance.now() - started) / 1000;
    const caughtUp = POSTS.reduce((sum, post) => sum + targets.get(post)!, 0);
    await centre.stop();
    await nc.close();

    return {
      note:
        'four `vigie serve --demo` posts (each its own night simulator over its feed sockets) uplinking to one nats-server (file store, loopback; or VIGIE_BENCH_SCALE_NODES=3, a three-node cluster with the streams in three copies) with `vigie centre` following, all on this machine; ' +
        'eventsPerSecond: events each post logged in the measured window (its own database); streamBytesPerEvent: JetStream’s byte count for the stream ÷ the post’s events (block messages and headers included); ' +
        'storeBytesPerEvent: the servers’ stores on disk (every node’s) ÷ all events; server bytes/s: the monitoring pages (varz) summed over the nodes, in = the posts’ publishes (and, in a cluster, the copies between nodes), out = to the centre and acknowledgements (and the copies); ' +
        'eventToServerMs: an event’s received time at the post to the stream’s stored timestamp; centreCatchUp: a fresh centre (in the bench process) mirroring all four streams after the posts stopped.',
      servers: nodes,
      replicas: nodes,
      seconds: Math.round(elapsed),
      loadAverage: { before: loadBefore, after: loadAfter },
      posts: perPost,
      totalEventsPerSecond: perPost.reduce((sum, p) => sum + p.eventsPerSecond, 0),
      storeBytes,
      storeBytesPerEvent: Math.round(storeBytes / totalEvents),
      streamBytesPerEvent: Math.round(totalStreamBytes / totalEvents),
      messagesPerEvent: Math.round((totalMessages / totalEvents) * 1000) / 1000,
      server: {
        inBytesPerSecond: Math.round((varzAfter.in_bytes - varzBefore.in_bytes) / elapsed),
        outBytesPerSecond: Math.round((varzAfter.out_bytes - varzBefore.out_bytes) / elapsed),
        inMsgsPerSecond: Math.round((varzAfter.in_msgs - varzBefore.in_msgs) / elapsed),
      },
      eventToServerMs: percentiles(latencies),
      centreCatchUp: { events: caughtUp, seconds: Math.round(catchUpSeconds * 10) / 10, perSecond: Math.round(caughtUp / catchUpSeconds) },
    };
  } finally {
    for (const child of running) await child.stop().catch(() => undefined);
    for (const child of servers.children) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The post's uplink against a real nats-server: the log reaches the stream in
// seq order with its block hashes, each message once under POST:seq; a post
// whose server is down keeps working and catches up when it comes back.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startCore, type RunningCore } from '../../electron/core/core';
import { logEvent } from '../../electron/core/log/eventCatalogue';
import { silentLogger } from '../../electron/core/logger';
import { decodeBlock, decodeEvent, streamName } from '../../electron/core/federation/wire';
import { tempDataDir, until } from '../helpers';
import { NatsServer, freePort, startNats } from './natsServer';
import { after } from 'node:test';

const start = (dataDir: string, url: string, post = 'CALAIS') =>
  startCore({ dataDir, logger: silentLogger, feeds: false, uplink: { post, url }, uplinkRetryMs: 200 });

function appendNotes(core: RunningCore, n: number): void {
  for (let i = 0; i < n; i++) core.writer.append([logEvent('security.refused', 'core', { reason: 'secret', n: i + 1, remote: '127.0.0.1' })]);
}

async function caughtUp(core: RunningCore, timeoutMs = 10_000): Promise<void> {
  await until(() => core.uplink!.status().state === 'connected' && core.uplink!.status().behind === 0, 'the uplink to catch up', timeoutMs);
}

async function readStream(url: string, post: string) {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(streamName(post));
    const events = [];
    const blocks = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(streamName(post), { seq });
      if (!message) continue;
      if (message.subject.endsWith('.events')) events.push({ id: message.header.get('Nats-Msg-Id'), event: decodeEvent(message.data) });
      else blocks.push(decodeBlock(message.data));
    }
    return { events, blocks };
  } finally {
    await nc.close();
  }
}

describe('uplink', () => {
  test('publishes the log in seq order, each event once as POST:seq, with its blocks; the acknowledged seq is kept in the database', async () => {
    const nats = await startNats();
    const core = await start(tempDataDir(), nats.url);
    after(() => core.stop());
    appendNotes(core, 50);
    await caughtUp(core);
    const { events, blocks } = await readStream(nats.url, 'CALAIS');
    const lastSeq = core.log.status().lastSeq;
    assert.deepEqual(
      events.map((e) => e.event.seq),
      Array.from({ length: lastSeq }, (_, i) => i + 1),
    );
    assert.deepEqual(
      events.map((e) => e.id),
      events.map((e) => `CALAIS:${e.event.seq}`),
    );
    assert.equal(blocks.at(-1)!.lastSeq, lastSeq);
    assert.equal(blocks.at(-1)!.hash, core.log.status().headHash);
    const row = core.db.prepare('SELECT post, acked_seq FROM uplink_state').get() as { post: string; acked_seq: number };
    assert.deepEqual(row, { post: 'CALAIS', acked_seq: lastSeq });
  });

  test('a server that is down at start: the post works on, says offline since when, and catches up once it is up', async () => {
    const nats = new NatsServer(await freePort());
    after(async () => {
      await nats.kill();
      fs.rmSync(nats.storeDir, { recursive: true, force: true });
    });
    const core = await start(tempDataDir(), nats.url, 'BOULOGNE');
    after(() => core.stop());
    await until(() => core.uplink!.status().state === 'offline', 'offline');
    const offline = core.uplink!.status();
    assert.equal(offline.problem?.code, 'unreachable');
    appendNotes(core, 200);
    assert.ok(core.uplink!.status().behind >= 200);
    await nats.start();
    await caughtUp(core);
    const { events } = await readStream(nats.url, 'BOULOGNE');
    assert.equal(events.length, core.log.status().lastSeq);
  });

  test('wrong credentials: refused with that reason, the post works on; the right ones publish', async () => {
    const nats = await startNats({ extra: ['--user', 'calais', '--pass', 'the-right-password'] });
    const dataDir = tempDataDir();
    const wrong = await startCore({
      dataDir,
      logger: silentLogger,
      feeds: false,
      uplink: { post: 'CALAIS', url: nats.url, user: 'calais', password: 'a-wrong-password' },
      uplinkRetryMs: 200,
    });
    await until(() => wrong.uplink!.status().problem?.code === 'auth', 'the credentials to be refused');
    assert.equal(wrong.uplink!.status().state, 'refused');
    appendNotes(wrong, 5);
    await wrong.stop();
    const right = await startCore({
      dataDir,
      logger: silentLogger,
      feeds: false,
      uplink: { post: 'CALAIS', url: nats.url, user: 'calais', password: 'the-right-password' },
      uplinkRetryMs: 200,
    });
    after(() => right.stop());
    await caughtUp(right);
  });

  test('a server without JetStream: refused with that reason, the post works on', async () => {
    const nats = await startNats({ jetstream: false });
    const core = await start(tempDataDir(), nats.url, 'BERCK');
    after(() => core.stop());
    await until(() => core.uplink!.status().problem?.code === 'no-jetstream', 'the no-jetstream refusal');
    assert.equal(core.uplink!.status().state, 'refused');
    appendNotes(core, 3);
  });

  test('replicas asked of a server that is not clustered: refused, saying so; the post works on', async () => {
    const nats = await startNats();
    const core = await startCore({ dataDir: tempDataDir(), logger: silentLogger, feeds: false, uplink: { post: 'GRAVELINES', url: nats.url, replicas: 3 } });
    after(() => core.stop());
    await until(() => core.uplink!.status().state === 'refused', 'the refusal');
    assert.match(core.uplink!.status().problem!.detail, /the server is not clustered, so VIGIE_POST_GRAVELINES cannot have 3 copies: set uplink replicas to 1/);
    appendNotes(core, 3);
  });

  test('a stream at its cap refuses what comes next and drops nothing; the cap raised, the post publishes the rest', async () => {
    const nats = await startNats();
    const dataDir = tempDataDir();
    const capped = await startCore({
      dataDir,
      logger: silentLogger,
      feeds: false,
      uplink: { post: 'WIMEREUX', url: nats.url, maxBytes: 1024 ** 2 },
      uplinkRetryMs: 200,
    });
    // About 2 MB of events on the stream, twice the cap.
    for (let i = 0; i < 40; i++)
      capped.writer.append(
        Array.from({ length: 250 }, (_, k) => logEvent('security.refused', 'core', { reason: 'secret', n: i * 250 + k, remote: '127.0.0.1' })),
      );
    await until(() => /VIGIE_POST_WIMEREUX is full/.test(capped.uplink!.status().problem?.detail ?? ''), 'the full stream to be reported', 30_000);
    assert.equal(capped.uplink!.status().state, 'refused');
    assert.ok(capped.uplink!.status().behind > 0);
    const full = await readStream(nats.url, 'WIMEREUX');
    // Nothing dropped: the stream still starts at seq 1, with no hole.
    assert.deepEqual(
      full.events.map((e) => e.event.seq),
      Array.from({ length: full.events.length }, (_, i) => i + 1),
    );
    await capped.stop();
    const raised = await startCore({
      dataDir,
      logger: silentLogger,
      feeds: false,
      uplink: { post: 'WIMEREUX', url: nats.url, maxBytes: 16 * 1024 ** 2 },
      uplinkRetryMs: 200,
    });
    after(() => raised.stop());
    await caughtUp(raised, 30_000);
    const { events } = await readStream(nats.url, 'WIMEREUX');
    assert.deepEqual(
      events.map((e) => e.event.seq),
      Array.from({ length: raised.log.status().lastSeq }, (_, i) => i + 1),
    );
    await raised.stop();

    // A cap below what the stream holds is not applied (the server would delete the oldest messages to meet it): the post publishes on.
    const lowered = await startCore({
      dataDir,
      logger: silentLogger,
      feeds: false,
      uplink: { post: 'WIMEREUX', url: nats.url, maxBytes: 1024 ** 2 },
      uplinkRetryMs: 200,
    });
    after(() => lowered.stop());
    appendNotes(lowered, 10);
    await caughtUp(lowered, 30_000);
    const nc = await connect({ servers: nats.url });
    const info = await (await jetstreamManager(nc)).streams.info(streamName('WIMEREUX'));
    await nc.close();
    assert.equal(info.state.first_seq, 1);
    assert.equal(info.config.max_bytes, 16 * 1024 ** 2);
    assert.equal((await readStream(nats.url, 'WIMEREUX')).events.length, lowered.log.status().lastSeq);
  });
});

// `vigie restore` against a real nats-server: a post's data directory rebuilt
// from its stream exports line for line as the post did, holds the picture
// its log implies, verifies, and publishes on from where it was; a stream
// with a message missing restores nothing and says where.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startCore } from '../../electron/core/core';
import { openDatabase } from '../../electron/core/db/database';
import { logEvent } from '../../electron/core/log/eventCatalogue';
import { silentLogger } from '../../electron/core/logger';
import { projectRoot } from '../../electron/core/paths';
import { streamName } from '../../electron/core/federation/wire';
import { tempDataDir, until } from '../helpers';
import { vigie } from '../faults/harness';
import { startNats } from './natsServer';

const built = fs.existsSync(path.join(projectRoot, 'dist', 'cli', 'vigie.cjs'));

const startPost = (dataDir: string, url: string, post: string) =>
  startCore({ dataDir, logger: silentLogger, feeds: false, uplink: { post, url }, uplinkRetryMs: 200 });

function pictureTables(dataDir: string): Record<string, unknown[]> {
  const db = openDatabase(dataDir, { readonly: true });
  try {
    const out: Record<string, unknown[]> = {};
    for (const table of ['sectors', 'sensors', 'units', 'shifts']) out[table] = db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all();
    return out;
  } finally {
    db.close();
  }
}

describe('vigie restore', { skip: built ? false : 'run npm run build first (the test runs the vigie command)' }, () => {
  test('rebuilds a lost post from its stream: the same export, the same picture, verified; the restored post publishes on', async () => {
    const nats = await startNats();
    const postDir = tempDataDir();
    const post = await startPost(postDir, nats.url, 'SANGATTE');
    for (let i = 0; i < 40; i++)
      post.writer.append([
        logEvent('security.refused', 'core', { reason: 'secret', n: i + 1 }),
        logEvent('security.refused', 'core', { reason: 'host', n: i + 1 }),
      ]);
    await until(() => post.uplink!.status().state === 'connected' && post.uplink!.status().behind === 0, 'the post to publish everything', 10_000);
    const exported = await vigie(['export', '--data', postDir]);
    const tables = pictureTables(postDir);
    const lastSeq = post.log.status().lastSeq;
    await post.stop();

    // The post's disk is lost; restore into a new folder.
    const restoredDir = tempDataDir();
    const restored = await vigie(['restore', '--nats', nats.url, '--post', 'SANGATTE', '--data', restoredDir]);
    assert.equal(restored.status, 0, restored.stderr);
    assert.match(restored.stdout, new RegExp(`^ok: restored post SANGATTE: ${lastSeq} events in \\d+ blocks, verified; head [0-9a-f]{64}`));
    assert.match(restored.stderr, /the accounts .* and the signing key/);
    assert.equal((await vigie(['export', '--data', restoredDir])).stdout, exported.stdout);
    assert.deepEqual(pictureTables(restoredDir), tables);
    assert.equal((await vigie(['verify', '--data', restoredDir])).status, 0);

    // A second restore into it is refused: it holds a database now.
    const again = await vigie(['restore', '--nats', nats.url, '--post', 'SANGATTE', '--data', restoredDir]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already holds a Vigie database/);

    // The restored post takes up its uplink where the stream is: no conflict, its new events published.
    const back = await startPost(restoredDir, nats.url, 'SANGATTE');
    after(() => back.stop());
    back.writer.append([logEvent('security.refused', 'core', { reason: 'origin', n: 1 })]);
    await until(() => back.uplink!.status().state === 'connected' && back.uplink!.status().behind === 0, 'the restored post to publish on', 10_000);
  });

  test('a stream with an event missing restores nothing, and says where', async () => {
    const nats = await startNats();
    const post = await startPost(tempDataDir(), nats.url, 'AMBLETEUSE');
    for (let i = 0; i < 20; i++) post.writer.append([logEvent('security.refused', 'core', { reason: 'secret', n: i + 1 })]);
    await until(() => post.uplink!.status().behind === 0 && post.uplink!.status().state === 'connected', 'published', 10_000);
    await post.stop();
    const nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.deleteMessage(streamName('AMBLETEUSE'), 7);
    await nc.close();
    const dir = tempDataDir();
    const result = await vigie(['restore', '--nats', nats.url, '--post', 'AMBLETEUSE', '--data', dir]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /does not check out: gap at seq \d+/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});

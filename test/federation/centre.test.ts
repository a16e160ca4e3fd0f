// The centre against real nats-server processes, with posts as in-process
// cores and `vigie centre` as the command users run (build first): each post's
// log mirrored and checked as it arrives, `vigie export --post` line for line
// the post's own export, `vigie verify` a line per post; and the faults —
// NATS SIGKILLed mid-publish and restarted on its store, duplicates, a mirror
// edited at the centre, a fork, a message that is not Vigie's, a stream
// deleted on the server, two posts under one name. And the centre's picture
// of each post: its mirror projected as it arrives, as the post projects it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import fs from 'node:fs';
import { connect, headers } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { POST_HEADER, encodeEvent, streamName, subjects } from '../../electron/core/federation/wire';
import { CENTRE_CONSUMER, Centre, mirrorDir, type PostState } from '../../electron/core/federation/centre';
import { openDatabase, type Db } from '../../electron/core/db/database';
import { shiftBlocks } from '../../bench/shiftLog';
import { silentLogger } from '../../electron/core/logger';
import { editFileBytes, tempDataDir, until } from '../helpers';
import { vigie } from '../faults/harness';
import { NatsServer, freePort, startNats } from './natsServer';
import { appendEvents, assertMirrorExport, built, mirrored, startCentre, startPost } from './centreHarness';

async function natsClient(nats: NatsServer) {
  const nc = await connect({ servers: nats.url });
  after(() => nc.close());
  return { nc, js: jetstream(nc), jsm: await jetstreamManager(nc) };
}

describe('centre', { skip: built ? false : 'run npm run build first (the test runs the vigie command)' }, () => {
  test('two posts mirrored as they publish: export --post is the post’s export line for line, verify says ok per post; an edited mirror is found', async () => {
    const nats = await startNats();
    const centreDir = tempDataDir();
    const centre = await startCentre(centreDir, nats.url);
    const calaisDir = tempDataDir();
    const boulogneDir = tempDataDir();
    const calais = await startPost(calaisDir, nats.url, 'CALAIS');
    after(() => calais.stop());
    const boulogne = await startPost(boulogneDir, nats.url, 'BOULOGNE');
    after(() => boulogne.stop());
    appendEvents(calais, 300, 1);
    appendEvents(boulogne, 3000, 250);
    await mirrored(centre, 'CALAIS', calais);
    await mirrored(centre, 'BOULOGNE', boulogne);
    await assertMirrorExport(centre, centreDir, 'CALAIS', calais, calaisDir);
    await assertMirrorExport(centre, centreDir, 'BOULOGNE', boulogne, boulogneDir);

    const verified = await vigie(['verify', '--data', centreDir]);
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    const lines = verified.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(
      lines[0]!,
      new RegExp(`^BOULOGNE: ok: ${boulogne.log.status().lastSeq} events in \\d+ blocks checked; head ${boulogne.log.status().headHash}$`),
    );
    assert.match(lines[1]!, new RegExp(`^CALAIS: ok: ${calais.log.status().lastSeq} events in \\d+ blocks checked; head ${calais.log.status().headHash}$`));

    // Someone edits the mirror at the centre: verify names the post and the event.
    await centre.stop();
    editFileBytes(path.join(centreDir, 'posts', 'CALAIS', 'vigie.sqlite'), 'mark-123"', 'MARK-123"');
    const broken = await vigie(['verify', '--data', centreDir]);
    assert.equal(broken.status, 1);
    assert.match(broken.stdout, /^BOULOGNE: ok: /m);
    assert.match(broken.stdout, /^CALAIS: BROKEN at seq \d+: event \d+ does not match its recorded hash/m);
  });

  test('NATS SIGKILLed mid-publish and restarted on its store: the post catches up, the mirror is whole, nothing twice', async () => {
    const nats = await startNats();
    const centreDir = tempDataDir();
    const centre = await startCentre(centreDir, nats.url);
    const postDir = tempDataDir();
    const post = await startPost(postDir, nats.url, 'DUNKERQUE');
    after(() => post.stop());
    appendEvents(post, 20_000, 500);
    await until(() => post.uplink!.status().ackedSeq > 0 && post.uplink!.status().behind > 0, 'publishing under way');
    await nats.kill('SIGKILL');
    // The post works on while the server is down.
    appendEvents(post, 2_000, 100, 'while-down');
    await until(() => post.uplink!.status().state === 'offline', 'the uplink to say offline');
    await nats.start();
    await mirrored(centre, 'DUNKERQUE', post, 60_000);
    await assertMirrorExport(centre, centreDir, 'DUNKERQUE', post, postDir);
    const state = (await centre.post('DUNKERQUE'))!;
    assert.equal(state.problem, null);
  });

  test('a post offline for the whole run catches up once NATS is there, even restarted mid-catch-up', async () => {
    const nats = new NatsServer(await freePort());
    after(async () => {
      await nats.kill();
      fs.rmSync(nats.storeDir, { recursive: true, force: true });
    });
    const postDir = tempDataDir();
    let post = await startPost(postDir, nats.url, 'OYE');
    appendEvents(post, 50_000, 500);
    await until(() => post.uplink!.status().state === 'offline', 'offline');
    assert.ok(post.uplink!.status().behind >= 50_000);
    await nats.start();
    const centreDir = tempDataDir();
    const centre = await startCentre(centreDir, nats.url);
    await until(() => post.uplink!.status().ackedSeq > 0, 'catch-up under way', 20_000);
    assert.ok(post.uplink!.status().behind > 0, 'still catching up when the post stops');
    // Restarted mid-catch-up: the next run takes up from what the stream holds.
    await post.stop();
    post = await startPost(postDir, nats.url, 'OYE');
    after(() => post.stop());
    await mirrored(centre, 'OYE', post, 60_000);
    await assertMirrorExport(centre, centreDir, 'OYE', post, postDir);
    assert.equal((await centre.post('OYE'))!.problem, null);
  });

  test('messages the consumer delivered that never reached the centre (lost in flight, as when a server dies) are read from the stream, not called a gap', async () => {
    const nats = await startNats();
    const centreDir = tempDataDir();
    let centre = await startCentre(centreDir, nats.url);
    const postDir = tempDataDir();
    const post = await startPost(postDir, nats.url, 'WISSANT');
    after(() => post.stop());
    appendEvents(post, 300, 10);
    await mirrored(centre, 'WISSANT', post);
    await centre.stop();

    // While the centre is away, its consumer hands 200 messages to a client that never acknowledges them:
    // delivered once, and not again before the ack wait (hours).
    appendEvents(post, 500, 10, 'later');
    await until(() => post.uplink!.status().behind === 0, 'the post to publish');
    const { js } = await natsClient(nats);
    const consumer = await js.consumers.get(streamName('WISSANT'), CENTRE_CONSUMER);
    let lost = 0;
    for await (const message of await consumer.fetch({ max_messages: 200, expires: 2_000 })) {
      assert.ok(message.seq > 0);
      if (++lost === 200) break;
    }
    assert.equal(lost, 200);

    centre = await startCentre(centreDir, nats.url);
    await mirrored(centre, 'WISSANT', post);
    await assertMirrorExport(centre, centreDir, 'WISSANT', post, postDir);
    assert.equal((await centre.post('WISSANT'))!.problem, null);
  });

  test('duplicates and a message that is not Vigie’s are passed over; a different event under a mirrored seq is a fork, reported by verify', async () => {
    const nats = await startNats();
    const centreDir = tempDataDir();
    const centre = await startCentre(centreDir, nats.url);
    const post = await startPost(tempDataDir(), nats.url, 'BERCK');
    after(() => post.stop());
    appendEvents(post, 100, 10);
    await mirrored(centre, 'BERCK', post);
    const { js } = await natsClient(nats);
    const s = subjects('BERCK');
    // Not Vigie's: counted and left alone; the mirror goes on.
    await js.publish(s.events, 'hello from a stray client');
    await js.publish('vigie.post.BERCK.other', '{}');
    // A duplicate of a mirrored event published again (past any dedupe window, as a restarted post may): recognised as held.
    const { iterateStoredRows } = await import('../../electron/core/log/eventLog');
    const five = [...iterateStoredRows(post.db)].find((event) => event.payload.includes('mark-'))!;
    const h = headers();
    h.set(POST_HEADER, 'BERCK');
    await js.publish(s.events, encodeEvent(five), { headers: h });
    appendEvents(post, 50, 5, 'after-stray');
    await mirrored(centre, 'BERCK', post);
    const state = (await centre.post('BERCK'))!;
    assert.equal(state.foreign.count, 2);
    assert.equal(state.problem, null);

    // A fork: another event of that seq under the post's name.
    const forged = { ...five, payload: five.payload.replace('mark-', 'fork-'), packed: null };
    const f = headers();
    f.set(POST_HEADER, 'BERCK');
    await js.publish(s.events, encodeEvent(forged), { headers: f });
    let forked: PostState | undefined;
    await until(() => {
      void centre.post('BERCK').then((p) => (forked = p));
      return forked?.problem;
    }, 'the fork');
    assert.equal(forked!.problem!.kind, 'fork');
    assert.equal(forked!.problem!.seq, five.seq);
    assert.equal(forked!.state, 'stopped');
    await centre.stop();
    const verified = await vigie(['verify', '--data', centreDir]);
    assert.equal(verified.status, 1);
    assert.match(verified.stdout, new RegExp(`^BERCK: FORK at seq ${five.seq}: event ${five.seq} on the stream differs`, 'm'));
  });

  test('a stream deleted on the server: the post publishes its log again, the centre follows the new stream without a second copy', async () => {
    const nats = await startNats();
    const centreDir = tempDataDir();
    const centre = await startCentre(centreDir, nats.url);
    const postDir = tempDataDir();
    const post = await startPost(postDir, nats.url, 'GRAVELINES');
    after(() => post.stop());
    appendEvents(post, 500, 50);
    await mirrored(centre, 'GRAVELINES', post);
    const { jsm } = await natsClient(nats);
    await jsm.streams.delete(streamName('GRAVELINES'));
    appendEvents(post, 100, 10, 'after-delete');
    await mirrored(centre, 'GRAVELINES', post, 30_000);
    await assertMirrorExport(centre, centreDir, 'GRAVELINES', post, postDir);
    const info = await jsm.streams.info(streamName('GRAVELINES'));
    assert.ok(info.state.messages > post.log.status().lastSeq, 'the whole log was published again to the new stream');
    assert.equal((await centre.post('GRAVELINES'))!.problem, null);
  });

  test('two posts claiming one name: the second is refused with the reason and works on; the first is not disturbed', async () => {
    const nats = await startNats();
    const first = await startPost(tempDataDir(), nats.url, 'WISSANT');
    after(() => first.stop());
    appendEvents(first, 20, 1);
    await until(() => first.uplink!.status().behind === 0 && first.uplink!.status().state === 'connected', 'the first post to publish');
    const second = await startPost(tempDataDir(), nats.url, 'WISSANT');
    after(() => second.stop());
    await until(() => second.uplink!.status().state === 'refused', 'the second post to be refused');
    assert.match(second.uplink!.status().problem!.code, /name-claimed|stream-ahead/);
    appendEvents(second, 5, 1);
    appendEvents(first, 5, 1);
    await until(() => first.uplink!.status().behind === 0, 'the first post to go on publishing');
  });

  test('an unreachable server or one without JetStream at the centre’s start: a clear error, exit 2', async () => {
    const dir = tempDataDir();
    const unreachable = await vigie(['centre', '--data', dir, '--nats', 'nats://127.0.0.1:1']);
    assert.equal(unreachable.status, 2);
    assert.match(unreachable.stderr, /cannot follow the posts at nats:\/\/127\.0\.0\.1:1: the server cannot be reached/);
    const plain = await startNats({ jetstream: false });
    const noJs = await vigie(['centre', '--data', dir, '--nats', plain.url]);
    assert.equal(noJs.status, 2);
    assert.match(noJs.stderr, /the server has no JetStream/);
  });
});

/** The picture's tables as rows, for comparing a post with the centre's mirror of it (snapshots left out: their spacing follows commits). */
function pictureTables(db: Db): Record<string, unknown[]> {
  const tables = ['sectors', 'sensors', 'units', 'tracks', 'alerts', 'incidents', 'assignments', 'incident_notes', 'shifts', 'vessels'];
  return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()]));
}

describe('the centre’s picture of each post', () => {
  test('a mirror projects its post’s picture as its blocks arrive: units, tracks, open incidents as at the post; a mirror made before projections is projected when opened', async () => {
    const nats = await startNats();
    const centreDir = tempDataDir();
    const centre = new Centre({ dir: centreDir, url: nats.url, logger: silentLogger, discoverEveryMs: 100 });
    await centre.start();
    let stopped = false;
    after(() => (stopped ? undefined : centre.stop()));
    const calais = await startPost(tempDataDir(), nats.url, 'CALAIS');
    after(() => calais.stop());
    const changed = new Set<string>();
    centre.onPictureChange((post, delta) => {
      for (const unit of delta.units) changed.add(`${post}/${unit.id}`);
    });
    // A generated night (bench/shiftLog.ts): 24 units, ~100 tracks, two alerts made incidents with a unit dispatched.
    for (const block of shiftBlocks(20_000, 300)) calais.writer.append(block);
    await until(() => centre.pictureOf('CALAIS')?.state.lastSeq === calais.log.status().lastSeq, 'the centre to mirror CALAIS', 60_000);
    assert.deepEqual(centre.postNames(), ['CALAIS']);
    const there = centre.pictureOf('CALAIS')!;
    const here = calais.picture.snapshot();
    const seen = there.picture.snapshot();
    assert.equal(seen.units.length, 24);
    assert.ok(seen.tracks.length > 50, `${seen.tracks.length} tracks`);
    assert.equal(seen.incidents.length, 2);
    assert.deepEqual(seen.units, here.units);
    assert.deepEqual(
      seen.tracks.sort((a, b) => a.id.localeCompare(b.id)),
      here.tracks.sort((a, b) => a.id.localeCompare(b.id)),
    );
    assert.deepEqual(seen.incidents, here.incidents);
    assert.deepEqual(pictureTables(there.db), pictureTables(calais.db));
    assert.ok(changed.has('CALAIS/U01'), 'listeners hear of the units that moved');
    const expected = pictureTables(calais.db);

    // A mirror as the centre made it before it projected: the log alone.
    await centre.stop();
    stopped = true;
    const db = openDatabase(mirrorDir(centreDir, 'CALAIS'));
    for (const table of [...Object.keys(expected), 'picture_snapshots', 'field_devices', 'field_points', 'chat_messages'])
      db.prepare(`DELETE FROM ${table}`).run();
    db.exec('DROP TABLE centre_projected');
    db.close();
    const reopened = new Centre({ dir: centreDir, url: nats.url, logger: silentLogger });
    after(() => reopened.stop());
    const again = reopened.pictureOf('CALAIS')!;
    assert.deepEqual(pictureTables(again.db), expected);
    assert.deepEqual(again.picture.snapshot().units, here.units);
    assert.equal(again.picture.snapshot().incidents.length, 2);
  });
});

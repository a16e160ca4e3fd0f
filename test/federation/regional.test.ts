// The regional picture and the centre's messages (issue 16 item 3;
// docs/federation.md), against a real nats-server with posts as in-process
// cores and an in-process centre: both posts' pictures at the centre, each
// labelled with its post; "request assistance" logged at the centre and at
// the post, acknowledged there and seen so at the centre; a post offline when
// it was sent gets it when it is back; a message that is not the centre's is
// refused at the post, said so, and harms nothing.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { shiftBlocks } from '../../bench/shiftLog';
import { startCore, type RunningCore } from '../../electron/core/core';
import { Centre, CentreMessageError } from '../../electron/core/federation/centre';
import { centrePicture } from '../../electron/core/federation/centreServer';
import { centreSubject } from '../../electron/core/federation/wire';
import { readEvents } from '../../electron/core/log/eventLog';
import { silentLogger, type Logger } from '../../electron/core/logger';
import { apiHeaders, tempDataDir, until } from '../helpers';
import { startNats } from './natsServer';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warnings, warn: (line: string) => void warnings.push(line) };
}

const startPost = (dataDir: string, url: string, post: string, logger: Logger = silentLogger) =>
  startCore({ dataDir, logger, feeds: false, uplink: { post, url }, uplinkRetryMs: 200 });

const centreMessagesAt = (core: RunningCore) => readEvents(core.db).filter((event) => event.kind === 'centre.message');

async function acknowledge(core: RunningCore, m: string): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${core.port}/api/uplink.acknowledgeMessage`, {
    method: 'POST',
    headers: await apiHeaders(core),
    body: JSON.stringify({ m }),
  });
  return response.json();
}

describe('the regional picture and the centre’s messages', () => {
  test('two posts’ pictures at the centre; request assistance logged at both, acknowledged at the post and seen so at the centre; a post offline gets it later; a malformed message is refused', async () => {
    const nats = await startNats();
    const centre = new Centre({ dir: tempDataDir(), url: nats.url, logger: silentLogger, discoverEveryMs: 100 });
    await centre.start();
    after(() => centre.stop());
    const calaisLogger = recordingLogger();
    const calais = await startPost(tempDataDir(), nats.url, 'CALAIS', calaisLogger);
    after(() => calais.stop());
    const boulogneDir = tempDataDir();
    let boulogne = await startPost(boulogneDir, nats.url, 'BOULOGNE');
    after(() => boulogne.stop());
    for (const block of shiftBlocks(3_000, 60)) calais.writer.append(block);
    for (const block of shiftBlocks(2_000, 40)) boulogne.writer.append(block);

    // The picture: both posts, each with its own units and tracks.
    await until(
      () =>
        centre.pictureOf('CALAIS')?.state.lastSeq === calais.log.status().lastSeq &&
        centre.pictureOf('BOULOGNE')?.state.lastSeq === boulogne.log.status().lastSeq,
      'both posts mirrored',
      30_000,
    );
    const picture = centrePicture(centre);
    assert.deepEqual(
      picture.posts.map((p) => p.post),
      ['BOULOGNE', 'CALAIS'],
    );
    for (const post of picture.posts) {
      assert.equal(post.mirror.state, 'following');
      assert.equal(post.units.length, 24, `${post.post} units`);
      assert.ok(post.tracks.length >= 10, `${post.post}: ${post.tracks.length} tracks`);
      assert.ok(post.sectors.length > 10, `${post.post} sectors`);
    }

    // Request assistance: logged at the centre, then at the post; acknowledged there; the centre sees both in the post's mirror.
    const sent = await centre.sendMessage('CALAIS', '  Request assistance: a boat towards S05, ours are committed  ');
    assert.equal(sent.text, 'Request assistance: a boat towards S05, ours are committed');
    assert.deepEqual(
      centre.messages().map((m) => [m.m, m.post, m.received]),
      [[sent.m, 'CALAIS', null]],
    );
    await until(() => centreMessagesAt(calais).length === 1, 'CALAIS logs the message', 15_000);
    const logged = JSON.parse(centreMessagesAt(calais)[0]!.payload) as { m: string; post: string; text: string };
    assert.deepEqual([logged.m, logged.post, logged.text], [sent.m, 'CALAIS', sent.text]);
    assert.deepEqual(await acknowledge(calais, sent.m), { ok: true, result: { acknowledged: true } });
    await until(() => centre.messages()[0]?.acknowledged, 'the centre to see the acknowledgement', 15_000);
    const seen = centre.messages()[0]!;
    assert.ok(seen.received !== null);
    assert.equal(seen.acknowledged!.by, 'tester');
    assert.equal(readEvents(calais.db).filter((e) => e.kind === 'centre.message.acknowledged').length, 1);

    // A post offline when it is sent gets it when it is back, once.
    await boulogne.stop();
    const later = await centre.sendMessage('BOULOGNE', 'Your radar feed has been silent at the centre for 10 minutes');
    boulogne = await startPost(boulogneDir, nats.url, 'BOULOGNE');
    await until(() => centreMessagesAt(boulogne).length === 1, 'BOULOGNE logs the message sent while it was down', 15_000);
    assert.equal((JSON.parse(centreMessagesAt(boulogne)[0]!.payload) as { m: string }).m, later.m);
    await until(() => centre.messages().find((m) => m.m === later.m)?.received, 'the centre to see BOULOGNE received it', 15_000);

    // Bad input at the centre: a clear error, nothing sent or logged.
    await assert.rejects(centre.sendMessage('CALAIS', '   '), CentreMessageError);
    await assert.rejects(centre.sendMessage('not a post!', 'hello'), CentreMessageError);
    assert.equal(centre.messages().length, 2);

    // Not the centre's message on CALAIS's subject: refused at the post, said so, not logged; the next good one gets through.
    const nc = await connect({ servers: nats.url });
    after(() => nc.close());
    const js = jetstream(nc);
    await js.publish(centreSubject('CALAIS'), new TextEncoder().encode('{"v":1,"text":"no id, no post"}'));
    await js.publish(centreSubject('CALAIS'), new TextEncoder().encode('not json at all'));
    await until(() => calaisLogger.warnings.filter((w) => w.includes('refused, not logged')).length === 2, 'CALAIS to refuse both', 15_000);
    assert.match(
      calaisLogger.warnings.find((w) => w.includes('refused, not logged'))!,
      /not a Vigie centre message/,
    );
    const next = await centre.sendMessage('CALAIS', 'Stand down, Boulogne has it');
    await until(() => centreMessagesAt(calais).length === 2, 'CALAIS logs the next message', 15_000);
    assert.equal((JSON.parse(centreMessagesAt(calais)[1]!.payload) as { m: string }).m, next.m);
  });
});

// Past one server (docs/scale.md): a three-node nats-server cluster, each node
// its own store, the posts' streams replicated three times. The node leading a
// post's stream is SIGKILLed mid-publish; the post publishes on through the
// two left (a new leader), the killed node comes back and catches up, and the
// centre's mirror ends whole: `vigie export --post` is the post's export line
// for line. A post whose stream had one copy is brought to three.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { streamName } from '../../electron/core/federation/wire';
import { tempDataDir, until } from '../helpers';
import { vigie } from '../faults/harness';
import { startNatsCluster, type NatsCluster } from './natsServer';
import { appendEvents, assertMirrorExport, built, mirrored, startCentre, startPost } from './centreHarness';

/** Polls the stream's placement until `probe` accepts it (a placement query can fail while the cluster elects a leader). */
async function placement(cluster: NatsCluster, post: string, probe: (p: Awaited<ReturnType<NatsCluster['streamPlacement']>>) => boolean, what: string) {
  let last: Awaited<ReturnType<NatsCluster['streamPlacement']>> | undefined;
  let failure = '';
  await until(
    async () => {
      try {
        last = await cluster.streamPlacement(streamName(post));
        return probe(last);
      } catch (error) {
        failure = (error as Error).message;
        return false;
      }
    },
    what,
    45_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen ${JSON.stringify(last)}; ${failure}`);
  });
  return last!;
}

describe('cluster', { skip: built ? false : 'run npm run build first (the test runs the vigie command)' }, () => {
  test('three nodes, streams in three copies: the stream’s leader SIGKILLed mid-publish and restarted; nothing lost, the mirror is the post’s log', async () => {
    const cluster = await startNatsCluster(3);
    const centreDir = tempDataDir();
    const centre = await startCentre(centreDir, cluster.url);

    // CALAIS asks for three copies from the start.
    const calaisDir = tempDataDir();
    const calais = await startPost(calaisDir, cluster.url, 'CALAIS', { replicas: 3 });
    after(() => calais.stop());
    appendEvents(calais, 2_000, 100);
    await until(() => calais.uplink!.status().state === 'connected' && calais.uplink!.status().behind === 0, 'CALAIS to publish', 30_000);
    const before = await placement(cluster, 'CALAIS', (p) => p.leader !== '' && p.replicas.length === 2, 'CALAIS’s stream on three nodes');

    // BOULOGNE's stream was made with one copy (no setting); started again with replicas 3, the post brings it to three.
    const boulogneDir = tempDataDir();
    let boulogne = await startPost(boulogneDir, cluster.url, 'BOULOGNE');
    appendEvents(boulogne, 500, 50);
    await until(() => boulogne.uplink!.status().state === 'connected' && boulogne.uplink!.status().behind === 0, 'BOULOGNE to publish', 30_000);
    assert.equal((await cluster.streamPlacement(streamName('BOULOGNE'))).replicas.length, 0);
    await boulogne.stop();
    boulogne = await startPost(boulogneDir, cluster.url, 'BOULOGNE', { replicas: 3 });
    after(() => boulogne.stop());
    await placement(
      cluster,
      'BOULOGNE',
      (p) => p.replicas.length === 2 && p.replicas.every((r) => r.current),
      'BOULOGNE’s stream in three copies, all current',
    );

    // The node leading CALAIS's stream dies mid-publish; both posts log on meanwhile.
    appendEvents(calais, 20_000, 500, 'during');
    await until(() => calais.uplink!.status().ackedSeq > 2_000 && calais.uplink!.status().behind > 0, 'publishing under way');
    const killed = cluster.node(before.leader);
    await killed.kill('SIGKILL');
    appendEvents(calais, 2_000, 20, 'leaderless');
    appendEvents(boulogne, 2_000, 20, 'leaderless');
    const during = await placement(cluster, 'CALAIS', (p) => p.leader !== '' && p.leader !== before.leader, 'a new leader for CALAIS’s stream');
    assert.notEqual(during.leader, killed.name);
    // Two of three copies are a quorum: the posts publish on without the dead node.
    await until(
      () => calais.uplink!.status().behind === 0 && calais.uplink!.status().state === 'connected',
      'CALAIS to publish through the two nodes left',
      60_000,
    );
    await until(() => boulogne.uplink!.status().behind === 0 && boulogne.uplink!.status().state === 'connected', 'BOULOGNE to publish on', 60_000);

    // The dead node comes back on its store and catches up with what it missed.
    await killed.start();
    appendEvents(calais, 1_000, 10, 'after');
    appendEvents(boulogne, 1_000, 10, 'after');
    await placement(
      cluster,
      'CALAIS',
      (p) => p.replicas.length === 2 && p.replicas.every((r) => r.current) && [p.leader, ...p.replicas.map((r) => r.name)].includes(killed.name!),
      'the restarted node current again',
    );

    await mirrored(centre, 'CALAIS', calais, 60_000);
    await mirrored(centre, 'BOULOGNE', boulogne, 60_000);
    await assertMirrorExport(centre, centreDir, 'CALAIS', calais, calaisDir);
    await assertMirrorExport(centre, centreDir, 'BOULOGNE', boulogne, boulogneDir);
    for (const post of ['CALAIS', 'BOULOGNE']) assert.equal((await centre.post(post))!.problem, null, `${post}; the centre's stderr:\n${centre.stderr()}`);
    await centre.stop();
    const verified = await vigie(['verify', '--data', centreDir]);
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /^BOULOGNE: ok: /m);
    assert.match(verified.stdout, /^CALAIS: ok: /m);
  });

  test('more copies than the cluster has servers: the uplink is refused, saying why; the post works on', async () => {
    const cluster = await startNatsCluster(3);
    const post = await startPost(tempDataDir(), cluster.url, 'BERCK', { replicas: 5 });
    after(() => post.stop());
    await until(() => post.uplink!.status().state === 'refused', 'the refusal', 20_000);
    assert.match(post.uplink!.status().problem!.detail, /the cluster has fewer than 5 JetStream servers up to hold VIGIE_POST_BERCK's 5 copies/);
    appendEvents(post, 10, 1);
  });
});

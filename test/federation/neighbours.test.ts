// Neighbours (issue 16 item 4) against a real nats-server: two posts and a
// centre in-process. Calais, with Boulogne for neighbour, sees a Boulogne unit
// near their shared border and Boulogne's open incident through the centre —
// read-only, in memory, never in Calais's own log; the incident goes once
// closed. NATS stopped, or the centre gone, and the neighbour is stale; a
// malformed digest is ignored and said so in the diagnostic log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { startCore, type RunningCore } from '../../electron/core/core';
import { Centre } from '../../electron/core/federation/centre';
import { regionSubject } from '../../electron/core/federation/neighbours';
import { logEvent } from '../../electron/core/log/eventCatalogue';
import { iterateEvents } from '../../electron/core/log/eventLog';
import type { Logger } from '../../electron/core/logger';
import { silentLogger } from '../../electron/core/logger';
import type { NeighbourView } from '../../shared/contract';
import { projectRoot } from '../../electron/core/paths';
import { vigie } from '../faults/harness';
import { apiHeaders, tempDataDir, until } from '../helpers';
import { startNats } from './natsServer';

const built = fs.existsSync(path.join(projectRoot, 'dist', 'cli', 'vigie.cjs'));

/** A logger that keeps the lines, to find what the post said. */
function keptLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return { lines, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

async function startPost(url: string, post: string, extra: { neighbours?: string[]; logger?: Logger; staleAfterMs?: number } = {}): Promise<RunningCore> {
  const core = await startCore({
    dataDir: tempDataDir(),
    logger: extra.logger ?? silentLogger,
    feeds: false,
    uplink: { post, url, ...(extra.neighbours ? { neighbours: extra.neighbours } : {}) },
    uplinkRetryMs: 200,
    uplinkAliveEveryMs: 200,
    neighbourStaleAfterMs: extra.staleAfterMs,
  });
  after(() => core.stop());
  return core;
}

async function startCentre(url: string, keepaliveMs?: number): Promise<Centre> {
  const centre = new Centre({ dir: tempDataDir(), url, logger: silentLogger, discoverEveryMs: 100, regionKeepaliveMs: keepaliveMs });
  await centre.start();
  let stopped = false;
  after(() => (stopped ? undefined : centre.stop()));
  const stop = centre.stop.bind(centre);
  centre.stop = () => ((stopped = true), stop());
  return centre;
}

const boulogneOf = (core: RunningCore): NeighbourView | undefined => core.neighbours?.views().find((view) => view.post === 'BOULOGNE');

/** Near Sangatte: Calais's side of the border with Boulogne's sector, as a unit chasing a group along the beach would be. */
const NEAR_BORDER = { lat: 50.8712, lon: 1.6134 };

describe('neighbours', () => {
  test('Calais sees a Boulogne unit near their border and its open incident, read-only through the centre; the incident goes once closed; nothing of it in Calais’s log', async () => {
    const nats = await startNats();
    await startCentre(nats.url);
    const logger = keptLogger();
    // Its own name among its neighbours is left out, and said.
    const calais = await startPost(nats.url, 'CALAIS', { neighbours: ['BOULOGNE', 'CALAIS'], logger });
    const boulogne = await startPost(nats.url, 'BOULOGNE');
    assert.deepEqual(calais.neighbours?.names, ['BOULOGNE']);
    assert.ok(
      logger.lines.some((line) => /CALAIS is this post's own name/.test(line)),
      logger.lines.join('\n'),
    );

    const fixTime = Date.now();
    boulogne.writer.append([logEvent('unit.position', 'device', { u: 'U05', ...NEAR_BORDER, hdg: 40, spd: 6, at: fixTime })]);
    const unit = await until(
      () => boulogneOf(calais)?.units.find((u) => u.id === 'U05' && u.lat === NEAR_BORDER.lat),
      'Calais to see Boulogne’s U05 near the border',
      30_000,
    );
    assert.equal(unit.lon, NEAR_BORDER.lon);
    // The fix's time as Boulogne logged it (the event's time: a millisecond or so after `fixTime`).
    assert.equal(unit.fixTime, boulogne.picture.units.get('U05')!.fixTime);
    assert.ok(unit.fixTime! >= fixTime && unit.fixTime! - fixTime < 5_000);
    assert.equal(unit.callsign, boulogne.picture.units.get('U05')!.callsign);
    assert.equal(boulogneOf(calais)!.state, 'live');
    assert.ok(Math.abs(boulogneOf(calais)!.at! - Date.now()) < 30_000, 'the digest carries the centre’s time');
    // Every Boulogne unit is there, not only the one that moved.
    assert.equal(boulogneOf(calais)!.units.length, boulogne.picture.units.size);

    // An open incident at Boulogne appears; closed, it goes.
    boulogne.writer.append([
      logEvent('alert.raised', 'core', { id: 'A00001', kind: 'group-on-beach', sev: 'high', s: 'RAD-GRISNEZ', ...NEAR_BORDER, sec: 'S-12' }),
      { ...logEvent('incident.opened', 'console', { alert: 'A00001', id: 'I00001', ...NEAR_BORDER, sec: 'S-12' }), operator: 'boulogne-op' },
      { ...logEvent('alert.acknowledged', 'console', { alert: 'A00001', inc: 'I00001' }), operator: 'boulogne-op' },
    ]);
    const incident = await until(() => boulogneOf(calais)?.incidents.find((i) => i.id === 'I00001'), 'Calais to see Boulogne’s incident', 30_000);
    assert.deepEqual({ lat: incident.lat, lon: incident.lon, sector: incident.sector }, { ...NEAR_BORDER, sector: 'S-12' });

    // Consoles get them from neighbours.get (access view), apart from Calais's own picture.
    const response = await fetch(`http://127.0.0.1:${calais.port}/api/neighbours.get`, { method: 'POST', headers: await apiHeaders(calais), body: '{}' });
    const body = (await response.json()) as { ok: boolean; result: { neighbours: NeighbourView[] } };
    assert.ok(body.ok);
    assert.ok(body.result.neighbours[0]!.incidents.some((i) => i.id === 'I00001'));
    assert.equal(calais.picture.units.get('U05')?.lat === NEAR_BORDER.lat, false, 'Boulogne’s unit is not in Calais’s own picture');
    assert.equal(calais.picture.incidents.has('I00001'), false);

    boulogne.writer.append([{ ...logEvent('incident.closed', 'console', { inc: 'I00001', notes: '', outcome: 'false-alarm' }), operator: 'boulogne-op' }]);
    await until(() => boulogneOf(calais) && !boulogneOf(calais)!.incidents.some((i) => i.id === 'I00001'), 'the closed incident to go', 30_000);

    // Someone else's data: Calais's log holds none of Boulogne's events.
    const kinds = [...iterateEvents(calais.db)].map((event) => event.kind);
    assert.ok(!kinds.includes('unit.position') && !kinds.includes('incident.opened'), kinds.join(','));
  });

  test('stale when NATS stops, live again once it is back; stale when the centre is gone; a malformed digest is ignored with a log line', async () => {
    const nats = await startNats();
    const centre = await startCentre(nats.url, 300);
    const logger = keptLogger();
    const calais = await startPost(nats.url, 'CALAIS', { neighbours: ['BOULOGNE'], logger, staleAfterMs: 3_000 });
    const boulogne = await startPost(nats.url, 'BOULOGNE');
    assert.equal(boulogneOf(calais)!.state, 'waiting');
    boulogne.writer.append([logEvent('unit.position', 'device', { u: 'U05', ...NEAR_BORDER, at: Date.now() })]);
    await until(() => boulogneOf(calais)?.units.some((u) => u.lat === NEAR_BORDER.lat) && boulogneOf(calais)!.state === 'live', 'live', 30_000);

    // Malformed digests on Boulogne's subject: not JSON, not the shape, another post's. Each ignored and said; the last good one stays.
    const nc = await connect({ servers: nats.url });
    after(() => nc.close());
    const good = boulogneOf(calais)!;
    nc.publish(regionSubject('BOULOGNE'), 'not json at all');
    nc.publish(regionSubject('BOULOGNE'), JSON.stringify({ v: 1, post: 'BOULOGNE', at: Date.now(), heardAt: Date.now(), units: [{ id: 'X' }], incidents: [] }));
    nc.publish(regionSubject('BOULOGNE'), JSON.stringify({ v: 1, post: 'DUNKERQUE', at: Date.now() + 1, heardAt: Date.now(), units: [], incidents: [] }));
    await nc.flush();
    await until(() => logger.lines.filter((line) => line.includes('neighbour BOULOGNE: digest ignored')).length >= 3, 'three digests ignored', 10_000);
    const ignored = logger.lines.filter((line) => line.includes('digest ignored'));
    assert.match(ignored[0]!, /not a region digest \(not JSON text\)/);
    assert.match(ignored[1]!, /not a region digest \(units\.0\.\w+: /);
    assert.match(ignored[2]!, /a digest of post DUNKERQUE on vigie\.region\.BOULOGNE/);
    assert.equal(boulogneOf(calais)!.state, 'live');
    assert.ok(boulogneOf(calais)!.units.some((u) => u.id === 'U05' && u.lat === NEAR_BORDER.lat));
    assert.ok(boulogneOf(calais)!.at! >= good.at!);

    // NATS gone: stale at once (the link is down), with the last units kept and shown as such.
    await nats.kill();
    await until(() => boulogneOf(calais)?.state === 'stale', 'stale once NATS is gone', 10_000);
    assert.ok(boulogneOf(calais)!.units.some((u) => u.id === 'U05'));
    assert.ok(logger.lines.some((line) => /neighbour BOULOGNE: stale \(the link to the centre is down\)/.test(line)));
    // The consoles are told: the change is what the core's push loop takes.
    assert.equal(calais.neighbours!.takeChanged()?.[0]?.state ?? boulogneOf(calais)!.state, 'stale');

    // Back: the centre makes its (memory) stream again, the post reconnects, live again.
    await nats.start();
    await until(() => boulogneOf(calais)?.state === 'live', 'live again once NATS is back', 30_000);

    // The centre gone: the digest ages past the limit and is shown stale though NATS is up.
    await centre.stop();
    await until(() => boulogneOf(calais)?.state === 'stale', 'stale once the centre is gone', 15_000);
    assert.ok(logger.lines.some((line) => /neighbour BOULOGNE: stale \(last digest of /.test(line)));
  });

  test('a neighbour post that goes away while the centre runs on turns stale, though its digests keep coming; one idle but alive stays live', async () => {
    const nats = await startNats();
    const centre = await startCentre(nats.url, 300);
    const logger = keptLogger();
    const calais = await startPost(nats.url, 'CALAIS', { neighbours: ['BOULOGNE'], logger, staleAfterMs: 2_000 });
    const boulogne = await startPost(nats.url, 'BOULOGNE');
    boulogne.writer.append([logEvent('unit.position', 'device', { u: 'U05', ...NEAR_BORDER, at: Date.now() })]);
    await until(() => boulogneOf(calais)?.units.some((u) => u.lat === NEAR_BORDER.lat) && boulogneOf(calais)!.state === 'live', 'live', 30_000);

    // Boulogne logs nothing more for longer than the stale limit, but is there: it stays live.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(boulogneOf(calais)!.state, 'live');
    const centreSays = centre.status().posts.find((p) => p.post === 'BOULOGNE')!;
    assert.ok(centreSays.heardAt !== null && Date.now() - centreSays.heardAt < 2_000, JSON.stringify(centreSays));

    // Boulogne goes (its machine off): the centre's mirror is healthy and its digests keep coming, but they say when Boulogne was last heard.
    await boulogne.stop();
    await until(() => boulogneOf(calais)?.state === 'stale', 'stale once Boulogne is gone', 15_000);
    const view = boulogneOf(calais)!;
    assert.ok(view.at! > view.heardAt!, 'a digest made after Boulogne was last heard');
    assert.ok(
      view.units.some((u) => u.id === 'U05'),
      'its last units are still shown, as stale',
    );
    assert.ok(logger.lines.some((line) => /neighbour BOULOGNE: stale \(the centre has not heard from BOULOGNE since /.test(line)));
  });

  test('vigie serve: --neighbours needs the uplink, and takes post names only', { skip: built ? false : 'run npm run build first' }, async () => {
    const alone = await vigie(['serve', '--data', tempDataDir(), '--neighbours', 'BOULOGNE']);
    assert.equal(alone.status, 2, alone.stderr);
    assert.match(alone.stderr, /--neighbours needs the uplink/);
    const badName = await vigie([
      'serve',
      '--data',
      tempDataDir(),
      '--post-name',
      'CALAIS',
      '--uplink',
      'nats://127.0.0.1:1',
      '--neighbours',
      'BOULOGNE,LE TOUQUET',
    ]);
    assert.equal(badName.status, 2, badName.stderr);
    assert.match(badName.stderr, /uplink neighbours\.1: a post name is 1–32 letters, digits, _ or -/);
  });
});

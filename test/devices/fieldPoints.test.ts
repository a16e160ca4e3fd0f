// Points and markers from field devices through a real core: a real ATAK
// hostile point (from the samples, moved onto a beach of the demo coast)
// raises an alert "reported by a field device" that is acknowledged like any
// other; the same point offshore, or a friendly one, does not; a marker is
// kept with its colour, attached to an incident (logged), and deleted by its
// device (t-x-d-d); all of it survives a restart.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { RunningCore } from '../../electron/core/core';
import { SectorIndex } from '../../electron/core/geo/sectorIndex';
import { buildEvidence, verifyEvidence } from '../../electron/core/evidence/evidence';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { loadSectors } from '../../electron/core/picture/sectors';
import type { Site } from '../../shared/site';
import { refreshTimes } from '../feeds/takTimes';
import { callAs, feedPort, startSiteCore, tempDataDir, until } from '../helpers';

const samples = path.join(__dirname, '../fixtures/feeds/cot/tak-samples');
const read = (name: string) => fs.readFileSync(path.join(samples, name), 'utf8');
const moved = (xml: string, lat: number, lon: number) =>
  refreshTimes(xml, Date.now()).replace(/<point lat='[^']*' lon='[^']*'/, `<point lat='${lat}' lon='${lon}'`);

const site: Site = {
  version: 1,
  name: 'points',
  escalateAfterSeconds: 120,
  coverageEtaMinutes: 15,
  listeners: { host: '127.0.0.1', cot: { udp: 0, tcp: 0, multicast: false }, nmea: [], json: { tcp: 0, ws: 0 }, perSourceRate: 1000 },
  sensors: [{ id: 'RAD-1', kind: 'radar', name: 'Radar', position: [1.584, 50.8697], rangeMeters: 30000, heartbeatSeconds: 600 }],
  units: [],
};

describe('points and markers placed on field devices', () => {
  const dir = tempDataDir();
  const start = () => startSiteCore(dir, site);
  let core: RunningCore;
  const udp = dgram.createSocket('udp4');
  after(async () => {
    udp.close();
    await core?.stop();
  });
  const send = (xml: string) =>
    new Promise<void>((resolve, reject) =>
      udp.send(Buffer.from(xml), feedPort(core, 'CoT', 'udp'), '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
  const call = <T>(method: string, params: object) => callAs<T>(core, method, params, 'opérateur', 'operator');

  /** A point inside a beach sector of the shipped coast, and one at sea off it. */
  function places(): { beach: { lat: number; lon: number; sector: string }; sea: { lat: number; lon: number } } {
    const index = new SectorIndex(loadSectors(core.db));
    for (const sector of loadSectors(core.db)) {
      const ring = sector.ring;
      const lat = ring.reduce((sum, [, y]) => sum + y, 0) / ring.length;
      const lon = ring.reduce((sum, [x]) => sum + x, 0) / ring.length;
      const hit = index.locate(lat, lon);
      if (hit && !hit.offshore && hit.id === sector.id) return { beach: { lat, lon, sector: sector.id }, sea: { lat: 51.2, lon: 1.5 } };
    }
    throw new Error('no sector contains its own centroid');
  }

  test('a hostile ground point on a beach raises an alert reported by a field device; offshore or friendly, it does not', async () => {
    core = await start();
    const { beach, sea } = places();
    await send(moved(read('fts-a-h-G-1581185498021.xml'), beach.lat, beach.lon));
    const alert = await until(() => [...core.picture.alerts.values()].find((a) => a.kind === 'field-report'), 'the field-report alert');
    assert.equal(alert.severity, 'high');
    assert.equal(alert.sector, beach.sector);
    assert.equal(alert.sensor, 'aa0b0312-b5cd-4c2c-bbbc-9c4c70216261', 'the placing device');
    assert.equal(alert.subject, 'field:18272470-588b-49d1-abe7-af0a7b2bd064');
    const point = core.fieldPoints.get('18272470-588b-49d1-abe7-af0a7b2bd064')!;
    assert.deepEqual([point.cotType, point.label, point.placedBy], ['a-h-G', 'Assault  Team 4', 'Eliopoli HQ']);

    // The same point repeated does not raise a second alert; an unknown point at sea, or a friendly one on the beach, none.
    await send(moved(read('fts-a-h-G-1581185498021.xml'), beach.lat, beach.lon));
    await send(moved(read('fts-a-u-G-1581185805325.xml'), sea.lat, sea.lon));
    await send(moved(read('fts-a-f-G-1581185498052.xml'), beach.lat, beach.lon));
    await until(() => core.fieldPoints.list().length === 3, 'three points');
    assert.equal([...core.picture.alerts.values()].filter((a) => a.kind === 'field-report').length, 1);

    // Acknowledged like any other alert.
    const acknowledged = await call<{ incident: string }>('alert.acknowledge', { alert: alert.id });
    assert.ok(acknowledged.ok);
  });

  test('a spot marker: kept with its colour, attached to an incident (logged), deleted by its device', async () => {
    const { beach } = places();
    await send(moved(read('fts-b-m-p-s-m-1581185985900.xml'), beach.lat + 0.001, beach.lon));
    const marker = await until(() => core.fieldPoints.get('d287532a-f43a-4a6c-bd36-a83539851905'), 'the marker');
    assert.deepEqual([marker.category, marker.label, marker.colour], ['marker', 'Y 1', -256]);
    const incident = [...core.picture.incidents.keys()][0]!;
    assert.equal((await call('fieldPoints.attach', { point: marker.id, incident })).ok, true);
    assert.equal(core.fieldPoints.get(marker.id)!.incident, incident);
    const attached = [...iterateEvents(core.db)].filter((e) => e.kind === 'field.attached').at(-1)!;
    assert.equal(attached.operator, 'opérateur');
    assert.equal((await call('fieldPoints.attach', { point: 'NOPE', incident })).error?.reason, 'point-unknown');

    // Survives a restart, attachment included.
    await core.stop();
    core = await start();
    assert.equal(core.fieldPoints.get(marker.id)!.incident, incident);
    assert.equal(core.fieldPoints.list().length, 4);

    // ATAK deletes it.
    const now = new Date().toISOString();
    const stale = new Date(Date.now() + 20_000).toISOString();
    await send(
      `<?xml version='1.0' encoding='UTF-8' standalone='yes'?><event version='2.0' uid='ANDROID-351811095448994' type='t-x-d-d' time='${now}' start='${now}' stale='${stale}' how='h-g-i-g-o'><point lat='0' lon='0' hae='9999999.0' ce='9999999.0' le='9999999.0'/><detail><link uid='d287532a-f43a-4a6c-bd36-a83539851905' relation='none' type='none'/><__forcedelete/></detail></event>`,
    );
    await until(() => core.fieldPoints.get(marker.id) === undefined, 'the marker deleted');
    const deleted = [...iterateEvents(core.db)].filter((e) => e.kind === 'field.deleted').at(-1)!;
    assert.equal(deleted.source, 'cot:ANDROID-351811095448994');
    assert.equal((core.db.prepare('SELECT count(*) AS n FROM field_points').get() as { n: number }).n, 3);

    // The incident's evidence carries the marker: its attachment, what its device said of it, and its deletion; it verifies.
    const evidence = buildEvidence(core.db, { kind: 'incident', id: incident });
    const kinds = evidence.events.filter((e) => e.kind.startsWith('field.')).map((e) => e.kind);
    assert.deepEqual(kinds, ['field.point', 'field.attached', 'field.deleted']);
    assert.ok(verifyEvidence(JSON.parse(JSON.stringify(evidence))).ok);
  });
});

// The sector editor (issue 6): the ring rules on their own, then the requests
// through a real in-process core (HTTP on loopback, a real SQLite file):
// roles, the logged events, the live alert index, a restart, and export →
// import round trips.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCore, type RunningCore } from '../../electron/core/core';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { silentLogger } from '../../electron/core/logger';
import { sectorsFile } from '../../electron/core/paths';
import { readSectorFile } from '../../electron/core/picture/sectors';
import { SectorImportError, checkRing, parseSectorImport, sectorsToGeoJson } from '../../electron/core/sectors/editor';
import type { Site } from '../../shared/site';
import type { Sector } from '../../shared/contract';
import { signInHeaders, tempDataDir } from '../helpers';

/** ~1.4 km × 1.1 km, mid-Channel: in no shipped sector. */
const SQUARE: [number, number][] = [
  [1.89, 51.295],
  [1.91, 51.295],
  [1.91, 51.305],
  [1.89, 51.305],
];
const INSIDE = { lat: 51.3, lon: 1.9 };

function reason(ring: number[][]): string {
  const result = checkRing(ring);
  assert.equal(result.ok, false, `expected ${JSON.stringify(ring)} to be refused`);
  return result.ok ? '' : result.reason;
}

describe('sector ring rules', () => {
  test('a square is accepted and closed; repeated points (a double-click) are dropped', () => {
    const result = checkRing([...SQUARE, SQUARE[3]!]);
    assert.ok(result.ok);
    assert.deepEqual(result.ring, [...SQUARE, SQUARE[0]]);
    const closed = checkRing([...SQUARE, SQUARE[0]!]);
    assert.ok(closed.ok);
    assert.equal(closed.ring.length, 5);
  });

  test('every shipped sector passes', () => {
    for (const sector of readSectorFile(sectorsFile)) assert.ok(checkRing(sector.ring).ok, sector.id);
  });

  test('a self-crossing ring names the edges and where they cross', () => {
    // A bow tie: edges 1 and 3 cross in the middle.
    const bowTie = [
      [1.89, 51.295],
      [1.91, 51.305],
      [1.91, 51.295],
      [1.89, 51.305],
    ];
    assert.equal(reason(bowTie), 'edges 1 and 3 cross at 51.3°N, 1.9°E');
    // A ring that comes back to touch one of its own corners.
    assert.match(
      reason([
        [1.8, 51.2],
        [1.82, 51.2],
        [1.82, 51.21],
        [1.81, 51.2],
        [1.8, 51.21],
      ]),
      /edges \d and \d cross at/,
    );
  });

  test('too few points, out of the coast, no area, too large', () => {
    assert.match(
      reason([
        [1.8, 51.2],
        [1.81, 51.2],
        [1.8, 51.2],
      ]),
      /at least 3 corners .* this ring has 2/,
    );
    assert.match(reason([[1.8, 51.2]]), /at least 3 corners/);
    assert.match(
      reason([
        [1.8, 51.2],
        [1.81, 51.2],
        [1.81, 52.1],
      ]),
      /^point 3 \(52\.1°N, 1\.81°E\) is outside the coast \(49\.5–51\.8°N, 0–3\.5°E\)$/,
    );
    assert.match(
      reason([
        [-1, 50.9],
        [1.81, 51.2],
        [1.8, 51.21],
      ]),
      /^point 1 .* outside the coast/,
    );
    assert.match(
      reason([
        [1.8, 51.2],
        [1.81, 51.2],
        [1.82, 51.2],
      ]),
      /edges|no area/,
    );
    assert.match(
      reason([
        [1.0, 50.5],
        [1.2, 50.5],
        [1.2, 50.7],
        [1.0, 50.7],
      ]),
      /covers 31\d\.\d km²; at most 50 km²/,
    );
    assert.match(
      reason([
        [1.8, Number.NaN],
        [1.81, 51.2],
        [1.8, 51.21],
      ]),
      /point 1 is not a \[longitude, latitude\] pair/,
    );
  });

  test('an import is refused whole, each problem named by its feature', () => {
    const current = readSectorFile(sectorsFile);
    const collection = JSON.parse(sectorsToGeoJson(current)) as {
      features: { properties: Record<string, unknown>; geometry: { coordinates: number[][][] } }[];
    };
    collection.features[4]!.properties.id = collection.features[3]!.properties.id;
    const ring = collection.features[7]!.geometry.coordinates[0]!;
    [ring[1], ring[2]] = [ring[2]!, ring[1]!];
    collection.features[9]!.properties.risk = 'extreme';
    assert.throws(
      () => parseSectorImport(JSON.stringify(collection), current),
      (error: unknown) => {
        assert.ok(error instanceof SectorImportError);
        assert.equal(error.problems.length, 3);
        assert.match(error.problems[0]!, /^features\[4\] \(S04\): duplicate sector id S04 \(also features\[3\]\)$/);
        assert.match(error.problems[1]!, /^features\[7\] \(S08\): edges \d+ and \d+ cross at/);
        assert.match(error.problems[2]!, /^features\[9\]\.properties\.risk/);
        return true;
      },
    );
    assert.throws(() => parseSectorImport('{"type":"Feat', current), /not JSON/);
    assert.throws(() => parseSectorImport('{"type":"Feature"}', current), /not a GeoJSON FeatureCollection/);
  });
});

function testSite(): Site {
  return {
    version: 1,
    name: 'sector editor test',
    escalateAfterSeconds: 120,
    coverageEtaMinutes: 15,
    listeners: { host: '127.0.0.1', cot: { udp: 0, tcp: 0, multicast: false }, nmea: [], json: { tcp: 0, ws: 0 }, perSourceRate: 400 },
    sensors: [{ id: 'CAM-1', kind: 'camera', name: 'Camera', position: [1.9, 51.29], bearing: 0, fieldOfView: 90, rangeMeters: 3000, heartbeatSeconds: 600 }],
    units: [],
  };
}

describe('sector editor through the core', () => {
  const dir = tempDataDir();
  const dataDir = path.join(dir, 'data');
  const siteFile = path.join(dir, 'site.json');
  let core: RunningCore;
  let supervisor: Record<string, string>;
  let operator: Record<string, string>;
  let detections = 0;

  const start = async () => {
    core = await startCore({ dataDir, logger: silentLogger, rendererDir: dir, siteFile, feeds: false });
    supervisor = await signInHeaders(core, 'chief', 'supervisor');
    operator = await signInHeaders(core, 'marie', 'operator');
  };
  async function call<T = unknown>(
    method: string,
    params: object,
    headers = supervisor,
  ): Promise<{ status: number; ok: boolean; result: T; error?: { code: string; message: string } }> {
    const response = await fetch(`http://127.0.0.1:${core.port}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(params) });
    return { status: response.status, ...((await response.json()) as { ok: boolean; result: T; error?: { code: string; message: string } }) };
  }
  const sectorEvents = () => [...iterateEvents(core.db)].filter((event) => event.kind === 'sector.defined');
  /** A camera detection at a point, through the ingest's real path: the sector it was given. */
  const detectAt = (lat: number, lon: number): string | undefined => {
    const id = `D${++detections}`;
    core.ingest.receive({ protocol: 'json', transport: 'tcp', key: 'test' }, 'test', () => ({
      ok: true,
      messages: [{ type: 'detection', sensor: 'CAM-1', detection: id, kind: 'group-on-beach', lat, lon, confidence: 0.9, count: 30, time: Date.now() }],
    }));
    core.writer.flushNow();
    const event = [...iterateEvents(core.db)]
      .filter((e) => e.kind === 'detection')
      .map((e) => JSON.parse(e.payload) as { d: string; sec?: string })
      .find((p) => p.d === id);
    assert.ok(event, `detection ${id} logged`);
    return event.sec;
  };

  before(async () => {
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Vigie</title>');
    fs.writeFileSync(siteFile, JSON.stringify(testSite()));
    await start();
  });
  after(() => core.stop());

  test('an operator (and an auditor) is refused 403, and nothing is logged', async () => {
    const before = sectorEvents().length;
    const refused = await call('sectors.update', { id: 'S05', name: 'Renamed' }, operator);
    assert.equal(refused.status, 403);
    assert.equal(refused.error!.code, 'forbidden');
    assert.equal((await call('sectors.import', { geojson: '{}' }, operator)).status, 403);
    const auditor = await signInHeaders(core, 'audit', 'auditor');
    assert.equal((await call('sectors.update', { id: 'S05', risk: 'low' }, auditor)).status, 403);
    assert.equal(sectorEvents().length, before);
    // Export is a read: every role may.
    assert.equal((await call('sectors.export', {}, operator)).status, 200);
  });

  test('rename and risk: one sector.defined event with the whole sector and the supervisor', async () => {
    const result = await call<{ sector: Sector; changed: boolean }>('sectors.update', { id: 'S05', name: '  Plage test ', risk: 'low' });
    assert.equal(result.status, 200, result.error?.message);
    assert.equal(result.result.changed, true);
    assert.equal(result.result.sector.name, 'Plage test');
    const last = sectorEvents().at(-1)!;
    assert.equal(last.operator, 'chief');
    assert.equal(last.source, 'sector-editor');
    const payload = JSON.parse(last.payload) as Sector;
    assert.deepEqual(
      { id: payload.id, name: payload.name, risk: payload.risk, order: payload.order },
      { id: 'S05', name: 'Plage test', risk: 'low', order: 5 },
    );
    assert.ok(payload.ring.length >= 4);
    // The same values again change nothing and log nothing.
    const count = sectorEvents().length;
    assert.equal((await call<{ changed: boolean }>('sectors.update', { id: 'S05', risk: 'low' })).result.changed, false);
    assert.equal(sectorEvents().length, count);
    const unknown = await call('sectors.update', { id: 'S99', name: 'Nowhere' });
    assert.equal(unknown.status, 409);
    assert.match(unknown.error!.message, /no sector S99/);
  });

  test('an invalid redraw is refused with its reason; nothing is logged', async () => {
    const count = sectorEvents().length;
    const crossing = await call('sectors.update', { id: 'S05', ring: [SQUARE[0], SQUARE[2], SQUARE[1], SQUARE[3]] });
    assert.equal(crossing.status, 409);
    assert.equal(crossing.error!.message, 'S05: edges 1 and 3 cross at 51.3°N, 1.9°E');
    const few = await call('sectors.update', { id: 'S05', ring: SQUARE.slice(0, 2) });
    assert.match(few.error!.message, /at least 3 corners/);
    assert.equal(sectorEvents().length, count);
  });

  test('a redraw moves the live alert index: a detection inside the new ring gets that sector', async () => {
    assert.notEqual(detectAt(INSIDE.lat, INSIDE.lon), 'S05');
    const redraw = await call<{ sector: Sector }>('sectors.update', { id: 'S05', ring: SQUARE });
    assert.equal(redraw.status, 200, redraw.error?.message);
    assert.deepEqual(redraw.result.sector.ring, [...SQUARE, SQUARE[0]]);
    assert.equal(detectAt(INSIDE.lat, INSIDE.lon), 'S05');
    const picture = await call<{ sectors: Sector[] }>('picture.get', {});
    assert.deepEqual(picture.result.sectors.find((s) => s.id === 'S05')!.ring, [...SQUARE, SQUARE[0]]);
  });

  test('the change survives a restart', async () => {
    await core.stop();
    await start();
    const picture = await call<{ sectors: Sector[] }>('picture.get', {});
    const s05 = picture.result.sectors.find((s) => s.id === 'S05')!;
    assert.equal(s05.name, 'Plage test');
    assert.deepEqual(s05.ring, [...SQUARE, SQUARE[0]]);
    assert.equal(detectAt(INSIDE.lat, INSIDE.lon), 'S05');
  });

  test('export → import round-trips; an edited export changes only what was edited, in one block', async () => {
    const exported = await call<{ geojson: string }>('sectors.export', {});
    const same = await call<{ changed: string[]; unchanged: number }>('sectors.import', { geojson: exported.result.geojson });
    assert.equal(same.status, 200, same.error?.message);
    assert.deepEqual(same.result, { changed: [], unchanged: 27 });
    // The export has the shipped file's shape: the shipped reader takes it.
    const file = path.join(dir, 'exported.geojson');
    fs.writeFileSync(file, exported.result.geojson);
    assert.equal(readSectorFile(file).length, 27);

    const collection = JSON.parse(exported.result.geojson) as { features: { properties: { id: string; name: string; risk: string } }[] };
    collection.features[0]!.properties.name = 'Bray-Dunes plage';
    collection.features[1]!.properties.risk = 'medium';
    const before = sectorEvents();
    const imported = await call<{ changed: string[]; unchanged: number }>('sectors.import', { geojson: JSON.stringify(collection) });
    assert.deepEqual(imported.result, { changed: ['S01', 'S02'], unchanged: 25 });
    const added = sectorEvents().slice(before.length);
    assert.deepEqual(
      added.map((e) => e.operator),
      ['chief', 'chief'],
    );
    assert.equal(added[1]!.seq, added[0]!.seq + 1);
  });

  test('an import with duplicate ids is refused whole', async () => {
    const exported = await call<{ geojson: string }>('sectors.export', {});
    const collection = JSON.parse(exported.result.geojson) as { features: { properties: { id: string; name: string } }[] };
    collection.features[0]!.properties.name = 'Should not be saved';
    collection.features[2]!.properties.id = 'S02';
    const count = sectorEvents().length;
    const refused = await call('sectors.import', { geojson: JSON.stringify(collection) });
    assert.equal(refused.status, 409);
    assert.match(refused.error!.message, /^import refused: features\[2\] \(S02\): duplicate sector id S02 \(also features\[1\]\)$/);
    assert.equal(sectorEvents().length, count);
  });
});

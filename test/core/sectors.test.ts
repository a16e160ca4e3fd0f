import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ManualClock } from '../../shared/clock';
import { openDatabase } from '../../electron/core/db/database';
import { distanceToRingMeters, SectorIndex } from '../../electron/core/geo/sectorIndex';
import { EventLog } from '../../electron/core/log/eventLog';
import { sectorsFile } from '../../electron/core/paths';
import { loadSectors, readSectorFile, sectorProjector, seedSectors } from '../../electron/core/picture/sectors';
import type { Sector } from '../../shared/contract';
import { SectorFileError } from '../../shared/sectorFile';
import { pointInRing } from '../../shared/geometry';
import { distanceMeters } from '../../shared/sphere';
import { tempDataDir } from '../helpers';

const shipped = JSON.parse(fs.readFileSync(sectorsFile, 'utf8')) as { type: string; features: Record<string, unknown>[] };

function writeVariant(mutate: (collection: typeof shipped) => void): string {
  const copy = structuredClone(shipped);
  mutate(copy);
  const file = path.join(tempDataDir(), 'sectors.geojson');
  fs.writeFileSync(file, JSON.stringify(copy));
  return file;
}

describe('beach sectors', () => {
  test('the shipped file is valid and seeds the projection once, through the log', () => {
    const sectors = readSectorFile(sectorsFile);
    assert.ok(sectors.length >= 25 && sectors.length <= 35);
    const db = openDatabase(tempDataDir());
    const log = new EventLog(db, new ManualClock(1));
    log.addProjector(sectorProjector(db));
    assert.equal(seedSectors(db, log, sectorsFile), sectors.length);
    assert.equal(seedSectors(db, log, sectorsFile), 0);
    assert.deepEqual(
      loadSectors(db),
      [...sectors].sort((a, b) => a.order - b.order),
    );
    assert.equal(log.status().events, sectors.length);
    db.close();
  });

  test('a bad sectors file names the feature and the field', () => {
    const badRisk = writeVariant((c) => ((c.features[3]!.properties as { risk: string }).risk = 'extreme'));
    assert.throws(
      () => readSectorFile(badRisk),
      (error: unknown) => error instanceof SectorFileError && /features\[3\]\.properties\.risk/.test(error.message),
    );
    const open = writeVariant((c) => (c.features[2]!.geometry as { coordinates: number[][][] }).coordinates[0]!.pop());
    assert.throws(() => readSectorFile(open), /features\[2\]\.geometry: ring is not closed/);
    const duplicate = writeVariant((c) => ((c.features[5]!.properties as { id: string }).id = (c.features[4]!.properties as { id: string }).id));
    assert.throws(() => readSectorFile(duplicate), /features\[5\]\.properties\.id: duplicate/);
    const notJson = path.join(tempDataDir(), 'broken.geojson');
    fs.writeFileSync(notJson, '{"type": "FeatureColl');
    assert.throws(() => readSectorFile(notJson), SectorFileError);
  });

  test('a point at sea belongs to the nearest sector by its edges, not by its centre', () => {
    // A long strip and a small square beside its east end; the point is off the strip's east end.
    const strip: Sector = {
      id: 'S01',
      name: 'Long',
      risk: 'low',
      order: 1,
      ring: [
        [1.5, 50.9],
        [1.7, 50.9],
        [1.7, 50.91],
        [1.5, 50.91],
        [1.5, 50.9],
      ],
    };
    const square: Sector = {
      id: 'S02',
      name: 'Square',
      risk: 'low',
      order: 2,
      ring: [
        [1.71, 50.9],
        [1.72, 50.9],
        [1.72, 50.91],
        [1.71, 50.91],
        [1.71, 50.9],
      ],
    };
    const [lat, lon] = [50.92, 1.69];
    // The square's centre is the nearer centre; the strip's edge, 1.1 km south, the nearer edge.
    assert.ok(distanceMeters(lat, lon, 50.905, 1.715) < distanceMeters(lat, lon, 50.905, 1.6));
    assert.deepEqual(new SectorIndex([strip, square]).locate(lat, lon), { id: 'S01', offshore: true, meters: 1112 });
    // Past the radius from every edge: none; inside a strip: that one.
    assert.equal(new SectorIndex([strip, square], 1_000).locate(lat, lon), null);
    assert.deepEqual(new SectorIndex([strip, square], 1_200).locate(lat, lon), { id: 'S01', offshore: true, meters: 1112 });
    assert.deepEqual(new SectorIndex([strip, square]).locate(50.905, 1.715), { id: 'S02', offshore: false, meters: 0 });

    // The shipped sectors: off Camiers, 300 m from its strip, 600 m from Dannes' — whose centre is the nearer.
    const shipped = new SectorIndex(readSectorFile(sectorsFile));
    assert.deepEqual({ ...shipped.locate(50.58, 1.545), meters: undefined }, { id: 'S23', offshore: true, meters: undefined });
    // The distance to the strip's edge (fusion's coastal band, docs/fusion.md): about 300 m.
    assert.ok(Math.abs(shipped.locate(50.58, 1.545)!.meters - 300) < 150, `${shipped.locate(50.58, 1.545)!.meters} m`);
  });

  test('locating by bounding boxes first gives what walking every sector gives', () => {
    const sectors = readSectorFile(sectorsFile);
    const index = new SectorIndex(sectors);
    // What locate() answers, by brute force: every ring tested, every ring's edges measured.
    const scan = (lat: number, lon: number) => {
      const inside = sectors.find((sector) => pointInRing(lon, lat, sector.ring));
      if (inside) return { id: inside.id, offshore: false, meters: 0 };
      const cellLat = Math.round(lat * 1000) / 1000;
      const cellLon = Math.round(lon * 1000) / 1000;
      let best: { id: string; distance: number } | null = null;
      for (const sector of sectors) {
        const distance = distanceToRingMeters(cellLat, cellLon, sector.ring);
        if (distance <= 20_000 && (!best || distance < best.distance)) best = { id: sector.id, distance };
      }
      return best ? { id: best.id, offshore: true, meters: Math.round(best.distance) } : null;
    };
    // A repeatable spread of points over the coast, the strips and the sea up to 40 km out.
    let state = 17;
    const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const kinds = { inside: 0, offshore: 0, none: 0 };
    for (let i = 0; i < 20_000; i++) {
      const lat = 50.3 + next() * 1;
      const lon = 0.8 + next() * 1.9;
      const expected = scan(lat, lon);
      assert.deepEqual(index.locate(lat, lon), expected, `${lat}, ${lon}`);
      kinds[expected === null ? 'none' : expected.offshore ? 'offshore' : 'inside'] += 1;
    }
    // Every branch was exercised.
    assert.ok(kinds.inside > 50 && kinds.offshore > 1000 && kinds.none > 1000, JSON.stringify(kinds));
  });
});

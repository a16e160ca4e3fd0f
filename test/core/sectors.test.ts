import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ManualClock } from '../../shared/clock';
import { openDatabase } from '../../electron/core/db/database';
import { EventLog } from '../../electron/core/log/eventLog';
import { sectorsFile } from '../../electron/core/paths';
import { loadSectors, readSectorFile, sectorProjector, seedSectors } from '../../electron/core/picture/sectors';
import { SectorFileError } from '../../shared/sectorFile';
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
    assert.deepEqual(loadSectors(db), [...sectors].sort((a, b) => a.order - b.order));
    assert.equal(log.status().events, sectors.length);
    db.close();
  });

  test('a bad sectors file names the feature and the field', () => {
    const badRisk = writeVariant((c) => ((c.features[3]!.properties as { risk: string }).risk = 'extreme'));
    assert.throws(() => readSectorFile(badRisk), (error: unknown) => error instanceof SectorFileError && /features\[3\]\.properties\.risk/.test(error.message));
    const open = writeVariant((c) => (c.features[2]!.geometry as { coordinates: number[][][] }).coordinates[0]!.pop());
    assert.throws(() => readSectorFile(open), /features\[2\]\.geometry: ring is not closed/);
    const duplicate = writeVariant((c) => ((c.features[5]!.properties as { id: string }).id = (c.features[4]!.properties as { id: string }).id));
    assert.throws(() => readSectorFile(duplicate), /features\[5\]\.properties\.id: duplicate/);
    const notJson = path.join(tempDataDir(), 'broken.geojson');
    fs.writeFileSync(notJson, '{"type": "FeatureColl');
    assert.throws(() => readSectorFile(notJson), SectorFileError);
  });
});

// The MBTiles and PMTiles readers: packs the tests write themselves (good
// and broken), and real files written by other projects (test/fixtures/maps).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, test } from 'node:test';
import { openMbtiles } from '../../electron/core/maps/mbtiles';
import { PackError, type PackProblemCode } from '../../electron/core/maps/pack';
import { decodeDirectory, findEntry, openPmtiles, tileId } from '../../electron/core/maps/pmtiles';
import { sniffTileFormat } from '../../electron/core/maps/tileFormat';
import { tempDataDir } from '../helpers';
import { buildPmtiles, solidPng, tilesCovering, writeMbtiles, writePmtiles, type FixtureTile } from './packWriters';

const samples = path.join(__dirname, '..', 'fixtures', 'maps');
const sample = (name: string) => path.join(samples, name);
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A small pyramid whose every tile says where it is (its bytes carry z/x/y). */
function addressedTiles(maxZoom: number): FixtureTile[] {
  const tiles: FixtureTile[] = [];
  for (let z = 0; z <= maxZoom; z++)
    for (let x = 0; x < 2 ** z; x++)
      for (let y = 0; y < 2 ** z; y++) tiles.push({ z, x, y, data: Buffer.concat([solidPng([z * 40, x * 10, y * 10], 1), Buffer.from(`${z}/${x}/${y}`)]) });
  return tiles;
}
const addressOf = (bytes: Buffer | undefined) => bytes?.subarray(bytes.lastIndexOf(0x82) + 1).toString('latin1');

async function problemOf(open: Promise<unknown>): Promise<{ code: PackProblemCode; message: string }> {
  try {
    await open;
  } catch (error) {
    assert.ok(error instanceof PackError, `expected a PackError, got ${String(error)}`);
    return { code: error.code, message: error.message };
  }
  assert.fail('the file was accepted');
}

describe('MBTiles', () => {
  test('reads a pack written as a table, flipping TMS rows to XYZ', async () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'a.mbtiles');
    writeMbtiles(file, addressedTiles(3), {
      metadata: { name: 'Addressed', format: 'png', minzoom: '0', maxzoom: '3', bounds: '1,50,2,51', attribution: '© test' },
    });
    const before = sha(file);
    const reader = await openMbtiles(file);
    assert.equal(reader.info.name, 'Addressed');
    assert.equal(reader.info.format, 'png');
    assert.deepEqual([reader.info.minZoom, reader.info.maxZoom], [0, 3]);
    assert.deepEqual(reader.info.bounds, [1, 50, 2, 51]);
    assert.equal(reader.info.attribution, '© test');
    for (const [z, x, y] of [
      [0, 0, 0],
      [1, 0, 1],
      [2, 3, 0],
      [3, 5, 2],
      [3, 7, 7],
    ] as const)
      assert.equal(addressOf(await reader.tile(z, x, y)), `${z}/${x}/${y}`);
    assert.equal(await reader.tile(4, 0, 0), undefined);
    await reader.close();
    assert.equal(sha(file), before, 'the file must not change');
    assert.deepEqual(fs.readdirSync(dir), ['a.mbtiles'], 'no journal or WAL is left beside it');
  });

  test('reads a pack whose tiles are a view, with no metadata at all: format sniffed, zooms from the tiles', async () => {
    const file = path.join(tempDataDir(), 'b.mbtiles');
    writeMbtiles(file, addressedTiles(2), { metadata: null, asView: true });
    const reader = await openMbtiles(file);
    assert.equal(reader.info.name, undefined);
    assert.equal(reader.info.format, 'png');
    assert.deepEqual([reader.info.minZoom, reader.info.maxZoom], [0, 2]);
    assert.equal(reader.info.bounds, undefined);
    assert.equal(addressOf(await reader.tile(2, 1, 3)), '2/1/3');
    await reader.close();
  });

  test('bad files each give their own plain message', async () => {
    const dir = tempDataDir();
    const write = (name: string, bytes: Buffer | string) => {
      fs.writeFileSync(path.join(dir, name), bytes);
      return path.join(dir, name);
    };
    assert.equal((await problemOf(openMbtiles(write('empty.mbtiles', '')))).code, 'empty');
    const random = await problemOf(openMbtiles(write('random.mbtiles', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)))));
    assert.equal(random.code, 'not-sqlite');

    const noTables = path.join(dir, 'bare.mbtiles');
    const bare = new Database(noTables);
    bare.exec('CREATE TABLE notes (x TEXT)');
    bare.close();
    const missing = await problemOf(openMbtiles(noTables));
    assert.equal(missing.code, 'not-mbtiles');
    assert.match(missing.message, /no `tiles` table/);

    const good = path.join(dir, 'good.mbtiles');
    writeMbtiles(good, addressedTiles(4), { metadata: { name: 'x', format: 'png' } });
    const whole = fs.readFileSync(good);
    const truncated = await problemOf(openMbtiles(write('truncated.mbtiles', whole.subarray(0, 1024 + 512))));
    assert.ok(['damaged', 'no-tiles', 'not-mbtiles'].includes(truncated.code), truncated.message);

    // Pages of the schema overwritten: SQLite says "malformed".
    const damaged = Buffer.from(whole);
    damaged.fill(0x5a, 100, 2048);
    assert.equal((await problemOf(openMbtiles(write('damaged.mbtiles', damaged)))).code, 'damaged');

    const unknown = path.join(dir, 'tiff.mbtiles');
    writeMbtiles(unknown, [{ z: 0, x: 0, y: 0, data: Buffer.from('II*\0 not a web image') }], { metadata: { name: 'tiff', format: 'tiff' } });
    const format = await problemOf(openMbtiles(unknown));
    assert.equal(format.code, 'unknown-format');
    assert.match(format.message, /"tiff"/);

    const none = path.join(dir, 'none.mbtiles');
    writeMbtiles(none, [], { metadata: { name: 'none', format: 'png' } });
    assert.equal((await problemOf(openMbtiles(none))).code, 'no-tiles');
  });

  test('a NULL tile is a warning and reads as missing', async () => {
    const file = path.join(tempDataDir(), 'holes.mbtiles');
    const tiles = addressedTiles(1);
    tiles[2]!.data = null;
    writeMbtiles(file, tiles, { metadata: { name: 'holes', format: 'png' } });
    const reader = await openMbtiles(file);
    assert.equal(reader.info.warnings.length, 1);
    assert.equal(reader.info.warnings[0]!.code, 'null-tile');
    assert.equal(await reader.tile(tiles[2]!.z, tiles[2]!.x, tiles[2]!.y), undefined);
    await reader.close();
  });

  test('real files: plain_1 (a view, no format row), corrupt, corrupt_null_tile', async () => {
    const before = sha(sample('plain_1.mbtiles'));
    const plain = await openMbtiles(sample('plain_1.mbtiles'));
    assert.equal(plain.info.name, 'plain_1');
    assert.equal(plain.info.format, 'png');
    assert.deepEqual([plain.info.minZoom, plain.info.maxZoom], [0, 4]);
    assert.ok(plain.info.bounds);
    const world = await plain.tile(0, 0, 0);
    assert.equal(sniffTileFormat(world!), 'png');
    assert.ok(await plain.tile(4, 8, 5));
    assert.equal(await plain.tile(4, 8, 15), undefined, 'no tiles south of 70°S');
    await plain.close();
    assert.equal(sha(sample('plain_1.mbtiles')), before);

    assert.equal((await problemOf(openMbtiles(sample('corrupt.mbtiles')))).code, 'damaged');

    const holes = await openMbtiles(sample('corrupt_null_tile.mbtiles'));
    assert.deepEqual(
      holes.info.warnings.map((w) => w.code),
      ['null-tile'],
    );
    assert.equal(await holes.tile(1, 0, 1), undefined, 'the NULL blob (z1, TMS row 0) reads as missing');
    assert.ok(await holes.tile(1, 0, 0));
    await holes.close();
  });
});

describe('PMTiles', () => {
  test('Hilbert tile ids match the spec: z0 is 0, z1 runs 1–4 along the curve', () => {
    assert.equal(tileId(0, 0, 0), 0);
    assert.deepEqual([tileId(1, 0, 0), tileId(1, 0, 1), tileId(1, 1, 1), tileId(1, 1, 0)], [1, 2, 3, 4]);
    assert.equal(tileId(2, 0, 0), 5);
    // Every id at a zoom is distinct and fills the zoom's range.
    const ids = new Set<number>();
    for (let x = 0; x < 16; x++) for (let y = 0; y < 16; y++) ids.add(tileId(4, x, y));
    assert.equal(ids.size, 256);
    assert.equal(Math.min(...ids), 85);
    assert.equal(Math.max(...ids), 85 + 255);
  });

  test('directory lookup: exact, inside a run, past a run, leaf pointers', () => {
    const entries = [
      { tileId: 0, offset: 0, length: 10, runLength: 1 },
      { tileId: 5, offset: 10, length: 10, runLength: 3 },
      { tileId: 20, offset: 0, length: 99, runLength: 0 },
    ];
    assert.equal(findEntry(entries, 0), entries[0]);
    assert.equal(findEntry(entries, 3), undefined);
    assert.equal(findEntry(entries, 7), entries[1]);
    assert.equal(findEntry(entries, 8), undefined);
    assert.equal(findEntry(entries, 1000), entries[2]);
    assert.throws(() => decodeDirectory(Buffer.from([0x05, 0x80])), PackError);
  });

  for (const [label, options] of [
    ['gzip root directory', { internalCompression: 2 as const }],
    ['uncompressed directories', { internalCompression: 1 as const }],
    ['leaf directories', { leafSize: 7 }],
  ] as const) {
    test(`reads a pack written with ${label}`, async () => {
      const file = path.join(tempDataDir(), 'p.pmtiles');
      writePmtiles(file, addressedTiles(4), { ...options, metadata: { name: 'Addressed', attribution: '© test' }, bounds: [1, 50, 2, 51] });
      const before = sha(file);
      const reader = await openPmtiles(file);
      assert.equal(reader.info.name, 'Addressed');
      assert.equal(reader.info.attribution, '© test');
      assert.equal(reader.info.format, 'png');
      assert.deepEqual([reader.info.minZoom, reader.info.maxZoom], [0, 4]);
      assert.deepEqual(reader.info.bounds, [1, 50, 2, 51]);
      for (let z = 0; z <= 4; z++)
        for (let x = 0; x < 2 ** z; x += 3) for (let y = 0; y < 2 ** z; y += 2) assert.equal(addressOf(await reader.tile(z, x, y)), `${z}/${x}/${y}`);
      assert.equal(await reader.tile(5, 0, 0), undefined);
      await reader.close();
      assert.equal(sha(file), before);
    });
  }

  test('run-length entries: one blob shared by a run of tiles', async () => {
    const blue = solidPng([0, 0, 255], 8);
    const tiles = tilesCovering([-180, -85, 180, 85], 0, 3, () => blue);
    const file = path.join(tempDataDir(), 'run.pmtiles');
    writePmtiles(file, tiles);
    assert.ok(fs.statSync(file).size < 1000, 'one blob, few entries');
    const reader = await openPmtiles(file);
    assert.deepEqual(await reader.tile(3, 6, 2), blue);
    await reader.close();
  });

  test('bad files: empty, bad magic, wrong version, truncated, unknown tile type, brotli', async () => {
    const dir = tempDataDir();
    const good = buildPmtiles(addressedTiles(2), { leafSize: 4 });
    const write = (name: string, bytes: Buffer) => {
      fs.writeFileSync(path.join(dir, name), bytes);
      return openPmtiles(path.join(dir, name));
    };
    assert.equal((await problemOf(write('empty.pmtiles', Buffer.alloc(0)))).code, 'empty');
    const magic = Buffer.from(good);
    magic.write('XMTiles', 0, 'latin1');
    assert.equal((await problemOf(write('magic.pmtiles', magic))).code, 'pmtiles-header');
    const version = Buffer.from(good);
    version[7] = 2;
    assert.equal((await problemOf(write('v2.pmtiles', version))).code, 'pmtiles-version');
    const truncated = await problemOf(write('truncated.pmtiles', good.subarray(0, good.length - 40)));
    assert.equal(truncated.code, 'pmtiles-header');
    assert.match(truncated.message, /past the end/);
    assert.equal((await problemOf(write('short.pmtiles', good.subarray(0, 60)))).code, 'pmtiles-header');
    const type = Buffer.from(good);
    type[99] = 9;
    assert.equal((await problemOf(write('type.pmtiles', type))).code, 'unknown-format');
    const brotli = Buffer.from(good);
    brotli[97] = 3;
    assert.equal((await problemOf(write('brotli.pmtiles', brotli))).code, 'pmtiles-compression');
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251));
    assert.equal((await problemOf(write('random.pmtiles', random))).code, 'pmtiles-header');
  });

  test('zoom 26 is the deepest read: beyond it tile ids pass 2^53 and lose precision', async () => {
    const dir = tempDataDir();
    // The tile holding Calais at zoom z, and the world tile.
    const calais = (z: number): FixtureTile[] => {
      const n = 2 ** z;
      const lat = (50.95 * Math.PI) / 180;
      const x = Math.floor(((1.85 + 180) / 360) * n);
      const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * n);
      return [
        { z: 0, x: 0, y: 0, data: solidPng([0, 0, 0], 1) },
        { z, x, y, data: Buffer.concat([solidPng([255, 0, 0], 1), Buffer.from(`${z}/${x}/${y}`)]) },
      ];
    };
    const deepest = calais(26);
    writePmtiles(path.join(dir, 'z26.pmtiles'), deepest);
    const reader = await openPmtiles(path.join(dir, 'z26.pmtiles'));
    assert.equal(reader.info.maxZoom, 26);
    const { z, x, y } = deepest[1]!;
    assert.equal(addressOf(await reader.tile(z, x, y)), `${z}/${x}/${y}`);
    assert.equal(await reader.tile(z, x + 1, y), undefined);
    await reader.close();

    writePmtiles(path.join(dir, 'z27.pmtiles'), calais(27));
    const refused = await problemOf(openPmtiles(path.join(dir, 'z27.pmtiles')));
    assert.equal(refused.code, 'pmtiles-zoom');
    assert.match(refused.message, /zoom 27/);
    assert.match(refused.message, /beyond zoom 26/);
  });

  test('real files: stamen toner (PNG), USGS (512 px WebP), a vector fixture, invalid and empty', async () => {
    const toner = await openPmtiles(sample('stamen_toner_raster_z3.pmtiles'));
    assert.equal(toner.info.format, 'png');
    assert.deepEqual([toner.info.minZoom, toner.info.maxZoom], [0, 3]);
    let found = 0;
    for (let x = 0; x < 8; x++) for (let y = 0; y < 8; y++) if (sniffTileFormat((await toner.tile(3, x, y)) ?? Buffer.alloc(0)) === 'png') found += 1;
    assert.equal(found, 64, 'every z3 tile is there and is a PNG');
    await toner.close();

    const whitney = await openPmtiles(sample('usgs_mt_whitney_webp_512.pmtiles'));
    assert.equal(whitney.info.format, 'webp');
    assert.deepEqual([whitney.info.minZoom, whitney.info.maxZoom], [8, 15]);
    const [west, south, east, north] = whitney.info.bounds!;
    // Mount Whitney, California: 36.578581, -118.291994.
    assert.ok(west < -118.29 && east > -118.29 && south < 36.58 && north > 36.58);
    // The z8 tile holding the summit.
    const x8 = Math.floor(((-118.291994 + 180) / 360) * 256);
    const lat = (36.578581 * Math.PI) / 180;
    const y8 = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 256);
    assert.equal(sniffTileFormat((await whitney.tile(8, x8, y8))!), 'webp');
    await whitney.close();

    const vector = await openPmtiles(sample('test_fixture_1.pmtiles'));
    assert.equal(vector.info.format, 'pbf');
    assert.ok(await vector.tile(0, 0, 0));
    await vector.close();

    assert.equal((await problemOf(openPmtiles(sample('invalid.pmtiles')))).code, 'pmtiles-header');
    assert.equal((await problemOf(openPmtiles(sample('empty.pmtiles')))).code, 'empty');
  });
});

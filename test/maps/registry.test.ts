// The map-pack registry and the tile route, through a real core: the maps
// folder with good and bad files, packs opened by path, the remembered
// choice, rescans, and tiles over HTTP with their authorisation.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { after, before, describe, test } from 'node:test';
import type { MapPackList } from '../../shared/contract';
import { startCore, type RunningCore } from '../../electron/core/core';
import { silentLogger } from '../../electron/core/logger';
import { MapRegistry, packId } from '../../electron/core/maps/registry';
import { apiHeaders, tempDataDir } from '../helpers';
import { solidPng, tilesCovering, writeMbtiles, writePmtiles } from './packWriters';

const samples = path.join(__dirname, '..', 'fixtures', 'maps');
const RED = solidPng([220, 20, 60]);
const TEAL = solidPng([0, 128, 128]);

/** A maps folder holding two good packs and every kind of bad file. */
function fillFolder(folder: string): void {
  fs.mkdirSync(folder, { recursive: true });
  writeMbtiles(
    path.join(folder, 'red.mbtiles'),
    tilesCovering([1, 50, 2.5, 51.5], 0, 8, () => RED),
    { metadata: { name: 'Red coast', format: 'png', minzoom: '0', maxzoom: '8', bounds: '1,50,2.5,51.5', attribution: 'Red Survey' } },
  );
  writePmtiles(
    path.join(folder, 'teal.pmtiles'),
    tilesCovering([1, 50, 2.5, 51.5], 0, 8, () => TEAL),
    { metadata: { name: 'Teal coast' }, leafSize: 5 },
  );
  writeMbtiles(
    path.join(folder, 'unnamed.mbtiles'),
    tilesCovering([1, 50, 2, 51], 0, 2, () => RED),
    { metadata: null, asView: true },
  );
  fs.writeFileSync(path.join(folder, 'zero.mbtiles'), '');
  fs.writeFileSync(path.join(folder, 'text.mbtiles'), 'this is not a database at all, just words\n'.repeat(20));
  const bare = new Database(path.join(folder, 'bare.mbtiles'));
  bare.exec('CREATE TABLE notes (x)');
  bare.close();
  for (const name of ['corrupt.mbtiles', 'corrupt_null_tile.mbtiles', 'invalid.pmtiles', 'empty.pmtiles', 'test_fixture_1.pmtiles'])
    fs.copyFileSync(path.join(samples, name), path.join(folder, name));
  fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a pack: ignored');
}

describe('map pack registry', () => {
  test('lists every pack by name, with a plain message for each bad one', async () => {
    const dir = tempDataDir();
    const folder = path.join(dir, 'maps');
    fillFolder(folder);
    const registry = new MapRegistry(folder, path.join(dir, 'maps.json'), silentLogger);
    const list = await registry.list();
    const byFile = new Map(list.packs.map((pack) => [pack.file, pack]));
    assert.equal(list.packs.length, 11, 'notes.txt is not a pack');
    assert.equal(byFile.get('red.mbtiles')!.name, 'Red coast');
    assert.equal(byFile.get('red.mbtiles')!.status, 'ok');
    assert.equal(byFile.get('red.mbtiles')!.attribution, 'Red Survey');
    assert.deepEqual(byFile.get('red.mbtiles')!.bounds, [1, 50, 2.5, 51.5]);
    assert.equal(byFile.get('teal.pmtiles')!.name, 'Teal coast');
    assert.equal(byFile.get('teal.pmtiles')!.status, 'ok');
    assert.equal(byFile.get('unnamed.mbtiles')!.name, 'unnamed.mbtiles', 'no metadata name: the file name');
    assert.equal(byFile.get('corrupt_null_tile.mbtiles')!.status, 'ok');
    assert.equal(byFile.get('corrupt_null_tile.mbtiles')!.warnings[0]!.code, 'null-tile');
    assert.equal(byFile.get('test_fixture_1.pmtiles')!.status, 'unsupported');
    assert.equal(byFile.get('test_fixture_1.pmtiles')!.problem!.code, 'vector');
    const errors = Object.fromEntries(list.packs.filter((pack) => pack.status === 'error').map((pack) => [pack.file, pack.problem!.code]));
    assert.deepEqual(errors, {
      'bare.mbtiles': 'not-mbtiles',
      'corrupt.mbtiles': 'damaged',
      'empty.pmtiles': 'empty',
      'invalid.pmtiles': 'pmtiles-header',
      'text.mbtiles': 'not-sqlite',
      'zero.mbtiles': 'empty',
    });
    for (const pack of list.packs.filter((p) => p.problem)) assert.ok(pack.problem!.message.length > 10, `${pack.file} has a readable message`);

    const red = byFile.get('red.mbtiles')!;
    const tile = await registry.tile(red.id, 8, 128, 85);
    assert.equal(tile?.contentType, 'image/png');
    assert.deepEqual(tile?.bytes, RED);
    assert.equal(await registry.tile(red.id, 8, 0, 0), undefined);
    assert.equal(await registry.tile(byFile.get('corrupt.mbtiles')!.id, 0, 0, 0), undefined);
    await registry.close();
  });

  test('rescans: a pack dropped in appears, a removed one goes, a replaced one is reread', async () => {
    const dir = tempDataDir();
    const folder = path.join(dir, 'maps');
    fs.mkdirSync(folder);
    const registry = new MapRegistry(folder, path.join(dir, 'maps.json'), silentLogger);
    assert.deepEqual((await registry.list()).packs, []);
    const file = path.join(folder, 'late.mbtiles');
    writeMbtiles(
      file,
      tilesCovering([1, 50, 2, 51], 0, 3, () => RED),
      { metadata: { name: 'Late', format: 'png' } },
    );
    assert.deepEqual(
      (await registry.list()).packs.map((p) => p.name),
      ['Late'],
    );
    writeMbtiles(
      file,
      tilesCovering([1, 50, 2, 51], 0, 3, () => TEAL),
      { metadata: { name: 'Later', format: 'png' } },
    );
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const [pack] = (await registry.list()).packs;
    assert.equal(pack!.name, 'Later');
    assert.deepEqual((await registry.tile(pack!.id, 0, 0, 0))?.bytes, TEAL);
    fs.rmSync(file);
    assert.deepEqual((await registry.list()).packs, []);
    await registry.close();
  });

  test('a pack opened by path and the chosen base map are remembered across restarts', async () => {
    const dir = tempDataDir();
    const elsewhere = path.join(dir, 'usb', 'teal.pmtiles');
    fs.mkdirSync(path.dirname(elsewhere));
    writePmtiles(
      elsewhere,
      tilesCovering([1, 50, 2, 51], 0, 3, () => TEAL),
      { metadata: { name: 'Teal' } },
    );
    const state = path.join(dir, 'maps.json');
    const first = new MapRegistry(path.join(dir, 'maps'), state, silentLogger);
    const opened = await first.open(elsewhere);
    assert.equal(opened.source, 'opened');
    assert.equal(opened.id, packId(elsewhere));
    first.choose(opened.id);
    await assert.rejects(first.open(path.join(samples, 'invalid.pmtiles')), /PMTiles/);
    await assert.rejects(first.open(path.join(dir, 'nowhere.mbtiles')), /no file/);
    assert.throws(() => first.choose('0123456789abcdef'), /no map pack/);
    await first.close();

    const second = new MapRegistry(path.join(dir, 'maps'), state, silentLogger);
    const list = await second.list();
    assert.equal(list.folderProblem !== null, true, 'the maps folder does not exist here');
    assert.deepEqual(
      list.packs.map((p) => [p.name, p.source]),
      [['Teal', 'opened']],
    );
    assert.equal(list.chosen, opened.id);
    // A remembered file that went away is listed as missing, and the coast is shown.
    fs.rmSync(elsewhere);
    const gone = await second.list();
    assert.equal(gone.packs[0]!.problem!.code, 'missing');
    assert.equal(gone.chosen, null);
    assert.equal(await second.forget(opened.id), true);
    assert.deepEqual((await second.list()).packs, []);
    await second.close();
    assert.deepEqual(JSON.parse(fs.readFileSync(state, 'utf8')), { opened: [], chosen: null });
  });
});

describe('tiles over HTTP', () => {
  let core: RunningCore;
  let origin: string;
  let list: MapPackList;
  const call = async (method: string, params: unknown = {}) => {
    const response = await fetch(`${origin}/api/${method}`, { method: 'POST', headers: await apiHeaders(core), body: JSON.stringify(params) });
    return (await response.json()) as { ok: boolean; result?: unknown; error?: { code: string; message: string } };
  };

  // Made here, not in before(): its clean-up then runs after the whole suite.
  const dir = tempDataDir();
  before(async () => {
    fillFolder(path.join(dir, 'packs'));
    core = await startCore({ dataDir: path.join(dir, 'data'), logger: silentLogger, rendererDir: dir, feeds: false, mapsDir: path.join(dir, 'packs') });
    origin = `http://127.0.0.1:${core.port}`;
    list = (await call('maps.list')).result as MapPackList;
  });
  after(() => core.stop());

  test('maps.list needs the secret; tiles come under its per-launch path', async () => {
    const refused = await fetch(`${origin}/api/maps.list`, { method: 'POST', body: '{}' });
    assert.equal(refused.status, 401);
    assert.match(list.tilePath, /^\/maps\/[0-9a-f]{32}$/);
    assert.ok(!list.tilePath.includes(core.secret));
    const red = list.packs.find((pack) => pack.name === 'Red coast')!;
    const teal = list.packs.find((pack) => pack.name === 'Teal coast')!;
    const ok = await fetch(`${origin}${list.tilePath}/${red.id}/8/128/85`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-type'), 'image/png');
    assert.equal(ok.headers.get('cross-origin-resource-policy'), 'same-origin');
    assert.deepEqual(Buffer.from(await ok.arrayBuffer()), RED);
    const pm = await fetch(`${origin}${list.tilePath}/${teal.id}/8/128/85`);
    assert.deepEqual(Buffer.from(await pm.arrayBuffer()), TEAL);

    const status = async (url: string, init?: RequestInit) => (await fetch(`${origin}${url}`, init)).status;
    assert.equal(await status(`${list.tilePath}/${red.id}/8/0/0`), 404, 'no tile there');
    assert.equal(await status(`${list.tilePath}/${red.id}/3/9/0`), 404, 'x outside the zoom');
    assert.equal(await status(`/maps/${'0'.repeat(32)}/${red.id}/8/128/85`), 404, 'wrong key');
    assert.equal(await status(`/maps/${red.id}/8/128/85`), 404, 'no key');
    assert.equal(await status(`${list.tilePath}/${'f'.repeat(16)}/8/128/85`), 404, 'unknown pack');
    assert.equal(await status(`${list.tilePath}/${red.id}/8/128/85`, { method: 'POST' }), 405);
    assert.equal(await status(`${list.tilePath}/${red.id}/8/128/85`, { headers: { origin: 'http://evil.example' } }), 403);
  });

  test('maps.choose is refused for a bad pack, remembered for a good one; maps.open refuses a bad file with its message', async () => {
    const corrupt = list.packs.find((pack) => pack.file === 'corrupt.mbtiles')!;
    const refused = await call('maps.choose', { id: corrupt.id });
    assert.equal(refused.error?.code, 'refused');
    assert.match(refused.error!.message, /damaged/);
    const red = list.packs.find((pack) => pack.name === 'Red coast')!;
    const chose = await call('maps.choose', { id: red.id });
    assert.deepEqual(chose.result, { chosen: red.id }, JSON.stringify(chose));
    assert.equal(((await call('maps.list')).result as MapPackList).chosen, red.id);
    const open = await call('maps.open', { path: path.join(samples, 'empty.pmtiles') });
    assert.equal(open.error?.code, 'refused');
    assert.match(open.error!.message, /empty/);
    const good = await call('maps.open', { path: path.join(samples, 'stamen_toner_raster_z3.pmtiles') });
    assert.equal((good.result as { pack: { status: string } }).pack.status, 'ok');
    assert.deepEqual((await call('maps.choose', { id: null })).result, { chosen: null });
  });
});

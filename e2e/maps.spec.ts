// Map packs and map tools (issue 6), in Chromium against a real
// `vigie serve --maps DIR`: packs the test writes itself (tiles of solid,
// distinctive colours) are chosen in the layer control and their PIXELS are
// read back from a screenshot; the choice survives a restart of the core;
// every bad file in the folder shows its message. Then the tools: cursor
// readout in DD/DMS/MGRS, go-to in each form, measuring, place search.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { formatMgrs } from '../shared/coordinates';
import { distanceMeters } from '../shared/sphere';
import { decodePng, solidPng, tilesCovering, writeMbtiles, writePmtiles } from '../test/maps/packWriters';
import { projectRoot, startCoreServer } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';

const samples = path.join(projectRoot, 'test', 'fixtures', 'maps');
const STRAIT: [number, number, number, number] = [0.2, 49.7, 3.6, 51.7];
const MAGENTA: [number, number, number] = [255, 0, 255];
const MAGENTA_DARK: [number, number, number] = [190, 0, 190];
const CYAN: [number, number, number] = [0, 230, 230];

/** The bad files, and words each one's message must contain. */
const BAD_FILES: Record<string, RegExp> = {
  'zero.mbtiles': /empty \(0 bytes\)/,
  'words.mbtiles': /not an SQLite database/,
  'bare.mbtiles': /no `tiles` table/,
  'corrupt.mbtiles': /damaged/,
  'invalid.pmtiles': /not a PMTiles file/,
  'empty.pmtiles': /empty \(0 bytes\)/,
  'truncated.pmtiles': /past the end/,
};

function makeMapsFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-maps-'));
  const magentaA = solidPng(MAGENTA);
  const magentaB = solidPng(MAGENTA_DARK);
  // A checkerboard of two magentas: the tiles show as tiles in the screenshot.
  writeMbtiles(
    path.join(dir, 'magenta.mbtiles'),
    tilesCovering(STRAIT, 6, 11, (_z, x, y) => ((x + y) % 2 ? magentaA : magentaB)),
    {
      metadata: { name: 'Magenta test pack', format: 'png', minzoom: '6', maxzoom: '11', bounds: STRAIT.join(','), attribution: 'Vigie test tiles' },
    },
  );
  writePmtiles(
    path.join(dir, 'cyan.pmtiles'),
    tilesCovering(STRAIT, 6, 11, () => solidPng(CYAN)),
    { metadata: { name: 'Cyan test pack' }, bounds: STRAIT, leafSize: 50 },
  );
  fs.writeFileSync(path.join(dir, 'zero.mbtiles'), '');
  fs.writeFileSync(path.join(dir, 'words.mbtiles'), 'not a database\n'.repeat(40));
  const bare = new Database(path.join(dir, 'bare.mbtiles'));
  bare.exec('CREATE TABLE notes (x TEXT)');
  bare.close();
  for (const name of ['corrupt.mbtiles', 'invalid.pmtiles', 'empty.pmtiles', 'corrupt_null_tile.mbtiles', 'test_fixture_1.pmtiles'])
    fs.copyFileSync(path.join(samples, name), path.join(dir, name));
  const cyan = fs.readFileSync(path.join(dir, 'cyan.pmtiles'));
  fs.writeFileSync(path.join(dir, 'truncated.pmtiles'), cyan.subarray(0, cyan.length - 500));
  return dir;
}

/** Share of the map's pixels within a few levels of one of the colours. */
async function colourShare(page: Page, colours: [number, number, number][]): Promise<number> {
  const box = (await page.locator('.leaflet-container').boundingBox())!;
  // The middle of the map, away from the controls and the tools panel.
  const clip = { x: box.x + box.width * 0.3, y: box.y + box.height * 0.3, width: box.width * 0.4, height: box.height * 0.4 };
  const { width, height, rgba } = decodePng(await page.screenshot({ clip }));
  let matching = 0;
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = [rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!];
    if (colours.some(([cr, cg, cb]) => Math.abs(r - cr) <= 3 && Math.abs(g - cg) <= 3 && Math.abs(b - cb) <= 3)) matching += 1;
  }
  return matching / (width * height);
}

async function chooseLayer(console: ConsolePage, name: string): Promise<void> {
  await console.layerControl.hover();
  await console.layerEntries.filter({ hasText: name }).locator('input').check();
  await console.page.mouse.move(5, 5);
}

/** Overlays off (their faint fills would tint the pixels counted), or back on. */
async function hideOverlays(console: ConsolePage, hidden = true): Promise<void> {
  await console.layerControl.hover();
  for (const name of ['Beach sectors', 'Sensors and coverage', 'Place names'])
    await console.layerEntries.filter({ hasText: name }).locator('input').setChecked(!hidden);
  await console.page.mouse.move(5, 5);
}

const mapsTest = test.extend<{ mapsDir: string }>({
  // eslint-disable-next-line no-empty-pattern
  mapsDir: async ({}, use) => {
    const dir = makeMapsFolder();
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },
  core: async ({ mapsDir }, use) => {
    const core = await startCoreServer(undefined, ['--maps', mapsDir]);
    await use(core);
    const code = await core.stop();
    expect(code, `vigie serve should stop cleanly; stderr:\n${core.stderr()}`).toBe(0);
    fs.rmSync(core.dataDir, { recursive: true, force: true });
  },
});

mapsTest('a chosen map pack is drawn (its pixels), remembered across a restart, and every bad file says why', async ({ page, core, mapsDir }) => {
  const console = new ConsolePage(page);
  await page.goto(core.consoleUrl);
  await console.waitUntilConnected();
  await expect(console.sectorLabels.first()).toBeVisible();

  // Base layers: the coast always, then each drawable pack by its metadata name.
  // (corrupt_null_tile.mbtiles is named plain_1 in its metadata: usable, with a warning.)
  await expect.poll(() => console.layerNames()).toEqual(expect.arrayContaining(['Coast (offline)', 'Magenta test pack', 'Cyan test pack', 'plain_1']));
  await hideOverlays(console);
  expect(await colourShare(page, [MAGENTA, MAGENTA_DARK])).toBeLessThan(0.01);

  await chooseLayer(console, 'Magenta test pack');
  await expect(page.locator('.map-pack-tiles img.leaflet-tile-loaded').first()).toBeVisible();
  await expect.poll(() => colourShare(page, [MAGENTA, MAGENTA_DARK]), { message: 'the magenta tiles are drawn' }).toBeGreaterThan(0.6);
  await expect(console.attribution).toContainText('Vigie test tiles');

  // Every bad file is listed with its message; the usable ones with their warnings.
  await page.getByTestId('tool-packs').click();
  const rows = page.getByTestId('pack-row');
  for (const [file, words] of Object.entries(BAD_FILES)) {
    const row = rows.and(page.locator(`[data-pack-file="${file}"]`));
    await expect(row, file).toHaveAttribute('data-status', 'error');
    await expect(row.getByTestId('pack-problem'), file).toContainText(words);
  }
  await expect(page.getByTestId('pack-problem-count')).toHaveText(`${Object.keys(BAD_FILES).length} map files unusable`);
  await expect(rows.and(page.locator('[data-pack-file="corrupt_null_tile.mbtiles"]')).getByTestId('pack-warning')).toContainText('no data');
  await expect(rows.and(page.locator('[data-pack-file="test_fixture_1.pmtiles"]'))).toHaveAttribute('data-status', 'unsupported');
  await hideOverlays(console, false);
  await page.getByTestId('tool-packs').click();
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/map-pack.png') });

  // A restart of the core on the same data directory: the magenta pack is still the base map.
  const dataDir = core.dataDir;
  expect(await core.stop()).toBe(0);
  const again = await startCoreServer(dataDir, ['--maps', mapsDir]);
  try {
    await page.goto(again.consoleUrl);
    await console.waitUntilConnected();
    await hideOverlays(console);
    await expect.poll(() => colourShare(page, [MAGENTA, MAGENTA_DARK]), { message: 'the remembered pack is drawn after a restart' }).toBeGreaterThan(0.6);

    // The PMTiles pack, then back to the coast.
    await chooseLayer(console, 'Cyan test pack');
    await expect.poll(() => colourShare(page, [CYAN]), { message: 'the cyan PMTiles tiles are drawn' }).toBeGreaterThan(0.6);
    expect(await colourShare(page, [MAGENTA, MAGENTA_DARK])).toBeLessThan(0.01);
    await chooseLayer(console, 'Coast (offline)');
    await expect.poll(() => colourShare(page, [CYAN])).toBeLessThan(0.01);
  } finally {
    expect(await again.stop()).toBe(0);
  }
});

mapsTest('a pack opened by its path is listed; a bad one is refused with its message', async ({ page, core }) => {
  const console = new ConsolePage(page);
  await page.goto(core.consoleUrl);
  await console.waitUntilConnected();
  await page.getByTestId('tool-packs').click();
  await page.getByTestId('pack-open-input').fill(path.join(samples, 'invalid.pmtiles'));
  await page.getByTestId('pack-open-input').press('Enter');
  await expect(page.getByTestId('pack-open-refusal')).toHaveText('Not opened: invalid.pmtiles: Not a PMTiles file (bad header).');
  await page.getByTestId('pack-open-input').fill(path.join(samples, 'stamen_toner_raster_z3.pmtiles'));
  await page.getByTestId('pack-open-input').press('Enter');
  await expect(page.locator('[data-pack-file="stamen_toner_raster_z3.pmtiles"]')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('pack-open-refusal')).toHaveCount(0);

  // The tools and the packs panel pass an accessibility check (no serious or critical violation).
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: string): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }> } }
    ).axe;
    const result = await axe.run('.map-tools');
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({ id: violation.id, targets: violation.nodes.map((node) => node.target) }));
  });
  expect(violations).toEqual([]);

  // In French, the problems are worded in French (the core's detail stays beneath).
  await console.languageButton('fr').click();
  await expect(page.getByTestId('tool-packs')).toHaveText('Fonds de carte');
  await expect(page.locator('[data-pack-file="empty.pmtiles"]').getByTestId('pack-problem')).toContainText('Fichier vide');
  await expect(page.getByTestId('pack-problem-count')).toHaveText('7 fichiers de carte inutilisables');
});

test('map tools: cursor in DD, DMS and MGRS; go to each form; measure; find a place', async ({ page, core }) => {
  const console = new ConsolePage(page);
  await page.goto(core.consoleUrl);
  await console.waitUntilConnected();
  await expect(console.sectorLabels.first()).toBeVisible();
  const box = (await console.map.boundingBox())!;
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  /** The cursor's position from the readout's decimal degrees. */
  const readAt = async (x: number, y: number) => {
    await page.mouse.move(x, y);
    const text = (await console.cursorReadout.textContent()) ?? '';
    const match = /(-?\d+\.\d{5}), (-?\d+\.\d{5})/.exec(text)!;
    return { lat: Number(match[1]), lon: Number(match[2]) };
  };
  /** Metres between a point and the map's centre. */
  const away = async (point: { lat: number; lon: number }) => {
    const seen = await readAt(centre.x, centre.y);
    return distanceMeters(point.lat, point.lon, seen.lat, seen.lon);
  };

  await page.mouse.move(centre.x, centre.y);
  await expect(page.getByTestId('cursor-dms')).toHaveText(/^5\d°\d\d′\d\d\.\d″N 00\d°\d\d′\d\d\.\d″E$/);
  await expect(page.getByTestId('cursor-mgrs')).toHaveText(/^31U [A-Z]{2} \d{5} \d{5}$/);
  const here = await readAt(centre.x, centre.y);
  expect(await page.getByTestId('cursor-mgrs').textContent()).toBe(formatMgrs(here.lat, here.lon));

  // Go to: a bad entry is refused in words; each form lands where it says.
  await page.mouse.move(5, 5);
  await page.keyboard.press('j');
  await expect(page.getByTestId('goto-input')).toBeFocused();
  await page.getByTestId('goto-input').fill('somewhere nice');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('goto-error')).toBeVisible();
  const cap = { lat: 50.8694, lon: 1.5839 };
  for (const text of ['50.8694, 1.5839', '50°52′09.8″N 001°35′02.0″E', formatMgrs(cap.lat, cap.lon)!]) {
    await page.getByTestId('goto-input').fill(text);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('goto-error')).toHaveCount(0);
    await expect.poll(() => away(cap), { message: `went to ${text}` }).toBeLessThan(40);
    await page.mouse.move(5, 5);
  }
  await expect(page.locator('.goto-label')).toContainText('31U');

  // Measure, out at sea (no sector under the clicks): two points east of each other, then a third to the north.
  await page.getByTestId('goto-input').fill('50.95, 1.35');
  await page.keyboard.press('Enter');
  await expect.poll(() => away({ lat: 50.95, lon: 1.35 })).toBeLessThan(40);
  await page.keyboard.press('Escape');
  await console.map.focus();
  await page.keyboard.press('k');
  await expect(page.getByTestId('tool-measure')).toHaveAttribute('aria-pressed', 'true');
  const a = { x: centre.x - 200, y: centre.y + 100 };
  const b = { x: centre.x + 100, y: centre.y + 100 };
  const c = { x: centre.x + 100, y: centre.y - 100 };
  const [pa, pb] = [await readAt(a.x, a.y), await readAt(b.x, b.y)];
  for (const point of [a, b, c]) await page.mouse.click(point.x, point.y);
  const legs = page.getByTestId('measure-leg');
  await expect(legs).toHaveCount(2);
  await expect(legs.nth(0)).toContainText('bearing 090°');
  await expect(legs.nth(1)).toContainText('bearing 000°');
  const km = Number(/([\d.]+) km/.exec((await legs.nth(0).textContent())!)![1]);
  expect(Math.abs(km * 1000 - distanceMeters(pa.lat, pa.lon, pb.lat, pb.lon))).toBeLessThan(20);
  await expect(page.getByTestId('measure-total')).toContainText('Total');
  await page.mouse.move(centre.x - 50, centre.y);
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/map-tools.png') });
  await page.keyboard.press('Escape');
  await expect(legs).toHaveCount(0);

  // Place search: accents and case do not matter; Enter goes to the first match.
  await page.keyboard.press('p');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.getByTestId('search-input').fill('WISS');
  await expect(page.getByTestId('search-results').getByRole('button').first()).toContainText('Wissant');
  await page.keyboard.press('Enter');
  await expect(page.locator('.goto-label')).toHaveText('Wissant');
  await expect.poll(() => away({ lat: 50.8853, lon: 1.66263 })).toBeLessThan(40);
  await page.getByTestId('search-input').fill('equihen');
  await expect(page.getByTestId('search-results')).toContainText('Équihen');
});

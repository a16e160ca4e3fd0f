// The sector editor end to end (issue 6): the duty supervisor renames a
// sector and sets its risk, redraws it by clicking on the map, sees a
// self-crossing drawing refused with its reason, exports the sectors and
// imports an edited file; an operator never sees the editor.
import fs from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { addAccount } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { DispatchPage } from './page-models/dispatchPage';

const PASSWORD = 'a long enough passphrase';

interface Ring {
  ring: [number, number][];
}

/** Clicks points on the map, in pixels from its centre. */
async function clickCorners(page: Page, map: Locator, offsets: [number, number][]): Promise<{ x: number; y: number }> {
  const box = (await map.boundingBox())!;
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  for (const [dx, dy] of offsets) await page.mouse.click(centre.x + dx, centre.y + dy);
  return centre;
}

test('a supervisor renames, re-rates and redraws a sector; a crossing drawing is refused; export re-imports', async ({ page, core }) => {
  const console = new DispatchPage(page);
  await console.open(core.consoleUrl);
  const editor = page.getByTestId('sector-editor');
  await expect(editor).toBeVisible();
  await expect(editor).toContainText('Choose a sector');

  // Rename and risk.
  const list = page.getByTestId('sector-list');
  await list.getByRole('button', { name: /^S05/ }).click();
  await editor.getByLabel('Name').fill('Plage d’essai');
  await editor.getByLabel('Risk level').selectOption('low');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('sector-editor-message')).toHaveText('S05 saved (logged).');
  const row = list.getByRole('button', { name: /^S05/ });
  await expect(row.locator('.sector-name')).toHaveText('Plage d’essai');
  await expect(row.locator('[data-risk]')).toHaveAttribute('data-risk', 'low');

  // Redraw: a square of clicks around the map's centre (the map has flown to S05; let it settle).
  await page.waitForTimeout(1500);
  const map = page.locator('.coast-map');
  const label = page.locator('.leaflet-tooltip:has([data-sector-id="S05"])');
  const before = (await core.api<{ sectors: ({ id: string } & Ring)[] }>('picture.get')).sectors.find((s) => s.id === 'S05')!;
  await editor.getByRole('button', { name: 'Redraw on the map' }).click();
  await clickCorners(page, map, [
    [-40, -160],
    [120, -160],
    [120, -40],
    [-40, -40],
  ]);
  await expect(page.getByTestId('sector-drawing')).toContainText('4 corners');
  await page.screenshot({ path: 'docs/screenshots/sector-editor.png' });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sector-editor-message')).toHaveText('S05 saved (logged).');
  await expect(page.getByTestId('sector-drawing')).toHaveCount(0);
  const after = (await core.api<{ sectors: ({ id: string } & Ring)[] }>('picture.get')).sectors.find((s) => s.id === 'S05')!;
  expect(after.ring).toHaveLength(5);
  expect(after.ring).not.toEqual(before.ring);
  // The map shows the new polygon (as wide as drawn: 160 × 120 px at the drawing's zoom), its label at its centre.
  const polygon = page.locator('path.sector-S05');
  await expect
    .poll(async () => {
      const shape = (await polygon.boundingBox())!;
      const text = (await label.boundingBox())!;
      const off = Math.hypot(text.x + text.width / 2 - (shape.x + shape.width / 2), text.y + text.height / 2 - (shape.y + shape.height / 2));
      return Math.abs(shape.width / shape.height - 160 / 120) < 0.05 && off < 8;
    })
    .toBe(true);

  // A bow tie: refused, with the core's reason on screen; the sector keeps its shape.
  await editor.getByRole('button', { name: 'Redraw on the map' }).click();
  await clickCorners(page, map, [
    [-40, 40],
    [120, 160],
    [120, 40],
    [-40, 160],
  ]);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sector-editor-message')).toHaveText(/^Refused: S05: edges 1 and 3 cross at \d+\.\d+°N, \d+\.\d+°E\.$/);
  const unchanged = (await core.api<{ sectors: ({ id: string } & Ring)[] }>('picture.get')).sectors.find((s) => s.id === 'S05')!;
  expect(unchanged.ring).toEqual(after.ring);

  // Export downloads the sectors as GeoJSON; the file, edited, re-imports.
  const [download] = await Promise.all([page.waitForEvent('download'), editor.getByRole('button', { name: 'Export GeoJSON' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^vigie-sectors-\d{4}-\d{2}-\d{2}\.geojson$/);
  const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as {
    type: string;
    features: { properties: { id: string; name: string }; geometry: { coordinates: number[][][] } }[];
  };
  expect(exported.type).toBe('FeatureCollection');
  expect(exported.features).toHaveLength(27);
  expect(exported.features.find((f) => f.properties.id === 'S05')!.geometry.coordinates[0]).toEqual(after.ring);
  exported.features[0]!.properties.name = 'Bray-Dunes (importé)';
  await page
    .getByTestId('sector-import-file')
    .setInputFiles({ name: 'sectors.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(exported)) });
  await expect(page.getByTestId('sector-editor-message')).toHaveText('Import: 1 sector changed (logged).');
  await expect(list.getByRole('button', { name: /^S01/ }).locator('.sector-name')).toHaveText('Bray-Dunes (importé)');

  // Every change is in the log, under the supervisor's name.
  const tail = await core.api<{ events: { kind: string; operator: string | null; source: string }[] }>('log.tail', { limit: 100 });
  expect(tail.events.filter((e) => e.kind === 'sector.defined' && e.source === 'sector-editor').map((e) => e.operator)).toEqual(['duty', 'duty', 'duty']);
});

test('an operator does not see the sector editor', async ({ page, core }) => {
  addAccount(core.dataDir, 'marie', 'operator', PASSWORD);
  const console = new DispatchPage(page);
  await console.open(core.consoleUrl, { name: 'marie', password: PASSWORD });
  await expect(page.getByTestId('session-status')).toContainText('marie (operator)');
  await expect(page.getByTestId('sector-list')).toBeVisible();
  await expect(page.getByTestId('sector-editor')).toHaveCount(0);
  // B (the editor's key) does nothing for an operator.
  await page.keyboard.press('b');
  await expect(page.getByTestId('sector-editor')).toHaveCount(0);
});

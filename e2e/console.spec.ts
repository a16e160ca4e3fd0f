// The first screen, in Debian's Chromium against a real `vigie serve`: the
// offline coast, every beach sector, the map instruments, and nothing fetched
// from outside the machine (the offlineViolations fixture fails the test).
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';

const shippedSectors = JSON.parse(fs.readFileSync(path.join(projectRoot, 'assets/sectors.geojson'), 'utf8')) as {
  features: { properties: { id: string; name: string } }[];
};

test('shows the offline coast with every beach sector', async ({ page, core }) => {
  const console = new ConsolePage(page);
  await console.open(core.consoleUrl);

  expect(shippedSectors.features.length).toBeGreaterThanOrEqual(25);
  await expect(console.sectorLabels).toHaveCount(shippedSectors.features.length);
  await expect(console.sectorButtons).toHaveCount(shippedSectors.features.length);
  const ids = await console.sectorLabels.evaluateAll((labels) => labels.map((label) => label.getAttribute('data-sector-id')));
  expect(ids.sort()).toEqual(shippedSectors.features.map((feature) => feature.properties.id).sort());

  // Land polygons plus one outline per sector, drawn as SVG paths.
  expect(await console.vectorPaths().count()).toBeGreaterThan(shippedSectors.features.length + 2);
  await expect(console.attribution).toContainText('OpenStreetMap');
  await expect(console.attribution).toContainText('GeoNames');
  await expect(console.scale.first()).toBeVisible();
  await expect(console.layerControl).toBeVisible();
  // core.started, the sectors, and the site's sensors and units at least.
  await expect(console.logStatus).toContainText(/Log: \d+ events/);
  const logged = Number((await console.logStatus.textContent())!.match(/Log: ([\d,]+) events/)![1]!.replace(/,/g, ''));
  expect(logged).toBeGreaterThan(shippedSectors.features.length + 1);

  // The secret must not stay in the address bar.
  expect(page.url()).not.toContain('token=');

  const box = (await console.map.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(console.cursorReadout).toContainText(/^5\d\.\d{5}, [0-3]\.\d{5}/);
  await expect(console.cursorReadout).toContainText(/5\d°\d\d\.\d{3}′N 00\d°\d\d\.\d{3}′E/);

  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/console.png') });
});

test('choosing a sector flies to it and shows sector names', async ({ page, core }) => {
  const console = new ConsolePage(page);
  await console.open(core.consoleUrl);
  const calais = shippedSectors.features.find((feature) => feature.properties.name.startsWith('Calais'))!;
  await console.sectorButtons.filter({ hasText: calais.properties.name }).first().click();
  await expect(page.locator(`.leaflet-tooltip [data-sector-id="${calais.properties.id}"]`)).toHaveText(calais.properties.name);
  await expect(console.sectorButtons.filter({ hasText: calais.properties.name }).first()).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/sector-zoom.png') });
});

test('a console without the secret is refused and says so', async ({ page, core }) => {
  const console = new ConsolePage(page);
  await page.goto(`${core.origin}/`);
  await expect(console.connection).toContainText('Wrong or missing secret');
  await expect(console.sectorLabels).toHaveCount(0);
});

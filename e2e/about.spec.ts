// The About dialog: every third-party package shipped, with its licence text
// (react-leaflet's Hippocratic License, Leaflet's BSD-2), and the shipped
// geographic data's licences — in English and French, before sign-in too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';

test('About lists every shipped package with its licence, in English and French', async ({ page, core }) => {
  const shipped = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'dist/renderer/third-party-notices.json'), 'utf8')) as { notices: { name: string }[] })
    .notices;
  const console = new ConsolePage(page);
  // Before anyone signs in: the notices are not operational data.
  await page.goto(core.consoleUrl);
  await page.getByTestId('about-button').click();
  const dialog = page.getByTestId('about-dialog');
  await expect(dialog.getByRole('heading', { name: 'About Vigie' })).toBeVisible();
  const packages = dialog.getByTestId('about-packages').locator('li');
  await expect(packages).toHaveCount(shipped.length);
  const reactLeaflet = dialog.locator('li[data-package="react-leaflet"]');
  await reactLeaflet.locator('summary').click();
  await expect(reactLeaflet).toContainText('Hippocratic-2.1');
  await expect(reactLeaflet.locator('pre')).toContainText('Hippocratic License Version Number: 2.1');
  await expect(dialog.locator('li[data-package="leaflet"]')).toContainText('BSD-2-Clause');
  await expect(dialog.getByTestId('about-data-attribution')).toContainText('OpenStreetMap');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // Signed in, in French.
  await console.open(core.consoleUrl);
  await console.languageButton('fr').click();
  await page.getByTestId('about-button').click();
  await expect(page.getByTestId('about-dialog').getByRole('heading', { name: 'À propos de Vigie' })).toBeVisible();
  await expect(page.getByTestId('about-dialog')).toContainText('Données géographiques');
  await expect(page.getByTestId('about-dialog').locator('li')).toHaveCount(shipped.length);
  // Signed in, it names the post's signing key, as `vigie key show` prints it.
  const fingerprint = spawnSync(process.execPath, [path.join(projectRoot, 'bin/vigie.cjs'), 'key', 'show', '--data', core.dataDir], {
    encoding: 'utf8',
  }).stdout.trim();
  expect(fingerprint).toMatch(/^ed25519:[0-9a-f]{64}$/);
  await expect(page.getByTestId('about-post-key')).toContainText('Clé de signature du poste');
  await expect(page.getByTestId('about-post-key').locator('code')).toHaveText(fingerprint);
});

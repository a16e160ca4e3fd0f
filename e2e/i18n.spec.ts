// English and French at run time, and the keyboard: the language switch
// translates every part of the first screen (the map's Leaflet controls
// included) and is remembered; the help overlay is a real modal dialog; the
// focus shortcuts move the focus, always visibly.
import net from 'node:net';
import path from 'node:path';
import type { CoreServer } from './fixtures/coreServer';
import { projectRoot } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';

const ENGLISH_LAYERS = ['Coast (offline)', 'Beach sectors', 'Sensors and coverage', 'Place names', 'AIS ships'];
const FRENCH_LAYERS = ['Côte (hors ligne)', 'Secteurs de plage', 'Capteurs et couverture', 'Noms de lieux', 'Navires AIS'];
const FRENCH_RISK: Record<string, string> = { high: 'élevé', medium: 'moyen', low: 'faible' };

/** One detection through the core's JSON-lines TCP feed, as a camera would send it. */
async function sendDetection(core: CoreServer, line: object): Promise<void> {
  const status = { result: await core.api<{ listeners: { protocol: string; transport: string; port: number }[] }>('feeds.status') };
  const port = status.result.listeners.find((listener) => listener.protocol === 'json' && listener.transport === 'tcp')!.port;
  const device = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => device.once('connect', resolve).once('error', reject));
  await new Promise<void>((resolve) => device.end(`${JSON.stringify(line)}\n`, resolve));
}

test('switches to French at run time, everywhere, and remembers it', async ({ page, core }) => {
  const console = new ConsolePage(page);
  await console.open(core.consoleUrl);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(console.languageButton('en')).toHaveAttribute('aria-pressed', 'true');
  expect(await console.layerNames()).toEqual(ENGLISH_LAYERS);
  // The operator hides the place names before switching: the choice must survive the switch.
  await console.layerEntries.filter({ hasText: 'Place names' }).locator('input').uncheck();
  await page.mouse.move(5, 5);

  await console.languageButton('fr').click();
  await expect(console.languageButton('fr')).toHaveAttribute('aria-pressed', 'true');
  await expect(console.languageButton('en')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

  // Top bar.
  await expect(console.connection).toContainText('Serveur Vigie connecté');
  await expect(console.pictureCounts).toHaveText(/^Pistes \d+ · Unités \d+ · Alertes \d+$/);
  await expect(console.logStatus).toHaveText(/^Journal\u00a0: [\d\u202f\u00a0]+ événements · empreinte [0-9a-f]{12}…$/);
  await expect(console.languageSwitch).toHaveAttribute('aria-label', 'Langue');

  // Sector list: heading, accessible name, risk badges.
  await expect(console.sectorListHeading).toHaveText(/^Secteurs de plage \(\d+\)$/);
  await expect(page.getByRole('navigation', { name: 'Secteurs de plage' })).toBeVisible();
  const risks = await console.riskBadges.evaluateAll((badges) => badges.map((badge) => [badge.getAttribute('data-risk')!, badge.textContent!]));
  expect(risks.length).toBeGreaterThanOrEqual(25);
  for (const [risk, text] of risks) expect(text).toBe(FRENCH_RISK[risk!]);

  // The map's Leaflet controls: layer names (and the hidden layer still hidden), zoom buttons.
  expect(await console.layerNames()).toEqual(FRENCH_LAYERS);
  await expect(console.layerEntries.filter({ hasText: 'Noms de lieux' }).locator('input')).not.toBeChecked();
  await expect(console.layerEntries.filter({ hasText: 'Secteurs de plage' }).locator('input')).toBeChecked();
  await expect(page.locator('.leaflet-control-layers-toggle')).toHaveAttribute('aria-label', 'Couches');
  await expect(console.zoomInButton).toHaveAttribute('aria-label', 'Zoom avant');
  await page.mouse.move(5, 5);
  await expect(console.cursorReadout).toHaveText('Survolez la carte pour lire les coordonnées');
  await expect(console.map).toHaveAttribute('aria-label', 'Carte de la côte');

  // An alert from a real feed, in French, with a 24-hour time.
  await sendDetection(core, { v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection: 'D1', kind: 'boat-launch', lat: 50.95, lon: 1.74, confidence: 0.9 });
  // (Sensors that never report fall silent after their heartbeat period and raise alerts of their own.)
  const launch = page.locator('[data-alert-kind="boat-launch"]');
  await expect(launch.locator('.alert-kind')).toHaveText(/^Mise à l’eau, gravité (élevée|moyenne|faible)$/, { timeout: 15_000 }); // with the screen-reader severity
  await expect(launch.locator('.alert-meta')).toHaveText(/^CAM-SANGATTE · \d\d:\d\d:\d\d · \d+ s$/);
  await expect(page.getByRole('region', { name: 'Alertes' }).getByRole('heading')).toHaveText(/^Alertes \(\d+\)$/);
  await expect(console.alertRegion).toHaveAttribute('aria-label', /^(1 alerte en cours|\d+ alertes en cours)$/);
  for (const kind of await console.alerts.locator('.alert-kind').allTextContents()) expect(kind).toMatch(/^(Mise à l’eau|Capteur muet), gravité/);

  // The help overlay, in French; screenshot for the docs.
  await console.helpButton.click();
  await expect(console.helpDialog).toBeVisible();
  await expect(page.getByRole('dialog', { name: 'Raccourcis clavier' })).toBeVisible();
  await expect(console.helpDialog).toContainText('Aller à la liste des secteurs');
  await expect(console.helpDialog).toContainText('Changer de langue (anglais / français)');
  await expect(console.helpDialog.getByRole('button', { name: /Fermer/ })).toBeFocused();
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/console-fr-help.png') });
  await page.keyboard.press('Escape');
  await expect(console.helpDialog).toBeHidden();
  await expect(console.helpButton).toBeFocused();

  // Remembered across a reload.
  await page.reload();
  await console.waitUntilConnected();
  await expect(console.connection).toContainText('Serveur Vigie connecté');
  await expect(console.languageButton('fr')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(console.sectorListHeading).toContainText('Secteurs de plage');
  await expect(page.locator('[data-alert-kind="boat-launch"] .alert-kind')).toContainText('Mise à l’eau');

  // L switches back; the whole screen follows.
  await page.keyboard.press('l');
  await expect(console.connection).toContainText('Core connected');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('[data-alert-kind="boat-launch"] .alert-kind')).toContainText('Boat launch');
  expect(await console.layerNames()).toEqual(ENGLISH_LAYERS);
  expect(await page.evaluate(() => localStorage.getItem('vigie.language'))).toBe('en');
});

test.describe('in a French browser', () => {
  test.use({ locale: 'fr-FR' });

  test('starts in French without being asked', async ({ page, core }) => {
    const console = new ConsolePage(page);
    await page.goto(core.consoleUrl);
    await console.waitUntilConnected();
    await expect(console.connection).toContainText('Serveur Vigie connecté');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(console.languageButton('fr')).toHaveAttribute('aria-pressed', 'true');
    // The browser's language is a default, not a choice: nothing is stored until the operator switches.
    expect(await page.evaluate(() => localStorage.getItem('vigie.language'))).toBeNull();
  });
});

test('the help overlay opens with ?, keeps the focus, and closes with Escape back where the focus was', async ({ page, core }) => {
  const console = new ConsolePage(page);
  await console.open(core.consoleUrl);
  await expect(console.sectorButtons.first()).toBeVisible();

  await page.keyboard.press('s');
  const firstSector = console.sectorButtons.first();
  await expect(firstSector).toBeFocused();

  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  for (const text of [
    'Show or hide this help',
    'Switch language',
    'Zoom in / out',
    'Pan the map',
    'Go to the map',
    'Go to the sector list',
    'Go to the alert list',
  ]) {
    await expect(dialog).toContainText(text);
  }
  await expect(dialog.getByRole('button', { name: /Close/ })).toBeFocused();

  // Tab and Shift+Tab never leave the dialog.
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    expect(await dialog.evaluate((element) => element.contains(document.activeElement)), `focus after ${key}`).toBe(true);
  }
  // The console's own shortcuts are off behind the dialog.
  await page.keyboard.press('l');
  await expect(console.connection).toContainText('Core connected');
  await page.keyboard.press('m');
  expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(firstSector).toBeFocused();

  // F1 opens it too, and ? closes it again.
  await page.keyboard.press('F1');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('?');
  await expect(dialog).toBeHidden();
  await expect(firstSector).toBeFocused();
});

test('A, S and M move the focus, visibly; letters typed in a field stay in the field', async ({ page, core }) => {
  const console = new ConsolePage(page);
  await console.open(core.consoleUrl);
  await expect(console.sectorButtons.first()).toBeVisible();
  // The map can take the focus once the offline base map is on screen, as an operator sees it.
  await expect(console.map).toBeVisible();

  await page.keyboard.press('a');
  await expect(console.alertRegion).toBeFocused();
  expect((await console.focused()).ring).toBe(true);

  await page.keyboard.press('m');
  await expect(console.map).toBeFocused();
  expect((await console.focused()).ring).toBe(true);
  // Leaflet's own keys work once the map has the focus (before any sector flight moves it).
  const scaleBefore = await console.scale.first().textContent();
  await page.keyboard.press('-');
  await expect(console.scale.first()).not.toHaveText(scaleBefore!);

  await page.keyboard.press('S');
  await expect(console.sectorButtons.first()).toBeFocused();
  expect((await console.focused()).ring).toBe(true);
  // Arrow keys within the list, and S returns to the selected sector.
  await page.keyboard.press('ArrowDown');
  await expect(console.sectorButtons.nth(1)).toBeFocused();
  await page.keyboard.press('End');
  await expect(console.sectorButtons.last()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(console.sectorButtons.last()).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('a');
  await page.keyboard.press('s');
  await expect(console.sectorButtons.last()).toBeFocused();

  // Every stop of the Tab order draws a focus ring.
  await page.keyboard.press('s');
  await page.evaluate(() => (document.activeElement as HTMLElement).blur());
  const seen: string[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const focused = await console.focused();
    if (focused.tag === 'body') continue;
    expect(focused.ring, `focus ring on ${focused.tag} ${focused.id}`).toBe(true);
    seen.push(`${focused.tag}:${focused.id}`);
  }

  expect(seen).toEqual(expect.arrayContaining(['button:en', 'button:fr', 'button:help-button', 'div:alert-region']));
  expect(seen.some((stop) => stop.includes('leaflet-container'))).toBe(true);

  // A language switch rebuilds Leaflet's layer list and the sensor markers: the focus is not lost.
  await page.locator('.leaflet-control-layers-toggle').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const layerInputs = console.layerEntries.locator('input');
  await expect(layerInputs.nth(1)).toBeFocused();
  await page.keyboard.press('l');
  await expect(console.layerEntries.nth(1)).toHaveText(/Secteurs de plage/);
  await expect(layerInputs.nth(1)).toBeFocused();
  await console.zoomInButton.focus();
  await page.keyboard.press('l');
  await expect(console.zoomInButton).toHaveAttribute('aria-label', 'Zoom in');
  await expect(console.zoomInButton).toBeFocused();
  // Sensor markers are keyboard stops (Leaflet opens their tooltip on focus).
  const markerFocused = await page.evaluate(() => {
    for (const path of document.querySelectorAll<SVGPathElement>('.leaflet-overlay-pane path')) {
      path.focus();
      if (document.activeElement === path) return true;
    }
    return false;
  });
  expect(markerFocused).toBe(true);
  await page.keyboard.press('l');
  await expect(console.connection).toContainText('Serveur Vigie connecté');
  await expect(console.map).toBeFocused();
  await page.keyboard.press('l');

  // Typing into a field is not a shortcut.
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.id = 'scratch';
    document.body.append(input);
    input.focus();
  });
  await page.keyboard.type('lams?');
  await expect(page.locator('#scratch')).toHaveValue('lams?');
  await expect(page.locator('#scratch')).toBeFocused();
  await expect(console.connection).toContainText('Core connected');
  await expect(console.helpDialog).toHaveCount(0);
});

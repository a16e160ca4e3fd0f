// The desktop app's Settings window (issue 15), its page in Debian's Chromium.
// In the app the page is served on vigie://settings/ by the Electron main
// process and talks to it through settingsPreload.ts; neither can run without
// the Electron runtime, so here the built page (dist/settings/) is served over
// loopback with the same CSP, and `window.vigieSettings` is a stand-in that
// records what the page asks. What is tested is the page: what it shows, what
// it refuses before asking, and exactly what it sends. The main process's
// checks of the same values are unit-tested (test/shell/launchPlan.test.ts);
// the real window is driven in e2e/room.electron.spec.ts where Electron exists.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { projectRoot } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import type { DesktopSettings, PostPin, SettingsView } from '../shared/desktopSettings';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');
const OTHER = Array.from({ length: 32 }, () => 'C4').join(':');
// The policy main.ts sends with the page (SETTINGS_CSP).
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let server: http.Server;
let origin: string;

test.beforeAll(async () => {
  const files: Record<string, [string, string]> = {
    '/': ['index.html', 'text/html; charset=utf-8'],
    '/settings.js': ['settings.js', 'text/javascript; charset=utf-8'],
    '/settings.css': ['settings.css', 'text/css; charset=utf-8'],
  };
  server = http.createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://x').pathname];
    if (!file) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file[1], 'content-security-policy': CSP });
    response.end(fs.readFileSync(path.join(projectRoot, 'dist/settings', file[0])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

interface Recorded {
  saved: DesktopSettings[];
  forgotten: string[];
  restarts: number;
}

/** The page with a stand-in bridge answering `view`; what the page sends is read back with recorded(). */
async function openSettings(page: Page, view: SettingsView, saveAnswer: { saved: true } | { saved: false; problem: string } = { saved: true }) {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => (message.type() === 'error' ? errors.push(message.text()) : undefined));
  await page.addInitScript(
    ({ view, saveAnswer }) => {
      const recorded = { saved: [] as unknown[], forgotten: [] as string[], restarts: 0 };
      let pins = view.pins;
      (window as unknown as { recorded: typeof recorded }).recorded = recorded;
      window.vigieSettings = {
        load: async () => view,
        save: async (settings) => {
          recorded.saved.push(settings);
          return saveAnswer;
        },
        forgetPin: async (address) => {
          recorded.forgotten.push(address);
          pins = pins.filter((pin) => pin.address !== address);
          return pins;
        },
        restart: async () => {
          recorded.restarts += 1;
        },
      };
    },
    { view, saveAnswer },
  );
  await page.goto(`${origin}/`);
  return { errors, recorded: () => page.evaluate(() => (window as unknown as { recorded: Recorded }).recorded) };
}

const pin: PostPin = { address: '192.168.10.5:8443', fingerprint: FINGERPRINT, pinnedAt: '2026-12-04T21:30:00Z' };
const ownView: SettingsView = {
  settings: { mode: 'own', room: null, join: null },
  pins: [pin, { address: 'salle-b.local:8443', fingerprint: OTHER, pinnedAt: '2026-12-01T08:00:00Z' }],
  file: '/home/op/.config/Vigie/desktop-settings.json',
  commandLine: null,
  room: null,
};

test('joining a post: the address and fingerprint checked, normalised and sent; a restart offered', async ({ page }) => {
  const { errors, recorded } = await openSettings(page, ownView);
  await expect(page.getByTestId('settings-page')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByLabel('Room address of my post (HOST:PORT; empty: this machine only)')).toHaveValue('');
  await page.getByTestId('settings-mode-join').check();

  // Refused by the page before anything is sent.
  await page.getByLabel('Post address (HOST:PORT)').fill('192.168.10.5');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-problem')).toHaveText(/HOST:PORT, for example 192\.168\.10\.5:8443/);
  await page.getByLabel('Post address (HOST:PORT)').fill('192.168.10.5:8443');
  await page.getByLabel('Certificate fingerprint the post printed (optional)').fill('AA:BB');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-problem')).toHaveText(/32 bytes of hex/);
  expect((await recorded()).saved).toEqual([]);

  // Typed by hand in lower case without colons: sent as the post prints it.
  await page.getByLabel('Certificate fingerprint the post printed (optional)').fill(FINGERPRINT.replace(/:/g, '').toLowerCase());
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('settings-saved')).toHaveText('Saved. Restart Vigie to apply the settings.');
  await page.setViewportSize({ width: 720, height: 900 });
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/desktop-settings.png'), fullPage: true });
  expect((await recorded()).saved).toEqual([{ mode: 'join', room: null, join: { address: '192.168.10.5:8443', fingerprint: FINGERPRINT } }]);
  await page.getByTestId('settings-restart').click();
  expect((await recorded()).restarts).toBe(1);
  expect(errors, 'no script error, no CSP violation').toEqual([]);
});

test('own post open to the room: its address sent, the fingerprint it announced shown; a refusal from the shell shown', async ({ page }) => {
  const { recorded } = await openSettings(
    page,
    { ...ownView, settings: { mode: 'own', room: '192.168.10.5:8443', join: null }, room: { url: 'https://192.168.10.5:8443/', fingerprint: FINGERPRINT } },
    { saved: false, problem: 'room: HOST:PORT, e.g. 192.168.10.5:8443 or [::1]:8443' },
  );
  await expect(page.getByTestId('settings-room-announced')).toContainText(`https://192.168.10.5:8443/ — certificate SHA-256 ${FINGERPRINT}`);
  await page.getByLabel('Room address of my post (HOST:PORT; empty: this machine only)').fill('[::1]:9443');
  await page.getByTestId('settings-save').click();
  // The shell checks again and has the last word.
  await expect(page.getByTestId('settings-problem')).toHaveText('Not saved: room: HOST:PORT, e.g. 192.168.10.5:8443 or [::1]:8443');
  expect((await recorded()).saved).toEqual([{ mode: 'own', room: '[::1]:9443', join: null }]);
});

test('pinned certificates listed and forgotten one by one; the command line’s override said', async ({ page }) => {
  const { recorded } = await openSettings(page, { ...ownView, commandLine: '--join 192.168.10.5:8443' });
  await expect(page.getByTestId('settings-command-line')).toContainText('--join 192.168.10.5:8443');
  const table = page.getByTestId('settings-pins');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(table.locator(`tr[data-address="${pin.address}"]`)).toContainText(FINGERPRINT);
  await table.locator(`tr[data-address="${pin.address}"]`).getByTestId('settings-forget').click();
  await expect(table.locator('tbody tr')).toHaveCount(1);
  expect((await recorded()).forgotten).toEqual([pin.address]);
  await table.getByTestId('settings-forget').click();
  await expect(page.getByTestId('settings-no-pins')).toBeVisible();
  await expect(page.getByText('Kept in /home/op/.config/Vigie/desktop-settings.json')).toBeVisible();
});

test.describe('in French', () => {
  test.use({ locale: 'fr-FR' });
  test('the page speaks French', async ({ page }) => {
    await openSettings(page, ownView);
    await expect(page.getByRole('heading', { name: 'Paramètres' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await page.getByTestId('settings-mode-join').check();
    await page.getByLabel('Adresse du centre (HÔTE:PORT)').fill('centre');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.getByTestId('settings-problem')).toContainText('Une adresse s’écrit HÔTE:PORT');
    await expect(page.getByRole('button', { name: 'Oublier' })).toHaveCount(2);
  });
});

// AIS end to end: a real `vigie serve` fed over its real AIS and JSON
// sockets, the console in Chromium. A ferry's AIS makes a named ship on the
// map, found by the place search, with its card; a small boat leaving a
// beach with no AIS raises a dark-contact alert on screen and in `vigie export`.
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { aisPositionReport, aisStaticReport } from '../electron/simulator/encode/ais';
import { vigieBin } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';

type Listener = { protocol: string; transport: string; port: number; sensor?: string };

test('a ferry shows its name; a small boat leaving a beach is a dark contact, on screen and in the export', async ({ page, core }) => {
  test.setTimeout(60_000);
  const console = new ConsolePage(page);
  await console.open(core.consoleUrl);
  const { listeners } = await core.api<{ listeners: Listener[] }>('feeds.status');
  const aisPort = listeners.find((l) => l.protocol === 'ais' && l.transport === 'udp')!.port;
  const jsonPort = listeners.find((l) => l.protocol === 'json' && l.transport === 'tcp')!.port;

  // The ferry: its static data (two sentences in one datagram), then its position off Calais, as a shore receiver forwards them.
  const ferry = {
    mmsi: 235123456,
    imo: 9506291,
    callsign: 'MVEL7',
    name: 'SPIRIT OF BRITAIN',
    shipType: 60,
    toBow: 150,
    toStern: 63,
    toPort: 15,
    toStarboard: 16,
    draught: 6.8,
    destination: 'CALAIS',
  };
  const udp = dgram.createSocket('udp4');
  const send = (text: string) => new Promise<void>((done) => udp.send(text, aisPort, '127.0.0.1', () => done()));
  await send(aisStaticReport(ferry, 1).join(''));
  await send(aisPositionReport({ mmsi: ferry.mmsi, lat: 50.985, lon: 1.78, speed: 18, course: 300, heading: 301, second: 5 }).join(''));

  // Found by name with the place search (P), the map goes there and the card opens.
  await page.keyboard.press('p');
  await page.getByTestId('search-input').fill('spirit of');
  const result = page.getByTestId('search-ship').first();
  await expect(result).toContainText('SPIRIT OF BRITAIN', { timeout: 10_000 });
  await result.click();
  await expect(page.getByTestId('vessel-card-name')).toHaveText('SPIRIT OF BRITAIN');
  await expect(page.getByTestId('picked-info')).toContainText('MMSI 235123456');
  await expect(page.getByTestId('picked-info')).toContainText('CALAIS');
  await expect(page.locator('.vessel-marker .vessel-name', { hasText: 'SPIRIT OF BRITAIN' })).toBeVisible();
  // By MMSI too.
  await page.getByTestId('search-input').fill('2351234');
  await expect(page.getByTestId('search-ship').first()).toHaveAttribute('data-mmsi', '235123456');
  udp.close();

  // A small boat leaves Wissant beach, heading out to sea at 6 kn; the radar sees it, no AIS says who it is.
  const radar = net.connect(jsonPort, '127.0.0.1');
  await new Promise((resolve) => radar.once('connect', resolve));
  for (let i = 0; i < 8; i++) {
    const lat = 50.9042 + i * 0.0012;
    const lon = 1.6443 - i * 0.0016;
    radar.write(`${JSON.stringify({ v: 1, type: 'track', sensor: 'RAD-GRISNEZ', track: 'E2E-SB1', lat, lon, course: 315, speed: 6, class: 'small-boat' })}\n`);
    await page.waitForTimeout(150);
  }
  const dark = page.getByTestId('alert-list').locator('li[data-alert-kind="dark-contact"]');
  await expect(dark).toHaveCount(1, { timeout: 10_000 });
  await expect(dark).toContainText('Dark contact');
  radar.destroy();

  const exported = spawnSync(process.execPath, [vigieBin, 'export', '--data', core.dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(exported.status, exported.stderr).toBe(0);
  const events = exported.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { kind: string; payload: Record<string, unknown> });
  const raised = events.find((event) => event.kind === 'alert.raised' && event.payload.kind === 'dark-contact');
  expect(raised?.payload.subj).toBe('dark:RAD-GRISNEZ:E2E-SB1');
  expect(raised?.payload.why).toEqual(expect.arrayContaining(['no-ais', 'coastal-band', 'radar-small-boat', 'leaving-beach']));
  const named = events.find((event) => event.kind === 'ais.static' && event.payload.m === ferry.mmsi);
  expect(named?.payload.name).toBe('SPIRIT OF BRITAIN');

  // Replay (H) opens the shift at its beginning, before the ferry was heard: no ship on the map, not even the live one.
  await page.keyboard.press('Escape');
  await page.locator('.leaflet-container').focus();
  await page.keyboard.press('h');
  await expect(page.getByTestId('replay-banner')).toContainText('REPLAY — not live');
  await expect(page.getByTestId('replay-time')).toBeVisible();
  await expect(page.locator('.vessel-marker')).toHaveCount(0);
  // At the dark contact's alert the ferry is there, named, where it was then.
  await page.locator(`[data-testid="replay-mark"][data-alert="${String(raised!.payload.id)}"]`).click();
  await expect(page.locator('.vessel-marker .vessel-name', { hasText: 'SPIRIT OF BRITAIN' })).toBeVisible({ timeout: 10_000 });
});

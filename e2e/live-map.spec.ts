// The live map through the core's real sockets: a unit picked by clicking its
// symbol, followed as it moves, released by dragging; an incident shown with
// Z; its unit set en route and released from the panel and by keyboard; a
// track drawn greyed with its age once its fix is stale; an alert left
// waiting escalates with its own sound. Positions on the canvas are found by
// their colour in the canvas's pixels, as an operator finds them by eye.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { projectRoot, startCoreServer, vigieBin, type CoreServer } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { DispatchPage } from './page-models/dispatchPage';

async function jsonFeedPort(core: CoreServer): Promise<number> {
  const status = { result: await core.api<{ listeners: { protocol: string; transport: string; port: number }[] }>('feeds.status') };
  return status.result.listeners.find((listener) => listener.protocol === 'json' && listener.transport === 'tcp')!.port;
}

async function feed(port: number): Promise<{ send(line: object): void; close(): void }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('data', () => undefined);
  return { send: (line) => socket.write(`${JSON.stringify(line)}\n`), close: () => socket.destroy() };
}

/**
 * Where pixels of this colour, at least `minAlpha` opaque, are on one of the map's canvases (centre and count), in page coordinates:
 * `live-canvas` has the units and trails, `symbol-canvas` under it the track symbols.
 */
async function findColour(
  page: Page,
  rgb: [number, number, number],
  canvasId = 'live-canvas',
  minAlpha = 251,
): Promise<{ x: number; y: number; count: number }> {
  return (await page.evaluate(`(() => {
    const canvas = document.querySelector('[data-testid="${canvasId}"]');
    const { width, height } = canvas;
    const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
    const [r, g, b] = ${JSON.stringify(rgb)};
    let sx = 0, sy = 0, count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - r) <= 2 && Math.abs(data[i + 1] - g) <= 2 && Math.abs(data[i + 2] - b) <= 2 && data[i + 3] >= ${minAlpha}) {
        const p = i / 4;
        sx += p % width;
        sy += Math.floor(p / width);
        count += 1;
      }
    }
    const box = canvas.getBoundingClientRect();
    const scale = box.width / width;
    return count === 0 ? { x: NaN, y: NaN, count } : { x: box.left + (sx / count) * scale, y: box.top + (sy / count) * scale, count };
  })()`)) as { x: number; y: number; count: number };
}

const AVAILABLE_UNIT: [number, number, number] = [0x5c, 0xc4, 0x8a];
const SMALL_BOAT: [number, number, number] = [0xff, 0x6b, 0x4a];
const STALE_GREY: [number, number, number] = [0x6b, 0x77, 0x85];

test('a unit is picked on the map, followed, shown with its incident, and set en route and released', async ({ page, core }) => {
  test.setTimeout(120_000);
  const console = new DispatchPage(page);
  await console.open(core.consoleUrl);
  const port = await jsonFeedPort(core);
  const terminal = await feed(port);
  terminal.send({ v: 1, type: 'hello', unit: 'U01' });
  terminal.send({ v: 1, type: 'unit-position', unit: 'U01', lat: 50.955, lon: 1.8, heading: 90, speed: 8 });
  await expect(page.getByTestId('live-canvas')).toHaveAttribute('data-units', '1', { timeout: 15_000 });

  // Click the unit's symbol: it is picked (a ring on the map, its card below).
  await expect.poll(async () => (await findColour(page, AVAILABLE_UNIT)).count, { timeout: 10_000 }).toBeGreaterThan(20);
  const unit = await findColour(page, AVAILABLE_UNIT);
  await page.mouse.click(unit.x, unit.y);
  const card = page.getByTestId('picked-info');
  await expect(card).toHaveAttribute('data-id', 'U01');
  await expect(card).toContainText('OPALE 01');
  await expect(card).toContainText('50.95500, 1.80000');
  await expect(card).toContainText('50°57.300′N 001°48.000′E');

  // F follows it: as it drives 4 km east the map keeps it in the middle.
  await page.keyboard.press('f');
  await expect(card.getByTestId('follow-toggle')).toHaveAttribute('aria-pressed', 'true');
  terminal.send({ v: 1, type: 'unit-position', unit: 'U01', lat: 50.96, lon: 1.86, heading: 90, speed: 8 });
  await expect(card).toContainText('50.96000, 1.86000');
  const box = (await page.getByTestId('live-canvas').boundingBox())!;
  await expect
    .poll(async () => {
      const moved = await findColour(page, AVAILABLE_UNIT);
      return Math.hypot(moved.x - (box.x + box.width / 2), moved.y - (box.y + box.height / 2));
    })
    .toBeLessThan(12);
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/map-follow.png') });

  // Dragging the map takes it back: following stops.
  await page.mouse.move(box.x + 200, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + 320, box.y + 260, { steps: 5 });
  await page.mouse.up();
  await expect(card.getByTestId('follow-toggle')).toHaveAttribute('aria-pressed', 'false');

  // An incident south-west of Calais, the unit sent to it with D; Z shows both.
  terminal.send({ v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection: 'D1', kind: 'boat-launch', lat: 50.9505, lon: 1.7402, confidence: 0.9 });
  const row = console.alertRow('boat-launch', 'new');
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await console.selectAlertByKeyboard((await row.getAttribute('data-alert-id'))!);
  await page.keyboard.press('Enter');
  await expect(console.incidentPanel).toBeVisible();
  await expect(console.rankedUnits.locator('[data-unit="U01"]')).toBeVisible({ timeout: 15_000 });
  await page.keyboard.press('d');
  const assignment = console.assignments.locator('[data-unit="U01"]');
  await expect(assignment).toHaveAttribute('data-status', 'assigned');
  await page.keyboard.press('z');
  await expect
    .poll(async () => {
      const marker = (await page.locator('.alert-marker').first().boundingBox())!;
      const symbol = await findColour(page, [0xe0, 0xb8, 0x4a]);
      const inside = (x: number, y: number) => x > box.x && x < box.x + box.width && y > box.y && y < box.y + box.height;
      return symbol.count > 0 && inside(marker.x, marker.y) && inside(symbol.x, symbol.y);
    })
    .toBe(true);

  // En route from the panel's button, released with R; sent again with D, en route with E.
  await assignment.getByTestId('unit-en-route').click();
  await expect(assignment).toHaveAttribute('data-status', 'en-route');
  await page.keyboard.press('r');
  await expect(assignment).toHaveAttribute('data-status', 'cleared');
  await expect(console.rankedUnits.locator('[data-unit="U01"][data-available="true"]')).toBeVisible({ timeout: 10_000 });
  await page.keyboard.press('d');
  await expect(console.assignments.locator('[data-unit="U01"][data-status="assigned"]')).toHaveCount(1);
  await page.keyboard.press('e');
  await expect(console.assignments.locator('[data-unit="U01"][data-status="en-route"]')).toHaveCount(1);
  terminal.close();

  // Every status the operator set is in the log, with who set it.
  const exported = spawnSync(process.execPath, [vigieBin, 'export', '--data', core.dataDir], { encoding: 'utf8' });
  const statuses = exported.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; operator: string | null; payload: { by?: string; status?: string; u?: string } })
    .filter((event) => event.kind === 'unit.status' && event.payload.by === 'console' && event.payload.u === 'U01');
  expect(statuses.map((event) => event.payload.status)).toEqual(['en-route', 'cleared', 'en-route']);
  expect(statuses.every((event) => event.operator !== null)).toBe(true);
});

test('a track whose fix went stale is drawn greyed, with its age', async ({ page, core }) => {
  const console = new DispatchPage(page);
  await console.open(core.consoleUrl);
  const radar = await feed(await jsonFeedPort(core));
  radar.send({ v: 1, type: 'hello', sensor: 'RAD-GRISNEZ' });
  // Stale five seconds after it is sent: time to see it fresh, and click it, first.
  radar.send({
    v: 1,
    type: 'track',
    sensor: 'RAD-GRISNEZ',
    track: 'T7',
    lat: 50.9,
    lon: 1.5,
    course: 45,
    speed: 12,
    class: 'small-boat',
    stale: new Date(Date.now() + 5000).toISOString(),
  });
  await expect.poll(async () => (await findColour(page, SMALL_BOAT, 'symbol-canvas')).count, { timeout: 15_000 }).toBeGreaterThan(10);
  const track = await findColour(page, SMALL_BOAT, 'symbol-canvas');
  await page.mouse.click(track.x, track.y);
  const card = page.getByTestId('picked-info');
  await expect(card).toHaveAttribute('data-id', 'RAD-GRISNEZ:T7');
  await expect(card).toContainText('RAD-GRISNEZ');

  // Stale: no longer in its class colour on the map, and its card says how old the fix is.
  await expect.poll(async () => (await findColour(page, SMALL_BOAT, 'symbol-canvas')).count, { timeout: 15_000 }).toBe(0);
  // …and drawn in the stale grey, translucent (0.45), where it was.
  const grey = await findColour(page, STALE_GREY, 'symbol-canvas', 100);
  expect(grey.count).toBeGreaterThan(10);
  expect(Math.hypot(grey.x - track.x, grey.y - track.y)).toBeLessThan(8);
  await expect(card.getByTestId('picked-age')).toHaveClass('stale-age');
  await expect(card.getByTestId('picked-age')).toHaveText(/^fix \d+ s ago$/);
  radar.close();
});

test('an alert left waiting escalates: its row pulses, the escalation call sounds, the log says so', async ({ page }) => {
  // A post whose alerts escalate after 2 s instead of 2 min.
  const site = JSON.parse(fs.readFileSync(path.join(projectRoot, 'assets/sites/cote-opale.json'), 'utf8')) as { escalateAfterSeconds: number };
  site.escalateAfterSeconds = 2;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-'));
  const siteFile = path.join(dataDir, 'site.json');
  fs.writeFileSync(siteFile, JSON.stringify(site));
  const core = await startCoreServer(dataDir, ['--site', siteFile]);
  try {
    const console = new DispatchPage(page);
    await console.open(core.consoleUrl);
    const camera = await feed(await jsonFeedPort(core));
    camera.send({ v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection: 'D1', kind: 'boat-launch', lat: 50.9505, lon: 1.7402, confidence: 0.9 });
    const row = console.alertRow('boat-launch', 'new');
    await expect(row).toHaveCount(1, { timeout: 15_000 });
    await expect(row).toHaveClass(/escalated/, { timeout: 15_000 });
    await expect(page.getByTestId('sound-escalated')).toHaveAttribute('data-played', /^[1-9]/);
    camera.close();
  } finally {
    expect(await core.stop()).toBe(0);
  }
  const exported = spawnSync(process.execPath, [vigieBin, 'export', '--data', dataDir], { encoding: 'utf8' });
  expect(exported.stdout).toContain('"kind":"alert.escalated"');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

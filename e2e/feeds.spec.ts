// The live picture end to end: the night simulator feeds a real `vigie
// serve` over its real sockets (NMEA, JSON lines, CoT); the console in
// Chromium shows the tracks, units and alerts, and `vigie export` has them.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { projectRoot, vigieBin } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';

test('the simulated night reaches the screen and the log', async ({ page, core }) => {
  test.setTimeout(90_000);
  const console = new ConsolePage(page);
  await console.open(core.consoleUrl);

  // A night at 20× real time against this core's feed ports, stopped (SIGTERM) once checked.
  const simulator = spawn(process.execPath, [vigieBin, 'simulate', '--speed', '20', '--duration', '3600', '--seed', '7'], {
    env: { ...process.env, VIGIE_CORE_URL: core.consoleUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let simulatorOutput = '';
  simulator.stdout.on('data', (chunk: Buffer) => (simulatorOutput += chunk.toString()));
  simulator.stderr.on('data', (chunk: Buffer) => (simulatorOutput += chunk.toString()));
  const simulatorExit = new Promise<number | null>((resolve) => simulator.on('exit', resolve));

  const counts = page.getByTestId('picture-counts');
  await expect(counts).toContainText(/Tracks (2\d\d|[3-9]\d\d|\d{4})\b/, { timeout: 30_000 });
  await expect(counts).toContainText(/Units 2\d\b/);
  await expect(page.getByTestId('alert-list').locator('li').first()).toBeVisible({ timeout: 30_000 });
  // Tracks and units are drawn on the live canvas.
  const canvas = page.getByTestId('live-canvas');
  await expect.poll(async () => Number(await canvas.getAttribute('data-tracks'))).toBeGreaterThanOrEqual(200);
  await expect.poll(async () => Number(await canvas.getAttribute('data-units'))).toBeGreaterThanOrEqual(20);
  // Feed sources and their counters.
  await expect(page.getByTestId('feeds-table').locator('tr[data-source^="nmea/"]').first()).toBeVisible();
  await expect(page.getByTestId('feeds-table').locator('tr[data-source^="json/tcp/"]').first()).toBeVisible();
  await expect(page.getByTestId('feeds-table').locator('tr[data-source^="cot/"]').first()).toBeVisible();
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/live-feeds.png') });

  // A malformed line from a misconfigured device: quarantined, and counted on screen by source and reason.
  const status = { result: await core.api<{ listeners: { protocol: string; transport: string; port: number }[] }>('feeds.status') };
  const jsonPort = status.result.listeners.find((l) => l.protocol === 'json' && l.transport === 'tcp')!.port;
  const device = net.connect(jsonPort, '127.0.0.1');
  await new Promise((resolve) => device.once('connect', resolve));
  device.write('{"v":1,"type":"track","sensor":"RAD-GRISNEZ"\n');
  const row = page.getByTestId('feeds-table').locator(`tr[data-source="json/tcp/127.0.0.1:${device.localPort}"]`);
  await expect(row.locator('[data-reason="bad-json"]')).toHaveText('bad-json 1', { timeout: 10_000 });
  device.destroy();

  simulator.kill('SIGTERM');
  expect(await simulatorExit, simulatorOutput).toBe(0);
  expect(simulatorOutput).toMatch(/"totals":\{"nmea":\d+,"json":\d+,"cot":\d+/);
  const exported = spawnSync(process.execPath, [vigieBin, 'export', '--data', core.dataDir], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  expect(exported.status, exported.stderr).toBe(0);
  const kinds = new Map<string, number>();
  const sources = new Set<string>();
  for (const line of exported.stdout.split('\n')) {
    if (!line) continue;
    const event = JSON.parse(line) as { kind: string; source: string };
    kinds.set(event.kind, (kinds.get(event.kind) ?? 0) + 1);
    sources.add(event.source.split(':')[0]!);
  }
  expect(kinds.get('track.update') ?? 0).toBeGreaterThan(1000);
  expect(kinds.get('unit.position') ?? 0).toBeGreaterThan(24);
  expect(kinds.get('alert.raised') ?? 0).toBeGreaterThanOrEqual(1);
  expect(kinds.get('sensor.heartbeat') ?? 0).toBeGreaterThan(0);
  expect([...sources].sort()).toEqual(expect.arrayContaining(['cot', 'json', 'nmea']));
});

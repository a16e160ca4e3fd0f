// A TAK device's night end to end (issue 13 item 10): a real `vigie serve`,
// an ATAK tablet played by a real TCP client sending a real captured
// self-report (time moved to now, position moved to Sangatte), the console in
// Chromium. The unknown device appears, unregistered; the supervisor
// registers it as a new unit from the devices panel; dispatched, it gets its
// tasking on its socket; it calls 911 (on screen: the queue and the device),
// then cancels; `vigie export` has all of it; replay shows the emergency at
// its moment. (GeoChat: e2e/tak.spec.ts.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../electron/core/paths';
import { vigieBin } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';
import { refreshTimes } from '../test/feeds/takTimes';

type Listener = { protocol: string; transport: string; port: number };
const samples = path.join(projectRoot, 'test/fixtures/feeds/cot/tak-samples');
const DEVICE = 'ANDROID-R52JB0CDC4E';
/** The real self-report of a WinTAK/ATAK tablet, sent now and from the beach at Sangatte. */
const selfReport = (lat: number, lon: number) =>
  refreshTimes(fs.readFileSync(path.join(samples, 'fts-a-f-G-U-C-1581185452254.xml'), 'utf8'), Date.now()).replace(
    /lat='[^']*' lon='[^']*'/,
    `lat='${lat}' lon='${lon}'`,
  );
/** ATAK's 911 and its cancel, as the tablet sends them (ATAK names the alert `<uid>-9-1-1`). */
function emergency(type: 'b-a-o-tbl' | 'b-a-o-can'): string {
  const now = new Date();
  const stale = new Date(now.getTime() + 10 * 60_000);
  const what = type === 'b-a-o-tbl' ? '<emergency type="911 Alert">corvTab</emergency>' : '<emergency cancel="true">corvTab</emergency>';
  return (
    `<event version="2.0" uid="${DEVICE}-9-1-1" type="${type}" time="${now.toISOString()}" start="${now.toISOString()}" stale="${stale.toISOString()}" how="h-e">` +
    `<point lat="50.9512" lon="1.7455" hae="9.0" ce="5.0" le="9999999.0"/><detail><link uid="${DEVICE}" type="a-f-G-U-C" relation="p-p"/>` +
    `<contact callsign="corvTab-Alert"/>${what}</detail></event>`
  );
}

test('an unknown TAK device: appears, is registered, dispatched, calls 911 and cancels — on screen, in the export, in replay', async ({ page, core }) => {
  test.setTimeout(90_000);
  const console = new ConsolePage(page);
  await console.open(core.consoleUrl);
  const { listeners } = await core.api<{ listeners: Listener[] }>('feeds.status');
  const cotTcp = listeners.find((l) => l.protocol === 'cot' && l.transport === 'tcp')!.port;
  const jsonTcp = listeners.find((l) => l.protocol === 'json' && l.transport === 'tcp')!.port;

  const device = net.connect(cotTcp, '127.0.0.1');
  await new Promise((resolve) => device.once('connect', resolve));
  let received = '';
  device.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  device.write(selfReport(50.951, 1.745));

  // Unregistered, with what it says of itself.
  const panel = page.getByTestId('devices-panel');
  await panel.scrollIntoViewIfNeeded();
  const entry = panel.locator('li', { hasText: 'corvTab' });
  await expect(entry).toBeVisible({ timeout: 10_000 });
  await expect(panel).toContainText('1 unregistered');
  await expect(entry).toContainText('53 %');

  // The supervisor registers it as a new unit, in one action.
  await entry.getByRole('button', { name: 'Register as a unit…' }).click();
  const form = entry.getByRole('form');
  await form.getByLabel('Callsign').fill('CORV 1');
  await form.getByLabel('Type').selectOption('foot');
  await form.getByLabel('Crew').fill('2');
  await form.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(entry).toContainText('Registered as CORV 1', { timeout: 10_000 });
  await expect(panel).toContainText('0 unregistered');

  // Its next report moves its unit; a camera sees a group at Sangatte; the unit is sent.
  device.write(selfReport(50.9512, 1.7455));
  const camera = net.connect(jsonTcp, '127.0.0.1');
  await new Promise((resolve) => camera.once('connect', resolve));
  camera.write(
    `${JSON.stringify({ v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection: 'TAK-E2E', kind: 'group-on-beach', lat: 50.9505, lon: 1.7402, confidence: 0.8 })}\n`,
  );
  camera.end();
  type Picture = { alerts: { id: string; subject: string | null; kind: string; status: string }[]; units: { id: string; callsign: string }[] };
  const picture = () => core.api<Picture>('picture.get', {});
  await expect.poll(async () => (await picture()).alerts.some((alert) => alert.subject === 'det:CAM-SANGATTE/TAK-E2E'), { timeout: 10_000 }).toBe(true);
  const alert = (await picture()).alerts.find((candidate) => candidate.subject === 'det:CAM-SANGATTE/TAK-E2E')!;
  const unit = (await picture()).units.find((candidate) => candidate.callsign === 'CORV 1')!;
  const { incident } = await core.api<{ incident: string }>('alert.acknowledge', { alert: alert.id });
  await core.api('dispatch.assign', { incident, unit: unit.id });
  await expect.poll(() => received, { timeout: 10_000 }).toContain('type="t-x-d"');
  expect(received).toContain(`incident="${incident}"`);

  // 911: the highest severity, first in the queue, on the device's entry.
  device.write(emergency('b-a-o-tbl'));
  const emergencyRow = page.locator('[role="option"][data-alert-kind="emergency"]');
  await expect(emergencyRow).toHaveCount(1, { timeout: 10_000 });
  await expect(page.locator('[role="option"]').first()).toHaveAttribute('data-alert-kind', 'emergency');
  await expect(panel.getByTestId('device-emergency')).toContainText('EMERGENCY 911');
  const emergencyAlert = await emergencyRow.getAttribute('data-alert-id');

  // Cancelled on the tablet: cleared from the queue and the device.
  device.write(emergency('b-a-o-can'));
  await expect(emergencyRow).toHaveCount(0, { timeout: 10_000 });
  await expect(panel.getByTestId('device-emergency')).toHaveCount(0);
  device.destroy();

  // The export has it all, with who did what.
  const exported = spawnSync(process.execPath, [vigieBin, 'export', '--data', core.dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(exported.status, exported.stderr).toBe(0);
  const events = exported.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { kind: string; operator: string | null; payload: Record<string, unknown> });
  expect(events.find((e) => e.kind === 'device.report')?.payload).toMatchObject({ uid: DEVICE, cs: 'corvTab', bat: 53, plat: 'ATAK-CIV' });
  const registered = events.find((e) => e.kind === 'device.registered');
  expect(registered?.operator).toBe('duty');
  expect(registered?.payload).toMatchObject({ uid: DEVICE, u: unit.id, new: 1 });
  expect(events.find((e) => e.kind === 'dispatch.assigned')?.payload).toMatchObject({ u: unit.id, inc: incident });
  expect(events.find((e) => e.kind === 'emergency.raised')?.payload).toMatchObject({ uid: DEVICE, kind: '911', u: unit.id });
  expect(events.find((e) => e.kind === 'emergency.cancelled')?.payload).toMatchObject({ uid: DEVICE, by: 'corvTab' });

  // Replay (H): at the emergency's mark, the 911 is in the queue as it was then.
  await page.locator('.leaflet-container').focus();
  await page.keyboard.press('h');
  await expect(page.getByTestId('replay-banner')).toContainText('REPLAY — not live');
  const mark = page.locator(`[data-testid="replay-mark"][data-alert="${emergencyAlert}"]`);
  await expect(mark).toHaveCount(1, { timeout: 10_000 });
  await mark.click();
  await expect(page.locator(`[role="option"][data-alert-id="${emergencyAlert}"]`)).toHaveAttribute('data-alert-kind', 'emergency', { timeout: 10_000 });
});

// Replay end to end: a signed-in operator runs a little activity (an alert
// arrives over the camera feed, is acknowledged from the queue, a unit is
// sent and arrives), hands the shift over with a note, signs in again, opens
// the replay of the closed shift, seeks to the moment the alert arrived and
// sees it unacknowledged, then plays on and sees it acknowledged and the
// unit on scene — and back to live, where the live picture kept up meanwhile
// is shown at once (nothing fetched again).
import net from 'node:net';
import path from 'node:path';
import { DUTY, projectRoot, type CoreServer } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { DispatchPage } from './page-models/dispatchPage';

async function jsonFeedPort(core: CoreServer): Promise<number> {
  const status = await core.api<{ listeners: { protocol: string; transport: string; port: number }[] }>('feeds.status');
  return status.listeners.find((listener) => listener.protocol === 'json' && listener.transport === 'tcp')!.port;
}

async function connectDevice(port: number): Promise<{ send(line: object): void; close(): void }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('data', () => undefined);
  return { send: (line) => socket.write(`${JSON.stringify(line)}\n`), close: () => socket.destroy() };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a closed shift replayed: the alert new at its moment, then acknowledged and the unit on scene', async ({ page, core }) => {
  test.setTimeout(120_000);
  const console = new DispatchPage(page);
  // The requests the console sends over its WebSocket, by method.
  const asked: string[] = [];
  page.on('websocket', (socket) => socket.on('framesent', (frame) => asked.push(/"method":"([^"]+)"/.exec(String(frame.payload))?.[1] ?? '')));
  await console.open(core.consoleUrl);
  const port = await jsonFeedPort(core);

  // Activity: a unit on patrol, a camera alert, acknowledged from the queue, the unit sent, arriving.
  const terminal = await connectDevice(port);
  terminal.send({ v: 1, type: 'hello', unit: 'U01' });
  terminal.send({ v: 1, type: 'unit-position', unit: 'U01', lat: 50.955, lon: 1.8, heading: 250, speed: 10 });
  const camera = await connectDevice(port);
  await pause(1200);
  camera.send({ v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection: 'D1', kind: 'boat-launch', lat: 50.9505, lon: 1.7402, confidence: 0.9 });
  const row = console.alertRow('boat-launch', 'new');
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  const alertId = (await row.getAttribute('data-alert-id'))!;
  await pause(1500);
  await console.selectAlertByKeyboard(alertId);
  await page.keyboard.press('Enter');
  await expect(console.incidentPanel).toBeVisible();
  const incident = (await console.incidentPanel.getAttribute('data-incident'))!;
  await pause(1000);
  await core.api('dispatch.assign', { incident, unit: 'U01' });
  await pause(1500);
  terminal.send({ v: 1, type: 'unit-position', unit: 'U01', lat: 50.951, lon: 1.741, heading: 250, speed: 2 });
  await expect(console.incidentPanel).toContainText('on scene', { timeout: 10_000 });
  await pause(1000);

  // Handover: the End shift button, the note, and the console asks for a sign-in again.
  await page.getByTestId('end-shift').click();
  const handover = page.getByTestId('handover-dialog');
  await handover.getByLabel('Handover note for the next shift').fill('One launch at Sangatte prevented; OPALE 01 on scene.');
  await handover.getByTestId('confirm-end-shift').click();
  const signIn = page.getByTestId('sign-in-form');
  await expect(signIn).toBeVisible();
  await signIn.getByLabel('Name').fill(DUTY.name);
  await signIn.getByLabel('Password').fill(DUTY.password);
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('session-status')).toContainText('shift 2');
  // The new shift's live picture still has the open incident: it is live, not replay.
  await expect(page.getByTestId('replay-banner')).toHaveCount(0);

  // Replay: H opens it on the newest closed shift, shift 1; the log's chain checks out.
  await page.keyboard.press('h');
  const banner = page.getByTestId('replay-banner');
  await expect(banner).toContainText('REPLAY — not live');
  await expect(banner).toContainText('shift 1');
  await expect(page.getByTestId('replay-shift')).toHaveValue('1');
  await expect(page.getByTestId('replay-chain')).toContainText('Log intact');
  const mark = page.locator(`[data-testid="replay-mark"][data-alert="${alertId}"]`);
  await expect(mark).toHaveCount(1);

  // Seek to the moment the alert arrived: in the queue, not acknowledged; no incident yet.
  await mark.click();
  // The moment and the marks carry their UTC offset (docs/console.md, "Times and the clock changes").
  await expect(page.getByTestId('replay-time')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC([+-]\d+(:\d\d)?)?$/);
  await expect(mark).toHaveAttribute('aria-label', new RegExp(`^Alert ${alertId} at \\d\\d:\\d\\d:\\d\\d UTC([+-]\\d+(:\\d\\d)?)?: go there$`));
  const replayedRow = page.locator(`[role="option"][data-alert-id="${alertId}"]`);
  await expect(replayedRow).toHaveAttribute('data-status', 'new');
  // Its age counts from the replayed moment (it has just arrived), not from the wall clock (seconds of test ago).
  await expect(replayedRow).toContainText(/ · 0 s\b/);
  await expect(console.alertRow('boat-launch', 'acknowledged')).toHaveCount(0);

  // Play on at 10×: acknowledged, then the unit on scene.
  await page.getByTestId('replay-speed-10').click();
  await page.getByTestId('replay-play').click();
  await expect(page.locator(`[role="option"][data-alert-id="${alertId}"]`)).toHaveAttribute('data-status', 'acknowledged', { timeout: 15_000 });
  await expect(console.incidentPanel).toContainText('on scene', { timeout: 15_000 });
  // The live core's ETA ranking is not asked for a replayed incident (it would be refused: no such open incident now).
  await expect(console.incidentPanel).not.toContainText('Refused');
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/replay.png') });

  // Keyboard: Home goes back to the shift's start (no alert yet), End to its end.
  await page.getByTestId('replay-play').click();
  await page.getByTestId('replay-timeline').focus();
  await page.keyboard.press('Home');
  await expect(page.locator(`[role="option"][data-alert-id="${alertId}"]`)).toHaveCount(0);
  await page.keyboard.press('End');
  await expect(page.locator(`[role="option"][data-alert-id="${alertId}"]`)).toHaveAttribute('data-status', 'acknowledged');

  // A live alert while the replay is on screen: it sounds and the replay bar says so at once; the replayed queue does not change.
  // (Other live alerts may come too: the site's drones, silent in this test, raise 'sensor silent' alerts.)
  const liveAlerts = page.getByTestId('replay-live-alerts');
  const waiting = async () => Number((await liveAlerts.textContent())?.match(/^(\d+) new live alert/)?.[1] ?? 0);
  const played = () =>
    page
      .locator('audio[data-sound]')
      .evaluateAll((audios) => audios.reduce((sum, audio) => sum + Number((audio as HTMLAudioElement).dataset.played ?? '0'), 0));
  const [waitingBefore, playedBefore] = [await waiting(), await played()];
  camera.send({ v: 1, type: 'detection', sensor: 'CAM-WISSANT', detection: 'D2', kind: 'group-on-beach', lat: 50.887, lon: 1.662, confidence: 0.8, count: 12 });
  await expect.poll(waiting, { timeout: 15_000 }).toBeGreaterThan(waitingBefore);
  await expect(liveAlerts).toHaveText(/^\d+ new live alerts? — back to live to handle (it|them)$/);
  expect(await played()).toBeGreaterThan(playedBefore);
  await expect(console.alertRow('group-on-beach', 'new')).toHaveCount(0);

  // Back to live: the banner goes, the live picture returns, with the new alert — kept up during the replay, not fetched again.
  const askedBeforeExit = asked.length;
  await page.getByTestId('replay-exit').click();
  await expect(banner).toHaveCount(0);
  await expect(console.alertRow('group-on-beach', 'new')).toHaveCount(1);
  await expect(page.locator(`[role="option"][data-alert-id="${alertId}"]`)).toHaveAttribute('data-status', 'acknowledged');
  expect(asked.slice(askedBeforeExit)).toContain('replay.close');
  expect(asked.slice(askedBeforeExit)).not.toContain('picture.get');
  terminal.close();
  camera.close();
});

// The figures view end to end (issue 5): a small night through the core's
// real sockets — two detections on the JSON-lines feed, one acknowledged
// into an incident over the contract, a unit sent that drives onto the spot
// (on scene, set by the core) and the incident closed as prevented — then V
// opens the figures: the numbers on screen, the CSV downloaded and read, an
// accessibility check, the same view in French, and the print layout.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot, type CoreServer } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { DispatchPage } from './page-models/dispatchPage';

/** The test's own operator actions, over the contract, as the core's DUTY account. */
function api<T>(core: CoreServer, method: string, params: object): Promise<T> {
  return core.api<T>(method, params);
}

/** A device on the JSON-lines TCP feed. */
async function connectDevice(core: CoreServer): Promise<{ send(line: object): void; close(): void }> {
  const status = await api<{ listeners: { protocol: string; transport: string; port: number }[] }>(core, 'feeds.status', {});
  const port = status.listeners.find((listener) => listener.protocol === 'json' && listener.transport === 'tcp')!.port;
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('data', () => {});
  socket.on('error', () => {}); // a heartbeat written after the test's end must not fail the worker
  return { send: (line) => socket.write(`${JSON.stringify({ v: 1, ...line })}\n`), close: () => socket.destroy() };
}

type Alert = { id: string; kind: string; subject: string | null };
type Unit = { id: string; status: string };
type Incident = { id: string; assignments: { unit: string; onSceneAt: number | null }[] };
type Picture = { alerts: Alert[]; units: Unit[]; incidents: Incident[] };

test('V shows the figures of the last 12 hours; the CSV holds them; French; printable', async ({ page, core }) => {
  test.setTimeout(120_000);
  const console = new DispatchPage(page);
  await console.open(core.consoleUrl);

  // A night in miniature: U01 near Calais; a camera sees a launch at Sangatte, another a group at Wissant.
  const terminal = await connectDevice(core);
  terminal.send({ type: 'hello', unit: 'U01' });
  terminal.send({ type: 'unit-position', unit: 'U01', lat: 50.955, lon: 1.8, heading: 250, speed: 10 });
  const cameras = await connectDevice(core);
  cameras.send({ type: 'detection', sensor: 'CAM-SANGATTE', detection: 'D1', kind: 'boat-launch', lat: 50.9505, lon: 1.7402, confidence: 0.9 });
  cameras.send({ type: 'detection', sensor: 'CAM-WISSANT', detection: 'D2', kind: 'group-on-beach', lat: 50.887, lon: 1.662, confidence: 0.8, count: 20 });
  // Every sensor of the post stays alive, as on a quiet night: one silent past its heartbeat period
  // (10 s for the drones) raises a sensor-silent alert, which on a slow machine would change the counts below.
  const sensors = (await api<{ sensors: { id: string }[] }>(core, 'picture.get', {})).sensors.map((sensor) => sensor.id);
  const beat = () => {
    for (const sensor of sensors) cameras.send({ type: 'heartbeat', sensor, time: new Date().toISOString() });
  };
  beat();
  const heartbeats = setInterval(beat, 3_000);
  const picture = () => api<Picture>(core, 'picture.get', {});
  // The heartbeats are heard (a malformed one would be quarantined, and the sensors fall silent as if none were sent).
  await expect
    .poll(async () => (await api<{ sensors: { lastSeen: number | null }[] }>(core, 'picture.get', {})).sensors.every((sensor) => sensor.lastSeen !== null))
    .toBe(true);
  await expect.poll(async () => (await picture()).alerts.length, { timeout: 15_000 }).toBe(2);
  const launch = (await picture()).alerts.find((alert) => alert.subject === 'det:CAM-SANGATTE/D1')!;

  // The launch is acknowledged (an incident), U01 sent; it drives to the spot and is on scene; the incident is closed as prevented.
  const { incident } = await api<{ incident: string }>(core, 'alert.acknowledge', { alert: launch.id });
  await api(core, 'dispatch.assign', { incident, unit: 'U01' });
  for (const [lat, lon] of [
    [50.953, 1.78],
    [50.951, 1.745],
    [50.9506, 1.7404],
  ]) {
    terminal.send({ type: 'unit-position', unit: 'U01', lat, lon, heading: 260, speed: 20 });
    await page.waitForTimeout(200);
  }
  await expect
    .poll(async () => (await picture()).incidents.find((i) => i.id === incident)?.assignments[0]?.onSceneAt ?? null, { timeout: 15_000 })
    .not.toBeNull();
  await api(core, 'incident.close', { incident, outcome: 'launch-prevented', notes: 'Boat seized before launch.' });
  terminal.close();

  // V opens the figures of the last 12 hours.
  await page.locator('.leaflet-container').focus();
  await page.keyboard.press('v');
  const figures = page.getByTestId('figures-dialog');
  await expect(figures).toBeVisible();
  await expect(figures.getByRole('heading', { level: 2 })).toContainText('Figures');
  await expect(figures.getByTestId('figures-from')).toHaveValue(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  await expect(figures.getByTestId('figures-alert-total')).toHaveText('2 alerts');
  await expect(figures.getByTestId('figures-incident-line')).toHaveText('1 incident opened · 1 closed · 0 still open');
  await expect(figures.getByTestId('figures-share')).toHaveText('Intercepted or prevented: 100% of closed incidents');
  const times = figures.getByTestId('figures-times');
  // Acknowledged: 1 measured, the Wissant group not acknowledged; dispatched 1; arrived 1.
  const duration = /^\d+(\.\d)? s$|^\d+ min \d\d s$/;
  await expect(times.locator('tr[data-measure="acknowledge"] td')).toHaveText([/^1$/, duration, duration, /^1$/]);
  // One sample: its median and its 90th percentile are that sample.
  const [median, p90] = await times.locator('tr[data-measure="acknowledge"] td').evaluateAll((cells) => [cells[1]!.textContent, cells[2]!.textContent]);
  expect(p90).toBe(median);
  await expect(times.locator('tr[data-measure="dispatch"] td').first()).toHaveText('1');
  await expect(times.locator('tr[data-measure="arrive"] td').first()).toHaveText('1');
  await expect(figures.getByTestId('figures-kinds').locator('tr[data-kind="boat-launch"] td')).toHaveText('1');
  await expect(figures.getByTestId('figures-kinds').locator('tr[data-kind="group-on-beach"] td')).toHaveText('1');
  await expect(figures.getByTestId('figures-outcomes').locator('tr[data-outcome="launch-prevented"] td')).toHaveText('1');
  await expect(figures.getByTestId('figures-sectors').locator('tbody tr')).toHaveCount(2);
  const u01 = figures.getByTestId('figures-units').locator('tr[data-unit="U01"]');
  await expect(u01.locator('td').nth(1)).toHaveText('1');
  await expect(figures.locator('svg.bar-chart')).toHaveCount(5);
  // The same night as a shift: the period becomes the shift's, and so do the figures.
  const picker = figures.getByTestId('figures-shift');
  await expect(picker.locator('option[value="1"]')).toHaveText(/^Shift 1 — \d{4}-\d\d-\d\d \d\d:\d\d UTC([+-]\d+(:\d\d)?)? → now \(open\) \(duty\)$/);
  await picker.selectOption('1');
  const { shifts } = await core.api<{ shifts: { id: number; openedAt: number }[] }>('shift.list', { limit: 5 });
  const opened = new Date(shifts.find((shift) => shift.id === 1)!.openedAt);
  const pad = (n: number) => String(n).padStart(2, '0');
  await expect(figures.getByTestId('figures-from')).toHaveValue(
    `${opened.getFullYear()}-${pad(opened.getMonth() + 1)}-${pad(opened.getDate())} ${pad(opened.getHours())}:${pad(opened.getMinutes())}`,
  );
  await expect(figures.getByTestId('figures-alert-total')).toHaveText('2 alerts');
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/figures.png') });

  // The CSV, downloaded as the operator would, read back.
  const [download] = await Promise.all([page.waitForEvent('download'), figures.getByTestId('figures-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^vigie-figures_\d{4}-\d\d-\d\d_\d\dh\d\d_\d{4}-\d\d-\d\d_\d\dh\d\d\.csv$/);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  const lines = csv.split('\r\n');
  expect(lines[0]).toBe('table,key,label,measure,value');
  expect(lines.at(-1)).toBe('');
  for (const line of [
    'alerts,,,total,2',
    'alerts-by-kind,boat-launch,,count,1',
    'alerts-by-kind,group-on-beach,,count,1',
    'times,acknowledge,,count,1',
    'times,acknowledge,,incomplete,1',
    'times,dispatch,,count,1',
    'times,arrive,,count,1',
    'incidents,,,closed,1',
    'incidents-by-outcome,launch-prevented,,count,1',
    'incidents,,,share_intercepted_or_prevented,1',
    'units,U01,OPALE 01,assignments,1',
  ]) {
    expect(lines, line).toContain(line);
  }

  // No serious or critical accessibility violation in the view (axe-core, evaluated through DevTools: the CSP refuses inline scripts).
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }> } }
    ).axe;
    const result = await axe.run({ include: ['[data-testid="figures-dialog"]'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({ id: violation.id, impact: violation.impact, targets: violation.nodes.map((node) => node.target) }));
  });
  expect(violations).toEqual([]);

  // The period is typed in local 24-hour time; a bad one is refused in words.
  await figures.getByTestId('figures-to').fill('2026-02-30 25:00');
  await figures.getByTestId('figures-to').press('Enter');
  await expect(figures.getByRole('alert')).toHaveText('Not a date and time I can read: write it YYYY-MM-DD HH:MM');

  // Printed: the figures alone, without the console behind them or the buttons.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.workspace')).toBeHidden();
  await expect(figures.getByTestId('figures-csv')).toBeHidden();
  await expect(figures.getByTestId('figures-units')).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  // In a browser the button is the browser's print (the desktop app saves a PDF: e2e/electron.spec.ts); the view stays.
  await figures.getByTestId('figures-print').click();
  await expect(figures).toBeVisible();
  await expect(figures.getByTestId('figures-pdf-saved')).toHaveCount(0);

  // Escape closes it and the focus goes back to the map.
  await page.keyboard.press('Escape');
  await expect(figures).toBeHidden();
  await expect(page.locator('.leaflet-container')).toBeFocused();

  // In French.
  await page.keyboard.press('l');
  await page.keyboard.press('v');
  await expect(figures.getByRole('heading', { level: 2 })).toContainText('Indicateurs');
  await expect(figures.getByTestId('figures-alert-total')).toHaveText('2 alertes');
  await expect(figures.getByTestId('figures-share')).toHaveText(
    /^Interceptés ou empêchés\u00a0: 100\s%\u00a0?des incidents clos$|^Interceptés ou empêchés\u00a0: 100\s% des incidents clos$/,
  );
  await expect(figures.getByRole('heading', { name: 'Alertes par secteur' })).toBeVisible();
  await expect(figures.getByRole('heading', { name: 'Délais' })).toBeVisible();
  await expect(figures.getByRole('columnheader', { name: 'Médiane' })).toBeVisible();
  await expect(figures.getByRole('button', { name: 'Télécharger le CSV' })).toBeVisible();
  await expect(figures.getByTestId('figures-outcomes').locator('tr[data-outcome="launch-prevented"] th')).toHaveText('Mise à l’eau empêchée');
  await page.keyboard.press('Escape');
  await page.keyboard.press('l');

  // The help lists V.
  await page.keyboard.press('?');
  await expect(console.helpDialog).toContainText('Show the figures: alerts, response times, outcomes, units');
  await page.keyboard.press('Escape');
  clearInterval(heartbeats);
  cameras.close();
});

test.describe('in Europe/Paris', () => {
  test.use({ timezoneId: 'Europe/Paris' });

  test('the period around the clock changes: the skipped hour refused, the repeated hour read by its offset; English and French', async ({ page, core }) => {
    const console = new DispatchPage(page);
    await console.open(core.consoleUrl);
    await page.locator('.leaflet-container').focus();
    await page.keyboard.press('v');
    const figures = page.getByTestId('figures-dialog');
    const range = figures.getByTestId('figures-range');
    const from = figures.getByTestId('figures-from');
    const to = figures.getByTestId('figures-to');
    const refusal = figures.getByRole('alert');
    // The period shown always carries its offset (UTC+1 in winter, UTC+2 in summer).
    await expect(range).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC\+[12] to \d{4}-\d\d-\d\d \d\d:\d\d UTC\+[12] \(local time\)$/);
    const show = async (fromText: string, toText: string) => {
      await from.fill(fromText);
      await to.fill(toText);
      await to.press('Enter');
    };

    // The last Sunday of March skips 02:00–03:00: refused, not moved to 03:30.
    await show('2026-03-29 02:30', '2026-03-29 08:00');
    await expect(refusal).toHaveText('2026-03-29 02:30 does not exist in local time: that night the clocks went forward from 02:00 to 03:00 (UTC+1 → UTC+2)');
    await show('2026-03-29 03:30', '2026-03-29 08:00');
    await expect(refusal).toHaveCount(0);
    await expect(range).toHaveText('2026-03-29 03:30 UTC+2 to 2026-03-29 08:00 UTC+2 (local time)');

    // The last Sunday of October repeats 02:00–03:00: the offset says which.
    await show('2026-10-25 02:30', '2026-10-25 08:00');
    await expect(refusal).toHaveText(
      '2026-10-25 02:30 happens twice in local time (the clocks went back an hour that night): add UTC+2 for the first, UTC+1 for the second',
    );
    await show('2026-10-25 02:30 UTC+2', '2026-10-25 08:00');
    await expect(refusal).toHaveCount(0);
    await expect(range).toHaveText('2026-10-25 02:30 UTC+2 to 2026-10-25 08:00 UTC+1 (local time)');
    await show('2026-10-25 02:30 UTC+1', '2026-10-25 08:00');
    await expect(range).toHaveText('2026-10-25 02:30 UTC+1 to 2026-10-25 08:00 UTC+1 (local time)');
    await show('2026-07-01 12:00 UTC+1', '2026-07-01 18:00');
    await expect(refusal).toHaveText('2026-07-01 12:00: local time is UTC+2 then, not UTC+1');

    // In French.
    await page.keyboard.press('Escape');
    await page.keyboard.press('l');
    await page.keyboard.press('v');
    await expect(range).toHaveText(/^Du \d{4}-\d\d-\d\d \d\d:\d\d UTC\+[12] au \d{4}-\d\d-\d\d \d\d:\d\d UTC\+[12] \(heure locale\)$/);
    await show('2026-03-29 02:30', '2026-03-29 08:00');
    await expect(refusal).toHaveText(
      '2026-03-29 02:30 n’existe pas en heure locale\u00a0: cette nuit-là, les horloges sont passées de 02:00 à 03:00 (UTC+1 → UTC+2)',
    );
    await show('2026-10-25 02:30', '2026-10-25 08:00');
    await expect(refusal).toHaveText(
      '2026-10-25 02:30 existe deux fois en heure locale (les horloges ont reculé d’une heure cette nuit-là)\u00a0: ajoutez UTC+2 pour la première, UTC+1 pour la seconde',
    );
  });
});

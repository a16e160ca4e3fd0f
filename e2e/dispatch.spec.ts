// The operator's dispatch flow end to end, through the core's real sockets:
// a camera detection and an optronic report of the same launch, acknowledged
// and merged from the queue by keyboard, a unit ranked and sent (its
// terminal receives the assignment), on scene automatically from its
// positions, the incident closed with an outcome. Checked on screen and in
// `vigie export`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot, vigieBin, type CoreServer } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { DispatchPage } from './page-models/dispatchPage';

async function jsonFeedPort(core: CoreServer): Promise<number> {
  const status = { result: await core.api<{ listeners: { protocol: string; transport: string; port: number }[] }>('feeds.status') };
  return status.result.listeners.find((listener) => listener.protocol === 'json' && listener.transport === 'tcp')!.port;
}

/** A device on the JSON-lines TCP feed: sends lines, collects what the core sends back. */
async function connectDevice(port: number): Promise<{ send(line: object): void; received: object[]; close(): void }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const received: object[] = [];
  let buffer = '';
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim()) received.push(JSON.parse(line) as object);
    }
  });
  return { send: (line) => socket.write(`${JSON.stringify(line)}\n`), received, close: () => socket.destroy() };
}

test('an alert becomes an incident, a unit is sent and arrives, the incident is closed', async ({ page, core }) => {
  test.setTimeout(120_000);
  const console = new DispatchPage(page);
  await console.open(core.consoleUrl);
  const port = await jsonFeedPort(core);

  // The unit's terminal says hello and reports a position near Calais; its connection stays open for the assignment.
  const terminal = await connectDevice(port);
  terminal.send({ v: 1, type: 'hello', unit: 'U01' });
  terminal.send({ v: 1, type: 'unit-position', unit: 'U01', lat: 50.955, lon: 1.8, heading: 250, speed: 10 });

  // 1. A camera sees a boat launch at Sangatte: a row in the queue, a chime due, a pulse on the map.
  const camera = await connectDevice(port);
  camera.send({ v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection: 'D1', kind: 'boat-launch', lat: 50.9505, lon: 1.7402, confidence: 0.9 });
  const cameraRow = console.alertRow('boat-launch', 'new');
  await expect(cameraRow).toHaveCount(1, { timeout: 15_000 });
  await expect(cameraRow.locator('.alert-meta')).toHaveText(/^CAM-SANGATTE · \d\d:\d\d:\d\d · \d+ s$/);
  await expect(cameraRow.locator('.alert-where')).not.toHaveText('');
  await expect(page.getByTestId('sound-high')).toHaveAttribute('data-played', /^[1-9]/);
  await expect(page.locator('.alert-marker.alert-pulse')).not.toHaveCount(0);
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/dispatch-queue.png') });

  // 2. Enter acknowledges it: no other incident yet, so a new one opens and its panel shows.
  const cameraAlert = (await cameraRow.getAttribute('data-alert-id'))!;
  await console.selectAlertByKeyboard(cameraAlert);
  await page.keyboard.press('Enter');
  await expect(console.incidentPanel).toBeVisible();
  const incident = (await console.incidentPanel.getAttribute('data-incident'))!;
  await expect(page.locator(`[data-alert-id="${cameraAlert}"][data-status="acknowledged"] [data-testid="alert-incident"]`)).toHaveText(`in ${incident}`);
  await expect(console.incidentPanel.getByTestId('incident-position')).toContainText('50.95050, 1.74020');
  await expect(console.incidentPanel.getByTestId('incident-position')).toContainText('50°57.030′N 001°44.412′E');

  // 3. The optronic post at Blanc-Nez reports the same launch: Enter proposes the merge, G confirms it.
  camera.send({
    v: 1,
    type: 'optronic',
    sensor: 'OPT-BLANCNEZ',
    report: 'R1',
    kind: 'boat-launch',
    observer: { lat: 50.9215, lon: 1.715 },
    bearing: 30,
    range: 3500,
    confidence: 0.8,
  });
  const opticRow = console.alertRow('boat-launch', 'new');
  await expect(opticRow).toHaveCount(1, { timeout: 15_000 });
  await expect(opticRow.locator('.alert-meta')).toContainText('OPT-BLANCNEZ');
  const opticAlert = (await opticRow.getAttribute('data-alert-id'))!;
  await console.selectAlertByKeyboard(opticAlert);
  await page.keyboard.press('Enter');
  await expect(console.mergeProposal).toBeVisible();
  await expect(console.mergeProposal).toContainText(new RegExp(`Same event as ${incident}\\? \\d+ m, \\d+ s`));
  await expect(console.mergeProposal).toContainText('G merge · Enter new incident');
  await page.keyboard.press('g');
  await expect(console.mergeProposal).toBeHidden();
  await expect(page.locator(`[data-alert-id="${opticAlert}"][data-status="acknowledged"] [data-testid="alert-incident"]`)).toHaveText(`in ${incident}`);
  await expect(console.incidentPanel.getByTestId('incident-alerts').locator('li')).toHaveCount(2);

  // 4. U01 is ranked by time of arrival; D sends the top available unit, and its terminal is told.
  const u01 = console.rankedUnits.locator('tr[data-unit="U01"]');
  await expect(u01).toContainText('OPALE 01');
  await expect(u01).toContainText(/\d+ min/);
  await expect(u01).toContainText(/\d+(\.\d)? km/);
  await expect(u01).toContainText('available');
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/dispatch-incident.png') });

  // The console in French for a moment: the new words are translated too.
  await page.keyboard.press('l');
  await expect(console.incidentPanel.getByRole('heading', { name: 'Unités par délai d’arrivée' })).toBeVisible();
  await expect(u01).toContainText('disponible');
  await expect(console.incidentPanel).toContainText('D première disponible');
  await expect(page.locator(`[data-alert-id="${opticAlert}"] [data-testid="alert-incident"]`)).toHaveText(`dans ${incident}`);
  await expect(console.muteToggle).toHaveText(/Sons actifs/);
  await page.keyboard.press('l');
  await expect(console.incidentPanel.getByRole('heading', { name: 'Units by time of arrival' })).toBeVisible();

  // The panel and the queue pass an accessibility check (no serious or critical violation).
  // Leaflet fades removed labels out for 200 ms (empty, invisible) after the
  // language switch re-adds them: the check runs once they are gone.
  await expect(page.locator('.leaflet-tooltip:empty')).toHaveCount(0);
  // Evaluated through DevTools rather than addScriptTag: the console's CSP rightly refuses inline scripts.
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }> } }
    ).axe.run();
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({ id: violation.id, impact: violation.impact, targets: violation.nodes.map((node) => node.target) }));
  });
  expect(violations).toEqual([]);

  await page.keyboard.press('d');
  await expect(console.assignments.locator('li[data-unit="U01"]')).toHaveAttribute('data-status', 'assigned');
  await expect
    .poll(() => terminal.received.find((line) => (line as { type?: string }).type === 'assignment'))
    .toMatchObject({ type: 'assignment', unit: 'U01', incident });
  await expect(u01).toContainText(`committed to ${incident}`);
  // 1 sends the first-ranked unit again: the core refuses, and the console says why in its words.
  await page.keyboard.press('1');
  await expect(console.dispatchMessage).toHaveText(`Refused by the core: OPALE 01 is already assigned to ${incident}.`);
  // The same refusal in the French console: the core sends a reason code and its params, the console words it.
  await page.keyboard.press('l');
  await page.keyboard.press('1');
  await expect(console.dispatchMessage).toHaveText(`Refusé par le serveur\u00a0: OPALE 01 est déjà engagée sur ${incident}.`);
  await page.keyboard.press('l');

  // 5. The unit drives to the spot: on scene, set by the core from its position.
  for (const [lat, lon] of [
    [50.953, 1.78],
    [50.952, 1.76],
    [50.951, 1.745],
    [50.9506, 1.7404],
  ]) {
    terminal.send({ v: 1, type: 'unit-position', unit: 'U01', lat, lon, heading: 260, speed: 20 });
    await page.waitForTimeout(300);
  }
  await expect(console.assignments.locator('li[data-unit="U01"] [data-testid="assignment-status"]')).toHaveText('on scene', { timeout: 15_000 });
  await expect(console.assignments.locator('li[data-unit="U01"]')).toContainText(/assigned \d\d:\d\d:\d\d · on scene \d\d:\d\d:\d\d/);

  // N: a note on the incident, Enter adds it; the focus stays in the field for the next one.
  await page.keyboard.press('n');
  const noteField = console.incidentPanel.getByTestId('note-field');
  await expect(noteField).toBeFocused();
  await page.keyboard.type('Group of about 35 on the beach, boat being inflated.');
  await page.keyboard.press('Enter');
  await expect(console.incidentPanel.getByTestId('incident-notes').locator('li')).toHaveText([
    /^\d\d:\d\d:\d\d · duty Group of about 35 on the beach, boat being inflated\.$/,
  ]);
  await expect(noteField).toHaveValue('');
  await expect(noteField).toBeFocused();
  await page.keyboard.press('Escape');
  await noteField.blur();

  // The incident so far as an evidence file, saved from the panel; `vigie verify FILE` checks it with nothing else.
  const download = page.waitForEvent('download');
  await console.incidentPanel.getByTestId('export-evidence').click();
  const evidence = await download;
  expect(evidence.suggestedFilename()).toBe(`vigie-evidence-incident-${incident}.json`);
  const evidenceFile = path.join(core.dataDir, 'evidence.json');
  await evidence.saveAs(evidenceFile);
  const checked = spawnSync(process.execPath, [vigieBin, 'verify', evidenceFile], { encoding: 'utf8' });
  expect(checked.stdout).toMatch(new RegExp(`^ok: incident ${incident}, \\d+ events proven by blocks`));
  // Signed by the post's key when it was saved (no periodic signature covered it yet): docs/evidence.md#signed-heads.
  expect(checked.stdout).toMatch(/\nsigned by post ".+" with key ed25519:[0-9a-f]{64} \(block \d+, [^)]+, (export|periodic)\)\n$/);
  expect(checked.status).toBe(0);
  // Back to the queue, where the operator's work starts again.
  await page.keyboard.press('a');

  // 6. C opens the close dialog; Escape cancels, C again, an outcome, notes, Enter closes the incident.
  await page.keyboard.press('c');
  await expect(console.closeDialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(console.closeDialog).toBeHidden();
  await expect(console.alertRegion).toBeFocused();
  await page.keyboard.press('c');
  await expect(console.closeDialog).toBeVisible();
  await expect(console.closeDialog.getByRole('radio').first()).toBeFocused();
  await expect(console.closeDialog.getByRole('radio')).toHaveCount(5);
  // Enter without an outcome is refused on screen.
  await page.keyboard.press('Enter');
  await expect(console.closeDialog.getByRole('alert')).toHaveText('Choose an outcome first');
  await console.closeDialog.getByRole('radio', { name: 'Launch prevented' }).check();
  await console.closeDialog.getByRole('textbox', { name: 'Notes' }).fill('Group dispersed before launch; boat seized.');
  await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/dispatch-close.png') });
  await console.closeDialog.getByRole('radio', { name: 'Launch prevented' }).focus();
  await page.keyboard.press('Enter');
  await expect(console.closeDialog).toBeHidden();
  await expect(console.incidentPanel).toBeHidden();
  await expect(page.locator(`[data-alert-id="${cameraAlert}"]`)).toHaveCount(0);
  await expect(page.locator(`[data-alert-id="${opticAlert}"]`)).toHaveCount(0);
  await expect
    .poll(() =>
      terminal.received.some((line) => (line as { type?: string; status?: string }).type === 'status' && (line as { status?: string }).status === 'cleared'),
    )
    .toBe(true);
  terminal.close();
  camera.close();

  // 7. The log holds the whole story.
  const exported = spawnSync(process.execPath, [vigieBin, 'export', '--data', core.dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(exported.status, exported.stderr).toBe(0);
  const events = exported.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { kind: string; source: string; payload: Record<string, unknown> });
  const of = (kind: string) => events.filter((event) => event.kind === kind);
  expect(of('incident.opened').map((event) => event.payload.id)).toEqual([incident]);
  const acknowledged = of('alert.acknowledged');
  expect(acknowledged.map((event) => [event.payload.alert, event.payload.inc, event.payload.merged ?? 0])).toEqual([
    [cameraAlert, incident, 0],
    [opticAlert, incident, 1],
  ]);
  expect(of('dispatch.assigned')).toEqual([expect.objectContaining({ payload: expect.objectContaining({ inc: incident, u: 'U01' }) })]);
  expect(of('unit.status').filter((event) => event.payload.status === 'on-scene' && event.payload.by === 'core' && event.source === 'core')).toHaveLength(1);
  expect(of('incident.closed').map((event) => [event.payload.inc, event.payload.outcome])).toEqual([[incident, 'launch-prevented']]);
  expect(of('incident.noted').map((event) => [event.payload.inc, event.payload.text, (event as { operator?: string }).operator])).toEqual([
    [incident, 'Group of about 35 on the beach, boat being inflated.', 'duty'],
  ]);
});

test('U mutes the alert sounds (logged) and the console remembers it; a muted console stays silent', async ({ page, core }) => {
  const console = new DispatchPage(page);
  await console.open(core.consoleUrl);
  await expect(console.muteToggle).toHaveAttribute('aria-pressed', 'false');
  // The three chimes load from the core under its CSP (media-src 'self').
  for (const severity of ['high', 'medium', 'low']) {
    await expect
      .poll(() => page.getByTestId(`sound-${severity}`).evaluate((audio: HTMLAudioElement) => (audio.error ? -1 : audio.readyState)))
      .toBeGreaterThan(0);
  }
  await page.keyboard.press('u');
  await expect(console.muteToggle).toHaveAttribute('aria-pressed', 'true');
  await expect(console.muteToggle).toHaveText(/Sounds off/);
  await page.reload();
  await console.waitUntilConnected();
  await expect(console.muteToggle).toHaveAttribute('aria-pressed', 'true');

  const device = await connectDevice(await jsonFeedPort(core));
  device.send({
    v: 1,
    type: 'detection',
    sensor: 'CAM-SANGATTE',
    detection: 'D9',
    kind: 'group-on-beach',
    lat: 50.9505,
    lon: 1.7402,
    confidence: 0.9,
    count: 12,
  });
  await expect(console.alertRow('group-on-beach', 'new')).toHaveCount(1, { timeout: 15_000 });
  await expect(page.locator('audio[data-played]')).toHaveCount(0);
  device.close();

  // The help lists the dispatch keys.
  await page.keyboard.press('?');
  for (const text of [
    'Dispatch',
    'Assign the first available unit',
    'Merge the alert into the proposed incident',
    'Close the incident',
    'Mute or unmute the alert sounds',
  ]) {
    await expect(console.helpDialog).toContainText(text);
  }
  await page.keyboard.press('Escape');

  const exported = spawnSync(process.execPath, [vigieBin, 'export', '--data', core.dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(exported.status, exported.stderr).toBe(0);
  expect(exported.stdout).toContain('"kind":"console.muted"');
});

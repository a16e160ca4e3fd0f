// Operators and shifts end to end: a new post asks for its first supervisor
// (no default account), labelled sign-in fields in both languages, a wrong
// password refused and logged, a shift handed over with its note, and an
// auditor whose attempt to dispatch the core refuses — on screen and in
// `vigie export`; and a first-run console that loads without one refused or
// missing request and without a console error.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { addAccount, startCoreServer, vigieBin } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { DispatchPage } from './page-models/dispatchPage';

const PASSWORD = 'a long enough passphrase';

function exported(dataDir: string): { kind: string; operator: string | null; payload: Record<string, unknown> }[] {
  const result = spawnSync(process.execPath, [vigieBin, 'export', '--data', dataDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; operator: string | null; payload: Record<string, unknown> });
}

test('a new post creates its first supervisor, who signs in, hands the shift over, and signs in to the next one', async ({ page }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-'));
  const core = await startCoreServer(dataDir, [], { firstRun: true });
  try {
    await page.goto(core.consoleUrl);
    const form = page.getByTestId('first-run-form');
    await expect(form.getByRole('heading')).toHaveText('Create the first supervisor account');
    // Labelled fields: found by their labels, as a screen reader announces them.
    await form.getByLabel('Name').fill('chief');
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByLabel('Password again').fill('something else entirely');
    await form.getByRole('button', { name: 'Create and sign in' }).click();
    await expect(page.getByTestId('access-error')).toHaveText('The two passwords differ');
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByLabel('Password again').fill(PASSWORD);
    await form.getByRole('button', { name: 'Create and sign in' }).click();
    const status = page.getByTestId('session-status');
    await expect(status).toContainText('chief (supervisor) · shift 1');

    // End of shift: the handover note is required; then everyone signs in again, to shift 2.
    await status.getByTestId('end-shift').click();
    const handover = page.getByTestId('handover-dialog');
    await expect(handover).toBeVisible();
    await handover.getByTestId('confirm-end-shift').click();
    await expect(handover.getByRole('alert')).toHaveText('Write the handover note first');
    await handover.getByLabel('Handover note for the next shift').fill('Quiet night. OPALE 07 has a flat tyre at Wissant.');
    await handover.getByTestId('confirm-end-shift').click();
    const signIn = page.getByTestId('sign-in-form');
    await expect(signIn).toBeVisible();

    // A wrong password is refused without saying which part was wrong.
    await signIn.getByLabel('Name').fill('chief');
    await signIn.getByLabel('Password').fill('not the passphrase');
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('access-error')).toHaveText('Wrong name or password.');
    await expect(signIn.getByLabel('Password')).toHaveValue('');

    // The form in French: its labels too.
    await page.getByRole('button', { name: 'FR' }).click();
    await expect(signIn.getByRole('heading')).toHaveText('Connexion');
    await signIn.getByLabel('Nom').fill('chief');
    await signIn.getByLabel('Mot de passe').fill(PASSWORD);
    await signIn.getByRole('button', { name: 'Se connecter' }).click();
    await expect(status).toContainText('chief (superviseur) · vacation 2');
  } finally {
    expect(await core.stop()).toBe(0);
  }
  const events = exported(dataDir);
  expect(events.filter((event) => event.kind === 'operator.created').map((event) => event.payload)).toEqual([{ name: 'chief', role: 'supervisor', by: null }]);
  expect(events.filter((event) => event.kind === 'shift.opened').map((event) => event.payload)).toEqual([
    { shift: 1, by: 'chief' },
    { shift: 2, by: 'chief' },
  ]);
  expect(events.filter((event) => event.kind === 'shift.closed').map((event) => event.payload)).toEqual([
    { shift: 1, by: 'chief', handover: 'Quiet night. OPALE 07 has a flat tyre at Wissant.' },
  ]);
  expect(events.filter((event) => event.kind === 'session.failed').map((event) => event.payload)).toEqual([{ name: 'chief', reason: 'wrong-password' }]);
  // No password is ever in the log.
  expect(JSON.stringify(events).includes(PASSWORD)).toBe(false);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a first-run console loads cleanly: no request refused or missing, no console error', async ({ browser }) => {
  const core = await startCoreServer(undefined, [], { firstRun: true });
  // A context of its own, without the fixture's request routing: with a route in place Chromium
  // does not ask for the page's icon, so a missing icon would never show. The browser's own
  // requests (that icon) show only as console errors, not as Playwright's network events.
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('request', (request) => (new URL(request.url()).hostname === '127.0.0.1' ? undefined : problems.push(`outside this machine: ${request.url()}`)));
  page.on('console', (message) => (message.type() === 'error' ? problems.push(`console error: ${message.text()} (${message.location().url})`) : undefined));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) =>
    response.status() >= 400 ? problems.push(`${response.status()} ${response.request().method()} ${response.url().split('#')[0]}`) : undefined,
  );
  try {
    await page.goto(core.consoleUrl);
    const form = page.getByTestId('first-run-form');
    await form.getByLabel('Name').fill('chief');
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByLabel('Password again').fill(PASSWORD);
    await form.getByRole('button', { name: 'Create and sign in' }).click();
    await expect(page.getByTestId('session-status')).toContainText('chief (supervisor) · shift 1');
    await expect(page.locator('.leaflet-overlay-pane path').first()).toBeVisible();
    // The icon is asked for after the load, in the background: give it time to answer.
    await page.waitForTimeout(1500);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
    expect(await core.stop()).toBe(0);
    fs.rmSync(core.dataDir, { recursive: true, force: true });
  }
});

test('an auditor sees the picture but the core refuses its dispatch, says so, and logs it', async ({ page, core }) => {
  addAccount(core.dataDir, 'inspector', 'auditor', PASSWORD);
  const console = new DispatchPage(page);
  await console.open(core.consoleUrl, { name: 'inspector', password: PASSWORD });
  await expect(page.getByTestId('session-status')).toContainText('inspector (auditor)');

  const { listeners } = await core.api<{ listeners: { protocol: string; transport: string; port: number }[] }>('feeds.listeners');
  const camera = net.connect(listeners.find((listener) => listener.protocol === 'json' && listener.transport === 'tcp')!.port, '127.0.0.1');
  await new Promise((resolve) => camera.once('connect', resolve));
  camera.write(
    `${JSON.stringify({ v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection: 'D1', kind: 'boat-launch', lat: 50.9505, lon: 1.7402, confidence: 0.9 })}\n`,
  );
  const row = console.alertRow('boat-launch', 'new');
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await console.selectAlertByKeyboard((await row.getAttribute('data-alert-id'))!);
  await page.keyboard.press('Enter');
  await expect(page.locator('.queue-message')).toHaveText('Refused by the core: Not allowed for the auditor role (alert.acknowledge).');
  await expect(row).toHaveAttribute('data-status', 'new');
  camera.destroy();

  const denied = await core.api<{ events: { kind: string; operator: string | null; payload: unknown }[] }>('log.tail', { limit: 50 });
  const method = (payload: unknown) => ((typeof payload === 'string' ? JSON.parse(payload) : payload) as { method: string }).method;
  expect(denied.events.filter((event) => event.kind === 'access.denied').map((event) => [event.operator, method(event.payload)])).toEqual([
    ['inspector', 'alert.acknowledge'],
  ]);
});

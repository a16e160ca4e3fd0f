// The control room (issue 15), end to end over TLS on 127.0.0.2: three
// browser seats (a supervisor and two operators) join a post's room address,
// are admitted by their codes, sign in, race to acknowledge the same alert and
// to send the same unit (exactly one wins each time, the other is told in its
// own language and sees the winner's work), hand an incident over, and a seat
// is revoked. Plus the attacks: an unadmitted seat and a session replayed from
// another seat.
import net from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { addAccount, projectRoot, startCoreServer, vigieBin, type CoreServer } from './fixtures/coreServer';
import { expect, guardOffline, test } from './fixtures/test';
import { DispatchPage } from './page-models/dispatchPage';

const ROOM_HOST = '127.0.0.2';
const PASSWORD = 'correct horse battery staple';
const SUPERVISOR = { name: 'duty', password: PASSWORD };
const MARIE = { name: 'marie', password: PASSWORD };
const LUC = { name: 'luc', password: PASSWORD };

async function freePort(host: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A seat: its own browser context (a machine of the room) that trusts the post's certificate, as one would after comparing the fingerprint. */
async function openSeat(
  browser: Browser,
  url: string,
  violations: string[],
  language: 'en' | 'fr' = 'en',
): Promise<{ context: BrowserContext; page: Page; code: string }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: language === 'fr' ? 'fr-FR' : 'en-GB', viewport: { width: 1440, height: 900 } });
  await guardOffline(context, violations);
  const page = await context.newPage();
  await page.goto(url);
  // Before admission: the code, and nothing of the post.
  const code = (await page.getByTestId('seat-code').textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}$/);
  await expect(page.getByTestId('sign-in-form')).toHaveCount(0);
  await expect(page.locator('.leaflet-container')).toHaveCount(0);
  return { context, page, code };
}

async function jsonFeedPort(core: CoreServer): Promise<number> {
  const status = await core.api<{ listeners: { protocol: string; transport: string; port: number }[] }>('feeds.status');
  return status.listeners.find((listener) => listener.protocol === 'json' && listener.transport === 'tcp')!.port;
}

async function sendLines(port: number, lines: object[]): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  for (const line of lines) socket.write(`${JSON.stringify(line)}\n`);
  return socket;
}

test('three seats over TLS: admitted by code, racing for one alert and one unit, handing over, one revoked', async ({ browser }) => {
  test.setTimeout(180_000);
  const roomPort = await freePort(ROOM_HOST);
  const core = await startCoreServer(undefined, ['--room', `${ROOM_HOST}:${roomPort}`]);
  const violations: string[] = [];
  const sockets: net.Socket[] = [];
  try {
    addAccount(core.dataDir, MARIE.name, 'operator', MARIE.password);
    addAccount(core.dataDir, LUC.name, 'operator', LUC.password);
    expect(core.room!.url).toBe(`https://${ROOM_HOST}:${roomPort}/`);

    // The supervisor's seat is admitted from the post's own console (here through its API, as the duty supervisor).
    const chief = await openSeat(browser, core.room!.url, violations);
    await core.api('seat.admit', { code: chief.code });
    const chiefConsole = new DispatchPage(chief.page);
    await chief.page.getByTestId('sign-in-form').waitFor();
    await chiefConsole.signIn(SUPERVISOR);

    // Two operators' seats; the supervisor admits their codes in the Seats dialog.
    const first = await openSeat(browser, core.room!.url, violations);
    await first.page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/room-seat-waiting.png') });
    const second = await openSeat(browser, core.room!.url, violations, 'fr');
    await chief.page.getByTestId('seats-button').click();
    const dialog = chief.page.getByTestId('seats-dialog');
    await expect(dialog.locator(`tr[data-code="${first.code}"][data-state="pending"]`)).toHaveCount(1);
    for (const seat of [first, second]) {
      await dialog.getByTestId('seat-code-field').fill(seat.code.toLowerCase());
      await dialog.getByTestId('seat-admit').click();
      await expect(dialog.locator(`tr[data-code="${seat.code}"]`)).toHaveAttribute('data-state', 'admitted');
    }
    const marie = new DispatchPage(first.page);
    const luc = new DispatchPage(second.page);
    await first.page.getByTestId('sign-in-form').waitFor();
    await marie.signIn(MARIE);
    await second.page.getByTestId('sign-in-form').waitFor();
    await luc.signIn(LUC);
    // The supervisor sees who is signed in at which seat.
    await expect(dialog.locator(`tr[data-code="${first.code}"] [data-testid="seat-who"]`)).toContainText('marie');
    await expect(dialog.locator(`tr[data-code="${second.code}"] [data-testid="seat-who"]`)).toContainText('luc');
    await chief.page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/room-seats.png') });
    await chief.page.keyboard.press('Escape');

    // A unit near Calais and a launch at Sangatte.
    const port = await jsonFeedPort(core);
    sockets.push(
      await sendLines(port, [
        { v: 1, type: 'hello', unit: 'U01' },
        { v: 1, type: 'unit-position', unit: 'U01', lat: 50.955, lon: 1.8, heading: 250, speed: 10 },
      ]),
    );
    sockets.push(
      await sendLines(port, [
        { v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection: 'D1', kind: 'boat-launch', lat: 50.9505, lon: 1.7402, confidence: 0.9 },
      ]),
    );
    for (const console of [marie, luc, chiefConsole]) await expect(console.alertRow('boat-launch', 'new')).toHaveCount(1, { timeout: 15_000 });

    // Both operators acknowledge the same alert at once: exactly one incident opens.
    const alertId = (await marie.alertRow('boat-launch', 'new').getAttribute('data-alert-id'))!;
    await marie.selectAlertByKeyboard(alertId);
    await luc.selectAlertByKeyboard(alertId);
    await Promise.all([first.page.keyboard.press('Enter'), second.page.keyboard.press('Enter')]);
    for (const console of [marie, luc, chiefConsole]) await expect(console.alertRow('boat-launch', 'acknowledged')).toHaveCount(1);
    const picture = await core.api<{ incidents: { id: string; owner: string | null }[] }>('picture.get');
    expect(picture.incidents).toHaveLength(1);
    const [incident] = picture.incidents;
    const winner = incident!.owner === 'marie' ? { console: marie, page: first.page } : { console: luc, page: second.page };
    const loser = winner.console === marie ? { console: luc, page: second.page, language: 'fr' } : { console: marie, page: first.page, language: 'en' };
    expect(['marie', 'luc']).toContain(incident!.owner);
    // The other is told in their own language (or, if the winner's push came first, simply sees the alert taken); either way they see who owns it.
    const refused = loser.page.locator('.queue-message');
    if (await refused.count())
      await expect(refused).toHaveText(
        loser.language === 'fr' ? /Refusé par le serveur.*(n’est plus ouverte|déjà)/ : /Refused by the core.*(no longer open|already)/,
      );
    await loser.console.alertRow('boat-launch', 'acknowledged').click();
    await expect(loser.page.getByTestId('incident-owner')).toHaveAttribute('data-owner', incident!.owner!);
    await expect(winner.page.getByTestId('incident-owner')).toHaveAttribute('data-owner', incident!.owner!);

    // Both send the first ranked unit at once: it goes once.
    for (const page of [first.page, second.page]) await expect(page.getByTestId('ranked-units').locator('tr[data-unit="U01"]')).toHaveCount(1);
    await Promise.all([first.page.keyboard.press('1'), second.page.keyboard.press('1')]);
    await expect.poll(async () => (await core.api<{ incidents: { assignments: unknown[] }[] }>('picture.get')).incidents[0]!.assignments.length).toBe(1);
    const messages = [first.page, second.page].map((page) => page.getByTestId('dispatch-message'));
    await expect.poll(async () => (await messages[0]!.count()) + (await messages[1]!.count())).toBeGreaterThanOrEqual(1);
    await chiefConsole.alertRow('boat-launch', 'acknowledged').click();
    for (const page of [first.page, second.page, chief.page]) await expect(page.getByTestId('assignments')).toContainText('OPALE 01');

    // The owner hands the incident over; everyone sees it.
    const to = winner.console === marie ? 'luc' : 'marie';
    await winner.page.getByTestId('owner-field').fill(to);
    await winner.page.getByTestId('owner-transfer').click();
    for (const page of [first.page, second.page]) await expect(page.getByTestId('incident-owner')).toHaveAttribute('data-owner', to);
    await winner.page.getByTestId('owner-field').fill('nobody-here');
    await winner.page.getByTestId('owner-transfer').click();
    await expect(winner.page.getByTestId('owner-error')).toContainText(/nobody-here/);

    // Attack: luc's session token replayed from marie's seat is worth nothing there.
    const lucSession = await second.page.evaluate(() => sessionStorage.getItem('vigie.session') ?? '');
    const replayed = await first.page.evaluate(async (session) => {
      const seat = localStorage.getItem('vigie.seatToken')!;
      const response = await fetch('/api/picture.get', {
        method: 'POST',
        headers: { authorization: `Bearer ${seat}`, 'x-vigie-session': session, 'content-type': 'application/json' },
        body: '{}',
      });
      return { status: response.status, body: (await response.json()) as { error?: { reason: string } } };
    }, lucSession);
    expect(lucSession).not.toBe('');
    expect([replayed.status, replayed.body.error?.reason]).toEqual([401, 'session-elsewhere']);

    // Attack: a seat not admitted reaches no operational data.
    const stranger = await openSeat(browser, core.room!.url, violations);
    const unadmitted = await stranger.page.evaluate(async () => {
      const seat = localStorage.getItem('vigie.seatToken')!;
      const response = await fetch('/api/picture.get', {
        method: 'POST',
        headers: { authorization: `Bearer ${seat}`, 'content-type': 'application/json' },
        body: '{}',
      });
      return { status: response.status, reason: ((await response.json()) as { error?: { reason: string } }).error?.reason };
    });
    expect(unadmitted).toEqual({ status: 403, reason: 'seat-not-admitted' });
    await stranger.context.close();

    // The supervisor revokes luc's seat: it drops back to asking to join, with a new code.
    await chief.page.getByTestId('seats-button').click();
    await dialog.locator(`tr[data-code="${second.code}"] [data-testid="seat-revoke"]`).click();
    await expect(dialog.locator(`tr[data-code="${second.code}"]`)).toHaveAttribute('data-state', 'revoked');
    await expect(second.page.getByTestId('seat-code')).not.toHaveText(second.code, { timeout: 15_000 });

    // All of it is in the log.
    await core.stop();
    const exported = spawnSync(process.execPath, [vigieBin, 'export', '--data', core.dataDir], { encoding: 'utf8' });
    const kinds = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; operator?: string | null });
    const count = (kind: string) => kinds.filter((event) => event.kind === kind).length;
    expect(count('seat.admitted')).toBe(3);
    expect(count('seat.revoked')).toBe(1);
    expect(count('incident.opened')).toBe(1);
    expect(count('dispatch.assigned')).toBe(1);
    expect(count('incident.transferred')).toBe(1);
    expect(violations).toEqual([]);
  } finally {
    for (const socket of sockets) socket.destroy();
    await core.stop();
  }
});

test('the wall screen: large type, the open incidents in turn, no actions', async ({ page, core }) => {
  addAccount(core.dataDir, 'wall', 'display', PASSWORD);
  const port = await jsonFeedPort(core);
  const camera = await sendLines(port, [
    { v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection: 'D1', kind: 'boat-launch', lat: 50.9505, lon: 1.7402, confidence: 0.9 },
  ]);
  try {
    const alert = await expect
      .poll(async () => (await core.api<{ alerts: { id: string; status: string }[] }>('picture.get')).alerts.find((a) => a.status === 'new')?.id)
      .toBeTruthy()
      .then(async () => (await core.api<{ alerts: { id: string; status: string }[] }>('picture.get')).alerts.find((a) => a.status === 'new')!.id);
    const { incident } = await core.api<{ incident: string }>('alert.acknowledge', { alert });

    await page.goto(core.consoleUrl);
    const form = page.getByTestId('sign-in-form');
    await form.locator('input[name="username"]').fill('wall');
    await form.locator('input[name="password"]').fill(PASSWORD);
    await form.locator('button[type="submit"]').click();
    await expect(page.getByTestId('wall-screen')).toBeVisible();
    const row = page.locator(`.wall-list li[data-incident="${incident}"]`);
    await expect(row).toHaveAttribute('aria-current', 'true');
    await expect(row).toContainText('duty');
    expect(parseFloat(await row.evaluate((element) => getComputedStyle(element).fontSize))).toBeGreaterThanOrEqual(22);
    // No queue, no incident panel, no tools that act.
    await expect(page.getByRole('listbox')).toHaveCount(0);
    await expect(page.getByTestId('incident-panel')).toHaveCount(0);
    await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/room-wall.png') });
    // And the core refuses it anything but the picture, whatever a page tries.
    const refused = await page.evaluate(
      async ({ alertId }) => {
        const token = sessionStorage.getItem('vigie.coreToken')!;
        const session = sessionStorage.getItem('vigie.session')!;
        const call = async (method: string, params: object) => {
          const response = await fetch(`/api/${method}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'x-vigie-session': session, 'content-type': 'application/json' },
            body: JSON.stringify(params),
          });
          return ((await response.json()) as { error?: { reason: string } }).error?.reason ?? 'ok';
        };
        return [await call('picture.get', {}), await call('alert.acknowledge', { alert: alertId }), await call('log.tail', {})];
      },
      { alertId: alert },
    );
    expect(refused).toEqual(['ok', 'forbidden-for-role', 'forbidden-for-role']);
  } finally {
    camera.destroy();
  }
});

// The regional centre's console (issue 16 item 3; docs/federation.md): two
// real posts (`vigie serve --post-name … --uplink …`) publishing to a real
// nats-server, a real `vigie centre`, and Chromium on the centre's address:
// both posts' units, tracks and incidents on one map, each labelled with its
// post; "request assistance" written at the centre appears on the post's
// console, and its acknowledgement there comes back to the centre; a post's
// shift replayed on the centre's map.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { NatsServer, freePort } from '../test/federation/natsServer';
import { projectRoot, startCoreServer, vigieBin, type CoreServer } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';

const CENTRE_LINE = /^Vigie centre: (http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64})$/;

async function startCentre(dir: string, nats: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [vigieBin, 'centre', '--data', dir, '--nats', nats, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigie centre printed nothing; stderr:\n${errors}`)), 20_000);
    readline.createInterface({ input: child.stdout! }).once('line', (first) => {
      clearTimeout(timer);
      resolve(first);
    });
    child.once('exit', (code) => reject(new Error(`vigie centre exited ${code}: ${errors}`)));
  });
  const match = CENTRE_LINE.exec(line);
  if (!match) throw new Error(`unexpected first line from vigie centre: ${line}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: match[1]!,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The post's JSON feed (TCP), one line per message. */
async function jsonFeed(core: CoreServer): Promise<{ send(line: object): void; close(): void }> {
  const status = await core.api<{ listeners: { protocol: string; transport: string; port: number }[] }>('feeds.status');
  const port = status.listeners.find((listener) => listener.protocol === 'json' && listener.transport === 'tcp')!.port;
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('data', () => undefined);
  return { send: (line) => socket.write(`${JSON.stringify(line)}\n`), close: () => socket.destroy() };
}

test('the centre’s console shows two posts’ units, tracks and incidents together, each labelled with its post; request assistance reaches the post', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const nats = await new NatsServer(await freePort()).start();
  const centreDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-centre-'));
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const calais = await startCoreServer(undefined, ['--post-name', 'CALAIS', '--uplink', nats.url]);
    stops.push(() => calais.stop());
    const boulogne = await startCoreServer(undefined, ['--post-name', 'BOULOGNE', '--uplink', nats.url]);
    stops.push(() => boulogne.stop());
    const centre = await startCentre(centreDir, nats.url);
    stops.push(() => centre.stop());

    // Each post hears its own unit and a radar track; Calais raises an alert, made an incident.
    const calaisFeed = await jsonFeed(calais);
    const boulogneFeed = await jsonFeed(boulogne);
    stops.push(async () => {
      calaisFeed.close();
      boulogneFeed.close();
    });
    calaisFeed.send({ v: 1, type: 'unit-position', unit: 'U01', lat: 50.955, lon: 1.8, heading: 90, speed: 8 });
    calaisFeed.send({ v: 1, type: 'track', sensor: 'RAD-BLANCNEZ', track: 'CAL-T1', lat: 50.99, lon: 1.72, course: 315, speed: 6, class: 'small-boat' });
    boulogneFeed.send({ v: 1, type: 'unit-position', unit: 'U05', lat: 50.73, lon: 1.58, heading: 200, speed: 4 });
    boulogneFeed.send({ v: 1, type: 'track', sensor: 'RAD-GRISNEZ', track: 'BOU-T1', lat: 50.78, lon: 1.5, course: 180, speed: 9, class: 'vessel' });
    calaisFeed.send({ v: 1, type: 'detection', sensor: 'CAM-SANGATTE', detection: 'D1', kind: 'boat-launch', lat: 50.9505, lon: 1.7402, confidence: 0.9 });
    const launches = async () =>
      (await calais.api<{ alerts: { id: string; kind: string }[] }>('picture.get')).alerts.filter((a) => a.kind === 'boat-launch').map((a) => a.id);
    await expect.poll(launches, { timeout: 15_000 }).toHaveLength(1);
    const [alert] = await launches();
    await calais.api('alert.acknowledge', { alert });

    await page.goto(centre.url);
    const posts = page.locator('.centre-post');
    await expect(posts).toHaveCount(2, { timeout: 20_000 });
    await expect(page.locator('.centre-post[data-post="BOULOGNE"]')).toHaveAttribute('data-state', 'following');
    await expect(page.locator('.centre-post[data-post="CALAIS"]')).toHaveAttribute('data-state', 'following');
    // The shipped coast's attribution, as on a post's map (ODbL).
    await expect(page.locator('.leaflet-control-attribution')).toContainText('OpenStreetMap');
    // Units labelled with their post, in their post's colour.
    await expect(page.locator('.centre-unit[data-post="CALAIS"][data-unit="U01"]')).toContainText('CALAIS', { timeout: 20_000 });
    await expect(page.locator('.centre-unit[data-post="BOULOGNE"][data-unit="U05"]')).toContainText('BOULOGNE');
    // Tracks and sectors drawn per post (both posts seed the shipped sectors).
    await expect(page.locator('path.centre-track.post-CALAIS')).toHaveCount(1);
    await expect(page.locator('path.centre-track.post-BOULOGNE')).toHaveCount(1);
    expect(await page.locator('path.centre-sector.post-CALAIS').count()).toBeGreaterThan(10);
    // Calais's incident on the map and in the list of all posts' incidents.
    await expect(page.locator('.centre-incident[data-post="CALAIS"]')).toHaveCount(1);
    await expect(page.locator('.centre-incidents li[data-post="CALAIS"]')).toHaveCount(1);
    await expect(page.locator('.centre-incidents li[data-post="BOULOGNE"]')).toHaveCount(0);
    await page.screenshot({ path: path.join(projectRoot, 'docs/screenshots/centre.png') });
    // The post list is keyboard reachable: a post's name shows it on the map (zoomed in on its unit and incident).
    const zoom = await page.locator('.leaflet-control-scale-line').textContent();
    await page.locator('.centre-post[data-post="CALAIS"] button').focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('.leaflet-control-scale-line')).not.toHaveText(zoom!);

    // Request assistance, written at the centre to Boulogne, shows on Boulogne's console; acknowledged there, the centre says so.
    const request = page.getByRole('region', { name: 'Request assistance' });
    await request.getByLabel('To post').selectOption('BOULOGNE');
    await request.getByLabel('Message').fill('Calais needs a boat towards Sangatte (S13), theirs is committed');
    await request.getByRole('button', { name: 'Send' }).click();
    await expect(request.getByRole('status')).toHaveText('Sent to BOULOGNE.');
    const sent = page.locator('.centre-sent li[data-post="BOULOGNE"]');
    await expect(sent).toHaveAttribute('data-state', 'received', { timeout: 20_000 });
    const post = new ConsolePage(await context.newPage());
    await post.open(boulogne.consoleUrl);
    const banner = post.page.getByTestId('centre-messages').getByRole('alert');
    await expect(banner).toContainText('Regional centre: Calais needs a boat towards Sangatte (S13)', { timeout: 10_000 });
    await banner.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(post.page.getByTestId('centre-messages')).toHaveCount(0);
    await expect(sent).toHaveAttribute('data-state', 'acknowledged', { timeout: 20_000 });
    await expect(sent).toContainText('acknowledged by duty');
    // An empty message is not sent.
    await expect(request.getByRole('button', { name: 'Send' })).toBeDisabled();

    // Replay of Calais's shift on the centre's map: at its start Calais's unit had no fix yet; at its end it has; Boulogne stays live.
    const replay = page.getByRole('region', { name: 'Replay a post’s shift' });
    await replay.getByLabel('To post').selectOption('CALAIS');
    await expect(replay.getByLabel('Shift').locator('option')).not.toHaveCount(0);
    await replay.getByRole('button', { name: 'Replay' }).click();
    await expect(replay.getByRole('status')).toContainText('REPLAY — CALAIS, shift 1');
    await expect(page.locator('.centre-unit[data-post="CALAIS"]')).toHaveCount(0);
    await expect(page.locator('.centre-unit[data-post="BOULOGNE"][data-unit="U05"]')).toHaveCount(1);
    await replay.getByLabel('Moment').focus();
    await page.keyboard.press('End');
    await expect(page.locator('.centre-unit[data-post="CALAIS"][data-unit="U01"]')).toHaveCount(1);
    await replay.getByRole('button', { name: 'Back to live' }).click();
    await expect(replay.getByRole('status')).toHaveCount(0);

    // Figures across posts, side by side with their sum: Calais's alerts (its boat launch among them) and the incident it opened.
    const figures = page.getByRole('region', { name: 'Figures across posts' });
    await figures.getByRole('button', { name: 'Last 24 hours' }).click();
    const opened = figures.getByRole('row', { name: /^Incidents opened/ });
    await expect(opened.locator('td[data-post="CALAIS"]')).toHaveText('1');
    await expect(opened.locator('td[data-post="BOULOGNE"]')).toHaveText('0');
    await expect(opened.locator('td[data-post="total"]')).toHaveText('1');
    const alertsRow = figures.getByRole('row', { name: /^Alerts/ });
    const perPost = await Promise.all(['CALAIS', 'BOULOGNE'].map(async (post) => Number(await alertsRow.locator(`td[data-post="${post}"]`).textContent())));
    expect(perPost[0]).toBeGreaterThanOrEqual(1);
    await expect(alertsRow.locator('td[data-post="total"]')).toHaveText(String(perPost[0]! + perPost[1]!));

    // In French.
    await page.getByRole('button', { name: 'Français' }).click();
    await expect(page.locator('h1')).toHaveText('Vigie — centre régional');
    await expect(page.locator('.centre-post[data-post="CALAIS"]')).toContainText('suivi');
    await expect(sent).toContainText('reçu par duty');
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await nats.kill();
    fs.rmSync(nats.storeDir, { recursive: true, force: true });
    fs.rmSync(centreDir, { recursive: true, force: true });
  }
});

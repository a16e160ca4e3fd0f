// Neighbours on the console (issue 16 item 4; docs/federation.md#neighbours):
// Calais, with Boulogne for neighbour, shows Boulogne's unit near their shared
// border on the "Neighbouring posts" layer — through a real nats-server and a
// real `vigie centre` — read only: its popup says whose it is and how old,
// and offers no action. A real nats-server, three vigie processes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import { NatsServer, freePort } from '../test/federation/natsServer';
import { startCoreServer, vigieBin, type CoreServer } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';

async function startCentre(url: string): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync('/tmp/vigie-e2e-centre-');
  const child = spawn(process.execPath, [vigieBin, 'centre', '--data', dir, '--nats', url, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigie centre printed nothing; stderr:\n${errors}`)), 20_000);
    readline.createInterface({ input: child.stdout! }).once('line', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`vigie centre exited ${code}: ${errors}`)));
  });
  return async () => {
    if (child.exitCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

/** A unit's terminal on a post's JSON feed: one position report. */
async function reportPosition(core: CoreServer, unit: string, lat: number, lon: number): Promise<void> {
  const { listeners } = await core.api<{ listeners: { protocol: string; transport: string; port: number }[] }>('feeds.status');
  const port = listeners.find((listener) => listener.protocol === 'json' && listener.transport === 'tcp')!.port;
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(`${JSON.stringify({ v: 1, type: 'hello', unit })}\n`);
  socket.write(`${JSON.stringify({ v: 1, type: 'unit-position', unit, lat, lon, heading: 40, speed: 6 })}\n`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  socket.end();
}

test('Calais shows a Boulogne unit near the border on the neighbours layer, read only', async ({ page }) => {
  const nats = new NatsServer(await freePort());
  await nats.start();
  const stopCentre = await startCentre(nats.url);
  const boulogne = await startCoreServer(undefined, ['--post-name', 'BOULOGNE', '--uplink', nats.url]);
  const calais = await startCoreServer(undefined, ['--post-name', 'CALAIS', '--uplink', nats.url, '--neighbours', 'BOULOGNE']);
  try {
    await reportPosition(boulogne, 'U05', 50.8712, 1.6134);
    const console = new ConsolePage(page);
    await console.open(calais.consoleUrl);

    // The layer is there, named, and can be switched off and on.
    await expect.poll(() => console.layerNames(), { timeout: 30_000 }).toContain('Neighbouring posts (read only)');
    const unit = page.locator('[data-neighbour-unit="U05"][data-neighbour-post="BOULOGNE"]');
    await expect(unit).toHaveCount(1, { timeout: 30_000 });
    await expect(unit).toHaveAttribute('data-state', 'live');

    await unit.click();
    const popup = page.getByTestId('neighbour-popup');
    await expect(popup).toBeVisible();
    await expect(popup).toContainText('BOULOGNE — read only');
    await expect(popup).toContainText(/as the centre saw it \d+ s ago/);
    // Read only: nothing to press.
    await expect(popup.locator('button')).toHaveCount(0);
    await expect(page.getByTestId('neighbour-stale')).toHaveCount(0);
    // The click stayed the marker's: nothing was picked on the map for following or sending.
    await expect(page.getByTestId('follow-toggle')).toHaveCount(0);

    // Off in the layer control, it goes; on again, it is back.
    await console.layerControl.hover();
    const entry = console.layerEntries.filter({ hasText: 'Neighbouring posts (read only)' }).locator('input');
    await entry.uncheck();
    await expect(unit).toHaveCount(0);
    await entry.check();
    await expect(unit).toHaveCount(1);

    // NATS gone: the unit stays, shown stale, and its popup says so.
    await nats.kill();
    await expect(unit).toHaveAttribute('data-state', 'stale', { timeout: 15_000 });
    await unit.click();
    await expect(page.getByTestId('neighbour-stale')).toContainText('STALE — no news of BOULOGNE from the centre for');

    await console.languageButton('fr').click();
    await expect.poll(() => console.layerNames()).toContain('Postes voisins (lecture seule)');
  } finally {
    await calais.stop();
    await boulogne.stop();
    await stopCentre();
    await nats.kill();
    fs.rmSync(nats.storeDir, { recursive: true, force: true });
  }
});

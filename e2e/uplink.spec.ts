// The uplink on the status strip (issue 16; docs/federation.md): a post whose
// NATS server is down says "offline since …" and works on; once the server is
// up it says "connected", in English and in French. A real nats-server.
import fs from 'node:fs';
import { NatsServer, freePort } from '../test/federation/natsServer';
import { startCoreServer } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';

test('the status strip shows the uplink offline, then connected, in English and French', async ({ page }) => {
  const nats = new NatsServer(await freePort());
  const core = await startCoreServer(undefined, ['--post-name', 'CALAIS', '--uplink', nats.url]);
  try {
    const console = new ConsolePage(page);
    await console.open(core.consoleUrl);
    const uplink = page.getByTestId('uplink-status');
    await expect(uplink).toHaveAttribute('data-state', 'offline', { timeout: 15_000 });
    await expect(uplink).toContainText('Uplink CALAIS: offline since');
    await expect(uplink).toContainText(/events? waiting/);
    await nats.start();
    await expect(uplink).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
    await expect(uplink).toContainText('Uplink CALAIS: connected', { timeout: 20_000 });
    await console.languageButton('fr').click();
    await expect(uplink).toContainText('Liaison CALAIS\u00a0: connectée');
  } finally {
    await core.stop();
    await nats.kill();
    fs.rmSync(nats.storeDir, { recursive: true, force: true });
  }
});

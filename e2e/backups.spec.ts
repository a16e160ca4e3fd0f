// The supervisor's Backups panel (issue 18): each scheduled backup of the
// site file with its last success, its last error (in red, with its reason)
// and its next run, in English and French; operators do not see it. The
// jobs' state is what the core kept in DATA/backups.json from earlier runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DUTY, addAccount, projectRoot, startCoreServer } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';

test('supervisors see each scheduled backup, its last success and its last error', async ({ page }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-'));
  const nightly = path.join(dataDir, '..', `${path.basename(dataDir)}-second-disk`);
  const nas = path.join(dataDir, '..', `${path.basename(dataDir)}-nas`);
  const site = JSON.parse(fs.readFileSync(path.join(projectRoot, 'assets/sites/cote-opale.json'), 'utf8')) as Record<string, unknown>;
  site.backups = [
    { to: nightly, at: '03:00' },
    { to: nas, everyMinutes: 60 },
  ];
  const siteFile = path.join(os.tmpdir(), `${path.basename(dataDir)}-site.json`);
  fs.writeFileSync(siteFile, JSON.stringify(site));
  const earlier = Date.now() - 3_600_000;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(
    path.join(dataDir, 'backups.json'),
    JSON.stringify({
      [nightly]: { lastAttemptAt: earlier, lastSuccess: { at: earlier, lastSeq: 1234, headHash: 'ab'.repeat(32), bytes: 1 << 20, ms: 80 }, lastError: null },
      [nas]: { lastAttemptAt: earlier, lastSuccess: null, lastError: { at: earlier, message: `cannot write to the backup folder ${nas}: ENOSPC` } },
    }),
  );
  addAccount(dataDir, DUTY.name, DUTY.role, DUTY.password);
  addAccount(dataDir, 'marie', 'operator', 'correct horse battery staple');
  const core = await startCoreServer(dataDir, ['--site', siteFile]);
  try {
    const console = new ConsolePage(page);
    await console.open(core.consoleUrl);
    const panel = page.getByTestId('backups-panel');
    await expect(panel.getByRole('heading', { name: 'Backups' })).toBeVisible();
    const ok = panel.locator(`li[data-backup="${nightly}"]`);
    await expect(ok).toHaveAttribute('data-state', 'ok');
    await expect(ok).toContainText('daily at 03:00');
    await expect(ok).toContainText(/Last backup .*: up to event 1,234/);
    const failed = panel.locator(`li[data-backup="${nas}"]`);
    await expect(failed).toHaveAttribute('data-state', 'failed');
    await expect(failed.getByRole('alert')).toContainText('ENOSPC');
    await expect(failed).toContainText('Not run yet');
    await console.languageButton('fr').click();
    await expect(panel.getByRole('heading', { name: 'Sauvegardes' })).toBeVisible();
    await expect(failed.getByRole('alert')).toContainText('Échec');

    // An operator's console has no such panel (and the core would refuse backups.status).
    await page
      .getByTestId('sign-out')
      .click()
      .catch(() => undefined);
    await page.goto('about:blank');
    const operator = new ConsolePage(page);
    await operator.open(core.consoleUrl, { name: 'marie', password: 'correct horse battery staple' });
    await expect(page.getByTestId('feeds-table')).toBeVisible();
    await expect(page.getByTestId('backups-panel')).toHaveCount(0);
  } finally {
    expect(await core.stop()).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(siteFile, { force: true });
  }
});

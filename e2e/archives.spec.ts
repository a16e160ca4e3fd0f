// Archived shifts on the console (issue 18, docs/archive.md): a post whose
// first two nights were moved into an archive by `vigie archive`, with a
// retention policy in its site file. The supervisor sees the policy's state
// beside the backups; in replay, the live log sends the newest closed shift
// to its archive, the console offers to open it, and the first night is
// replayed from the archive, read-only — its alert in the queue at its moment.
// The figures dialog reads the same archive. In English and French.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DUTY, addAccount, projectRoot, startCoreServer, vigieBin } from './fixtures/coreServer';
import { expect, test } from './fixtures/test';
import { ConsolePage } from './page-models/consolePage';
import { NIGHTS, writeThreeNights } from '../test/core/archiveFixture';

const ARCHIVE = 'archives/vigie-2026-11-24--2026-11-26.vigie-archive';

test('a supervisor replays an archived night from its archive, and sees the retention state', async ({ page }) => {
  test.setTimeout(120_000);
  const fixture = writeThreeNights();
  const dataDir = fixture.dir;
  // Everything before the third night into one archive, where the policy keeps them.
  fs.mkdirSync(path.join(dataDir, 'archives'));
  const archived = spawnSync(
    process.execPath,
    [vigieBin, 'archive', '--data', dataDir, '--before', new Date(NIGHTS[2] - 3_600_000).toISOString(), '--out', path.join(dataDir, ARCHIVE)],
    { encoding: 'utf8' },
  );
  expect(archived.status, archived.stderr).toBe(0);
  const archiveFile = path.join(dataDir, ARCHIVE);
  const digest = () => crypto.createHash('sha256').update(fs.readFileSync(archiveFile)).digest('hex');
  const before = digest();

  const site = JSON.parse(fs.readFileSync(path.join(projectRoot, 'assets/sites/cote-opale.json'), 'utf8')) as Record<string, unknown>;
  site.retention = { archiveAfterDays: 30, folder: 'archives' };
  const siteFile = path.join(os.tmpdir(), `${path.basename(dataDir)}-site.json`);
  fs.writeFileSync(siteFile, JSON.stringify(site));
  // What the core kept from an earlier run of the policy (DATA/retention.json), as the backups' state is kept.
  const earlier = Date.now() - 3_600_000;
  fs.writeFileSync(
    path.join(dataDir, 'retention.json'),
    JSON.stringify({
      lastArchive: {
        file: path.basename(ARCHIVE),
        events: fixture.shifts[1]!.lastSeq,
        at: earlier,
        bytesGivenBack: 1_250_000,
        fileBytes: fs.statSync(archiveFile).size,
      },
      lastFailure: null,
      lastWait: null,
    }),
  );
  addAccount(dataDir, DUTY.name, DUTY.role, DUTY.password);
  const core = await startCoreServer(dataDir, ['--site', siteFile]);
  try {
    const console = new ConsolePage(page);
    await console.open(core.consoleUrl);

    // The retention state, beside the backups.
    const retention = page.getByTestId('retention-state');
    await expect(retention.getByRole('heading', { name: 'Archives' })).toBeVisible();
    await expect(retention).toHaveAttribute('data-state', 'ok');
    await expect(retention).toContainText('Events older than 30 days go into archives');
    await expect(page.getByTestId('retention-last')).toContainText(
      new RegExp(
        `Last archive .*: ${path.basename(ARCHIVE).replaceAll('.', '\\.')}, ${fixture.shifts[1]!.lastSeq!.toLocaleString('en')} events, 1\\.3 MB given back`,
      ),
    );
    await expect(page.getByTestId('retention-live-start')).toContainText(`starts at event ${(fixture.shifts[1]!.lastSeq! + 1).toLocaleString('en')}`);
    await expect(retention).toContainText('Next check');

    // Replay: the newest closed shift, 2, is in the archive; the console says so and offers it.
    await page.keyboard.press('h');
    await expect(page.getByTestId('replay-banner')).toContainText('shift 2');
    await expect(page.getByTestId('replay-error')).toContainText('Shift 2 has been moved to an archive file');
    await page.getByTestId('replay-open-archive').click();
    await expect(page.getByTestId('replay-archive')).toHaveText(`from the archive ${ARCHIVE} (read-only)`);
    await expect(page.getByTestId('replay-source')).toHaveValue(ARCHIVE);
    // The archive's shifts; the first night, with its alert.
    await expect(page.getByTestId('replay-shift').locator('option')).toHaveCount(2);
    await page.getByTestId('replay-shift').selectOption('1');
    await expect(page.getByTestId('replay-chain')).toContainText('Log intact');
    const mark = page.getByTestId('replay-mark').first();
    await expect(mark).toBeVisible();
    const marks = await page.getByTestId('replay-mark').count();
    const alertId = (await mark.getAttribute('data-alert'))!;
    await mark.click();
    await expect(page.locator(`[role="option"][data-alert-id="${alertId}"]`)).toHaveAttribute('data-status', 'new');
    await expect(page.getByTestId('replay-error')).toHaveCount(0);

    // In French: the banner and the source.
    await console.languageButton('fr').click();
    await expect(page.getByTestId('replay-archive')).toHaveText(`depuis l’archive ${ARCHIVE} (lecture seule)`);
    await expect(page.getByTestId('retention-state')).toContainText('Les événements de plus de 30\u00a0jours vont dans archives');
    await console.languageButton('en').click();
    await page.getByTestId('replay-exit').click();

    // The figures of the archive: its whole span, then its first night — the alerts the replay marked.
    await page.locator('.leaflet-container').focus();
    await page.keyboard.press('v');
    const figures = page.getByTestId('figures-dialog');
    await figures.getByTestId('figures-source').selectOption(ARCHIVE);
    await expect(figures.getByTestId('figures-alert-total')).toHaveText(marks === 1 ? '1 alert' : `${marks} alerts`);
    await figures.getByTestId('figures-shift').selectOption('1');
    await expect(figures.getByTestId('figures-alert-total')).toHaveText(marks === 1 ? '1 alert' : `${marks} alerts`);
    await page.keyboard.press('Escape');
    await expect(figures).toHaveCount(0);

    // A damaged file in the folder: refused by name, in the replay bar.
    fs.writeFileSync(path.join(dataDir, 'archives', 'damaged.vigie-archive'), Buffer.concat([Buffer.from([0x1f, 0x8b]), crypto.randomBytes(300)]));
    await page.keyboard.press('h');
    await page.getByTestId('replay-source').selectOption('archives/damaged.vigie-archive');
    await expect(page.getByTestId('replay-error')).toHaveText(
      'The archive archives/damaged.vigie-archive cannot be opened: it is damaged (it does not decompress). Nothing was written to it.',
    );
    await page.getByTestId('replay-exit').click();

    // Nothing was written to the archive.
    expect(digest()).toBe(before);
  } finally {
    expect(await core.stop()).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(siteFile, { force: true });
  }
});

// Scheduled backups (site file `backups`, electron/core/backup/backupScheduler.ts):
// a real core takes them itself when due, logs each run, keeps each job's
// state across a restart and shows it to supervisors (`backups.status`); a
// job whose folder cannot be written fails clearly while the others run; a
// site whose backup goes into the data directory does not start.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ManualClock } from '../../shared/clock';
import type { BackupJobView } from '../../shared/contract';
import { startCore, type RunningCore } from '../../electron/core/core';
import { nextDailyRun } from '../../electron/core/backup/backupScheduler';
import { backupDatabase } from '../../electron/core/backup/backup';
import { EventLog } from '../../electron/core/log/eventLog';
import { openDatabase } from '../../electron/core/db/database';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { verifyChain } from '../../electron/core/log/verify';
import { silentLogger } from '../../electron/core/logger';
import { defaultSiteFile } from '../../electron/core/paths';
import { readSite } from '../../electron/core/site/siteConfig';
import { signInHeaders, tempDataDir } from '../helpers';

const START = Date.UTC(2026, 11, 4, 20, 0, 0);

function siteWithBackups(dir: string, backups: object[]): string {
  const site = { ...readSite(defaultSiteFile), backups };
  const file = path.join(dir, 'site.json');
  fs.writeFileSync(file, JSON.stringify(site));
  return file;
}

async function backupsStatus(core: RunningCore, headers: Record<string, string>): Promise<BackupJobView[]> {
  const reply = (await (await fetch(`http://127.0.0.1:${core.port}/api/backups.status`, { method: 'POST', headers, body: '{}' })).json()) as {
    ok: boolean;
    result: { backups: BackupJobView[] };
    error?: { reason: string };
  };
  if (!reply.ok) throw new Error(`backups.status refused: ${reply.error?.reason}`);
  return reply.result.backups;
}

/** Asks until the answer satisfies `ready` (the backups run on the core's own timer). */
async function statusWhen(
  core: RunningCore,
  headers: Record<string, string>,
  ready: (jobs: BackupJobView[]) => boolean,
  what: string,
): Promise<BackupJobView[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const jobs = await backupsStatus(core, headers);
    if (ready(jobs)) return jobs;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(jobs)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('scheduled backups', () => {
  test('run when due, are logged, keep their state across a restart, and a failing one says why', async () => {
    const dir = tempDataDir();
    const dataDir = path.join(dir, 'data');
    fs.writeFileSync(path.join(dir, 'a-file'), 'not a folder');
    const good = path.join(dir, 'second-disk', 'vigie');
    const bad = path.join(dir, 'a-file', 'vigie');
    const siteFile = siteWithBackups(dir, [
      { to: good, everyMinutes: 60 },
      { to: bad, at: '03:00' },
    ]);
    const clock = new ManualClock(START);
    let core = await startCore({ dataDir, logger: silentLogger, feeds: false, siteFile, clock, backupCheckMs: 20 });
    try {
      const supervisor = await signInHeaders(core);
      let status = await backupsStatus(core, supervisor);
      assert.deepEqual(
        status.map((job) => [job.to, job.schedule, job.nextAt, job.lastSuccess, job.lastError]),
        [
          [good, 'every 60 min', START + 3_600_000, null, null],
          [bad, 'daily at 03:00', nextDailyRun(START, '03:00'), null, null],
        ],
      );
      // Operators do not see it.
      const operator = await signInHeaders(core, 'marie', 'operator');
      await assert.rejects(backupsStatus(core, operator), /forbidden-for-role/);

      clock.advance(61 * 60_000);
      status = await statusWhen(core, supervisor, (jobs) => jobs[0]!.lastSuccess !== null, 'the hourly backup');
      const done = status[0]!.lastSuccess!;
      assert.equal(done.at, START + 61 * 60_000);
      assert.equal(status[0]!.nextAt, START + 121 * 60_000);
      // The copy verifies on its own, up to the head it reported.
      const copy = openDatabase(good, { readonly: true });
      try {
        const checked = verifyChain(copy);
        assert.ok(checked.ok, JSON.stringify(checked));
        assert.equal(checked.headHash, done.headHash);
        assert.equal(checked.events, done.lastSeq);
      } finally {
        copy.close();
      }

      // 03:00 local comes: the unwritable folder fails, saying why, and nothing else is affected.
      clock.set(nextDailyRun(START, '03:00'));
      status = await statusWhen(core, supervisor, (jobs) => jobs[1]!.lastError !== null, 'the nightly backup to fail');
      assert.match(status[1]!.lastError!.message, /cannot write to the backup folder .*a-file\/vigie: ENOTDIR/);
      assert.equal(status[1]!.lastSuccess, null);
      const logged = [...iterateEvents(core.db)].filter((event) => event.kind.startsWith('backup.')).map((event) => [event.kind, JSON.parse(event.payload)]);
      assert.deepEqual(logged[0], ['backup.completed', { to: good, seq: done.lastSeq, head: done.headHash, bytes: done.bytes, ms: done.ms }]);
      assert.equal(logged.at(-1)![0], 'backup.failed');
      assert.equal((logged.at(-1)![1] as { to: string }).to, bad);

      // After a restart the state is still there.
      await core.stop();
      core = await startCore({ dataDir, logger: silentLogger, feeds: false, siteFile, clock, backupCheckMs: 20 });
      const again = await backupsStatus(core, await signInHeaders(core));
      // (The hourly job was due at 03:00 too, and ran before the nightly one.)
      assert.ok(status[0]!.lastSuccess!.at > done.at);
      assert.deepEqual(again[0]!.lastSuccess, status[0]!.lastSuccess);
      assert.equal(again[1]!.lastError!.message, status[1]!.lastError!.message);
    } finally {
      await core.stop();
    }
  });

  test('a backup into the data directory is a bad site file: the core does not start', async () => {
    const dir = tempDataDir();
    const dataDir = path.join(dir, 'data');
    for (const to of [dataDir, path.join(dataDir, 'backups')]) {
      const siteFile = siteWithBackups(dir, [{ to, everyMinutes: 60 }]);
      await assert.rejects(
        startCore({ dataDir, logger: silentLogger, feeds: false, siteFile }),
        /the backup target .* (is the data directory itself|is inside the data directory)/,
      );
    }
  });

  test('the site file refuses a relative folder, and a job with both or neither schedule', () => {
    const dir = tempDataDir();
    for (const [backup, expected] of [
      [{ to: 'backups', everyMinutes: 60 }, /backups\.0\.to: an absolute path/],
      [{ to: '/mnt/backup', everyMinutes: 60, at: '03:00' }, /give either at \(HH:MM\) or everyMinutes, not both/],
      [{ to: '/mnt/backup' }, /give either at/],
      [{ to: '/mnt/backup', at: '25:00' }, /a local time, HH:MM/],
    ] as const) {
      assert.throws(() => readSite(siteWithBackups(dir, [backup])), expected);
    }
  });

  test('a copy taken in small steps while the same connection keeps appending is consistent and includes those appends', async () => {
    const dir = tempDataDir();
    const db = openDatabase(path.join(dir, 'data'));
    const log = new EventLog(db, new ManualClock(START));
    const note = (n: number) => ({ kind: 'core.started', source: 'core', payload: { version: `v${n}`, padding: 'x'.repeat(400) } });
    for (let block = 0; block < 200; block++) log.append(Array.from({ length: 10 }, (_, i) => note(block * 10 + i)));
    let appending = true;
    let appended = 0;
    // Blocks committed between the copy's steps (one page a step: hundreds of steps).
    const writer = (async () => {
      while (appending) {
        log.append([note(10_000 + appended++)]);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const result = await backupDatabase(db, path.join(dir, 'data'), path.join(dir, 'copy'), { pagesPerStep: 1 });
    appending = false;
    await writer;
    assert.ok(appended > 10, `only ${appended} blocks were appended during the copy`);
    const copy = openDatabase(path.join(dir, 'copy'), { readonly: true });
    try {
      const checked = verifyChain(copy);
      assert.ok(checked.ok, JSON.stringify(checked));
      assert.equal(checked.events, result.lastSeq);
      assert.ok(result.lastSeq > 2_000, 'appends made during the copy are in it');
    } finally {
      copy.close();
      db.close();
    }
  });

  test('a daily time is the next one after the last run, in local time', () => {
    const base = new Date(2026, 11, 4, 2, 30).getTime();
    assert.equal(nextDailyRun(base, '03:00'), new Date(2026, 11, 4, 3, 0).getTime());
    assert.equal(nextDailyRun(new Date(2026, 11, 4, 3, 0).getTime(), '03:00'), new Date(2026, 11, 5, 3, 0).getTime());
  });
});

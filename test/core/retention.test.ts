// The site's retention policy as the core runs it: blocks older than
// archiveAfterDays go into a dated archive in the policy's folder, the live
// log verifies from there, and a second pass with nothing old enough does
// nothing. The site file accepts the policy and refuses a bad one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ManualClock } from '../../shared/clock';
import { Site } from '../../shared/site';
import { checkArchiveSignature, openArchive, verifyArchive } from '../../electron/core/archive/archive';
import { writeNewPostKey } from '../../electron/core/keys/postKey';
import { applyRetention } from '../../electron/core/archive/retention';
import { openDatabase } from '../../electron/core/db/database';
import { readLogBase } from '../../electron/core/log/eventLog';
import { verifyChain } from '../../electron/core/log/verify';
import { silentLogger } from '../../electron/core/logger';
import { defaultSiteFile } from '../../electron/core/paths';
import { NIGHTS, writeThreeNights } from './archiveFixture';

const DAY = 24 * 3600 * 1000;

describe('retention policy', () => {
  const fixture = writeThreeNights();
  after(() => fs.rmSync(fixture.dir, { recursive: true, force: true }));

  test('archives what is older than the policy into its folder, once', async () => {
    const db = openDatabase(fixture.dir);
    // Thirty days after the second night's morning: nights 1 and 2 are old enough, night 3 (still open) is not.
    const clock = new ManualClock(NIGHTS[1] + 14 * 3600 * 1000 + 30 * DAY);
    const key = writeNewPostKey(fixture.dir);
    const options = {
      db,
      dataDir: fixture.dir,
      policy: { archiveAfterDays: 30, folder: 'archives' },
      clock,
      logger: silentLogger,
      signWith: { key, post: 'Calais' },
    };
    const report = await applyRetention(options);
    assert.ok(report);
    assert.equal(report.file, path.join(fixture.dir, 'archives', 'vigie-2026-11-24--2026-11-26.vigie-archive'));
    assert.equal(report.seqs.last, fixture.shifts[1]!.lastSeq);
    assert.ok(report.liveBytesAfter < report.liveBytesBefore, `${report.liveBytesBefore} → ${report.liveBytesAfter}`);
    const archive = await openArchive(report.file);
    assert.ok(verifyArchive(archive).ok);
    // Signed by the post, as its heads are.
    assert.deepEqual(checkArchiveSignature(archive.info, key.fingerprint), {
      signed: true,
      post: 'Calais',
      fingerprint: key.fingerprint,
      block: archive.info.lastBlock,
      at: clock.now(),
      why: 'archive',
    });
    archive.close();
    assert.equal(readLogBase(db).archive, 'vigie-2026-11-24--2026-11-26.vigie-archive');
    assert.ok(verifyChain(db).ok);
    // An hour later: nothing old enough is left.
    clock.advance(3600 * 1000);
    assert.equal(await applyRetention(options), undefined);
    db.close();
  });

  test('the site file takes a retention policy, with a default folder', () => {
    const site = JSON.parse(fs.readFileSync(defaultSiteFile, 'utf8')) as Record<string, unknown>;
    const parsed = Site.parse({ ...site, retention: { archiveAfterDays: 30 } });
    assert.deepEqual(parsed.retention, { archiveAfterDays: 30, folder: 'archives' });
    assert.equal(Site.safeParse({ ...site, retention: { archiveAfterDays: 0 } }).success, false);
    assert.equal(Site.safeParse({ ...site, retention: { archiveAfterDays: 30, every: 'day' } }).success, false);
  });
});

describe('retention on a post with an uplink', () => {
  const fixture = writeThreeNights();
  after(() => fs.rmSync(fixture.dir, { recursive: true, force: true }));

  test('nothing the regional stream has not acknowledged is archived away', async () => {
    const db = openDatabase(fixture.dir);
    const clock = new ManualClock(NIGHTS[1] + 14 * 3600 * 1000 + 30 * DAY);
    const base = { db, dataDir: fixture.dir, policy: { archiveAfterDays: 30, folder: 'archives' }, clock, logger: silentLogger };
    const [night1, night2] = fixture.shifts;
    // The stream holds the first night and a little of the second: only the first goes, though both are old enough.
    const report = await applyRetention({ ...base, keepAfterSeq: () => night2!.firstSeq + 100 });
    assert.ok(report);
    assert.ok(report.seqs.last >= night1!.lastSeq! && report.seqs.last < night2!.firstSeq, `archived up to seq ${report.seqs.last}`);
    assert.match(report.movedBack ?? '', /events after seq \d+ have not reached the regional centre yet \(the uplink\) and stay in the live log/);
    // The stream holds nothing more: nothing more goes.
    await assert.rejects(
      applyRetention({ ...base, keepAfterSeq: () => report.seqs.last }),
      /nothing to archive yet: events after seq \d+ have not reached the regional centre/,
    );
    assert.ok(verifyChain(db).ok);
    db.close();
  });
});

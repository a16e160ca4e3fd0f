// The post's archives as a console reads them (docs/archive.md): a real core
// whose retention policy archives the first two nights of the fixture, then
// a supervisor lists the archive files, is told an archived shift is in one,
// opens it and replays that shift and its figures read-only, as from the live
// log. Damaged, foreign and unknown files are refused by name; nothing is
// written to an archive; the unpacked copies are removed (idle, or at stop).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { after, describe, test } from 'node:test';
import { ManualClock } from '../../shared/clock';
import type { RequestName, RequestParams, RequestResult } from '../../shared/contract';
import { ArchiveShelf } from '../../electron/core/archive/archiveShelf';
import { startCore, type RunningCore } from '../../electron/core/core';
import { openDatabase } from '../../electron/core/db/database';
import { iterateEvents } from '../../electron/core/log/eventLog';
import { silentLogger } from '../../electron/core/logger';
import { defaultSiteFile } from '../../electron/core/paths';
import { readSite } from '../../electron/core/site/siteConfig';
import { signInHeaders, until } from '../helpers';
import { NIGHTS, writeThreeNights } from './archiveFixture';

const DAY = 24 * 3600 * 1000;
const ARCHIVE = 'archives/vigie-2026-11-24--2026-11-26.vigie-archive';

type Reply<M extends RequestName> = { ok: true; result: RequestResult<M> } | { ok: false; error: { reason: string; params: Record<string, unknown> } };

async function call<M extends RequestName>(
  core: RunningCore,
  headers: Record<string, string>,
  method: M,
  params: RequestParams<M> | object,
): Promise<Reply<M>> {
  const response = await fetch(`http://127.0.0.1:${core.port}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(params) });
  return (await response.json()) as Reply<M>;
}

async function ok<M extends RequestName>(
  core: RunningCore,
  headers: Record<string, string>,
  method: M,
  params: RequestParams<M> | object,
): Promise<RequestResult<M>> {
  const reply = await call(core, headers, method, params);
  if (!reply.ok) throw new Error(`${method} refused: ${reply.error.reason} ${JSON.stringify(reply.error.params)}`);
  return reply.result;
}

const digest = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const unpacked = (dir: string) => fs.readdirSync(dir).filter((name) => name.startsWith('vigie-archive-open-'));

describe('archives on the console', () => {
  const fixture = writeThreeNights();
  // The unpacked copies go into a temporary folder of this test's own, so that they can be counted.
  const tmp = fs.mkdtempSync(path.join(fixture.dir, 'tmp-'));
  const savedTmp = process.env.TMPDIR;
  after(() => {
    process.env.TMPDIR = savedTmp;
    fs.rmSync(fixture.dir, { recursive: true, force: true });
  });

  test('the policy archives, the supervisor sees it, and replay and figures open the archive read-only', async () => {
    process.env.TMPDIR = tmp;
    const siteFile = path.join(fixture.dir, 'site.json');
    fs.writeFileSync(siteFile, JSON.stringify({ ...readSite(defaultSiteFile), retention: { archiveAfterDays: 30, folder: 'archives' } }));
    const clock = new ManualClock(NIGHTS[1] + 14 * 3600 * 1000 + 30 * DAY);
    const core = await startCore({ dataDir: fixture.dir, logger: silentLogger, feeds: false, siteFile, clock, retentionFirstCheckMs: 20 });
    let stopped = false;
    try {
      const supervisor = await signInHeaders(core);
      // The retention state, next to the backups: the policy, then the archive it made.
      let status = await ok(core, supervisor, 'backups.status', {});
      for (const start = Date.now(); !status.retention?.lastArchive; status = await ok(core, supervisor, 'backups.status', {})) {
        assert.ok(Date.now() - start < 30_000, `the policy did not archive: ${JSON.stringify(status.retention)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const retention = status.retention!;
      assert.equal(retention.archiveAfterDays, 30);
      assert.equal(retention.folder, 'archives');
      assert.equal(retention.lastArchive!.file, path.basename(ARCHIVE));
      assert.equal(retention.lastArchive!.events, fixture.shifts[1]!.lastSeq);
      assert.equal(retention.lastArchive!.at, clock.now());
      assert.ok(retention.lastArchive!.bytesGivenBack > 0, JSON.stringify(retention.lastArchive));
      assert.equal(retention.lastFailure, null);
      // The first look was a moment after start; the next, an hour after the start (the clock did not move).
      assert.equal(retention.nextCheckAt, clock.now() + 3_600_000);
      assert.deepEqual(retention.liveStartsAfter, {
        archive: path.basename(ARCHIVE),
        lastSeq: fixture.shifts[1]!.lastSeq,
        lastTime: retention.liveStartsAfter!.lastTime,
      });
      // Logged on the chain, as backups are.
      const logged = [...iterateEvents(core.db)].filter((event) => event.kind.startsWith('archive.'));
      assert.deepEqual(
        logged.map((event) => [
          event.kind,
          (JSON.parse(event.payload) as { file: string; seq: number }).file,
          (JSON.parse(event.payload) as { seq: number }).seq,
        ]),
        [['archive.completed', path.basename(ARCHIVE), fixture.shifts[1]!.lastSeq]],
      );

      // The post's archive files; an operator may list and open them too.
      const operator = await signInHeaders(core, 'marie', 'operator');
      const list = await ok(core, operator, 'archives.list', {});
      assert.equal(list.folder, 'archives');
      assert.deepEqual(
        list.archives.map((file) => [file.file, file.base]),
        [[ARCHIVE, true]],
      );
      const file = path.join(fixture.dir, ARCHIVE);
      const before = { digest: digest(file), mtime: fs.statSync(file).mtimeMs };

      // The live log sends an archived shift to its archive.
      const refused = await call(core, supervisor, 'replay.timeline', { shift: 1 });
      assert.equal(!refused.ok && refused.error.reason, 'shift-archived');
      assert.deepEqual(!refused.ok && refused.error.params, { shift: 1, archive: path.basename(ARCHIVE) });

      const opened = await ok(core, supervisor, 'archives.open', { archive: ARCHIVE });
      assert.deepEqual(
        opened.shifts.map((shift) => [shift.id, shift.firstSeq, shift.lastSeq]),
        [
          [2, fixture.shifts[1]!.firstSeq, fixture.shifts[1]!.lastSeq],
          [1, fixture.shifts[0]!.firstSeq, fixture.shifts[0]!.lastSeq],
        ],
      );
      assert.equal(opened.lastSeq, fixture.shifts[1]!.lastSeq);
      assert.equal(unpacked(tmp).length, 1);

      // Replay from the archive: the timeline with the night's alert, the picture with it, the chain intact.
      const timeline = await ok(core, supervisor, 'replay.timeline', { shift: 1, archive: ARCHIVE });
      assert.ok(timeline.alerts.length > 0, 'the first night raised an alert');
      const mark = timeline.alerts[0]!;
      const moment = await ok(core, supervisor, 'replay.at', { shift: 1, seq: mark.seq, archive: ARCHIVE });
      assert.equal(moment.seq, mark.seq);
      assert.ok(
        moment.picture.alerts.some((alert) => alert.id === mark.id),
        `alert ${mark.id} in the replayed picture`,
      );
      const chain = await ok(core, supervisor, 'replay.verify', { shift: 1, archive: ARCHIVE });
      assert.equal(chain.ok, true);
      assert.equal(chain.events, fixture.shifts[1]!.lastSeq);
      // Figures of that night from the archive.
      const range = { from: fixture.shifts[0]!.openedAt, to: fixture.shifts[0]!.closedAt! + 1 };
      const figures = await ok(core, supervisor, 'figures.get', { ...range, archive: ARCHIVE });
      assert.ok(figures.alerts.total > 0);
      const csv = await ok(core, supervisor, 'figures.csv', { ...range, archive: ARCHIVE });
      assert.match(csv.csv, /^table,/);
      // The live log has none of that night any more.
      assert.equal((await ok(core, supervisor, 'figures.get', range)).alerts.total, 0);
      assert.deepEqual(await ok(core, supervisor, 'replay.close', {}), { closed: true });
      // Still one unpacked copy, shared by every request.
      assert.equal(unpacked(tmp).length, 1);

      // Refusals, named: a damaged file, a foreign one, one outside the post's archives.
      fs.writeFileSync(path.join(fixture.dir, 'archives', 'damaged.vigie-archive'), Buffer.concat([Buffer.from([0x1f, 0x8b]), crypto.randomBytes(400)]));
      fs.writeFileSync(path.join(fixture.dir, 'archives', 'foreign.vigie-archive'), zlib.gzipSync('not a database at all'));
      const damaged = await call(core, supervisor, 'archives.open', { archive: 'archives/damaged.vigie-archive' });
      assert.equal(!damaged.ok && damaged.error.reason, 'archive-unreadable');
      assert.equal(!damaged.ok && damaged.error.params.problem, 'damaged');
      const foreign = await call(core, supervisor, 'replay.timeline', { shift: 1, archive: 'archives/foreign.vigie-archive' });
      assert.equal(!foreign.ok && foreign.error.params.problem, 'foreign');
      // An archive from a newer Vigie (its schema version ahead of this one's): refused, not upgraded.
      const newer = path.join(tmp, 'newer');
      fs.mkdirSync(newer);
      fs.writeFileSync(path.join(newer, 'vigie.sqlite'), zlib.gunzipSync(fs.readFileSync(file)));
      const future = new Database(path.join(newer, 'vigie.sqlite'));
      future.pragma('user_version = 9999');
      future.close();
      fs.writeFileSync(path.join(fixture.dir, 'archives', 'newer.vigie-archive'), zlib.gzipSync(fs.readFileSync(path.join(newer, 'vigie.sqlite'))));
      fs.rmSync(newer, { recursive: true });
      const fromFuture = await call(core, supervisor, 'archives.open', { archive: 'archives/newer.vigie-archive' });
      assert.equal(!fromFuture.ok && fromFuture.error.reason, 'archive-unreadable');
      assert.equal(!fromFuture.ok && fromFuture.error.params.problem, 'newer');
      for (const name of ['../site.json', 'vigie.sqlite', '/etc/passwd', 'archives/none.vigie-archive']) {
        const unknown = await call(core, supervisor, 'figures.get', { ...range, archive: name });
        assert.equal(!unknown.ok && unknown.error.reason, 'archive-unknown', name);
      }
      assert.equal(unpacked(tmp).length, 1, 'a refused file leaves no copy behind');

      // Nothing was written to the archive.
      assert.deepEqual({ digest: digest(file), mtime: fs.statSync(file).mtimeMs }, before);
      await core.stop();
      stopped = true;
      assert.deepEqual(unpacked(tmp), [], 'the core removes its unpacked copies when it stops');
      // The state survives a restart (DATA/retention.json).
      const again = await startCore({ dataDir: fixture.dir, logger: silentLogger, feeds: false, siteFile, clock });
      try {
        const headers = await signInHeaders(again);
        const reply = await ok(again, headers, 'backups.status', {});
        assert.deepEqual(reply.retention!.lastArchive, retention.lastArchive);
      } finally {
        await again.stop();
      }
    } finally {
      if (!stopped) await core.stop();
      process.env.TMPDIR = savedTmp;
    }
  });

  test('an archive unused for a while is closed and its copy removed', async () => {
    process.env.TMPDIR = tmp;
    const db = openDatabase(fixture.dir);
    const shelf = new ArchiveShelf({ db, dataDir: fixture.dir, folder: 'archives', idleMs: 50 });
    try {
      const described = await shelf.describe(ARCHIVE);
      assert.equal(described.shifts.length, 2);
      assert.equal(unpacked(tmp).length, 1);
      // In use: kept, however long.
      await shelf.use(ARCHIVE, async () => {
        shelf.closeIdle(Date.now() + 60_000);
        await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(unpacked(tmp).length, 1);
      });
      shelf.closeIdle(Date.now() + 60_000);
      await until(() => unpacked(tmp).length === 0, 'the idle copy to be removed');
      assert.equal(shelf.openCount, 0);
    } finally {
      await shelf.close();
      db.close();
      process.env.TMPDIR = savedTmp;
    }
  });
});

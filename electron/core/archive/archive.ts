// Archive and prune: moves the log's whole blocks before a moment into one
// compressed, self-contained file, and gives the space back. The file is a
// gzip of a Vigie database holding just those blocks, their events, the
// names they use, the shifts wholly inside them, the alerts they raised and
// the picture snapshots replay needs to start anywhere in them, plus the
// base they link to; the same code that reads a data directory reads it
// (verify.ts, iterateEvents, replay, figures) once it is unpacked.
//
// Steps, each leaving either the old or the new state, both verifying:
//  1. the archive is copied into FILE.work/ and verified, compressed
//     beside FILE as FILE.partial, synced, then renamed to FILE (killed
//     before: the live log is untouched, and the same command run again
//     removes what was left; killed after: it finds FILE complete, checks it
//     is this very archive, and goes on from step 2);
//  2. one transaction moves the live log's base to the archived head (its
//     block, last seq and hash) and stores a snapshot of the picture there;
//  3. the archived rows are deleted in chunks, the WAL checkpointed between
//     them, and the freed pages given back (incremental_vacuum). Rows at or
//     before the base are never read again, so an interrupted step 3 is
//     finished by the next archive or the next start (pruneArchived).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { openDatabase, type Db } from '../db/database';
import { readLogBase, type LogBase } from '../log/eventLog';
import { verifyChain, verifyChainInSlices, type VerifyResult } from '../log/verify';
import { ReplayCursor, ReplaySource } from '../replay/replayEngine';
import { encodeState, SNAPSHOT_FORMAT } from '../replay/snapshots';
import { VIGIE_VERSION } from '../version';
import { checkHeadSignature, signNow, type SignatureCheck } from '../evidence/signedEvidence';
import type { EvidenceSignature } from '../evidence/evidence';
import type { PostKey } from '../keys/postKey';

export const ARCHIVE_FORMAT = 'vigie-archive';
export const ARCHIVE_VERSION = 1;
/** The usual name of an archive file: `vigie-<first>--<last>.vigie-archive` (UTC days). */
export const ARCHIVE_EXTENSION = '.vigie-archive';
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
/** Rows deleted per transaction when pruning: short transactions, a WAL that stays small. */
const PRUNE_CHUNK = 50_000;
/** Rows copied into the archive per transaction. */
const COPY_CHUNK = 100_000;

export type ArchiveProblem = 'already-archived' | 'nothing-to-archive' | 'inside-open-shift' | 'out-exists' | 'disk-full' | 'write-failed' | 'not-an-archive';

export class ArchiveError extends Error {
  constructor(
    readonly problem: ArchiveProblem,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ArchiveError';
  }
}

/** A step the archive has reached; tests stop a real process at each (VIGIE_ARCHIVE_KILL_AT). */
export type ArchiveStep = 'copied' | 'compressed' | 'renamed' | 'based' | 'pruning' | 'pruned';

export interface ArchiveOptions {
  /** Blocks whose last event is before this moment (ms) are archived. */
  before: number;
  out: string;
  now: number;
  /** Progress, one line per step (the CLI prints them on stderr). */
  progress?: (step: ArchiveStep, detail: string) => void;
  /** Lets the event loop run between chunks (a core archiving while it serves). */
  yieldBetween?: () => Promise<void>;
  /** The post's key and name: the archive carries the post's signature of its head (none without a key). */
  signWith?: { key: PostKey; post: string };
  /** Events after this seq stay in the live log: the uplink has not had them acknowledged by the regional stream yet (docs/federation.md). */
  keepAfterSeq?: number;
}

export interface ArchiveReport {
  file: string;
  fileBytes: number;
  events: number;
  blocks: { first: number; last: number };
  seqs: { first: number; last: number };
  times: { first: number; last: number };
  headHash: string;
  /** Why the cut is earlier than asked (a shift straddling it stays whole in the live log). */
  movedBack?: string;
  /** The live database's files before and after (main file, WAL): what was given back. */
  liveBytesBefore: number;
  liveBytesAfter: number;
}

interface BlockRow {
  block: number;
  first_seq: number;
  last_seq: number;
  first_time: number;
  last_time: number;
  hash: Buffer;
}

/** The last block to archive: whole blocks ending before `before`, never the newest one, never cutting a shift. */
function chooseCut(db: Db, base: LogBase, before: number, keepAfterSeq?: number): { cut: BlockRow; movedBack?: string } {
  const chosen = chooseCutBefore(db, base, before);
  if (keepAfterSeq === undefined || chosen.cut.last_seq <= keepAfterSeq) return chosen;
  // Never prune what the regional centre has not got: the cut moves back to the last block the uplink's stream holds.
  const why = `events after seq ${keepAfterSeq} have not reached the regional centre yet (the uplink) and stay in the live log`;
  const sent = db.prepare('SELECT last_time FROM log_blocks WHERE block > ? AND last_seq <= ? ORDER BY block DESC LIMIT 1').get(base.block, keepAfterSeq) as
    { last_time: number } | undefined;
  if (!sent) throw new ArchiveError('nothing-to-archive', `nothing to archive yet: ${why}, and no whole block ends by then`);
  const earlier = chooseCutBefore(db, base, sent.last_time + 1);
  return { cut: earlier.cut, movedBack: earlier.movedBack ? `${why}; ${earlier.movedBack}` : why };
}

function chooseCutBefore(db: Db, base: LogBase, before: number): { cut: BlockRow; movedBack?: string } {
  const newest = (db.prepare('SELECT max(block) AS block FROM log_blocks').get() as { block: number | null }).block ?? base.block;
  // The newest block may still be extended by the core's next commit: it stays live.
  const wanted = db
    .prepare(
      'SELECT block, first_seq, last_seq, first_time, last_time, hash FROM log_blocks WHERE block > ? AND block < ? AND last_time < ? ORDER BY block DESC LIMIT 1',
    )
    .get(base.block, newest, before) as BlockRow | undefined;
  if (!wanted)
    throw new ArchiveError(
      'nothing-to-archive',
      `nothing to archive before ${new Date(before).toISOString()}: no whole block ends before then in the live log`,
    );
  const straddling = db
    .prepare('SELECT id, opened_at, first_seq, closed_at FROM shifts WHERE first_seq <= ? AND (last_seq IS NULL OR last_seq > ?) ORDER BY first_seq LIMIT 1')
    .get(wanted.last_seq, wanted.last_seq) as { id: number; opened_at: number; first_seq: number; closed_at: number | null } | undefined;
  if (!straddling) return { cut: wanted };
  if (straddling.closed_at === null) {
    throw new ArchiveError(
      'inside-open-shift',
      `${new Date(before).toISOString()} falls inside shift ${straddling.id}, open since ${new Date(straddling.opened_at).toISOString()}: ` +
        `an open shift is never split. Archive before ${new Date(straddling.opened_at).toISOString()}, or after the shift closes. Nothing was changed.`,
    );
  }
  // A closed shift stays whole on one side: the cut moves back to before its opening.
  const earlier = db
    .prepare('SELECT block, first_seq, last_seq, first_time, last_time, hash FROM log_blocks WHERE block > ? AND last_seq < ? ORDER BY block DESC LIMIT 1')
    .get(base.block, straddling.first_seq) as BlockRow | undefined;
  const why = `shift ${straddling.id} (${new Date(straddling.opened_at).toISOString()} – ${new Date(straddling.closed_at).toISOString()}) straddles ${new Date(before).toISOString()} and stays whole in the live log`;
  if (!earlier) throw new ArchiveError('nothing-to-archive', `nothing to archive: ${why}, and nothing ends before it`);
  return { cut: earlier, movedBack: why };
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function liveBytes(db: Db): number {
  return fileSize(db.name) + fileSize(`${db.name}-wal`);
}

function diskProblem(error: unknown): ArchiveError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'EFBIG' || code === 'SQLITE_FULL' || code === 'EDQUOT')
    return new ArchiveError('disk-full', `the archive could not be written: the disk is full (${String(code)}). Nothing was removed from the live log.`, {
      cause: error,
    });
  // SQLite reports a write past a file size limit as an I/O error.
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR'))
    return new ArchiveError(
      'write-failed',
      `the archive could not be written (${code}: ${(error as Error).message}); is the disk full? Nothing was removed from the live log.`,
      { cause: error },
    );
  return undefined;
}

/**
 * Writes the archive and prunes the live log. Throws ArchiveError (nothing
 * changed in the live log) for a cut inside an open shift, nothing to
 * archive, an existing FILE, or a full disk.
 */
export async function archiveLog(db: Db, options: ArchiveOptions): Promise<ArchiveReport> {
  const progress = options.progress ?? (() => undefined);
  const pause = options.yieldBetween ?? (() => Promise.resolve());
  const out = path.resolve(options.out);
  if (!fs.existsSync(path.dirname(out))) throw new ArchiveError('write-failed', `the folder of ${out} does not exist: create it first. Nothing was changed.`);
  // A previous run stopped while pruning: finish it first, so the base is where the rows start.
  await pruneArchived(db, options);
  const liveBytesBefore = liveBytes(db);
  const base = readLogBase(db);
  const outExists = () => new ArchiveError('out-exists', `${out} already exists: an archive is never overwritten. Choose another --out.`);
  let chosen: ReturnType<typeof chooseCut>;
  try {
    chosen = chooseCut(db, base, options.before, options.keepAfterSeq);
  } catch (error) {
    if (!(error instanceof ArchiveError) || !fs.existsSync(out)) throw error;
    // The same command again after a run killed once it had moved the base: done now (the prune above finished it).
    if (await archiveEndsAt(out, base))
      throw new ArchiveError('already-archived', `${out} already holds the blocks up to ${base.block}, where the live log now starts: nothing left to do.`);
    // An existing FILE is the first thing to say, whatever else is wrong.
    throw outExists();
  }
  const { cut, movedBack } = chosen;
  const firstTime = (db.prepare('SELECT first_time FROM log_blocks WHERE block = ?').get(base.block + 1) as { first_time: number }).first_time;
  // What a killed run left behind (the names are this archive's own).
  fs.rmSync(`${out}.partial`, { force: true });
  fs.rmSync(`${out}.work`, { recursive: true, force: true });
  const resumed = fs.existsSync(out) && (await sameArchive(out, base, cut));
  if (fs.existsSync(out) && !resumed) throw outExists();

  // 1. The archive, beside FILE (same disk: the rename is atomic).
  const partial = `${out}.partial`;
  const report: Omit<ArchiveReport, 'liveBytesAfter' | 'fileBytes'> = {
    file: out,
    events: cut.last_seq - base.lastSeq,
    blocks: { first: base.block + 1, last: cut.block },
    seqs: { first: base.lastSeq + 1, last: cut.last_seq },
    times: { first: firstTime, last: cut.last_time },
    headHash: cut.hash.toString('hex'),
    ...(movedBack ? { movedBack } : {}),
    liveBytesBefore,
  };
  if (resumed) progress('renamed', `${out} was written by an interrupted run and verifies to this very cut: it is used as it is`);
  else await writeArchiveFile(db, out, partial, base, cut, options, progress, pause);

  // 2. The live log now starts after the archived head; a snapshot there lets replay start there.
  const cursor = new ReplayCursor(new ReplaySource(db));
  let snapshot: Buffer;
  try {
    await cursor.seek(cut.last_seq);
    snapshot = encodeState(cursor.state());
  } finally {
    cursor.close();
  }
  db.transaction(() => {
    db.prepare(
      `INSERT INTO log_base (id, block, last_seq, last_time, hash, archive, archived_at) VALUES (1, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET block = excluded.block, last_seq = excluded.last_seq, last_time = excluded.last_time,
         hash = excluded.hash, archive = excluded.archive, archived_at = excluded.archived_at`,
    ).run(cut.block, cut.last_seq, cut.last_time, cut.hash, path.basename(out), options.now);
    db.prepare('INSERT OR REPLACE INTO picture_snapshots (seq, time, format, state) VALUES (?, ?, ?, ?)').run(
      cut.last_seq,
      cut.last_time,
      SNAPSHOT_FORMAT,
      snapshot,
    );
  }).immediate();
  progress('based', `the live log now starts after block ${cut.block} (seq ${cut.last_seq})`);

  // 3. Space back.
  await pruneArchived(db, options);
  return { ...report, fileBytes: fileSize(out), liveBytesAfter: liveBytes(db) };
}

/** Step 1: the archive written as FILE.partial beside FILE, verified, synced, renamed. */
async function writeArchiveFile(
  db: Db,
  out: string,
  partial: string,
  base: LogBase,
  cut: BlockRow,
  made: Pick<ArchiveOptions, 'now' | 'signWith'>,
  progress: (step: ArchiveStep, detail: string) => void,
  pause: () => Promise<void>,
): Promise<void> {
  // Named after FILE, so what a killed run left behind is known to be this archive's, and removed.
  const work = `${out}.work`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work);
  try {
    const copy = path.join(work, 'data');
    try {
      const copied = await writeArchiveDatabase(db, copy, base, cut, made, pause);
      progress('copied', `${copied.events} events in blocks ${base.block + 1}–${cut.block} copied and verified`);
      await pipeline(fs.createReadStream(path.join(copy, 'vigie.sqlite')), zlib.createGzip({ level: 6 }), fs.createWriteStream(partial, { flags: 'wx' }));
      const handle = fs.openSync(partial, 'r+');
      fs.fsyncSync(handle);
      fs.closeSync(handle);
      progress('compressed', `${partial}: ${fileSize(partial)} bytes`);
      fs.renameSync(partial, out);
      syncDirectory(path.dirname(out));
      progress('renamed', out);
    } catch (error) {
      fs.rmSync(partial, { force: true });
      throw diskProblem(error) ?? error;
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Whether FILE is a complete archive whose head is the live log's base. */
async function archiveEndsAt(file: string, base: LogBase): Promise<boolean> {
  let archive: OpenedArchive;
  try {
    archive = await openArchive(file);
  } catch {
    return false;
  }
  try {
    const check = verifyArchive(archive);
    return check.ok && check.info.headHash === base.hash.toString('hex') && check.info.lastBlock === base.block;
  } finally {
    archive.close();
  }
}

/** Whether FILE is a complete archive of exactly these blocks (left by a run killed before it moved the base). */
async function sameArchive(file: string, base: LogBase, cut: BlockRow): Promise<boolean> {
  let archive: OpenedArchive;
  try {
    archive = await openArchive(file);
  } catch {
    return false;
  }
  try {
    const check = verifyArchive(archive);
    return (
      check.ok && check.info.baseHash === base.hash.toString('hex') && check.info.headHash === cut.hash.toString('hex') && check.info.lastBlock === cut.block
    );
  } finally {
    archive.close();
  }
}

/**
 * Deletes the rows the base says are archived (events, blocks, snapshots
 * before it), in chunks, then checkpoints the WAL and gives the freed pages
 * back to the disk. Safe to run any time; does nothing when nothing is left.
 */
export async function pruneArchived(db: Db, options: Pick<ArchiveOptions, 'progress' | 'yieldBetween'> = {}): Promise<number> {
  const base = readLogBase(db);
  if (base.lastSeq === 0) return 0;
  const oldest = (db.prepare('SELECT min(seq) AS seq FROM events').get() as { seq: number | null }).seq;
  const oldestBlock = (db.prepare('SELECT min(block) AS block FROM log_blocks').get() as { block: number | null }).block;
  if ((oldest === null || oldest > base.lastSeq) && (oldestBlock === null || oldestBlock > base.block)) return 0;
  const deleteEvents = db.prepare('DELETE FROM events WHERE seq >= ? AND seq < ? AND seq <= ?');
  let removed = 0;
  for (let from = oldest ?? base.lastSeq + 1; from <= base.lastSeq; from += PRUNE_CHUNK) {
    removed += db.transaction(() => deleteEvents.run(from, from + PRUNE_CHUNK, base.lastSeq).changes).immediate();
    options.progress?.('pruning', `events up to seq ${Math.min(from + PRUNE_CHUNK - 1, base.lastSeq)} removed`);
    db.pragma('wal_checkpoint(PASSIVE)');
    await (options.yieldBetween ?? (() => Promise.resolve()))();
  }
  db.transaction(() => {
    db.prepare('DELETE FROM log_blocks WHERE block <= ?').run(base.block);
    db.prepare('DELETE FROM picture_snapshots WHERE seq < ?').run(base.lastSeq);
  }).immediate();
  // Freed pages go back to the disk when the file allows it (new files do; see database.ts).
  if ((db.pragma('auto_vacuum', { simple: true }) as number) === 2) db.pragma('incremental_vacuum');
  db.pragma('wal_checkpoint(TRUNCATE)');
  options.progress?.('pruned', `${removed} archived events removed from the live log`);
  return removed;
}

/**
 * Fills a fresh database in `dir` with the archived part of the log and
 * verifies it; returns its event count. Rows are copied in chunks, each its
 * own transaction on the archive file only (archived rows never change), so
 * a core archiving by its retention policy keeps taking feeds in between.
 */
async function writeArchiveDatabase(
  db: Db,
  dir: string,
  base: LogBase,
  cut: BlockRow,
  made: Pick<ArchiveOptions, 'now' | 'signWith'>,
  pause: () => Promise<void>,
): Promise<{ events: number }> {
  const archive = openDatabase(dir);
  // One file, no WAL beside it: it is compressed as it is.
  archive.pragma('journal_mode = DELETE');
  archive.close();
  const file = path.join(dir, 'vigie.sqlite');
  db.prepare('ATTACH DATABASE ? AS archive').run(file);
  try {
    db.exec('INSERT INTO archive.event_kinds SELECT * FROM main.event_kinds; INSERT INTO archive.event_sources SELECT * FROM main.event_sources;');
    const copyEvents = db.prepare('INSERT INTO archive.events SELECT * FROM main.events WHERE seq > ? AND seq <= ? ORDER BY seq');
    for (let after = base.lastSeq; after < cut.last_seq; after += COPY_CHUNK) {
      db.transaction(() => copyEvents.run(after, Math.min(after + COPY_CHUNK, cut.last_seq)))();
      await pause();
    }
    db.transaction(() => {
      db.prepare('INSERT INTO archive.log_blocks SELECT * FROM main.log_blocks WHERE block > ? AND block <= ? ORDER BY block').run(base.block, cut.block);
      if (base.lastSeq > 0) db.exec('INSERT INTO archive.log_base SELECT * FROM main.log_base');
      // Where replay starts: the snapshot at the base (the previous archive left one), and every one inside.
      db.prepare('INSERT INTO archive.picture_snapshots SELECT * FROM main.picture_snapshots WHERE seq >= ? AND seq <= ?').run(base.lastSeq, cut.last_seq);
      db.prepare('INSERT INTO archive.shifts SELECT * FROM main.shifts WHERE first_seq > ? AND last_seq IS NOT NULL AND last_seq <= ?').run(
        base.lastSeq,
        cut.last_seq,
      );
      // Replay's timeline marks come from the alerts projection.
      db.prepare('INSERT INTO archive.alerts SELECT * FROM main.alerts WHERE raised_seq > ? AND raised_seq <= ?').run(base.lastSeq, cut.last_seq);
      db.exec('CREATE TABLE archive.archive_info (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT');
      const info = db.prepare('INSERT INTO archive.archive_info (name, value) VALUES (?, ?)');
      const entries: Record<string, string | number> = {
        format: ARCHIVE_FORMAT,
        version: ARCHIVE_VERSION,
        vigie: VIGIE_VERSION,
        createdAt: made.now,
        firstBlock: base.block + 1,
        lastBlock: cut.block,
        firstSeq: base.lastSeq + 1,
        lastSeq: cut.last_seq,
        baseHash: base.hash.toString('hex'),
        headHash: cut.hash.toString('hex'),
      };
      // Who vouches for it: the post signs the archive's head as it signs its log's heads (docs/evidence.md).
      if (made.signWith) {
        const head = { post: made.signWith.post, block: cut.block, seq: cut.last_seq, hash: cut.hash.toString('hex') };
        entries.signature = JSON.stringify(signNow(made.signWith.key, head, made.now, 'archive'));
      }
      for (const [name, value] of Object.entries(entries)) info.run(name, String(value));
    })();
  } finally {
    db.exec('DETACH DATABASE archive');
  }
  // Proven before anything is removed: the copy verifies on its own, to the very head it is cut at.
  const copy = openDatabase(dir, { readonly: true });
  try {
    const result = await verifyChainInSlices(copy);
    if (!result.ok || result.headHash !== cut.hash.toString('hex') || result.events !== cut.last_seq - base.lastSeq) {
      throw new Error(`the archive copy does not verify (${describe(result)}); nothing was removed from the live log`);
    }
    return { events: result.events };
  } finally {
    copy.close();
  }
}

function describe(result: VerifyResult): string {
  return result.ok ? `${result.events} events, head ${result.headHash}` : `broken at seq ${result.firstBadSeq}: ${result.reason}`;
}

function syncDirectory(dir: string): void {
  try {
    const handle = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(handle);
    } finally {
      fs.closeSync(handle);
    }
  } catch {
    // Some file systems cannot sync a directory; the rename is still atomic.
  }
}

export interface ArchiveInfo {
  format: string;
  version: number;
  vigie: string;
  createdAt: number;
  firstBlock: number;
  lastBlock: number;
  firstSeq: number;
  lastSeq: number;
  baseHash: string;
  headHash: string;
  /** The post's signature of the head (absent: made where no key was at hand; null: unreadable). */
  signature?: EvidenceSignature | null;
}

export interface OpenedArchive {
  db: Db;
  info: ArchiveInfo;
  /** Another read-only connection to the unpacked copy (a chain walk of its own); close it before `close`. */
  openReadonly(): Db;
  /** Closes the database and removes the unpacked copy. */
  close(): void;
}

/**
 * Opens an archive file read-only: unpacks it into a private temporary
 * directory and opens that as a Vigie database (refused if it is from a
 * newer Vigie). Throws ArchiveError('not-an-archive') for anything else.
 */
export async function openArchive(file: string): Promise<OpenedArchive> {
  const head = Buffer.alloc(2);
  let handle: number;
  try {
    handle = fs.openSync(file, 'r');
  } catch (error) {
    throw new ArchiveError('not-an-archive', `${file} cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    fs.readSync(handle, head, 0, 2, 0);
  } finally {
    fs.closeSync(handle);
  }
  if (!head.equals(GZIP_MAGIC)) throw new ArchiveError('not-an-archive', `${file} is not a Vigie archive (not a compressed file)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-archive-open-'));
  const cleanUp = () => fs.rmSync(dir, { recursive: true, force: true });
  let db: Db;
  try {
    await pipeline(fs.createReadStream(file), zlib.createGunzip(), fs.createWriteStream(path.join(dir, 'vigie.sqlite')));
    db = openDatabase(dir, { readonly: true });
  } catch (error) {
    cleanUp();
    if ((error as { code?: string }).code?.startsWith('Z_'))
      throw new ArchiveError('not-an-archive', `${file} is damaged: it does not decompress (${(error as Error).message})`);
    if (error instanceof Error && error.name === 'DatabaseFromFutureError') throw error;
    throw new ArchiveError('not-an-archive', `${file} is not a Vigie archive (${error instanceof Error ? error.message : String(error)})`);
  }
  let info: ArchiveInfo;
  try {
    const rows = db.prepare('SELECT name, value FROM archive_info').all() as { name: string; value: string }[];
    const map = new Map(rows.map((row) => [row.name, row.value]));
    if (map.get('format') !== ARCHIVE_FORMAT) throw new Error('no archive format mark');
    const number = (name: string) => Number(map.get(name));
    info = {
      format: ARCHIVE_FORMAT,
      version: number('version'),
      vigie: map.get('vigie') ?? '',
      createdAt: number('createdAt'),
      firstBlock: number('firstBlock'),
      lastBlock: number('lastBlock'),
      firstSeq: number('firstSeq'),
      lastSeq: number('lastSeq'),
      baseHash: map.get('baseHash') ?? '',
      headHash: map.get('headHash') ?? '',
      signature: readSignature(map.get('signature')),
    };
    if (info.version > ARCHIVE_VERSION) throw new Error(`archive format version ${info.version}; this Vigie reads up to ${ARCHIVE_VERSION}`);
  } catch (error) {
    db.close();
    cleanUp();
    throw new ArchiveError('not-an-archive', `${file} is not a Vigie archive (${error instanceof Error ? error.message : String(error)})`);
  }
  return {
    db,
    info,
    openReadonly: () => openDatabase(dir, { readonly: true }),
    close() {
      db.close();
      cleanUp();
    },
  };
}

export type ArchiveCheck = { ok: true; result: Extract<VerifyResult, { ok: true }>; info: ArchiveInfo } | { ok: false; reason: string; seq?: number };

/** `vigie verify FILE` for an archive: the chain from its base to its head, and that head is the one it names. */
export function verifyArchive(archive: OpenedArchive): ArchiveCheck {
  const result = verifyChain(archive.db);
  if (!result.ok) return { ok: false, reason: result.reason, seq: result.firstBadSeq };
  const { info } = archive;
  if (result.headHash !== info.headHash)
    return { ok: false, reason: `the chain ends at ${result.headHash}, not at the head the archive names (${info.headHash})` };
  if (result.base.hash !== info.baseHash)
    return { ok: false, reason: `the chain starts from ${result.base.hash}, not from the base the archive names (${info.baseHash})` };
  if (result.base.lastSeq + 1 !== info.firstSeq || result.base.lastSeq + result.events !== info.lastSeq)
    return {
      ok: false,
      reason: `the archive holds events ${result.base.lastSeq + 1}–${result.base.lastSeq + result.events}, not ${info.firstSeq}–${info.lastSeq}`,
    };
  return { ok: true, result, info };
}

function readSignature(text: string | undefined): EvidenceSignature | null | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as EvidenceSignature;
  } catch {
    return null; // checkArchiveSignature calls it malformed
  }
}

/** Who signed an archive's head, once verifyArchive has checked the chain ends there. `expectedKey` as for evidence files. */
export function checkArchiveSignature(info: ArchiveInfo, expectedKey?: string): SignatureCheck {
  return checkHeadSignature(
    info.signature as EvidenceSignature | undefined,
    { block: info.lastBlock, lastSeq: info.lastSeq, hash: info.headHash },
    expectedKey,
  );
}

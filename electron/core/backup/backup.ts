// Online backup of a post's database: a consistent copy of vigie.sqlite in
// another folder (a second disk), taken while the core keeps writing, that
// `vigie verify --data TARGET` checks on its own. SQLite's online backup API
// (better-sqlite3's db.backup) copies pages; the copy is written beside its
// final name, checked, synced and only then renamed over the previous
// backup, so a failure at any point (full disk, unplugged drive, a kill)
// leaves the previous backup as it was and the live data untouched.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE, nativeBinding, type Db } from '../db/database';

/** A backup refused or failed: the message says why and what was kept. */
export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupResult {
  /** The backup file (TARGET/vigie.sqlite). */
  file: string;
  bytes: number;
  /** The last event in the copy (0 for an empty log) and the hash of its last block. */
  lastSeq: number;
  lastBlock: number;
  headHash: string | null;
  ms: number;
}

export interface BackupOptions {
  /**
   * Pages copied per step, the event loop given back in between. Writes made
   * meanwhile through `db` itself are carried into the copy; a write through
   * another connection (another process) restarts the copy — so a backup
   * taken beside a running core (the CLI) copies everything in one step,
   * inside one read transaction (WAL: the core keeps writing meanwhile).
   * Default: all at once.
   */
  pagesPerStep?: number;
  /** Run SQLite's quick_check on the copy before it replaces the previous one (default true; it reads the whole copy, so the core's scheduled runs skip it). */
  check?: boolean;
  now?: () => number;
}

export const PARTIAL_SUFFIX = '.partial';

/**
 * The real path of `dir`, or of its nearest existing ancestor with the rest
 * appended (a target that does not exist yet), so that symlinks and `..`
 * cannot hide that two paths are the same folder.
 */
function realPathOf(dir: string): string {
  const absolute = path.resolve(dir);
  let existing = absolute;
  const rest: string[] = [];
  while (!fs.existsSync(existing)) {
    rest.unshift(path.basename(existing));
    const parent = path.dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  return path.join(fs.realpathSync(existing), ...rest);
}

/** Refuses a target that is the data directory itself or inside it: the copy would share the disk, and the folder, it should outlive. */
export function checkBackupTarget(dataDir: string, targetDir: string): string {
  const data = realPathOf(dataDir);
  const target = realPathOf(targetDir);
  if (target === data)
    throw new BackupError(`the backup target ${targetDir} is the data directory itself: a backup must go to another folder, ideally on another disk`);
  const relative = path.relative(data, target);
  if (!relative.startsWith('..') && !path.isAbsolute(relative))
    throw new BackupError(`the backup target ${targetDir} is inside the data directory ${dataDir}: a backup must go outside it, ideally on another disk`);
  return target;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Copies the database `db` (of `dataDir`) to TARGET/vigie.sqlite, replacing the previous backup only once the copy is complete and checked. */
export async function backupDatabase(db: Db, dataDir: string, targetDir: string, options: BackupOptions = {}): Promise<BackupResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const target = checkBackupTarget(dataDir, targetDir);
  try {
    fs.mkdirSync(target, { recursive: true });
    fs.accessSync(target, fs.constants.W_OK);
  } catch (error) {
    throw new BackupError(`cannot write to the backup folder ${targetDir}: ${message(error)}. Nothing was changed.`);
  }
  const file = path.join(target, DATABASE_FILE);
  const partial = file + PARTIAL_SUFFIX;
  const removePartial = () => {
    for (const leftover of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]) fs.rmSync(leftover, { force: true });
  };
  removePartial(); // an earlier attempt that was killed
  const whatWasKept = fs.existsSync(file) ? `the previous backup in ${targetDir} is untouched` : 'nothing was left behind';
  try {
    const allAtOnce = 0x7fffffff;
    const step = options.pagesPerStep ?? allAtOnce;
    await db.backup(partial, { progress: () => step });
    const summary = sealCopy(partial, options.check ?? true);
    await syncFile(partial);
    // The copy is in rollback-journal mode: no -wal or -shm of an older backup may sit beside it.
    fs.rmSync(`${file}-wal`, { force: true });
    fs.rmSync(`${file}-shm`, { force: true });
    fs.renameSync(partial, file);
    syncDirectory(target);
    return { file, bytes: fs.statSync(file).size, ...summary, ms: now() - started };
  } catch (error) {
    removePartial();
    if (error instanceof BackupError) throw new BackupError(`${error.message}; ${whatWasKept}`);
    throw new BackupError(`the backup to ${targetDir} failed: ${message(error)}; ${whatWasKept}`);
  }
}

/** Makes the copy a standalone file (no WAL beside it), checks its pages, and reads how far its log goes. */
function sealCopy(file: string, check: boolean): Omit<BackupResult, 'file' | 'bytes' | 'ms'> {
  const copy = new Database(file, { fileMustExist: true, ...nativeBinding() });
  try {
    copy.pragma('journal_mode = DELETE');
    const checked = check ? copy.pragma('quick_check', { simple: true }) : 'ok';
    if (checked !== 'ok') throw new BackupError(`the copy failed SQLite's check (${String(checked)})`);
    const head = copy.prepare('SELECT block, last_seq, hash FROM log_blocks ORDER BY block DESC LIMIT 1').get() as
      { block: number; last_seq: number; hash: Buffer } | undefined;
    return { lastSeq: head?.last_seq ?? 0, lastBlock: head?.block ?? 0, headHash: head ? head.hash.toString('hex') : null };
  } finally {
    copy.close();
  }
}

/** Off the event loop: syncing a large copy can take a while, and a core keeps serving meanwhile. */
async function syncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The rename is durable once the folder is synced (not possible on Windows, where it is durable already). */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

// Opens the one SQLite file of a data directory: refuses a database written by
// a newer Vigie before touching it, then sets WAL and runs pending migrations.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from './migrations';

export type Db = Database.Database;

export const DATABASE_FILE = 'vigie.sqlite';

export class DatabaseFromFutureError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `${file} was written by a newer Vigie (schema version ${found}; this version understands up to ${supported}). ` +
        'It has not been modified. Open it with that newer version, or point --data at another directory.',
    );
    this.name = 'DatabaseFromFutureError';
  }
}

export class DatabaseUnreadableError extends Error {
  constructor(file: string, cause: unknown) {
    super(`${file} cannot be opened as a Vigie database: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'DatabaseUnreadableError';
  }
}

/** Another process holds the database's lock (another core, a tool) past the busy timeout: nothing was changed. */
export class DatabaseBusyError extends Error {
  constructor(readonly file: string) {
    super(
      `${file} is in use by another process, which holds its lock (waited ${BUSY_TIMEOUT_MS / 1000} s). ` +
        'Is another Vigie core or tool running on this data directory? Nothing was changed; stop the other process and try again.',
    );
    this.name = 'DatabaseBusyError';
  }
}

/** How long a statement waits for another process's lock before giving up (SQLITE_BUSY). */
const BUSY_TIMEOUT_MS = 5000;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export interface OpenOptions {
  readonly?: boolean;
  /** Migrations to apply; tests pass their own lists. */
  migrations?: readonly Migration[];
}

/**
 * Where the SQLite addon comes from. Unset: node_modules (built for plain
 * Node, or for Electron inside a package). `npm start` sets it to a copy built
 * for Electron's ABI (tools/electronNative.mjs) for development runs.
 */
export function nativeBinding(): { nativeBinding?: string } {
  const binding = process.env.VIGIE_SQLITE_BINDING;
  return binding ? { nativeBinding: binding } : {};
}

export function databasePath(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  const file = databasePath(dataDir);
  const list = options.migrations ?? migrations;
  const latest = list.at(-1)?.version ?? 0;
  if (options.readonly) {
    if (!fs.existsSync(file)) throw new Error(`no Vigie database in ${dataDir} (expected ${file})`);
  } else {
    fs.mkdirSync(dataDir, { recursive: true });
  }

  // Look at user_version read-only first: a database from the future must
  // be left exactly as it is, not even switched to WAL.
  if (fs.existsSync(file)) {
    const found = readUserVersion(file);
    if (found > latest) throw new DatabaseFromFutureError(file, found, latest);
  }

  let db: Db;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false, ...nativeBinding() });
  } catch (error) {
    throw isBusy(error) ? new DatabaseBusyError(file) : new DatabaseUnreadableError(file, error);
  }
  try {
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!options.readonly) {
      // A new file gives archived pages back to the disk (vigie archive runs
      // incremental_vacuum); it must be chosen before the first table exists.
      if (currentVersion(db) === 0 && isEmpty(db)) db.pragma('auto_vacuum = INCREMENTAL');
      db.pragma('journal_mode = WAL');
      // The WAL is truncated back to this after a checkpoint that emptied it:
      // a burst (an archive's deletes) does not leave a WAL of that size behind.
      db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
      // NORMAL in WAL: every commit survives an application crash; a power cut
      // can lose the last commits since the last checkpoint, never corrupt.
      // See docs/architecture.md for why this is the right trade here.
      db.pragma('synchronous = NORMAL');
      migrate(db, list);
      // Take the write lock once now: a database another process holds is
      // reported here, in one clear sentence, not by the first append.
      db.exec('BEGIN IMMEDIATE');
      db.exec('COMMIT');
    } else if (currentVersion(db) !== latest) {
      throw new Error(`${file} has schema version ${currentVersion(db)}; this Vigie expects ${latest}. Start the core once to migrate it.`);
    }
  } catch (error) {
    db.close();
    throw isBusy(error) ? new DatabaseBusyError(file) : error;
  }
  return db;
}

/**
 * A private, migrated database in memory (replay rebuilds the picture in one:
 * the same projection code, writing its tables somewhere that is not the log).
 */
export function openMemoryDatabase(list: readonly Migration[] = migrations): Db {
  const db = new Database(':memory:', nativeBinding());
  migrate(db, list);
  return db;
}

function readUserVersion(file: string): number {
  let probe: Db;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true, ...nativeBinding() });
  } catch (error) {
    throw isBusy(error) ? new DatabaseBusyError(file) : new DatabaseUnreadableError(file, error);
  }
  try {
    probe.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return currentVersion(probe);
  } catch (error) {
    throw isBusy(error) ? new DatabaseBusyError(file) : new DatabaseUnreadableError(file, error);
  } finally {
    probe.close();
  }
}

/** Bytes the WAL is cut back to once checkpointed (SQLite's auto-checkpoint runs every ~1,000 pages, 4 MB). */
export const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

function isEmpty(db: Db): boolean {
  return db.prepare('SELECT 1 FROM sqlite_schema LIMIT 1').get() === undefined;
}

function currentVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, list: readonly Migration[]): void {
  const from = currentVersion(db);
  for (const migration of list) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

export { LATEST_SCHEMA_VERSION };

// One core per data directory. Two cores on one log would each extend the
// hash chain from their own idea of its head, breaking it, and each would
// project a different picture. The lock is SQLite's exclusive lock on a small
// file beside the log, held for the core's whole life: the operating system
// drops it when the process ends, however it ends (SIGKILL, power cut), so a
// crash never leaves a stale lock behind to refuse the next start, as a PID
// file could. Tools that only read (verify, export) do not take it.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { nativeBinding } from './database';

export const CORE_LOCK_FILE = 'vigie-core.lock';

export class DataDirectoryInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `${dataDir} is already served by another Vigie core (it holds ${CORE_LOCK_FILE}). Nothing was changed; stop the other core, or give this one another --data directory.`,
    );
    this.name = 'DataDirectoryInUseError';
  }
}

export interface CoreLock {
  release(): void;
}

/** Takes the data directory for this core, or throws DataDirectoryInUseError at once (no waiting). */
export function lockDataDirectory(dataDir: string): CoreLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, CORE_LOCK_FILE), nativeBinding());
  try {
    db.pragma('busy_timeout = 0');
    // EXCLUSIVE locking mode keeps the lock of the first write until the connection closes.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    // A write (who holds it, for whoever looks once it is free): the exclusive mode then keeps the lock.
    db.exec('CREATE TABLE IF NOT EXISTS core (pid INTEGER, since INTEGER)');
    db.prepare('DELETE FROM core').run();
    db.prepare('INSERT INTO core (pid, since) VALUES (?, ?)').run(process.pid, Date.now());
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) throw new DataDirectoryInUseError(dataDir);
    throw error;
  }
  return { release: () => db.close() };
}

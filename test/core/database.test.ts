import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, test } from 'node:test';
import { DatabaseFromFutureError, LATEST_SCHEMA_VERSION, databasePath, openDatabase } from '../../electron/core/db/database';
import type { Migration } from '../../electron/core/db/migrations';
import { tempDataDir } from '../helpers';

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('database migrations', () => {
  test('a fresh data directory gets the latest schema, in WAL mode', () => {
    const dir = tempDataDir();
    const db = openDatabase(dir);
    assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
    assert.deepEqual(tables, [
      'alerts',
      'assignments',
      'chat_messages',
      'event_kinds',
      'event_sources',
      'events',
      'field_devices',
      'field_points',
      'incident_notes',
      'incidents',
      'log_base',
      'log_blocks',
      'operators',
      'picture_snapshots',
      'quarantine',
      'seats',
      'sectors',
      'sensors',
      'shifts',
      'tracks',
      'units',
      // uplink_state: version 11, how far the uplink's stream has acknowledged the log (docs/federation.md).
      'uplink_state',
      'vessels',
    ]);
    const columns = (db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((row) => row.name);
    // packed: version 4's compact position payloads (docs/architecture.md, the event log).
    assert.deepEqual(columns, ['seq', 'time', 'kind', 'source', 'operator', 'payload', 'packed']);
    db.close();
    // Opening again runs nothing twice.
    openDatabase(dir).close();
  });

  test('migrations apply in order, each recorded in user_version', () => {
    const dir = tempDataDir();
    const list: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER) STRICT;' },
      { version: 2, name: 'two', sql: 'ALTER TABLE a ADD COLUMN y TEXT;' },
    ];
    openDatabase(dir, { migrations: list.slice(0, 1) }).close();
    const db = openDatabase(dir, { migrations: list });
    assert.equal(db.pragma('user_version', { simple: true }), 2);
    assert.deepEqual(
      (db.prepare('PRAGMA table_info(a)').all() as { name: string }[]).map((row) => row.name),
      ['x', 'y'],
    );
    db.close();
  });

  test('a failing migration leaves no half-applied schema behind', () => {
    const dir = tempDataDir();
    const list: Migration[] = [
      { version: 1, name: 'good', sql: 'CREATE TABLE a (x INTEGER) STRICT;' },
      { version: 2, name: 'bad', sql: 'CREATE TABLE b (x INTEGER) STRICT; THIS IS NOT SQL;' },
    ];
    assert.throws(() => openDatabase(dir, { migrations: list }), /syntax error/);
    const raw = new Database(databasePath(dir), { readonly: true });
    assert.equal(raw.pragma('user_version', { simple: true }), 1);
    assert.equal((raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get() as { n: number }).n, 0);
    raw.close();
  });

  test('a database from a newer Vigie is refused and left byte for byte as it was', () => {
    const dir = tempDataDir();
    const future = new Database(databasePath(dir));
    future.exec('CREATE TABLE from_the_future (x INTEGER)');
    future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 7}`);
    future.close();
    const before = sha(databasePath(dir));

    assert.throws(
      () => openDatabase(dir),
      (error: unknown) => {
        assert.ok(error instanceof DatabaseFromFutureError);
        assert.equal(error.found, LATEST_SCHEMA_VERSION + 7);
        assert.match(error.message, /written by a newer Vigie .*has not been modified/s);
        return true;
      },
    );
    assert.throws(() => openDatabase(dir, { readonly: true }), DatabaseFromFutureError);
    assert.equal(sha(databasePath(dir)), before);
    assert.equal(fs.existsSync(`${databasePath(dir)}-wal`), false, 'not even switched to WAL');
  });

  test('VIGIE_SQLITE_BINDING chooses the SQLite addon (how the Electron build is loaded)', () => {
    const dir = tempDataDir();
    const saved = process.env.VIGIE_SQLITE_BINDING;
    try {
      process.env.VIGIE_SQLITE_BINDING = require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
      openDatabase(dir).close();
      process.env.VIGIE_SQLITE_BINDING = path.join(dir, 'missing.node');
      assert.throws(() => openDatabase(tempDataDir()), /cannot be opened as a Vigie database: .*missing\.node/);
    } finally {
      if (saved === undefined) delete process.env.VIGIE_SQLITE_BINDING;
      else process.env.VIGIE_SQLITE_BINDING = saved;
    }
  });

  test('a file that is not a database gets a clear error and is not overwritten', () => {
    const dir = tempDataDir();
    fs.writeFileSync(databasePath(dir), 'this is a shopping list, not a database\n'.repeat(200));
    const before = sha(databasePath(dir));
    assert.throws(() => openDatabase(dir), /cannot be opened as a Vigie database/);
    assert.equal(sha(databasePath(dir)), before);
  });
});

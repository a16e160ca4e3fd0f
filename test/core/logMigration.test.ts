// Migration 7 (leaner hash chain) on a data directory written by the
// schema-5 code (test/fixtures/log-v5): every event and the head hash kept,
// the chain still verifies and goes on in open blocks; a database from a
// newer Vigie is refused untouched. Also the layouts 3 and 4 of packed
// positions, and that rows packed with layouts 1 and 2 still read.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ManualClock } from '../../shared/clock';
import { DatabaseFromFutureError, LATEST_SCHEMA_VERSION, databasePath, openDatabase } from '../../electron/core/db/database';
import { BLOCK_SPAN_MS, EventLog, readEvents } from '../../electron/core/log/eventLog';
import { packPayload, unpackPayload } from '../../electron/core/log/packedPayload';
import { chainHeadAt, verifyChain } from '../../electron/core/log/verify';
import { tempDataDir } from '../helpers';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'log-v5', 'vigie.sqlite');
const FIXTURE_HEAD = '76d9a83644e546819c8f31fa702555d04118b1ce0e64e04b9a68e4f0ef61a5ed';

function copyOfFixture(): string {
  const dir = tempDataDir();
  fs.copyFileSync(FIXTURE, databasePath(dir));
  return dir;
}

describe('migration 7: the leaner hash chain', () => {
  test('a schema-5 data directory keeps every event and its head hash, and verifies', () => {
    const dir = copyOfFixture();
    const old = new Database(databasePath(dir), { readonly: true });
    assert.equal(old.pragma('user_version', { simple: true }), 5);
    const rowsBefore = old.prepare('SELECT * FROM events ORDER BY seq').all();
    const blocksBefore = old.prepare('SELECT block, first_seq, last_seq, first_time, last_time, hash, fingerprints FROM log_blocks ORDER BY block').all();
    old.close();

    const db = openDatabase(dir);
    assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
    assert.deepEqual(db.prepare('SELECT * FROM events ORDER BY seq').all(), rowsBefore, 'every row exactly as it was');
    assert.deepEqual(db.prepare('SELECT * FROM log_blocks ORDER BY block').all(), blocksBefore, 'block rows as they were, without prev_hash');
    assert.ok(!(db.prepare("SELECT name FROM pragma_table_info('log_blocks')").all() as { name: string }[]).some((c) => c.name === 'prev_hash'));
    const verified = verifyChain(db);
    assert.deepEqual(verified, {
      ok: true,
      events: 3001,
      blocks: 446,
      headHash: FIXTURE_HEAD,
      base: { block: 0, lastSeq: 0, hash: '00'.repeat(32) },
    });
    assert.equal(readEvents(db).at(-1)!.payload, '{"text":"fin de la relève — été"}');

    // The chain goes on from the old head: a new block of 2-byte fingerprints, extended by the next commit.
    const clock = new ManualClock(Date.UTC(2026, 11, 1));
    const log = new EventLog(db, clock);
    const first = log.append([{ kind: 'core.started', source: 'core', payload: { version: 'migrated' } }]);
    assert.equal(first.block, 447);
    const headAfterFirst = first.hash.toString('hex');
    clock.advance(BLOCK_SPAN_MS - 1);
    const position = { hdg: 90, lat: 50.73, lon: 1.6, sec: 'S12', spd: 4.5, u: 'U07' };
    const second = log.append([{ kind: 'unit.position', source: 'cot:U07', payload: position }]);
    assert.equal(second.block, 447, 'a commit within the span extends the open block');
    const row = db.prepare('SELECT first_seq, last_seq, length(fingerprints) AS fp FROM log_blocks WHERE block = 447').get();
    assert.deepEqual(row, { first_seq: 3002, last_seq: 3003, fp: 4 });
    assert.equal((db.prepare('SELECT packed FROM events WHERE seq = 3003').get() as { packed: Buffer }).packed[0], 4, 'packed with layout 4');
    // A head reported after the first commit is still provable: the row now is its extension.
    assert.deepEqual(chainHeadAt(db, 3002), { block: 447, hash: headAfterFirst });
    assert.deepEqual(chainHeadAt(db, 3001), { block: 446, hash: FIXTURE_HEAD });
    clock.advance(1);
    assert.equal(log.append([{ kind: 'core.stopped', source: 'core', payload: {} }]).block, 448, 'past the span: a new block');
    const after = verifyChain(db);
    assert.ok(after.ok && after.events === 3004 && after.blocks === 448);
    db.close();

    // A reopened log never extends a block from before: the next commit starts one.
    const again = openDatabase(dir);
    assert.equal(new EventLog(again, clock).append([{ kind: 'core.started', source: 'core', payload: {} }]).block, 449);
    assert.ok(verifyChain(again).ok);
    again.close();
  });

  test('the database refuses to rewrite a closed block, shorten the open one, or delete unarchived rows', () => {
    const dir = copyOfFixture();
    const db = openDatabase(dir);
    const clock = new ManualClock(Date.UTC(2026, 11, 1));
    new EventLog(db, clock).append([{ kind: 'core.started', source: 'core', payload: {} }]);
    assert.throws(() => db.prepare('UPDATE log_blocks SET last_seq = last_seq + 1 WHERE block = 10').run(), /append-only/);
    assert.throws(() => db.prepare("UPDATE log_blocks SET fingerprints = x'0000' WHERE block = 447").run(), /append-only/);
    assert.throws(() => db.prepare('UPDATE log_blocks SET last_seq = first_seq - 1 WHERE block = 447').run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM events WHERE seq = 1').run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM log_blocks WHERE block = 1').run(), /append-only/);
    db.close();
  });

  test('a database from a newer Vigie is refused, not touched', () => {
    const dir = copyOfFixture();
    const raw = new Database(databasePath(dir));
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    const bytes = fs.readFileSync(databasePath(dir));
    assert.throws(
      () => openDatabase(dir),
      (error: unknown) =>
        error instanceof DatabaseFromFutureError &&
        error.message.includes(
          `written by a newer Vigie (schema version ${LATEST_SCHEMA_VERSION + 1}; this version understands up to ${LATEST_SCHEMA_VERSION})`,
        ) &&
        /has not been modified/.test(error.message),
    );
    assert.ok(fs.readFileSync(databasePath(dir)).equals(bytes), 'not a byte changed');
    const check = new Database(databasePath(dir), { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION + 1, 'not migrated');
    check.close();
  });
});

describe('packed layouts 3 and 4', () => {
  const T = Date.UTC(2026, 10, 26, 22);
  const track = { cls: 'vessel', crs: 20, lat: 51.00442, lon: 1.46637, off: 1, s: 'RAD-GRISNEZ', sec: 'S05', spd: 8.3, t: 'RAD-GRISNEZ:12' };

  test('the source-named sensor costs nothing and a numbered track two bytes; anything else still round-trips', () => {
    const packed = packPayload('track.update', 'json:RAD-GRISNEZ', T, track)!;
    assert.equal(packed[0], 3);
    assert.ok(packed.length <= 19, `${packed.length} bytes`);
    assert.deepEqual(unpackPayload('track.update', 'json:RAD-GRISNEZ', T, packed), track);
    for (const variant of [
      { ...track, s: 'RAD-OTHER' }, // not the source: written out
      { ...track, t: 'RAD-GRISNEZ:012' }, // a leading zero is not a number's form: kept as text
      { ...track, t: 'RAD-GRISNEZ:0' },
      { ...track, t: 'RAD-GRISNEZ:99999999999999999' }, // beyond 2^53: kept as text
      { ...track, t: 'OTHER:12' },
      { ...track, cls: 'unknown' },
    ]) {
      const bytes = packPayload('track.update', 'json:RAD-GRISNEZ', T, variant)!;
      assert.deepEqual(unpackPayload('track.update', 'json:RAD-GRISNEZ', T, bytes), variant, JSON.stringify(variant));
    }
    // The implied field is still required: a payload without it is not packed (it stays JSON).
    const { s: _s, ...withoutSensor } = track;
    assert.equal(packPayload('track.update', 'json:RAD-GRISNEZ', T, withoutSensor), undefined);
  });

  test('rows packed with layouts 1 and 2 (schema 5) still read', () => {
    const db = openDatabase(copyOfFixture());
    const layouts = new Set<number>();
    for (const row of db.prepare('SELECT packed FROM events WHERE packed IS NOT NULL').all() as { packed: Buffer }[]) layouts.add(row.packed[0]!);
    assert.deepEqual([...layouts].sort(), [1, 2]);
    const positions = readEvents(db).filter((event) => event.packed);
    assert.ok(positions.length > 2500);
    assert.ok(positions.every((event) => typeof (event.value as { lat: number }).lat === 'number'));
    db.close();
  });
});

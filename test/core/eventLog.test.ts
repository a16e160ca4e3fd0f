import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../shared/clock';
import { databasePath, openDatabase, type Db } from '../../electron/core/db/database';
import { BLOCK_SPAN_MS, EventLog, readEvents } from '../../electron/core/log/eventLog';
import { verifyChain, verifyChainInSlices } from '../../electron/core/log/verify';
import { editFileBytes, tempDataDir } from '../helpers';

function seededLog(): { dir: string; db: Db; log: EventLog } {
  const dir = tempDataDir();
  const db = openDatabase(dir);
  // Commits further apart than BLOCK_SPAN_MS: three blocks.
  const clock = new ManualClock(1_795_000_000_000);
  const log = new EventLog(db, clock);
  log.append([{ kind: 'core.started', source: 'core', payload: { version: 'test' } }]);
  clock.advance(BLOCK_SPAN_MS);
  log.append(
    Array.from({ length: 10 }, (_, i) => ({
      kind: 'unit.position',
      source: 'cot:udp',
      payload: { unit: `U${i}`, lat: 50.9 + i / 100, lon: 1.8, marker: `row-${String(i).padStart(2, '0')}` },
    })),
  );
  clock.advance(BLOCK_SPAN_MS);
  log.append([{ kind: 'alert.acknowledged', source: 'console', operator: 'martin', payload: { alert: 'A1' } }]);
  return { dir, db, log };
}

/** Closes (checkpointing the WAL into the main file), lets `tamper` act on the file, reopens. */
function tamperAndReopen(dir: string, db: Db, tamper: (file: string) => void): Db {
  db.close();
  tamper(databasePath(dir));
  return openDatabase(dir);
}

function withTriggersOff(db: Db, sql: string): Db {
  db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; DROP TRIGGER log_blocks_no_delete;');
  db.exec(sql);
  return db;
}

describe('event log and hash chain', () => {
  test('appends gapless sequence numbers in blocks and verifies', () => {
    const { db, log } = seededLog();
    const events = readEvents(db);
    assert.deepEqual(
      events.map((event) => event.seq),
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    assert.equal(events[11]!.operator, 'martin');
    assert.deepEqual(log.status().blocks, 3);
    const result = verifyChain(db);
    assert.ok(result.ok);
    assert.equal(result.events, 12);
    assert.equal(result.headHash, log.status().headHash);
    db.close();
  });

  test('survives a reopen: the chain continues from the stored head', () => {
    const { dir, db } = seededLog();
    db.close();
    const again = openDatabase(dir);
    const log = new EventLog(again, new ManualClock(1_795_000_100_000));
    const block = log.append([{ kind: 'core.started', source: 'core', payload: {} }]);
    assert.equal(block.events[0]!.seq, 13);
    assert.ok(verifyChain(again).ok);
    again.close();
  });

  test('the database itself refuses updates and deletes of logged rows', () => {
    const { db } = seededLog();
    assert.throws(() => db.prepare("UPDATE events SET payload = '{}' WHERE seq = 3").run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM events WHERE seq = 3').run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM log_blocks').run(), /append-only/);
    db.close();
  });

  test('a projector that throws rolls the whole block back', () => {
    const { db, log } = seededLog();
    const before = log.status();
    log.addProjector(() => {
      throw new Error('projection failed');
    });
    assert.throws(() => log.append([{ kind: 'new.kind', source: 'new-source', payload: {} }]), /projection failed/);
    assert.deepEqual(log.status(), before);
    assert.equal(readEvents(db).length, 12);
    assert.equal((db.prepare("SELECT count(*) AS n FROM event_kinds WHERE name = 'new.kind'").get() as { n: number }).n, 0);
    db.close();
  });

  test('editing one byte of a row in the file is caught at that row', () => {
    const { dir, db } = seededLog();
    const reopened = tamperAndReopen(dir, db, (file) => editFileBytes(file, 'row-07', 'row-77'));
    const result = verifyChain(reopened);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.firstBadSeq, 9); // seq 1 is core.started; row-07 is the 8th position
    assert.match(!result.ok ? result.reason : '', /event 9 does not match/);
    reopened.close();
  });

  test('editing the time or operator of a row is caught too', () => {
    const { db } = seededLog();
    withTriggersOff(db, "UPDATE events SET operator = 'someone-else' WHERE seq = 12");
    const result = verifyChain(db);
    assert.equal(!result.ok && result.firstBadSeq, 12);
    db.close();
  });

  test('a deleted row is caught at its sequence number', () => {
    const { db } = seededLog();
    withTriggersOff(db, 'DELETE FROM events WHERE seq = 5');
    const result = verifyChain(db);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.firstBadSeq, 5);
    assert.match(!result.ok ? result.reason : '', /event 5 is missing/);
    db.close();
  });

  test('two rows swapped (reordered) are caught at the first of them', () => {
    const { db } = seededLog();
    withTriggersOff(
      db,
      `UPDATE events SET payload = CASE seq WHEN 4 THEN (SELECT payload FROM events WHERE seq = 6) ELSE (SELECT payload FROM events WHERE seq = 4) END WHERE seq IN (4, 6)`,
    );
    const result = verifyChain(db);
    assert.equal(!result.ok && result.firstBadSeq, 4);
    db.close();
  });

  test('a whole block removed (rows and block record) breaks the chain', () => {
    const { db } = seededLog();
    withTriggersOff(db, 'DELETE FROM events WHERE seq BETWEEN 2 AND 11; DELETE FROM log_blocks WHERE block = 2;');
    const result = verifyChain(db);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.firstBadSeq, 2);
    db.close();
  });

  test('stores and hashes payloads in RFC 8785 form, integer-like keys included', () => {
    const { db, log } = seededLog();
    const seen: unknown[] = [];
    log.addProjector((events) => {
      for (const event of events) seen.push(event.value);
    });
    const ordered = { 1: 'a', 2: 'b', z: 'c' };
    const block = log.append([
      { kind: 'site.note', source: 'core', payload: { 9: 'nine', 10: 'ten', a: { 100: 1, 20: 2 } } },
      { kind: 'site.note', source: 'core', payload: ordered },
    ]);
    assert.deepEqual(
      block.events.map((event) => event.payload),
      ['{"10":"ten","9":"nine","a":{"100":1,"20":2}}', '{"1":"a","2":"b","z":"c"}'],
    );
    const stored = db.prepare('SELECT payload FROM events WHERE seq > 12 ORDER BY seq').all() as { payload: string }[];
    assert.deepEqual(
      stored.map((row) => row.payload),
      block.events.map((event) => event.payload),
    );
    // Projectors get an equal value; the caller's own object only where its text is already canonical.
    assert.deepEqual(seen[0], { 9: 'nine', 10: 'ten', a: { 100: 1, 20: 2 } });
    assert.equal(seen[1], ordered);
    assert.ok(verifyChain(db).ok);
    db.close();
  });

  test('rejects names that would make the hashed encoding ambiguous', () => {
    const { db, log } = seededLog();
    assert.throws(() => log.append([{ kind: 'bad\tkind', source: 'core', payload: {} }]), /invalid event kind/);
    assert.throws(() => log.append([{ kind: 'ok', source: 'core', operator: 'a\nb', payload: {} }]), /operator/);
    assert.equal(readEvents(db).length, 12);
    db.close();
  });
});

describe('the chain walked in slices (replay.verify in a live core)', () => {
  /** A log of 2,500 blocks of 4 events (more than one page of blocks for the walk), and a writer connection that goes on appending. */
  function bigLog(): { dir: string; db: Db; log: EventLog } {
    const dir = tempDataDir();
    const db = openDatabase(dir);
    const log = new EventLog(db, new ManualClock(1_795_000_000_000));
    for (let block = 0; block < 2_500; block++) {
      log.append(Array.from({ length: 4 }, (_, i) => ({ kind: 'unit.position', source: 'cot:U01', payload: { lat: 50.9 + i / 1e4, lon: 1.8, u: 'U01' } })));
    }
    return { dir, db, log };
  }

  test('gives the event loop back between slices, while a writer commits, and answers as the whole walk does for the log as it was', async () => {
    const { dir, db, log } = bigLog();
    const whole = verifyChain(db);
    assert.ok(whole.ok);
    const reader = openDatabase(dir, { readonly: true });
    // Between slices the writer commits more blocks. The walk reads blocks a page at a time: only its
    // read transaction keeps the later pages to the log as it was when the walk began.
    let turns = 0;
    const writer = setInterval(() => {
      turns += 1;
      log.append([{ kind: 'unit.position', source: 'cot:U02', payload: { lat: 50.8, lon: 1.7, u: 'U02' } }]);
    }, 0);
    try {
      const sliced = await verifyChainInSlices(reader, { sliceMs: 0 });
      assert.deepEqual(sliced, whole, 'the snapshot at the start of the walk, verified');
    } finally {
      clearInterval(writer);
    }
    assert.ok(turns > 0, 'the writer ran while the walk was under way');
    assert.ok(verifyChain(db).ok);
    assert.equal((verifyChain(reader) as { events: number }).events, 10_000 + turns, 'the reader is free again and sees the new blocks');
    reader.close();
    db.close();
  });

  test('stops when told to, and leaves the connection usable', async () => {
    const { dir, db } = bigLog();
    const reader = openDatabase(dir, { readonly: true });
    const stop = new AbortController();
    setImmediate(() => stop.abort(new Error('stopping')));
    await assert.rejects(verifyChainInSlices(reader, { sliceMs: 0, signal: stop.signal }), /stopping/);
    assert.equal(reader.inTransaction, false);
    assert.ok(verifyChain(reader).ok);
    reader.close();
    db.close();
  });
});

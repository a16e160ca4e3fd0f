// How the log stores position events (schema version 4): packed bytes for
// track.update and unit.position, read back exactly, hashed as stored, and
// existing logs migrated without a byte of them changing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ManualClock } from '../../shared/clock';
import { canonicalJson } from '../../shared/canonicalJson';
import { LATEST_SCHEMA_VERSION, databasePath, openDatabase, type Db } from '../../electron/core/db/database';
import { migrations } from '../../electron/core/db/migrations';
import { EventLog, iterateEvents, readEvents, type NewEvent } from '../../electron/core/log/eventLog';
import { leafHash } from '../../electron/core/log/hashChain';
import { PackedPayloadError, packPayload, unpackPayload } from '../../electron/core/log/packedPayload';
import { verifyChain } from '../../electron/core/log/verify';
import { editFileBytes, tempDataDir } from '../helpers';

const T0 = 1_795_000_000_000;

/** Position payloads as the ingest builds them, and the awkward ones around them. */
const PACKABLE: NewEvent[] = [
  // The common shapes.
  {
    kind: 'track.update',
    source: 'json:RAD-GRISNEZ',
    payload: { cls: 'vessel', crs: 231, lat: 50.87123, lon: 1.52345, off: 1, s: 'RAD-GRISNEZ', sec: 'S05', spd: 12.3, t: 'RAD-GRISNEZ:17' },
  },
  { kind: 'track.update', source: 'nmea:RAD-DUNKERQUE', payload: { cls: 'small-boat', lat: 51.06, lon: 2.3665, s: 'RAD-DUNKERQUE', t: 'RAD-DUNKERQUE:3' } },
  { kind: 'unit.position', source: 'cot:U07', payload: { hdg: 90, lat: 50.73, lon: 1.6, sec: 'S12', spd: 4.5, u: 'U07' } },
  { kind: 'unit.position', source: 'json:U21', payload: { lat: 50.5, lon: 1.58, u: 'U21' } },
  // Exactly as ingest.ts builds them: absent values are undefined members, which JSON leaves out.
  {
    kind: 'track.update',
    source: 'json:RAD-BLANCNEZ',
    payload: {
      at: undefined,
      cls: 'vessel',
      crs: undefined,
      lat: 50.92,
      lon: 1.66,
      lost: undefined,
      off: undefined,
      s: 'RAD-BLANCNEZ',
      sec: undefined,
      spd: undefined,
      stl: undefined,
      t: 'RAD-BLANCNEZ:9',
    },
  },
  { kind: 'unit.position', source: 'cot:U08', payload: { at: undefined, hdg: undefined, lat: 50.7, lon: 1.59, sec: undefined, spd: undefined, u: 'U08' } },
  // Every optional field, times before and after the row's, a lost track, stale time.
  {
    kind: 'track.update',
    source: 'cot:RAD-TOUQUET',
    time: T0 + 5,
    payload: {
      at: T0 - 86_400_000,
      cls: 'unknown',
      crs: 360,
      lat: 50.52,
      lon: 1.58,
      lost: 1,
      off: 1,
      s: 'RAD-TOUQUET',
      sec: 'S27',
      spd: 0,
      stl: T0 + 10_005,
      t: 'ANDROID-deadbeef',
    },
  },
  { kind: 'unit.position', source: 'cot:U01', time: T0 + 7, payload: { at: T0 + 3_600_000, hdg: 0, lat: 0, lon: 0, spd: 99.9, u: 'U01' } },
  // Negative coordinates and the extremes; 1e-7° (about 1 cm) is what a packed coordinate keeps.
  { kind: 'unit.position', source: 'cot:U02', payload: { lat: -33.8688197, lon: -70.6692655, u: 'U02' } },
  { kind: 'unit.position', source: 'cot:U03', payload: { lat: -90, lon: -180, u: 'U03' } },
  { kind: 'unit.position', source: 'cot:U04', payload: { lat: 90, lon: 180, u: 'U04' } },
  { kind: 'unit.position', source: 'cot:U05', payload: { lat: 1e-7, lon: -1e-7, u: 'U05' } },
  // Ids that are not the source's, a class outside the common list, a long id, non-ASCII text.
  { kind: 'track.update', source: 'json:RAD-GRISNEZ', payload: { cls: 'jet-ski', lat: 50.9, lon: 1.5, s: 'RAD-BLANCNEZ', t: 'RAD-BLANCNEZ:T42' } },
  { kind: 'track.update', source: 'json:RAD-GRISNEZ', payload: { cls: 'vessel', lat: 50.9, lon: 1.5, s: 'RAD-GRISNEZ', t: `RAD-GRISNEZ:${'x'.repeat(140)}` } },
  { kind: 'unit.position', source: 'cot:U06', payload: { lat: 50.9, lon: 1.5, sec: 'Équihen-é', u: 'U06' } },
  { kind: 'unit.position', source: 'core', payload: { lat: 50.9, lon: 1.5, u: 'core' } },
];

/** Payloads the packed layouts cannot carry exactly: they must stay JSON, unchanged. */
const NOT_PACKABLE: NewEvent[] = [
  { kind: 'unit.position', source: 'cot:U07', payload: { lat: 50.123456789, lon: 1.6, u: 'U07' } }, // finer than 1e-7°
  { kind: 'unit.position', source: 'cot:U07', payload: { lat: 50.1, lon: 1.6, spd: 4.55, u: 'U07' } }, // speed to 0.01 kn
  { kind: 'unit.position', source: 'cot:U07', payload: { hdg: 12.5, lat: 50.1, lon: 1.6, u: 'U07' } }, // heading to 0.1°
  { kind: 'unit.position', source: 'cot:U07', payload: { hdg: -1, lat: 50.1, lon: 1.6, u: 'U07' } },
  { kind: 'unit.position', source: 'cot:U07', payload: { lat: 50.1, lon: 214.8, u: 'U07' } }, // beyond int32 at 1e-7
  { kind: 'unit.position', source: 'cot:U07', payload: { lat: null, lon: null, u: 'U07' } },
  { kind: 'unit.position', source: 'cot:U07', payload: { lat: 50.1, lon: 1.6, sec: null, u: 'U07' } },
  { kind: 'unit.position', source: 'cot:U07', payload: { lat: '50.1', lon: 1.6, u: 'U07' } },
  { kind: 'unit.position', source: 'cot:U07', payload: { lat: 50.1, lon: 1.6 } }, // no unit
  { kind: 'unit.position', source: 'cot:U07', payload: { extra: true, lat: 50.1, lon: 1.6, u: 'U07' } },
  { kind: 'unit.position', source: 'cot:U07', payload: { 9: 1, 10: 2, lat: 50.1, lon: 1.6, u: 'U07' } }, // integer-like keys, sorted as text
  { kind: 'unit.position', source: 'cot:U07', payload: { lat: 50.1, lon: 1.6, u: 'U07\uD800' } }, // lone surrogate
  { kind: 'unit.position', source: 'cot:U07', payload: [50.1, 1.6] },
  { kind: 'unit.position', source: 'cot:U07', payload: null },
  { kind: 'track.update', source: 'json:RAD-GRISNEZ', payload: { cls: 'vessel', lat: 50.9, lon: 1.5, lost: true, s: 'RAD-GRISNEZ', t: 'RAD-GRISNEZ:1' } },
  { kind: 'track.update', source: 'json:RAD-GRISNEZ', payload: { cls: 'vessel', lat: 50.9, lon: 1.5, s: 'RAD-GRISNEZ', stl: 1.5, t: 'RAD-GRISNEZ:1' } },
  {
    kind: 'track.update',
    source: 'json:RAD-GRISNEZ',
    payload: { cls: 'vessel', lat: 50.9, lon: 1.5, s: 'RAD-GRISNEZ', stl: T0 + 2 ** 52, t: 'RAD-GRISNEZ:1' },
  },
];

function packedSeqs(db: Db): number[] {
  return (db.prepare('SELECT seq FROM events WHERE packed IS NOT NULL ORDER BY seq').all() as { seq: number }[]).map((row) => row.seq);
}

/** What every projection and the export see of an event: its names and its payload. */
function logical(events: readonly { seq: number; time: number; kind: string; source: string; operator: string | null; payload: string }[]) {
  return events.map(({ seq, time, kind, source, operator, payload }) => ({ seq, time, kind, source, operator, payload }));
}

/** The leaf hash exactly as the log computed it before packing existed (schema version 2). */
function leafBeforePacking(event: { seq: number; time: number; kind: string; source: string; operator: string | null; payload: string }): string {
  return createHash('sha256')
    .update(`${event.seq}\t${event.time}\t${event.kind}\t${event.source}\t${event.operator ?? ''}\t${event.payload}`)
    .digest('hex');
}

function withTriggersOff(db: Db, sql: string, ...params: unknown[]): void {
  db.exec('DROP TRIGGER events_no_update;');
  db.prepare(sql).run(...params);
}

function cli(...args: string[]) {
  const entry = path.resolve(__dirname, '../../electron/cli/vigie.ts');
  return spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('packed position events', () => {
  test('every position shape reads back exactly, packed; what does not fit stays JSON, unchanged', () => {
    const dir = tempDataDir();
    const db = openDatabase(dir);
    const log = new EventLog(db, new ManualClock(T0));
    const seen: string[] = [];
    log.addProjector((events) => {
      for (const event of events) seen.push(canonicalJson(event.value));
    });
    const appended = log.append([...PACKABLE, ...NOT_PACKABLE]).events;

    assert.deepEqual(
      packedSeqs(db),
      PACKABLE.map((_, i) => i + 1),
    );
    const read = readEvents(db);
    assert.deepEqual(logical(read), logical(appended));
    for (const [i, event] of read.entries()) {
      const input = [...PACKABLE, ...NOT_PACKABLE][i]!;
      assert.equal(event.payload, canonicalJson(input.payload), `seq ${event.seq}`);
      // The live projections saw exactly what a replay reads back.
      assert.equal(seen[i], event.payload, `seq ${event.seq}`);
      assert.deepEqual(event.value ?? JSON.parse(event.payload), JSON.parse(event.payload));
      // The hash is over what is stored: the packed bytes where there are some, the text otherwise.
      assert.deepEqual(leafHash(event), leafHash(appended[i]!));
      if (i >= PACKABLE.length) assert.equal(leafHash(event).toString('hex'), leafBeforePacking(event));
    }
    assert.ok(verifyChain(db).ok);

    // The stored text of a packed row is empty; its bytes are short.
    const rows = db.prepare('SELECT payload, length(packed) AS bytes FROM events WHERE packed IS NOT NULL').all() as { payload: string; bytes: number }[];
    assert.ok(rows.every((row) => row.payload === ''));
    assert.ok(rows[0]!.bytes <= 24, `a typical track update packs to ${rows[0]!.bytes} bytes`);
    db.close();
  });

  test('the encoding on its own: exact round trips of random positions, and malformed bytes refused', () => {
    let state = 7;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
    for (let i = 0; i < 5_000; i++) {
      const time = T0 + Math.floor(random() * 1e9);
      const payload = {
        at: random() < 0.2 ? time + Math.floor((random() - 0.5) * 1e7) : undefined,
        cls: (['small-boat', 'vessel', 'unknown'] as const)[i % 3],
        crs: random() < 0.8 ? Math.floor(random() * 361) : undefined,
        lat: round((random() - 0.5) * 180, 1 + (i % 7)),
        lon: round((random() - 0.5) * 360, 1 + (i % 7)),
        lost: random() < 0.1 ? 1 : undefined,
        off: random() < 0.5 ? 1 : undefined,
        s: 'RAD-GRISNEZ',
        sec: random() < 0.7 ? `S${Math.floor(random() * 27) + 1}` : undefined,
        spd: random() < 0.8 ? round(random() * 100, 1) : undefined,
        stl: random() < 0.3 ? time + Math.floor(random() * 60_000) : undefined,
        t: random() < 0.8 ? `RAD-GRISNEZ:${i}` : `other-${i}`,
      };
      const packed = packPayload('track.update', 'json:RAD-GRISNEZ', time, payload);
      assert.ok(packed, JSON.stringify(payload));
      assert.equal(canonicalJson(unpackPayload('track.update', 'json:RAD-GRISNEZ', time, packed)), canonicalJson(payload));
    }

    const good = packPayload('unit.position', 'cot:U07', T0, { hdg: 90, lat: 50.73, lon: 1.6, sec: 'S12', spd: 4.5, u: 'U07' })!;
    const refuse = (bytes: Buffer, kind = 'unit.position') => assert.throws(() => unpackPayload(kind, 'cot:U07', T0, bytes), PackedPayloadError);
    refuse(good, 'track.update'); // another kind's layout
    refuse(good.subarray(0, good.length - 1)); // cut short
    refuse(Buffer.concat([good, Buffer.from([0])])); // a byte too many
    refuse(Buffer.from([0x7b, 0x7d])); // '{}', JSON is not a layout
    refuse(Buffer.from([2, 0x7f])); // presence bits the layout does not have
    refuse(Buffer.from([2, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])); // endless varint
    refuse(Buffer.alloc(0));
  });

  test('verify names the row when a byte of a packed row changes, and when a row changes form', () => {
    const dir = tempDataDir();
    let db = openDatabase(dir);
    const log = new EventLog(db, new ManualClock(T0));
    log.append([{ kind: 'core.started', source: 'core', payload: {} }]);
    log.append(
      Array.from({ length: 10 }, (_, i) => ({
        kind: 'track.update',
        source: 'json:RAD-GRISNEZ',
        payload: {
          cls: 'vessel',
          crs: 10 * i,
          lat: Math.round((50.8 + i / 1000) * 1e5) / 1e5,
          lon: 1.5,
          s: 'RAD-GRISNEZ',
          t: `RAD-GRISNEZ:MARK-${String(i).padStart(2, '0')}`,
        },
      })),
    );
    log.append([{ kind: 'alert.acknowledged', source: 'console', operator: 'martin', payload: { alert: 'A1', inc: 'I1' } }]);
    assert.deepEqual(
      packedSeqs(db),
      Array.from({ length: 10 }, (_, i) => i + 2),
    );
    assert.ok(verifyChain(db).ok);

    // A byte of the packed blob, edited in the file itself.
    db.close();
    editFileBytes(databasePath(dir), 'MARK-06', 'MARK-66');
    db = openDatabase(dir);
    const result = verifyChain(db);
    assert.equal(!result.ok && result.firstBadSeq, 8);
    assert.match(!result.ok ? result.reason : '', /event 8 does not match its recorded hash/);
    // Export reads the edited row as it now is (and verify is what tells the truth about it).
    assert.equal((JSON.parse(readEvents(db, { afterSeq: 7 })[0]!.payload) as { t: string }).t, 'RAD-GRISNEZ:MARK-66');
    db.close();

    const fresh = () => {
      const d = tempDataDir();
      const handle = openDatabase(d);
      const l = new EventLog(handle, new ManualClock(T0));
      l.append([{ kind: 'core.started', source: 'core', payload: { version: 'x' } }]);
      l.append(PACKABLE.slice(0, 4));
      assert.ok(verifyChain(handle).ok);
      return handle;
    };
    const bad = (handle: Db, seq: number, reason: RegExp) => {
      const verdict = verifyChain(handle);
      assert.equal(!verdict.ok && verdict.firstBadSeq, seq);
      assert.match(!verdict.ok ? verdict.reason : '', reason);
      handle.close();
    };

    // One bit of a coordinate.
    let handle = fresh();
    const blob = (handle.prepare('SELECT packed FROM events WHERE seq = 3').get() as { packed: Buffer }).packed;
    const flipped = Buffer.from(blob);
    flipped[4]! ^= 1;
    withTriggersOff(handle, 'UPDATE events SET packed = ? WHERE seq = 3', flipped);
    bad(handle, 3, /event 3 does not match its recorded hash/);

    // Text slipped in beside the bytes (the leaf of a packed row hashes its bytes, so the form is checked too).
    handle = fresh();
    withTriggersOff(handle, 'UPDATE events SET payload = \'{"u":"U99"}\' WHERE seq = 4');
    bad(handle, 4, /event 4 is malformed: both a packed payload and payload text/);

    // A packed row turned into a text row with the very same bytes.
    handle = fresh();
    withTriggersOff(handle, 'UPDATE events SET payload = CAST(packed AS TEXT), packed = NULL WHERE seq = 2');
    bad(handle, 2, /event 2 (is malformed|does not match)/);

    // A JSON row turned into a "packed" row with the very same bytes.
    handle = fresh();
    withTriggersOff(handle, "UPDATE events SET packed = CAST(payload AS BLOB), payload = '' WHERE seq = 1");
    bad(handle, 1, /event 1 is malformed: unknown packed layout/);
  });

  test('a version 2 log migrates without a byte changing, its chain verifies, and new positions are packed', () => {
    const dir = tempDataDir();
    const before = migrations.filter((migration) => migration.version <= 2);
    let db = openDatabase(dir, { migrations: before });
    assert.equal(db.pragma('user_version', { simple: true }), 2);
    let log = new EventLog(db, new ManualClock(T0));
    log.append([{ kind: 'core.started', source: 'core', payload: { version: 'old' } }]);
    log.append(PACKABLE);
    log.append(NOT_PACKABLE.slice(0, 3));
    log.append([{ kind: 'alert.acknowledged', source: 'console', operator: 'martin', payload: { alert: 'A1', inc: 'I1' } }]);
    const rawBefore = db.prepare('SELECT * FROM events ORDER BY seq').all();
    const blocksBefore = db.prepare('SELECT * FROM log_blocks ORDER BY block').all();
    const headBefore = log.status().headHash;
    const oldVerify = verifyChain(db);
    assert.ok(oldVerify.ok);
    db.close();

    db = openDatabase(dir);
    assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
    assert.ok(LATEST_SCHEMA_VERSION >= 4);
    assert.deepEqual(
      db.prepare('SELECT seq, time, kind, source, operator, payload FROM events ORDER BY seq').all(),
      rawBefore,
      'every old row exactly as it was',
    );
    assert.deepEqual(packedSeqs(db), []);
    // Migration 7 drops the stored prev_hash (each hash covers the one before); the rest is as it was.
    const withoutPrevHash = blocksBefore.map((row) => {
      const { prev_hash: _prevHash, ...rest } = row as Record<string, unknown>;
      return rest;
    });
    assert.deepEqual(db.prepare('SELECT * FROM log_blocks ORDER BY block').all(), withoutPrevHash);
    const migrated = verifyChain(db);
    assert.deepEqual(migrated, oldVerify);
    assert.ok(migrated.ok && migrated.headHash === headBefore);
    for (const event of readEvents(db)) assert.equal(leafHash(event).toString('hex'), leafBeforePacking(event));

    // The chain goes on from the old head, now with packed rows.
    log = new EventLog(db, new ManualClock(T0 + 60_000));
    const block = log.append(PACKABLE.slice(0, 3));
    assert.equal(block.events[0]!.seq, rawBefore.length + 1);
    assert.deepEqual(packedSeqs(db), [rawBefore.length + 1, rawBefore.length + 2, rawBefore.length + 3]);
    const after = verifyChain(db);
    assert.ok(after.ok && after.events === rawBefore.length + 3);
    db.close();
  });

  test('vigie export prints the same logical events, in the same shape, packed or not', () => {
    const dir = tempDataDir();
    const db = openDatabase(dir);
    const log = new EventLog(db, new ManualClock(T0));
    const input = [
      { kind: 'core.started', source: 'core', payload: { version: 'x' } },
      ...PACKABLE,
      ...NOT_PACKABLE.slice(0, 2),
      { kind: 'incident.closed', source: 'console', operator: 'martin', payload: { inc: 'I1', notes: 'ras', outcome: 'false-alarm' } },
    ];
    const appended = log.append(input).events;
    assert.equal(packedSeqs(db).length, PACKABLE.length);
    db.close();

    const exported = cli('export', '--data', dir);
    assert.equal(exported.status, 0, exported.stderr);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, input.length);
    for (const [i, line] of lines.entries()) {
      assert.deepEqual(Object.keys(line), ['seq', 'time', 'kind', 'source', 'operator', 'payload', 'hash']);
      const event = appended[i]!;
      assert.deepEqual(line, {
        seq: event.seq,
        time: new Date(event.time).toISOString(),
        kind: input[i]!.kind,
        source: input[i]!.source,
        operator: input[i]!.operator ?? null,
        payload: JSON.parse(canonicalJson(input[i]!.payload)) as unknown,
        hash: leafHash(event).toString('hex'),
      });
    }
    const verified = cli('verify', '--data', dir);
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, new RegExp(`^ok: ${input.length} events in 1 blocks checked`));
  });

  test('iterating stops with the row named when a packed row cannot be read', () => {
    const dir = tempDataDir();
    const db = openDatabase(dir);
    new EventLog(db, new ManualClock(T0)).append(PACKABLE.slice(0, 3));
    withTriggersOff(db, "UPDATE events SET packed = X'01' WHERE seq = 2");
    assert.throws(() => [...iterateEvents(db)], /event 2 cannot be read \(packed payload ends too early\)/);
    const result = verifyChain(db);
    assert.equal(!result.ok && result.firstBadSeq, 2);
    db.close();
  });
});

// The bench's ceiling (bench/ceiling.ts), run tiny: not how fast it is (no
// timed tests), but that it measures something — every row really is in the
// file, hashed as documented, one chain from the first row to the last — and
// that its result has the shape the feed ratios are computed from.
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import fs from 'node:fs';
import { test } from 'node:test';
import { CEILING_BLOCK_SIZE, CEILING_TABLE, benchCeiling, ceilingFile, ratioToCeiling } from '../../bench/ceiling';
import { packedLayoutId } from '../../electron/core/log/packedPayload';
import { tempDataDir } from '../helpers';

interface Row {
  seq: number;
  time: number;
  kind: number;
  source: number;
  operator: string | null;
  payload: string;
  packed: Buffer | null;
  hash: Buffer;
}

test('the ceiling appends every row, hashed and chained, to a WAL file, and reports rows/s with its spread', () => {
  const dir = tempDataDir();
  // Not a multiple of the block size: the last, shorter transaction counts too.
  const rows = 2 * CEILING_BLOCK_SIZE + 345;
  const result = benchCeiling({ rows, repetitions: 2, dir });

  assert.equal(result.repetitions.length, 2);
  for (const perSecond of result.repetitions) assert.ok(Number.isInteger(perSecond) && perSecond > 0, `rows/s ${perSecond}`);
  assert.equal(result.rowsPerSecond, Math.max(...result.repetitions));
  assert.ok(result.spreadPercent >= 0 && result.spreadPercent < 100);
  assert.equal(result.rowsPerRepetition, rows);
  assert.equal(result.blockSize, 1_000);
  assert.ok(result.payloadBytes > 15 && result.payloadBytes < 30, `payload ${result.payloadBytes} bytes: a packed track update is ~22`);
  assert.equal(result.synchronous, 'NORMAL (WAL)');
  assert.ok(result.machine.cpus >= 1 && result.machine.cpuModel.length > 0 && result.machine.loadAverage.length === 3);
  assert.equal(ratioToCeiling(result.rowsPerSecond / 4, result), 0.25);

  for (const repetition of [1, 2]) {
    const file = ceilingFile(dir, repetition);
    // Closed: the WAL is checkpointed into the file itself.
    assert.ok(fs.statSync(file).size > rows * 50, `${file} holds the rows`);
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      const stored = db.prepare(`SELECT * FROM ${CEILING_TABLE} ORDER BY seq`).all() as Row[];
      assert.equal(stored.length, rows);
      let previous: Buffer = Buffer.alloc(32);
      stored.forEach((row, i) => {
        assert.equal(row.seq, i + 1);
        assert.ok(row.time > 0 && row.kind > 0 && row.source > 0);
        assert.equal(row.operator, null);
        assert.equal(row.payload, '');
        assert.ok(row.packed && row.packed[0] === packedLayoutId('track.update'), `row ${row.seq} holds a packed track update`);
        // prev hash ‖ seq, time (6 bytes each) ‖ kind, source (4 bytes each) ‖ packed bytes, big-endian.
        const fields = Buffer.alloc(20);
        fields.writeUIntBE(row.seq, 0, 6);
        fields.writeUIntBE(row.time, 6, 6);
        fields.writeUInt32BE(row.kind, 12);
        fields.writeUInt32BE(row.source, 16);
        const expected = hash('sha256', Buffer.concat([previous, fields, row.packed]), 'buffer');
        assert.ok(row.hash.equals(expected), `row ${row.seq}: its hash`);
        previous = row.hash;
      });
    } finally {
      db.close();
    }
  }
});

// The bench's own ceiling: how many position-sized rows this machine, at this
// moment, can hash and commit to SQLite with nothing else in the way. Absolute
// throughput moves from run to run on shared machines; a feed result divided
// by the ceiling measured just before it (`ratioToCeiling`) moves much less,
// and says how much of the storage path's speed the pipeline keeps.
//
// Each row is what a packed `track.update` row of the real `events` table
// holds (time, kind id, source id, no operator, '' as text and ~22 packed
// bytes), in a table with the same column types, plus the row's SHA-256 over
// the previous row's hash and the row: 32 bytes of previous hash, seq and time
// as 6-byte big-endian integers, kind and source as 4-byte big-endian
// integers, then the packed bytes. Rows are appended 1,000 to a transaction
// (a full group-commit block), WAL, `synchronous = NORMAL` (the core's
// setting, electron/core/db/database.ts), through the project's
// better-sqlite3, in a fresh database file per repetition in os.tmpdir() —
// the disk the feed bench writes to.
import Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nativeBinding } from '../electron/core/db/database';
import { packPayload } from '../electron/core/log/packedPayload';

export const CEILING_BLOCK_SIZE = 1_000;
export const CEILING_TABLE = 'ceiling_events';
const GENESIS = Buffer.alloc(32);
const KIND_ID = 1;
const SOURCE = 'nmea:RAD-GRISNEZ';
const SOURCE_IDS = 3;
const FIRST_TIME = 1_795_000_000_000;

export interface Machine {
  cpus: number;
  cpuModel: string;
  loadAverage: number[];
}

/** The machine as the bench sees it now (the load average moves: take it next to what it explains). */
export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

export interface CeilingResult {
  /** Best repetition, rows/s: what the feed results are divided by. */
  rowsPerSecond: number;
  /** Every repetition, rows/s, in the order run. */
  repetitions: number[];
  /** (best − worst) ÷ best, in %: how steady the machine was while measuring. */
  spreadPercent: number;
  rowsPerRepetition: number;
  blockSize: number;
  payloadBytes: number;
  synchronous: string;
  directory: string;
  machine: Machine;
}

export interface CeilingOptions {
  rows: number;
  repetitions: number;
  /** Where the database files go; when given, they are left there (the tests read them back). Default: a temporary directory, removed. */
  dir?: string;
}

/** The file a repetition writes (1-based). */
export function ceilingFile(dir: string, repetition: number): string {
  return path.join(dir, `ceiling-${repetition}.sqlite`);
}

/**
 * Packed payloads of real track updates, made before the clock starts (packing
 * is the pipeline's work, not the storage's): a radar's ~100 tracks moving.
 */
function payloadPool(size: number): Buffer[] {
  const pool: Buffer[] = [];
  for (let i = 0; i < size; i++) {
    const target = i % 100;
    const payload = {
      cls: 'vessel',
      crs: (i * 37) % 360,
      lat: Math.round((50.8 + target / 1000 + (i % 7) / 10000) * 1e5) / 1e5,
      lon: Math.round((1.3 + Math.floor(i / 100) / 1000 + (i % 11) / 10000) * 1e5) / 1e5,
      off: 1,
      s: 'RAD-GRISNEZ',
      sec: `S${String((i % 27) + 1).padStart(2, '0')}`,
      spd: (i % 150) / 10,
      t: `RAD-GRISNEZ:${target}`,
    };
    const packed = packPayload('track.update', SOURCE, FIRST_TIME, payload);
    if (!packed) throw new Error('ceiling: a track update did not pack');
    pool.push(packed);
  }
  return pool;
}

/** One repetition: `rows` rows into a fresh file. Returns the seconds from the first BEGIN to the last COMMIT. */
function appendRows(file: string, rows: number, pool: readonly Buffer[]): number {
  const db = new Database(file, nativeBinding());
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const mode = db.pragma('journal_mode', { simple: true });
    const sync = db.pragma('synchronous', { simple: true });
    if (mode !== 'wal' || sync !== 1) throw new Error(`ceiling: expected WAL and synchronous NORMAL, got ${String(mode)} and ${String(sync)}`);
    db.exec(`CREATE TABLE ${CEILING_TABLE} (
      seq      INTEGER PRIMARY KEY,
      time     INTEGER NOT NULL,
      kind     INTEGER NOT NULL,
      source   INTEGER NOT NULL,
      operator TEXT,
      payload  TEXT NOT NULL,
      packed   BLOB,
      hash     BLOB NOT NULL
    ) STRICT`);
    const insert = db.prepare(`INSERT INTO ${CEILING_TABLE} (seq, time, kind, source, operator, payload, packed, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const scratch = Buffer.allocUnsafe(32 + 6 + 6 + 4 + 4 + 256);
    let previous = GENESIS;
    const block = db.transaction((first: number, count: number) => {
      for (let seq = first; seq < first + count; seq++) {
        const time = FIRST_TIME + seq;
        const source = (seq % SOURCE_IDS) + 1;
        const packed = pool[seq % pool.length]!;
        previous.copy(scratch, 0);
        scratch.writeUIntBE(seq, 32, 6);
        scratch.writeUIntBE(time, 38, 6);
        scratch.writeUInt32BE(KIND_ID, 44);
        scratch.writeUInt32BE(source, 48);
        packed.copy(scratch, 52);
        const rowHash = hash('sha256', scratch.subarray(0, 52 + packed.length), 'buffer');
        insert.run(seq, time, KIND_ID, source, null, '', packed, rowHash);
        previous = rowHash;
      }
    });
    const started = performance.now();
    for (let first = 1; first <= rows; first += CEILING_BLOCK_SIZE) block.immediate(first, Math.min(CEILING_BLOCK_SIZE, rows - first + 1));
    return (performance.now() - started) / 1000;
  } finally {
    db.close();
  }
}

export function benchCeiling(options: CeilingOptions): CeilingResult {
  if (!(options.rows >= 1 && options.repetitions >= 1)) throw new Error('ceiling: rows and repetitions must be at least 1');
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-ceiling-'));
  try {
    const pool = payloadPool(Math.min(options.rows, 2_000));
    const repetitions: number[] = [];
    for (let r = 1; r <= options.repetitions; r++) {
      const file = ceilingFile(dir, r);
      if (!options.dir) fs.rmSync(ceilingFile(dir, r - 1), { force: true });
      repetitions.push(Math.round(options.rows / appendRows(file, options.rows, pool)));
    }
    const best = Math.max(...repetitions);
    const worst = Math.min(...repetitions);
    return {
      rowsPerSecond: best,
      repetitions,
      spreadPercent: Math.round(((best - worst) / best) * 1000) / 10,
      rowsPerRepetition: options.rows,
      blockSize: CEILING_BLOCK_SIZE,
      payloadBytes: Math.round((pool.reduce((sum, p) => sum + p.length, 0) / pool.length) * 10) / 10,
      synchronous: 'NORMAL (WAL)',
      directory: options.dir ?? os.tmpdir(),
      machine: machine(),
    };
  } finally {
    if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A feed's messages/s as a fraction of the ceiling's rows/s, to 2 decimals. */
export function ratioToCeiling(perSecond: number, ceiling: CeilingResult): number {
  return Math.round((perSecond / ceiling.rowsPerSecond) * 100) / 100;
}

// Event log benchmark: durable appends in full group-commit blocks (a feed
// under load), bytes on disk per position event, and the speed of a full
// hash-chain verification. The disk budget itself is measured on a realistic
// shift, with the small blocks of a quiet night, by bench/shiftLog.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../shared/clock';
import { openDatabase } from '../electron/core/db/database';
import { EventLog } from '../electron/core/log/eventLog';
import { verifyChain } from '../electron/core/log/verify';

const BLOCK_SIZE = 1_000;

function positionEvent(i: number) {
  // A realistic unit fix: id, position to ~1 m, heading, speed, sector (packed in the log, see docs/events.md).
  const unit = `U${String((i % 30) + 1).padStart(2, '0')}`;
  return {
    kind: 'unit.position',
    source: `cot:${unit}`,
    payload: {
      u: unit,
      lat: Math.round((50.4 + ((i * 7919) % 70000) / 100000) * 1e5) / 1e5,
      lon: Math.round((1.55 + ((i * 104729) % 100000) / 100000) * 1e5) / 1e5,
      hdg: i % 360,
      spd: (i % 120) / 10,
      sec: `S${String((i % 27) + 1).padStart(2, '0')}`,
    },
  };
}

function fileBytes(dir: string): number {
  return fs.readdirSync(dir).reduce((sum, file) => sum + fs.statSync(path.join(dir, file)).size, 0);
}

export function benchEventLog(events: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-'));
  try {
    const db = openDatabase(dir);
    const log = new EventLog(db, systemClock);
    const emptyBytes = fileBytes(dir);
    const started = performance.now();
    for (let first = 0; first < events; first += BLOCK_SIZE) {
      const batch = [];
      for (let i = first; i < Math.min(first + BLOCK_SIZE, events); i++) batch.push(positionEvent(i));
      log.append(batch);
    }
    const appendSeconds = (performance.now() - started) / 1000;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytesPerEvent = (fileBytes(dir) - emptyBytes) / events;
    const verifyStarted = performance.now();
    const verified = verifyChain(db);
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    db.close();
    return {
      events,
      blockSize: BLOCK_SIZE,
      synchronous: 'NORMAL (WAL)',
      appendPerSecond: Math.round(events / appendSeconds),
      bytesPerPositionEvent: Math.round(bytesPerEvent * 10) / 10,
      bytesBudget: 80,
      verifyPerSecond: Math.round(events / verifySeconds),
      verifiedOk: verified.ok,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// `npm run bench`: measures what exists so far against the budgets in
// docs/architecture.md and prints one JSON document on stdout.
// Event log: durable appends in group-commit blocks, bytes on disk per
// position event, and the speed of a full hash-chain verification.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../shared/clock';
import { databasePath, openDatabase } from '../electron/core/db/database';
import { EventLog } from '../electron/core/log/eventLog';
import { verifyChain } from '../electron/core/log/verify';

const POSITION_EVENTS = Number(process.env.VIGIE_BENCH_EVENTS ?? 500_000);
const BLOCK_SIZE = 1_000;

function positionEvent(i: number) {
  // A realistic unit fix: id, position to ~1 m, heading, speed.
  return {
    kind: 'unit.position',
    source: 'cot:udp',
    payload: { unit: `U${i % 30}`, lat: Math.round((50.4 + ((i * 7919) % 70000) / 100000) * 1e5) / 1e5, lon: Math.round((1.55 + ((i * 104729) % 100000) / 100000) * 1e5) / 1e5, hdg: i % 360, spd: (i % 120) / 10 },
  };
}

function fileBytes(dir: string): number {
  return fs.readdirSync(dir).reduce((sum, file) => sum + fs.statSync(path.join(dir, file)).size, 0);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-'));
try {
  const db = openDatabase(dir);
  const log = new EventLog(db, systemClock);
  const emptyBytes = fileBytes(dir);

  const started = performance.now();
  for (let first = 0; first < POSITION_EVENTS; first += BLOCK_SIZE) {
    const batch = [];
    for (let i = first; i < Math.min(first + BLOCK_SIZE, POSITION_EVENTS); i++) batch.push(positionEvent(i));
    log.append(batch);
  }
  const appendSeconds = (performance.now() - started) / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytesPerEvent = (fileBytes(dir) - emptyBytes) / POSITION_EVENTS;

  const verifyStarted = performance.now();
  const verified = verifyChain(db);
  const verifySeconds = (performance.now() - verifyStarted) / 1000;
  db.close();

  const result = {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.arch()}` },
    eventLog: {
      events: POSITION_EVENTS,
      blockSize: BLOCK_SIZE,
      synchronous: 'NORMAL (WAL)',
      appendPerSecond: Math.round(POSITION_EVENTS / appendSeconds),
      appendBudgetPerSecond: 20_000,
      bytesPerPositionEvent: Math.round(bytesPerEvent * 10) / 10,
      bytesBudget: 80,
      verifyPerSecond: Math.round(POSITION_EVENTS / verifySeconds),
      verifiedOk: verified.ok,
      databaseFile: path.basename(databasePath(dir)),
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

// How long a picture snapshot holds the core's event loop at regional scale:
// a real picture of N tracks and N × 0.46 AIS ships (10,000 and 4,600 by
// default, the console bench's load), then seven snapshots each way —
// encoded inside the append transaction (what `vigie restore` and the
// centre's mirrors do) and taken there but encoded after commit (the live
// core, electron/core/replay/snapshots.ts) — printing JSON:
//   npx tsx bench/snapshotHold.ts [tracks]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ManualClock } from '../shared/clock';
import { openDatabase } from '../electron/core/db/database';
import { EventLog, type NewEvent } from '../electron/core/log/eventLog';
import type { StoredEvent } from '../electron/core/log/hashChain';
import { LivePicture } from '../electron/core/picture/livePicture';
import { loadSectors } from '../electron/core/picture/sectors';
import { VesselPicture } from '../electron/core/picture/vesselPicture';
import { captureState, encodeState, snapshotWriter } from '../electron/core/replay/snapshots';

const tracks = Number(process.argv[2] ?? 10_000);
const ROUNDS = 7;
const round1 = (ms: number) => Math.round(ms * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-snapshot-hold-'));
  const db = openDatabase(dataDir);
  const clock = new ManualClock(Date.UTC(2026, 11, 6, 20));
  const log = new EventLog(db, clock);
  const picture = new LivePicture(db);
  const vessels = new VesselPicture(db);
  log.addProjector(picture.project);
  log.addProjector(vessels.project);
  const ships = Math.round(tracks * 0.46);
  for (let from = 0; from < tracks; from += 1_000) {
    const events: NewEvent[] = [];
    for (let i = from; i < Math.min(tracks, from + 1_000); i++)
      events.push({
        kind: 'track.update',
        source: 'nmea:RAD-1',
        payload: { s: 'RAD-1', t: `RAD-1:${i}`, cls: 'vessel', lat: 50.5 + (i % 1000) / 5000, lon: 1.2 + i / 50_000, crs: 123.4, spd: 12.1 },
      });
    for (let m = Math.round(from * 0.46); m < Math.round(Math.min(tracks, from + 1_000) * 0.46); m++)
      events.push({
        kind: 'ais.position',
        source: 'ais:AIS-1',
        payload: { s: 'AIS-1', m: 227_000_000 + m, msg: 1, lat: 50.6, lon: 1.4, cog: 45.5, sog: 11.2, hdg: 45 },
      });
    log.append(events);
  }

  const sectors = loadSectors(db);
  const inTransaction: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    encodeState(captureState(picture, sectors, 1, clock.now(), vessels));
    inTransaction.push(performance.now() - start);
  }

  const writer = snapshotWriter(db, picture, { events: 1, ms: 0 }, vessels, 'after-commit');
  const taken: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const tail = log.status().lastSeq;
  for (let r = 0; r < ROUNDS; r++) {
    clock.advance(10_000);
    const event: StoredEvent = { seq: tail + 1 + r, time: clock.now(), kind: 'sensor.heartbeat', source: 'bench', operator: null, payload: '{}' };
    const start = performance.now();
    writer([event]);
    taken.push(performance.now() - start);
    delay.enable();
    await writer.settled();
    delay.disable();
  }
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(
    `${JSON.stringify({
      tracks,
      ships,
      inTransactionMs: { median: round1(median(inTransaction)), max: round1(Math.max(...inTransaction)) },
      afterCommit: {
        takenInTransactionMs: { median: round1(median(taken)), max: round1(Math.max(...taken)) },
        eventLoopDelayWhileEncodingMs: { max: round1(delay.max / 1e6), p99: round1(delay.percentile(99) / 1e6) },
      },
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`snapshotHold: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

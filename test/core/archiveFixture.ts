// A data directory with three nights on the log, written and projected as
// the live core does (EventLog + the sector, picture, shift and snapshot
// projectors): shift 1 (24–25 Nov, with a detection, its alert and an
// incident handled), shift 2 (25–26 Nov, positions and heartbeats), and
// shift 3, opened on 26 Nov and still open. For the archive tests.
import { ManualClock } from '../../shared/clock';
import { shiftProjector } from '../../electron/core/accounts/shifts';
import { openDatabase } from '../../electron/core/db/database';
import { logEvent, type LogEvent } from '../../electron/core/log/eventCatalogue';
import { EventLog } from '../../electron/core/log/eventLog';
import { LivePicture } from '../../electron/core/picture/livePicture';
import { sectorProjector } from '../../electron/core/picture/sectors';
import { snapshotWriter } from '../../electron/core/replay/snapshots';
import { SHIFT_START, shiftBlocks } from '../../bench/shiftLog';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DAY = 24 * 3600 * 1000;
/** 18:00 UTC on the evening each shift opens. */
export const NIGHTS = [SHIFT_START - 2 * DAY, SHIFT_START - DAY, SHIFT_START] as const;
/** Seconds of traffic per night (at the bench's density of ~115 events a second, thinned). */
const NIGHT_SECONDS = 240;
const NIGHT_EVENTS = 6_000;

export interface ArchiveFixture {
  dir: string;
  /** Events per shift, first and last seq. */
  shifts: { id: number; firstSeq: number; lastSeq: number | null; openedAt: number; closedAt: number | null }[];
}

/** Writes the nights into a new directory under the system's temporary one; the caller removes it. */
export function writeThreeNights(): ArchiveFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-archive-test-'));
  const db = openDatabase(dir);
  const clock = new ManualClock(NIGHTS[0] - 60_000);
  const log = new EventLog(db, clock);
  log.addProjector(sectorProjector(db));
  const picture = new LivePicture(db);
  log.addProjector(picture.project);
  log.addProjector(shiftProjector(db));
  log.addProjector(snapshotWriter(db, picture, { events: 2_000, ms: 60_000 }));
  const units = Array.from({ length: 24 }, (_, i) => `U${String(i + 1).padStart(2, '0')}`);
  log.append(units.map((id) => logEvent('site.unit', 'site', { id, callsign: `OPALE ${id.slice(1)}`, type: '4x4', crew: 2, home: [1.6, 50.7] })));
  const shifts: ArchiveFixture['shifts'] = [];
  NIGHTS.forEach((night, index) => {
    const shift = index + 1;
    const offset = night - SHIFT_START;
    const opened = log.append([{ ...logEvent('shift.opened', 'console', { shift, by: 'martin' }, night - 1), operator: 'martin' }]);
    let last = night;
    for (const block of shiftBlocks(NIGHT_EVENTS, NIGHT_SECONDS)) {
      // The first night has the alert and the incident; the others only traffic (their alert ids would repeat).
      const events: LogEvent[] = block
        .filter((event) => index === 0 || ['track.update', 'unit.position', 'sensor.heartbeat'].includes(event.kind))
        .map((event) => ({ ...event, time: event.time! + offset }));
      if (events.length === 0) continue;
      log.append(events);
      last = events.at(-1)!.time!;
      picture.takeDelta();
    }
    if (index < 2) {
      // Closed at 06:00 the next morning, after a quiet night.
      const closedAt = Math.max(last + 1, night + 12 * 3600 * 1000);
      clock.set(closedAt);
      const closed = log.append([
        { ...logEvent('shift.closed', 'console', { shift, by: 'martin', handover: `night ${shift}` }, closedAt), operator: 'martin' },
      ]);
      shifts.push({ id: shift, firstSeq: opened.events[0]!.seq, lastSeq: closed.events[0]!.seq, openedAt: night - 1, closedAt });
    } else shifts.push({ id: shift, firstSeq: opened.events[0]!.seq, lastSeq: null, openedAt: night - 1, closedAt: null });
  });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { dir, shifts };
}

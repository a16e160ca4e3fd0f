// The 12-hour shift benchmark (issue 5's disk budget): a generated night on
// the Côte d'Opale site — 4 radars with ~26 tracks each at 1 Hz, 24 units
// fixing every 2 s, sensor heartbeats, camera detections, their alerts and
// the operators' handling of them — written through the real EventLog append
// path in blocks shaped like the live ingest's (one block per radar sweep,
// one per unit fix, one per heartbeat or operator action), into a fresh data
// directory. Reports the file size after a WAL checkpoint, bytes per event,
// the marginal cost of a position event, and append and verify throughput.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../shared/clock';
import { openDatabase } from '../electron/core/db/database';
import { EventLog } from '../electron/core/log/eventLog';
import type { LogEvent } from '../electron/core/log/eventCatalogue';
import { verifyChain } from '../electron/core/log/verify';
import { seededRandom } from '../electron/simulator/model/random';

export const SHIFT_EVENTS = 5_000_000;
export const SHIFT_SECONDS = 12 * 3600;
/** 18:00 UTC on a November evening. */
export const SHIFT_START = Date.UTC(2026, 10, 26, 18, 0, 0);

const RADARS = [
  { id: 'RAD-GRISNEZ', protocol: 'json', lat: 50.8697, lon: 1.5836 },
  { id: 'RAD-BLANCNEZ', protocol: 'json', lat: 50.9228, lon: 1.6683 },
  { id: 'RAD-DUNKERQUE', protocol: 'nmea', lat: 51.0602, lon: 2.3665 },
  { id: 'RAD-TOUQUET', protocol: 'cot', lat: 50.5217, lon: 1.5861 },
] as const;
const TRACKS_PER_RADAR = 26;
const CAMERAS = ['CAM-BRAYDUNES', 'CAM-PETITFORT', 'CAM-SANGATTE', 'CAM-WISSANT', 'CAM-WIMEREUX', 'CAM-EQUIHEN', 'CAM-HARDELOT', 'CAM-BERCK'];
const HEARTBEAT_SENSORS = [...RADARS.map((radar) => radar.id), ...CAMERAS, 'DRN-1', 'DRN-2', 'OPT-BLANCNEZ', 'OPT-GRISNEZ', 'OPT-ALPRECH'];
const HEARTBEAT_SECONDS = 15;
const UNITS = Array.from({ length: 24 }, (_, i) => `U${String(i + 1).padStart(2, '0')}`);
/** Each unit's device reports every 2 s by default (CoT clients report every 2–30 s), spread over the period. */
export const UNIT_PERIOD_SECONDS = 2;
/** A camera detection (and its alert) about every 2 minutes somewhere on the coast. */
const DETECTION_EVERY = 120;

const round = (value: number, digits: number): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
const sector = (lat: number): string => `S${String(Math.min(27, Math.max(1, Math.floor((51.1 - lat) * 45) + 1))).padStart(2, '0')}`;

interface Track {
  n: number;
  lat: number;
  lon: number;
  crs: number;
  spd: number;
  cls: 'small-boat' | 'vessel' | 'unknown';
}

export interface ShiftCounts {
  events: number;
  /** Appends (transactions), shaped like the live ingest's. */
  commits: number;
  /** Hash-chain blocks they made (a block takes several commits within BLOCK_SPAN_MS). */
  blocks: number;
  positions: number;
  byKind: Record<string, number>;
}

/**
 * Yields the shift block by block, as the live ingest would have committed
 * it. Payloads are built like electron/core/feeds/ingest.ts builds them
 * (keys in order, coordinates to 1e-5°, course to 1°, speed to 0.1 kn).
 */
export function* shiftBlocks(total = SHIFT_EVENTS, seconds = SHIFT_SECONDS, unitPeriod = UNIT_PERIOD_SECONDS): Generator<LogEvent[]> {
  const rnd = seededRandom(20261126);
  const tracks: Track[][] = RADARS.map((radar) => Array.from({ length: TRACKS_PER_RADAR }, (_, i) => newTrack(radar, i + 1)));
  let nextTrack = TRACKS_PER_RADAR + 1;
  const units = UNITS.map((id, i) => ({ id, lat: 50.45 + (i / UNITS.length) * 0.6, lon: 1.58 + (i % 5) * 0.01, hdg: Math.floor(rnd() * 360), spd: 0 }));
  let produced = 0;
  let alerts = 0;
  const pendingOps: { at: number; event: LogEvent }[] = [];

  function newTrack(radar: (typeof RADARS)[number], n: number): Track {
    const cls = rnd() < 0.8 ? 'vessel' : rnd() < 0.5 ? 'small-boat' : 'unknown';
    return {
      n,
      lat: radar.lat + (rnd() - 0.5) * 0.3,
      lon: radar.lon - 0.05 - rnd() * 0.3,
      crs: Math.floor(rnd() * 360),
      spd: cls === 'vessel' ? 8 + rnd() * 12 : 2 + rnd() * 20,
      cls,
    };
  }

  for (let second = 0; second < seconds && produced < total; second++) {
    const time = SHIFT_START + second * 1000;
    const due = Math.min(total, Math.floor((total * (second + 1)) / seconds));
    const blocks: LogEvent[][] = [];

    // Units: one block per fix (independent devices).
    for (let i = second % unitPeriod; i < units.length; i += unitPeriod) {
      const unit = units[i]!;
      if (rnd() < 0.05) unit.hdg = Math.floor(rnd() * 360);
      unit.spd = i >= 20 ? round(rnd() * 25, 1) : i >= 8 && i < 13 ? round(rnd() * 3, 1) : round(rnd() * 18, 1);
      const step = (unit.spd * 0.514 * unitPeriod) / 111_000;
      unit.lat = Math.min(51.1, Math.max(50.35, unit.lat + Math.cos((unit.hdg * Math.PI) / 180) * step));
      unit.lon += (Math.sin((unit.hdg * Math.PI) / 180) * step) / 0.63;
      const lat = round(unit.lat, 5);
      blocks.push([
        {
          kind: 'unit.position',
          source: `cot:${unit.id}`,
          time: time + 37 * i,
          payload: { hdg: unit.hdg, lat, lon: round(unit.lon, 5), sec: sector(lat), spd: unit.spd, u: unit.id },
        },
      ]);
    }
    // Heartbeats, spread over their period.
    for (let i = 0; i < HEARTBEAT_SENSORS.length; i++) {
      if ((second + i) % HEARTBEAT_SECONDS === 0)
        blocks.push([{ kind: 'sensor.heartbeat', source: `json:${HEARTBEAT_SENSORS[i]!}`, time: time + 500, payload: { s: HEARTBEAT_SENSORS[i]! } }]);
    }
    // A detection now and then, its alert, and the operators' handling of it over the next minutes.
    if (second % DETECTION_EVERY === 60) {
      const camera = CAMERAS[Math.floor(rnd() * CAMERAS.length)]!;
      const lat = round(50.5 + rnd() * 0.55, 5);
      const lon = round(1.57 + rnd() * 0.2, 5);
      const d = `D${second}`;
      const alert = `A${String(++alerts).padStart(5, '0')}`;
      const inc = `I${String(alerts).padStart(5, '0')}`;
      const assignment = `D${String(alerts).padStart(5, '0')}`;
      const unit = UNITS[Math.floor(rnd() * UNITS.length)]!;
      const source = `json:${camera}`;
      const sec = sector(lat);
      blocks.push([
        { kind: 'detection', source, time: time + 250, payload: { conf: 0.82, d, kind: 'group-on-beach', lat, lon, n: 6, s: camera, sec } },
        {
          kind: 'alert.raised',
          source,
          time: time + 250,
          payload: { conf: 0.82, id: alert, kind: 'group-on-beach', lat, lon, n: 6, s: camera, sec, sev: 'high', subj: `det:${camera}/${d}` },
        },
      ]);
      const operator = rnd() < 0.5 ? 'martin' : 'leroy';
      pendingOps.push(
        { at: time + 20_000, event: { kind: 'incident.opened', source: 'console', operator, payload: { alert, id: inc, lat, lon, sec } } },
        { at: time + 20_001, event: { kind: 'alert.acknowledged', source: 'console', operator, payload: { alert, inc } } },
        {
          at: time + 45_000,
          event: { kind: 'dispatch.assigned', source: 'console', operator, payload: { a: assignment, delivered: true, inc, lat, lon, u: unit } },
        },
        { at: time + 50_000, event: { kind: 'unit.status', source: `cot:${unit}`, payload: { a: assignment, by: 'device', status: 'en-route', u: unit } } },
        { at: time + 400_000, event: { kind: 'unit.status', source: 'core', payload: { a: assignment, by: 'core', status: 'on-scene', u: unit } } },
        {
          at: time + 1_500_000,
          event: {
            kind: 'incident.closed',
            source: 'console',
            operator,
            payload: { inc, notes: 'Groupe dispersé, rien à signaler.', outcome: 'launch-prevented' },
          },
        },
        {
          at: time + 1_500_001,
          event: { kind: 'unit.status', source: 'console', operator, payload: { a: assignment, by: 'console', status: 'cleared', u: unit } },
        },
      );
    }
    for (let i = 0; i < pendingOps.length;) {
      const op = pendingOps[i]!;
      if (op.at < time + 1000) {
        blocks.push([{ ...op.event, time: Math.max(op.at, time) }]);
        pendingOps.splice(i, 1);
      } else i++;
    }

    // Radar sweeps, one block each: as many track updates as keep the shift on its schedule.
    const others = blocks.reduce((sum, block) => sum + block.length, 0);
    let budget = Math.max(0, due - produced - others);
    for (let r = 0; r < RADARS.length && budget > 0; r++) {
      const radar = RADARS[r]!;
      const sweep: LogEvent[] = [];
      const source = `${radar.protocol}:${radar.id}`;
      for (let i = 0; i < TRACKS_PER_RADAR && budget > 0; i++, budget--) {
        let track = tracks[r]![i]!;
        let lost: 1 | undefined;
        if (rnd() < 1 / 1800) lost = 1;
        if (rnd() < 0.05) track.crs = (track.crs + Math.floor(rnd() * 41) - 20 + 360) % 360;
        const step = (track.spd * 0.514) / 111_000;
        track.lat += Math.cos((track.crs * Math.PI) / 180) * step;
        track.lon += (Math.sin((track.crs * Math.PI) / 180) * step) / 0.63;
        const lat = round(track.lat, 5);
        const payload = {
          at: rnd() < 0.01 ? time - 1000 - Math.floor(rnd() * 4000) : undefined,
          cls: track.cls,
          crs: track.crs,
          lat,
          lon: round(track.lon, 5),
          lost,
          off: 1 as const,
          s: radar.id,
          sec: sector(lat),
          spd: round(track.spd, 1),
          stl: radar.protocol === 'cot' ? time + 10_000 : undefined,
          t: `${radar.id}:${track.n}`,
        };
        sweep.push({ kind: 'track.update', source, time: time + 100 + r * 200, payload });
        if (lost) {
          track = newTrack(radar, nextTrack++);
          tracks[r]![i] = track;
        }
      }
      if (sweep.length > 0) blocks.push(sweep);
    }

    blocks.sort((a, b) => a[0]!.time! - b[0]!.time!);
    for (const block of blocks) {
      if (produced >= total) return;
      const room = total - produced;
      const cut = block.length > room ? block.slice(0, room) : block;
      produced += cut.length;
      yield cut;
    }
  }
}

const isPosition = (kind: string): boolean => kind === 'track.update' || kind === 'unit.position';

function fileBytes(dir: string): number {
  return fs.readdirSync(dir).reduce((sum, file) => sum + fs.statSync(path.join(dir, file)).size, 0);
}

interface WriteResult {
  counts: ShiftCounts;
  bytes: number;
  /** Pages per table or index (SQLite's dbstat), the big ones. */
  tables: { name: string; bytes: number }[];
  appendSeconds: number;
  verifySeconds: number;
  verifiedOk: boolean;
}

/** Writes the blocks into a fresh data directory and measures it. */
function writeShift(blocks: Iterable<LogEvent[]>, verify: boolean): WriteResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-bench-shift-'));
  try {
    const db = openDatabase(dir);
    const log = new EventLog(db, new ManualClock(SHIFT_START));
    const counts: ShiftCounts = { events: 0, commits: 0, blocks: 0, positions: 0, byKind: {} };
    const started = performance.now();
    for (const block of blocks) {
      log.append(block);
      counts.commits += 1;
      counts.events += block.length;
      for (const event of block) {
        counts.byKind[event.kind] = (counts.byKind[event.kind] ?? 0) + 1;
        if (isPosition(event.kind)) counts.positions += 1;
      }
    }
    const appendSeconds = (performance.now() - started) / 1000;
    counts.blocks = log.status().blocks;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fileBytes(dir);
    const tables = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name HAVING sum(pgsize) > 65536 ORDER BY bytes DESC').all() as {
      name: string;
      bytes: number;
    }[];
    let verifySeconds = 0;
    let verifiedOk = true;
    if (verify) {
      const verifyStarted = performance.now();
      verifiedOk = verifyChain(db).ok;
      verifySeconds = (performance.now() - verifyStarted) / 1000;
    }
    db.close();
    return { counts, bytes, tables, appendSeconds, verifySeconds, verifiedOk };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const oneDecimal = (n: number): number => Math.round(n * 10) / 10;

/**
 * `total` below 5 million shortens the shift in proportion (same density), for
 * quick runs; `unitPeriod` is how often each unit reports (every report is a
 * block of its own, so this moves the block count most).
 */
export function benchShiftLog(total = SHIFT_EVENTS, unitPeriod = UNIT_PERIOD_SECONDS) {
  const seconds = Math.round((SHIFT_SECONDS * total) / SHIFT_EVENTS);
  const full = writeShift(shiftBlocks(total, seconds, unitPeriod), true);
  // The same shift without its position events: the difference is what positions cost.
  const withoutPositions = writeShift(
    (function* () {
      for (const block of shiftBlocks(total, seconds, unitPeriod)) {
        const kept = block.filter((event) => !isPosition(event.kind));
        if (kept.length > 0) yield kept;
      }
    })(),
    false,
  );
  const { counts } = full;
  return {
    events: counts.events,
    shiftHours: oneDecimal(seconds / 3600),
    commits: counts.commits,
    eventsPerCommit: oneDecimal(counts.events / counts.commits),
    blocks: counts.blocks,
    eventsPerBlock: oneDecimal(counts.events / counts.blocks),
    unitReportSeconds: unitPeriod,
    positionEvents: counts.positions,
    byKind: counts.byKind,
    synchronous: 'NORMAL (WAL)',
    fileBytes: full.bytes,
    fileBytesNote: 'vigie.sqlite + -wal + -shm after wal_checkpoint(TRUNCATE), schema and lookup tables included',
    bytesPerEvent: oneDecimal(full.bytes / counts.events),
    bytesPerEventByTable: Object.fromEntries(full.tables.map((table) => [table.name, oneDecimal(table.bytes / counts.events)])),
    bytesPerPositionEventMarginal: oneDecimal((full.bytes - withoutPositions.bytes) / counts.positions),
    marginalNote:
      "file size with the positions minus the same shift written without them (its other events in the same blocks), over the position count: includes each position's row, fingerprint and its share of block rows",
    bytesBudget: 80,
    appendPerSecond: Math.round(counts.events / full.appendSeconds),
    appendSeconds: oneDecimal(full.appendSeconds),
    verifyPerSecond: Math.round(counts.events / full.verifySeconds),
    verifySeconds: oneDecimal(full.verifySeconds),
    verifiedOk: full.verifiedOk,
  };
}

// Picture snapshots: the live picture's in-memory state after some event,
// serialized, so replay can start projecting from there instead of from
// event 1. The live core writes one inside the append transaction every
// SNAPSHOT_EVERY_EVENTS events or SNAPSHOT_EVERY_MS of log time, at most one
// per SNAPSHOT_MIN_MS (a cache
// table, `picture_snapshots`, schema version 5); replay restores one into a
// fresh LivePicture and applies the following events with the same
// projection code. A snapshot holds exactly what a restart would load from
// the projection tables (LivePicture.load): open alerts and incidents, the
// assignments still in play, every sensor, unit and track, and the sectors.
import zlib from 'node:zlib';
import type { Sector } from '../../../shared/contract';
import type { Db } from '../db/database';
import type { StoredEvent } from '../log/hashChain';
import type { LivePicture } from '../picture/livePicture';
import type { VesselPicture, VesselState } from '../picture/vesselPicture';
import { loadSectors, sectorProjector } from '../picture/sectors';

type RowOf<M> = M extends Map<string, infer R> ? R : never;
type SensorRow = RowOf<LivePicture['sensors']>;
type IncidentRow = RowOf<LivePicture['incidents']>;
type AssignmentRow = RowOf<LivePicture['assignments']>;
type UnitRow = RowOf<LivePicture['units']>;
type TrackRow = RowOf<LivePicture['tracks']>;
type AlertRow = RowOf<LivePicture['alerts']>;

export interface PictureState {
  /** The last event the state includes, and its time. */
  seq: number;
  time: number;
  sectors: Sector[];
  sensors: SensorRow[];
  units: UnitRow[];
  tracks: TrackRow[];
  alerts: AlertRow[];
  incidents: IncidentRow[];
  assignments: AssignmentRow[];
  /** Ships heard on AIS (snapshots written since schema 9; absent in older ones, which replay without ships until they are heard again). */
  vessels?: VesselState[];
}

/** Every 5,000 events (≈ 45 s of a busy night; bench/replay.ts measures why) or 10 minutes, whichever comes first. */
export const SNAPSHOT_EVERY_EVENTS = 5_000;
export const SNAPSHOT_EVERY_MS = 10 * 60_000;
/**
 * But not more often than every 5 s of log time: at 10,000 tracks 5,000
 * events are 0.4 s, and encoding ~14,000 rows (JSON and deflate, inside the
 * append transaction) 2–3 times a second was ~7 % of the core, each one
 * holding the event loop. A busy night (5,000 events in ~45 s) is unchanged;
 * replay then starts at most 5 s of log before where it seeks.
 */
export const SNAPSHOT_MIN_MS = 5_000;
export const SNAPSHOT_FORMAT = 1;

/** The picture's state as a restart would load it (closed incidents and their alerts are gone). */
export function captureState(picture: LivePicture, sectors: Sector[], seq: number, time: number, vessels?: VesselPicture): PictureState {
  const incidents = [...picture.incidents.values()].filter((incident) => incident.status === 'open');
  const openIds = new Set(incidents.map((incident) => incident.id));
  const current = new Set([...picture.units.values()].map((unit) => unit.assignment).filter((id): id is string => id !== null));
  return {
    seq,
    time,
    sectors,
    sensors: [...picture.sensors.values()],
    units: [...picture.units.values()],
    tracks: [...picture.tracks.values()],
    alerts: [...picture.alerts.values()].filter((alert) => alert.status !== 'closed'),
    incidents,
    assignments: [...picture.assignments.values()].filter((assignment) => openIds.has(assignment.incident) || current.has(assignment.id)),
    ...(vessels ? { vessels: vessels.state() } : {}),
  };
}

export function encodeState(state: PictureState): Buffer {
  return zlib.deflateRawSync(JSON.stringify(state), { level: 1 });
}

export function decodeState(format: number, bytes: Buffer): PictureState {
  if (format !== SNAPSHOT_FORMAT) throw new Error(`unknown picture snapshot format ${format}`);
  return JSON.parse(zlib.inflateRawSync(bytes).toString('utf8')) as PictureState;
}

/**
 * Fills an empty picture (a fresh LivePicture over a fresh database) with a
 * state, and its database's sectors through the sector projector itself.
 * Rows are copied: the state may be restored again.
 */
export function restoreState(picture: LivePicture, db: Db, state: PictureState, vessels?: VesselPicture): void {
  const clone = <T>(value: T): T => structuredClone(value);
  for (const row of state.sensors) picture.sensors.set(row.id, clone(row));
  for (const row of state.units) picture.units.set(row.id, clone(row));
  for (const row of state.tracks) picture.tracks.set(row.id, clone(row));
  for (const row of state.alerts) picture.alerts.set(row.id, clone(row));
  for (const row of state.incidents) picture.incidents.set(row.id, clone(row));
  for (const row of state.assignments) picture.assignments.set(row.id, clone(row));
  vessels?.restore(state.vessels ?? []);
  const project = sectorProjector(db);
  project(
    state.sectors.map((sector, i): StoredEvent => ({
      seq: i + 1,
      time: state.time,
      kind: 'sector.defined',
      source: 'snapshot',
      operator: null,
      payload: JSON.stringify(sector),
    })),
  );
}

/**
 * The live core's snapshot writer: a projector registered after the
 * picture's, so it sees the block already applied, and writing in the same
 * transaction, so a snapshot never claims an event the log does not hold.
 */
export function snapshotWriter(
  db: Db,
  picture: LivePicture,
  every: { events: number; ms: number; minMs?: number } = { events: SNAPSHOT_EVERY_EVENTS, ms: SNAPSHOT_EVERY_MS, minMs: SNAPSHOT_MIN_MS },
  vessels?: VesselPicture,
): (events: readonly StoredEvent[]) => void {
  const insert = db.prepare('INSERT OR REPLACE INTO picture_snapshots (seq, time, format, state) VALUES (?, ?, ?, ?)');
  const last = db.prepare('SELECT seq, time FROM picture_snapshots ORDER BY seq DESC LIMIT 1').get() as { seq: number; time: number } | undefined;
  let lastSeq = last?.seq ?? 0;
  let lastTime = last?.time ?? Number.NEGATIVE_INFINITY;
  return (events) => {
    const tail = events[events.length - 1];
    if (!tail) return;
    if (lastTime === Number.NEGATIVE_INFINITY) lastTime = events[0]!.time;
    if (tail.seq - lastSeq < every.events && tail.time - lastTime < every.ms) return;
    if (every.minMs !== undefined && tail.time - lastTime < every.minMs) return;
    insert.run(tail.seq, tail.time, SNAPSHOT_FORMAT, encodeState(captureState(picture, loadSectors(db), tail.seq, tail.time, vessels)));
    lastSeq = tail.seq;
    lastTime = tail.time;
  };
}

// Picture snapshots: the live picture's in-memory state after some event,
// serialized, so replay can start projecting from there instead of from
// event 1. The live core takes one in the append transaction every
// SNAPSHOT_EVERY_EVENTS events or SNAPSHOT_EVERY_MS of log time, at most one
// per SNAPSHOT_MIN_MS, and encodes and writes it once the block has
// committed (SnapshotTiming) into a cache table, `picture_snapshots` (schema
// version 5); replay restores one into a fresh LivePicture and applies the
// following events with the same projection code. A snapshot holds exactly what a restart would load from
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

/** When a due snapshot is encoded and written. */
export type SnapshotTiming =
  /** Inside the append transaction, before it commits: replay's tests, `vigie restore`, the centre's mirrors. */
  | 'in-transaction'
  /**
   * The live core: the state is captured inside the transaction (cheap), then
   * turned into JSON a slice of rows per turn of the event loop, deflated on
   * libuv's thread pool and written in its own statement after the block
   * has committed. At 10,000 tracks encoding inside the transaction held the
   * core's event loop 50–150 ms every 5 s — an alert arriving then waited
   * behind it (issue 17 item 3, docs/performance.md).
   */
  | 'after-commit';

/** The snapshot projector, and what the live core needs to drive an after-commit one. */
export interface SnapshotWriter {
  (events: readonly StoredEvent[]): void;
  /** Drops a snapshot captured in a transaction that was rolled back (the writer reloads the picture then). */
  cancel(): void;
  /** Resolves when no snapshot is being encoded or written. */
  settled(): Promise<void>;
}

/** Rows turned into JSON per turn of the event loop when encoding after commit: ~1–2 ms each. */
const ROWS_PER_SLICE = 1_000;

/**
 * A state whose rows may change after the capture, made safe to encode
 * later: tracks are replaced, never changed, by the picture (a new row per
 * update), so the list of rows is enough; ships get a copy per row (state()
 * makes one); everything else is few rows changed in place, so it is turned
 * into JSON now.
 */
interface CapturedState {
  seq: number;
  time: number;
  /** JSON of the state without its tracks and ships. */
  rest: string;
  tracks: readonly TrackRow[];
  vessels: readonly VesselState[] | undefined;
}

function capture(state: PictureState): CapturedState {
  const { tracks, vessels, ...rest } = state;
  return { seq: state.seq, time: state.time, rest: JSON.stringify(rest), tracks, vessels };
}

/** The JSON of a captured state, `rowsPerSlice` rows at a time, yielding the event loop between slices; null if cancelled. */
async function captureToJson(captured: CapturedState, rowsPerSlice: number, cancelled: () => boolean): Promise<string | null> {
  const list = async (rows: readonly unknown[]): Promise<string | null> => {
    const parts: string[] = [];
    for (let i = 0; i < rows.length; i += rowsPerSlice) {
      await new Promise((resolve) => setImmediate(resolve));
      if (cancelled()) return null;
      parts.push(JSON.stringify(rows.slice(i, i + rowsPerSlice)).slice(1, -1));
    }
    return `[${parts.join(',')}]`;
  };
  const tracks = await list(captured.tracks);
  const vessels = captured.vessels ? await list(captured.vessels) : undefined;
  if (tracks === null || vessels === null) return null;
  // `rest` is an object's JSON: its closing brace gives way to the two lists.
  return `${captured.rest.slice(0, -1)},"tracks":${tracks}${vessels !== undefined ? `,"vessels":${vessels}` : ''}}`;
}

/**
 * The live core's snapshot writer: a projector registered after the
 * picture's, so it sees the block already applied. In the transaction
 * (`in-transaction`) a snapshot never claims an event the log does not
 * hold; after commit, a snapshot captured in a block that was rolled back
 * is cancelled (the log writer reloads the projections then, which calls
 * cancel()), and one still being encoded when the database closes is
 * dropped — snapshots are a cache replay can do without.
 */
export function snapshotWriter(
  db: Db,
  picture: LivePicture,
  every: { events: number; ms: number; minMs?: number } = { events: SNAPSHOT_EVERY_EVENTS, ms: SNAPSHOT_EVERY_MS, minMs: SNAPSHOT_MIN_MS },
  vessels?: VesselPicture,
  timing: SnapshotTiming = 'in-transaction',
  rowsPerSlice = ROWS_PER_SLICE,
  /** Where a snapshot that could not be written after commit is reported (the core's log; stderr by default). */
  report: (message: string) => void = (message) => process.stderr.write(`${message}\n`),
): SnapshotWriter {
  const insert = db.prepare('INSERT OR REPLACE INTO picture_snapshots (seq, time, format, state) VALUES (?, ?, ?, ?)');
  const last = db.prepare('SELECT seq, time FROM picture_snapshots ORDER BY seq DESC LIMIT 1').get() as { seq: number; time: number } | undefined;
  let lastSeq = last?.seq ?? 0;
  let lastTime = last?.time ?? Number.NEGATIVE_INFINITY;
  /** The snapshot being encoded after commit, with the marks to go back to if it is cancelled. */
  let pending: { done: Promise<void>; cancelled: boolean; previous: { seq: number; time: number } } | undefined;

  const encodeAfterCommit = async (captured: CapturedState, job: NonNullable<typeof pending>): Promise<void> => {
    try {
      const json = await captureToJson(captured, rowsPerSlice, () => job.cancelled || !db.open);
      if (json === null) return;
      const bytes = await new Promise<Buffer>((resolve, reject) =>
        zlib.deflateRaw(json, { level: 1 }, (error, result) => (error ? reject(error) : resolve(result))),
      );
      if (job.cancelled || !db.open) return;
      insert.run(captured.seq, captured.time, SNAPSHOT_FORMAT, bytes);
    } catch (error) {
      // A snapshot that cannot be written is a cache entry missed, not a fault of the log; the next one is due as usual.
      report(`picture snapshot at seq ${captured.seq} not written: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (pending === job) pending = undefined;
    }
  };

  const write = (events: readonly StoredEvent[]): void => {
    const tail = events[events.length - 1];
    if (!tail) return;
    if (lastTime === Number.NEGATIVE_INFINITY) lastTime = events[0]!.time;
    if (tail.seq - lastSeq < every.events && tail.time - lastTime < every.ms) return;
    if (every.minMs !== undefined && tail.time - lastTime < every.minMs) return;
    // One at a time: a snapshot due while the last is still being encoded waits for the next block.
    if (pending) return;
    const state = captureState(picture, loadSectors(db), tail.seq, tail.time, vessels);
    if (timing === 'in-transaction') insert.run(tail.seq, tail.time, SNAPSHOT_FORMAT, encodeState(state));
    else {
      const job = { done: Promise.resolve(), cancelled: false, previous: { seq: lastSeq, time: lastTime } };
      pending = job;
      job.done = encodeAfterCommit(capture(state), job);
    }
    lastSeq = tail.seq;
    lastTime = tail.time;
  };
  return Object.assign(write, {
    cancel(): void {
      if (!pending) return;
      pending.cancelled = true;
      ({ seq: lastSeq, time: lastTime } = pending.previous);
      pending = undefined;
    },
    settled: async (): Promise<void> => {
      while (pending) await pending.done;
    },
  });
}

// Replay: the picture at any moment of any shift, rebuilt by the live
// projection code (LivePicture, the sector projector) over a private
// in-memory database, from the nearest snapshot at or before that moment
// plus the logged events after it. The log is read through its own
// read-only connection: replay cannot write to it.
//
// A cursor (one per console) keeps its picture between requests, so playing
// forward applies only the events since the last frame; seeking backwards or
// far ahead restores the best snapshot first — the live core's persisted ones
// (snapshots.ts), or ones the cursor kept in memory where the log has none
// (a log written before snapshots existed).
import type { Sector, SensorView, UnitView, TrackView, AlertView, IncidentView, RefusalReason, VesselView } from '../../../shared/contract';
import { Refusal } from '../refusal';
import { openMemoryDatabase, type Db } from '../db/database';
import { iterateEvents } from '../log/eventLog';
import type { StoredEvent } from '../log/hashChain';
import { LivePicture } from '../picture/livePicture';
import { VesselPicture } from '../picture/vesselPicture';
import { loadSectors, sectorProjector } from '../picture/sectors';
import { captureState, decodeState, restoreState, SNAPSHOT_EVERY_EVENTS, type PictureState } from './snapshots';

export interface ReplayPicture {
  sectors: Sector[];
  sensors: SensorView[];
  units: UnitView[];
  tracks: TrackView[];
  alerts: AlertView[];
  incidents: IncidentView[];
  vessels: VesselView[];
}

export interface CursorOptions {
  /** Events applied between two yields to the event loop (a seek never holds the live core for long). */
  chunk?: number;
  /** Where the log has no persisted snapshot, a cursor keeps one in memory this often (events). */
  memorySnapshotEvery?: number;
}
const MEMORY_SNAPSHOTS_MAX = 256;

/** A replay refused: no such shift, or a log that cannot be replayed there. */
export class ReplayError<R extends RefusalReason = RefusalReason> extends Refusal<R> {
  override name = 'ReplayError';
}

/** The log, read-only: shifts, times of events, snapshots, events. */
export class ReplaySource {
  private readonly statements;

  constructor(readonly db: Db) {
    this.statements = {
      head: db.prepare('SELECT max(last_seq) AS seq FROM log_blocks'),
      timeOf: db.prepare('SELECT time FROM events WHERE seq = ?'),
      snapshotAtOrBefore: db.prepare('SELECT seq, time, format, state FROM picture_snapshots WHERE seq <= ? ORDER BY seq DESC LIMIT 1'),
      snapshotSeqAtOrBefore: db.prepare('SELECT seq FROM picture_snapshots WHERE seq <= ? ORDER BY seq DESC LIMIT 1'),
    };
  }

  head(): number {
    return (this.statements.head.get() as { seq: number | null }).seq ?? 0;
  }

  timeOf(seq: number): number | undefined {
    return (this.statements.timeOf.get(seq) as { time: number } | undefined)?.time;
  }

  /**
   * The last event in [lo, hi] whose time is ≤ time (lo − 1 when none is):
   * a binary search on seq, as the core stamps events in order.
   */
  seqAtTime(time: number, lo: number, hi: number): number {
    let found = lo - 1;
    let a = lo;
    let b = hi;
    while (a <= b) {
      const mid = Math.floor((a + b) / 2);
      const t = this.timeOf(mid);
      if (t === undefined) throw new ReplayError('log-event-missing', { seq: mid }, `event ${mid} is missing from the log; run vigie verify`);
      if (t <= time) {
        found = mid;
        a = mid + 1;
      } else b = mid - 1;
    }
    return found;
  }

  snapshotAtOrBefore(seq: number): PictureState | undefined {
    const row = this.statements.snapshotAtOrBefore.get(seq) as { seq: number; time: number; format: number; state: Buffer } | undefined;
    return row ? decodeState(row.format, row.state) : undefined;
  }

  snapshotSeqAtOrBefore(seq: number): number {
    return (this.statements.snapshotSeqAtOrBefore.get(seq) as { seq: number } | undefined)?.seq ?? 0;
  }

  /** Up to `limit` events after `afterSeq`, up to `toSeq`. */
  events(afterSeq: number, toSeq: number, limit: number): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (const event of iterateEvents(this.db, { afterSeq })) {
      if (event.seq > toSeq) break;
      out.push(event);
      if (out.length >= limit) break;
    }
    return out;
  }
}

/** One console's replay: a picture at `seq`, moved forward or restored on demand. */
export class ReplayCursor {
  private db!: Db;
  private picture!: LivePicture;
  /** The ships heard on AIS, projected like the live core's (picture/vesselPicture.ts). */
  private vessels!: VesselPicture;
  private projectSectors!: (events: readonly StoredEvent[]) => void;
  /** The last event applied (0: none), and its time. */
  seq = 0;
  time = 0;
  private readonly memorySnapshots: PictureState[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  lastUsed = Date.now();

  private readonly chunk: number;
  private readonly memorySnapshotEvery: number;

  constructor(
    private readonly source: ReplaySource,
    options: CursorOptions = {},
  ) {
    this.chunk = options.chunk ?? 4096;
    this.memorySnapshotEvery = options.memorySnapshotEvery ?? SNAPSHOT_EVERY_EVENTS;
    this.reset();
  }

  /** Runs one request at a time on this cursor. */
  run<T>(task: () => Promise<T>): Promise<T> {
    this.lastUsed = Date.now();
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.db.close();
  }

  private reset(state?: PictureState): void {
    this.db?.close();
    this.db = openMemoryDatabase();
    this.picture = new LivePicture(this.db);
    this.vessels = new VesselPicture(this.db);
    this.projectSectors = sectorProjector(this.db);
    if (state) restoreState(this.picture, this.db, state, this.vessels);
    this.seq = state?.seq ?? 0;
    this.time = state?.time ?? 0;
  }

  /** Moves the picture to just after event `target` (0: before the first event). */
  async seek(target: number): Promise<void> {
    if (target < 0) throw new ReplayError('replay-before-log', {}, 'cannot seek before the log');
    // The best start: this cursor's own state when it is not past the target, else a snapshot.
    const persisted = this.source.snapshotSeqAtOrBefore(target);
    const memory = this.memorySnapshots
      .filter((s) => s.seq <= target)
      .reduce<PictureState | undefined>((best, s) => (!best || s.seq > best.seq ? s : best), undefined);
    const snapshotSeq = Math.max(persisted, memory?.seq ?? 0);
    if (this.seq > target || snapshotSeq > this.seq) {
      if (snapshotSeq === 0) this.reset();
      else this.reset(memory && memory.seq >= persisted ? memory : this.source.snapshotAtOrBefore(target));
    }
    await this.advance(target);
  }

  private async advance(target: number): Promise<void> {
    while (this.seq < target) {
      const events = this.source.events(this.seq, target, this.chunk);
      if (events.length === 0) throw new ReplayError('replay-past-log', { last: this.seq, target }, `the log ends at event ${this.seq}, before ${target}`);
      if (events[0]!.seq !== this.seq + 1)
        throw new ReplayError('log-event-missing', { seq: this.seq + 1 }, `event ${this.seq + 1} is missing from the log; run vigie verify`);
      try {
        this.projectSectors(events);
        this.picture.project(events);
        this.vessels.project(events);
      } catch (error) {
        const at = events[0]!.seq;
        this.reset();
        const to = events[events.length - 1]!.seq;
        const detail = error instanceof Error ? error.message : String(error);
        throw new ReplayError('log-unreplayable', { from: at, to, detail }, `events ${at}–${to} cannot be replayed (${detail}); run vigie verify`);
      }
      // What the live core does when it pushes a delta: forget closed incidents.
      this.picture.takeDelta();
      this.vessels.takeDelta();
      const last = events[events.length - 1]!;
      this.seq = last.seq;
      this.time = last.time;
      this.keepMemorySnapshot();
      if (this.seq < target) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private keepMemorySnapshot(): void {
    const newestKept = Math.max(this.source.snapshotSeqAtOrBefore(this.seq), ...this.memorySnapshots.map((s) => (s.seq <= this.seq ? s.seq : 0)));
    if (this.seq - newestKept < this.memorySnapshotEvery) return;
    this.memorySnapshots.push(structuredClone(captureState(this.picture, loadSectors(this.db), this.seq, this.time, this.vessels)));
    if (this.memorySnapshots.length > MEMORY_SNAPSHOTS_MAX) this.memorySnapshots.splice(1, 1);
  }

  view(): ReplayPicture {
    return { sectors: loadSectors(this.db), ...this.picture.snapshot(), vessels: this.vessels.list() };
  }

  /** The picture as a snapshot row holds it (an archive leaves one where the live log now starts). */
  state(): PictureState {
    return captureState(this.picture, loadSectors(this.db), this.seq, this.time, this.vessels);
  }
}

// The core's replay service: one read-only connection to the log, shared by
// every console's cursor; shifts, timelines, the picture at a moment, and the
// chain check. Nothing here writes to the data directory's database.
import type { ReplayChain, ReplayTimeline, ShiftView } from '../../../shared/contract';
import { Shifts } from '../accounts/shifts';
import type { Db } from '../db/database';
import { readLogBase } from '../log/eventLog';
import { verifyChainInSlices, type VerifyResult } from '../log/verify';
import { ReplayCursor, ReplayError, ReplaySource, type CursorOptions, type ReplayPicture } from './replayEngine';

/** A cursor unused this long is dropped (its console left or forgot to close it). */
const IDLE_MS = 15 * 60_000;
const MAX_CURSORS = 16;

export interface ShiftSpan {
  view: ShiftView;
  firstSeq: number;
  lastSeq: number;
  from: number;
  to: number;
}

export class ReplayService {
  private source: ReplaySource | undefined;
  private readonly cursors = new Map<string, ReplayCursor>();
  /** The chain check under way: consoles asking meanwhile share its answer. */
  private checking: Promise<VerifyResult> | undefined;
  private readonly closing = new AbortController();

  /** `openLog` opens the log read-only (called on first use). */
  constructor(
    private readonly openLog: () => Db,
    private readonly options: CursorOptions = {},
  ) {}

  private get log(): ReplaySource {
    return (this.source ??= new ReplaySource(this.openLog()));
  }

  shift(id: number): ShiftSpan {
    const view: ShiftView | null = new Shifts(this.log.db).get(id);
    if (!view) throw new ReplayError('shift-unknown', { shift: id }, `no shift ${id}`);
    // Its first events were moved to an archive file (vigie archive): this log cannot replay it.
    const base = readLogBase(this.log.db);
    if (view.firstSeq <= base.lastSeq)
      throw new ReplayError(
        'shift-archived',
        { shift: id, archive: base.archive ?? '' },
        `shift ${id} has been moved to an archive file (the latest is ${base.archive ?? ''}): open it on the console, or replay it with vigie replay --archive`,
      );
    const lastSeq = view.lastSeq ?? this.log.head();
    const to = view.closedAt ?? this.log.timeOf(lastSeq) ?? view.openedAt;
    return { view, firstSeq: view.firstSeq, lastSeq, from: view.openedAt, to: Math.max(to, view.openedAt) };
  }

  timeline(id: number, buckets: number): ReplayTimeline {
    const span = this.shift(id);
    const db = this.log.db;
    // Marks from the alerts projection (raised_seq is the alert.raised event's seq): no scan of the shift's events.
    const alerts = db
      .prepare('SELECT id, time, raised_seq AS seq, kind, severity FROM alerts WHERE raised_seq BETWEEN ? AND ? ORDER BY raised_seq')
      .all(span.firstSeq, span.lastSeq) as ReplayTimeline['alerts'];
    // Density from the block index (one row per commit): events per bucket by the block's first time.
    const bucketMs = Math.max(1, Math.ceil((span.to - span.from + 1) / buckets));
    const counts = new Array<number>(buckets).fill(0);
    const rows = db
      .prepare(
        `SELECT (max(first_time, ?) - ?) / ? AS b, sum(min(last_seq, ?) - max(first_seq, ?) + 1) AS n
           FROM log_blocks WHERE last_seq >= ? AND first_seq <= ? GROUP BY b`,
      )
      .all(span.from, span.from, bucketMs, span.lastSeq, span.firstSeq, span.firstSeq, span.lastSeq) as { b: number; n: number }[];
    for (const row of rows) counts[Math.min(buckets - 1, Math.max(0, Math.floor(row.b)))]! += row.n;
    return { shift: span.view, from: span.from, to: span.to, firstSeq: span.firstSeq, lastSeq: span.lastSeq, alerts, density: { bucketMs, counts } };
  }

  private cursor(key: string): ReplayCursor {
    const now = Date.now();
    for (const [k, c] of this.cursors) {
      if (now - c.lastUsed > IDLE_MS) this.drop(k);
      void c;
    }
    let cursor = this.cursors.get(key);
    if (!cursor) {
      if (this.cursors.size >= MAX_CURSORS) {
        const oldest = [...this.cursors.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0]!;
        this.drop(oldest[0]);
      }
      cursor = new ReplayCursor(this.log, this.options);
      this.cursors.set(key, cursor);
    }
    return cursor;
  }

  /** The picture at `time` (after every event logged then) or after event `seq`, clamped to the shift. */
  at(key: string, id: number, moment: { time?: number; seq?: number }): Promise<{ shift: number; time: number; seq: number; picture: ReplayPicture }> {
    const cursor = this.cursor(key);
    return cursor.run(async () => {
      const span = this.shift(id);
      let seq: number;
      let time: number;
      if (moment.seq !== undefined) {
        seq = Math.min(span.lastSeq, Math.max(span.firstSeq, moment.seq));
        time = this.log.timeOf(seq) ?? span.from;
      } else {
        time = Math.min(span.to, Math.max(span.from, moment.time!));
        seq = Math.max(span.firstSeq, this.log.seqAtTime(time, span.firstSeq, span.lastSeq));
      }
      await cursor.seek(seq);
      return { shift: id, time, seq, picture: cursor.view() };
    });
  }

  /**
   * Walks the whole log's chain (a broken shift is shown as broken). On a
   * connection of its own and in slices, so the live core is not held up:
   * at ~70,000 events/s a 5,000,000-event log takes over a minute.
   */
  async verify(id: number): Promise<ReplayChain> {
    const span = this.shift(id);
    const result = await (this.checking ??= this.walkChain().finally(() => (this.checking = undefined)));
    if (result.ok)
      return { ok: true, events: result.events, blocks: result.blocks, headHash: result.headHash, firstBadSeq: null, reason: null, affectsShift: false };
    return {
      ok: false,
      events: result.events,
      blocks: result.blocks,
      headHash: null,
      firstBadSeq: result.firstBadSeq,
      reason: result.reason,
      affectsShift: result.firstBadSeq <= span.lastSeq,
    };
  }

  private async walkChain(): Promise<VerifyResult> {
    const db = this.openLog();
    try {
      return await verifyChainInSlices(db, { signal: this.closing.signal });
    } finally {
      db.close();
    }
  }

  drop(key: string): boolean {
    const cursor = this.cursors.get(key);
    if (!cursor) return false;
    this.cursors.delete(key);
    cursor.close();
    return true;
  }

  close(): void {
    this.closing.abort(new ReplayError('core-stopping', {}, 'the core is stopping'));
    for (const key of [...this.cursors.keys()]) this.drop(key);
    this.source?.db.close();
    this.source = undefined;
  }
}

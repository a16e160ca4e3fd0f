// Appends events to the log, one hash-chained block per transaction, and
// lets projections update the picture inside that same transaction: what is
// committed and what the picture shows can never disagree.
import { encodeCanonical } from '../../../shared/canonicalJson';
import type { Clock } from '../../../shared/clock';
import type { LoggedEvent, LogStatus } from '../../../shared/contract';
import type { Db } from '../db/database';
import { GENESIS_HASH, blockHash, fingerprints, leafHash, type StoredEvent } from './hashChain';

export interface NewEvent {
  kind: string;
  source: string;
  operator?: string | null;
  payload: unknown;
  /** Received time; defaults to the log's clock. */
  time?: number;
}

export interface AppendedBlock {
  block: number;
  events: StoredEvent[];
  hash: Buffer;
}

/** Runs inside the append transaction; throwing rolls the whole block back. */
export type Projector = (events: readonly StoredEvent[]) => void;

// Long enough for `<protocol>:<64-character id>`.
const NAME_PATTERN = /^[a-z0-9][a-z0-9._:/-]{0,127}$/i;

export class EventLog {
  private readonly kindIds = new Map<string, number>();
  private readonly sourceIds = new Map<string, number>();
  private readonly projectors: Projector[] = [];
  private readonly listeners: ((block: AppendedBlock) => void)[] = [];
  private lastSeq: number;
  private lastBlock: number;
  private headHash: Buffer;
  private eventCount: number;

  private readonly insertEvent;
  private readonly insertBlock;
  private readonly insertKind;
  private readonly insertSource;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    for (const row of db.prepare('SELECT id, name FROM event_kinds').all() as { id: number; name: string }[]) {
      this.kindIds.set(row.name, row.id);
    }
    for (const row of db.prepare('SELECT id, name FROM event_sources').all() as { id: number; name: string }[]) {
      this.sourceIds.set(row.name, row.id);
    }
    const head = db.prepare('SELECT block, last_seq, hash FROM log_blocks ORDER BY block DESC LIMIT 1').get() as
      | { block: number; last_seq: number; hash: Buffer }
      | undefined;
    this.lastBlock = head?.block ?? 0;
    this.lastSeq = head?.last_seq ?? 0;
    this.headHash = head?.hash ?? GENESIS_HASH;
    this.eventCount = this.lastSeq;

    this.insertEvent = db.prepare('INSERT INTO events (seq, time, kind, source, operator, payload) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertBlock = db.prepare(
      `INSERT INTO log_blocks (block, first_seq, last_seq, first_time, last_time, prev_hash, hash, fingerprints)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertKind = db.prepare('INSERT INTO event_kinds (name) VALUES (?)');
    this.insertSource = db.prepare('INSERT INTO event_sources (name) VALUES (?)');
  }

  /** Projections run, in registration order, inside every append transaction. */
  addProjector(projector: Projector): void {
    this.projectors.push(projector);
  }

  /** Called after each committed block (outside the transaction). */
  onAppended(listener: (block: AppendedBlock) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Appends the events as one committed block. Returns it once durable in the WAL. */
  append(input: readonly NewEvent[]): AppendedBlock {
    if (input.length === 0) throw new Error('append needs at least one event');
    const prepared = input.map((event) => this.prepare(event));
    const commit = this.db.transaction((): AppendedBlock => {
      const stored: StoredEvent[] = [];
      const leaves: Buffer[] = [];
      let seq = this.lastSeq;
      for (const event of prepared) {
        seq += 1;
        const row: StoredEvent = { seq, ...event };
        this.insertEvent.run(seq, row.time, this.idOf('kind', row.kind), this.idOf('source', row.source), row.operator, row.payload);
        stored.push(row);
        leaves.push(leafHash(row));
      }
      const first = stored[0]!;
      const last = stored[stored.length - 1]!;
      const block = this.lastBlock + 1;
      const hash = blockHash(this.headHash, first.seq, last.seq, leaves);
      this.insertBlock.run(block, first.seq, last.seq, first.time, last.time, this.headHash, hash, fingerprints(leaves));
      for (const project of this.projectors) project(stored);
      return { block, events: stored, hash };
    });

    // Roll the in-memory id caches back if the transaction fails.
    const kindsBefore = new Set(this.kindIds.keys());
    const sourcesBefore = new Set(this.sourceIds.keys());
    let appended: AppendedBlock;
    try {
      appended = commit.immediate();
    } catch (error) {
      for (const name of [...this.kindIds.keys()]) if (!kindsBefore.has(name)) this.kindIds.delete(name);
      for (const name of [...this.sourceIds.keys()]) if (!sourcesBefore.has(name)) this.sourceIds.delete(name);
      throw error;
    }
    this.lastSeq = appended.events[appended.events.length - 1]!.seq;
    this.lastBlock = appended.block;
    this.headHash = appended.hash;
    this.eventCount += appended.events.length;
    for (const listener of this.listeners) listener(appended);
    return appended;
  }

  status(): LogStatus {
    return { events: this.eventCount, lastSeq: this.lastSeq, blocks: this.lastBlock, headHash: this.headHash.toString('hex') };
  }

  /** The newest events, oldest first. */
  tail(limit: number): LoggedEvent[] {
    const rows = readEvents(this.db, { afterSeq: Math.max(0, this.lastSeq - limit) });
    return rows.map(toLoggedEvent);
  }

  private prepare(event: NewEvent): Omit<StoredEvent, 'seq'> {
    if (!NAME_PATTERN.test(event.kind)) throw new Error(`invalid event kind ${JSON.stringify(event.kind)}`);
    if (!NAME_PATTERN.test(event.source)) throw new Error(`invalid event source ${JSON.stringify(event.source)}`);
    const operator = event.operator ?? null;
    if (operator !== null && /[\t\r\n]/.test(operator)) throw new Error('operator names cannot contain tabs or line breaks');
    const time = event.time ?? this.clock.now();
    if (!Number.isSafeInteger(time)) throw new Error(`invalid event time ${time}`);
    const { text, exact } = encodeCanonical(event.payload ?? null);
    // Projectors get the caller's object only when it reads back identically from the text (as replay will).
    return { time, kind: event.kind, source: event.source, operator, payload: text, value: exact ? (event.payload ?? null) : JSON.parse(text) };
  }

  private idOf(table: 'kind' | 'source', name: string): number {
    const cache = table === 'kind' ? this.kindIds : this.sourceIds;
    let id = cache.get(name);
    if (id === undefined) {
      id = Number((table === 'kind' ? this.insertKind : this.insertSource).run(name).lastInsertRowid);
      cache.set(name, id);
    }
    return id;
  }
}

export interface ReadRange {
  afterSeq?: number;
  fromTime?: number;
  toTime?: number;
}

/** Reads stored events in seq order, names resolved; iterates lazily for exports. */
export function* iterateEvents(db: Db, range: ReadRange = {}): Generator<StoredEvent> {
  const statement = db.prepare(
    `SELECT e.seq, e.time, k.name AS kind, s.name AS source, e.operator, e.payload
       FROM events e
       JOIN event_kinds k ON k.id = e.kind
       JOIN event_sources s ON s.id = e.source
      WHERE e.seq > ? AND e.time >= ? AND e.time <= ?
      ORDER BY e.seq`,
  );
  yield* statement.iterate(range.afterSeq ?? 0, range.fromTime ?? Number.MIN_SAFE_INTEGER, range.toTime ?? Number.MAX_SAFE_INTEGER) as Iterable<StoredEvent>;
}

export function readEvents(db: Db, range: ReadRange = {}): StoredEvent[] {
  return [...iterateEvents(db, range)];
}

export function toLoggedEvent(event: StoredEvent): LoggedEvent {
  return {
    seq: event.seq,
    time: event.time,
    kind: event.kind,
    source: event.source,
    operator: event.operator,
    payload: JSON.parse(event.payload) as unknown,
  };
}

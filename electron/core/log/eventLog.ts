// Appends events to the log, one hash-chained block per transaction, and
// lets projections update the picture inside that same transaction: what is
// committed and what the picture shows can never disagree.
import { encodeCanonical } from '../../../shared/canonicalJson';
import type { Clock } from '../../../shared/clock';
import type { LoggedEvent, LogStatus } from '../../../shared/contract';
import type Database from 'better-sqlite3';
import type { Db } from '../db/database';
import type { Hash } from 'node:crypto';
import { GENESIS_HASH, LEGACY_FINGERPRINT_BYTES, blockHash, fingerprints, growingBlockHash, growingBlockHasher, leafHash, type StoredEvent } from './hashChain';
import { PackedPayloadError, hasPackedLayout, packPayload, unpackPayload } from './packedPayload';

export interface NewEvent {
  kind: string;
  source: string;
  operator?: string | null;
  payload: unknown;
  /** Received time; defaults to the log's clock. */
  time?: number;
}

export interface AppendedBlock {
  /** The block these events went into: a new one, or the open block they extended. */
  block: number;
  events: StoredEvent[];
  /** The chain's head hash once they are in: the block's hash up to its last event. */
  hash: Buffer;
}

/** Runs inside the append transaction; throwing rolls the whole block back. */
export type Projector = (events: readonly StoredEvent[]) => void;

/**
 * A block stays open to later commits while they fall within this span of
 * its first event's time and it holds at most BLOCK_MAX_EVENTS: a quiet feed's
 * single-event commits then share one block row (one hash, one row header)
 * instead of one each. Every commit still rewrites the open block's hash and
 * fingerprints in the same transaction, so every committed event is covered.
 */
export const BLOCK_SPAN_MS = 2_000;
export const BLOCK_MAX_EVENTS = 1_024;

/** The newest block while later commits may still extend it (never one from a previous run). */
interface OpenBlock {
  block: number;
  firstSeq: number;
  firstTime: number;
  events: number;
  /** SHA-256 state over prev ‖ "first-" ‖ the leaves so far (hashChain.ts, growing format). */
  hasher: Hash;
  fingerprints: Buffer;
}

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
  private open: OpenBlock | undefined;

  /** Whether the schema has the `packed` column (version 4 on; tests may open older schemas). */
  private readonly packing: boolean;
  /** Block rows with prev_hash (before version 7): written as then, one block per commit, 8-byte fingerprints. */
  private readonly legacyBlocks: boolean;
  private readonly insertEvent;
  private readonly insertBlock;
  private readonly extendBlock;
  private readonly insertKind;
  private readonly insertSource;
  private readonly commit: Database.Transaction<(prepared: readonly StoredEvent[]) => AppendedBlock & { open: OpenBlock | undefined }>;

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
      { block: number; last_seq: number; hash: Buffer } | undefined;
    // With every block archived, the next one links to the archived head.
    const base = readLogBase(db);
    this.lastBlock = head?.block ?? base.block;
    this.lastSeq = head?.last_seq ?? base.lastSeq;
    this.headHash = head?.hash ?? base.hash;

    this.packing = hasPackedColumn(db);
    this.legacyBlocks = hasColumn(db, 'log_blocks', 'prev_hash');
    this.insertEvent = this.packing
      ? db.prepare('INSERT INTO events (seq, time, kind, source, operator, payload, packed) VALUES (?, ?, ?, ?, ?, ?, ?)')
      : db.prepare('INSERT INTO events (seq, time, kind, source, operator, payload) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertBlock = this.legacyBlocks
      ? db.prepare('INSERT INTO log_blocks (block, first_seq, last_seq, first_time, last_time, hash, fingerprints, prev_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      : db.prepare('INSERT INTO log_blocks (block, first_seq, last_seq, first_time, last_time, hash, fingerprints) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.extendBlock = db.prepare('UPDATE log_blocks SET last_seq = ?, last_time = ?, hash = ?, fingerprints = ? WHERE block = ?');
    this.insertKind = db.prepare('INSERT INTO event_kinds (name) VALUES (?)');
    this.insertSource = db.prepare('INSERT INTO event_sources (name) VALUES (?)');
    // The append transaction, made once: better-sqlite3's wrapper is not free to build per block.
    this.commit = db.transaction((prepared: readonly StoredEvent[]) => {
      const stored: StoredEvent[] = [];
      const leaves: Buffer[] = [];
      let seq = this.lastSeq;
      for (const row of prepared) {
        seq += 1;
        // The rows are append()'s own (made by prepare for this call): numbered in place.
        row.seq = seq;
        const kind = this.idOf('kind', row.kind);
        const source = this.idOf('source', row.source);
        // A packed row stores '' as its text: its bytes are the payload.
        if (this.packing) this.insertEvent.run(seq, row.time, kind, source, row.operator, row.packed ? '' : row.payload, row.packed ?? null);
        else this.insertEvent.run(seq, row.time, kind, source, row.operator, row.payload);
        stored.push(row);
        leaves.push(leafHash(row));
      }
      const first = stored[0]!;
      const last = stored[stored.length - 1]!;
      const open = this.open;
      let next: OpenBlock | undefined;
      let hash: Buffer;
      let block: number;
      if (this.legacyBlocks) {
        // A schema-5 database (tests build them): written as schema 5 wrote it, one whole block per commit, never extended.
        block = this.lastBlock + 1;
        hash = blockHash(this.headHash, first.seq, last.seq, leaves, 'whole');
        this.insertBlock.run(block, first.seq, last.seq, first.time, last.time, hash, fingerprints(leaves, LEGACY_FINGERPRINT_BYTES), this.headHash);
      } else if (
        open !== undefined &&
        open.events + leaves.length <= BLOCK_MAX_EVENTS &&
        first.time >= open.firstTime &&
        last.time - open.firstTime < BLOCK_SPAN_MS
      ) {
        // The running state is copied, so a rolled-back commit leaves the open block as it was.
        const hasher = open.hasher.copy();
        for (const leaf of leaves) hasher.update(leaf);
        next = { ...open, events: open.events + leaves.length, hasher, fingerprints: Buffer.concat([open.fingerprints, fingerprints(leaves)]) };
        hash = growingBlockHash(hasher, last.seq);
        block = next.block;
        this.extendBlock.run(last.seq, last.time, hash, next.fingerprints, block);
      } else {
        const hasher = growingBlockHasher(this.headHash, first.seq);
        for (const leaf of leaves) hasher.update(leaf);
        next = { block: this.lastBlock + 1, firstSeq: first.seq, firstTime: first.time, events: leaves.length, hasher, fingerprints: fingerprints(leaves) };
        hash = growingBlockHash(hasher, last.seq);
        block = next.block;
        this.insertBlock.run(block, first.seq, last.seq, first.time, last.time, hash, next.fingerprints);
      }
      for (const project of this.projectors) project(stored);
      return { block, events: stored, hash, open: next };
    });
  }

  /** Projections run, in registration order, inside every append transaction. */
  addProjector(projector: Projector): void {
    this.projectors.push(projector);
  }

  /** Called after each commit (outside the transaction), with the block it went into and the head hash after it. */
  onAppended(listener: (block: AppendedBlock) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Appends the events as one commit (a new block, or the open one extended). Returns it once durable in the WAL. */
  append(input: readonly NewEvent[]): AppendedBlock {
    if (input.length === 0) throw new Error('append needs at least one event');
    const prepared = input.map((event) => this.prepare(event));
    // Roll the in-memory id caches back if the transaction fails: names are
    // only ever added, and a Map iterates in insertion order, so the new ones are the last.
    const kindsBefore = this.kindIds.size;
    const sourcesBefore = this.sourceIds.size;
    let appended: AppendedBlock & { open: OpenBlock | undefined };
    try {
      appended = this.commit.immediate(prepared);
    } catch (error) {
      for (const name of [...this.kindIds.keys()].slice(kindsBefore)) this.kindIds.delete(name);
      for (const name of [...this.sourceIds.keys()].slice(sourcesBefore)) this.sourceIds.delete(name);
      throw error;
    }
    this.lastSeq = appended.events[appended.events.length - 1]!.seq;
    this.lastBlock = appended.block;
    this.headHash = appended.hash;
    this.open = appended.open;
    const block: AppendedBlock = { block: appended.block, events: appended.events, hash: appended.hash };
    for (const listener of this.listeners) listener(block);
    return block;
  }

  status(): LogStatus {
    // The live log's events: those before the base are in an archive (it may have moved since start).
    return { events: this.lastSeq - readLogBase(this.db).lastSeq, lastSeq: this.lastSeq, blocks: this.lastBlock, headHash: this.headHash.toString('hex') };
  }

  /** The newest events, oldest first. */
  tail(limit: number): LoggedEvent[] {
    const rows = readEvents(this.db, { afterSeq: Math.max(0, this.lastSeq - limit) });
    return rows.map(toLoggedEvent);
  }

  /** The row an event becomes (its seq is set when it is committed). */
  private prepare(event: NewEvent): StoredEvent {
    if (!NAME_PATTERN.test(event.kind)) throw new Error(`invalid event kind ${JSON.stringify(event.kind)}`);
    if (!NAME_PATTERN.test(event.source)) throw new Error(`invalid event source ${JSON.stringify(event.source)}`);
    const operator = event.operator ?? null;
    if (operator !== null && /[\t\r\n]/.test(operator)) throw new Error('operator names cannot contain tabs or line breaks');
    const time = event.time ?? this.clock.now();
    if (!Number.isSafeInteger(time)) throw new Error(`invalid event time ${time}`);
    // The position events (most of a feed's) pack straight from the caller's object; the rest, and any that does not fit, go through the canonical text.
    const direct = this.packing ? packDirect(event.kind, event.source, time, event.payload) : undefined;
    if (direct) return new PackedRow(time, event.kind, event.source, operator, direct.packed, direct.value);
    const { text, exact } = encodeCanonical(event.payload ?? null);
    // Projectors get the caller's object only when it reads back identically from the text (as replay will).
    const value: unknown = exact ? (event.payload ?? null) : JSON.parse(text);
    const packed = this.packing ? packExactly(event.kind, event.source, time, value) : undefined;
    return { seq: 0, time, kind: event.kind, source: event.source, operator, payload: text, packed, value };
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

/**
 * The packed bytes of a position event, only when unpacking them gives back
 * exactly its canonical JSON text — so a packed row always reads back as the
 * very payload that was appended, and what the live projections saw is what
 * replay will see. Anything that does not fit stays JSON.
 */
function packExactly(kind: string, source: string, time: number, value: unknown): Buffer | undefined {
  if (!hasPackedLayout(kind)) return undefined;
  const packed = packPayload(kind, source, time, value);
  if (!packed) return undefined;
  return readsBackAs(unpackPayload(kind, source, time, packed), value) ? packed : undefined;
}

/**
 * A payload packed as it was given, without writing its canonical text
 * first: when it is a plain object whose packed bytes unpack to the same
 * members in the same order (readsBackAs), its canonical text is the
 * unpacked object's JSON — keys in layout order, which is key order — so the
 * bytes are those packExactly would store from the text. Projectors get the
 * unpacked object: exactly what replay reads back. Undefined: take the
 * canonical path (which also refuses what JSON cannot carry).
 */
function packDirect(kind: string, source: string, time: number, payload: unknown): { packed: Buffer; value: Record<string, unknown> } | undefined {
  if (!hasPackedLayout(kind) || payload === null || typeof payload !== 'object' || Object.getPrototypeOf(payload) !== Object.prototype) return undefined;
  const packed = packPayload(kind, source, time, payload);
  if (!packed) return undefined;
  const value = unpackPayload(kind, source, time, packed);
  return readsBackAs(value, payload) ? { packed, value } : undefined;
}

/**
 * A packed row as appended. Its text is only what its bytes unpack to
 * (readableEvent writes the same), and nothing on the append path needs it
 * (the row stores '' and its leaf hashes the bytes): written out when read.
 * A class, not a literal with an accessor: this is made once per position.
 */
class PackedRow implements StoredEvent {
  seq = 0;
  private text: string | undefined = undefined;

  constructor(
    public time: number,
    public kind: string,
    public source: string,
    public operator: string | null,
    public packed: Buffer,
    public value: Record<string, unknown>,
  ) {}

  get payload(): string {
    return (this.text ??= JSON.stringify(this.value));
  }

  set payload(text: string) {
    this.text = text;
  }
}

/**
 * Whether JSON.stringify(unpacked) is JSON.stringify(value) — `value` being
 * what the row's canonical text encodes — without writing either out (the
 * profile of the feed bench had that comparison at a tenth of the main
 * thread): the same members in the same order, each strictly equal. A packed
 * layout only ever unpacks to a flat object of strings and numbers, and
 * strictly equal primitives stringify alike (0 and -0 both as 0); an object
 * member never compares equal, so anything unusual is left as JSON.
 */
function readsBackAs(unpacked: Record<string, unknown>, value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  let expected = 0;
  for (const key in unpacked) if (unpacked[key] !== undefined) expected += 1;
  let seen = 0;
  let next: string | undefined;
  const keys = Object.keys(unpacked);
  let at = 0;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const member = record[key];
    // What JSON.stringify leaves out of an object.
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    do next = keys[at++];
    while (next !== undefined && unpacked[next] === undefined);
    if (next !== key || unpacked[key] !== member) return false;
    seen += 1;
  }
  return seen === expected;
}

const packedColumn = new WeakMap<Db, boolean>();

/** Whether this database's events table has the `packed` column (schema version 4 and later). */
export function hasPackedColumn(db: Db): boolean {
  let has = packedColumn.get(db);
  if (has === undefined) {
    has = hasColumn(db, 'events', 'packed');
    packedColumn.set(db, has);
  }
  return has;
}

function hasColumn(db: Db, table: string, column: string): boolean {
  return (db.prepare('SELECT count(*) AS n FROM pragma_table_info(?) WHERE name = ?').get(table, column) as { n: number }).n > 0;
}

/** Where the live log starts: after the last archived block, or at genesis. */
export interface LogBase {
  block: number;
  lastSeq: number;
  lastTime: number | null;
  hash: Buffer;
  /** The archive file holding the blocks before it (its name when it was written). */
  archive: string | null;
}

export const GENESIS_BASE: LogBase = { block: 0, lastSeq: 0, lastTime: null, hash: GENESIS_HASH, archive: null };

const baseTable = new WeakMap<Db, boolean>();

/** The log's base (schema 7 on; GENESIS_BASE before, or when nothing was archived). */
export function readLogBase(db: Db): LogBase {
  let has = baseTable.get(db);
  if (has === undefined) {
    has = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'log_base'").get() !== undefined;
    baseTable.set(db, has);
  }
  if (!has) return GENESIS_BASE;
  const row = db.prepare('SELECT block, last_seq, last_time, hash, archive FROM log_base WHERE id = 1').get() as
    { block: number; last_seq: number; last_time: number; hash: Buffer; archive: string } | undefined;
  return row ? { block: row.block, lastSeq: row.last_seq, lastTime: row.last_time, hash: row.hash, archive: row.archive } : GENESIS_BASE;
}

/**
 * The hash block `block` had when `throughSeq` was its last event: since
 * schema 7 a block grows commit by commit, and a signed head (keys/) or an
 * evidence file may name it as it stood then. Undefined if the block does not
 * hold that seq. A block ending there answers from its row; an earlier point
 * is recomputed from the block's link and its events' leaves.
 */
export function blockHashThrough(db: Db, block: number, throughSeq: number): Buffer | undefined {
  const row = db.prepare('SELECT first_seq, last_seq, hash FROM log_blocks WHERE block = ?').get(block) as
    { first_seq: number; last_seq: number; hash: Buffer } | undefined;
  if (!row || throughSeq < row.first_seq || throughSeq > row.last_seq) return undefined;
  if (throughSeq === row.last_seq) return row.hash;
  const base = readLogBase(db);
  const before = db.prepare('SELECT hash FROM log_blocks WHERE block = ?').get(block - 1) as { hash: Buffer } | undefined;
  const prevHash = before?.hash ?? (block === base.block + 1 ? base.hash : undefined);
  if (!prevHash) return undefined;
  const hasher = growingBlockHasher(prevHash, row.first_seq);
  for (const event of iterateStoredRows(db, { afterSeq: row.first_seq - 1 })) {
    if (event.seq > throughSeq) break;
    hasher.update(leafHash(event));
  }
  return growingBlockHash(hasher, throughSeq);
}

export class UnreadableEventError extends Error {
  constructor(
    readonly seq: number,
    reason: string,
  ) {
    super(`event ${seq} cannot be read (${reason}); run vigie verify`);
    this.name = 'UnreadableEventError';
  }
}

/**
 * Why a stored row's form is wrong, or undefined when it is right: a JSON
 * row has non-empty text that does not start with a control character and no
 * packed bytes; a packed row has '' as its text and bytes that unpack as its
 * kind's layout. Together with the leaf hash (which hashes a packed row's
 * bytes, not its text) this pins down both columns (see hashChain.ts).
 */
export function malformedRow(row: StoredEvent): string | undefined {
  if (row.packed === null || row.packed === undefined) {
    if (row.payload.length === 0) return 'no payload';
    if (row.payload.charCodeAt(0) < 0x20) return 'payload text starts with a control character';
    return undefined;
  }
  if (row.payload !== '') return 'both a packed payload and payload text';
  try {
    unpackPayload(row.kind, row.source, row.time, row.packed);
  } catch (error) {
    if (error instanceof PackedPayloadError) return error.message;
    throw error;
  }
  return undefined;
}

export interface ReadRange {
  afterSeq?: number;
  fromTime?: number;
  toTime?: number;
}

/**
 * Reads stored rows in seq order, names resolved, exactly as stored: a packed
 * row has '' as its payload and its bytes in `packed`. For hashing (verify);
 * everything else wants iterateEvents. Rows at or before the archived base
 * are never read: they are in the archive (an interrupted archive may not
 * have removed them all yet).
 */
export function* iterateStoredRows(db: Db, range: ReadRange = {}): Generator<StoredEvent> {
  const afterSeq = Math.max(range.afterSeq ?? 0, readLogBase(db).lastSeq);
  const statement = db.prepare(
    `SELECT e.seq, e.time, k.name AS kind, s.name AS source, e.operator, e.payload${hasPackedColumn(db) ? ', e.packed' : ''}
       FROM events e
       JOIN event_kinds k ON k.id = e.kind
       JOIN event_sources s ON s.id = e.source
      WHERE e.seq > ? AND e.time >= ? AND e.time <= ?
      ORDER BY e.seq`,
  );
  yield* statement.iterate(afterSeq, range.fromTime ?? Number.MIN_SAFE_INTEGER, range.toTime ?? Number.MAX_SAFE_INTEGER) as Iterable<StoredEvent>;
}

/**
 * Reads events in seq order, names resolved, payloads as canonical JSON text
 * (packed rows unpacked, with `packed` kept so leafHash still hashes what is
 * stored); iterates lazily for exports. Throws UnreadableEventError on a row
 * that cannot be unpacked.
 */
export function* iterateEvents(db: Db, range: ReadRange = {}): Generator<StoredEvent> {
  for (const row of iterateStoredRows(db, range)) yield readableEvent(row);
}

/**
 * A stored row made readable, in place: a packed row's bytes unpacked into
 * `payload` (canonical JSON text) and `value`, `packed` kept so leafHash still
 * hashes what is stored; a JSON row as it is. Throws UnreadableEventError on a
 * row that cannot be unpacked.
 */
export function readableEvent(row: StoredEvent): StoredEvent {
  if (row.packed === null || row.packed === undefined) return row;
  if (row.payload !== '') throw new UnreadableEventError(row.seq, 'both a packed payload and payload text');
  let value: Record<string, unknown>;
  try {
    value = unpackPayload(row.kind, row.source, row.time, row.packed);
  } catch (error) {
    if (error instanceof PackedPayloadError) throw new UnreadableEventError(row.seq, error.message);
    throw error;
  }
  row.payload = JSON.stringify(value);
  row.value = value;
  return row;
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

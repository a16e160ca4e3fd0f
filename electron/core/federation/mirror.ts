// A post's log rebuilt, row for row, from what its stream delivers (the
// centre's per-post mirror, and `vigie restore`): every event as the post
// stored it, every block row as the post's block stood, each checked before
// it is written — its events' leaves, the block's hash, its link to the block
// before. A mirror is an ordinary Vigie database, so `vigie export` and
// `vigie verify` read it as they read the post's own. What does not check
// out is never written and never papered over: it is raised as a
// MirrorProblem (a gap, a break or a fork) at the first seq concerned. At the
// centre the core's projections run on each block's events in the same
// transaction, so the mirror holds the post's picture as the post does.
import type { Hash } from 'node:crypto';
import type { Db } from '../db/database';
import { blockHashThrough, iterateStoredRows, readLogBase, readableEvent, type Projector } from '../log/eventLog';
import {
  FINGERPRINT_BYTES,
  LEGACY_FINGERPRINT_BYTES,
  blockHash,
  fingerprintWidth,
  fingerprints,
  growingBlockHash,
  growingBlockHasher,
  leafHash,
  type StoredEvent,
} from '../log/hashChain';
import { projectAll } from '../picture/projections';
import type { BlockMessage } from './wire';

/**
 * gap: something the chain needs never arrived (events or blocks missing from
 * the stream); break: what arrived does not hash to what the post said;
 * fork: the stream carries a different log under the post's name (an event or
 * block the mirror already holds, with other content).
 */
export type MirrorProblemKind = 'gap' | 'break' | 'fork';

export class MirrorProblem extends Error {
  constructor(
    readonly kind: MirrorProblemKind,
    readonly seq: number,
    detail: string,
  ) {
    super(detail);
    this.name = 'MirrorProblem';
  }
}

interface OpenBlock {
  block: number;
  firstSeq: number;
  firstTime: number;
  hasher: Hash;
  fingerprints: Buffer;
}

/** The core's projections (picture/projections.ts createProjections), run on the mirror's events as they are written. */
export interface MirrorProjections {
  projectors: readonly Projector[];
  /** After a rolled-back write: what is in memory read again from the tables. */
  reload(): void;
}

/**
 * Beside the log, not in the post's schema: the last seq the projections have
 * run on. A mirror made before the centre projected has none, so its picture
 * is projected from its log when it is opened.
 */
const PROJECTED_TABLE = 'centre_projected';

interface Pending {
  event: StoredEvent;
  leaf: Buffer;
}

export class MirrorLog {
  private lastSeq: number;
  private lastBlock: number;
  private headHash: Buffer;
  private open: OpenBlock | undefined;
  /** Events received after the mirror's last seq, contiguous, waiting for their block message. */
  private readonly pending = new Map<number, Pending>();
  private readonly kindIds = new Map<string, number>();
  private readonly sourceIds = new Map<string, number>();
  private readonly insertEvent;
  private readonly insertBlock;
  private readonly extendBlock;
  private readonly write;

  constructor(
    private readonly db: Db,
    private readonly projections?: MirrorProjections,
  ) {
    for (const row of db.prepare('SELECT id, name FROM event_kinds').all() as { id: number; name: string }[]) this.kindIds.set(row.name, row.id);
    for (const row of db.prepare('SELECT id, name FROM event_sources').all() as { id: number; name: string }[]) this.sourceIds.set(row.name, row.id);
    const base = readLogBase(db);
    const head = db.prepare('SELECT block, first_seq, last_seq, first_time, hash, fingerprints FROM log_blocks ORDER BY block DESC LIMIT 1').get() as
      { block: number; first_seq: number; last_seq: number; first_time: number; hash: Buffer; fingerprints: Buffer } | undefined;
    this.lastSeq = head?.last_seq ?? base.lastSeq;
    this.lastBlock = head?.block ?? base.block;
    this.headHash = head?.hash ?? base.hash;
    if (head && fingerprintWidth(head.fingerprints.length, head.last_seq - head.first_seq + 1) === FINGERPRINT_BYTES) {
      // The post may still extend its newest block: take up its running hash from the block before it and its leaves.
      const before = db.prepare('SELECT hash FROM log_blocks WHERE block = ?').get(head.block - 1) as { hash: Buffer } | undefined;
      const prev = before?.hash ?? (head.block === base.block + 1 ? base.hash : undefined);
      if (prev) {
        const hasher = growingBlockHasher(prev, head.first_seq);
        for (const event of iterateStoredRows(db, { afterSeq: head.first_seq - 1 })) {
          if (event.seq > head.last_seq) break;
          hasher.update(leafHash(event));
        }
        this.open = { block: head.block, firstSeq: head.first_seq, firstTime: head.first_time, hasher, fingerprints: head.fingerprints };
      }
    }
    this.insertEvent = db.prepare('INSERT INTO events (seq, time, kind, source, operator, payload, packed) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insertBlock = db.prepare(
      'INSERT INTO log_blocks (block, first_seq, last_seq, first_time, last_time, hash, fingerprints) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.extendBlock = db.prepare('UPDATE log_blocks SET last_seq = ?, last_time = ?, hash = ?, fingerprints = ? WHERE block = ?');
    let markProjected: ((seq: number) => void) | undefined;
    if (projections) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${PROJECTED_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL)`);
      const mark = db.prepare(`INSERT INTO ${PROJECTED_TABLE} (id, seq) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq`);
      markProjected = (seq) => mark.run(seq);
      const projected = (db.prepare(`SELECT seq FROM ${PROJECTED_TABLE} WHERE id = 1`).get() as { seq: number } | undefined)?.seq ?? 0;
      if (projected < this.lastSeq) {
        projectAll(db, projections.projectors, projected, markProjected);
        projections.reload();
      }
    }
    this.write = db.transaction((events: readonly StoredEvent[], block: { block: number; extend: boolean; row: unknown[] }) => {
      for (const event of events) {
        this.insertEvent.run(
          event.seq,
          event.time,
          this.idOf('kind', event.kind),
          this.idOf('source', event.source),
          event.operator,
          event.packed ? '' : event.payload,
          event.packed ?? null,
        );
      }
      if (block.extend) this.extendBlock.run(...block.row);
      else this.insertBlock.run(...block.row);
      if (projections) {
        // Projectors read payloads: a packed row's copy unpacked (the stored event stays as it came).
        const readable = events.map((event) => readableEvent({ ...event }));
        for (const project of projections.projectors) project(readable);
        markProjected!(events[events.length - 1]!.seq);
      }
    });
  }

  head(): { lastSeq: number; lastBlock: number; headHash: string; pending: number } {
    return { lastSeq: this.lastSeq, lastBlock: this.lastBlock, headHash: this.headHash.toString('hex'), pending: this.pending.size };
  }

  /** An event from the stream: kept until its block message comes, or recognised as one already held. */
  receiveEvent(event: StoredEvent): 'pending' | 'duplicate' {
    const leaf = leafHash(event);
    if (event.seq <= this.lastSeq) {
      const held = this.heldLeaf(event.seq);
      if (held && held.equals(leaf)) return 'duplicate';
      throw new MirrorProblem(
        'fork',
        event.seq,
        `event ${event.seq} on the stream differs from the one already mirrored: the post's log was replaced, or another post publishes under its name`,
      );
    }
    const waiting = this.pending.get(event.seq);
    if (waiting) {
      if (waiting.leaf.equals(leaf)) return 'duplicate';
      throw new MirrorProblem('fork', event.seq, `the stream carries two different events ${event.seq}: two logs are published under this post's name`);
    }
    const expected = this.lastSeq + this.pending.size + 1;
    if (event.seq !== expected)
      throw new MirrorProblem('gap', expected, `events ${expected}–${event.seq - 1} are missing from the stream (event ${event.seq} came next)`);
    this.pending.set(event.seq, { event, leaf });
    return 'pending';
  }

  /** A block message: its waiting events checked against it and written with it, in one transaction. Returns how many events were written. */
  receiveBlock(message: BlockMessage): number {
    const hash = Buffer.from(message.hash, 'hex');
    if (message.lastSeq <= this.lastSeq) {
      // Already mirrored: it must be the same block as held.
      const held = blockHashThrough(this.db, message.block, message.lastSeq);
      if (held?.equals(hash)) return 0;
      throw new MirrorProblem(
        'fork',
        message.firstSeq,
        `block ${message.block} through seq ${message.lastSeq} on the stream differs from the one already mirrored: the post's log was replaced, or another post publishes under its name`,
      );
    }
    const events: StoredEvent[] = [];
    const leaves: Buffer[] = [];
    for (let seq = this.lastSeq + 1; seq <= message.lastSeq; seq++) {
      const waiting = this.pending.get(seq);
      if (!waiting)
        throw new MirrorProblem('gap', seq, `block ${message.block} through seq ${message.lastSeq} came, but event ${seq} is missing from the stream`);
      events.push(waiting.event);
      leaves.push(waiting.leaf);
    }
    const first = events[0]!;
    const last = events[events.length - 1]!;
    let computed: Buffer;
    let next: OpenBlock | undefined;
    let row: unknown[];
    let extend = false;
    if (this.open && message.block === this.open.block && message.firstSeq === this.open.firstSeq && !message.whole) {
      const hasher = this.open.hasher.copy();
      for (const leaf of leaves) hasher.update(leaf);
      computed = growingBlockHash(hasher, message.lastSeq);
      next = { ...this.open, hasher, fingerprints: Buffer.concat([this.open.fingerprints, fingerprints(leaves)]) };
      row = [message.lastSeq, last.time, hash, next.fingerprints, message.block];
      extend = true;
    } else if (message.block === this.lastBlock + 1 && message.firstSeq === this.lastSeq + 1) {
      if (message.whole) {
        computed = blockHash(this.headHash, message.firstSeq, message.lastSeq, leaves, 'whole');
        row = [message.block, message.firstSeq, message.lastSeq, first.time, last.time, hash, fingerprints(leaves, LEGACY_FINGERPRINT_BYTES)];
      } else {
        const hasher = growingBlockHasher(this.headHash, message.firstSeq);
        for (const leaf of leaves) hasher.update(leaf);
        computed = growingBlockHash(hasher, message.lastSeq);
        next = { block: message.block, firstSeq: message.firstSeq, firstTime: first.time, hasher, fingerprints: fingerprints(leaves) };
        row = [message.block, message.firstSeq, message.lastSeq, first.time, last.time, hash, next.fingerprints];
      }
    } else if (message.block > this.lastBlock + 1) {
      throw new MirrorProblem(
        'gap',
        this.lastSeq + 1,
        `blocks ${this.lastBlock + 1}–${message.block - 1} are missing from the stream (block ${message.block} came next)`,
      );
    } else {
      throw new MirrorProblem(
        'break',
        this.lastSeq + 1,
        `block ${message.block} (seq ${message.firstSeq}–${message.lastSeq}) does not follow the mirrored block ${this.lastBlock} (ending at seq ${this.lastSeq})`,
      );
    }
    if (!computed.equals(hash))
      throw new MirrorProblem(
        'break',
        message.firstSeq,
        `block ${message.block} through seq ${message.lastSeq}: the events received do not give the hash the post sent (an event was altered in transit or on the server, or the chain before it differs)`,
      );
    try {
      this.write(events, { block: message.block, extend, row });
    } catch (error) {
      // Names first seen in a rolled-back transaction have no row: forget their ids.
      this.kindIds.clear();
      this.sourceIds.clear();
      for (const r of this.db.prepare('SELECT id, name FROM event_kinds').all() as { id: number; name: string }[]) this.kindIds.set(r.name, r.id);
      for (const r of this.db.prepare('SELECT id, name FROM event_sources').all() as { id: number; name: string }[]) this.sourceIds.set(r.name, r.id);
      this.projections?.reload();
      throw error;
    }
    for (const event of events) this.pending.delete(event.seq);
    this.lastSeq = message.lastSeq;
    this.lastBlock = message.block;
    this.headHash = hash;
    this.open = next;
    return events.length;
  }

  private heldLeaf(seq: number): Buffer | undefined {
    for (const event of iterateStoredRows(this.db, { afterSeq: seq - 1 })) return event.seq === seq ? leafHash(event) : undefined;
    return undefined;
  }

  private idOf(table: 'kind' | 'source', name: string): number {
    const cache = table === 'kind' ? this.kindIds : this.sourceIds;
    let id = cache.get(name);
    if (id === undefined) {
      id = Number(this.db.prepare(`INSERT INTO event_${table === 'kind' ? 'kinds' : 'sources'} (name) VALUES (?)`).run(name).lastInsertRowid);
      cache.set(name, id);
    }
    return id;
  }
}

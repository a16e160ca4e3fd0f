// Walks the whole hash chain and reports the first broken link: which block,
// and, where the fingerprints allow, which event row. Leaves are hashed over
// the rows exactly as stored (a packed row's bytes, not its unpacked JSON),
// and every row's form is checked too, so no byte of either payload column
// can change unnoticed. The walk starts at the log's base: genesis, or the
// head of the blocks moved to an archive file (whose hash the base keeps).
// This is the one place the chain is checked: a data directory, an archive
// file (archive.ts opens it as a database of the same shape) and a reported
// head (chainHeadAt) all go through it.
import type { Db } from '../db/database';
import { blockHash, blockHashFormat, fingerprintWidth, leafHash, type StoredEvent } from './hashChain';
import { iterateStoredRows, malformedRow, readLogBase } from './eventLog';

export type VerifyResult =
  | { ok: true; events: number; blocks: number; headHash: string; base: { block: number; lastSeq: number; hash: string } }
  | { ok: false; events: number; blocks: number; firstBadSeq: number; reason: string };

interface BlockRow {
  block: number;
  first_seq: number;
  last_seq: number;
  hash: Buffer;
  fingerprints: Buffer;
}

/** Walks the whole chain at once (vigie verify, tests). */
export function verifyChain(db: Db): VerifyResult {
  const steps = walkSteps(db);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same walk, in slices of about `sliceMs` with the event loop given back
 * in between: a live core keeps taking feeds and serving consoles while a
 * log of millions of events is checked (a minute or more). `db` must be a
 * connection of its own: the walk keeps a read transaction and a statement
 * open across the pauses.
 */
export async function verifyChainInSlices(db: Db, options: { sliceMs?: number; signal?: AbortSignal } = {}): Promise<VerifyResult> {
  const sliceMs = options.sliceMs ?? 8;
  const steps = walkSteps(db);
  try {
    let sliceStart = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (performance.now() - sliceStart >= sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        options.signal?.throwIfAborted();
        sliceStart = performance.now();
      }
    }
  } finally {
    // Stopped early (aborted): the walk's statement and read transaction end here.
    steps.return(undefined as never);
  }
}

/** Events between two chances to pause. */
const STEP_EVENTS = 256;
/** Blocks read at a time: a log holds one per commit, hundreds of thousands of them. */
const BLOCK_PAGE = 2_000;

/**
 * The walk as a generator that yields every STEP_EVENTS events. Everything
 * is read in one read transaction: a writer committing meanwhile cannot make
 * an event appear that the blocks read earlier do not cover.
 */
function* walkSteps(db: Db): Generator<void, VerifyResult> {
  const ownTransaction = !db.inTransaction;
  if (ownTransaction) db.exec('BEGIN');
  let open: Iterator<StoredEvent> | undefined;
  // Events from `afterSeq` on, in seq order; the connection runs nothing else while one is open.
  const eventsAfter = (afterSeq: number): Iterator<StoredEvent> => {
    open?.return?.(undefined);
    return (open = iterateStoredRows(db, { afterSeq })[Symbol.iterator]());
  };
  try {
    return yield* walk(db, eventsAfter);
  } finally {
    // An early answer leaves a statement open; close it so the connection is free.
    open?.return?.(undefined);
    if (ownTransaction) db.exec('COMMIT');
  }
}

function* walk(db: Db, eventsAfter: (seq: number) => Iterator<StoredEvent>): Generator<void, VerifyResult> {
  const blockPage = db.prepare('SELECT block, first_seq, last_seq, hash, fingerprints FROM log_blocks WHERE block > ? ORDER BY block LIMIT ?');
  const base = readLogBase(db);
  let expectedBlock = base.block + 1;
  let expectedSeq = base.lastSeq + 1;
  let prevHash: Buffer = base.hash;
  let checkedEvents = 0;
  let checkedBlocks = 0;
  let walked = 0;
  const fail = (firstBadSeq: number, reason: string): VerifyResult => ({ ok: false, events: checkedEvents, blocks: checkedBlocks, firstBadSeq, reason });

  for (let afterBlock = base.block; ;) {
    // A page of blocks, then their events streamed (the page is read before the events' statement opens).
    const blocks = blockPage.all(afterBlock, BLOCK_PAGE) as BlockRow[];
    if (blocks.length === 0) break;
    afterBlock = blocks[blocks.length - 1]!.block;
    const events = eventsAfter(expectedSeq - 1);
    let pending = events.next();
    for (const block of blocks) {
      if (block.block !== expectedBlock) return fail(expectedSeq, `block ${expectedBlock} is missing (found block ${block.block})`);
      if (block.first_seq !== expectedSeq) return fail(expectedSeq, `block ${block.block} starts at seq ${block.first_seq}, expected ${expectedSeq}`);
      if (block.last_seq < block.first_seq) return fail(block.first_seq, `block ${block.block} has an empty range`);
      const width = fingerprintWidth(block.fingerprints.length, block.last_seq - block.first_seq + 1);
      if (width === undefined) return fail(block.first_seq, `block ${block.block} has fingerprints of the wrong length`);

      const leaves: Buffer[] = [];
      let firstBad: { seq: number; reason: string } | undefined;
      for (let seq = block.first_seq; seq <= block.last_seq; seq++) {
        if (pending.done || pending.value.seq > seq) return fail(seq, `event ${seq} is missing`);
        const event: StoredEvent = pending.value;
        if (event.seq < seq) return fail(event.seq, `event ${event.seq} appears out of order`);
        const leaf = leafHash(event);
        const offset = (seq - block.first_seq) * width;
        const stored = block.fingerprints.subarray(offset, offset + width);
        if (firstBad === undefined && !leaf.subarray(0, width).equals(stored)) firstBad = { seq, reason: `event ${seq} does not match its recorded hash` };
        if (firstBad === undefined) {
          const malformed = malformedRow(event);
          if (malformed !== undefined) firstBad = { seq, reason: `event ${seq} is malformed: ${malformed}` };
        }
        leaves.push(leaf);
        pending = events.next();
        if (++walked % STEP_EVENTS === 0) yield;
      }
      const recomputed = blockHash(prevHash, block.first_seq, block.last_seq, leaves, blockHashFormat(width));
      if (!recomputed.equals(block.hash) || firstBad !== undefined) {
        // The hash covers the block before it too: a wrong link and a changed row look alike here.
        return fail(firstBad?.seq ?? block.first_seq, firstBad?.reason ?? `block ${block.block} hash does not match its events (or the block before it)`);
      }
      checkedEvents += leaves.length;
      checkedBlocks += 1;
      prevHash = block.hash;
      expectedBlock += 1;
      expectedSeq = block.last_seq + 1;
    }
    yield;
  }
  const beyond = eventsAfter(expectedSeq - 1).next();
  if (!beyond.done) return fail(beyond.value.seq, `event ${beyond.value.seq} is not covered by any block`);
  return {
    ok: true,
    events: checkedEvents,
    blocks: checkedBlocks,
    headHash: prevHash.toString('hex'),
    base: { block: base.block, lastSeq: base.lastSeq, hash: base.hash.toString('hex') },
  };
}

/**
 * The chain's head hash as it was when `seq` was the last event: the hash of
 * seq's block over its events up to seq (a block is extended by later
 * commits, so a head reported then is a prefix of the row now). Checks a
 * reported or signed head against the log; it trusts the rows and the
 * previous block's stored hash, so run verifyChain for the whole proof.
 * Undefined when seq is not in the live log.
 */
export function chainHeadAt(db: Db, seq: number): { block: number; hash: string } | undefined {
  const base = readLogBase(db);
  if (seq === base.lastSeq) return { block: base.block, hash: base.hash.toString('hex') };
  const block = db
    .prepare('SELECT block, first_seq, last_seq, length(fingerprints) AS fp FROM log_blocks WHERE first_seq <= ? AND last_seq >= ?')
    .get(seq, seq) as { block: number; first_seq: number; last_seq: number; fp: number } | undefined;
  if (!block) return undefined;
  const previous = db.prepare('SELECT hash FROM log_blocks WHERE block = ?').get(block.block - 1) as { hash: Buffer } | undefined;
  const prevHash = previous?.hash ?? (block.block === base.block + 1 ? base.hash : undefined);
  if (!prevHash) return undefined;
  const leaves: Buffer[] = [];
  for (const event of iterateStoredRows(db, { afterSeq: block.first_seq - 1 })) {
    if (event.seq > seq) break;
    leaves.push(leafHash(event));
  }
  const width = fingerprintWidth(block.fp, block.last_seq - block.first_seq + 1);
  if (width === undefined) return undefined;
  return { block: block.block, hash: blockHash(prevHash, block.first_seq, seq, leaves, blockHashFormat(width)).toString('hex') };
}

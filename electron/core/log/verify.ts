// Walks the whole hash chain and reports the first broken link: which block,
// and, where the fingerprints allow, which event row. Leaves are hashed over
// the rows exactly as stored (a packed row's bytes, not its unpacked JSON),
// and every row's form is checked too, so no byte of either payload column
// can change unnoticed.
import type { Db } from '../db/database';
import { FINGERPRINT_BYTES, GENESIS_HASH, blockHash, leafHash, type StoredEvent } from './hashChain';
import { iterateStoredRows, malformedRow } from './eventLog';

export type VerifyResult =
  | { ok: true; events: number; blocks: number; headHash: string }
  | { ok: false; events: number; blocks: number; firstBadSeq: number; reason: string };

interface BlockRow {
  block: number;
  first_seq: number;
  last_seq: number;
  prev_hash: Buffer;
  hash: Buffer;
  fingerprints: Buffer;
}

export function verifyChain(db: Db): VerifyResult {
  const events = iterateStoredRows(db)[Symbol.iterator]();
  try {
    return walk(db, events);
  } finally {
    // An early answer leaves the statement open; close it so the connection is free.
    events.return?.(undefined);
  }
}

function walk(db: Db, eventIterator: Iterator<StoredEvent>): VerifyResult {
  // Blocks are few (one per commit) so they are read whole; events stream.
  const blocks = db.prepare('SELECT block, first_seq, last_seq, prev_hash, hash, fingerprints FROM log_blocks ORDER BY block').all() as BlockRow[];
  let pending = eventIterator.next();
  let expectedBlock = 1;
  let expectedSeq = 1;
  let prevHash: Buffer = GENESIS_HASH;
  let checkedEvents = 0;
  let checkedBlocks = 0;
  const fail = (firstBadSeq: number, reason: string): VerifyResult => ({ ok: false, events: checkedEvents, blocks: checkedBlocks, firstBadSeq, reason });

  for (const block of blocks) {
    if (block.block !== expectedBlock) return fail(expectedSeq, `block ${expectedBlock} is missing (found block ${block.block})`);
    if (block.first_seq !== expectedSeq) return fail(expectedSeq, `block ${block.block} starts at seq ${block.first_seq}, expected ${expectedSeq}`);
    if (block.last_seq < block.first_seq) return fail(block.first_seq, `block ${block.block} has an empty range`);
    if (!block.prev_hash.equals(prevHash)) return fail(block.first_seq, `block ${block.block} does not link to the block before it`);

    const leaves: Buffer[] = [];
    let firstBad: { seq: number; reason: string } | undefined;
    for (let seq = block.first_seq; seq <= block.last_seq; seq++) {
      if (pending.done || pending.value.seq > seq) return fail(seq, `event ${seq} is missing`);
      const event: StoredEvent = pending.value;
      if (event.seq < seq) return fail(event.seq, `event ${event.seq} appears out of order`);
      const leaf = leafHash(event);
      const offset = (seq - block.first_seq) * FINGERPRINT_BYTES;
      const stored = block.fingerprints.subarray(offset, offset + FINGERPRINT_BYTES);
      if (firstBad === undefined && !leaf.subarray(0, FINGERPRINT_BYTES).equals(stored)) firstBad = { seq, reason: `event ${seq} does not match its recorded hash` };
      if (firstBad === undefined) {
        const malformed = malformedRow(event);
        if (malformed !== undefined) firstBad = { seq, reason: `event ${seq} is malformed: ${malformed}` };
      }
      leaves.push(leaf);
      pending = eventIterator.next();
    }
    const recomputed = blockHash(prevHash, block.first_seq, block.last_seq, leaves);
    if (!recomputed.equals(block.hash) || firstBad !== undefined) {
      return fail(firstBad?.seq ?? block.first_seq, firstBad?.reason ?? `block ${block.block} hash does not match its events`);
    }
    checkedEvents += leaves.length;
    checkedBlocks += 1;
    prevHash = block.hash;
    expectedBlock += 1;
    expectedSeq = block.last_seq + 1;
  }
  if (!pending.done) return fail(pending.value.seq, `event ${pending.value.seq} is not covered by any block`);
  return { ok: true, events: checkedEvents, blocks: checkedBlocks, headHash: prevHash.toString('hex') };
}

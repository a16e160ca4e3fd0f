// The hash chain over the event log. Each event has a leaf hash over an
// unambiguous encoding of its stored fields; each committed block hashes the
// previous block's hash plus its leaves. Editing, deleting or reordering any
// row therefore breaks its block, and every later block's prev_hash link.
import { createHash, hash } from 'node:crypto';

export const GENESIS_HASH = Buffer.alloc(32);
export const FINGERPRINT_BYTES = 8;

export interface StoredEvent {
  seq: number;
  time: number;
  kind: string;
  source: string;
  operator: string | null;
  /** Canonical JSON text exactly as stored. */
  payload: string;
  /** The payload as appended, when it is at hand (saves projectors a JSON.parse); never hashed. */
  value?: unknown;
}

/** SHA-256 of `seq \t time \t kind \t source \t operator \t payload`. Kind, source and operator never contain tabs or newlines (validated on append); the payload comes last. */
export function leafHash(event: StoredEvent): Buffer {
  // One-shot hash: noticeably cheaper than a Hash object per event.
  return hash('sha256', `${event.seq}\t${event.time}\t${event.kind}\t${event.source}\t${event.operator ?? ''}\t${event.payload}`, 'buffer');
}

export function blockHash(prevHash: Buffer, firstSeq: number, lastSeq: number, leaves: readonly Buffer[]): Buffer {
  const hash = createHash('sha256').update(prevHash).update(`${firstSeq}-${lastSeq}`);
  for (const leaf of leaves) hash.update(leaf);
  return hash.digest();
}

export function fingerprints(leaves: readonly Buffer[]): Buffer {
  return Buffer.concat(leaves.map((leaf) => leaf.subarray(0, FINGERPRINT_BYTES)));
}

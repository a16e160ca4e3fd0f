// The hash chain over the event log. Each event has a leaf hash over an
// unambiguous encoding of its stored fields; each block hashes the previous
// block's hash, its seq range and its leaves. Editing, deleting or reordering
// any row therefore breaks its block's hash, and every later block's (each
// hash includes the one before). docs/events.md describes the format.
import { createHash, hash, type Hash } from 'node:crypto';

export const GENESIS_HASH = Buffer.alloc(32);
/**
 * Bytes of each leaf kept in a block row, so verify can name the row that was
 * changed (the block hash is the proof; these only point at the culprit, wrong
 * by chance once in 65,536). Blocks written before schema 7 keep 8.
 */
export const FINGERPRINT_BYTES = 2;
export const LEGACY_FINGERPRINT_BYTES = 8;

export interface StoredEvent {
  seq: number;
  time: number;
  kind: string;
  source: string;
  operator: string | null;
  /**
   * The payload as canonical JSON text: exactly as stored for a JSON row; for
   * a packed row, the text its bytes unpack to (the stored text column is '').
   */
  payload: string;
  /** A packed row's stored bytes (packedPayload.ts): they, not `payload`, are what is hashed. */
  packed?: Buffer | null;
  /** The payload as an object, when it is at hand (saves projectors a JSON.parse); never hashed. */
  value?: unknown;
}

/** Where a packed row's hashed bytes are assembled (hashing is synchronous). */
let leafScratch = Buffer.allocUnsafe(512);

/**
 * SHA-256 of `seq \t time \t kind \t source \t operator \t ` followed by the
 * stored payload: the canonical JSON text of a JSON row, or the packed bytes
 * of a packed row (which start with a byte below 0x20, one canonical JSON
 * never contains, so the two can never encode alike). Kind, source and
 * operator never contain tabs or newlines (validated on append); the payload
 * comes last. JSON rows hash exactly as they did before packing existed.
 */
export function leafHash(event: StoredEvent): Buffer {
  const prefix = `${event.seq}\t${event.time}\t${event.kind}\t${event.source}\t${event.operator ?? ''}\t`;
  // One-shot hash: noticeably cheaper than a Hash object per event.
  if (event.packed) {
    const bytes = Buffer.byteLength(prefix) + event.packed.length;
    if (bytes > leafScratch.length) leafScratch = Buffer.allocUnsafe(bytes * 2);
    const at = leafScratch.write(prefix);
    event.packed.copy(leafScratch, at);
    return hash('sha256', leafScratch.subarray(0, bytes), 'buffer');
  }
  return hash('sha256', prefix + event.payload, 'buffer');
}

/**
 * How a block's hash is laid out. `whole` (blocks before schema 7, hashed
 * once): SHA-256(prev ‖ "first-last" ‖ leaves). `growing` (schema 7 on: a
 * block extended by each commit): SHA-256(prev ‖ "first-" ‖ leaves ‖
 * "-last"), so the writer keeps the hash state of prev and the leaves so far
 * and each commit hashes only its own leaves. The fingerprint width says
 * which (8 bytes: whole, 2: growing).
 */
export type BlockHashFormat = 'whole' | 'growing';

export function blockHashFormat(fingerprintWidth: number): BlockHashFormat {
  return fingerprintWidth === LEGACY_FINGERPRINT_BYTES ? 'whole' : 'growing';
}

export function blockHash(prevHash: Buffer, firstSeq: number, lastSeq: number, leaves: readonly Buffer[], format: BlockHashFormat = 'growing'): Buffer {
  if (format === 'whole') {
    const hash = createHash('sha256').update(prevHash).update(`${firstSeq}-${lastSeq}`);
    for (const leaf of leaves) hash.update(leaf);
    return hash.digest();
  }
  const hasher = growingBlockHasher(prevHash, firstSeq);
  for (const leaf of leaves) hasher.update(leaf);
  return growingBlockHash(hasher, lastSeq);
}

/** The running state of a growing block: prev and its first seq; feed it the leaves as they come. */
export function growingBlockHasher(prevHash: Buffer, firstSeq: number): Hash {
  return createHash('sha256').update(prevHash).update(`${firstSeq}-`);
}

/** The block's hash as it stands with `lastSeq` its last event (the running state is left as it was). */
export function growingBlockHash(hasher: Hash, lastSeq: number): Buffer {
  return hasher.copy().update(`-${lastSeq}`).digest();
}

export function fingerprints(leaves: readonly Buffer[], width = FINGERPRINT_BYTES): Buffer {
  const out = Buffer.allocUnsafe(leaves.length * width);
  for (let i = 0; i < leaves.length; i++) leaves[i]!.copy(out, i * width, 0, width);
  return out;
}

/** How many bytes of each leaf a block row keeps (2, or 8 before schema 7); undefined if its length fits neither. */
export function fingerprintWidth(fingerprintBytes: number, events: number): number | undefined {
  if (fingerprintBytes === events * FINGERPRINT_BYTES) return FINGERPRINT_BYTES;
  if (fingerprintBytes === events * LEGACY_FINGERPRINT_BYTES) return LEGACY_FINGERPRINT_BYTES;
  return undefined;
}

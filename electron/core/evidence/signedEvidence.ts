// Evidence files that say who vouches for them: the chain of an incident or a
// shift is extended to a head the post signed (keys/signedHeads.ts), and the
// file carries that signature with the key that made it. The first signed
// head logged at or after the file's last block is used (one comes at every
// shift close and every few minutes), the chain cut at the seq it signed; an export newer than the last logged
// signature is signed at export time with the post's key, when the export
// runs where the key is (the core, or `vigie export` on the post).
import type { Db } from '../db/database';
import type { EventPayloads } from '../log/eventCatalogue';
import { fingerprintOf, headSignatureValid, shortFingerprint, signHead, type PostKey, type SignedHead } from '../keys/postKey';
import { HEAD_SIGNED, POST_KEY } from '../keys/signedHeads';
import { buildEvidence, type EvidenceFile, type EvidenceScope, type EvidenceSignature } from './evidence';

type HeadSigned = EventPayloads['head.signed'];

/** The first head signed at or after event `seq` (a signature logged after it), as logged. */
function signatureFrom(db: Db, seq: number): { payload: HeadSigned; time: number } | undefined {
  const rows = db
    .prepare(
      `SELECT e.time AS time, e.payload AS payload FROM events e JOIN event_kinds k ON k.id = e.kind
       WHERE k.name = '${HEAD_SIGNED}' AND e.seq > ? ORDER BY e.seq`,
    )
    .iterate(seq) as IterableIterator<{ time: number; payload: string }>;
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as HeadSigned;
    if (payload.seq >= seq) {
      rows.return?.();
      return { payload, time: row.time };
    }
  }
  return undefined;
}

/** The post's name as the log last announced it (for a signature made at export or archive time). */
export function postName(db: Db): string {
  const row = db
    .prepare(
      `SELECT e.payload AS payload FROM events e JOIN event_kinds k ON k.id = e.kind WHERE k.name IN ('${POST_KEY}', '${HEAD_SIGNED}') ORDER BY e.seq DESC LIMIT 1`,
    )
    .get() as { payload: string } | undefined;
  return row ? (JSON.parse(row.payload) as { post: string }).post : 'unnamed post';
}

/** Builds the evidence file of `scope`, its chain carried on to a signed head. Unsigned only when no signature exists and no key is at hand. */
export function buildSignedEvidence(db: Db, scope: EvidenceScope, options: { key?: PostKey; now?: number } = {}): EvidenceFile {
  const now = options.now ?? Date.now();
  const draft = buildEvidence(db, scope, now);
  const lastEvent = draft.events.at(-1)!.seq;
  const logged = signatureFrom(db, lastEvent);
  if (logged) {
    const { payload } = logged;
    // The chain ends exactly at the signed head: a block may have grown past it since.
    const evidence = buildEvidence(db, scope, now, { throughSeq: payload.seq });
    const signature: EvidenceSignature = {
      post: payload.post,
      block: payload.block,
      seq: payload.seq,
      hash: payload.hash,
      pub: payload.pub,
      fingerprint: fingerprintOf(payload.pub),
      sig: payload.sig,
      at: logged.time,
      why: payload.why,
    };
    return { signature, ...evidence };
  }
  if (!options.key) return draft;
  const head = db.prepare('SELECT block, last_seq, hash FROM log_blocks ORDER BY block DESC LIMIT 1').get() as {
    block: number;
    last_seq: number;
    hash: Buffer;
  };
  const evidence = head.last_seq === draft.chain.at(-1)!.lastSeq ? draft : buildEvidence(db, scope, now, { throughSeq: head.last_seq });
  const signature = signNow(options.key, { post: postName(db), block: head.block, seq: head.last_seq, hash: head.hash.toString('hex') }, now, 'export');
  return { signature, ...evidence };
}

/** A signature made here and now with the post's key (not one the log holds). */
export function signNow(key: PostKey, head: SignedHead, at: number, why: string): EvidenceSignature {
  return { ...head, pub: key.publicKey, fingerprint: key.fingerprint, sig: signHead(key, head), at, why };
}

export type SignatureCheck =
  { signed: false } | { signed: true; post: string; fingerprint: string; block: number; at: number; why: string } | { signed: 'broken'; reason: string };

/**
 * Checks an evidence file's signature, once its chain has checked out
 * (verifyEvidence): the signed block is the last block of the file's chain,
 * with that hash and last event; the signature verifies with the key the file
 * carries; the fingerprint is that key's. `expectedKey` (a fingerprint, whole
 * or its start) insists on one post's key.
 */
export function checkEvidenceSignature(file: EvidenceFile, expectedKey?: string): SignatureCheck {
  return checkHeadSignature(file.signature, file.chain.at(-1)!, expectedKey);
}

/**
 * The check itself, for anything that ends at a block and may carry the post's
 * signature of it: an evidence file's chain, an archive's head (archive/archive.ts).
 */
export function checkHeadSignature(
  signature: EvidenceSignature | undefined,
  end: { block: number; lastSeq: number; hash: string },
  expectedKey?: string,
): SignatureCheck {
  if (signature === undefined)
    return expectedKey ? { signed: 'broken', reason: `the file is not signed, and key ${expectedKey} was required` } : { signed: false };
  const broken = (reason: string): SignatureCheck => ({ signed: 'broken', reason });
  if (typeof signature !== 'object' || signature === null || typeof signature.pub !== 'string' || typeof signature.sig !== 'string')
    return broken('the signature is malformed');
  let fingerprint: string;
  try {
    fingerprint = fingerprintOf(signature.pub);
  } catch {
    return broken('the signature names a key that is not an Ed25519 public key');
  }
  if (signature.fingerprint !== fingerprint)
    return broken(`the signature names key ${shortFingerprint(signature.fingerprint)} but carries key ${shortFingerprint(fingerprint)}: altered`);
  if (end.block !== signature.block || end.lastSeq !== signature.seq || end.hash !== signature.hash)
    return broken(`the signed head (block ${signature.block}) is not where the file's chain ends (block ${end.block}): altered`);
  if (!headSignatureValid(signature.pub, signature, signature.sig))
    return broken(
      `the head signature does not verify with key ${shortFingerprint(fingerprint)}: the file was altered after it was signed, or the signature is forged`,
    );
  if (expectedKey !== undefined) {
    const wanted = expectedKey.startsWith('ed25519:') ? expectedKey : `ed25519:${expectedKey}`;
    if (!fingerprint.startsWith(wanted.toLowerCase())) return broken(`signed by key ${fingerprint}, not by the expected key ${expectedKey}`);
  }
  return { signed: true, post: signature.post, fingerprint, block: signature.block, at: signature.at, why: signature.why };
}

// Signed heads: the running core signs its chain head with the post's key
// (postKey.ts) every few minutes while the log moves, at every shift close
// and at its stop, and logs each signature as a `head.signed` event; the
// key itself is announced once by a `post.key` event (and again after a
// rotation, endorsed by the retired key). `vigie verify --data` checks every
// signature against the block it names; evidence files carry the signature
// of a head at or after their last block (evidence/signedEvidence.ts).
//
// The signatures live in the log as ordinary events, outside the chain's own
// format: the chain (hashChain.ts, log_blocks) is untouched by them.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database';
import { logEvent, type EventPayloads, type LogEvent } from '../log/eventCatalogue';
import { blockHashThrough, readLogBase, type AppendedBlock } from '../log/eventLog';
import type { Logger } from '../logger';
import {
  endorsementValid,
  fingerprintOf,
  headSignatureValid,
  keysDir,
  readRotation,
  ROTATION_FILE,
  shortFingerprint,
  signHead,
  type PostKey,
  type SignedHead,
} from './postKey';

export const HEAD_SIGNED = 'head.signed';
export const POST_KEY = 'post.key';
export const KEY_SOURCE = 'core';

type HeadSignedPayload = EventPayloads['head.signed'];
type PostKeyPayload = EventPayloads['post.key'];

/** The newest `post.key` or `head.signed` event (searched from the end: signatures come every few minutes). */
function latestKeyEvent(db: Db): { seq: number; kind: string; payload: PostKeyPayload | HeadSignedPayload } | undefined {
  const row = db
    .prepare(
      `SELECT e.seq AS seq, k.name AS kind, e.payload AS payload FROM events e JOIN event_kinds k ON k.id = e.kind
       WHERE k.name IN ('${POST_KEY}', '${HEAD_SIGNED}') ORDER BY e.seq DESC LIMIT 1`,
    )
    .get() as { seq: number; kind: string; payload: string } | undefined;
  return row ? { seq: row.seq, kind: row.kind, payload: JSON.parse(row.payload) as PostKeyPayload | HeadSignedPayload } : undefined;
}

export interface HeadSignerOptions {
  db: Db;
  dataDir: string;
  key: PostKey;
  /** The post's name (the site file's), signed with every head. */
  post: string;
  /** The log's current head (EventLog.status()). */
  head: () => { blocks: number; lastSeq: number; headHash: string };
  /** Appends through the core's one writer. */
  append: (events: readonly LogEvent<'head.signed' | 'post.key'>[]) => void;
  onAppended: (listener: (block: AppendedBlock) => void) => () => void;
  logger: Logger;
  /** How often the head is signed while the log moves (default 5 minutes). */
  everyMs?: number;
}

export class HeadSigner {
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe = () => {};
  /** The seq of the last signature logged: a head that moved only by that signature's own event is not signed again. */
  private lastSignatureSeq = 0;

  constructor(private readonly options: HeadSignerOptions) {}

  /** Announces the key if the log does not know it yet, then signs as the log moves. */
  start(): void {
    const { db, key, post, dataDir } = this.options;
    const latest = latestKeyEvent(db);
    if (latest?.kind === HEAD_SIGNED) this.lastSignatureSeq = latest.seq;
    if (latest?.payload.pub !== key.publicKey) {
      const rotation = readRotation(dataDir);
      const payload: PostKeyPayload = { post, pub: key.publicKey };
      if (rotation && rotation.previous !== key.publicKey) {
        payload.prev = rotation.previous;
        if (rotation.endorsement) payload.endorsement = rotation.endorsement;
      }
      this.options.append([logEvent('post.key', KEY_SOURCE, payload)]);
      fs.rmSync(path.join(keysDir(dataDir), ROTATION_FILE), { force: true });
      this.options.logger.info(`post key ${key.fingerprint} logged${payload.prev ? ` (replacing ${fingerprintOf(payload.prev)})` : ''}`);
    }
    this.timer = setInterval(() => this.sign('periodic'), this.options.everyMs ?? 5 * 60_000);
    this.timer.unref();
    // A closed shift is signed at once: its evidence then needs no blocks after it.
    this.unsubscribe = this.options.onAppended((block) => {
      if (block.events.some((event) => event.kind === 'shift.closed')) setImmediate(() => this.sign('shift-close'));
    });
  }

  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe();
  }

  /** Signs the current head and logs it; false when nothing but the last signature was appended since it. */
  sign(why: HeadSignedPayload['why']): boolean {
    const head = this.options.head();
    if (head.blocks === 0 || head.lastSeq <= this.lastSignatureSeq) return false;
    const signed: SignedHead = { post: this.options.post, block: head.blocks, seq: head.lastSeq, hash: head.headHash };
    try {
      this.options.append([logEvent('head.signed', KEY_SOURCE, { ...signed, pub: this.options.key.publicKey, sig: signHead(this.options.key, signed), why })]);
      this.lastSignatureSeq = this.options.head().lastSeq;
      return true;
    } catch (error) {
      // The log cannot take it now (full disk): the next turn signs the head as it will be then.
      this.options.logger.warn(`head not signed (${error instanceof Error ? error.message : String(error)})`);
      return false;
    }
  }
}

export interface SignedHeadsReport {
  ok: boolean;
  /** Why not, naming the event. */
  problem?: string;
  signatures: number;
  keys: { fingerprint: string; post: string; heads: number; endorsed: boolean | null }[];
  last?: { block: number; seq: number; time: number; fingerprint: string };
}

/**
 * Checks every signed head of a log: each signature verifies with the key
 * it names; that key was announced by an earlier `post.key` (a rotated key
 * endorsed by its predecessor when the log says so); the block it names
 * exists, holds the event it says, and had the hash that was signed when
 * that event was its last.
 */
export function checkSignedHeads(db: Db): SignedHeadsReport {
  // Events and blocks before the base are in an archive (docs/archive.md), which proves them.
  const base = readLogBase(db);
  const rows = db
    .prepare(
      `SELECT e.seq AS seq, e.time AS time, k.name AS kind, e.payload AS payload FROM events e JOIN event_kinds k ON k.id = e.kind
       WHERE k.name IN ('${POST_KEY}', '${HEAD_SIGNED}') AND e.seq > ? ORDER BY e.seq`,
    )
    .all(base.lastSeq) as { seq: number; time: number; kind: string; payload: string }[];
  const keys = new Map<string, SignedHeadsReport['keys'][number]>();
  const report: SignedHeadsReport = { ok: true, signatures: 0, keys: [] };
  const fail = (problem: string): SignedHeadsReport => ({ ...report, ok: false, problem, keys: [...keys.values()] });
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as PostKeyPayload | HeadSignedPayload;
    if (row.kind === POST_KEY) {
      const announced = payload as PostKeyPayload;
      let fingerprint: string;
      try {
        fingerprint = fingerprintOf(announced.pub);
      } catch {
        return fail(`the post key announced at seq ${row.seq} is not an Ed25519 public key`);
      }
      let endorsed: boolean | null = null;
      if (announced.prev !== undefined) {
        endorsed = announced.endorsement !== undefined && endorsementValid(announced.prev, announced.pub, announced.endorsement);
        if (announced.endorsement !== undefined && !endorsed)
          return fail(`the post key announced at seq ${row.seq} carries an endorsement that the previous key did not sign (forged)`);
      }
      keys.set(announced.pub, { fingerprint, post: announced.post, heads: 0, endorsed });
      continue;
    }
    const signed = payload as HeadSignedPayload;
    const key = keys.get(signed.pub);
    const fingerprint = (() => {
      try {
        return fingerprintOf(signed.pub);
      } catch {
        return 'an unreadable key';
      }
    })();
    if (!key) return fail(`the head signed at seq ${row.seq} names key ${shortFingerprint(fingerprint)}, which no post.key event before it announced`);
    if (!headSignatureValid(signed.pub, signed, signed.sig))
      return fail(
        `the signature of head block ${signed.block} (logged at seq ${row.seq}) does not verify with key ${shortFingerprint(fingerprint)}: forged or altered`,
      );
    // The block as it stood at the signed seq (a block grows after its head is signed);
    // a block before the base is in an archive: only the base itself can be compared here.
    const archived = signed.block <= base.block;
    if (archived && !(signed.block === base.block && signed.seq === base.lastSeq)) continue;
    const hash = archived ? base.hash : blockHashThrough(db, signed.block, signed.seq);
    if (hash?.toString('hex') !== signed.hash)
      return fail(`block ${signed.block} is not the block the post signed at seq ${row.seq}: the log was rewritten after it was signed`);
    key.heads += 1;
    report.signatures += 1;
    report.last = { block: signed.block, seq: signed.seq, time: row.time, fingerprint };
  }
  return { ...report, keys: [...keys.values()] };
}

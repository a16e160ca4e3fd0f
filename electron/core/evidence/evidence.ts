// Evidence files: one incident or one shift, exported with the hash-chain
// proof that its events are the ones the post logged, so `vigie verify FILE`
// can check it on another machine with nothing but the file.
//
// The file carries the events of the scope exactly as stored (a packed row's
// bytes too, with its decoded payload beside them), and the contiguous run
// of blocks from the first block holding one of them to the last: for every
// block its range, previous hash and hash, and the leaf hash of each event of
// the block that is NOT in the file. The verifier recomputes each included
// event's leaf, each block's hash from its leaves, and each link from one
// block to the next, so changing, removing or reordering anything in the
// file breaks the proof at a named event or block. The chain is linear: a
// proof spans every block between the scope's first and last event (32 bytes
// per other event in between); a shift's proof is its events alone.
import { canonicalJson } from '../../../shared/canonicalJson';
import type { RefusalReason } from '../../../shared/contract';
import type { Db } from '../db/database';
import { kindSet, type EventKind, type EventPayloads } from '../log/eventCatalogue';
import { Refusal } from '../refusal';
import { iterateStoredRows, malformedRow, readLogBase } from '../log/eventLog';
import { blockHash, blockHashFormat, fingerprintWidth, leafHash, type StoredEvent } from '../log/hashChain';
import { unpackPayload } from '../log/packedPayload';
import { VIGIE_VERSION } from '../version';

export const EVIDENCE_FORMAT = 'vigie-evidence';
export const EVIDENCE_VERSION = 1;
const LEAF_BYTES = 32;

export type EvidenceScope = { kind: 'incident'; id: string } | { kind: 'shift'; id: number };

export interface EvidenceEvent {
  seq: number;
  time: number;
  kind: string;
  source: string;
  operator: string | null;
  /** The payload text exactly as stored ('' for a packed row). */
  payload: string;
  /** A packed row's stored bytes, base64. */
  packed?: string;
  /** The payload, decoded (what the event says); checked against what is stored. */
  value: unknown;
}

export interface EvidenceBlock {
  block: number;
  firstSeq: number;
  lastSeq: number;
  prevHash: string;
  hash: string;
  /** Leaf hashes (32 bytes each, base64, in seq order) of the block's events that are not in the file. */
  otherLeaves: string;
  /**
   * The block row's fingerprints (base64; 2 or 8 bytes of each leaf), so a
   * changed event is named, not only its block: blocks hold many commits
   * since schema 7. Absent in files written before; the hash is the proof.
   */
  fingerprints?: string;
}

export interface EvidenceFile {
  /** The post's signature of the chain's last block (evidence/signedEvidence.ts); absent in files exported before signing existed. */
  signature?: EvidenceSignature;
  format: typeof EVIDENCE_FORMAT;
  version: typeof EVIDENCE_VERSION;
  scope: EvidenceScope;
  exportedAt: number;
  vigie: string;
  events: EvidenceEvent[];
  chain: EvidenceBlock[];
}

/** A signed head: the block the chain ends at, signed by the post's key (keys/postKey.ts). */
export interface EvidenceSignature {
  post: string;
  block: number;
  seq: number;
  hash: string;
  /** The signing key: Ed25519, base64 SPKI; `fingerprint` is derived from it (and checked). */
  pub: string;
  fingerprint: string;
  sig: string;
  /** When it was signed (ms, UTC), and why: periodic, shift-close, stop (logged), export (signed when the file was made) or archive (an archive's head, signed when it was written). */
  at: number;
  why: string;
}

/** An evidence export refused: nothing to export, or a log that cannot prove it. */
export class EvidenceError<R extends RefusalReason = RefusalReason> extends Refusal<R> {
  override name = 'EvidenceError';
}

const INCIDENT_KINDS = kindSet([
  'incident.opened',
  'alert.acknowledged',
  'dispatch.assigned',
  'incident.noted',
  'incident.closed',
  'unit.status',
  'dispatch.cancelled',
  'chat.linked',
  'field.attached',
]);

/** A GeoChat message's own events: a linked message travels with its receipts. */
const CHAT_KINDS = kindSet(['chat.received', 'chat.sent', 'chat.receipt']);
/** A field device's point or marker: one attached to the incident travels with what its device said of it. */
const POINT_KINDS = kindSet(['field.point', 'field.deleted']);

/** A decoded payload, typed from the event catalogue for its kind. */
const typed = <K extends EventKind>(value: unknown) => value as EventPayloads[K];

/** Incident events: everything naming the incident or its assignments (its alerts' own events are a second pass). */
function incidentSelector(incident: string): (event: StoredEvent, value: Record<string, unknown>) => boolean {
  const alerts = new Set<string>();
  const assignments = new Set<string>();
  return (event, value) => {
    switch (event.kind) {
      case 'incident.opened': {
        const p = typed<'incident.opened'>(value);
        if (p.id !== incident) return false;
        alerts.add(p.alert);
        return true;
      }
      case 'alert.acknowledged': {
        const p = typed<'alert.acknowledged'>(value);
        if (p.inc !== incident) return false;
        alerts.add(p.alert);
        return true;
      }
      case 'dispatch.assigned': {
        const p = typed<'dispatch.assigned'>(value);
        if (p.inc !== incident) return false;
        assignments.add(p.a);
        return true;
      }
      case 'incident.noted':
        return typed<'incident.noted'>(value).inc === incident;
      case 'incident.closed':
        return typed<'incident.closed'>(value).inc === incident;
      case 'unit.status': {
        const { a } = typed<'unit.status'>(value);
        return a !== undefined && assignments.has(a);
      }
      case 'dispatch.cancelled':
        return assignments.has(typed<'dispatch.cancelled'>(value).a);
      case 'chat.linked':
        return typed<'chat.linked'>(value).inc === incident;
      case 'field.attached':
        return typed<'field.attached'>(value).inc === incident;
      default:
        return false;
    }
  };
}

const decode = (row: StoredEvent): Record<string, unknown> =>
  row.packed ? unpackPayload(row.kind, row.source, row.time, row.packed) : (JSON.parse(row.payload) as Record<string, unknown>);

/**
 * Builds the evidence file of an incident or a shift from a post's log. The
 * alerts an incident gathered are found from its acknowledgements, and their
 * `alert.raised` events are included too (a second pass).
 */
export function buildEvidence(db: Db, scope: EvidenceScope, now = Date.now(), options: { throughSeq?: number } = {}): EvidenceFile {
  const included = new Map<number, StoredEvent & { value: Record<string, unknown> }>();
  if (scope.kind === 'shift') {
    const shift = db.prepare('SELECT first_seq, last_seq FROM shifts WHERE id = ?').get(scope.id) as { first_seq: number; last_seq: number | null } | undefined;
    if (!shift) throw new EvidenceError('shift-unknown', { shift: scope.id }, `no shift ${scope.id}`);
    for (const row of iterateStoredRows(db, { afterSeq: shift.first_seq - 1 })) {
      if (shift.last_seq !== null && row.seq > shift.last_seq) break;
      included.set(row.seq, { ...row, value: decode(row) });
    }
  } else {
    const select = incidentSelector(scope.id);
    const alerts = new Set<string>();
    const messages = new Set<string>();
    const points = new Set<string>();
    for (const row of iterateStoredRows(db)) {
      if (!INCIDENT_KINDS.has(row.kind)) continue;
      const value = decode(row);
      if (!select(row, value)) continue;
      included.set(row.seq, { ...row, value });
      if (row.kind === 'incident.opened' || row.kind === 'alert.acknowledged') alerts.add(typed<'incident.opened' | 'alert.acknowledged'>(value).alert);
      if (row.kind === 'chat.linked') messages.add(typed<'chat.linked'>(value).m);
      if (row.kind === 'field.attached') points.add(typed<'field.attached'>(value).p);
    }
    if (included.size === 0) throw new EvidenceError('incident-not-in-log', { incident: scope.id }, `no incident ${scope.id} in this log`);
    // The alerts it gathered: raised (and escalated) before they were acknowledged; the GeoChat messages linked to it, with their receipts.
    for (const row of iterateStoredRows(db)) {
      if (POINT_KINDS.has(row.kind)) {
        if (points.size === 0) continue;
        const value = decode(row);
        if (points.has(typed<'field.point' | 'field.deleted'>(value).p)) included.set(row.seq, { ...row, value });
        continue;
      }
      if (CHAT_KINDS.has(row.kind)) {
        if (messages.size === 0) continue;
        const value = decode(row);
        if (messages.has(typed<'chat.received' | 'chat.sent' | 'chat.receipt'>(value).m)) included.set(row.seq, { ...row, value });
        continue;
      }
      if (row.kind !== 'alert.raised' && row.kind !== 'alert.escalated') continue;
      const value = decode(row);
      if (alerts.has(row.kind === 'alert.raised' ? typed<'alert.raised'>(value).id : typed<'alert.escalated'>(value).alert))
        included.set(row.seq, { ...row, value });
    }
  }
  if (included.size === 0) throw new EvidenceError('evidence-empty', {}, 'nothing to export: the scope has no events yet');

  const seqs = [...included.keys()].sort((a, b) => a - b);
  // throughSeq: the chain goes on to that seq, a head the post signed (signedEvidence.ts); the
  // block holding it ends there, as it stood when signed (blocks grow after: log/eventLog.ts).
  const through = options.throughSeq;
  if (through !== undefined && through < seqs.at(-1)!) throw new Error(`evidence through seq ${through} would leave out event ${seqs.at(-1)}`);
  const blocks = db
    .prepare('SELECT block, first_seq, last_seq, hash, fingerprints FROM log_blocks WHERE last_seq >= ? AND first_seq <= ? ORDER BY block')
    .all(seqs[0], through ?? seqs.at(-1)) as { block: number; first_seq: number; last_seq: number; hash: Buffer; fingerprints: Buffer }[];
  // Block rows keep no prev_hash (schema 7): the first block links to the one before it, or to the archived base.
  const base = readLogBase(db);
  const before = db.prepare('SELECT hash FROM log_blocks WHERE block = ?').get(blocks[0]!.block - 1) as { hash: Buffer } | undefined;
  const linked = before?.hash ?? (blocks[0]!.block === base.block + 1 ? base.hash : undefined);
  if (!linked)
    throw new EvidenceError('log-event-missing', { seq: blocks[0]!.first_seq }, `the log is missing block ${blocks[0]!.block - 1}: run vigie verify`);
  let prevHash: Buffer = linked;
  const chain: EvidenceBlock[] = [];
  const rows = iterateStoredRows(db, { afterSeq: blocks[0]!.first_seq - 1 })[Symbol.iterator]();
  try {
    for (const block of blocks) {
      const lastSeq = through !== undefined && block.last_seq > through ? through : block.last_seq;
      const others: Buffer[] = [];
      const leaves: Buffer[] = [];
      for (let seq = block.first_seq; seq <= lastSeq; seq++) {
        const next = rows.next();
        if (next.done || next.value.seq !== seq) throw new EvidenceError('log-event-missing', { seq }, `the log is missing event ${seq}: run vigie verify`);
        const leaf = leafHash(next.value);
        leaves.push(leaf);
        if (!included.has(seq)) others.push(leaf);
      }
      const cut = lastSeq < block.last_seq;
      const fingerprintBytes = block.fingerprints.length / (block.last_seq - block.first_seq + 1);
      const hash: Buffer = cut ? blockHash(prevHash, block.first_seq, lastSeq, leaves, 'growing') : block.hash;
      chain.push({
        block: block.block,
        firstSeq: block.first_seq,
        lastSeq,
        prevHash: prevHash.toString('hex'),
        hash: hash.toString('hex'),
        otherLeaves: Buffer.concat(others).toString('base64'),
        fingerprints: (cut ? block.fingerprints.subarray(0, leaves.length * fingerprintBytes) : block.fingerprints).toString('base64'),
      });
      prevHash = hash;
    }
  } finally {
    rows.return?.(undefined);
  }

  const events = seqs.map((seq): EvidenceEvent => {
    const row = included.get(seq)!;
    return {
      seq,
      time: row.time,
      kind: row.kind,
      source: row.source,
      operator: row.operator,
      payload: row.payload,
      ...(row.packed ? { packed: row.packed.toString('base64') } : {}),
      value: row.value,
    };
  });
  return { format: EVIDENCE_FORMAT, version: EVIDENCE_VERSION, scope, exportedAt: now, vigie: VIGIE_VERSION, events, chain };
}

/** The first seq of a block whose leaf differs from the block's fingerprints (undefined: none does, or none were kept). */
function changedLeaf(block: EvidenceBlock, leaves: readonly Buffer[]): number | undefined {
  if (block.fingerprints === undefined) return undefined;
  const stored = Buffer.from(block.fingerprints, 'base64');
  const width = fingerprintWidth(stored.length, leaves.length);
  if (width === undefined) return undefined;
  const at = leaves.findIndex((leaf, i) => !leaf.subarray(0, width).equals(stored.subarray(i * width, (i + 1) * width)));
  return at < 0 ? undefined : block.firstSeq + at;
}

export type EvidenceCheck =
  | { ok: true; scope: EvidenceScope; events: number; blocks: number; firstBlock: number; lastBlock: number; lastHash: string }
  | { ok: false; reason: string; seq?: number; block?: number };

/** Checks an evidence file on its own: every event against its leaf, every block against its hash, every link. */
export function verifyEvidence(file: unknown): EvidenceCheck {
  const fail = (reason: string, where: { seq?: number; block?: number } = {}): EvidenceCheck => ({ ok: false, reason, ...where });
  const evidence = file as Partial<EvidenceFile> | null;
  if (!evidence || evidence.format !== EVIDENCE_FORMAT) return fail('not a Vigie evidence file');
  if (evidence.version !== EVIDENCE_VERSION)
    return fail(`evidence format version ${String(evidence.version)} is not supported (this Vigie reads version ${EVIDENCE_VERSION})`);
  if (!Array.isArray(evidence.events) || !Array.isArray(evidence.chain) || evidence.chain.length === 0 || evidence.events.length === 0)
    return fail('the file has no events or no chain');

  const events = new Map<number, EvidenceEvent>();
  let previousSeq = 0;
  for (const event of evidence.events) {
    if (!Number.isInteger(event.seq) || event.seq <= previousSeq)
      return fail(`events out of order or repeated at seq ${String(event.seq)}`, { seq: event.seq });
    previousSeq = event.seq;
    events.set(event.seq, event);
  }

  let covered = 0;
  let previous: EvidenceBlock | undefined;
  for (const block of evidence.chain) {
    if (previous) {
      if (block.block !== previous.block + 1) return fail(`block ${previous.block + 1} is missing from the chain`, { block: previous.block + 1 });
      if (block.firstSeq !== previous.lastSeq + 1) return fail(`block ${block.block} does not follow block ${previous.block}`, { block: block.block });
      if (block.prevHash !== previous.hash) return fail(`block ${block.block} does not link to block ${previous.block}`, { block: block.block });
    }
    const others = Buffer.from(block.otherLeaves, 'base64');
    let otherAt = 0;
    const leaves: Buffer[] = [];
    for (let seq = block.firstSeq; seq <= block.lastSeq; seq++) {
      const event = events.get(seq);
      if (!event) {
        if (otherAt + LEAF_BYTES > others.length) return fail(`block ${block.block} lacks the leaf of event ${seq}`, { seq, block: block.block });
        leaves.push(others.subarray(otherAt, otherAt + LEAF_BYTES));
        otherAt += LEAF_BYTES;
        continue;
      }
      const stored: StoredEvent = {
        seq,
        time: event.time,
        kind: event.kind,
        source: event.source,
        operator: event.operator,
        payload: event.payload,
        packed: event.packed === undefined ? null : Buffer.from(event.packed, 'base64'),
      };
      const malformed = malformedRow(stored);
      if (malformed !== undefined) return fail(`event ${seq} is malformed: ${malformed}`, { seq });
      // What the event says must be what is stored (and hashed).
      let said: unknown;
      try {
        said = stored.packed ? unpackPayload(stored.kind, stored.source, stored.time, stored.packed) : JSON.parse(stored.payload);
      } catch {
        return fail(`event ${seq}'s stored payload cannot be read`, { seq });
      }
      if (canonicalJson(said) !== canonicalJson(event.value)) return fail(`event ${seq}'s payload differs from what was logged`, { seq });
      leaves.push(leafHash(stored));
      covered += 1;
    }
    if (otherAt !== others.length) return fail(`block ${block.block} has leaves for events that are not in it`, { block: block.block });
    // Blocks from before schema 7, and files written before fingerprints were carried, are hashed whole.
    const width = block.fingerprints === undefined ? undefined : fingerprintWidth(Buffer.from(block.fingerprints, 'base64').length, leaves.length);
    const format = width === undefined ? 'whole' : blockHashFormat(width);
    if (!blockHash(Buffer.from(block.prevHash, 'hex'), block.firstSeq, block.lastSeq, leaves, format).equals(Buffer.from(block.hash, 'hex'))) {
      const seqs = [...events.keys()].filter((seq) => seq >= block.firstSeq && seq <= block.lastSeq);
      const culprit = changedLeaf(block, leaves);
      if (culprit !== undefined && events.has(culprit))
        return fail(`event ${culprit} does not match its recorded hash (block ${block.block})`, { block: block.block, seq: culprit });
      return fail(`block ${block.block} does not match its events${seqs.length > 0 ? ` (events ${seqs.join(', ')} are in it)` : ''}`, {
        block: block.block,
        seq: seqs[0],
      });
    }
    previous = block;
  }
  if (covered !== events.size) {
    const outside = [...events.keys()].find((seq) => !evidence.chain!.some((block) => seq >= block.firstSeq && seq <= block.lastSeq));
    return fail(`event ${outside} is not covered by the chain`, { seq: outside });
  }
  return {
    ok: true,
    scope: evidence.scope!,
    events: events.size,
    blocks: evidence.chain.length,
    firstBlock: evidence.chain[0]!.block,
    lastBlock: previous!.block,
    lastHash: previous!.hash,
  };
}

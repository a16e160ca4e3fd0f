// What a post publishes on its uplink and what the centre and `vigie restore`
// read back (docs/federation.md): one JetStream stream per post, one message
// per event with the id `POST:seq` (JetStream drops a repeat inside its
// duplicate window), and one message per block as it stood once those
// events were in it, so the reader can check the chain as it arrives. Events
// travel exactly as stored — a packed row's bytes, not its unpacked JSON —
// since the leaf hash is over the stored form.
import { z } from 'zod';
import { PostName } from '../../../shared/site';
import type { StoredEvent } from '../log/hashChain';

export { PostName };

/** The stream holding one post's log; its subjects are `vigie.post.POST.>`. */
export function streamName(post: string): string {
  return `VIGIE_POST_${post}`;
}

export const STREAM_PREFIX = 'VIGIE_POST_';

export function postOfStream(stream: string): string | undefined {
  if (!stream.startsWith(STREAM_PREFIX)) return undefined;
  const post = stream.slice(STREAM_PREFIX.length);
  return PostName.safeParse(post).success ? post : undefined;
}

export const subjects = (post: string) => ({
  all: `vigie.post.${post}.>`,
  events: `vigie.post.${post}.events`,
  blocks: `vigie.post.${post}.blocks`,
});

export const eventMessageId = (post: string, seq: number) => `${post}:${seq}`;
/** A block as it stood through `lastSeq`: it grows commit by commit, so one block has several. */
export const blockMessageId = (post: string, block: number, lastSeq: number) => `${post}:block:${block}:${lastSeq}`;

/** Header naming the post that published a message (the subject says it too; a stray publisher would have to lie twice). */
export const POST_HEADER = 'Vigie-Post';

const Seq = z.number().int().positive();
const EventMessage = z.strictObject({
  v: z.literal(1),
  seq: Seq,
  time: z.number().int(),
  kind: z.string().min(1).max(128),
  source: z.string().min(1).max(128),
  operator: z.string().max(256).nullable(),
  /** The canonical JSON text of a JSON row; absent for a packed row. */
  payload: z.string().min(1).optional(),
  /** A packed row's stored bytes, base64. */
  packed: z.string().min(1).optional(),
});
const BlockMessage = z.strictObject({
  v: z.literal(1),
  block: Seq,
  firstSeq: Seq,
  lastSeq: Seq,
  /** The block's hash through lastSeq (hex): SHA-256 chained over the block before it. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** A block written before schema 7, hashed whole (hashChain.ts, blockHashFormat); absent: growing. */
  whole: z.literal(true).optional(),
});
export type BlockMessage = z.infer<typeof BlockMessage>;

export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeEvent(event: StoredEvent): Uint8Array {
  const packed = event.packed ?? null;
  return encoder.encode(
    JSON.stringify({
      v: 1,
      seq: event.seq,
      time: event.time,
      kind: event.kind,
      source: event.source,
      operator: event.operator,
      ...(packed ? { packed: packed.toString('base64') } : { payload: event.payload }),
    }),
  );
}

export function encodeBlock(block: Omit<BlockMessage, 'v'>): Uint8Array {
  return encoder.encode(JSON.stringify({ v: 1, ...block }));
}

function parse<T>(data: Uint8Array, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch {
    throw new WireError(`not a Vigie ${what} message (not JSON text)`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new WireError(`not a Vigie ${what} message (${parsed.error.issues[0]?.path.join('.') || 'shape'}: ${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

/** The event as stored at the post (payload '' and bytes for a packed row). */
export function decodeEvent(data: Uint8Array): StoredEvent {
  const message = parse(data, EventMessage, 'event');
  if ((message.payload === undefined) === (message.packed === undefined)) throw new WireError('not a Vigie event message (payload or packed, exactly one)');
  return {
    seq: message.seq,
    time: message.time,
    kind: message.kind,
    source: message.source,
    operator: message.operator,
    payload: message.payload ?? '',
    packed: message.packed === undefined ? null : Buffer.from(message.packed, 'base64'),
  };
}

export function decodeBlock(data: Uint8Array): BlockMessage {
  const block = parse(data, BlockMessage, 'block');
  if (block.lastSeq < block.firstSeq) throw new WireError('not a Vigie block message (lastSeq before firstSeq)');
  return block;
}

/** Which of a post's subjects a message came on, if it is one of ours. */
export function messageKind(post: string, subject: string): 'event' | 'block' | undefined {
  const s = subjects(post);
  return subject === s.events ? 'event' : subject === s.blocks ? 'block' : undefined;
}

/**
 * A post's sign of life, every few seconds on plain NATS (no stream keeps it): an idle post publishes nothing on its stream, so
 * without it the centre could not tell a quiet post from one that is gone, and its neighbours would see a frozen picture as live.
 */
export const aliveSubject = (post: string) => `vigie.alive.${post}`;
export const ALIVE_SUBJECTS = 'vigie.alive.*';
/** How often a connected post says it is alive (default). */
export const ALIVE_EVERY_MS = 5_000;

/** The centre's messages to the posts ("request assistance"): one stream, a subject per post, kept until read. */
export const CENTRE_STREAM = 'VIGIE_CENTRE';
export const centreSubject = (post: string) => `vigie.centre.${post}`;
export const CENTRE_SUBJECTS = 'vigie.centre.>';
/** Longest message text the centre sends (the post refuses longer). */
export const CENTRE_MESSAGE_MAX = 2_000;

const CentreMessage = z.strictObject({
  v: z.literal(1),
  /** Its id, also the JetStream message id: a repeat is stored once, and logged once at the post. */
  m: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  post: PostName,
  text: z.string().trim().min(1).max(CENTRE_MESSAGE_MAX),
  at: z.number().int().positive(),
});
export type CentreMessage = z.infer<typeof CentreMessage>;

export function encodeCentreMessage(message: Omit<CentreMessage, 'v'>): Uint8Array {
  return encoder.encode(JSON.stringify({ v: 1, ...message }));
}

export function decodeCentreMessage(data: Uint8Array): CentreMessage {
  return parse(data, CentreMessage, 'centre');
}

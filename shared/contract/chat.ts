// GeoChat with field devices (issue 13, docs/tak.md#geochat): the messages
// the console shows, thread by thread, and an operator writing to a unit, a
// team or everyone, linking a message to an incident, and replaying them.
import { z } from 'zod';

/** Longest message an operator may write (as the feed accepts from a device). */
export const CHAT_TEXT_MAX = 4096;

export const ChatReceiptView = z.object({
  device: z.string(),
  state: z.enum(['delivered', 'read']),
  time: z.number().int(),
  seq: z.number().int(),
});
export type ChatReceiptView = z.infer<typeof ChatReceiptView>;

export const ChatMessageView = z.object({
  /** The message id (as a Vigie id). */
  id: z.string(),
  /** The log event that brought it (chat.received or chat.sent), and when. */
  seq: z.number().int(),
  time: z.number().int(),
  direction: z.enum(['in', 'out']),
  /** `all` (All Chat Rooms), `team:<name>` or `device:<device id>`: the console shows one thread each. */
  thread: z.string(),
  /** Received: the sending device and its callsign; sent: the operator. */
  device: z.string().nullable(),
  callsign: z.string().nullable(),
  operator: z.string().nullable(),
  room: z.string(),
  text: z.string(),
  /** Sent: the devices it went out to. */
  recipients: z.array(z.string()),
  /** The receipts: at most one delivered and one read per device, each with its time and seq. */
  receipts: z.array(ChatReceiptView),
  /** The incident an operator linked it to, and the link's seq. */
  incident: z.string().nullable(),
  linkSeq: z.number().int().nullable(),
});
export type ChatMessageView = z.infer<typeof ChatMessageView>;

export const ChatTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('team'), team: z.string().min(1).max(64) }).strict(),
  z.object({ kind: z.literal('device'), device: z.string().min(1).max(64) }).strict(),
  z.object({ kind: z.literal('unit'), unit: z.string().min(1).max(64) }).strict(),
]);
export type ChatTarget = z.infer<typeof ChatTarget>;

export const chatRequests = {
  /** The messages kept (the newest `limit`, oldest first). */
  'chat.list': {
    params: z.object({ limit: z.number().int().min(1).max(5000).default(1000) }).strict(),
    result: z.object({ messages: z.array(ChatMessageView) }),
  },
  /** Sends GeoChat to one unit or device, a team (`__group` name) or All Chat Rooms, on each device's own connection; logged. */
  'chat.send': {
    params: z.object({ to: ChatTarget, text: z.string().trim().min(1).max(CHAT_TEXT_MAX) }).strict(),
    result: z.object({ message: z.string(), recipients: z.array(z.string()) }),
  },
  /** Links a message to an open incident (logged; it travels in the incident's evidence). */
  'chat.link': {
    params: z.object({ message: z.string().min(1).max(64), incident: z.string().min(1).max(64) }).strict(),
    result: z.object({}),
  },
  /** The messages as they stood after log event `seq` (replay): later messages, receipts and links left out. */
  'chat.at': {
    params: z.object({ seq: z.number().int().nonnegative(), limit: z.number().int().min(1).max(5000).default(1000) }).strict(),
    result: z.object({ messages: z.array(ChatMessageView) }),
  },
} as const;

export const chatEvents = {
  /** Messages received, sent, acknowledged or linked, at most ten times a second. */
  'chat.changed': z.object({ messages: z.array(ChatMessageView) }),
} as const;

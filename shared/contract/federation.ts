// The post's uplink to the regional centre (issue 16; docs/federation.md):
// whether its log is reaching the stream, how far behind it is, and why not.
import { z } from 'zod';
import type { Figures } from './figures';
import type { IncidentView } from './incidents';
import type { TrackView, UnitView } from './picture';
import type { Sector } from './sectors';

/** Why the uplink is not publishing; each console words it (uplink.problem.* in renderer/i18n). */
export const UplinkProblemCode = z.enum(['unreachable', 'auth', 'tls', 'no-jetstream', 'name-claimed', 'stream-ahead', 'error']);
export type UplinkProblemCode = z.infer<typeof UplinkProblemCode>;

export const UplinkView = z.object({
  /** The post's name on the uplink. */
  post: z.string(),
  /** The NATS server(s), without credentials. */
  server: z.string(),
  /** connecting: first attempt; connected: publishing or caught up; offline: the server cannot be reached; refused: reached, but publishing is refused (see problem). */
  state: z.enum(['connecting', 'connected', 'offline', 'refused']),
  /** Since when (ms, UTC) it is in this state. */
  since: z.number().int(),
  /** The log's last seq and the highest one the stream acknowledged: behind = lastSeq − ackedSeq. */
  lastSeq: z.number().int(),
  ackedSeq: z.number().int(),
  behind: z.number().int(),
  problem: z.object({ code: UplinkProblemCode, detail: z.string() }).nullable(),
});
export type UplinkView = z.infer<typeof UplinkView>;

/** A message from the regional centre as the post's console shows it (docs/federation.md#messages-from-the-centre). */
export const CentreMessageView = z.object({
  m: z.string(),
  text: z.string(),
  /** When the centre sent it, and when the post logged it (ms, UTC). */
  sentAt: z.number().int(),
  receivedAt: z.number().int(),
  acknowledged: z.object({ by: z.string(), at: z.number().int() }).nullable(),
});
export type CentreMessageView = z.infer<typeof CentreMessageView>;
/**
 * Neighbours (issue 16 item 4): what the centre publishes of each post's
 * picture for the posts beside it — its units and open incidents, read-only.
 * Types and states are plain strings, not the enums: a neighbour running a
 * newer Vigie may know a unit type this one does not, and is shown all the same.
 */
const Short = z.string().min(1).max(64);
export const NeighbourUnit = z.strictObject({
  id: Short,
  callsign: z.string().max(64),
  type: Short,
  status: Short,
  lat: z.number().min(-90).max(90).nullable(),
  lon: z.number().min(-180).max(180).nullable(),
  /** When that position was taken (ms, the neighbour's clock). */
  fixTime: z.number().int().nullable(),
});
export type NeighbourUnit = z.infer<typeof NeighbourUnit>;

export const NeighbourIncident = z.strictObject({
  id: Short,
  sector: z.string().max(64).nullable(),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  openedAt: z.number().int(),
  /** Units working it (assigned, en route or on scene). */
  units: z.number().int().nonnegative(),
});
export type NeighbourIncident = z.infer<typeof NeighbourIncident>;

/** One post's digest as the centre publishes it on `vigie.region.<POST>` (docs/federation.md#neighbours). */
export const RegionDigest = z.strictObject({
  v: z.literal(1),
  post: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  /** The centre's clock when it made this digest (ms, UTC). */
  at: z.number().int(),
  /** The centre's clock when the post last said it was alive: a digest can be new while the post behind it is gone. */
  heardAt: z.number().int(),
  units: z.array(NeighbourUnit).max(2_000),
  incidents: z.array(NeighbourIncident).max(2_000),
});
export type RegionDigest = z.infer<typeof RegionDigest>;

/** A neighbour as a console shows it: its last digest and whether it is still live. */
export const NeighbourView = z.object({
  post: z.string(),
  /** waiting: nothing received yet; live: a digest younger than the stale limit, link up; stale: older, or the link is down. */
  state: z.enum(['waiting', 'live', 'stale']),
  /** The centre's time of the digest shown, null while waiting. */
  at: z.number().int().nullable(),
  /** The centre's time of the neighbour post's last sign of life, null while waiting. */
  heardAt: z.number().int().nullable(),
  units: z.array(NeighbourUnit),
  incidents: z.array(NeighbourIncident),
});
export type NeighbourView = z.infer<typeof NeighbourView>;

export const federationRequests = {
  /** The uplink's state; null when the post has none. */
  'uplink.status': { params: z.object({}).strict(), result: z.object({ uplink: UplinkView.nullable() }) },
  /** The centre's messages to this post: those not acknowledged first, then the latest acknowledged. */
  'uplink.centreMessages': { params: z.object({}).strict(), result: z.object({ messages: z.array(CentreMessageView) }) },
  /** An operator acknowledges a message from the centre (logged: centre.message.acknowledged). */
  'uplink.acknowledgeMessage': { params: z.object({ m: z.string().min(1).max(64) }).strict(), result: z.object({ acknowledged: z.boolean() }) },
  /** The neighbours' units and open incidents (read-only); empty at a post with none. */
  'neighbours.get': { params: z.object({}).strict(), result: z.object({ neighbours: z.array(NeighbourView) }) },
} as const;

export const federationEvents = {
  /** A neighbour's digest arrived, or its state changed (live, stale). Every neighbour, whole: there are few. */
  'neighbours.changed': z.object({ neighbours: z.array(NeighbourView) }),
} as const;

/** A post's mirror at the centre, as the centre's console lists it (federation/centre.ts PostState, in short). */
export const CentrePostState = z.object({
  post: z.string(),
  state: z.enum(['following', 'stopped', 'stream-missing']),
  lastSeq: z.number().int(),
  headHash: z.string(),
  problem: z.object({ kind: z.enum(['gap', 'break', 'fork']), seq: z.number().int(), detail: z.string() }).nullable(),
  foreign: z.object({ count: z.number().int(), last: z.string().nullable() }),
  lastMessageAt: z.number().int().nullable(),
  /** The centre's time of the post's last sign of life (it says so every few seconds while connected). */
  heardAt: z.number().int().nullable(),
});
export type CentrePostState = z.infer<typeof CentrePostState>;

/** One post's picture at the centre (`GET /api/centre.picture`): read from its mirror, never acted on there. */
export interface CentrePostPicture {
  post: string;
  mirror: CentrePostState;
  sectors: Sector[];
  units: UnitView[];
  tracks: TrackView[];
  incidents: IncidentView[];
}

export interface CentrePicture {
  /** When the centre read it (ms, UTC). */
  at: number;
  connection: { state: string; problem: string | null };
  posts: CentrePostPicture[];
}

/** A message the centre sent a post, with what the post's mirror says of it. */
export interface CentreSentMessage {
  m: string;
  post: string;
  text: string;
  at: number;
  /** When the post logged it (null: not yet in its mirror). */
  received: number | null;
  acknowledged: { by: string; at: number } | null;
}

/** Figures across posts (`GET /api/centre.figures`): the figures module on each mirror, and the counts summed. */
export interface CentreFigures {
  from: number;
  to: number;
  posts: { post: string; figures: Figures }[];
  /** Counts add up across posts; medians do not, so they are per post only. */
  total: { alerts: number; incidentsOpened: number; incidentsClosed: number; stillOpen: number; interceptedOrPrevented: number };
}

// Replay (issue 5): a shift replayed from the log (electron/core/replay,
// docs/replay.md): its timeline, and the picture at any moment of it, rebuilt
// by the live projection code. Each console has its own replay cursor in the core.
import { z } from 'zod';
import { AlertKind, Severity } from '../domain';
import { ShiftView } from './accounts';
import { ArchiveName } from './keeping';
import { PictureView } from './picture';

/** What the hash chain says, checked by walking the whole log (vigie verify). */
export const ReplayChain = z.object({
  ok: z.boolean(),
  events: z.number().int().nonnegative(),
  blocks: z.number().int().nonnegative(),
  headHash: z.string().nullable(),
  /** The first event that does not match the chain, and why (null when intact). */
  firstBadSeq: z.number().int().nullable(),
  reason: z.string().nullable(),
  /** Whether the break is at or before the shift's last event (so it touches what this shift's replay shows). */
  affectsShift: z.boolean(),
});
export type ReplayChain = z.infer<typeof ReplayChain>;

export const ReplayTimeline = z.object({
  shift: ShiftView,
  /** The shift's first and last moments (an open shift: its newest event so far), ms. */
  from: z.number().int(),
  to: z.number().int(),
  firstSeq: z.number().int(),
  lastSeq: z.number().int(),
  /** Alerts raised during the shift, oldest first: the timeline's marks. */
  alerts: z.array(z.object({ id: z.string(), time: z.number().int(), seq: z.number().int(), kind: AlertKind, severity: Severity })),
  /** Events logged per bucket of `bucketMs` from `from`: the activity density. */
  density: z.object({ bucketMs: z.number().int().positive(), counts: z.array(z.number().int().nonnegative()) }),
});
export type ReplayTimeline = z.infer<typeof ReplayTimeline>;

/** The picture at a replayed moment: the same shape as the live one. */
export const ReplayPicture = PictureView;
export type ReplayPicture = z.infer<typeof ReplayPicture>;

// Each request may name `archive`, one of the post's archive files
// (`archives.list`): the shift is then replayed from that file, read-only.
export const replayRequests = {
  /** A shift's span, alert marks and activity density. */
  'replay.timeline': {
    params: z
      .object({ shift: z.number().int().positive(), buckets: z.number().int().min(10).max(2000).default(240), archive: ArchiveName.optional() })
      .strict(),
    result: ReplayTimeline,
  },
  /**
   * The picture at a moment of a shift: after every event logged at or before
   * `time`, or up to event `seq` (one of the two; clamped to the shift).
   */
  'replay.at': {
    params: z
      .object({
        shift: z.number().int().positive(),
        time: z.number().int().optional(),
        seq: z.number().int().nonnegative().optional(),
        archive: ArchiveName.optional(),
      })
      .strict()
      .refine((p) => (p.time === undefined) !== (p.seq === undefined), { message: 'give time or seq (one of them)' }),
    result: z.object({ shift: z.number().int(), time: z.number().int(), seq: z.number().int(), picture: ReplayPicture }),
  },
  /** Walks the hash chain (the whole log, as vigie verify): a broken shift is shown as broken. */
  'replay.verify': { params: z.object({ shift: z.number().int().positive(), archive: ArchiveName.optional() }).strict(), result: ReplayChain },
  /** Drops this console's replay cursor (leaving replay mode). */
  'replay.close': { params: z.object({}).strict(), result: z.object({ closed: z.boolean() }) },
} as const;

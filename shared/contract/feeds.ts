// Feeds: listeners, per-source counters, the log's storage state and the
// quarantine (docs/feeds.md, docs/faults.md).
import { z } from 'zod';
import { FeedProtocol } from '../domain';

/** Feed counters per source (protocol + transport + remote address). */
export const FeedSourceStats = z.object({
  source: z.string(),
  protocol: FeedProtocol,
  accepted: z.number().int(),
  /** Rejected messages by reason (all of them are in the quarantine). */
  rejected: z.record(z.string(), z.number().int()),
  /** Messages dropped or held back by the per-source rate limit. */
  throttled: z.number().int(),
});
export type FeedSourceStats = z.infer<typeof FeedSourceStats>;

export const FeedListenerView = z.object({
  name: z.string(),
  protocol: FeedProtocol,
  transport: z.enum(['udp', 'tcp', 'ws']),
  host: z.string(),
  port: z.number().int(),
  sensor: z.string().optional(),
});
export type FeedListenerView = z.infer<typeof FeedListenerView>;

/**
 * Whether the log can be written (docs/faults.md). `problem` set: feed ingest is paused (TCP and
 * WebSocket sources held back, UDP datagrams refused and counted in `refused`) until the waiting block commits.
 */
export const StorageStatus = z.object({
  problem: z.enum(['disk-full', 'locked']).nullable(),
  since: z.number().int().nullable(),
  /** Accepted messages waiting for the log. */
  waiting: z.number().int(),
  /** UDP datagrams refused while paused, since the core started. */
  refused: z.number().int(),
});
export type StorageStatus = z.infer<typeof StorageStatus>;

export const FeedsStatus = z.object({
  listeners: z.array(FeedListenerView),
  sources: z.array(FeedSourceStats),
  quarantined: z.number().int(),
  storage: StorageStatus.optional(),
});
export type FeedsStatus = z.infer<typeof FeedsStatus>;

export const QuarantineEntry = z.object({
  id: z.number().int(),
  time: z.number().int(),
  protocol: z.string(),
  source: z.string(),
  reason: z.string(),
  detail: z.string(),
  /** The raw bytes, as text where they are text (escaped), truncated for display. */
  preview: z.string(),
  bytes: z.number().int(),
});
export type QuarantineEntry = z.infer<typeof QuarantineEntry>;

export const feedRequests = {
  'feeds.status': {
    params: z.object({}).strict(),
    result: FeedsStatus,
  },
  /** Where the feed listeners are — all that a device or the simulator needs, so it takes the secret but no sign-in. */
  'feeds.listeners': {
    params: z.object({}).strict(),
    result: FeedsStatus.pick({ listeners: true }),
  },
  'quarantine.list': {
    params: z.object({ limit: z.number().int().min(1).max(500), source: z.string().optional(), reason: z.string().optional() }).strict(),
    result: z.object({ entries: z.array(QuarantineEntry) }),
  },
} as const;

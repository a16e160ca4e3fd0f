// Keeping the log for years (issue 18): the scheduled backups' state, shown
// to supervisors (docs/backup.md), and the post's signing key (its
// fingerprint is what readers of an evidence file compare; docs/evidence.md).
import { z } from 'zod';

export const BackupJobView = z.object({
  /** The backup folder (from the site file). */
  to: z.string(),
  /** "daily at 03:00", "every 60 min". */
  schedule: z.string(),
  running: z.boolean(),
  /** When it runs next (ms, UTC). */
  nextAt: z.number().int(),
  lastSuccess: z
    .object({ at: z.number().int(), lastSeq: z.number().int(), headHash: z.string().nullable(), bytes: z.number().int(), ms: z.number().int() })
    .nullable(),
  lastError: z.object({ at: z.number().int(), message: z.string() }).nullable(),
});
export type BackupJobView = z.infer<typeof BackupJobView>;

export const keepingRequests = {
  /** The site's scheduled backups and how each last went. */
  'backups.status': { params: z.object({}).strict(), result: z.object({ backups: z.array(BackupJobView) }) },
  /** The post's name and the fingerprint of the key that signs its heads and evidence files. */
  'post.identity': { params: z.object({}).strict(), result: z.object({ post: z.string(), fingerprint: z.string() }) },
} as const;

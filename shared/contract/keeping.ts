// Keeping the log for years (issue 18): the scheduled backups' state, shown
// to supervisors (docs/backup.md), and the post's signing key (its
// fingerprint is what readers of an evidence file compare; docs/evidence.md).
import { z } from 'zod';
import { ShiftView } from './accounts';

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

/** The site's retention policy as the core runs it (docs/archive.md): what it keeps, what it last did, when it looks next. */
export const RetentionView = z.object({
  archiveAfterDays: z.number().int().positive(),
  /** The policy's folder, relative to the data directory (as in the site file). */
  folder: z.string(),
  running: z.boolean(),
  /** When the policy looks next (ms, UTC). */
  nextCheckAt: z.number().int(),
  /** The last archive the policy made: its file (in the folder), events moved, when, and the live files' bytes given back. */
  lastArchive: z
    .object({ file: z.string(), events: z.number().int(), at: z.number().int(), bytesGivenBack: z.number().int(), fileBytes: z.number().int() })
    .nullable(),
  lastFailure: z.object({ at: z.number().int(), message: z.string() }).nullable(),
  /** The last look that had nothing to move, or had to wait (a cut in the open shift): why. */
  lastWait: z.object({ at: z.number().int(), message: z.string() }).nullable(),
  /** Where the live log starts: after the head of this archive (null: it still starts at its genesis). */
  liveStartsAfter: z.object({ archive: z.string(), lastSeq: z.number().int(), lastTime: z.number().int() }).nullable(),
});
export type RetentionView = z.infer<typeof RetentionView>;

/** One of the post's archive files a console may open read-only: in the policy's folder, or named by the live log's base. */
export const ArchiveFileView = z.object({
  /** How the console names it in requests: relative to the data directory (absolute when outside it). */
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  modifiedAt: z.number().int(),
  /** The archive the live log starts after (the newest). */
  base: z.boolean(),
});
export type ArchiveFileView = z.infer<typeof ArchiveFileView>;

/** An archive file named by the console: one of `archives.list`'s, never any other path. */
export const ArchiveName = z.string().min(1).max(1000);

export const keepingRequests = {
  /** The site's scheduled backups and how each last went, and the retention policy's state (null: no policy). */
  'backups.status': {
    params: z.object({}).strict(),
    result: z.object({ backups: z.array(BackupJobView), retention: RetentionView.nullable() }),
  },
  /** The post's archive files, newest first. */
  'archives.list': { params: z.object({}).strict(), result: z.object({ folder: z.string().nullable(), archives: z.array(ArchiveFileView) }) },
  /**
   * Opens an archive read-only (the core unpacks it and keeps the copy while
   * consoles use it) and lists its shifts, newest first, and the span it holds.
   */
  'archives.open': {
    params: z.object({ archive: ArchiveName }).strict(),
    result: z.object({
      archive: z.string(),
      firstSeq: z.number().int(),
      lastSeq: z.number().int(),
      from: z.number().int().nullable(),
      to: z.number().int().nullable(),
      shifts: z.array(ShiftView),
    }),
  },
  /** The post's name and the fingerprint of the key that signs its heads and evidence files. */
  'post.identity': { params: z.object({}).strict(), result: z.object({ post: z.string(), fingerprint: z.string() }) },
} as const;

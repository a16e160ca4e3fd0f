// The site's retention policy, run by the core: once an hour it looks at
// the oldest live block and, when it is older than `archiveAfterDays`,
// archives every whole block before that age into one file in the policy's
// folder (archive.ts), without holding the feeds for long.
import path from 'node:path';
import type { Clock } from '../../../shared/clock';
import type { Site } from '../../../shared/site';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import { ARCHIVE_EXTENSION, ArchiveError, archiveLog, type ArchiveOptions, type ArchiveReport } from './archive';
import { readLogBase } from '../log/eventLog';

const DAY_MS = 24 * 3600 * 1000;
const CHECK_EVERY_MS = 3600 * 1000;
/** The first look, a minute after start: not in the middle of start-up. */
const FIRST_CHECK_MS = 60 * 1000;

export type RetentionPolicy = NonNullable<Site['retention']>;

export interface RetentionOptions {
  db: Db;
  dataDir: string;
  policy: RetentionPolicy;
  clock: Clock;
  logger: Logger;
  /** The post's key and name: each archive carries the post's signature of its head. */
  signWith?: ArchiveOptions['signWith'];
}

/** `vigie-<first day>--<cut day>.vigie-archive`, UTC. */
export function archiveFileName(firstTime: number, before: number): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `vigie-${day(firstTime)}--${day(before)}${ARCHIVE_EXTENSION}`;
}

/** One pass of the policy: archives when the oldest live block is old enough. Undefined when there was nothing to do. */
export async function applyRetention(options: RetentionOptions): Promise<ArchiveReport | undefined> {
  const { db, policy, clock } = options;
  const before = clock.now() - policy.archiveAfterDays * DAY_MS;
  const oldest = db.prepare('SELECT first_time, last_time FROM log_blocks WHERE block > ? ORDER BY block LIMIT 1').get(readLogBase(db).block) as
    { first_time: number; last_time: number } | undefined;
  if (!oldest || oldest.last_time >= before) return undefined;
  const folder = path.resolve(options.dataDir, policy.folder);
  const out = path.join(folder, archiveFileName(oldest.first_time, before));
  (await import('node:fs')).mkdirSync(folder, { recursive: true });
  return archiveLog(db, { before, out, now: clock.now(), signWith: options.signWith, yieldBetween: () => new Promise((resolve) => setImmediate(resolve)) });
}

/** Runs the policy hourly until the returned stop is called. */
export function startRetention(options: RetentionOptions): () => void {
  let running: Promise<void> | undefined;
  const run = () => {
    if (running) return;
    running = applyRetention(options)
      .then((report) => {
        if (report)
          options.logger.info(
            `retention: archived ${report.events} events (blocks ${report.blocks.first}–${report.blocks.last}) into ${report.file}; ` +
              `live database ${report.liveBytesBefore} → ${report.liveBytesAfter} bytes`,
          );
      })
      .catch((error: unknown) => {
        // An open shift at the cut, or nothing whole to move: tried again at the next check.
        if (error instanceof ArchiveError && (error.problem === 'inside-open-shift' || error.problem === 'nothing-to-archive'))
          options.logger.info(`retention: ${error.message}`);
        else options.logger.warn(`retention: archiving failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(run, FIRST_CHECK_MS);
  const every = setInterval(run, CHECK_EVERY_MS);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}

// The site's retention policy, run by the core: once an hour it looks at
// the oldest live block and, when it is older than `archiveAfterDays`,
// archives every whole block before that age into one file in the policy's
// folder (archive.ts), without holding the feeds for long. What it last did
// is kept for the supervisor's console.
import fs from 'node:fs';
import path from 'node:path';
import type { RetentionView } from '../../../shared/contract';
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
  /** With an uplink: the last seq its stream acknowledged (nothing after it is archived away). */
  keepAfterSeq?: () => number | undefined;
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
  fs.mkdirSync(folder, { recursive: true });
  return archiveLog(db, {
    before,
    out,
    now: clock.now(),
    signWith: options.signWith,
    keepAfterSeq: options.keepAfterSeq?.(),
    yieldBetween: () => new Promise((resolve) => setImmediate(resolve)),
  });
}

export const RETENTION_STATE_FILE = 'retention.json';

type RetentionRecord = Pick<RetentionView, 'lastArchive' | 'lastFailure' | 'lastWait'>;

export interface RetentionRunnerOptions extends RetentionOptions {
  /** Called after each pass that archived or failed (the core logs it as `archive.completed` / `archive.failed`). */
  onRun?(outcome: { ok: true; report: ArchiveReport } | { ok: false; error: string }): void;
  /** The first look after start (default a minute; tests shorten it). */
  firstCheckMs?: number;
}

/**
 * Runs the policy hourly until stopped, and keeps what it last did —
 * the last archive, the last failure, the last wait — in DATA/retention.json
 * (so it survives a restart) for the supervisor's console (`backups.status`).
 */
export class RetentionRunner {
  private record: RetentionRecord;
  private running: Promise<void> | undefined;
  private readonly startedAt: number;
  private readonly firstMs: number;
  private firstDone = false;
  private readonly first: NodeJS.Timeout;
  private readonly every: NodeJS.Timeout;

  constructor(private readonly options: RetentionRunnerOptions) {
    this.record = this.readState();
    this.firstMs = options.firstCheckMs ?? FIRST_CHECK_MS;
    this.startedAt = options.clock.now();
    this.first = setTimeout(() => void this.run().finally(() => (this.firstDone = true)), this.firstMs);
    this.every = setInterval(() => this.run(), CHECK_EVERY_MS);
    this.first.unref();
    this.every.unref();
  }

  status(): RetentionView {
    const base = readLogBase(this.options.db);
    return {
      archiveAfterDays: this.options.policy.archiveAfterDays,
      folder: this.options.policy.folder,
      running: this.running !== undefined,
      nextCheckAt: this.nextCheckAt(),
      ...this.record,
      liveStartsAfter: base.archive ? { archive: base.archive, lastSeq: base.lastSeq, lastTime: base.lastTime ?? 0 } : null,
    };
  }

  /** The first look a minute after start, then every hour from the start (the timers' schedule). */
  private nextCheckAt(): number {
    const now = this.options.clock.now();
    if (!this.firstDone && now < this.startedAt + this.firstMs) return this.startedAt + this.firstMs;
    return this.startedAt + Math.max(1, Math.ceil((now - this.startedAt + 1) / CHECK_EVERY_MS)) * CHECK_EVERY_MS;
  }

  /** One pass now (unless one is under way); resolves when it has ended. */
  run(): Promise<void> {
    if (this.running) return this.running;
    const { clock, logger } = this.options;
    const at = clock.now();
    this.running = applyRetention(this.options)
      .then((report) => {
        if (!report) return;
        logger.info(
          `retention: archived ${report.events} events (blocks ${report.blocks.first}–${report.blocks.last}) into ${report.file}; ` +
            `live database ${report.liveBytesBefore} → ${report.liveBytesAfter} bytes`,
        );
        this.record = {
          ...this.record,
          lastArchive: {
            file: path.basename(report.file),
            events: report.events,
            at,
            bytesGivenBack: Math.max(0, report.liveBytesBefore - report.liveBytesAfter),
            fileBytes: report.fileBytes,
          },
        };
        this.options.onRun?.({ ok: true, report });
        this.writeState();
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        // An open shift at the cut, or nothing whole to move: tried again at the next check.
        if (error instanceof ArchiveError && (error.problem === 'inside-open-shift' || error.problem === 'nothing-to-archive')) {
          logger.info(`retention: ${message}`);
          this.record = { ...this.record, lastWait: { at, message } };
        } else {
          logger.warn(`retention: archiving failed: ${message}`);
          this.record = { ...this.record, lastFailure: { at, message } };
          this.options.onRun?.({ ok: false, error: message });
        }
        this.writeState();
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Stops the checks and waits for a pass under way (an archive is never left half-way by a stop). */
  async stop(): Promise<void> {
    clearTimeout(this.first);
    clearInterval(this.every);
    await this.running;
  }

  private stateFile(): string {
    return path.join(this.options.dataDir, RETENTION_STATE_FILE);
  }

  private readState(): RetentionRecord {
    try {
      const saved = JSON.parse(fs.readFileSync(this.stateFile(), 'utf8')) as Partial<RetentionRecord>;
      return { lastArchive: saved.lastArchive ?? null, lastFailure: saved.lastFailure ?? null, lastWait: saved.lastWait ?? null };
    } catch {
      return { lastArchive: null, lastFailure: null, lastWait: null }; // none yet: the log keeps each archive's event
    }
  }

  private writeState(): void {
    const file = this.stateFile();
    try {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(this.record));
      fs.renameSync(`${file}.tmp`, file);
    } catch (error) {
      this.options.logger.warn(`cannot save the retention state in ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

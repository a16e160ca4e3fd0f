// The site file's scheduled backups, taken by the running core itself: each
// job copies the database (backup.ts) daily at a local time or every N
// minutes, through the core's own connection in small steps (the feeds keep
// flowing; the core's own writes meanwhile are carried into the copy). Each
// run is logged (`backup.completed` / `backup.failed`), and each job's state —
// last success, last error, next run — is kept in DATA/backups.json (so it
// survives a restart) and shown to supervisors (`backups.status`).
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../../shared/clock';
import type { BackupJobView } from '../../../shared/contract';
import type { SiteBackup } from '../../../shared/site';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import { backupDatabase, checkBackupTarget } from './backup';

export const BACKUP_STATE_FILE = 'backups.json';
/** Pages per step of a backup taken inside the core (4 MiB at 4 KiB pages): a few milliseconds each. */
const PAGES_PER_STEP = 1024;

interface JobRecord {
  lastAttemptAt: number | null;
  lastSuccess: BackupJobView['lastSuccess'];
  lastError: BackupJobView['lastError'];
}

export interface BackupSchedulerOptions {
  db: Db;
  dataDir: string;
  jobs: readonly SiteBackup[];
  clock: Clock;
  logger: Logger;
  /** Called after each run (the core logs it). */
  onRun(job: SiteBackup, outcome: { ok: true; lastSeq: number; headHash: string | null; bytes: number; ms: number } | { ok: false; error: string }): void;
  /** How often due jobs are looked for (default 20 s). */
  checkEveryMs?: number;
}

/** The first moment after `after` that is `at` (HH:MM) in local time. */
export function nextDailyRun(after: number, at: string): number {
  const [hours, minutes] = at.split(':').map(Number) as [number, number];
  const next = new Date(after);
  next.setHours(hours, minutes, 0, 0);
  if (next.getTime() <= after) next.setDate(next.getDate() + 1);
  return next.getTime();
}

export function scheduleText(job: SiteBackup): string {
  return job.at !== undefined ? `daily at ${job.at}` : `every ${job.everyMinutes} min`;
}

export class BackupScheduler {
  private readonly records = new Map<string, JobRecord>();
  private readonly running = new Set<string>();
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private current: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: BackupSchedulerOptions) {
    // A job that sends the copy into the data directory is a bad site file: refused at start, before anything runs.
    for (const job of options.jobs) checkBackupTarget(options.dataDir, job.to);
    this.startedAt = options.clock.now();
    const saved = this.readState();
    for (const job of options.jobs) this.records.set(job.to, saved[job.to] ?? { lastAttemptAt: null, lastSuccess: null, lastError: null });
  }

  start(): void {
    if (this.options.jobs.length === 0) return;
    this.timer = setInterval(() => this.runDue(), this.options.checkEveryMs ?? 20_000);
    this.timer.unref();
  }

  /** Stops scheduling and waits for a backup in progress to end (its copy is complete or removed). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.current;
  }

  status(): BackupJobView[] {
    return this.options.jobs.map((job) => {
      const record = this.records.get(job.to)!;
      return {
        to: job.to,
        schedule: scheduleText(job),
        running: this.running.has(job.to),
        nextAt: this.nextRun(job),
        lastSuccess: record.lastSuccess,
        lastError: record.lastError,
      };
    });
  }

  /** When the job runs next: from its last attempt (or the core's start, if it never ran). */
  nextRun(job: SiteBackup): number {
    const after = this.records.get(job.to)!.lastAttemptAt ?? this.startedAt;
    return job.at !== undefined ? nextDailyRun(after, job.at) : after + job.everyMinutes! * 60_000;
  }

  /** Runs every job that is due, one after the other (two copies at once would only compete for the disk). */
  runDue(): void {
    const now = this.options.clock.now();
    for (const job of this.options.jobs) {
      if (this.running.has(job.to) || now < this.nextRun(job)) continue;
      this.running.add(job.to);
      this.current = this.current.then(() => this.run(job));
    }
  }

  private async run(job: SiteBackup): Promise<void> {
    const { clock, logger } = this.options;
    const record = this.records.get(job.to)!;
    try {
      if (this.stopped) return;
      const at = clock.now();
      record.lastAttemptAt = at;
      try {
        const result = await backupDatabase(this.options.db, this.options.dataDir, job.to, {
          pagesPerStep: PAGES_PER_STEP,
          check: false,
          now: () => clock.now(),
        });
        record.lastSuccess = { at, lastSeq: result.lastSeq, headHash: result.headHash, bytes: result.bytes, ms: result.ms };
        logger.info(`backup to ${job.to}: ${result.lastSeq} events, ${result.bytes} bytes in ${result.ms} ms`);
        this.options.onRun(job, { ok: true, lastSeq: result.lastSeq, headHash: result.headHash, bytes: result.bytes, ms: result.ms });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        record.lastError = { at, message };
        logger.error(`backup to ${job.to} failed: ${message}`);
        this.options.onRun(job, { ok: false, error: message });
      }
      this.writeState();
    } finally {
      this.running.delete(job.to);
    }
  }

  private stateFile(): string {
    return path.join(this.options.dataDir, BACKUP_STATE_FILE);
  }

  private readState(): Record<string, JobRecord> {
    try {
      return JSON.parse(fs.readFileSync(this.stateFile(), 'utf8')) as Record<string, JobRecord>;
    } catch {
      return {}; // none yet, or unreadable: the jobs start afresh (the log keeps every run's event)
    }
  }

  private writeState(): void {
    const file = this.stateFile();
    try {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(Object.fromEntries(this.records)));
      fs.renameSync(`${file}.tmp`, file);
    } catch (error) {
      this.options.logger.warn(`cannot save the backups' state in ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

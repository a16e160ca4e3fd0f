// The post's archive files as consoles open them (docs/archive.md): replay
// and figures read an archive exactly as they read the live log, from its
// unpacked copy (openArchive). A console names a file from `list()` only —
// never a path of its own. An opened archive stays unpacked while consoles
// use it and is closed (its copy removed) after a while unused, or when
// the core stops. Nothing here writes to an archive file.
import fs from 'node:fs';
import path from 'node:path';
import type { ArchiveFileView, ShiftView } from '../../../shared/contract';
import { Shifts } from '../accounts/shifts';
import type { Db } from '../db/database';
import { readLogBase } from '../log/eventLog';
import { Refusal } from '../refusal';
import { ReplayService } from '../replay/replayService';
import { ARCHIVE_EXTENSION, ArchiveError, openArchive, type OpenedArchive } from './archive';

/** An archive unused this long is closed and its unpacked copy removed. */
const IDLE_MS = 10 * 60_000;
/** At most this many unpacked at once (each takes ~2.5 × its file on the temporary disk): the least used goes first. */
const MAX_OPEN = 3;

export interface ShelfOptions {
  /** The live log (read for its base: the archive it starts after). */
  db: Db;
  dataDir: string;
  /** The retention policy's folder, relative to the data directory (absent: no policy). */
  folder?: string;
  /** How long an unused archive stays unpacked (tests shorten it). */
  idleMs?: number;
}

interface Opened {
  archive: OpenedArchive;
  replay: ReplayService;
  lastUsed: number;
  /** Requests using it now: it is not closed under them. */
  users: number;
}

export class ArchiveShelf {
  private readonly opened = new Map<string, Promise<Opened>>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: ShelfOptions) {
    this.timer = setInterval(() => this.closeIdle(), Math.min(60_000, options.idleMs ?? IDLE_MS));
    this.timer.unref();
  }

  /** The policy's folder's archives, plus the one the live log starts after (wherever it was written), newest first. */
  list(): ArchiveFileView[] {
    const { dataDir, folder } = this.options;
    const names = new Set<string>();
    if (folder !== undefined) {
      let entries: string[] = [];
      try {
        entries = fs.readdirSync(path.resolve(dataDir, folder));
      } catch {
        // No archive made yet: no folder.
      }
      for (const entry of entries) if (entry.endsWith(ARCHIVE_EXTENSION)) names.add(this.nameOf(path.resolve(dataDir, folder, entry)));
    }
    const base = readLogBase(this.options.db).archive;
    const baseName = base ? this.nameOf(this.resolveBase(base)) : undefined;
    if (baseName !== undefined) names.add(baseName);
    const files: ArchiveFileView[] = [];
    for (const name of names) {
      try {
        const stat = fs.statSync(this.pathOf(name));
        if (stat.isFile()) files.push({ file: name, bytes: stat.size, modifiedAt: Math.round(stat.mtimeMs), base: name === baseName });
      } catch {
        // Moved to another disk (as docs/archive.md says to): not offered.
      }
    }
    return files.sort((a, b) => b.modifiedAt - a.modifiedAt || b.file.localeCompare(a.file));
  }

  /** The archive's shifts and span, opening it if need be. */
  async describe(name: string): Promise<{ firstSeq: number; lastSeq: number; from: number | null; to: number | null; shifts: ShiftView[] }> {
    return this.use(name, ({ archive }) => {
      const times = archive.db.prepare('SELECT min(first_time) AS a, max(last_time) AS b FROM log_blocks').get() as { a: number | null; b: number | null };
      return { firstSeq: archive.info.firstSeq, lastSeq: archive.info.lastSeq, from: times.a, to: times.b, shifts: new Shifts(archive.db).list(1000) };
    });
  }

  /** Runs `work` on the opened archive (its database and its replay service), kept open meanwhile. */
  async use<T>(name: string, work: (opened: { archive: OpenedArchive; replay: ReplayService }) => T | Promise<T>): Promise<T> {
    const opened = await this.open(name);
    opened.users += 1;
    opened.lastUsed = Date.now();
    try {
      return await work(opened);
    } finally {
      opened.users -= 1;
      opened.lastUsed = Date.now();
    }
  }

  /** Drops this console's replay cursors in every opened archive (leaving replay mode). */
  async dropCursors(key: string): Promise<boolean> {
    let dropped = false;
    for (const pending of this.opened.values()) {
      const opened = await pending.catch(() => undefined);
      if (opened?.replay.drop(key)) dropped = true;
    }
    return dropped;
  }

  /** How many archives are unpacked now. */
  get openCount(): number {
    return this.opened.size;
  }

  /** Closes every archive (their unpacked copies removed): the core is stopping. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const all = [...this.opened.values()];
    this.opened.clear();
    for (const pending of all) {
      const opened = await pending.catch(() => undefined);
      if (opened) shut(opened);
    }
  }

  /** Closes the archives unused for the idle time (none in use by a request). */
  closeIdle(now = Date.now()): void {
    const idleMs = this.options.idleMs ?? IDLE_MS;
    for (const [name, pending] of this.opened)
      void pending.then(
        (opened) => {
          if (opened.users === 0 && now - opened.lastUsed >= idleMs && this.opened.get(name) === pending) {
            this.opened.delete(name);
            shut(opened);
          }
        },
        () => undefined,
      );
  }

  private open(name: string): Promise<Opened> {
    if (this.closed) throw new Refusal('core-stopping', {}, 'the core is stopping');
    const known = this.opened.get(name);
    if (known) return known;
    if (!this.list().some((file) => file.file === name))
      throw new Refusal('archive-unknown', { archive: name }, `${name} is not one of this post's archive files`);
    if (this.opened.size >= MAX_OPEN) this.closeLeastUsed();
    const pending = openArchive(this.pathOf(name)).then(
      (archive): Opened => ({
        archive,
        // A connection of its own for each reader (the chain walk closes its own): the archive's db stays with the shelf.
        replay: new ReplayService(() => archive.openReadonly()),
        lastUsed: Date.now(),
        users: 0,
      }),
      (error: unknown) => {
        this.opened.delete(name);
        throw unreadable(name, error);
      },
    );
    this.opened.set(name, pending);
    return pending;
  }

  private closeLeastUsed(): void {
    // Only settled, unused ones can be chosen; without one, the shelf briefly holds one more.
    void Promise.all(
      [...this.opened.entries()].map(([name, pending]) =>
        pending.then(
          (opened) => ({ name, pending, opened }),
          () => undefined,
        ),
      ),
    ).then((entries) => {
      const idle = entries.filter((entry) => entry && entry.opened.users === 0).sort((a, b) => a!.opened.lastUsed - b!.opened.lastUsed)[0];
      if (idle && this.opened.size > MAX_OPEN - 1 && this.opened.get(idle.name) === idle.pending) {
        this.opened.delete(idle.name);
        shut(idle.opened);
      }
    });
  }

  /** The name a console uses: relative to the data directory when inside it. */
  private nameOf(file: string): string {
    const relative = path.relative(this.options.dataDir, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
  }

  private pathOf(name: string): string {
    return path.resolve(this.options.dataDir, name);
  }

  /** log_base names the file as archived: by the policy, its name in the folder; by `vigie archive`, the --out given. */
  private resolveBase(archive: string): string {
    if (path.isAbsolute(archive)) return archive;
    if (this.options.folder !== undefined) {
      const inFolder = path.resolve(this.options.dataDir, this.options.folder, archive);
      if (fs.existsSync(inFolder)) return inFolder;
    }
    return path.resolve(this.options.dataDir, archive);
  }
}

function shut(opened: Opened): void {
  opened.replay.close();
  opened.archive.close();
}

/** Why an archive file could not be opened, as a refusal the console words. */
function unreadable(name: string, error: unknown): Error {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === 'DatabaseFromFutureError')
    return new Refusal('archive-unreadable', { archive: name, problem: 'newer', detail }, `${name}: ${detail}`);
  if (!(error instanceof ArchiveError)) return error instanceof Error ? error : new Error(detail);
  const problem = /does not decompress/.test(detail) ? 'damaged' : /cannot be read/.test(detail) ? 'unreadable' : 'foreign';
  return new Refusal('archive-unreadable', { archive: name, problem, detail }, detail);
}

// Rejected feed input, kept: raw bytes (up to a cap), source, time and
// reason, written in batches beside the log's commits.
import type { QuarantineEntry } from '../../../shared/contract';
import type { Db } from '../db/database';

/** Raw bytes kept per rejected message; the rest is summarised by its length. */
export const MAX_QUARANTINED_BYTES = 64 * 1024;
/** Per source and reason, this many entries a minute keep their bytes in full… */
const FULL_ENTRIES_PER_MINUTE = 100;
/** …and the rest keep only their beginning, so a garbage flood cannot fill the disk. */
const FLOOD_ENTRY_BYTES = 256;
/** Rows kept at most; the oldest tenth goes when it is reached (the quarantine is evidence of faults, not the log). */
const MAX_ROWS = 500_000;

export interface Rejected {
  time: number;
  protocol: string;
  source: string;
  reason: string;
  detail: string;
  raw: Buffer | string;
}

export class Quarantine {
  private buffer: Rejected[] = [];
  private readonly insert;
  private total: number;
  private rows: number;
  /** Full-size entries per source and reason in the current minute. */
  private window = { minute: 0, counts: new Map<string, number>() };

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO quarantine (time, protocol, source, reason, detail, raw) VALUES (?, ?, ?, ?, ?, ?)');
    this.total = (db.prepare('SELECT count(*) AS n FROM quarantine').get() as { n: number }).n;
    this.rows = this.total;
  }

  add(entry: Rejected): void {
    this.buffer.push(entry);
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Entries ever quarantined in this database. */
  get count(): number {
    return this.total + this.buffer.length;
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.db.transaction(() => {
      for (const entry of batch) {
        const raw = typeof entry.raw === 'string' ? Buffer.from(entry.raw) : entry.raw;
        const keep = this.fullEntryAllowed(entry) ? MAX_QUARANTINED_BYTES : FLOOD_ENTRY_BYTES;
        const detail = raw.length > keep ? `${entry.detail} (first ${keep} of ${raw.length} bytes kept)` : entry.detail;
        this.insert.run(entry.time, entry.protocol, entry.source, entry.reason, detail.slice(0, 1000), raw.subarray(0, keep));
      }
      this.rows += batch.length;
      if (this.rows > MAX_ROWS) {
        const drop = Math.ceil(MAX_ROWS / 10);
        this.db.prepare('DELETE FROM quarantine WHERE id IN (SELECT id FROM quarantine ORDER BY id LIMIT ?)').run(drop);
        this.rows -= drop;
      }
    })();
    this.total += batch.length;
  }

  private fullEntryAllowed(entry: Rejected): boolean {
    const minute = Math.floor(entry.time / 60_000);
    if (minute !== this.window.minute) this.window = { minute, counts: new Map() };
    const key = `${entry.source}\n${entry.reason}`;
    const used = this.window.counts.get(key) ?? 0;
    this.window.counts.set(key, used + 1);
    return used < FULL_ENTRIES_PER_MINUTE;
  }

  list(limit: number, filter: { source?: string; reason?: string } = {}): QuarantineEntry[] {
    this.flush();
    const rows = this.db
      .prepare(
        `SELECT id, time, protocol, source, reason, detail, raw FROM quarantine
          WHERE (@source IS NULL OR source = @source) AND (@reason IS NULL OR reason = @reason)
          ORDER BY id DESC LIMIT @limit`,
      )
      .all({ source: filter.source ?? null, reason: filter.reason ?? null, limit }) as {
      id: number;
      time: number;
      protocol: string;
      source: string;
      reason: string;
      detail: string;
      raw: Buffer;
    }[];
    return rows.map((row) => ({
      id: row.id,
      time: row.time,
      protocol: row.protocol,
      source: row.source,
      reason: row.reason,
      detail: row.detail,
      preview: preview(row.raw),
      bytes: row.raw.length,
    }));
  }
}

/** Printable text with control bytes escaped, cut to 300 characters. */
function preview(raw: Buffer): string {
  const text = raw.subarray(0, 600).toString('utf8');
  // eslint-disable-next-line no-control-regex
  const escaped = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > 300 ? `${escaped.slice(0, 300)}…` : escaped;
}

// Shifts: a post has at most one open shift. Signing in opens one when none
// is open, or joins the open one; the supervisor or operator handing over
// closes it with a handover note. The `shifts` table is a projection of the
// logged shift.opened / shift.closed events, so the seq range of a shift —
// and so which events are its events — is as tamper-evident as the log.
import type { Db } from '../db/database';
import { storedPayload } from '../log/eventCatalogue';
import type { StoredEvent } from '../log/hashChain';

export interface ShiftRow {
  id: number;
  openedAt: number;
  openedBy: string;
  firstSeq: number;
  closedAt: number | null;
  closedBy: string | null;
  handover: string | null;
  lastSeq: number | null;
}

interface Row {
  id: number;
  opened_at: number;
  opened_by: string;
  first_seq: number;
  closed_at: number | null;
  closed_by: string | null;
  handover: string | null;
  last_seq: number | null;
}

const toShift = (row: Row): ShiftRow => ({
  id: row.id,
  openedAt: row.opened_at,
  openedBy: row.opened_by,
  firstSeq: row.first_seq,
  closedAt: row.closed_at,
  closedBy: row.closed_by,
  handover: row.handover,
  lastSeq: row.last_seq,
});

export function shiftProjector(db: Db): (events: readonly StoredEvent[]) => void {
  const open = db.prepare('INSERT INTO shifts (id, opened_at, opened_by, first_seq) VALUES (?, ?, ?, ?)');
  const close = db.prepare('UPDATE shifts SET closed_at = ?, closed_by = ?, handover = ?, last_seq = ? WHERE id = ? AND closed_at IS NULL');
  return (events) => {
    for (const event of events) {
      if (event.kind === 'shift.opened') {
        const p = storedPayload<'shift.opened'>(event);
        open.run(p.shift, event.time, p.by, event.seq);
      } else if (event.kind === 'shift.closed') {
        const p = storedPayload<'shift.closed'>(event);
        close.run(event.time, p.by, p.handover, event.seq, p.shift);
      }
    }
  };
}

export class Shifts {
  constructor(private readonly db: Db) {}

  current(): ShiftRow | null {
    const row = this.db.prepare('SELECT * FROM shifts WHERE closed_at IS NULL ORDER BY id DESC LIMIT 1').get() as Row | undefined;
    return row ? toShift(row) : null;
  }

  get(id: number): ShiftRow | null {
    const row = this.db.prepare('SELECT * FROM shifts WHERE id = ?').get(id) as Row | undefined;
    return row ? toShift(row) : null;
  }

  /** Newest first. */
  list(limit = 200): ShiftRow[] {
    return (this.db.prepare('SELECT * FROM shifts ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(toShift);
  }

  nextId(): number {
    return ((this.db.prepare('SELECT max(id) AS n FROM shifts').get() as { n: number | null }).n ?? 0) + 1;
  }

  /** The shift an event belongs to (by its sequence number), or null when none was open. */
  ofSeq(seq: number): number | null {
    const row = this.db.prepare('SELECT id FROM shifts WHERE first_seq <= ? AND (last_seq IS NULL OR last_seq >= ?) ORDER BY id DESC LIMIT 1').get(seq, seq) as
      { id: number } | undefined;
    return row?.id ?? null;
  }
}

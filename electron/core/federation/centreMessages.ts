// Messages from the regional centre at a post ("request assistance",
// docs/federation.md#messages-from-the-centre): which have been logged and
// which an operator acknowledged, read from the log once at start and kept
// up by a projector, so the console can list them and the uplink can tell a
// redelivered message from a new one.
import type { CentreMessageView } from '../../../shared/contract';
import type { Db } from '../db/database';
import { readableEvent, type Projector } from '../log/eventLog';
import { storedPayload } from '../log/eventCatalogue';
import type { StoredEvent } from '../log/hashChain';

/** How many the console is given, newest first. */
const SHOWN = 50;

export class PostCentreMessages {
  private readonly messages = new Map<string, CentreMessageView>();

  constructor(db: Db) {
    // A full scan of the log's centre kinds, once: the events table has no index by kind.
    const kinds = db.prepare("SELECT id FROM event_kinds WHERE name IN ('centre.message', 'centre.message.acknowledged')").all() as { id: number }[];
    if (kinds.length === 0) return;
    const rows = db
      .prepare(
        `SELECT e.seq, e.time, k.name AS kind, s.name AS source, e.operator, e.payload, e.packed FROM events e
           JOIN event_kinds k ON k.id = e.kind JOIN event_sources s ON s.id = e.source
          WHERE e.kind IN (${kinds.map(() => '?').join(',')}) ORDER BY e.seq`,
      )
      .all(...kinds.map((k) => k.id)) as StoredEvent[];
    this.project(rows.map(readableEvent));
  }

  readonly project: Projector = (events) => {
    for (const event of events) {
      if (event.kind === 'centre.message') {
        const p = storedPayload<'centre.message'>(event);
        if (!this.messages.has(p.m)) this.messages.set(p.m, { m: p.m, text: p.text, sentAt: p.at, receivedAt: event.time, acknowledged: null });
      } else if (event.kind === 'centre.message.acknowledged') {
        const message = this.messages.get(storedPayload<'centre.message.acknowledged'>(event).m);
        if (message && !message.acknowledged) message.acknowledged = { by: event.operator ?? '', at: event.time };
      }
    }
  };

  has(m: string): boolean {
    return this.messages.has(m);
  }

  get(m: string): CentreMessageView | undefined {
    return this.messages.get(m);
  }

  /** Newest first: every one not yet acknowledged, then the latest acknowledged ones. */
  list(): CentreMessageView[] {
    const all = [...this.messages.values()].reverse();
    return [...all.filter((m) => !m.acknowledged), ...all.filter((m) => m.acknowledged)].slice(0, SHOWN);
  }
}

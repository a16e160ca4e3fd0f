// GeoChat messages as a projection of the log: chat.received and chat.sent
// add one, chat.receipt records a device's delivered or read receipt,
// chat.linked ties one to an incident. Written inside the append transaction
// (table chat_messages, migration 10), so a restart shows what the log says;
// each part keeps the seq of the event that made it, so replay can show the
// messages as they stood at any moment without reading the log again.
import type { ChatMessageView } from '../../../shared/contract';
import type { Db } from '../db/database';
import type { StoredEvent } from '../log/hashChain';
import { storedPayload } from '../log/eventCatalogue';

/** ATAK's room for everyone (feeds/cot/encodeGeoChat.ts). */
const ALL_CHAT_ROOMS = 'All Chat Rooms';

/** ATAK's teams (`__group name`): a room named after one is that team's room. */
export const ATAK_TEAMS: ReadonlySet<string> = new Set([
  'White',
  'Yellow',
  'Orange',
  'Magenta',
  'Red',
  'Maroon',
  'Purple',
  'Dark Blue',
  'Blue',
  'Cyan',
  'Teal',
  'Green',
  'Dark Green',
  'Brown',
]);

/** The console's thread of a received message: All, a team's room, else the sender's own thread. */
export function threadOfReceived(roomId: string, room: string, device: string): string {
  if (roomId === ALL_CHAT_ROOMS || room === ALL_CHAT_ROOMS) return 'all';
  if (ATAK_TEAMS.has(roomId)) return `team:${roomId}`;
  return `device:${device}`;
}

export class ChatMessages {
  private readonly messages = new Map<string, ChatMessageView>();
  private readonly dirty = new Set<string>();
  private readonly changed = new Set<string>();
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      save: db.prepare(
        'INSERT INTO chat_messages (id, seq, time, thread, message) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET message = excluded.message',
      ),
    };
    this.load();
  }

  reload(): void {
    this.messages.clear();
    this.dirty.clear();
    this.load();
    for (const id of this.messages.keys()) this.changed.add(id);
  }

  private load(): void {
    for (const row of this.db.prepare('SELECT id, message FROM chat_messages ORDER BY seq').all() as { id: string; message: string }[])
      this.messages.set(row.id, JSON.parse(row.message) as ChatMessageView);
  }

  /** Projector for EventLog.addProjector. */
  readonly project = (events: readonly StoredEvent[]): void => {
    for (const event of events) {
      switch (event.kind) {
        case 'chat.received': {
          const p = storedPayload<'chat.received'>(event);
          // A device repeating a message (a mesh and a server both relaying it) is one message.
          if (this.messages.has(p.m)) break;
          this.messages.set(p.m, {
            id: p.m,
            seq: event.seq,
            time: event.time,
            direction: 'in',
            thread: threadOfReceived(p.rid, p.room, p.d),
            device: p.d,
            callsign: p.cs || null,
            operator: null,
            room: p.room,
            text: p.text,
            recipients: [],
            receipts: [],
            incident: null,
            linkSeq: null,
          });
          this.touch(p.m);
          break;
        }
        case 'chat.sent': {
          const p = storedPayload<'chat.sent'>(event);
          this.messages.set(p.m, {
            id: p.m,
            seq: event.seq,
            time: event.time,
            direction: 'out',
            thread: p.to.startsWith('unit:') ? `device:${p.d[0] ?? p.to.slice(5)}` : p.to,
            device: null,
            callsign: null,
            operator: event.operator ?? null,
            room: p.room,
            text: p.text,
            recipients: p.d,
            receipts: [],
            incident: null,
            linkSeq: null,
          });
          this.touch(p.m);
          break;
        }
        case 'chat.receipt': {
          const p = storedPayload<'chat.receipt'>(event);
          const message = this.messages.get(p.m);
          if (!message) break;
          // One receipt of each state per device (a delivered one stays beside the read one: replay shows each at its time).
          if (message.receipts.some((receipt) => receipt.device === p.d && receipt.state === p.st)) break;
          message.receipts = [...message.receipts, { device: p.d, state: p.st, time: event.time, seq: event.seq }];
          this.touch(p.m);
          break;
        }
        case 'chat.linked': {
          const p = storedPayload<'chat.linked'>(event);
          const message = this.messages.get(p.m);
          if (!message) break;
          message.incident = p.inc;
          message.linkSeq = event.seq;
          this.touch(p.m);
          break;
        }
      }
    }
    for (const id of this.dirty) {
      const message = this.messages.get(id)!;
      this.statements.save.run(id, message.seq, message.time, message.thread, JSON.stringify(message));
    }
    this.dirty.clear();
  };

  private touch(id: string): void {
    this.dirty.add(id);
    this.changed.add(id);
  }

  get(id: string): ChatMessageView | undefined {
    return this.messages.get(id);
  }

  /** The newest `limit` messages, oldest first. */
  list(limit = 1000): ChatMessageView[] {
    return [...this.messages.values()].slice(-limit);
  }

  /** The messages as they stood after event `seq`: those logged by then, with the receipts and the link logged by then. */
  at(seq: number, limit = 1000): ChatMessageView[] {
    const out: ChatMessageView[] = [];
    for (const message of this.messages.values()) {
      if (message.seq > seq) continue;
      out.push({
        ...message,
        receipts: message.receipts.filter((receipt) => receipt.seq <= seq),
        ...(message.linkSeq !== null && message.linkSeq > seq ? { incident: null, linkSeq: null } : {}),
      });
    }
    return out.slice(-limit);
  }

  /** Messages changed since the last call, for the consoles; null when none did. */
  takeChanged(): ChatMessageView[] | null {
    if (this.changed.size === 0) return null;
    const messages = [...this.changed].flatMap((id) => {
      const message = this.messages.get(id);
      return message ? [message] : [];
    });
    this.changed.clear();
    return messages;
  }
}

// Points and markers placed on field devices, as a projection of the log:
// field.point places or moves one, field.deleted removes it (a device's
// t-x-d-d), field.attached ties it to an incident. Written inside the append
// transaction (table field_points), so a restart shows what the log says.
import type { FieldPointView } from '../../../shared/contract';
import type { Db } from '../db/database';
import type { StoredEvent } from '../log/hashChain';
import { storedPayload } from '../log/eventCatalogue';

export class FieldPoints {
  private readonly points = new Map<string, FieldPointView>();
  private readonly dirty = new Set<string>();
  private readonly changed = new Set<string>();
  private readonly removed = new Set<string>();
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      save: db.prepare('INSERT INTO field_points (id, point) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET point = excluded.point'),
      remove: db.prepare('DELETE FROM field_points WHERE id = ?'),
    };
    this.load();
  }

  reload(): void {
    this.points.clear();
    this.dirty.clear();
    this.load();
    for (const id of this.points.keys()) this.changed.add(id);
  }

  private load(): void {
    for (const row of this.db.prepare('SELECT id, point FROM field_points').all() as { id: string; point: string }[])
      this.points.set(row.id, JSON.parse(row.point) as FieldPointView);
  }

  /** Projector for EventLog.addProjector. */
  readonly project = (events: readonly StoredEvent[]): void => {
    for (const event of events) {
      switch (event.kind) {
        case 'field.point': {
          const p = storedPayload<'field.point'>(event);
          this.points.set(p.p, {
            id: p.p,
            uid: p.uid,
            cotType: p.ty,
            category: p.cat,
            lat: p.lat,
            lon: p.lon,
            label: p.cs ?? null,
            remarks: p.rmk ?? null,
            colour: p.col ?? null,
            device: p.d ?? null,
            placedBy: p.by ?? null,
            time: event.time,
            stale: p.stl,
            // A point moved by its device stays attached to its incident.
            incident: this.points.get(p.p)?.incident ?? null,
          });
          this.touch(p.p);
          break;
        }
        case 'field.deleted': {
          const p = storedPayload<'field.deleted'>(event);
          if (this.points.delete(p.p)) {
            this.dirty.add(p.p);
            this.changed.delete(p.p);
            this.removed.add(p.p);
          }
          break;
        }
        case 'field.attached': {
          const p = storedPayload<'field.attached'>(event);
          const point = this.points.get(p.p);
          if (point) {
            point.incident = p.inc;
            this.touch(p.p);
          }
          break;
        }
      }
    }
    for (const id of this.dirty) {
      const point = this.points.get(id);
      if (point) this.statements.save.run(id, JSON.stringify(point));
      else this.statements.remove.run(id);
    }
    this.dirty.clear();
  };

  private touch(id: string): void {
    this.dirty.add(id);
    this.changed.add(id);
    this.removed.delete(id);
  }

  get(id: string): FieldPointView | undefined {
    return this.points.get(id);
  }

  list(): FieldPointView[] {
    return [...this.points.values()];
  }

  /** Points attached to an incident (for its evidence). */
  ofIncident(incident: string): FieldPointView[] {
    return this.list().filter((point) => point.incident === incident);
  }

  /** What changed since the last call, for the consoles; null when nothing did. */
  takeChanged(): { points: FieldPointView[]; removed: string[] } | null {
    if (this.changed.size === 0 && this.removed.size === 0) return null;
    const points = [...this.changed].flatMap((id) => {
      const point = this.points.get(id);
      return point ? [point] : [];
    });
    const removed = [...this.removed];
    this.changed.clear();
    this.removed.clear();
    return { points, removed };
  }
}

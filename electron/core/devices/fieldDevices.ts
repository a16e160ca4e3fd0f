// Field devices (ATAK, WinTAK, iTAK) as a projection of the log: every device
// heard (device.report), the unit a supervisor registered it as
// (device.registered) and whether it is blocked (device.blocked /
// device.unblocked). The feed reads it to turn a registered device's reports
// into its unit's positions and to quarantine a blocked device; the outbound
// side reads it to reach a registered unit's device. Rows are written inside
// the append transaction, like the live picture's, so a restart shows exactly
// what the log says.
import type { DeviceView } from '../../../shared/contract';
import type { Db } from '../db/database';
import type { MirroredRegistry } from '../feeds/parseWorker/parsePool';
import type { StoredEvent } from '../log/hashChain';
import { storedPayload, type EventPayloads } from '../log/eventCatalogue';

interface DeviceRow {
  id: string;
  uid: string;
  unit: string | null;
  blocked: string | null;
  report: (EventPayloads['device.report'] & { time: number }) | null;
  emergency: DeviceView['emergency'];
}

export class FieldDevices implements MirroredRegistry {
  private readonly rows = new Map<string, DeviceRow>();
  /** Registered, not blocked: uid → unit. */
  private readonly unitsByUid = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private readonly changed = new Set<string>();
  private readonly save;

  constructor(private readonly db: Db) {
    this.save = db.prepare(
      `INSERT INTO field_devices (id, uid, unit, blocked, report, emergency) VALUES (@id, @uid, @unit, @blocked, @report, @emergency)
       ON CONFLICT (id) DO UPDATE SET uid = excluded.uid, unit = excluded.unit, blocked = excluded.blocked, report = excluded.report, emergency = excluded.emergency`,
    );
    this.load();
  }

  /** Reads the committed state again (after a rolled-back block). */
  reload(): void {
    this.rows.clear();
    this.dirty.clear();
    this.load();
    for (const id of this.rows.keys()) this.changed.add(id);
  }

  private load(): void {
    for (const row of this.db.prepare('SELECT id, uid, unit, blocked, report, emergency FROM field_devices').all() as {
      id: string;
      uid: string;
      unit: string | null;
      blocked: string | null;
      report: string | null;
      emergency: string | null;
    }[]) {
      this.rows.set(row.id, {
        id: row.id,
        uid: row.uid,
        unit: row.unit,
        blocked: row.blocked,
        report: row.report ? (JSON.parse(row.report) as DeviceRow['report']) : null,
        emergency: row.emergency ? (JSON.parse(row.emergency) as DeviceRow['emergency']) : null,
      });
    }
    this.index();
  }

  private index(): void {
    this.unitsByUid.clear();
    for (const row of this.rows.values()) if (row.unit && !row.blocked) this.unitsByUid.set(row.uid, row.unit);
    this.version += 1;
  }

  /** Moves whenever the registrations do: the feed parse worker mirrors them (feeds/parseWorker). */
  version = 0;

  /** Registered, unblocked devices: [uid, unit]. */
  registrations(): [string, string][] {
    return [...this.unitsByUid];
  }

  /** Projector for EventLog.addProjector. */
  readonly project = (events: readonly StoredEvent[]): void => {
    let registrations = false;
    for (const event of events) {
      switch (event.kind) {
        case 'device.report': {
          const p = storedPayload<'device.report'>(event);
          const row = this.row(p.d, p.uid);
          // Unread detail is logged only when it changes: keep the last one seen.
          row.report = { ...p, x: p.x ?? row.report?.x, time: event.time };
          this.touch(p.d);
          break;
        }
        case 'device.registered': {
          const p = storedPayload<'device.registered'>(event);
          // One device per unit: a unit re-registered to a new phone leaves the old one unregistered.
          for (const other of this.rows.values())
            if (other.unit === p.u && other.id !== p.d) {
              other.unit = null;
              this.touch(other.id);
            }
          this.row(p.d, p.uid).unit = p.u;
          this.touch(p.d);
          registrations = true;
          break;
        }
        case 'device.blocked': {
          const p = storedPayload<'device.blocked'>(event);
          this.row(p.d, p.uid).blocked = p.reason;
          this.touch(p.d);
          registrations = true;
          break;
        }
        case 'emergency.raised': {
          const p = storedPayload<'emergency.raised'>(event);
          const row = this.row(p.d, p.uid);
          // ATAK repeats the alarm: the first one says since when.
          if (!row.emergency || row.emergency.kind !== p.kind) row.emergency = { kind: p.kind, since: event.time, unit: p.u ?? null };
          this.touch(p.d);
          break;
        }
        case 'emergency.cancelled': {
          const p = storedPayload<'emergency.cancelled'>(event);
          this.row(p.d, p.uid).emergency = null;
          this.touch(p.d);
          break;
        }
        case 'device.unblocked': {
          const p = storedPayload<'device.unblocked'>(event);
          this.row(p.d, p.uid).blocked = null;
          this.touch(p.d);
          registrations = true;
          break;
        }
      }
    }
    if (registrations) this.index();
    for (const id of this.dirty) {
      const row = this.rows.get(id)!;
      this.save.run({
        id: row.id,
        uid: row.uid,
        unit: row.unit,
        blocked: row.blocked,
        report: row.report ? JSON.stringify(row.report) : null,
        emergency: row.emergency ? JSON.stringify(row.emergency) : null,
      });
    }
    this.dirty.clear();
  };

  private row(id: string, uid: string): DeviceRow {
    let row = this.rows.get(id);
    if (!row) this.rows.set(id, (row = { id, uid, unit: null, blocked: null, report: null, emergency: null }));
    return row;
  }

  private touch(id: string): void {
    this.dirty.add(id);
    this.changed.add(id);
  }

  /** The unit a registered, unblocked device reports as. */
  unitOf(uid: string): string | undefined {
    return this.unitsByUid.get(uid);
  }

  /** Why the device is blocked, when it is. */
  blockedReason(device: string): string | undefined {
    return this.rows.get(device)?.blocked ?? undefined;
  }

  /** The device a unit was registered with (for its tasking). */
  deviceOfUnit(unit: string): { uid: string } | undefined {
    for (const row of this.rows.values()) if (row.unit === unit && !row.blocked) return { uid: row.uid };
    return undefined;
  }

  get(id: string): DeviceView | undefined {
    const row = this.rows.get(id);
    return row && view(row);
  }

  list(): DeviceView[] {
    return [...this.rows.values()].map(view);
  }

  /** Devices changed since the last call, for the consoles; null when none. */
  takeChanged(): DeviceView[] | null {
    if (this.changed.size === 0) return null;
    const views = [...this.changed].flatMap((id) => {
      const row = this.rows.get(id);
      return row ? [view(row)] : [];
    });
    this.changed.clear();
    return views;
  }
}

function view(row: DeviceRow): DeviceView {
  const r = row.report;
  return {
    id: row.id,
    uid: row.uid,
    callsign: r?.cs ?? null,
    team: r?.team ?? null,
    role: r?.role ?? null,
    battery: r?.bat ?? null,
    platform: r?.plat ?? null,
    model: r?.model ?? null,
    os: r?.os ?? null,
    version: r?.ver ?? null,
    cotType: r?.ty ?? null,
    lat: r?.lat ?? null,
    lon: r?.lon ?? null,
    course: r?.crs ?? null,
    speed: r?.spd ?? null,
    time: r?.time ?? null,
    stale: r?.stl ?? null,
    unit: row.unit,
    blocked: row.blocked,
    emergency: row.emergency,
  };
}

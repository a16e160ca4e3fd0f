// The live picture — sensors, units, tracks, open alerts — as a projection of
// the log. `project` runs inside each append transaction: it updates the
// in-memory picture, writes the changed rows to the projection tables (one
// write per changed row per block, however many events touched it), and
// remembers what changed so the consoles get a delta.
import type { AlertView, SensorView, TrackView, UnitView } from '../../../shared/contract';
import type { Db } from '../db/database';
import type { StoredEvent } from '../log/hashChain';
import type { PictureEventKind, PictureEventPayloads } from './pictureEvents';

export interface PictureDelta {
  units: UnitView[];
  tracks: TrackView[];
  tracksRemoved: string[];
  alerts: AlertView[];
  sensors: SensorView[];
}

interface SensorRow extends SensorView {
  heartbeatSeconds: number;
}

export class LivePicture {
  readonly sensors = new Map<string, SensorRow>();
  readonly units = new Map<string, UnitView>();
  readonly tracks = new Map<string, TrackView>();
  readonly alerts = new Map<string, AlertView>();

  private readonly dirty = { sensors: new Set<string>(), units: new Set<string>(), tracks: new Set<string>(), alerts: new Set<string>() };
  private readonly pending = { sensors: new Set<string>(), units: new Set<string>(), tracks: new Set<string>(), tracksRemoved: new Set<string>(), alerts: new Set<string>() };
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      sensor: db.prepare(
        `INSERT INTO sensors (id, kind, name, config, health, last_seen) VALUES (@id, @kind, @name, @config, @health, @lastSeen)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, config = excluded.config, health = excluded.health, last_seen = excluded.last_seen`,
      ),
      unit: db.prepare(
        `INSERT INTO units (id, callsign, type, crew, status, assignment, lat, lon, heading, speed, fix_time)
         VALUES (@id, @callsign, @type, @crew, @status, @assignment, @lat, @lon, @heading, @speed, @fixTime)
         ON CONFLICT (id) DO UPDATE SET callsign = excluded.callsign, type = excluded.type, crew = excluded.crew, status = excluded.status,
           assignment = excluded.assignment, lat = excluded.lat, lon = excluded.lon, heading = excluded.heading, speed = excluded.speed, fix_time = excluded.fix_time`,
      ),
      track: db.prepare(
        `INSERT INTO tracks (id, sensor, cls, lat, lon, course, speed, sector, time, stale) VALUES (@id, @sensor, @cls, @lat, @lon, @course, @speed, @sector, @time, @stale)
         ON CONFLICT (id) DO UPDATE SET sensor = excluded.sensor, cls = excluded.cls, lat = excluded.lat, lon = excluded.lon, course = excluded.course,
           speed = excluded.speed, sector = excluded.sector, time = excluded.time, stale = excluded.stale`,
      ),
      deleteTrack: db.prepare('DELETE FROM tracks WHERE id = ?'),
      alert: db.prepare(
        `INSERT INTO alerts (id, kind, severity, sensor, subject, lat, lon, sector, confidence, count, time, status, raised_seq)
         VALUES (@id, @kind, @severity, @sensor, @subject, @lat, @lon, @sector, @confidence, @count, @time, @status, @raisedSeq)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, count = excluded.count`,
      ),
      assignment: db.prepare('INSERT INTO assignments (id, unit, alert, lat, lon, status, time) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      assignmentStatus: db.prepare('UPDATE assignments SET status = ? WHERE id = ?'),
    };
    this.load();
  }

  /** Drops what is in memory and reads the committed state again (after a rolled-back block). */
  reload(): void {
    this.sensors.clear();
    this.units.clear();
    this.tracks.clear();
    this.alerts.clear();
    for (const set of [...Object.values(this.dirty), ...Object.values(this.pending)]) set.clear();
    this.load();
    // Consoles get the whole picture again with the next delta.
    for (const id of this.sensors.keys()) this.pending.sensors.add(id);
    for (const id of this.units.keys()) this.pending.units.add(id);
    for (const id of this.tracks.keys()) this.pending.tracks.add(id);
    for (const id of this.alerts.keys()) this.pending.alerts.add(id);
  }

  /** Fills the picture from the projection tables (a restart shows exactly the committed state). */
  private load(): void {
    for (const row of this.db.prepare('SELECT * FROM sensors').all() as { id: string; kind: SensorView['kind']; name: string; config: string; health: SensorView['health']; last_seen: number | null }[]) {
      const config = JSON.parse(row.config) as Pick<SensorRow, 'position' | 'rangeMeters' | 'bearing' | 'fieldOfView' | 'heartbeatSeconds'>;
      this.sensors.set(row.id, { id: row.id, kind: row.kind, name: row.name, health: row.health, lastSeen: row.last_seen, ...config });
    }
    for (const row of this.db.prepare('SELECT * FROM units').all() as Record<string, unknown>[]) {
      this.units.set(row.id as string, {
        id: row.id as string,
        callsign: row.callsign as string,
        type: row.type as UnitView['type'],
        crew: row.crew as number,
        status: row.status as UnitView['status'],
        assignment: row.assignment as string | null,
        lat: row.lat as number | null,
        lon: row.lon as number | null,
        heading: row.heading as number | null,
        speed: row.speed as number | null,
        fixTime: row.fix_time as number | null,
      });
    }
    for (const row of this.db.prepare('SELECT * FROM tracks').all() as TrackView[]) this.tracks.set(row.id, { ...row });
    for (const row of this.db.prepare("SELECT * FROM alerts WHERE status != 'closed'").all() as (Omit<AlertView, 'severity'> & { severity: AlertView['severity'] })[]) {
      const { id, kind, severity, sensor, subject, lat, lon, sector, confidence, count, time, status } = row;
      this.alerts.set(id, { id, kind, severity, sensor, subject, lat, lon, sector, confidence, count, time, status });
    }
  }

  /** Projector for EventLog.addProjector. */
  readonly project = (events: readonly StoredEvent[]): void => {
    for (const event of events) this.apply(event);
    this.flushDirty();
  };

  private apply(event: StoredEvent): void {
    const kind = event.kind as PictureEventKind;
    switch (kind) {
      case 'site.sensor': {
        const p = this.payload<'site.sensor'>(event);
        const previous = this.sensors.get(p.id);
        this.sensors.set(p.id, {
          id: p.id,
          kind: p.kind,
          name: p.name,
          position: p.position,
          rangeMeters: p.rangeMeters,
          bearing: p.bearing,
          fieldOfView: p.fieldOfView,
          heartbeatSeconds: p.heartbeatSeconds,
          health: previous?.health ?? 'ok',
          lastSeen: previous?.lastSeen ?? null,
        });
        return this.touch('sensors', p.id);
      }
      case 'site.unit': {
        const p = this.payload<'site.unit'>(event);
        const previous = this.units.get(p.id);
        this.units.set(p.id, {
          id: p.id,
          callsign: p.callsign,
          type: p.type,
          crew: p.crew,
          status: previous?.status ?? 'available',
          assignment: previous?.assignment ?? null,
          lat: previous?.lat ?? null,
          lon: previous?.lon ?? null,
          heading: previous?.heading ?? null,
          speed: previous?.speed ?? null,
          fixTime: previous?.fixTime ?? null,
        });
        return this.touch('units', p.id);
      }
      case 'sensor.heartbeat':
        return this.heard(this.payload<'sensor.heartbeat'>(event).s, event.time);
      case 'track.update': {
        const p = this.payload<'track.update'>(event);
        this.heard(p.s, event.time);
        if (p.lost) {
          if (this.tracks.delete(p.t)) this.removeTrack(p.t);
          return;
        }
        // Receipt time, not the sender's: a sender clock far off must not keep a track alive or expire it at once.
        this.tracks.set(p.t, { id: p.t, sensor: p.s, cls: p.cls, lat: p.lat, lon: p.lon, course: p.crs ?? null, speed: p.spd ?? null, sector: p.sec ?? null, time: event.time, stale: p.stl ?? null });
        this.pending.tracksRemoved.delete(p.t);
        return this.touch('tracks', p.t);
      }
      case 'track.expired':
        for (const id of this.payload<'track.expired'>(event).t) if (this.tracks.delete(id)) this.removeTrack(id);
        return;
      case 'detection':
        return this.heard(this.payload<'detection'>(event).s, event.time);
      case 'optronic.report':
        return this.heard(this.payload<'optronic.report'>(event).s, event.time);
      case 'unit.position': {
        const p = this.payload<'unit.position'>(event);
        const unit = this.units.get(p.u);
        if (!unit) return;
        unit.lat = p.lat;
        unit.lon = p.lon;
        unit.heading = p.hdg ?? null;
        unit.speed = p.spd ?? null;
        unit.fixTime = event.time;
        return this.touch('units', p.u);
      }
      case 'unit.status': {
        const p = this.payload<'unit.status'>(event);
        const unit = this.units.get(p.u);
        if (!unit) return;
        unit.status = p.status;
        if (p.status === 'cleared' || p.status === 'available') {
          if (unit.assignment) this.statements.assignmentStatus.run(p.status, unit.assignment);
          unit.assignment = null;
        } else if (p.a && unit.assignment === p.a) {
          this.statements.assignmentStatus.run(p.status, p.a);
        }
        return this.touch('units', p.u);
      }
      case 'alert.raised': {
        const p = this.payload<'alert.raised'>(event);
        this.alerts.set(p.id, {
          id: p.id,
          kind: p.kind,
          severity: p.sev,
          sensor: p.s,
          subject: p.subj ?? null,
          lat: p.lat ?? null,
          lon: p.lon ?? null,
          sector: p.sec ?? null,
          confidence: p.conf ?? null,
          count: p.n ?? null,
          time: event.time,
          status: 'new',
        });
        this.statements.alert.run({ ...this.alerts.get(p.id)!, raisedSeq: event.seq });
        return this.touch('alerts', p.id, false);
      }
      case 'sensor.silent':
      case 'sensor.recovered': {
        const id = this.payload<'sensor.silent'>(event).s;
        const sensor = this.sensors.get(id);
        if (!sensor) return;
        sensor.health = kind === 'sensor.silent' ? 'silent' : 'ok';
        return this.touch('sensors', id);
      }
      case 'dispatch.assigned': {
        const p = this.payload<'dispatch.assigned'>(event);
        this.statements.assignment.run(p.a, p.u, p.alert, p.lat, p.lon, 'assigned', event.time);
        const unit = this.units.get(p.u);
        if (unit) {
          unit.status = 'assigned';
          unit.assignment = p.a;
          this.touch('units', p.u);
        }
        const alert = this.alerts.get(p.alert);
        if (alert) {
          alert.status = 'assigned';
          this.touch('alerts', p.alert);
        }
        return;
      }
      default:
        // Kinds this projection does not read (core.started, sector.defined…).
        return;
    }
  }

  private payload<K extends PictureEventKind>(event: StoredEvent): PictureEventPayloads[K] {
    return (event.value ?? JSON.parse(event.payload)) as PictureEventPayloads[K];
  }

  private heard(sensorId: string, time: number): void {
    const sensor = this.sensors.get(sensorId);
    if (!sensor) return;
    sensor.lastSeen = time;
    // Last-seen alone does not need a push to every console each message.
    this.dirty.sensors.add(sensorId);
  }

  private touch(kind: 'sensors' | 'units' | 'tracks' | 'alerts', id: string, persist = true): void {
    if (persist) this.dirty[kind].add(id);
    this.pending[kind].add(id);
  }

  private removeTrack(id: string): void {
    this.dirty.tracks.delete(id);
    this.pending.tracks.delete(id);
    this.pending.tracksRemoved.add(id);
    this.statements.deleteTrack.run(id);
  }

  private flushDirty(): void {
    for (const id of this.dirty.sensors) {
      const s = this.sensors.get(id)!;
      const config = JSON.stringify({ position: s.position, rangeMeters: s.rangeMeters, bearing: s.bearing, fieldOfView: s.fieldOfView, heartbeatSeconds: s.heartbeatSeconds });
      this.statements.sensor.run({ id, kind: s.kind, name: s.name, config, health: s.health, lastSeen: s.lastSeen });
    }
    for (const id of this.dirty.units) this.statements.unit.run(this.units.get(id)!);
    for (const id of this.dirty.tracks) {
      const track = this.tracks.get(id);
      if (track) this.statements.track.run(track);
    }
    for (const id of this.dirty.alerts) {
      const alert = this.alerts.get(id);
      if (alert) this.statements.alert.run({ ...alert, raisedSeq: 0 });
    }
    this.dirty.sensors.clear();
    this.dirty.units.clear();
    this.dirty.tracks.clear();
    this.dirty.alerts.clear();
  }

  /** What changed since the last call, or null when nothing did. */
  takeDelta(): PictureDelta | null {
    const p = this.pending;
    if (p.sensors.size + p.units.size + p.tracks.size + p.tracksRemoved.size + p.alerts.size === 0) return null;
    const delta: PictureDelta = {
      sensors: [...p.sensors].map((id) => this.sensorView(id)).filter((view): view is SensorView => view !== undefined),
      units: [...p.units].map((id) => this.units.get(id)).filter((view): view is UnitView => view !== undefined),
      tracks: [...p.tracks].map((id) => this.tracks.get(id)).filter((view): view is TrackView => view !== undefined),
      tracksRemoved: [...p.tracksRemoved],
      alerts: [...p.alerts].map((id) => this.alerts.get(id)).filter((view): view is AlertView => view !== undefined),
    };
    for (const set of Object.values(p)) set.clear();
    return delta;
  }

  sensorView(id: string): SensorView | undefined {
    const row = this.sensors.get(id);
    if (!row) return undefined;
    const { heartbeatSeconds: _unused, ...view } = row;
    return view;
  }

  snapshot(): { sensors: SensorView[]; units: UnitView[]; tracks: TrackView[]; alerts: AlertView[] } {
    return {
      sensors: [...this.sensors.keys()].map((id) => this.sensorView(id)!),
      units: [...this.units.values()].sort((a, b) => a.id.localeCompare(b.id)),
      tracks: [...this.tracks.values()],
      alerts: [...this.alerts.values()].filter((alert) => alert.status !== 'closed').sort((a, b) => b.time - a.time),
    };
  }

  /** Subjects (track, detection, report) that raised an alert in the last day: they do not raise another. */
  alertSubjects(now: number): string[] {
    return (this.db.prepare('SELECT subject FROM alerts WHERE subject IS NOT NULL AND time >= ?').all(now - 86_400_000) as { subject: string }[]).map((row) => row.subject);
  }

  /** Highest alert number ever issued (ids are A00001, A00002…). */
  lastAlertNumber(): number {
    const row = this.db.prepare("SELECT max(CAST(substr(id, 2) AS INTEGER)) AS n FROM alerts").get() as { n: number | null };
    return row.n ?? 0;
  }

}

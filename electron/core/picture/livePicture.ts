// The live picture — sensors, units, tracks, open alerts — as a projection of
// the log. `project` runs inside each append transaction: it updates the
// in-memory picture, writes the changed rows to the projection tables (one
// write per changed row per block, however many events touched it), and
// remembers what changed so the consoles get a delta.
import type { AlertView, AssignmentView, IncidentView, SensorView, TrackView, UnitView } from '../../../shared/contract';
import type { Db } from '../db/database';
import type { StoredEvent } from '../log/hashChain';
import { storedPayload, type EventKind, type EventPayloads } from '../log/eventCatalogue';

export interface PictureDelta {
  incidents: IncidentView[];
  units: UnitView[];
  tracks: TrackView[];
  tracksRemoved: string[];
  alerts: AlertView[];
  sensors: SensorView[];
}

interface SensorRow extends SensorView {
  heartbeatSeconds: number;
}

interface IncidentRow extends Omit<IncidentView, 'assignments'> {
  assignmentIds: string[];
}

export interface AssignmentRow extends AssignmentView {
  incident: string;
  lat: number;
  lon: number;
}

export class LivePicture {
  readonly sensors = new Map<string, SensorRow>();
  readonly units = new Map<string, UnitView>();
  readonly tracks = new Map<string, TrackView>();
  readonly alerts = new Map<string, AlertView>();
  /** Open incidents (closed ones stay in the table, not in memory). */
  readonly incidents = new Map<string, IncidentRow>();
  /** Assignments of open incidents, and the current one of every unit. */
  readonly assignments = new Map<string, AssignmentRow>();

  private readonly dirty = {
    sensors: new Set<string>(),
    units: new Set<string>(),
    tracks: new Set<string>(),
    alerts: new Set<string>(),
    incidents: new Set<string>(),
    assignments: new Set<string>(),
  };
  private readonly pending = {
    sensors: new Set<string>(),
    units: new Set<string>(),
    tracks: new Set<string>(),
    tracksRemoved: new Set<string>(),
    alerts: new Set<string>(),
    incidents: new Set<string>(),
  };
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
      // Positional: a track row is written per track per block, and binding by name looks up every parameter on the object.
      track: db.prepare(
        `INSERT INTO tracks (id, sensor, cls, lat, lon, course, speed, sector, time, stale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET sensor = excluded.sensor, cls = excluded.cls, lat = excluded.lat, lon = excluded.lon, course = excluded.course,
           speed = excluded.speed, sector = excluded.sector, time = excluded.time, stale = excluded.stale`,
      ),
      deleteTrack: db.prepare('DELETE FROM tracks WHERE id = ?'),
      alert: db.prepare(
        `INSERT INTO alerts (id, kind, severity, sensor, subject, lat, lon, sector, confidence, count, time, status, escalated, incident, raised_seq, reasons)
         VALUES (@id, @kind, @severity, @sensor, @subject, @lat, @lon, @sector, @confidence, @count, @time, @status, @escalated, @incident, @raisedSeq, @reasons)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, count = excluded.count, escalated = excluded.escalated, incident = excluded.incident`,
      ),
      incident: db.prepare(
        `INSERT INTO incidents (id, status, lat, lon, sector, alerts, opened_at, closed_at, outcome, notes, owner)
         VALUES (@id, @status, @lat, @lon, @sector, @alerts, @openedAt, @closedAt, @outcome, @notes, @owner)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, alerts = excluded.alerts, closed_at = excluded.closed_at, outcome = excluded.outcome, notes = excluded.notes, owner = excluded.owner`,
      ),
      note: db.prepare('INSERT INTO incident_notes (seq, incident, time, operator, text) VALUES (?, ?, ?, ?, ?)'),
      assignment: db.prepare(
        `INSERT INTO assignments (id, unit, incident, lat, lon, status, assigned_at, en_route_at, on_scene_at, cleared_at)
         VALUES (@id, @unit, @incident, @lat, @lon, @status, @assignedAt, @enRouteAt, @onSceneAt, @clearedAt)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, en_route_at = excluded.en_route_at, on_scene_at = excluded.on_scene_at, cleared_at = excluded.cleared_at`,
      ),
    };
    this.load();
  }

  /** Drops what is in memory and reads the committed state again (after a rolled-back block). */
  reload(): void {
    this.sensors.clear();
    this.units.clear();
    this.tracks.clear();
    this.alerts.clear();
    this.incidents.clear();
    this.assignments.clear();
    for (const set of [...Object.values(this.dirty), ...Object.values(this.pending)]) set.clear();
    this.load();
    for (const id of this.incidents.keys()) this.pending.incidents.add(id);
    // Consoles get the whole picture again with the next delta.
    for (const id of this.sensors.keys()) this.pending.sensors.add(id);
    for (const id of this.units.keys()) this.pending.units.add(id);
    for (const id of this.tracks.keys()) this.pending.tracks.add(id);
    for (const id of this.alerts.keys()) this.pending.alerts.add(id);
  }

  /** Fills the picture from the projection tables (a restart shows exactly the committed state). */
  private load(): void {
    for (const row of this.db.prepare('SELECT * FROM sensors').all() as {
      id: string;
      kind: SensorView['kind'];
      name: string;
      config: string;
      health: SensorView['health'];
      last_seen: number | null;
    }[]) {
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
    for (const row of this.db.prepare("SELECT * FROM alerts WHERE status != 'closed'").all() as (Omit<AlertView, 'escalated' | 'reasons'> & {
      escalated: number;
      reasons: string | null;
    })[]) {
      const { id, kind, severity, sensor, subject, lat, lon, sector, confidence, count, time, status, incident } = row;
      const reasons = row.reasons ? { reasons: JSON.parse(row.reasons) as string[] } : {};
      this.alerts.set(id, {
        id,
        kind,
        severity,
        sensor,
        subject,
        lat,
        lon,
        sector,
        confidence,
        count,
        time,
        status,
        escalated: row.escalated === 1,
        incident,
        ...reasons,
      });
    }
    for (const row of this.db.prepare("SELECT * FROM incidents WHERE status = 'open'").all() as {
      id: string;
      lat: number;
      lon: number;
      sector: string | null;
      alerts: string;
      opened_at: number;
      notes: string;
      owner: string | null;
    }[]) {
      this.incidents.set(row.id, {
        id: row.id,
        status: 'open',
        lat: row.lat,
        lon: row.lon,
        sector: row.sector,
        alerts: JSON.parse(row.alerts) as string[],
        assignmentIds: [],
        openedAt: row.opened_at,
        closedAt: null,
        outcome: null,
        notes: row.notes,
        noteLog: [],
        owner: row.owner,
      });
    }
    for (const note of this.db
      .prepare(
        "SELECT n.incident, n.time, n.operator, n.text FROM incident_notes n JOIN incidents i ON i.id = n.incident WHERE i.status = 'open' ORDER BY n.seq",
      )
      .all() as { incident: string; time: number; operator: string | null; text: string }[]) {
      this.incidents.get(note.incident)?.noteLog.push({ time: note.time, operator: note.operator, text: note.text });
    }
    const assignmentRows = this.db
      .prepare(
        `SELECT a.* FROM assignments a LEFT JOIN incidents i ON i.id = a.incident
          WHERE i.status = 'open' OR a.id IN (SELECT assignment FROM units WHERE assignment IS NOT NULL)`,
      )
      .all() as {
      id: string;
      unit: string;
      incident: string;
      lat: number;
      lon: number;
      status: AssignmentView['status'];
      assigned_at: number;
      en_route_at: number | null;
      on_scene_at: number | null;
      cleared_at: number | null;
    }[];
    for (const row of assignmentRows) {
      this.assignments.set(row.id, {
        id: row.id,
        unit: row.unit,
        incident: row.incident,
        lat: row.lat,
        lon: row.lon,
        status: row.status,
        assignedAt: row.assigned_at,
        enRouteAt: row.en_route_at,
        onSceneAt: row.on_scene_at,
        clearedAt: row.cleared_at,
      });
      this.incidents.get(row.incident)?.assignmentIds.push(row.id);
    }
  }

  /** Projector for EventLog.addProjector. */
  readonly project = (events: readonly StoredEvent[]): void => {
    for (const event of events) this.apply(event);
    this.flushDirty();
  };

  private apply(event: StoredEvent): void {
    const kind = event.kind as EventKind;
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
        this.tracks.set(p.t, {
          id: p.t,
          sensor: p.s,
          cls: p.cls,
          lat: p.lat,
          lon: p.lon,
          course: p.crs ?? null,
          speed: p.spd ?? null,
          sector: p.sec ?? null,
          time: event.time,
          stale: p.stl ?? null,
        });
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
      // The ships themselves are vesselPicture.ts's; here an AIS message only says its receiver is alive.
      case 'ais.position':
      case 'ais.static':
      case 'ais.station':
      case 'ais.other':
        return this.heard(this.payload<'ais.other'>(event).s, event.time);
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
        const assignment = unit.assignment ? this.assignments.get(unit.assignment) : undefined;
        if (assignment && (!p.a || p.a === assignment.id)) {
          assignment.status = p.status;
          if (p.status === 'en-route') assignment.enRouteAt ??= event.time;
          if (p.status === 'on-scene') assignment.onSceneAt ??= event.time;
          if (p.status === 'cleared' || p.status === 'available') assignment.clearedAt ??= event.time;
          this.touchAssignment(assignment);
        }
        if (p.status === 'cleared' || p.status === 'available') {
          unit.assignment = null;
          unit.status = 'available';
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
          escalated: false,
          incident: null,
          ...(p.why ? { reasons: p.why } : {}),
        });
        this.statements.alert.run({ ...this.alerts.get(p.id)!, escalated: 0, raisedSeq: event.seq, reasons: p.why ? JSON.stringify(p.why) : null });
        return this.touch('alerts', p.id, false);
      }
      case 'emergency.cancelled': {
        // The device cancelled its emergency (docs/tak.md): its alert leaves the queue unless an operator already took it into an incident.
        const subject = `emergency:${this.payload<'emergency.cancelled'>(event).d}`;
        for (const alert of this.alerts.values())
          if (alert.subject === subject && alert.status === 'new') {
            alert.status = 'closed';
            this.touch('alerts', alert.id);
          }
        return;
      }
      case 'alert.escalated': {
        const alert = this.alerts.get(this.payload<'alert.escalated'>(event).alert);
        if (!alert) return;
        alert.escalated = true;
        return this.touch('alerts', alert.id);
      }
      case 'incident.opened': {
        const p = this.payload<'incident.opened'>(event);
        this.incidents.set(p.id, {
          id: p.id,
          status: 'open',
          lat: p.lat,
          lon: p.lon,
          sector: p.sec ?? null,
          alerts: [],
          assignmentIds: [],
          openedAt: event.time,
          closedAt: null,
          outcome: null,
          notes: '',
          noteLog: [],
          // Whoever acknowledged the first alert works the incident until they hand it over.
          owner: event.operator,
        });
        return this.touch('incidents', p.id);
      }
      case 'incident.transferred': {
        const p = this.payload<'incident.transferred'>(event);
        const incident = this.incidents.get(p.inc);
        if (!incident) return;
        incident.owner = p.to;
        return this.touch('incidents', p.inc);
      }
      case 'alert.acknowledged': {
        const p = this.payload<'alert.acknowledged'>(event);
        const alert = this.alerts.get(p.alert);
        const incident = this.incidents.get(p.inc);
        if (!alert || !incident) return;
        alert.status = 'acknowledged';
        alert.incident = p.inc;
        if (!incident.alerts.includes(p.alert)) incident.alerts.push(p.alert);
        this.touch('alerts', p.alert);
        return this.touch('incidents', p.inc);
      }
      case 'incident.noted': {
        const p = this.payload<'incident.noted'>(event);
        const incident = this.incidents.get(p.inc);
        if (!incident || incident.status !== 'open') return;
        incident.noteLog.push({ time: event.time, operator: event.operator, text: p.text });
        this.statements.note.run(event.seq, p.inc, event.time, event.operator, p.text);
        return this.touch('incidents', p.inc);
      }
      case 'incident.closed': {
        const p = this.payload<'incident.closed'>(event);
        const incident = this.incidents.get(p.inc);
        if (!incident) return;
        incident.status = 'closed';
        incident.closedAt = event.time;
        incident.outcome = p.outcome;
        incident.notes = p.notes;
        for (const id of incident.alerts) {
          const alert = this.alerts.get(id);
          if (alert) {
            alert.status = 'closed';
            this.touch('alerts', id);
          }
        }
        for (const id of incident.assignmentIds) {
          const assignment = this.assignments.get(id);
          if (!assignment) continue;
          assignment.clearedAt ??= event.time;
          if (assignment.status !== 'cleared') assignment.status = 'cleared';
          this.touchAssignment(assignment);
          const unit = this.units.get(assignment.unit);
          if (unit && unit.assignment === id) {
            unit.assignment = null;
            unit.status = 'available';
            this.touch('units', unit.id);
          }
        }
        this.touch('incidents', p.inc);
        return;
      }
      case 'dispatch.cancelled': {
        const p = this.payload<'dispatch.cancelled'>(event);
        const assignment = this.assignments.get(p.a);
        if (assignment) {
          assignment.status = 'cleared';
          assignment.clearedAt ??= event.time;
          this.touchAssignment(assignment);
        }
        const unit = this.units.get(p.u);
        if (unit && unit.assignment === p.a) {
          unit.assignment = null;
          unit.status = 'available';
          this.touch('units', p.u);
        }
        return;
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
        const assignment: AssignmentRow = {
          id: p.a,
          unit: p.u,
          incident: p.inc,
          lat: p.lat,
          lon: p.lon,
          status: 'assigned',
          assignedAt: event.time,
          enRouteAt: null,
          onSceneAt: null,
          clearedAt: null,
        };
        this.assignments.set(p.a, assignment);
        this.incidents.get(p.inc)?.assignmentIds.push(p.a);
        this.touchAssignment(assignment);
        const unit = this.units.get(p.u);
        if (unit) {
          unit.status = 'assigned';
          unit.assignment = p.a;
          this.touch('units', p.u);
        }
        return;
      }
      default:
        // Kinds this projection does not read (core.started, sector.defined…).
        return;
    }
  }

  private payload<K extends EventKind>(event: StoredEvent): EventPayloads[K] {
    return storedPayload<K>(event);
  }

  private heard(sensorId: string, time: number): void {
    const sensor = this.sensors.get(sensorId);
    if (!sensor) return;
    sensor.lastSeen = time;
    // Last-seen alone does not need a push to every console each message.
    this.dirty.sensors.add(sensorId);
  }

  private touch(kind: 'sensors' | 'units' | 'tracks' | 'alerts' | 'incidents', id: string, persist = true): void {
    if (persist) this.dirty[kind].add(id);
    this.pending[kind].add(id);
  }

  private touchAssignment(assignment: AssignmentRow): void {
    this.dirty.assignments.add(assignment.id);
    this.touch('incidents', assignment.incident);
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
      const config = JSON.stringify({
        position: s.position,
        rangeMeters: s.rangeMeters,
        bearing: s.bearing,
        fieldOfView: s.fieldOfView,
        heartbeatSeconds: s.heartbeatSeconds,
      });
      this.statements.sensor.run({ id, kind: s.kind, name: s.name, config, health: s.health, lastSeen: s.lastSeen });
    }
    for (const id of this.dirty.units) this.statements.unit.run(this.units.get(id)!);
    for (const id of this.dirty.tracks) {
      const track = this.tracks.get(id);
      if (track) this.statements.track.run(id, track.sensor, track.cls, track.lat, track.lon, track.course, track.speed, track.sector, track.time, track.stale);
    }
    for (const id of this.dirty.alerts) {
      const alert = this.alerts.get(id);
      if (alert)
        this.statements.alert.run({
          ...alert,
          escalated: alert.escalated ? 1 : 0,
          raisedSeq: 0,
          reasons: alert.reasons ? JSON.stringify(alert.reasons) : null,
        });
    }
    for (const id of this.dirty.incidents) {
      const incident = this.incidents.get(id);
      if (incident) this.statements.incident.run({ ...incident, alerts: JSON.stringify(incident.alerts), owner: incident.owner ?? null });
    }
    for (const id of this.dirty.assignments) {
      const assignment = this.assignments.get(id);
      if (assignment) this.statements.assignment.run(assignment);
    }
    this.dirty.sensors.clear();
    this.dirty.units.clear();
    this.dirty.tracks.clear();
    this.dirty.alerts.clear();
    this.dirty.incidents.clear();
    this.dirty.assignments.clear();
    // Closed incidents leave memory once written; their assignments with them.
    for (const incident of [...this.incidents.values()]) {
      if (incident.status !== 'closed' || this.pending.incidents.has(incident.id)) continue;
      this.forgetIncident(incident);
    }
  }

  private forgetIncident(incident: IncidentRow): void {
    this.incidents.delete(incident.id);
    for (const id of incident.assignmentIds) this.assignments.delete(id);
    for (const id of incident.alerts) this.alerts.delete(id);
  }

  incidentView(id: string): IncidentView | undefined {
    const row = this.incidents.get(id);
    if (!row) return undefined;
    const { assignmentIds, ...rest } = row;
    const assignments = assignmentIds
      .map((a) => this.assignments.get(a))
      .filter((a): a is AssignmentRow => a !== undefined)
      .map(({ id: aid, unit, status, assignedAt, enRouteAt, onSceneAt, clearedAt }) => ({
        id: aid,
        unit,
        status,
        assignedAt,
        enRouteAt,
        onSceneAt,
        clearedAt,
      }));
    // A snapshot written before owners existed has none.
    return { ...rest, alerts: [...rest.alerts], noteLog: [...rest.noteLog], assignments, owner: rest.owner ?? null };
  }

  /** What changed since the last call, or null when nothing did. */
  /**
   * What changed since the last call, or null when nothing did. Without
   * tracks (`withTracks: false`) the track changes wait for the next full
   * delta: an urgent push (a new alert) then stays small and quick to handle.
   */
  takeDelta({ withTracks = true }: { withTracks?: boolean } = {}): PictureDelta | null {
    const p = this.pending;
    const trackChanges = withTracks ? p.tracks.size + p.tracksRemoved.size : 0;
    if (p.sensors.size + p.units.size + trackChanges + p.alerts.size + p.incidents.size === 0) return null;
    if (!withTracks) {
      const delta: PictureDelta = {
        incidents: [...p.incidents].map((id) => this.incidentView(id)).filter((view): view is IncidentView => view !== undefined),
        sensors: [...p.sensors].map((id) => this.sensorView(id)).filter((view): view is SensorView => view !== undefined),
        units: [...p.units].map((id) => this.units.get(id)).filter((view): view is UnitView => view !== undefined),
        tracks: [],
        tracksRemoved: [],
        alerts: [...p.alerts].map((id) => this.alerts.get(id)).filter((view): view is AlertView => view !== undefined),
      };
      for (const set of [p.incidents, p.sensors, p.units, p.alerts]) set.clear();
      for (const incident of [...this.incidents.values()]) if (incident.status === 'closed') this.forgetIncident(incident);
      return delta;
    }
    const delta: PictureDelta = {
      incidents: [...p.incidents].map((id) => this.incidentView(id)).filter((view): view is IncidentView => view !== undefined),
      sensors: [...p.sensors].map((id) => this.sensorView(id)).filter((view): view is SensorView => view !== undefined),
      units: [...p.units].map((id) => this.units.get(id)).filter((view): view is UnitView => view !== undefined),
      tracks: [...p.tracks].map((id) => this.tracks.get(id)).filter((view): view is TrackView => view !== undefined),
      tracksRemoved: [...p.tracksRemoved],
      alerts: [...p.alerts].map((id) => this.alerts.get(id)).filter((view): view is AlertView => view !== undefined),
    };
    for (const set of Object.values(p)) set.clear();
    // Closed incidents were kept only until consoles heard of it.
    for (const incident of [...this.incidents.values()]) if (incident.status === 'closed') this.forgetIncident(incident);
    return delta;
  }

  sensorView(id: string): SensorView | undefined {
    const row = this.sensors.get(id);
    if (!row) return undefined;
    const { heartbeatSeconds: _unused, ...view } = row;
    return view;
  }

  snapshot(): { sensors: SensorView[]; units: UnitView[]; tracks: TrackView[]; alerts: AlertView[]; incidents: IncidentView[] } {
    return {
      incidents: [...this.incidents.values()].filter((incident) => incident.status === 'open').map((incident) => this.incidentView(incident.id)!),
      sensors: [...this.sensors.keys()].map((id) => this.sensorView(id)!),
      units: [...this.units.values()].sort((a, b) => a.id.localeCompare(b.id)),
      tracks: [...this.tracks.values()],
      alerts: [...this.alerts.values()].filter((alert) => alert.status !== 'closed').sort((a, b) => b.time - a.time),
    };
  }

  /** Subjects (track, detection, report) that raised an alert in the last day: they do not raise another. */
  alertSubjects(now: number): string[] {
    return (this.db.prepare('SELECT subject FROM alerts WHERE subject IS NOT NULL AND time >= ?').all(now - 86_400_000) as { subject: string }[]).map(
      (row) => row.subject,
    );
  }

  /** Highest alert number ever issued (ids are A00001, A00002…). */
  lastAlertNumber(): number {
    const row = this.db.prepare('SELECT max(CAST(substr(id, 2) AS INTEGER)) AS n FROM alerts').get() as { n: number | null };
    return row.n ?? 0;
  }
}

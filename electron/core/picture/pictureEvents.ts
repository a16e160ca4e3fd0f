// The events that build the live picture, with their payloads. Keys are
// short because position events dominate the log (budget: ~80 bytes on disk
// each); docs/events.md spells every one out.
import type { Sector } from '../../../shared/contract';
import type { AlertKind, DetectionKind, Outcome, Role, SensorKind, Severity, TrackClass, UnitStatus, UnitType } from '../../../shared/domain';

export interface PictureEventPayloads {
  /** A sensor of the site file, logged when it first appears or changes. */
  'site.sensor': { id: string; kind: SensorKind; name: string; position: [number, number]; rangeMeters: number; bearing?: number; fieldOfView?: number; heartbeatSeconds: number };
  /** A patrol unit of the site file, logged when it first appears or changes. */
  'site.unit': { id: string; callsign: string; type: UnitType; crew: number; home: [number, number] };
  'sensor.heartbeat': { s: string; at?: number };
  /** s sensor, t track, crs course °, spd knots, cls class, sec sector, off offshore, stl stale (ms), lost. */
  'track.update': { s: string; t: string; lat: number; lon: number; crs?: number; spd?: number; cls: TrackClass; sec?: string; off?: 1; stl?: number; lost?: 1; at?: number };
  /** Tracks not heard of for a while, dropped from the picture. */
  'track.expired': { t: string[] };
  'detection': { s: string; d: string; kind: DetectionKind; lat: number; lon: number; conf: number; n?: number; sec?: string; at?: number };
  /** Optronic target report: observer position, bearing, laser range, and the target position computed from them. */
  'optronic.report': { s: string; r: string; kind: DetectionKind; olat: number; olon: number; brg: number; rng: number; lat: number; lon: number; conf: number; sec?: string; at?: number };
  /** u unit, hdg heading °, spd knots, sec sector. */
  'unit.position': { u: string; lat: number; lon: number; hdg?: number; spd?: number; sec?: string; at?: number };
  /** A status reported by the unit's device, set by the console, or by the core (on scene when the unit's fix reaches the incident). */
  'unit.status': { u: string; status: UnitStatus; a?: string; by: 'device' | 'console' | 'core' };
  /** An operator acknowledged an alert into an incident (`merged` when it joined an existing one). */
  'alert.acknowledged': { alert: string; inc: string; merged?: 1 };
  /** An alert waited longer than the site's escalation time without acknowledgement. */
  'alert.escalated': { alert: string };
  /** A new incident, opened by acknowledging its first alert. */
  'incident.opened': { alert: string; id: string; lat: number; lon: number; sec?: string };
  /** A note an operator added to an open incident. */
  'incident.noted': { inc: string; text: string };
  /** Closed by an operator with its outcome. */
  'incident.closed': { inc: string; notes: string; outcome: Outcome };
  /** An assignment withdrawn (the unit was sent elsewhere with an override). */
  'dispatch.cancelled': { a: string; reason: 'override'; u: string };
  'alert.raised': { id: string; kind: AlertKind; sev: Severity; s: string; subj?: string; lat?: number; lon?: number; sec?: string; conf?: number; n?: number };
  'sensor.silent': { s: string; lastSeen: number | null };
  'sensor.recovered': { s: string };
  /** An operator sent a unit to an incident (`override`: the unit was committed elsewhere). */
  'dispatch.assigned': { a: string; delivered: boolean; inc: string; lat: number; lon: number; override?: 1; u: string };
  /** The operator muted or unmuted the alert sounds. */
  'console.muted': { muted: boolean };
  // Accounts and shifts (electron/core/accounts). No password or hash is ever logged.
  /** An account first seen by the core (created in the console, by `vigie user add`, or at first run). */
  'operator.created': { name: string; role: Role; by: string | null };
  /** A sign-in; `shift` is the shift it opened or joined. */
  'session.signedIn': { name: string; shift: number };
  'session.signedOut': { name: string };
  /** A refused sign-in (the name as typed, truncated). */
  'session.failed': { name: string; reason: 'unknown-name' | 'wrong-password' };
  /** A request refused for the caller's role. */
  'access.denied': { name: string; role: Role; method: string };
  'shift.opened': { shift: number; by: string };
  'shift.closed': { shift: number; by: string; handover: string };
  /** Messages a source sent over its rate limit in the last period. */
  'feed.throttled': { src: string; n: number };
  /** A beach sector, whole: seeded from assets/sectors.geojson (picture/sectors.ts), or changed in the sector editor (issue 6). */
  'sector.defined': Sector;
}

export type PictureEventKind = keyof PictureEventPayloads;

export interface PictureEvent<K extends PictureEventKind = PictureEventKind> {
  kind: K;
  source: string;
  operator?: string | null;
  payload: PictureEventPayloads[K];
  time?: number;
}

export function pictureEvent<K extends PictureEventKind>(kind: K, source: string, payload: PictureEventPayloads[K], time?: number): PictureEvent<K> {
  return { kind, source, payload, time };
}

export const SEVERITY: Record<AlertKind, Severity> = {
  'boat-launch': 'high',
  'boat-at-sea': 'high',
  'group-on-beach': 'high',
  vehicle: 'medium',
  'suspicious-activity': 'low',
  'sensor-silent': 'medium',
};

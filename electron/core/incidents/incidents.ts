// The rules of alerts and incidents that the console's requests rely on:
// which incident is open, which open incidents an alert probably belongs to,
// and how incidents and assignments are numbered.
import { distanceMeters } from '../../../shared/sphere';
import type { Db } from '../db/database';
import type { LivePicture } from '../picture/livePicture';
import { Refusal } from '../refusal';

/** Merge proposals: open incidents this close in space and time, seen by another sensor. */
export const MERGE_RADIUS_METERS = 3000;
export const MERGE_WINDOW_SECONDS = 30 * 60;

/** The open incident `id`, or a refusal. */
export function openIncident(picture: LivePicture, id: string) {
  const incident = picture.incidents.get(id);
  if (!incident || incident.status !== 'open') throw new Refusal('incident-not-open', { incident: id }, `no open incident ${id}`);
  return incident;
}

/** The alert `id` while it is not closed, or a refusal. */
export function openAlert(picture: LivePicture, id: string) {
  const alert = picture.alerts.get(id);
  if (!alert || alert.status === 'closed') throw new Refusal('alert-not-open', { alert: id }, `no open alert ${id}`);
  return alert;
}

/** The alert `id` while it waits for an operator (new): not closed, not already in an incident; else a refusal. */
export function newAlert(picture: LivePicture, id: string) {
  const alert = openAlert(picture, id);
  if (alert.status === 'acknowledged')
    throw new Refusal('alert-already-in-incident', { alert: id, incident: alert.incident ?? '' }, `alert ${id} is already in incident ${alert.incident}`);
  return alert;
}

/** Where an incident opened from the alert stands: the alert's position, or a refusal when it has none. */
export function incidentPlace(alert: { id: string; lat: number | null; lon: number | null; sector: string | null }): {
  lat: number;
  lon: number;
  sector: string | null;
} {
  if (alert.lat === null || alert.lon === null)
    throw new Refusal('alert-without-position', { alert: alert.id }, `alert ${alert.id} has no position to open an incident at`);
  return { lat: alert.lat, lon: alert.lon, sector: alert.sector };
}

/**
 * Open incidents the alert probably belongs to, nearest first: within
 * MERGE_RADIUS_METERS of the incident or one of its alerts, within
 * MERGE_WINDOW_SECONDS of its latest alert, and not already seen by the
 * alert's sensor (a sensor's second alert is a second thing it saw).
 */
export function mergeCandidates(picture: LivePicture, alertId: string): { incident: string; meters: number; seconds: number }[] {
  const alert = picture.alerts.get(alertId);
  if (!alert) throw new Refusal('alert-not-open', { alert: alertId }, `no open alert ${alertId}`);
  const { lat, lon } = alert;
  // An emergency is never merged into another incident on a proposal: it gets its own.
  if (lat === null || lon === null || alert.kind === 'emergency') return [];
  const candidates = [];
  for (const incident of picture.incidents.values()) {
    if (incident.status !== 'open') continue;
    const members = incident.alerts.map((id) => picture.alerts.get(id)).filter((a) => a !== undefined);
    if (members.some((member) => member.sensor === alert.sensor)) continue;
    const latest = Math.max(incident.openedAt, ...members.map((member) => member.time));
    const seconds = Math.abs(alert.time - latest) / 1000;
    const memberMeters = members.flatMap((m) => (m.lat !== null && m.lon !== null ? [distanceMeters(lat, lon, m.lat, m.lon)] : []));
    const meters = Math.min(distanceMeters(lat, lon, incident.lat, incident.lon), ...memberMeters);
    if (meters <= MERGE_RADIUS_METERS && seconds <= MERGE_WINDOW_SECONDS)
      candidates.push({ incident: incident.id, meters: Math.round(meters), seconds: Math.round(seconds) });
  }
  return candidates.sort((a, b) => a.meters - b.meters || a.seconds - b.seconds);
}

/**
 * Numbers of new incidents (I00001…) and assignments (D00001…), continuing
 * from the highest in the projections. Only the core allocates them, one
 * request at a time, so a counter in memory is enough.
 */
export class IdAllocator {
  private incident: number;
  private assignment: number;

  constructor(db: Db) {
    const highest = (table: 'assignments' | 'incidents') =>
      (db.prepare(`SELECT max(CAST(substr(id, 2) AS INTEGER)) AS n FROM ${table}`).get() as { n: number | null }).n ?? 0;
    this.incident = highest('incidents');
    this.assignment = highest('assignments');
  }

  nextIncident(): string {
    return `I${String(++this.incident).padStart(5, '0')}`;
  }

  nextAssignment(): string {
    return `D${String(++this.assignment).padStart(5, '0')}`;
  }
}

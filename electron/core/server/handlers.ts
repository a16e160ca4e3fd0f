// The core's side of the contract: one handler per request method. The map's
// type is derived from shared/contract.ts, so a missing or mistyped handler
// is a compile error.
import { PROTOCOL_VERSION, type FeedListenerView, type RequestName, type RequestParams, type RequestResult } from '../../../shared/contract';
import type { Db } from '../db/database';
import type { FeedIngest } from '../feeds/ingest';
import type { Outbound } from '../feeds/outbound';
import type { Quarantine } from '../feeds/quarantine';
import type { EventLog } from '../log/eventLog';
import type { LogWriter } from '../log/logWriter';
import type { LivePicture } from '../picture/livePicture';
import { pictureEvent, type PictureEventKind, type PictureEventPayloads } from '../picture/pictureEvents';
import { distanceMeters } from '../../../shared/sphere';
import type { EtaModel } from '../dispatch/eta';
import { loadSectors } from '../picture/sectors';
import { VIGIE_VERSION } from '../version';
import type { Caller } from '../accounts/sessions';
import type { AccountRequest } from './accountHandlers';

/** The name an action is logged under. */
function actorName(caller: Caller | null): string {
  if (!caller) throw new Error('an operator action reached its handler without a signed-in caller');
  return caller.name;
}

/**
 * One handler per request. `caller` is who is signed in on the console that
 * asked (null only for the public requests: server/access.ts decides, before
 * any handler runs, who may call what).
 */
export type Handlers = { [M in RequestName]: (params: RequestParams<M>, caller: Caller | null) => RequestResult<M> | Promise<RequestResult<M>> };

export interface HandlerContext {
  /** Built on first use: the water grid costs a moment that start-up should not pay. */
  eta: () => EtaModel;
  /** Seconds within which a high-risk sector should have an available unit. */
  coverageSeconds: number;
  db: Db;
  log: EventLog;
  startedAt: number;
  picture: LivePicture;
  ingest: FeedIngest;
  /** Operator actions are logged through it, after the feed messages queued before them. */
  writer: LogWriter;
  quarantine: Quarantine;
  outbound: Outbound;
  feeds: () => FeedListenerView[];
}

/** A refusal the operator should read (unknown alert, unit already busy…). */
export class RequestRefused extends Error {
  override name = 'RequestRefused';
}


/** Merge proposals: open incidents this close in space and time, seen by another sensor. */
export const MERGE_RADIUS_METERS = 3000;
export const MERGE_WINDOW_SECONDS = 30 * 60;

export function createHandlers({ db, log, startedAt, picture, ingest, writer, quarantine, outbound, feeds, eta, coverageSeconds }: HandlerContext): Omit<Handlers, `maps.${string}` | `figures.${string}` | `replay.${string}` | `sectors.${string}` | AccountRequest> /* map packs: server/mapHandlers.ts; figures: server/figureHandlers.ts; accounts: server/accountHandlers.ts; sector editor: server/sectorHandlers.ts */ {
  const lastNumber = (table: 'assignments' | 'incidents') => (db.prepare(`SELECT max(CAST(substr(id, 2) AS INTEGER)) AS n FROM ${table}`).get() as { n: number | null }).n ?? 0;
  let nextAssignment = lastNumber('assignments');
  let nextIncident = lastNumber('incidents');
  const openIncident = (id: string) => {
    const incident = picture.incidents.get(id);
    if (!incident || incident.status !== 'open') throw new RequestRefused(`no open incident ${id}`);
    return incident;
  };
  /** An operator action, logged under the name of whoever is signed in (access.ts guarantees one for every acting request). */
  const action = <K extends PictureEventKind>(kind: K, payload: PictureEventPayloads[K], caller: Caller | null) => ({ ...pictureEvent(kind, 'console', payload), operator: actorName(caller) });
  /** Tells a unit's terminal its new status; false when it cannot be reached. */
  const tell = (unitId: string, status: 'cleared' | 'cancelled') => {
    const unit = picture.units.get(unitId);
    const assignment = unit?.assignment ? picture.assignments.get(unit.assignment) : undefined;
    if (!assignment) return false;
    return outbound.sendAssignment({ assignment: assignment.id, unit: unitId, incident: assignment.incident, lat: assignment.lat, lon: assignment.lon, status });
  };

  return {
    'core.hello': () => ({ product: 'vigie', version: VIGIE_VERSION, protocol: PROTOCOL_VERSION, startedAt }),
    'picture.get': () => ({ sectors: loadSectors(db), ...picture.snapshot(), log: log.status() }),
    'log.tail': ({ limit }) => ({ events: log.tail(limit) }),
    'feeds.status': () => ({ listeners: feeds(), sources: ingest.stats.list(), quarantined: quarantine.count }),
    'feeds.listeners': () => ({ listeners: feeds() }),
    'quarantine.list': ({ limit, source, reason }) => ({ entries: quarantine.list(limit, { source, reason }) }),

    'alert.acknowledge': ({ alert: alertId, incident: incidentId }, caller) => {
      const alert = picture.alerts.get(alertId);
      if (!alert || alert.status === 'closed') throw new RequestRefused(`no open alert ${alertId}`);
      if (alert.status === 'acknowledged') throw new RequestRefused(`alert ${alertId} is already in incident ${alert.incident}`);
      if (incidentId !== undefined) {
        openIncident(incidentId);
        writer.append([action('alert.acknowledged', { alert: alertId, inc: incidentId, merged: 1 }, caller)]);
        return { incident: incidentId, opened: false };
      }
      if (alert.lat === null || alert.lon === null) throw new RequestRefused(`alert ${alertId} has no position to open an incident at`);
      const id = `I${String(++nextIncident).padStart(5, '0')}`;
      writer.append([
        action('incident.opened', { alert: alertId, id, lat: alert.lat, lon: alert.lon, sec: alert.sector ?? undefined }, caller),
        action('alert.acknowledged', { alert: alertId, inc: id }, caller),
      ]);
      return { incident: id, opened: true };
    },

    'alert.mergeCandidates': ({ alert: alertId }) => {
      const alert = picture.alerts.get(alertId);
      if (!alert) throw new RequestRefused(`no open alert ${alertId}`);
      if (alert.lat === null || alert.lon === null) return { candidates: [] };
      const candidates = [];
      for (const incident of picture.incidents.values()) {
        if (incident.status !== 'open') continue;
        const members = incident.alerts.map((id) => picture.alerts.get(id)).filter((a) => a !== undefined);
        if (members.some((member) => member.sensor === alert.sensor)) continue;
        const latest = Math.max(incident.openedAt, ...members.map((member) => member.time));
        const seconds = Math.abs(alert.time - latest) / 1000;
        const meters = Math.min(distanceMeters(alert.lat, alert.lon, incident.lat, incident.lon), ...members.filter((m) => m.lat !== null && m.lon !== null).map((m) => distanceMeters(alert.lat!, alert.lon!, m.lat!, m.lon!)));
        if (meters <= MERGE_RADIUS_METERS && seconds <= MERGE_WINDOW_SECONDS) candidates.push({ incident: incident.id, meters: Math.round(meters), seconds: Math.round(seconds) });
      }
      candidates.sort((a, b) => a.meters - b.meters || a.seconds - b.seconds);
      return { candidates };
    },

    'dispatch.assign': ({ incident: incidentId, unit: unitId, override }, caller) => {
      const incident = openIncident(incidentId);
      const unit = picture.units.get(unitId);
      if (!unit) throw new RequestRefused(`no unit ${unitId}`);
      const overriding = unit.assignment !== null;
      if (unit.assignment) {
        const current = picture.assignments.get(unit.assignment);
        if (current?.incident === incidentId) throw new RequestRefused(`${unit.callsign} is already assigned to ${incidentId}`);
        if (!override) throw new RequestRefused(`${unit.callsign} is committed to ${current?.incident ?? unit.assignment}; assign with override to send it anyway`);
        tell(unitId, 'cancelled');
        writer.append([action('dispatch.cancelled', { a: unit.assignment, reason: 'override', u: unitId }, caller)]);
      }
      const assignment = `D${String(++nextAssignment).padStart(5, '0')}`;
      // Logged before the unit is told: a terminal never holds an assignment the log does not.
      const reachable = outbound.reachable(unitId);
      writer.append([action('dispatch.assigned', { a: assignment, delivered: reachable, inc: incidentId, lat: incident.lat, lon: incident.lon, override: overriding ? 1 : undefined, u: unitId }, caller)]);
      const first = incident.alerts.map((id) => picture.alerts.get(id)).find((a) => a !== undefined);
      const delivered = outbound.sendAssignment({ assignment, unit: unitId, incident: incidentId, lat: incident.lat, lon: incident.lon, kind: first && first.kind !== 'sensor-silent' ? first.kind : undefined, sector: incident.sector ?? undefined, status: 'assigned' });
      return { assignment, delivered };
    },

    'dispatch.rank': ({ incident: incidentId }) => {
      const incident = openIncident(incidentId);
      const ranked = eta().rank([...picture.units.values()], { lat: incident.lat, lon: incident.lon });
      return {
        units: ranked.map(({ unit, eta: estimate }) => {
          const committedTo = unit.assignment ? (picture.assignments.get(unit.assignment)?.incident ?? null) : null;
          return {
            unit: unit.id,
            callsign: unit.callsign,
            type: unit.type,
            status: unit.status,
            available: unit.assignment === null && unit.status !== 'unavailable',
            committedTo,
            reachable: estimate.reachable,
            meters: Number.isFinite(estimate.meters) ? Math.round(estimate.meters) : null,
            seconds: Number.isFinite(estimate.seconds) ? Math.round(estimate.seconds) : null,
            mode: estimate.mode,
            note: estimate.note ?? null,
          };
        }),
      };
    },

    'console.setMute': ({ muted }, caller) => {
      writer.append([action('console.muted', { muted }, caller)]);
      return { muted };
    },

    'coverage.get': () => {
      const model = eta();
      const available = [...picture.units.values()].filter((unit) => unit.assignment === null && unit.status !== 'unavailable');
      const gaps = [];
      for (const sector of loadSectors(db)) {
        if (sector.risk !== 'high') continue;
        const points = sector.ring.slice(0, -1);
        const target = { lon: points.reduce((sum, p) => sum + p[0], 0) / points.length, lat: points.reduce((sum, p) => sum + p[1], 0) / points.length };
        const best = model.rank(available, target).find((ranked) => ranked.eta.reachable);
        const bestSeconds = best ? Math.round(best.eta.seconds) : null;
        if (bestSeconds === null || bestSeconds > coverageSeconds) gaps.push({ sector: sector.id, bestSeconds });
      }
      return { thresholdSeconds: coverageSeconds, gaps };
    },

    'dispatch.setStatus': ({ unit: unitId, status }, caller) => {
      const unit = picture.units.get(unitId);
      if (!unit?.assignment) throw new RequestRefused(`${unit?.callsign ?? unitId} has no assignment`);
      const delivered = status === 'cleared' ? tell(unitId, 'cleared') : outbound.reachable(unitId);
      writer.append([action('unit.status', { a: unit.assignment, by: 'console', status, u: unitId }, caller)]);
      return { delivered };
    },

    'incident.addNote': ({ incident: incidentId, text }, caller) => {
      openIncident(incidentId);
      writer.append([action('incident.noted', { inc: incidentId, text }, caller)]);
      return { time: picture.incidents.get(incidentId)?.noteLog.at(-1)?.time ?? Date.now() };
    },
    'incident.close': ({ incident: incidentId, outcome, notes }, caller) => {
      const incident = openIncident(incidentId);
      for (const id of incident.assignmentIds) {
        const assignment = picture.assignments.get(id);
        if (assignment && assignment.status !== 'cleared') tell(assignment.unit, 'cleared');
      }
      writer.append([action('incident.closed', { inc: incidentId, notes, outcome }, caller)]);
      return { closedAt: picture.incidents.get(incidentId)?.closedAt ?? Date.now() };
    },
  };
}

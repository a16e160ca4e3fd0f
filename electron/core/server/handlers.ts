// The core's side of the contract: one handler per request method. The map's
// type is derived from shared/contract.ts, so a missing or mistyped handler
// is a compile error.
import { PROTOCOL_VERSION, type FeedListenerView, type RequestName, type RequestParams, type RequestResult } from '../../../shared/contract';
import type { Db } from '../db/database';
import type { FeedIngest } from '../feeds/ingest';
import type { Outbound } from '../feeds/outbound';
import type { Quarantine } from '../feeds/quarantine';
import type { EventLog } from '../log/eventLog';
import type { LivePicture } from '../picture/livePicture';
import { pictureEvent } from '../picture/pictureEvents';
import { loadSectors } from '../picture/sectors';
import { VIGIE_VERSION } from '../version';

export type Handlers = { [M in RequestName]: (params: RequestParams<M>) => RequestResult<M> | Promise<RequestResult<M>> };

export interface HandlerContext {
  db: Db;
  log: EventLog;
  startedAt: number;
  picture: LivePicture;
  ingest: FeedIngest;
  quarantine: Quarantine;
  outbound: Outbound;
  feeds: () => FeedListenerView[];
}

/** A refusal the operator should read (unknown alert, unit already busy…). */
export class RequestRefused extends Error {
  override name = 'RequestRefused';
}

/** Until operators sign in (shifts), actions are logged under this name. */
const LOCAL_OPERATOR = 'local';

export function createHandlers({ db, log, startedAt, picture, ingest, quarantine, outbound, feeds }: HandlerContext): Handlers {
  let nextAssignment = (db.prepare("SELECT max(CAST(substr(id, 2) AS INTEGER)) AS n FROM assignments").get() as { n: number | null }).n ?? 0;
  return {
    'core.hello': () => ({ product: 'vigie', version: VIGIE_VERSION, protocol: PROTOCOL_VERSION, startedAt }),
    'picture.get': () => ({ sectors: loadSectors(db), ...picture.snapshot(), log: log.status() }),
    'log.tail': ({ limit }) => ({ events: log.tail(limit) }),
    'feeds.status': () => ({ listeners: feeds(), sources: ingest.stats.list(), quarantined: quarantine.count }),
    'quarantine.list': ({ limit, source, reason }) => ({ entries: quarantine.list(limit, { source, reason }) }),
    'dispatch.assign': ({ alert: alertId, unit: unitId }) => {
      const alert = picture.alerts.get(alertId);
      if (!alert || alert.status === 'closed') throw new RequestRefused(`no open alert ${alertId}`);
      if (alert.lat === null || alert.lon === null) throw new RequestRefused(`alert ${alertId} has no position to send a unit to`);
      const unit = picture.units.get(unitId);
      if (!unit) throw new RequestRefused(`no unit ${unitId}`);
      if (unit.assignment) throw new RequestRefused(`${unit.callsign} is already assigned (${unit.assignment})`);
      const assignment = `D${String(++nextAssignment).padStart(5, '0')}`;
      // Logged before the unit is told: a terminal never holds an assignment the log does not.
      const reachable = outbound.reachable(unitId);
      ingest.appendSystem([{ ...pictureEvent('dispatch.assigned', 'console', { a: assignment, alert: alertId, delivered: reachable, lat: alert.lat, lon: alert.lon, u: unitId }), operator: LOCAL_OPERATOR }]);
      const delivered = outbound.sendAssignment({ assignment, unit: unitId, incident: alertId, lat: alert.lat, lon: alert.lon, kind: alert.kind === 'sensor-silent' ? undefined : alert.kind, sector: alert.sector ?? undefined, status: 'assigned' });
      return { assignment, delivered };
    },
  };
}

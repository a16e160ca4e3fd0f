// Dispatch: sending a unit (an override withdraws its current assignment),
// the ETA ranking, unit status from the console, and sector coverage. The
// rules live in dispatch/ (sending, ranking, coverage, tasking); these handlers check,
// log and answer.
import type { Db } from '../../db/database';
import { coverageGaps } from '../../dispatch/coverage';
import { checkSending } from '../../dispatch/sending';
import type { EtaModel } from '../../dispatch/eta';
import { rankUnits } from '../../dispatch/ranking';
import type { UnitTasking } from '../../dispatch/tasking';
import { openIncident, type IdAllocator } from '../../incidents/incidents';
import type { LivePicture } from '../../picture/livePicture';
import { loadSectors } from '../../picture/sectors';
import { Refusal } from '../../refusal';
import { consoleAction, type AppendToLog, type HandlersOf } from './common';

export interface DispatchContext {
  db: Db;
  picture: LivePicture;
  ids: IdAllocator;
  tasking: UnitTasking;
  append: AppendToLog;
  /** Built on first use: the water grid costs a moment that start-up should not pay. */
  eta: () => EtaModel;
  /** Seconds within which a high-risk sector should have an available unit. */
  coverageSeconds: number;
}

export function createDispatchHandlers({ db, picture, ids, tasking, append, eta, coverageSeconds }: DispatchContext): HandlersOf<'dispatch.' | 'coverage.'> {
  return {
    'dispatch.assign': ({ incident: incidentId, unit: unitId, override }, caller) => {
      const incident = openIncident(picture, incidentId);
      const withdrawn = checkSending(picture, unitId, incidentId, override === true);
      const overriding = withdrawn !== null;
      if (withdrawn !== null) {
        // Logged before the unit is told, as below.
        const cancel = tasking.later(unitId, 'cancelled');
        append([consoleAction('dispatch.cancelled', { a: withdrawn, reason: 'override', u: unitId }, caller)]);
        cancel();
      }
      const assignment = ids.nextAssignment();
      // Logged before the unit is told: a terminal never holds an assignment the log does not.
      const reachable = tasking.reachable(unitId);
      append([
        consoleAction(
          'dispatch.assigned',
          { a: assignment, delivered: reachable, inc: incidentId, lat: incident.lat, lon: incident.lon, override: overriding ? 1 : undefined, u: unitId },
          caller,
        ),
      ]);
      return { assignment, delivered: tasking.assign(assignment, unitId, incidentId) };
    },

    'dispatch.rank': ({ incident: incidentId }) => {
      const incident = openIncident(picture, incidentId);
      return { units: rankUnits(eta(), picture, incident) };
    },

    'dispatch.setStatus': ({ unit: unitId, status }, caller) => {
      const unit = picture.units.get(unitId);
      if (!unit?.assignment) throw new Refusal('unit-no-assignment', { unit: unit?.callsign ?? unitId }, `${unit?.callsign ?? unitId} has no assignment`);
      const delivered = status === 'cleared' ? tasking.tell(unitId, 'cleared') : tasking.reachable(unitId);
      append([consoleAction('unit.status', { a: unit.assignment, by: 'console', status, u: unitId }, caller)]);
      return { delivered };
    },

    'coverage.get': () => ({ thresholdSeconds: coverageSeconds, gaps: coverageGaps(eta(), picture.units.values(), loadSectors(db), coverageSeconds) }),
  };
}

// Alerts and incidents: acknowledging an alert (a new incident, or joining
// one), merge proposals, notes, closing, and the console's mute. The rules
// live in incidents/incidents.ts; these handlers check, log and answer.
import type { IdAllocator } from '../../incidents/incidents';
import { incidentPlace, mergeCandidates, newAlert, openIncident } from '../../incidents/incidents';
import type { LivePicture } from '../../picture/livePicture';
import type { UnitTasking } from '../../dispatch/tasking';
import type { Accounts } from '../../accounts/accounts';
import { Refusal } from '../../refusal';
import { consoleAction, type AppendToLog, type HandlersOf } from './common';

export interface IncidentContext {
  picture: LivePicture;
  ids: IdAllocator;
  tasking: UnitTasking;
  append: AppendToLog;
  accounts: Accounts;
}

export function createIncidentHandlers({ picture, ids, tasking, append, accounts }: IncidentContext): HandlersOf<'alert.' | 'incident.' | 'console.'> {
  return {
    'alert.acknowledge': ({ alert: alertId, incident: incidentId }, caller) => {
      const alert = newAlert(picture, alertId);
      if (incidentId !== undefined) {
        openIncident(picture, incidentId);
        append([consoleAction('alert.acknowledged', { alert: alertId, inc: incidentId, merged: 1 }, caller)]);
        return { incident: incidentId, opened: false };
      }
      const place = incidentPlace(alert);
      const id = ids.nextIncident();
      append([
        consoleAction('incident.opened', { alert: alertId, id, lat: place.lat, lon: place.lon, sec: place.sector ?? undefined }, caller),
        consoleAction('alert.acknowledged', { alert: alertId, inc: id }, caller),
      ]);
      return { incident: id, opened: true };
    },

    'alert.mergeCandidates': ({ alert }) => ({ candidates: mergeCandidates(picture, alert) }),

    'incident.addNote': ({ incident: incidentId, text }, caller) => {
      openIncident(picture, incidentId);
      append([consoleAction('incident.noted', { inc: incidentId, text }, caller)]);
      return { time: picture.incidents.get(incidentId)?.noteLog.at(-1)?.time ?? Date.now() };
    },

    'incident.transfer': ({ incident: incidentId, to }, caller) => {
      const incident = openIncident(picture, incidentId);
      // Only someone who may act can work an incident (not an auditor).
      const account = accounts.find(to);
      if (!account || account.role === 'auditor')
        throw new Refusal('incident-owner-unknown', { name: to }, `no operator or supervisor is called ${JSON.stringify(to)}`);
      if (incident.owner !== account.name)
        append([consoleAction('incident.transferred', { inc: incidentId, from: incident.owner ?? null, to: account.name }, caller)]);
      return { owner: account.name };
    },

    'incident.close': ({ incident: incidentId, outcome, notes }, caller) => {
      const incident = openIncident(picture, incidentId);
      // Its units are told they are clear once the closing is logged.
      const clears: (() => boolean)[] = [];
      for (const id of incident.assignmentIds) {
        const assignment = picture.assignments.get(id);
        if (assignment && assignment.status !== 'cleared') clears.push(tasking.later(assignment.unit, 'cleared'));
      }
      append([consoleAction('incident.closed', { inc: incidentId, notes, outcome }, caller)]);
      for (const clear of clears) clear();
      return { closedAt: picture.incidents.get(incidentId)?.closedAt ?? Date.now() };
    },

    'console.setMute': ({ muted }, caller) => {
      append([consoleAction('console.muted', { muted }, caller)]);
      return { muted };
    },
  };
}

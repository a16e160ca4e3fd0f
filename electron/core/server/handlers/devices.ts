// Field devices: the list the console shows, and a supervisor registering a
// device as a unit or blocking it. The rules are in devices/registration.ts;
// these handlers check, log (under the supervisor's name) and answer.
import type { FieldDevices } from '../../devices/fieldDevices';
import type { FieldPoints } from '../../devices/fieldPoints';
import { openIncident } from '../../incidents/incidents';
import { Refusal } from '../../refusal';
import { blocking, registration, unblocking } from '../../devices/registration';
import type { LivePicture } from '../../picture/livePicture';
import { consoleAction, signedIn, type AppendToLog, type HandlersOf } from './common';

export interface DeviceContext {
  devices: FieldDevices;
  fieldPoints: FieldPoints;
  picture: LivePicture;
  append: AppendToLog;
}

export function createDeviceHandlers({ devices, fieldPoints, picture, append }: DeviceContext): HandlersOf<'devices.' | 'fieldPoints.'> {
  return {
    'devices.list': () => ({ devices: devices.list() }),

    'devices.register': ({ device, unit, create }, caller) => {
      const operator = signedIn(caller).name;
      const planned = registration(devices, picture, device, unit !== undefined ? { unit } : { create: create! });
      append(planned.events.map((event) => ({ ...event, operator })));
      return { unit: planned.unit, created: planned.created };
    },

    'devices.block': ({ device, reason }, caller) => {
      const operator = signedIn(caller).name;
      append(blocking(devices, device, reason).map((event) => ({ ...event, operator })));
      return {};
    },

    'devices.unblock': ({ device }, caller) => {
      const operator = signedIn(caller).name;
      append(unblocking(devices, device).map((event) => ({ ...event, operator })));
      return {};
    },

    'fieldPoints.list': () => ({ points: fieldPoints.list() }),

    'fieldPoints.attach': ({ point, incident }, caller) => {
      openIncident(picture, incident);
      if (!fieldPoints.get(point)) throw new Refusal('point-unknown', { point }, `no point or marker ${point}`);
      append([consoleAction('field.attached', { inc: incident, p: point }, caller)]);
      return {};
    },
  };
}

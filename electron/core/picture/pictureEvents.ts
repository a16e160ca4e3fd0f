// Alert severities, and the old names of the event catalogue's helpers.
// Every event kind and payload shape is in log/eventCatalogue.ts; the aliases
// below (pictureEvent = logEvent, PictureEventKind = EventKind,
// PictureEventPayloads = EventPayloads) remain only for the request handlers
// in server/, which still import them, and can go once those import the
// catalogue's names.
import type { AlertKind, Severity } from '../../../shared/domain';
import { logEvent, type EventKind, type EventPayloads, type LogEvent } from '../log/eventCatalogue';

export type PictureEventKind = EventKind;
export type PictureEventPayloads = EventPayloads;
export type PictureEvent<K extends EventKind = EventKind> = LogEvent<K>;
export const pictureEvent = logEvent;

export const SEVERITY: Record<AlertKind, Severity> = {
  'boat-launch': 'high',
  'boat-at-sea': 'high',
  'group-on-beach': 'high',
  vehicle: 'medium',
  'suspicious-activity': 'low',
  'sensor-silent': 'medium',
};

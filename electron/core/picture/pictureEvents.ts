// The events that build the live picture. Their kinds and payload shapes are
// in the event catalogue (log/eventCatalogue.ts), with every other kind the
// log holds; the names below are the catalogue's, kept for the modules that
// build picture events under these names.
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

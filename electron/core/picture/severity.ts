// Alert severities by kind: what an alert of each kind is raised at. Every
// event kind and payload shape is in log/eventCatalogue.ts.
import type { AlertKind, Severity } from '../../../shared/domain';

export const SEVERITY: Record<AlertKind, Severity> = {
  'boat-launch': 'high',
  'boat-at-sea': 'high',
  'group-on-beach': 'high',
  vehicle: 'medium',
  'suspicious-activity': 'low',
  'sensor-silent': 'medium',
  'field-report': 'high',
  emergency: 'critical',
  'dark-contact': 'high',
  'ais-silent': 'low',
};

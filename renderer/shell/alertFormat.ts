// Small formatting shared by the queue, the merge question and the incident
// panel: ages, distances, queue order.
import type { AlertView } from '../../shared/contract';
import type { Severity } from '../../shared/domain';
import type { Translator } from '../i18n/translate';

export function formatAge(t: Translator, ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('age.seconds', { s });
  if (s < 3600) return t('age.minutes', { m: Math.floor(s / 60) });
  return t('age.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

/** Metres under 1 km, else km with one decimal (in the language's decimal mark). */
export function formatDistance(t: Translator, meters: number): string {
  if (meters < 1000) return t('distance.meters', { m: Math.round(meters) });
  return t('distance.km', { km: Math.round(meters / 100) / 10 });
}

const SEVERITY_RANK: Record<Severity, number> = { critical: -1, high: 0, medium: 1, low: 2 };

/** The queue's order: most severe first, then newest. */
export function queueOrder(a: AlertView, b: AlertView): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.time - a.time;
}

/** How many waiting alerts pulse on the map at once: the top of the queue (map/AlertPulseLayer.tsx says why). */
export const MAX_PULSING = 25;

/** The waiting alerts that pulse on the map: the first `max` waiting ones with a position, in the queue's order. */
export function pulsingAlerts(alerts: readonly AlertView[], max = MAX_PULSING): Set<string> {
  const waiting = alerts.filter((alert) => alert.status === 'new' && alert.lat !== null && alert.lon !== null);
  return new Set(
    waiting
      .sort(queueOrder)
      .slice(0, max)
      .map((alert) => alert.id),
  );
}

/** The queue's fixed row height (px): what makes windowing a division. */
export const ROW_HEIGHT = 58;

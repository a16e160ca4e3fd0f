// Alert sounds: one <audio> per severity and one for escalation (SoundBank
// renders them, served from /assets/sounds/ under the CSP's media-src
// 'self'); a new alert plays its severity's chime, an alert that escalates
// plays the escalation call, unless the operator muted the console.
import type { AlertView } from '../../shared/contract';
import type { Severity } from '../../shared/domain';
import { useConsole } from '../state/store';

export type Sound = Severity | 'escalated';
export const SOUNDS: readonly Sound[] = ['critical', 'high', 'medium', 'low', 'escalated'];
const RANK: Record<Severity, number> = { critical: -1, high: 0, medium: 1, low: 2 };

export function soundUrl(sound: Sound): string {
  return `/assets/sounds/alert-${sound}.wav`;
}

function play(sound: Sound): void {
  const audio = document.querySelector<HTMLAudioElement>(`audio[data-sound="${sound}"]`);
  if (!audio) return;
  // Counted even when the browser's autoplay policy refuses the sound, so the
  // console (and its tests) can tell a sound was due.
  audio.dataset.played = String(Number(audio.dataset.played ?? '0') + 1);
  audio.currentTime = 0;
  audio.play().catch(() => undefined);
}

/**
 * Called with a delta's alerts before they are merged into the store: the
 * escalation call when one of them has just escalated, else one chime (the
 * most severe) for the alerts the console had not seen yet. `known`: the live
 * alerts as the console knows them (the live picture's, in replay mode too).
 */
export function announceNewAlerts(
  changed: AlertView[],
  known: ReadonlyMap<string, AlertView> = new Map(useConsole.getState().live.alerts.map((alert) => [alert.id, alert])),
): void {
  if (useConsole.getState().muted) return;
  if (changed.some((alert) => alert.status === 'new' && alert.escalated && !known.get(alert.id)?.escalated)) return play('escalated');
  const fresh = changed.filter((alert) => alert.status === 'new' && !known.has(alert.id));
  if (fresh.length === 0) return;
  const worst = fresh.reduce((a, b) => (RANK[b.severity] < RANK[a.severity] ? b : a));
  play(worst.severity);
}

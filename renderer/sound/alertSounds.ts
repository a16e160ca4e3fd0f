// Alert chimes: one <audio> per severity (SoundBank renders them, served from
// /assets/sounds/ under the CSP's media-src 'self'); a new alert plays its
// severity's chime unless the operator muted the console.
import type { AlertView } from '../../shared/contract';
import type { Severity } from '../../shared/domain';
import { useConsole } from '../state/store';

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];
const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

export function soundUrl(severity: Severity): string {
  return `/assets/sounds/alert-${severity}.wav`;
}

function play(severity: Severity): void {
  const audio = document.querySelector<HTMLAudioElement>(`audio[data-sound="${severity}"]`);
  if (!audio) return;
  // Counted even when the browser's autoplay policy refuses the sound, so the
  // console (and its tests) can tell a chime was due.
  audio.dataset.played = String(Number(audio.dataset.played ?? '0') + 1);
  audio.currentTime = 0;
  audio.play().catch(() => undefined);
}

/**
 * Called with a delta's alerts before they are merged into the store: one
 * chime (the most severe) for the alerts the console had not seen yet.
 */
export function announceNewAlerts(changed: AlertView[]): void {
  const { alerts, muted } = useConsole.getState();
  if (muted) return;
  const known = new Set(alerts.map((alert) => alert.id));
  const fresh = changed.filter((alert) => alert.status === 'new' && !known.has(alert.id));
  if (fresh.length === 0) return;
  const worst = fresh.reduce((a, b) => (RANK[b.severity] < RANK[a.severity] ? b : a));
  play(worst.severity);
}

// Plain helpers of the figures view: the period typed as local 24-hour
// "YYYY-MM-DD HH:MM" (the same in both languages, unlike the browser's
// date pickers, which follow the system's locale and may show AM/PM), with
// its UTC offset where the local time alone is ambiguous (shared/localTime.ts),
// and durations in SI symbols (s, min, h — the same in both languages).
import { formatLocalDateTime, readLocalTime, type LocalTimeReading, type OffsetShown } from '../../shared/localTime';

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as "YYYY-MM-DD HH:MM", with its offset ("… UTC+2") only in the hour the clocks repeat, or always. */
export function formatLocal(epochMs: number, offset: OffsetShown = 'when-repeated'): string {
  return formatLocalDateTime(epochMs, { seconds: false, offset });
}

/** "YYYY-MM-DD HH:MM" (or "YYYY-MM-DDTHH:MM"), local time, optionally with its offset, to a moment; or why it is none (a skipped or repeated hour, a wrong offset). */
export function parseLocal(text: string): LocalTimeReading {
  return readLocalTime(text);
}

/** The last `hours` hours up to `now`, on whole minutes (the end rounded up so the current minute is in). */
export function lastHours(hours: number, now: number): { from: number; to: number } {
  const to = Math.ceil(now / 60_000) * 60_000;
  return { from: to - hours * 3_600_000, to };
}

/** 0.4 s (under 10 s, one decimal in the language's notation) · 45 s · 3 min 05 s · 1 h 02 min; null as an em dash. */
export function formatDuration(ms: number | null, language: string): string {
  if (ms === null) return '—';
  if (ms < 9950) return `${new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${pad(seconds % 60)} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
}

/** A share as a percentage in the language's notation (one decimal at most; a sliver as "< 0.1 %"); null as an em dash. */
export function formatShare(share: number | null, language: string): string {
  if (share === null) return '—';
  const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 });
  return share > 0 && share < 0.0005 ? `< ${percent.format(0.001)}` : percent.format(share);
}

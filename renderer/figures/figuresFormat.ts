// Plain helpers of the figures view: the period typed as local 24-hour
// "YYYY-MM-DD HH:MM" (the same in both languages, unlike the browser's
// date pickers, which follow the system's locale and may show AM/PM), and
// durations in SI symbols (s, min, h — the same in both languages).

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as "YYYY-MM-DD HH:MM". */
export function formatLocal(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "YYYY-MM-DD HH:MM" (or "YYYY-MM-DDTHH:MM"), local time, to epoch ms; null when it is not a real date and time. */
export function parseLocal(text: string): number | null {
  const match = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})\s*$/.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (hour > 23 || minute > 59) return null;
  const date = new Date(year, month - 1, day, hour, minute);
  // 2026-02-30 rolls over to March: not a date.
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return date.getTime();
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

// Local times and their offset from UTC. The console shows and reads times in
// the time zone of the machine it runs on (the browser's default, i.e. the
// system's: Europe/Paris in the control rooms). Twice a year that clock
// jumps: the last Sunday of March skips 02:00–03:00 (UTC+1 → UTC+2), and the
// last Sunday of October repeats it (UTC+2, then UTC+1), so a bare "02:30"
// that night names two moments. Shown times carry their offset where that
// matters ("02:30:00 UTC+2"); a typed time that does not exist is refused,
// and one that happens twice must say which (its offset). The rule is in
// docs/console.md, "Times and the clock changes". Plain Date arithmetic, no
// Intl: cheap enough for every played frame of a replay.

const SECOND = 1000;
const MINUTE = 60_000;
const DAY = 86_400_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** The machine's offset from UTC at that moment, in minutes (Paris: 60 in winter, 120 in summer). */
export function offsetAt(epochMs: number): number {
  return -new Date(epochMs).getTimezoneOffset();
}

/** An offset as the console writes it, the same in both languages: UTC+1, UTC+2, UTC-3:30, UTC. */
export function formatOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const size = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${Math.floor(size / 60)}${size % 60 ? `:${pad(size % 60)}` : ''}`;
}

/** A moment's local date and time, written as if it were UTC (so that the UTC getters read the local fields). */
const wallOf = (epochMs: number): number => epochMs + offsetAt(epochMs) * MINUTE;

/** Every moment whose local date and time is `wall`, earliest first: none in the hour the clocks skip, two in the hour they repeat. */
function momentsAt(wall: number): number[] {
  const offsets = new Set([offsetAt(wall - DAY), offsetAt(wall), offsetAt(wall + DAY)]);
  return [...offsets]
    .map((offset) => wall - offset * MINUTE)
    .filter((moment) => wallOf(moment) === wall)
    .sort((a, b) => a - b);
}

/** Whether the local time at that moment also names another moment (the hour repeated when the clocks go back). */
export function isRepeatedLocalTime(epochMs: number): boolean {
  return momentsAt(wallOf(epochMs)).length > 1;
}

/** When the offset is written after a local time: always, or only when that local time happens twice. */
export type OffsetShown = 'always' | 'when-repeated';

/** " UTC+2" to follow a local time, or '' (`when-repeated`, outside the repeated hour). */
export function offsetSuffix(epochMs: number, shown: OffsetShown): string {
  return shown === 'always' || isRepeatedLocalTime(epochMs) ? ` ${formatOffset(offsetAt(epochMs))}` : '';
}

/** Local "YYYY-MM-DD HH:MM[:SS]", with the offset after it as `offset` says: 2026-10-25 02:30:00 UTC+2. */
export function formatLocalDateTime(epochMs: number, { seconds = true, offset = 'always' }: { seconds?: boolean; offset?: OffsetShown } = {}): string {
  const d = new Date(epochMs);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ''}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}${offsetSuffix(epochMs, offset)}`;
}

/** What a typed local time reads as: a moment, or why it is not one (with what the message needs). */
export type LocalTimeReading =
  | { time: number }
  | { problem: 'unreadable' }
  /** In the hour the clocks skip: from `start` the clocks jumped to `end` (local HH:MM), offsets `before` → `after`. */
  | { problem: 'skipped'; text: string; start: string; end: string; before: string; after: string }
  /** In the hour the clocks repeat, without an offset: `first` names the first, `second` the second. */
  | { problem: 'repeated'; text: string; first: string; second: string }
  /** With an offset the local clock does not have at that time (it has `actual`; two, "UTC+2 / UTC+1", in the repeated hour). */
  | { problem: 'wrong-offset'; text: string; typed: string; actual: string };

const LOCAL_TIME = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(.*)$/;
const OFFSET = /^(?:(?:UTC|GMT)(?:\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?)?|Z|([+\-−])(\d{2}):?(\d{2}))$/i;

/** The offset written after a time, in minutes: undefined when there is none, null when it cannot be read. */
function readOffset(text: string): number | null | undefined {
  const written = text.trim();
  if (written === '') return undefined;
  const match = OFFSET.exec(written);
  if (!match) return null;
  const sign = match[1] ?? match[4];
  if (sign === undefined) return 0; // UTC, GMT or Z alone
  const hours = Number(match[2] ?? match[5]);
  const minutes = Number(match[3] ?? match[6] ?? 0);
  if (hours > 14 || minutes > 59) return null;
  return (sign === '+' ? 1 : -1) * (hours * 60 + minutes);
}

/** The moment the offset changes, between `from` (offset `before`) and `to` (after), to the second. */
function changeBetween(from: number, to: number, before: number): number {
  while (to - from > SECOND) {
    const middle = from + Math.floor((to - from) / 2 / SECOND) * SECOND;
    if (offsetAt(middle) === before) from = middle;
    else to = middle;
  }
  return to;
}

const hhmm = (wall: number) => {
  const d = new Date(wall);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

/**
 * "YYYY-MM-DD HH:MM" (a T between them is fine; ":SS" too), local time, with
 * an optional offset after it ("UTC+2", "GMT+1", "+01:00", "+0100", "Z"). A
 * time in the hour the clocks skip is refused, never moved; one in the hour
 * they repeat must carry its offset; a written offset must be the local one
 * (it picks a moment, it does not convert from another zone).
 */
export function readLocalTime(text: string): LocalTimeReading {
  const match = LOCAL_TIME.exec(text);
  if (!match) return { problem: 'unreadable' };
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const offset = readOffset(match[7]!);
  if (offset === null || hour > 23 || minute > 59 || second > 59) return { problem: 'unreadable' };
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  // 2026-02-30 rolls over to March: not a date.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return { problem: 'unreadable' };
  const written = `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}${match[6] === undefined ? '' : `:${match[6]}`}`;

  const moments = momentsAt(wall);
  if (moments.length === 0) {
    const before = offsetAt(wall - DAY);
    const after = offsetAt(wall + DAY);
    const change = changeBetween(wall - Math.max(before, after) * MINUTE, wall - Math.min(before, after) * MINUTE, before);
    return {
      problem: 'skipped',
      text: written,
      start: hhmm(change + before * MINUTE),
      end: hhmm(change + after * MINUTE),
      before: formatOffset(before),
      after: formatOffset(after),
    };
  }
  if (offset === undefined) {
    if (moments.length === 1) return { time: moments[0]! };
    return { problem: 'repeated', text: written, first: formatOffset(offsetAt(moments[0]!)), second: formatOffset(offsetAt(moments[1]!)) };
  }
  const named = moments.find((moment) => offsetAt(moment) === offset);
  if (named !== undefined) return { time: named };
  return { problem: 'wrong-offset', text: written, typed: formatOffset(offset), actual: moments.map((moment) => formatOffset(offsetAt(moment))).join(' / ') };
}

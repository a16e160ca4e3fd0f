// The figures as one CSV file (RFC 4180): a header row, then one row per
// number, in "long" form — `table,key,label,measure,value` — so every table
// of the figures fits one file and a spreadsheet can pivot it. Identifiers
// and measures are the log's own (English, language-neutral); times are ISO
// 8601 UTC, durations seconds, shares fractions 0–1. Lines end with CRLF.
import type { DurationFigures, Figures } from '../../../shared/contract';

export const CSV_HEADER = ['table', 'key', 'label', 'measure', 'value'] as const;

type Cell = string | number | null;

/** One field, quoted when it holds a comma, a quote or a line break (quotes doubled). */
export function csvField(value: Cell): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? csvNumber(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Plain decimal notation, at most 6 decimals, no exponent, no trailing zeros. */
function csvNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  return String(Number(value.toFixed(6)));
}

/**
 * A name typed by a person (sector, callsign) that a spreadsheet would read
 * as a formula (=, +, -, @ first) gets a leading apostrophe, the usual guard
 * against formula injection.
 */
function label(text: string | null): string | null {
  return text !== null && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

export function figuresToCsv(figures: Figures): string {
  const rows: Cell[][] = [[...CSV_HEADER]];
  const row = (table: string, key: string | null, name: string | null, measure: string, value: Cell) => rows.push([table, key, label(name), measure, value]);

  row('range', null, null, 'from', new Date(figures.from).toISOString());
  row('range', null, null, 'to', new Date(figures.to).toISOString());
  row('range', null, null, 'until', new Date(figures.until).toISOString());

  row('alerts', null, null, 'total', figures.alerts.total);
  for (const { kind, count } of figures.alerts.byKind) row('alerts-by-kind', kind, null, 'count', count);
  for (const sector of figures.alerts.bySector) {
    const key = sector.sector ?? 'none';
    row('alerts-by-sector', key, sector.name, 'total', sector.total);
    for (const { kind, count } of sector.byKind) row('alerts-by-sector', key, sector.name, kind, count);
  }

  const times = (key: string, d: DurationFigures) => {
    row('times', key, null, 'count', d.count);
    row('times', key, null, 'median_s', seconds(d.medianMs));
    row('times', key, null, 'p90_s', seconds(d.p90Ms));
    row('times', key, null, 'incomplete', d.incomplete);
  };
  times('acknowledge', figures.times.acknowledge);
  times('dispatch', figures.times.dispatch);
  times('arrive', figures.times.arrive);

  const incidents = figures.incidents;
  row('incidents', null, null, 'opened', incidents.opened);
  row('incidents', null, null, 'closed', incidents.closed);
  row('incidents', null, null, 'still_open', incidents.stillOpen);
  row('incidents', null, null, 'intercepted_or_prevented', incidents.interceptedOrPrevented);
  row('incidents', null, null, 'share_intercepted_or_prevented', incidents.share);
  row('incidents', null, null, 'share_of_attempts', incidents.shareOfAttempts);
  for (const { outcome, count } of incidents.byOutcome) row('incidents-by-outcome', outcome, null, 'count', count);

  row('units', 'all', null, 'observed_s', seconds(figures.units.observedMs));
  row('units', 'all', null, 'share', figures.units.overall);
  for (const unit of figures.units.list) {
    row('units', unit.unit, unit.callsign, 'assignments', unit.assignments);
    row('units', unit.unit, unit.callsign, 'committed_s', seconds(unit.committedMs));
    row('units', unit.unit, unit.callsign, 'share', unit.share);
  }
  const fusion = figures.fusion;
  if (fusion) {
    row('fusion', null, null, 'radar_tracks', fusion.radarTracks);
    row('fusion', null, null, 'identified', fusion.identified);
    row('fusion', null, null, 'share_identified', fusion.share);
    row('dark-contacts', null, null, 'raised', fusion.darkContacts.raised);
    row('dark-contacts', null, null, 'acknowledged', fusion.darkContacts.acknowledged);
    row('dark-contacts', null, null, 'unacknowledged', fusion.darkContacts.unacknowledged);
    row('dark-contacts', null, null, 'still_open', fusion.darkContacts.stillOpen);
    for (const { outcome, count } of fusion.darkContacts.byOutcome) row('dark-contacts-by-outcome', outcome, null, 'count', count);
  }
  return rows.map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
}

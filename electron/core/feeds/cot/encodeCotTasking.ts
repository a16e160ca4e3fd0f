// The outbound tasking event the core sends to a CoT unit's terminal when an
// assignment is made, cancelled or cleared. Type t-x-d, addressed to the unit
// by a p-p link; our <vigie> detail carries the ids the terminal echoes back
// in its replies (see parseCotEvent: y-… with <vigie status assignment/>).
import { VIGIE_TASKING_TYPE, COT_UNKNOWN } from './parseCotEvent';
import { xmlEscape } from './xml';

export { xmlEscape } from './xml';

export interface CotTasking {
  assignment: string;
  unit: { uid: string; callsign: string };
  incident: string;
  /** Where the unit is sent (the incident). */
  lat: number;
  lon: number;
  status: 'assigned' | 'cancelled' | 'cleared';
  kind?: string;
  sector?: string;
  remarks?: string;
  /** Epoch ms: time and start of the event. */
  now: number;
  /** How long the tasking stays valid on the terminal; one hour unless given. */
  staleSeconds?: number;
}

export const DEFAULT_TASKING_STALE_SECONDS = 3600;

export function encodeCotTasking(a: CotTasking): string {
  if (!Number.isFinite(a.lat) || a.lat < -90 || a.lat > 90 || !Number.isFinite(a.lon) || a.lon < -180 || a.lon > 180)
    throw new RangeError(`tasking position ${a.lat}, ${a.lon} is not a position`);
  const staleSeconds = a.staleSeconds ?? DEFAULT_TASKING_STALE_SECONDS;
  if (!Number.isFinite(staleSeconds) || staleSeconds <= 0) throw new RangeError(`staleSeconds must be positive, not ${staleSeconds}`);
  const time = new Date(a.now).toISOString();
  const stale = new Date(a.now + Math.round(staleSeconds * 1000)).toISOString();
  const unknown = `${COT_UNKNOWN}.0`;
  let vigie = `<vigie assignment="${xmlEscape(a.assignment)}" incident="${xmlEscape(a.incident)}" status="${a.status}"`;
  if (a.kind !== undefined) vigie += ` kind="${xmlEscape(a.kind)}"`;
  if (a.sector !== undefined) vigie += ` sector="${xmlEscape(a.sector)}"`;
  vigie += '/>';
  return (
    `<event version="2.0" uid="vigie-task-${xmlEscape(a.assignment)}" type="${VIGIE_TASKING_TYPE}" how="h-e" time="${time}" start="${time}" stale="${stale}">` +
    `<point lat="${a.lat.toFixed(7)}" lon="${a.lon.toFixed(7)}" hae="${unknown}" ce="${unknown}" le="${unknown}"/>` +
    '<detail>' +
    `<link uid="${xmlEscape(a.unit.uid)}" relation="p-p" type="a-f-G"/>` +
    '<contact callsign="VIGIE"/>' +
    vigie +
    (a.remarks !== undefined ? `<remarks>${xmlEscape(a.remarks)}</remarks>` : '') +
    '</detail></event>'
  );
}

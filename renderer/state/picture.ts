// A picture: what the map and the panels show — the live core's now, or a
// replayed moment of a shift. The store holds the live picture always and a
// replayed one in replay mode (slices/live.ts, slices/replay.ts); components
// read the one shown (store.ts: useShownPicture). These are its pure
// updates: each returns a new picture with new arrays only for what changed
// (the same picture when nothing did), so a panel whose content is unchanged
// is not rendered again. Tracks and unit positions go to the picture's own
// `positions`, outside React.
import { unpackTracks } from '../../shared/contract';
import type { AlertView, EventPayload, IncidentView, ReplayPicture, RequestResult, Sector, SensorView, UnitView } from '../../shared/contract';
import { Positions } from './positions';
import { Vessels } from './vessels';

export interface Picture {
  sectors: Sector[];
  sensors: SensorView[];
  /** Units for panels (the roster; positions are drawn from `positions`). */
  units: UnitView[];
  /** Open alerts, newest first. */
  alerts: AlertView[];
  /** Open incidents (closed ones are dropped as their delta arrives). */
  incidents: IncidentView[];
  trackCount: number;
  /** The moment the picture stands for, which ages and staleness count from: null for the live picture (now). */
  time: number | null;
  /** Tracks and units with their trails, for the map's canvas: changed in place (they move ten times a second), with listeners of their own. */
  positions: Positions;
  /** Ships heard on AIS, changed in place like positions. */
  vessels: Vessels;
}

export type PictureDelta = EventPayload<'picture.delta'>;
/** The live picture as the core sends it whole (picture.get). */
export type WholePicture = RequestResult<'picture.get'>;

export function emptyPicture(): Picture {
  return { sectors: [], sensors: [], units: [], alerts: [], incidents: [], trackCount: 0, time: null, positions: new Positions(), vessels: new Vessels() };
}

/** The live picture loaded whole (after sign-in or a reconnect), in place of `previous`. */
export function wholePicture(previous: Picture, whole: WholePicture): Picture {
  previous.positions.reset(whole.tracks, whole.units);
  previous.vessels.reset(whole.vessels ?? []);
  return {
    sectors: whole.sectors,
    sensors: whole.sensors,
    units: whole.units,
    alerts: whole.alerts,
    incidents: whole.incidents,
    trackCount: whole.tracks.length,
    time: null,
    positions: previous.positions,
    vessels: previous.vessels,
  };
}

/** Replaces items by id, keeping order for known ones and adding new ones. */
function mergeById<T extends { id: string }>(current: T[], changed: T[]): T[] {
  if (changed.length === 0) return current;
  const byId = new Map(changed.map((item) => [item.id, item]));
  const merged = current.map((item) => byId.get(item.id) ?? item);
  const known = new Set(current.map((item) => item.id));
  for (const item of changed) if (!known.has(item.id)) merged.push(item);
  return merged;
}

/**
 * A picture's `units` is the roster (who, what type, which status and
 * assignment, whether it has a fix); positions are in `positions`. A unit
 * that only moved is not a roster change.
 */
function rosterChanged(roster: UnitView[], unit: UnitView): boolean {
  const known = roster.find((item) => item.id === unit.id);
  return (
    !known ||
    known.status !== unit.status ||
    known.assignment !== unit.assignment ||
    known.callsign !== unit.callsign ||
    known.type !== unit.type ||
    known.crew !== unit.crew ||
    (known.lat === null) !== (unit.lat === null)
  );
}

/**
 * A live delta applied: positions moved in place, and only the arrays that
 * changed are new, so a delta carrying nothing but moving units re-renders
 * nothing (the same picture comes back).
 */
export function withDelta(picture: Picture, delta: PictureDelta): Picture {
  picture.positions.apply(unpackTracks(delta.tracks), delta.tracksRemoved, delta.units);
  picture.vessels.apply(delta.vessels ?? [], delta.vesselsRemoved ?? []);
  const next: Partial<Picture> = {};
  if (delta.sensors.length > 0) next.sensors = mergeById(picture.sensors, delta.sensors);
  const rosterChanges = delta.units.filter((unit) => rosterChanged(picture.units, unit));
  if (rosterChanges.length > 0) next.units = mergeById(picture.units, rosterChanges);
  if (delta.alerts.length > 0)
    next.alerts = mergeById(picture.alerts, delta.alerts)
      .filter((alert) => alert.status !== 'closed')
      .sort((a, b) => b.time - a.time);
  if (delta.incidents.length > 0) next.incidents = mergeById(picture.incidents, delta.incidents).filter((incident) => incident.status !== 'closed');
  const trackCount = picture.positions.tracks.size;
  if (trackCount !== picture.trackCount) next.trackCount = trackCount;
  return Object.keys(next).length > 0 ? { ...picture, ...next } : picture;
}

/** How many of a delta's alerts are new ones the picture did not hold yet (a live alert to go back for). */
export function newAlertCount(picture: Picture, changed: AlertView[]): number {
  if (changed.length === 0) return 0;
  const known = new Set(picture.alerts.map((alert) => alert.id));
  let fresh = 0;
  for (const alert of changed) {
    if (alert.status === 'new' && !known.has(alert.id)) fresh += 1;
    known.add(alert.id);
  }
  return fresh;
}

/**
 * A replayed moment after the one shown (tracks and units move with trails,
 * as live). Played at 60×, one arrives every frame: only the panels whose
 * content changed get new arrays, so an unchanged alert queue, sector list or
 * sensor layer is not rendered again.
 */
export function withMoment(picture: Picture, moment: ReplayPicture, time: number): Picture {
  const { positions } = picture;
  const present = new Set(moment.tracks.map((track) => track.id));
  const removed = [...positions.tracks.keys()].filter((id) => !present.has(id));
  const goneUnits = [...positions.units.keys()].some((id) => !moment.units.some((unit) => unit.id === id));
  // The replayed picture's own ships (never the live ones: a replay picture starts from emptyPicture).
  picture.vessels.reset(moment.vessels ?? []);
  if (goneUnits) positions.reset(moment.tracks, moment.units);
  else positions.apply(moment.tracks, removed, moment.units);
  return {
    sectors: sectorsKey(picture.sectors) === sectorsKey(moment.sectors) ? picture.sectors : moment.sectors,
    sensors: sameContent(picture.sensors, moment.sensors) ? picture.sensors : moment.sensors,
    units: sameContent(picture.units.map(roster), moment.units.map(roster)) ? picture.units : moment.units,
    alerts: sameContent(picture.alerts, moment.alerts) ? picture.alerts : moment.alerts,
    incidents: sameContent(picture.incidents, moment.incidents) ? picture.incidents : moment.incidents,
    trackCount: moment.tracks.length,
    time,
    positions,
    vessels: picture.vessels,
  };
}

const sameContent = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
/** Sectors change rarely (an edit in the shift): compared by a flat key, cheaper than their JSON. */
const sectorsKey = (sectors: Sector[]) => sectors.map((sector) => `${sector.id}|${sector.name}|${sector.risk}|${sector.ring.flat().join(',')}`).join(';');
/** What the panels show of a unit (its position is drawn from `positions`). */
const roster = (unit: UnitView) => [unit.id, unit.status, unit.assignment, unit.lat === null];

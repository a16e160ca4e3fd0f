// Estimated time of arrival of each patrol unit at an alert, so the operator
// sees the available units ranked when an incident opens (docs/dispatch.md).
//
// Land units go straight × a detour factor (roads and paths are not
// modelled) and stay on their landmass; boats stay on water, routed around
// capes on a coarse water grid when the straight line crosses land.
// Everything is derived from the shipped land polygons; no network.
import fs from 'node:fs';
import type { UnitView } from '../../../shared/contract';
import type { UnitType } from '../../../shared/domain';
import { distanceMeters } from '../../../shared/sphere';
import { landFile } from '../paths';
import type { CoastPoint, LatLon } from './waterGrid';
import { DEFAULT_CELL_METERS, LandShapes, WaterGrid } from './waterGrid';

/** Knots to km/h. */
const KNOT_KMH = 1.852;

/**
 * Default cruising speeds, km/h. Land speeds are along the ground; the detour
 * factor then stretches the straight line. A drone team drives a vehicle to
 * its launch point (the drone's own flight is not modelled).
 */
export const UNIT_SPEEDS_KMH: Readonly<Record<UnitType, number>> = Object.freeze({
  foot: 5,
  'dog-team': 6,
  quad: 35,
  '4x4': 50,
  boat: 25 * KNOT_KMH,
  'drone-team': 40,
});

/**
 * - `land`: over land, straight line × detour factor.
 * - `sea`: by boat, straight line or around the land on the water grid.
 * - `to-shore`: a land unit sent to a target at sea: the ETA is to the water's edge.
 */
export type EtaMode = 'land' | 'sea' | 'to-shore';

export interface EtaEstimate {
  reachable: boolean;
  /** Distance travelled, metres; Infinity when unreachable. */
  meters: number;
  /** meters / speed; Infinity when unreachable. */
  seconds: number;
  mode: EtaMode;
  /** Where the estimate leads: the target, or the shore point / open water the unit stops at. Null when unreachable. */
  destination: LatLon | null;
  /** Waypoints of a sea route that had to go around land, start and end included. */
  route?: LatLon[];
  /** Why it is unreachable (always set then), or what the figure does not cover. */
  note?: string;
}

export interface RankedUnit {
  unit: UnitView;
  eta: EtaEstimate;
}

export interface EtaOptions {
  /** Straight-line distance over land is multiplied by this (roads and paths are not modelled). Default 1.35. */
  detourFactorLand?: number;
  /** How close to the coast a target may be for a boat to reach it from the water, or a land unit from the beach. Default 600 m. */
  shoreRadiusMeters?: number;
  /** Per-type speeds in km/h overriding UNIT_SPEEDS_KMH. */
  speedsKmh?: Partial<Record<UnitType, number>>;
  /** Water grid cell, metres. Default 350. */
  cellMeters?: number;
}

export interface RankOptions {
  /** Which units to consider (e.g. only `status === 'available'`). Default: every unit with a position. */
  include?: (unit: UnitView) => boolean;
}

/** A coast edge counts when the open sea (the grid’s largest body of water) is this close to its middle: estuaries the grid closes off stay shore, a sliver between two countries’ polygons far inland does not. */
const SEA_NEAR_COAST_METERS = 5_000;

/** Countries on the same landmass: a patrol can drive between them. Any other country is its own landmass. */
const LANDMASS: Readonly<Record<string, string>> = { FR: 'continent', BE: 'continent', NL: 'continent', GB: 'great-britain' };
const COUNTRY_NAMES: Readonly<Record<string, string>> = { FR: 'France', BE: 'Belgium', GB: 'England' };

function landmassOf(country: string): string {
  return LANDMASS[country] ?? country;
}

interface TargetInfo {
  lat: number;
  lon: number;
  inMap: boolean;
  /** Country of the land the target is on; null at sea. */
  country: string | null;
  /** Nearest coast point of any country (for a target on land: how far inland it is). */
  coast: CoastPoint | null;
  /** Nearest coast point per landmass (for a target at sea), filled on demand. */
  shoreByLandmass: Map<string, CoastPoint | null>;
  /** The water cell a boat heads for, filled on demand (-1: none). */
  waterCell?: number;
}

interface PositionInfo {
  /** Country of the land polygon the position is in; null at sea. */
  country: string | null;
  /** For a position at sea: the nearest coast point (where a land unit is measured from). */
  shore?: CoastPoint | null;
  /** The open-sea cell a boat leaves from (-1: none). */
  seaCell?: number;
}

const POSITION_CACHE_SIZE = 4096;

export class EtaModel {
  readonly shapes: LandShapes;
  readonly grid: WaterGrid;
  readonly detourFactorLand: number;
  readonly shoreRadiusMeters: number;
  readonly speedsKmh: Readonly<Record<UnitType, number>>;
  private lastTarget: TargetInfo | null = null;
  /** Where unit positions are (country, nearest shore or sea cell), per exact position: fixes repeat between ranks. */
  private readonly positions = new Map<string, PositionInfo>();

  /** `land`: a GeoJSON FeatureCollection of Polygon / MultiPolygon features with a `country` property, as assets/basemap/land.geojson. */
  constructor(land: unknown, options: EtaOptions = {}) {
    const { detourFactorLand = 1.35, shoreRadiusMeters = 600, speedsKmh = {}, cellMeters = DEFAULT_CELL_METERS } = options;
    if (!(detourFactorLand >= 1)) throw new RangeError(`detourFactorLand must be >= 1, got ${detourFactorLand}`);
    if (!(shoreRadiusMeters >= 0)) throw new RangeError(`shoreRadiusMeters must be >= 0, got ${shoreRadiusMeters}`);
    const speeds = { ...UNIT_SPEEDS_KMH, ...speedsKmh };
    for (const [type, speed] of Object.entries(speeds)) {
      if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed of ${type} must be > 0 km/h, got ${speed}`);
    }
    this.detourFactorLand = detourFactorLand;
    this.shoreRadiusMeters = shoreRadiusMeters;
    this.speedsKmh = Object.freeze(speeds);
    this.shapes = new LandShapes(land);
    this.grid = new WaterGrid(this.shapes, cellMeters);
    // The shore that counts is the open sea's (not a sliver between FR and BE at the box's edge).
    this.shapes.retainCoast((lat, lon) => this.grid.nearestSeaCell(lat, lon, SEA_NEAR_COAST_METERS) >= 0);
  }

  /** Reads the land polygons from a file (default: the shipped assets/basemap/land.geojson). */
  static fromFile(file = landFile, options: EtaOptions = {}): EtaModel {
    return new EtaModel(JSON.parse(fs.readFileSync(file, 'utf8')), options);
  }

  /** Every unit with a position that passes `include`: reachable ones by ETA (then id), unreachable ones last (by id). */
  rank(units: readonly UnitView[], target: LatLon, options: RankOptions = {}): RankedUnit[] {
    const ranked: RankedUnit[] = [];
    for (const unit of units) {
      if (unit.lat === null || unit.lon === null || !Number.isFinite(unit.lat) || !Number.isFinite(unit.lon)) continue;
      if (options.include && !options.include(unit)) continue;
      ranked.push({ unit, eta: this.estimate({ type: unit.type, lat: unit.lat, lon: unit.lon }, target) });
    }
    return ranked.sort((a, b) => {
      if (a.eta.reachable !== b.eta.reachable) return a.eta.reachable ? -1 : 1;
      if (a.eta.reachable && a.eta.seconds !== b.eta.seconds) return a.eta.seconds - b.eta.seconds;
      return a.unit.id < b.unit.id ? -1 : a.unit.id > b.unit.id ? 1 : 0;
    });
  }

  estimate(unit: { type: UnitType; lat: number; lon: number }, target: LatLon): EtaEstimate {
    if (![unit.lat, unit.lon, target.lat, target.lon].every(Number.isFinite)) throw new RangeError('estimate: non-finite coordinates');
    const info = this.targetInfo(target);
    const speed = this.speedsKmh[unit.type];
    const result = unit.type === 'boat' ? this.bySea(unit, info) : this.byLand(unit, info);
    if (result.reachable) result.seconds = result.meters / (speed / 3.6);
    return result;
  }

  private targetInfo(target: LatLon): TargetInfo {
    const last = this.lastTarget;
    if (last && last.lat === target.lat && last.lon === target.lon) return last;
    const inMap = this.shapes.inMap(target.lat, target.lon);
    const country = inMap ? this.shapes.countryAt(target.lat, target.lon) : null;
    const info: TargetInfo = {
      lat: target.lat,
      lon: target.lon,
      inMap,
      country,
      coast: inMap && country !== null ? this.shapes.nearestCoast(target.lat, target.lon) : null,
      shoreByLandmass: new Map(),
    };
    this.lastTarget = info;
    return info;
  }

  private position(lat: number, lon: number): PositionInfo {
    const key = `${lat},${lon}`;
    let info = this.positions.get(key);
    if (!info) {
      if (this.positions.size >= POSITION_CACHE_SIZE) this.positions.clear();
      info = { country: this.shapes.countryAt(lat, lon) };
      this.positions.set(key, info);
    }
    return info;
  }

  private shoreFor(info: TargetInfo, landmass: string): CoastPoint | null {
    let shore = info.shoreByLandmass.get(landmass);
    if (shore === undefined) {
      shore = this.shapes.nearestCoast(info.lat, info.lon, (country) => landmassOf(country) === landmass);
      info.shoreByLandmass.set(landmass, shore);
    }
    return shore;
  }

  private byLand(unit: LatLon, target: TargetInfo): EtaEstimate {
    const notes: string[] = [];
    const straight = (from: LatLon, to: LatLon, mode: EtaMode): EtaEstimate => ({
      reachable: true,
      meters: distanceMeters(from.lat, from.lon, to.lat, to.lon) * this.detourFactorLand,
      seconds: 0,
      mode,
      destination: { lat: to.lat, lon: to.lon },
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    });
    if (!target.inMap || !this.shapes.inMap(unit.lat, unit.lon)) {
      notes.push('outside the mapped area: straight line × detour, land and sea not checked');
      return straight(unit, target, 'land');
    }
    // A fix a few hundred metres at sea is the coarse coastline (or a jetty): the unit is ashore.
    let from: LatLon = unit;
    const position = this.position(unit.lat, unit.lon);
    let country = position.country;
    if (country === null) {
      if (position.shore === undefined) position.shore = this.shapes.nearestCoast(unit.lat, unit.lon);
      const shore = position.shore;
      if (!shore) return unreachable('land', 'no land in the map');
      from = shore;
      country = shore.country;
      if (shore.meters > this.shoreRadiusMeters) notes.push(`unit reported ${formatMeters(shore.meters)} off the coast; measured from the nearest shore`);
    }
    const landmass = landmassOf(country);
    if (target.country !== null) {
      if (landmassOf(target.country) !== landmass) {
        return unreachable(
          'land',
          `target is in ${COUNTRY_NAMES[target.country] ?? target.country}, across the sea from the unit (${COUNTRY_NAMES[country] ?? country})`,
        );
      }
      return straight(from, target, 'land');
    }
    // Target at sea: a land unit can only reach the water's edge.
    const shore = this.shoreFor(target, landmass);
    if (!shore) return unreachable('to-shore', 'target at sea and no shore on the unit’s side');
    if (shore.meters <= this.shoreRadiusMeters) {
      notes.push(`target ${formatMeters(shore.meters)} off the mapped coast: ETA to the water’s edge there`);
      return straight(from, target, 'to-shore');
    }
    notes.push(
      `target ${formatMeters(shore.meters)} at sea: ETA to the nearest shore (${shore.lat.toFixed(4)}, ${shore.lon.toFixed(4)}); only a boat reaches it`,
    );
    return straight(from, shore, 'to-shore');
  }

  private bySea(unit: LatLon, target: TargetInfo): EtaEstimate {
    const notes: string[] = [];
    const { grid, shapes } = this;
    if (!target.inMap || !shapes.inMap(unit.lat, unit.lon)) {
      return {
        reachable: true,
        meters: distanceMeters(unit.lat, unit.lon, target.lat, target.lon),
        seconds: 0,
        mode: 'sea',
        destination: { lat: target.lat, lon: target.lon },
        note: 'outside the mapped area: straight line, land not checked',
      };
    }

    // Where the boat leaves from: its position on open water, else (harbour, coarse coast) the nearest water cell.
    let start: LatLon = { lat: unit.lat, lon: unit.lon };
    let startCell = grid.cellOf(unit.lat, unit.lon);
    let leadIn = 0;
    const position = this.position(unit.lat, unit.lon);
    const ashore = position.country !== null;
    if (ashore || !grid.isSea(startCell)) {
      if (position.seaCell === undefined) position.seaCell = grid.nearestSeaCell(unit.lat, unit.lon);
      startCell = position.seaCell;
      if (startCell < 0) return unreachable('sea', 'the boat is nowhere near water');
    }
    if (ashore) {
      start = grid.centre(startCell);
      leadIn = distanceMeters(unit.lat, unit.lon, start.lat, start.lon);
      notes.push(`boat inside the mapped coastline (harbour): leaves from open water ${formatMeters(leadIn)} away`);
    }

    // Where it heads: the target on water, or the open water nearest a target just ashore.
    let end: LatLon = { lat: target.lat, lon: target.lon };
    if (target.country !== null) {
      const inland = target.coast?.meters ?? Infinity;
      if (inland > this.shoreRadiusMeters) return unreachable('sea', `target ${formatMeters(inland)} inland: out of a boat’s reach`);
    }
    if (target.waterCell === undefined) {
      const cell = grid.cellOf(target.lat, target.lon);
      target.waterCell = target.country === null && grid.isSea(cell) ? cell : grid.nearestSeaCell(target.lat, target.lon);
    }
    const endCell = target.waterCell;
    if (endCell < 0) return unreachable('sea', 'no open water near the target');
    if (target.country !== null) {
      end = grid.centre(endCell);
      notes.push(`target ashore (${formatMeters(target.coast?.meters ?? 0)} from the water): ETA to the nearest open water`);
    }

    const result = (meters: number, route?: LatLon[]): EtaEstimate => ({
      reachable: true,
      meters: leadIn + meters,
      seconds: 0,
      mode: 'sea',
      destination: { lat: end.lat, lon: end.lon },
      ...(route ? { route } : {}),
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    });
    if (!shapes.crossesLand(start, end)) return result(distanceMeters(start.lat, start.lon, end.lat, end.lon));

    const cells = grid.route(startCell, endCell);
    if (!cells) return unreachable('sea', 'no water route between the boat and the target');
    const points: LatLon[] = [start];
    for (const cell of cells) points.push(grid.centre(cell));
    points.push(end);
    const route = straighten(points, grid);
    if (ashore) route.unshift({ lat: unit.lat, lon: unit.lon });
    return result(pathMeters(route) - leadIn, route);
  }
}

/** Drops every waypoint the path can skip without the straight leg crossing a land cell. */
function straighten(points: readonly LatLon[], grid: WaterGrid): LatLon[] {
  const kept: LatLon[] = [points[0]!];
  let anchor = 0;
  for (let i = 1; i < points.length - 1; i++) {
    if (!grid.lineOfSight(points[anchor]!, points[i + 1]!)) {
      kept.push(points[i]!);
      anchor = i;
    }
  }
  kept.push(points[points.length - 1]!);
  return kept;
}

function pathMeters(points: readonly LatLon[]): number {
  let meters = 0;
  for (let i = 1; i < points.length; i++) meters += distanceMeters(points[i - 1]!.lat, points[i - 1]!.lon, points[i]!.lat, points[i]!.lon);
  return meters;
}

function unreachable(mode: EtaMode, note: string): EtaEstimate {
  return { reachable: false, meters: Infinity, seconds: Infinity, mode, destination: null, note };
}

function formatMeters(meters: number): string {
  return meters < 1000 ? `${Math.round(meters)} m` : `${(meters / 1000).toFixed(1)} km`;
}

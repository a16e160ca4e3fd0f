// The simulated coast: land polygons, beach sectors, and two coast-following
// routes derived from them — a land route a little inland of the shoreline
// (patrols on foot, in 4x4s, quads…) and a sea route offshore (patrol boats).
// Every segment of the land route is on land and every segment of the sea
// route on water, checked when the geography is built, so anything that
// moves along them stays where it belongs.
import type { LonLat } from './geo';
import { LocalFrame, Polyline, bearingDegrees, destinationPoint, distanceMeters, pointInRing } from './geo';
import type { LandPolygon, Medium } from './land';
import { LandMask } from './land';

export type Risk = 'low' | 'medium' | 'high';

export interface BeachSector {
  id: string;
  name: string;
  risk: Risk;
  order: number;
  ring: readonly LonLat[];
}

export interface CoastOptions {
  /** Country whose shoreline the routes follow. */
  country: string;
  /** Ends of the simulated shoreline (the nearest vertices of the country's outline are used). */
  north: LonLat;
  south: LonLat;
}

/** A route that only crosses one medium: from/to may be anywhere, the path stays on land (or water). */
export interface PlannedPath {
  path: Polyline;
  /** Where the path ends: the target, or the nearest point to it the medium allows. */
  target: LonLat;
  /** False when the target itself is not in the medium (a boat sent ashore): the path ends as near as it can. */
  reachesTarget: boolean;
}

export class Geography {
  readonly land: LandMask;
  readonly sectors: readonly BeachSector[];
  /** The shoreline from north to south, as in the land polygons. */
  readonly shoreline: Polyline;
  readonly landRoute: Polyline;
  readonly seaRoute: Polyline;
  private readonly country: string;

  constructor(landPolygons: readonly LandPolygon[], sectors: readonly BeachSector[], coast: CoastOptions) {
    this.land = new LandMask(landPolygons);
    this.country = coast.country;
    this.sectors = [...sectors].sort((a, b) => a.order - b.order);
    this.shoreline = new Polyline(extractShoreline(this.land, this.sectors, coast));
    this.landRoute = new Polyline(sectorEdgeRoute(this.land, this.sectors, this.shoreline, 'land', 50, 1500));
    this.seaRoute = new Polyline(sectorEdgeRoute(this.land, this.sectors, this.shoreline, 'water', 800, 5000));
  }

  sector(id: string): BeachSector | undefined {
    return this.sectors.find((sector) => sector.id === id);
  }

  route(medium: Medium): Polyline {
    return medium === 'land' ? this.landRoute : this.seaRoute;
  }

  /**
   * A path from `from` to `to` that stays in `medium`: straight when it can,
   * otherwise onto the coast route, along it, and off it again. `from` must be
   * in the medium already (units always are). A target in the other medium (a
   * boat sent to a beach, a patrol to a boat at sea) is replaced by the
   * nearest reachable point on the shore. (Should `from` have no straight way
   * onto the route — never the case for a unit on its route or a path from it
   * — the first leg is taken anyway.)
   */
  plan(medium: Medium, from: LonLat, to: LonLat): PlannedPath {
    const target = this.inMedium(medium, to) ? to : this.shorePoint(medium, to);
    if (this.land.segmentIn(medium, from, target, 10)) return { path: new Polyline(dedupe([from, target])), target, reachesTarget: target === to };
    const route = this.route(medium);
    const entry = this.connector(route, medium, from);
    const exit = this.connector(route, medium, target);
    const points: LonLat[] = [from, entry.point, ...route.slice(entry.s, exit.s)];
    if (exit.direct) points.push(target);
    return { path: new Polyline(dedupe(points)), target: exit.direct ? target : exit.point, reachesTarget: exit.direct && target === to };
  }

  inMedium(medium: Medium, p: LonLat): boolean {
    return this.land.isLand(p) === (medium === 'land');
  }

  /**
   * The point in the medium nearest to p across the shoreline: for a land
   * unit and a point at sea, just inside the beach; for a boat and a point
   * ashore, just off it.
   */
  shorePoint(medium: Medium, p: LonLat): LonLat {
    const coast = this.land.nearestCoast(p, medium === 'land' ? this.country : undefined);
    const away = bearingDegrees(p, coast.point);
    for (const beyond of [15, 30, 60, 120, 250]) {
      const candidate = destinationPoint(coast.point, away, beyond);
      if (this.inMedium(medium, candidate)) return candidate;
    }
    return this.route(medium).project(p).point;
  }

  /**
   * Where a point joins the route: the nearest route position a straight
   * segment in the medium reaches (direct), or the nearest position at all.
   */
  private connector(route: Polyline, medium: Medium, p: LonLat): { s: number; point: LonLat; direct: boolean } {
    const projected = route.project(p);
    if (projected.distance < 1 || this.land.segmentIn(medium, p, projected.point, 10)) return { s: projected.s, point: projected.point, direct: true };
    const vertices = route.points
      .map((point, index) => ({ point, index, distance: distanceMeters(p, point) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, 24);
    for (const vertex of vertices) {
      if (this.land.segmentIn(medium, p, vertex.point, 10)) return { s: route.cumulative[vertex.index]!, point: vertex.point, direct: true };
    }
    return { s: projected.s, point: projected.point, direct: false };
  }
}

function dedupe(points: LonLat[]): LonLat[] {
  return points.filter((point, index) => index === 0 || distanceMeters(point, points[index - 1]!) > 0.01);
}

/**
 * The stretch of the country's outline between the two ends that runs along
 * the sea (the other way round follows borders and the edge of the clipped
 * map): the one passing through the beach sectors.
 */
function extractShoreline(land: LandMask, sectors: readonly BeachSector[], coast: CoastOptions): LonLat[] {
  const ring = land.ring(coast.country);
  if (!ring) throw new Error(`no land polygon for country ${coast.country}`);
  const open = ring.slice(0, -1);
  const nearest = (target: LonLat) =>
    open.reduce((best, point, index) => (distanceMeters(point, target) < distanceMeters(open[best]!, target) ? index : best), 0);
  const north = nearest(coast.north);
  const south = nearest(coast.south);
  const walk = (step: 1 | -1) => {
    const points: LonLat[] = [];
    for (let i = north; ; i = (i + step + open.length) % open.length) {
      points.push(open[i]!);
      if (i === south) break;
    }
    return points;
  };
  const inSectors = (points: LonLat[]) => points.filter((point) => sectors.some((sector) => pointInRing(point, sector.ring))).length;
  const forward = walk(1);
  const backward = walk(-1);
  const points = inSectors(forward) >= inSectors(backward) ? forward : backward;
  return points;
}

/**
 * A coast-following route built from the beach sectors' own edges (they are
 * strips from a little inland to ~2 km out, drawn on a generalised
 * shoreline): the sector vertices in the medium and at least `minShore`
 * metres from the shoreline, in order along the coast, linked so every
 * segment stays in the medium — a segment that would cross the other medium
 * (a harbour basin, an estuary mouth, a spit) is replaced by a detour.
 */
function sectorEdgeRoute(land: LandMask, sectors: readonly BeachSector[], shoreline: Polyline, medium: Medium, minShore: number, maxShore: number): LonLat[] {
  const inMedium = (p: LonLat) => land.isLand(p) === (medium === 'land');
  const candidates = sectors
    .flatMap((sector) => sector.ring.slice(0, -1))
    .filter(inMedium)
    .map((point) => ({ point, hit: shoreline.project(point) }))
    .filter(({ hit }) => hit.distance >= minShore && hit.distance <= maxShore)
    .sort((a, b) => a.hit.s - b.hit.s)
    .map(({ point }) => point)
    .filter((point, index, all) => index === 0 || distanceMeters(point, all[index - 1]!) > 50);
  if (candidates.length < 2) throw new Error(`cannot build the ${medium} route along the coast`);
  const route: LonLat[] = [candidates[0]!];
  let i = 0;
  while (i < candidates.length - 1) {
    const from = candidates[i]!;
    // Prefer the next candidate; skip a few bad ones; else detour.
    let next = -1;
    for (let j = i + 1; j < Math.min(candidates.length, i + 4); j++) {
      if (land.segmentIn(medium, from, candidates[j]!, 10)) {
        next = j;
        break;
      }
    }
    if (next >= 0) {
      route.push(candidates[next]!);
      i = next;
      continue;
    }
    const to = candidates[i + 1]!;
    const detour = findDetour(land, medium, from, to, 0, { checks: 4_000 });
    if (!detour) throw new Error(`cannot route on ${medium} between ${from.join(',')} and ${to.join(',')}`);
    route.push(...detour);
    i += 1;
  }
  return route;
}

/**
 * Intermediate points (ending with `to`) linking from→to within the medium,
 * by pushing the midpoint sideways further and further, recursively. The
 * budget bounds the search on a coast it cannot solve.
 */
function findDetour(land: LandMask, medium: Medium, from: LonLat, to: LonLat, depth: number, budget: { checks: number }): LonLat[] | null {
  if (budget.checks-- <= 0) return null;
  if (land.segmentIn(medium, from, to, 10)) return [to];
  if (depth > 6) return null;
  const frame = new LocalFrame(from);
  const [bx, by] = frame.toXY(to);
  const length = Math.hypot(bx, by);
  if (length === 0) return [to];
  const [nx, ny] = [-by / length, bx / length];
  for (const distance of [100, 200, 400, 700, 1000, 1500, 2200, 3000, 4500, 6000]) {
    for (const side of [1, -1]) {
      const via = frame.toLonLat(bx / 2 + nx * distance * side, by / 2 + ny * distance * side);
      if (land.isLand(via) !== (medium === 'land')) continue;
      const first = findDetour(land, medium, from, via, depth + 1, budget);
      if (!first) continue;
      const second = findDetour(land, medium, via, to, depth + 1, budget);
      if (!second) continue;
      return [...first, ...second];
    }
  }
  return null;
}

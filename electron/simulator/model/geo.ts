// Geometry on a sphere for the simulator: distance, bearing, destination
// point, polylines walked by distance, and point-in-polygon. Positions are
// [lon, lat] in degrees, as in GeoJSON. Pure functions, no I/O. The sphere
// maths is the project's one geodesy module (shared/sphere.ts).
import * as sphere from '../../../shared/sphere';
import { pointInRing as planePointInRing } from '../../../shared/geometry';

/** [lon, lat], degrees. */
export type LonLat = readonly [number, number];

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = sphere.EARTH_RADIUS_M;
export const METERS_PER_NM = 1852;
/** One knot in metres per second. */
export const KNOT_MS = METERS_PER_NM / 3600;
/** One km/h in metres per second. */
export const KMH_MS = 1000 / 3600;

const RAD = Math.PI / 180;

/** Degrees folded into [0, 360). */
export function normalizeDegrees(degrees: number): number {
  const folded = degrees % 360;
  return folded < 0 ? folded + 360 : folded === 360 ? 0 : folded;
}

/** Smallest absolute difference between two directions, degrees (0–180). */
export function angleBetween(a: number, b: number): number {
  const d = Math.abs(normalizeDegrees(a) - normalizeDegrees(b));
  return d > 180 ? 360 - d : d;
}

/** Great-circle distance, metres (shared/sphere.ts, on [lon, lat] pairs). */
export function distanceMeters(a: LonLat, b: LonLat): number {
  return sphere.distanceMeters(a[1], a[0], b[1], b[0]);
}

/** Initial great-circle bearing from a to b, degrees true in [0, 360). */
export function bearingDegrees(a: LonLat, b: LonLat): number {
  return sphere.bearingDegrees(a[1], a[0], b[1], b[0]);
}

/** The point reached from `from` after `distance` metres on the initial bearing. */
export function destinationPoint(from: LonLat, bearing: number, distance: number): LonLat {
  const { lat, lon } = sphere.destinationPoint(from[1], from[0], bearing, distance);
  return [lon, lat];
}

/** The point a fraction `f` of the way from a to b along the great circle. */
export function interpolate(a: LonLat, b: LonLat, f: number): LonLat {
  if (f <= 0) return a;
  if (f >= 1) return b;
  return destinationPoint(a, bearingDegrees(a, b), distanceMeters(a, b) * f);
}

/**
 * A local flat projection (equirectangular about a reference latitude): good
 * to well under a metre over the few tens of kilometres the simulator needs
 * for nearest-point and offset questions.
 */
export class LocalFrame {
  private readonly kx: number;
  private readonly ky = EARTH_RADIUS_M * RAD;
  constructor(readonly origin: LonLat) {
    this.kx = EARTH_RADIUS_M * RAD * Math.cos(origin[1] * RAD);
  }
  toXY(p: LonLat): [number, number] {
    return [(p[0] - this.origin[0]) * this.kx, (p[1] - this.origin[1]) * this.ky];
  }
  toLonLat(x: number, y: number): LonLat {
    return [this.origin[0] + x / this.kx, this.origin[1] + y / this.ky];
  }
}

/** Nearest point to p on segment a–b (flat approximation) and its distance, metres. */
export function nearestOnSegment(p: LonLat, a: LonLat, b: LonLat): { point: LonLat; distance: number; t: number } {
  const frame = new LocalFrame(p);
  const [ax, ay] = frame.toXY(a);
  const [bx, by] = frame.toXY(b);
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  const x = ax + t * dx;
  const y = ay + t * dy;
  return { point: frame.toLonLat(x, y), distance: Math.hypot(x, y), t };
}

/** Ray casting on one ring (shared/geometry.ts, as the core's; lon/lat treated as plane coordinates, fine away from the poles and the antimeridian). */
export function pointInRing(p: LonLat, ring: readonly LonLat[]): boolean {
  return planePointInRing(p[0], p[1], ring);
}

/** GeoJSON polygon: the first ring is the outline, the others holes. */
export function pointInPolygon(p: LonLat, rings: readonly (readonly LonLat[])[]): boolean {
  if (rings.length === 0 || !pointInRing(p, rings[0]!)) return false;
  for (let i = 1; i < rings.length; i++) if (pointInRing(p, rings[i]!)) return false;
  return true;
}

export interface PolylinePoint {
  point: LonLat;
  /** Direction of travel at that point, degrees true. */
  bearing: number;
}

/** A path walked by distance from its start: lanes, routes, patrols. */
export class Polyline {
  readonly points: readonly LonLat[];
  /** Distance from the start to each vertex, metres. */
  readonly cumulative: readonly number[];
  readonly length: number;

  constructor(points: readonly LonLat[]) {
    if (points.length === 0) throw new Error('a polyline needs at least one point');
    this.points = points;
    const cumulative = [0];
    for (let i = 1; i < points.length; i++) cumulative.push(cumulative[i - 1]! + distanceMeters(points[i - 1]!, points[i]!));
    this.cumulative = cumulative;
    this.length = cumulative[cumulative.length - 1]!;
  }

  /** Index of the segment holding distance s (clamped). */
  private segmentAt(s: number): number {
    let lo = 0;
    let hi = this.points.length - 2;
    if (hi < 0) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.cumulative[mid]! <= s) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The point s metres from the start (clamped to the ends) and the heading there. */
  at(s: number): PolylinePoint {
    if (this.points.length === 1) return { point: this.points[0]!, bearing: 0 };
    const clamped = Math.max(0, Math.min(this.length, s));
    let i = this.segmentAt(clamped);
    // Skip zero-length segments so the heading is defined.
    while (i < this.points.length - 2 && this.cumulative[i + 1]! - this.cumulative[i]! === 0) i++;
    const a = this.points[i]!;
    const b = this.points[i + 1]!;
    const along = clamped - this.cumulative[i]!;
    const bearing = bearingDegrees(a, b);
    if (along <= 0) return { point: a, bearing };
    if (clamped >= this.cumulative[i + 1]!) return { point: b, bearing };
    const point = destinationPoint(a, bearing, along);
    return { point, bearing: bearingDegrees(point, b) };
  }

  /** Nearest point of the line to p: its distance along the line, and how far p is from it. */
  project(p: LonLat): { s: number; distance: number; point: LonLat } {
    let best = { s: 0, distance: Infinity, point: this.points[0]! };
    if (this.points.length === 1) return { s: 0, distance: distanceMeters(p, this.points[0]!), point: this.points[0]! };
    for (let i = 0; i < this.points.length - 1; i++) {
      const hit = nearestOnSegment(p, this.points[i]!, this.points[i + 1]!);
      if (hit.distance < best.distance) {
        const segment = this.cumulative[i + 1]! - this.cumulative[i]!;
        best = { s: this.cumulative[i]! + hit.t * segment, distance: hit.distance, point: hit.point };
      }
    }
    return best;
  }

  /** The part of the line between distances from and to (either order: walking backwards reverses it). */
  slice(from: number, to: number): LonLat[] {
    const forward = from <= to;
    const [lo, hi] = forward ? [from, to] : [to, from];
    const points: LonLat[] = [this.at(lo).point];
    for (let i = 0; i < this.points.length; i++) if (this.cumulative[i]! > lo && this.cumulative[i]! < hi) points.push(this.points[i]!);
    points.push(this.at(hi).point);
    return forward ? points : points.reverse();
  }
}

// Which beach sector a point lies in: a uniform grid over the sectors'
// bounding boxes narrows the candidates, then a ray-casting test decides.
// Points at sea beyond the strips get the nearest sector within a radius —
// nearest by its edges, not its centre, since the strips are long and thin —
// flagged offshore, so a boat 5 km out still belongs to the beach it left.
import type { Sector } from '../../../shared/contract';
import { pointInRing } from '../../../shared/geometry';
import { EARTH_RADIUS_M } from '../../../shared/sphere';

export interface SectorHit {
  id: string;
  /** True when the point is outside every strip and the nearest sector was taken. */
  offshore: boolean;
  /** Metres to that sector's edge: 0 inside it; for a point at sea, to about 100 m (the cache's cell). */
  meters: number;
}

const CELL_DEGREES = 0.02;

export class SectorIndex {
  private readonly cells = new Map<string, Sector[]>();
  /** Each sector's bounding box [minLon, minLat, maxLon, maxLat]: most sectors are ruled out by it before their ring is walked. */
  private readonly boxes = new Map<Sector, [number, number, number, number]>();
  /** Nearest-sector answers for points at sea, per ~100 m cell: vessels report every second. */
  private readonly offshoreCache = new Map<number, SectorHit | null>();

  constructor(
    private sectors: readonly Sector[],
    private readonly offshoreRadiusMeters = 20_000,
  ) {
    this.build(sectors);
  }

  /** New geometry (the sector editor, issue 6): every holder of this index locates with it from now on. */
  replace(sectors: readonly Sector[]): void {
    this.cells.clear();
    this.boxes.clear();
    this.offshoreCache.clear();
    this.sectors = sectors;
    this.build(sectors);
  }

  private build(sectors: readonly Sector[]): void {
    for (const sector of sectors) {
      const box = bounds(sector.ring);
      this.boxes.set(sector, box);
      const [minLon, minLat, maxLon, maxLat] = box;
      for (let x = Math.floor(minLon / CELL_DEGREES); x <= Math.floor(maxLon / CELL_DEGREES); x++) {
        for (let y = Math.floor(minLat / CELL_DEGREES); y <= Math.floor(maxLat / CELL_DEGREES); y++) {
          const key = `${x}:${y}`;
          const list = this.cells.get(key);
          if (list) list.push(sector);
          else this.cells.set(key, [sector]);
        }
      }
    }
  }

  /** The sector containing the point, else the nearest one within the offshore radius, else null. */
  locate(lat: number, lon: number): SectorHit | null {
    const candidates = this.cells.get(`${Math.floor(lon / CELL_DEGREES)}:${Math.floor(lat / CELL_DEGREES)}`);
    if (candidates) {
      for (const sector of candidates) {
        const [minLon, minLat, maxLon, maxLat] = this.boxes.get(sector)!;
        if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) continue;
        if (pointInRing(lon, lat, sector.ring)) return { id: sector.id, offshore: false, meters: 0 };
      }
    }
    const cell = Math.round(lat * 1000) * 1_000_000 + Math.round(lon * 1000);
    const cached = this.offshoreCache.get(cell);
    if (cached !== undefined) return cached;
    // Measured from the cell's centre, so the answer is the same for every point of the cell.
    const cellLat = Math.round(lat * 1000) / 1000;
    const cellLon = Math.round(lon * 1000) / 1000;
    let best: { id: string; distance: number } | null = null;
    const kx = METERS_PER_DEGREE * Math.cos((cellLat * Math.PI) / 180);
    for (const sector of this.sectors) {
      // The box is never farther than the ring (same flat map, 1 m for rounding): a sector whose box is
      // beyond the radius or the best so far cannot win, and its edges are not walked.
      const [minLon, minLat, maxLon, maxLat] = this.boxes.get(sector)!;
      const east = Math.max(minLon - cellLon, 0, cellLon - maxLon) * kx;
      const north = Math.max(minLat - cellLat, 0, cellLat - maxLat) * METERS_PER_DEGREE;
      const nearest = Math.hypot(east, north) - 1;
      if (nearest > this.offshoreRadiusMeters || (best && nearest > best.distance)) continue;
      const distance = distanceToRingMeters(cellLat, cellLon, sector.ring);
      if (distance <= this.offshoreRadiusMeters && (!best || distance < best.distance)) best = { id: sector.id, distance };
    }
    const hit = best ? { id: best.id, offshore: true, meters: Math.round(best.distance) } : null;
    if (this.offshoreCache.size > 200_000) this.offshoreCache.clear();
    this.offshoreCache.set(cell, hit);
    return hit;
  }

  get size(): number {
    return this.sectors.length;
  }
}

function bounds(ring: readonly (readonly [number, number])[]): [number, number, number, number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const [lon, lat] of ring) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  return [minLon, minLat, maxLon, maxLat];
}

const METERS_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;

/**
 * Metres from a point to the nearest point of a ring's edges, on a flat map
 * centred on the point: within the offshore radius (tens of km) it is off
 * the great-circle distance by well under 1%.
 */
export function distanceToRingMeters(lat: number, lon: number, ring: readonly (readonly [number, number])[]): number {
  const kx = METERS_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
  const ky = METERS_PER_DEGREE;
  let best = Infinity;
  for (let i = 1; i < ring.length; i++) {
    const [lon1, lat1] = ring[i - 1]!;
    const [lon2, lat2] = ring[i]!;
    // The edge from a to b, in metres east and north of the point.
    const ax = (lon1 - lon) * kx;
    const ay = (lat1 - lat) * ky;
    const dx = (lon2 - lon1) * kx;
    const dy = (lat2 - lat1) * ky;
    const length2 = dx * dx + dy * dy;
    const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length2));
    const distance = Math.hypot(ax + t * dx, ay + t * dy);
    if (distance < best) best = distance;
  }
  return best;
}

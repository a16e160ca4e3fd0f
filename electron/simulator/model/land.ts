// Land and water: which points are ashore, given the shipped land polygons.
// Keeps boats on the water and patrols on land. Pure: built from GeoJSON
// already read.
import type { LonLat } from './geo';
import { LocalFrame, distanceMeters, interpolate } from './geo';

export interface LandPolygon {
  /** ISO country code from the basemap (FR, GB, BE). */
  country: string;
  rings: readonly (readonly LonLat[])[];
}

interface IndexedPolygon extends LandPolygon {
  bbox: [number, number, number, number];
  /** Every edge of every ring, flat: x1, y1, x2, y2. */
  edges: Float64Array;
  /** Edges whose latitude span meets each band of BAND degrees, from bbox south. */
  bands: Int32Array[];
}

/** Latitude band height for the edge index, degrees (~1 km): a ray cast then looks at a handful of edges. */
const BAND = 0.01;

export class LandMask {
  private readonly polygons: IndexedPolygon[];

  constructor(polygons: readonly LandPolygon[]) {
    this.polygons = polygons.map((polygon) => {
      const outer = polygon.rings[0] ?? [];
      let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const [lon, lat] of outer) {
        west = Math.min(west, lon);
        east = Math.max(east, lon);
        south = Math.min(south, lat);
        north = Math.max(north, lat);
      }
      const flat: number[] = [];
      for (const ring of polygon.rings) {
        for (let i = 0; i < ring.length - 1; i++) flat.push(ring[i]![0], ring[i]![1], ring[i + 1]![0], ring[i + 1]![1]);
      }
      const edges = Float64Array.from(flat);
      const bandCount = Math.max(1, Math.ceil((north - south) / BAND) + 1);
      const lists: number[][] = Array.from({ length: bandCount }, () => []);
      for (let e = 0; e < edges.length / 4; e++) {
        const y1 = edges[e * 4 + 1]!;
        const y2 = edges[e * 4 + 3]!;
        const first = Math.max(0, Math.floor((Math.min(y1, y2) - south) / BAND));
        const last = Math.min(bandCount - 1, Math.floor((Math.max(y1, y2) - south) / BAND));
        for (let b = first; b <= last; b++) lists[b]!.push(e);
      }
      return { ...polygon, bbox: [west, south, east, north], edges, bands: lists.map((list) => Int32Array.from(list)) };
    });
  }

  /** Even-odd ray cast over the edges of the point's band only (holes included: they are rings too). */
  private inside(polygon: IndexedPolygon, x: number, y: number): boolean {
    const band = polygon.bands[Math.floor((y - polygon.bbox[1]) / BAND)];
    if (!band) return false;
    const edges = polygon.edges;
    let inside = false;
    for (let k = 0; k < band.length; k++) {
      const o = band[k]! * 4;
      const xi = edges[o]!;
      const yi = edges[o + 1]!;
      const xj = edges[o + 2]!;
      const yj = edges[o + 3]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  /** The country whose land holds p, or null at sea. */
  countryAt(p: LonLat): string | null {
    for (const polygon of this.polygons) {
      const [west, south, east, north] = polygon.bbox;
      if (p[0] < west || p[0] > east || p[1] < south || p[1] > north) continue;
      if (this.inside(polygon, p[0], p[1])) return polygon.country;
    }
    return null;
  }

  isLand(p: LonLat): boolean {
    return this.countryAt(p) !== null;
  }

  /** Every sample every `step` metres along a–b (both ends included) satisfies the medium. */
  segmentIn(medium: Medium, a: LonLat, b: LonLat, step = 25): boolean {
    const n = Math.max(1, Math.ceil(distanceMeters(a, b) / step));
    for (let i = 0; i <= n; i++) if (this.isLand(interpolate(a, b, i / n)) !== (medium === 'land')) return false;
    return true;
  }

  /**
   * Nearest point on any coastline (polygon edge) to p, looking no further
   * than `within` metres (Infinity when nothing is that close): the search
   * widens step by step, so close questions stay cheap.
   */
  nearestCoast(p: LonLat, country?: string, within = Infinity): { point: LonLat; distance: number } {
    for (const radius of [2_000, 20_000, 200_000, Infinity]) {
      const best = this.nearestWithin(p, country, Math.min(radius, within));
      if (best.distance <= Math.min(radius, within) || radius >= within) return best;
    }
    return { point: p, distance: Infinity };
  }

  private nearestWithin(p: LonLat, country: string | undefined, radius: number): { point: LonLat; distance: number } {
    const frame = new LocalFrame(p);
    const [px, py] = p;
    // Degrees of margin for the edge bounding-box test.
    const dLat = radius / 111_000;
    const dLon = radius / (111_000 * Math.max(0.01, Math.cos((py * Math.PI) / 180)));
    let best = { x: 0, y: 0, distance: Infinity };
    for (const polygon of this.polygons) {
      if (country && polygon.country !== country) continue;
      const [west, south, east, north] = polygon.bbox;
      if (px < west - dLon || px > east + dLon || py < south - dLat || py > north + dLat) continue;
      const edges = polygon.edges;
      for (let o = 0; o < edges.length; o += 4) {
        const x1 = edges[o]!;
        const y1 = edges[o + 1]!;
        const x2 = edges[o + 2]!;
        const y2 = edges[o + 3]!;
        if (
          (x1 < px - dLon && x2 < px - dLon) ||
          (x1 > px + dLon && x2 > px + dLon) ||
          (y1 < py - dLat && y2 < py - dLat) ||
          (y1 > py + dLat && y2 > py + dLat)
        )
          continue;
        const [ax, ay] = frame.toXY([x1, y1]);
        const [bx, by] = frame.toXY([x2, y2]);
        const dx = bx - ax;
        const dy = by - ay;
        const len2 = dx * dx + dy * dy;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
        const x = ax + t * dx;
        const y = ay + t * dy;
        const distance = Math.hypot(x, y);
        if (distance < best.distance) best = { x, y, distance };
      }
    }
    return best.distance === Infinity ? { point: p, distance: Infinity } : { point: frame.toLonLat(best.x, best.y), distance: best.distance };
  }

  ring(country: string): readonly LonLat[] | undefined {
    return this.polygons.find((polygon) => polygon.country === country)?.rings[0];
  }
}

export type Medium = 'land' | 'water';

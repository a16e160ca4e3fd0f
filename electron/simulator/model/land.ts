// Land and water: which points are ashore, given the shipped land polygons.
// Keeps boats on the water and patrols on land. Pure: built from GeoJSON
// already read.
import type { LonLat } from './geo';
import { distanceMeters, interpolate, nearestOnSegment } from './geo';

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

  /** Nearest point on any coastline (polygon edge) to p. */
  nearestCoast(p: LonLat, country?: string): { point: LonLat; distance: number } {
    let best: { point: LonLat; distance: number } = { point: p, distance: Infinity };
    for (const polygon of this.polygons) {
      if (country && polygon.country !== country) continue;
      for (const ring of polygon.rings) {
        for (let i = 0; i < ring.length - 1; i++) {
          const hit = nearestOnSegment(p, ring[i]!, ring[i + 1]!);
          if (hit.distance < best.distance) best = { point: hit.point, distance: hit.distance };
        }
      }
    }
    return best;
  }

  ring(country: string): readonly LonLat[] | undefined {
    return this.polygons.find((polygon) => polygon.country === country)?.rings[0];
  }
}

export type Medium = 'land' | 'water';

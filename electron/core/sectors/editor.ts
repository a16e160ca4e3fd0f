// The sector editor's rules (issue 6): what makes a drawn or imported ring a
// sector the alert index can use, and the GeoJSON a supervisor exports and
// imports. Every refusal names the problem ("edges 3 and 7 cross at …"), so
// the console can show it as it is. The events themselves are the seed's
// `sector.defined` (picture/sectors.ts): replay and the projections already
// understand them.
import { z } from 'zod';
import { describeIssues, type Sector } from '../../../shared/contract';
import { SectorFeature } from '../../../shared/sectorFile';
import { Refusal } from '../refusal';

/** The coast a post watches: every corner of a sector lies within (°). */
export const COAST_BOUNDS = { minLat: 49.5, maxLat: 51.8, minLon: 0, maxLon: 3.5 } as const;
/** A beach sector is a few km²; the shipped ones are at most ~15 km². */
export const MAX_SECTOR_KM2 = 50;
/** Below this a ring is a line or a dot, not an area (m²). */
export const MIN_SECTOR_M2 = 100;
export const MAX_RING_POINTS = 1000;

type Ring = [number, number][];
/** Why a ring is refused: the contract's reason code (params without the sector, which the caller knows) and an English sentence. */
export type RingProblem =
  | { code: 'ring-too-many-points'; params: { points: number; max: number } }
  | { code: 'ring-point-invalid'; params: { point: number } }
  | { code: 'ring-point-outside'; params: { point: number; lat: number; lon: number } }
  | { code: 'ring-too-few-corners'; params: { corners: number } }
  | { code: 'ring-edges-cross'; params: { first: number; second: number; lat: number; lon: number } }
  | { code: 'ring-no-area'; params: Record<string, never> }
  | { code: 'ring-too-large'; params: { km2: number; max: number } };
export type RingCheck = { ok: true; ring: Ring } | ({ ok: false; reason: string } & RingProblem);

const fmt = (value: number) => value.toFixed(5).replace(/0+$/, '').replace(/\.$/, '');
/** Degrees to 1e-5 (about a metre): what a refusal quotes of a point. */
const round5 = (value: number) => Math.round(value * 1e5) / 1e5;
const where = (lon: number, lat: number) => `${fmt(lat)}°N, ${fmt(lon)}°E`;

/**
 * Checks a ring ([lon, lat] points, closed or not) and returns it closed, with
 * repeated consecutive points dropped (a double-click that ends a drawing
 * adds its last point twice). Edges and points are numbered from 1.
 */
export function checkRing(input: readonly (readonly number[])[]): RingCheck {
  if (input.length > MAX_RING_POINTS + 1)
    return {
      ok: false,
      code: 'ring-too-many-points',
      params: { points: input.length, max: MAX_RING_POINTS },
      reason: `the ring has ${input.length} points; at most ${MAX_RING_POINTS}`,
    };
  for (const [index, point] of input.entries()) {
    const [lon, lat] = point;
    if (point.length !== 2 || !Number.isFinite(lon) || !Number.isFinite(lat))
      return {
        ok: false,
        code: 'ring-point-invalid',
        params: { point: index + 1 },
        reason: `point ${index + 1} is not a [longitude, latitude] pair of numbers`,
      };
    const { minLat, maxLat, minLon, maxLon } = COAST_BOUNDS;
    if (lat! < minLat || lat! > maxLat || lon! < minLon || lon! > maxLon) {
      return {
        ok: false,
        code: 'ring-point-outside',
        params: { point: index + 1, lat: round5(lat!), lon: round5(lon!) },
        reason: `point ${index + 1} (${where(lon!, lat!)}) is outside the coast (${minLat}–${maxLat}°N, ${minLon}–${maxLon}°E)`,
      };
    }
  }
  const points: Ring = [];
  for (const point of input) {
    const previous = points[points.length - 1];
    if (!previous || previous[0] !== point[0] || previous[1] !== point[1]) points.push([point[0]!, point[1]!]);
  }
  // Open ring: the corners; closed: drop the closing point for now.
  if (points.length > 1 && points[0]![0] === points[points.length - 1]![0] && points[0]![1] === points[points.length - 1]![1]) points.pop();
  if (points.length < 3)
    return {
      ok: false,
      code: 'ring-too-few-corners',
      params: { corners: points.length },
      reason: `a sector needs at least 3 corners (4 points with the closing one); this ring has ${points.length}`,
    };

  const n = points.length;
  const edge = (i: number): [[number, number], [number, number]] => [points[i]!, points[(i + 1) % n]!];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      const [a, b] = edge(i);
      const [c, d] = edge(j);
      const hit = intersection(a, b, c, d, adjacent);
      if (hit)
        return {
          ok: false,
          code: 'ring-edges-cross',
          params: { first: i + 1, second: j + 1, lat: round5(hit[1]), lon: round5(hit[0]) },
          reason: `edges ${i + 1} and ${j + 1} cross at ${where(hit[0], hit[1])}`,
        };
    }
  }
  const closed: Ring = [...points, [points[0]![0], points[0]![1]]];
  const area = areaSquareMeters(closed);
  if (area < MIN_SECTOR_M2) return { ok: false, code: 'ring-no-area', params: {}, reason: 'the ring encloses no area (its corners are in a line)' };
  if (area > MAX_SECTOR_KM2 * 1e6)
    return {
      ok: false,
      code: 'ring-too-large',
      params: { km2: Math.round(area / 1e5) / 10, max: MAX_SECTOR_KM2 },
      reason: `the sector covers ${(area / 1e6).toFixed(1)} km²; at most ${MAX_SECTOR_KM2} km²`,
    };
  return { ok: true, ring: closed };
}

type Point = readonly [number, number];
const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
const onSegment = (p: Point, a: Point, b: Point) =>
  Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);

/**
 * Where segments ab and cd meet, or null. Adjacent edges share one end (b = c,
 * or a = d for the first and last): that contact is allowed, a fold back along
 * each other is not.
 */
export function intersection(a: Point, b: Point, c: Point, d: Point, adjacent = false): [number, number] | null {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  }
  // Touching or overlapping (collinear) cases.
  const touches: Point[] = [];
  if (d1 === 0 && onSegment(a, c, d)) touches.push(a);
  if (d2 === 0 && onSegment(b, c, d)) touches.push(b);
  if (d3 === 0 && onSegment(c, a, b)) touches.push(c);
  if (d4 === 0 && onSegment(d, a, b)) touches.push(d);
  if (touches.length === 0) return null;
  if (!adjacent) return [touches[0]![0], touches[0]![1]];
  // Adjacent edges: only their shared corner may touch.
  const shared = (p: Point) =>
    (p[0] === b[0] && p[1] === b[1] && p[0] === c[0] && p[1] === c[1]) || (p[0] === a[0] && p[1] === a[1] && p[0] === d[0] && p[1] === d[1]);
  const other = touches.find((p) => !shared(p));
  return other ? [other[0], other[1]] : null;
}

/** Planar (equirectangular at the ring's latitude) area, m²: plenty for a few km of beach. */
export function areaSquareMeters(ring: readonly (readonly [number, number])[]): number {
  const lat0 = ring.reduce((sum, p) => sum + p[1], 0) / ring.length;
  const kx = Math.cos((lat0 * Math.PI) / 180) * 111_320;
  const ky = 110_540;
  let twice = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = [ring[i]![0] * kx, ring[i]![1] * ky];
    const [x2, y2] = [ring[i + 1]![0] * kx, ring[i + 1]![1] * ky];
    twice += x1 * y2 - x2 * y1;
  }
  return Math.abs(twice) / 2;
}

/** The sectors as GeoJSON, in the shape of assets/sectors.geojson (one feature a line), so an export re-imports. */
export function sectorsToGeoJson(sectors: readonly Sector[]): string {
  const features = [...sectors]
    .sort((a, b) => a.order - b.order)
    .map((s) =>
      JSON.stringify({
        type: 'Feature',
        properties: { id: s.id, name: s.name, risk: s.risk, order: s.order },
        geometry: { type: 'Polygon', coordinates: [s.ring] },
      }),
    );
  return `{"type":"FeatureCollection","features":[\n${features.join(',\n')}\n]}\n`;
}

/** A whole import refused, with every problem named by its feature (English: they quote the file's own fields). */
export class SectorImportError extends Refusal<'sector-import-invalid'> {
  override name = 'SectorImportError';
  constructor(readonly problems: string[]) {
    const detail = problems.length === 1 ? problems[0]! : problems.join('; ');
    super(
      'sector-import-invalid',
      { count: problems.length, detail },
      problems.length === 1 ? `import refused: ${detail}` : `import refused (${problems.length} problems): ${detail}`,
    );
  }
}

const Collection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()).min(1).max(500) });

/**
 * Reads an import: everything is checked before anything is used, and any
 * problem refuses the whole file, each named by its feature. Returns the
 * sectors that are new or differ from `current` (the rest are unchanged).
 */
export function parseSectorImport(text: string, current: readonly Sector[]): { changed: Sector[]; unchanged: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SectorImportError([`not JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const collection = Collection.safeParse(parsed);
  if (!collection.success) throw new SectorImportError([`not a GeoJSON FeatureCollection of sectors: ${describeIssues(collection.error)}`]);
  const problems: string[] = [];
  const sectors: Sector[] = [];
  const seen = new Map<string, number>();
  collection.data.features.forEach((raw, index) => {
    const feature = SectorFeature.safeParse(raw);
    const label = `features[${index}]`;
    if (!feature.success) return void problems.push(describeIssues(feature.error, label));
    const { id, name, risk, order } = feature.data.properties;
    const named = `${label} (${id})`;
    const earlier = seen.get(id);
    if (earlier !== undefined) problems.push(`${named}: duplicate sector id ${id} (also features[${earlier}])`);
    else seen.set(id, index);
    if (feature.data.geometry.coordinates.length > 1) problems.push(`${named}: holes are not supported (one ring per sector)`);
    const ring = checkRing(feature.data.geometry.coordinates[0]!);
    if (!ring.ok) return void problems.push(`${named}: ${ring.reason}`);
    sectors.push({ id, name: name.trim(), risk, order, ring: ring.ring });
  });
  if (problems.length > 0) throw new SectorImportError(problems);
  const byId = new Map(current.map((sector) => [sector.id, sector]));
  const changed = sectors.filter((sector) => !sameSector(byId.get(sector.id), sector));
  return { changed, unchanged: sectors.length - changed.length };
}

export function sameSector(a: Sector | undefined, b: Sector): boolean {
  return a !== undefined && a.name === b.name && a.risk === b.risk && a.order === b.order && JSON.stringify(a.ring) === JSON.stringify(b.ring);
}

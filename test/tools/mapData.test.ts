// Checks the committed offline map data that tools/derive-map-data.mjs derives from
// OpenStreetMap (coastline) and GeoNames (places): the beach sectors, the land and the places.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

type Pos = [number, number];
type Ring = Pos[];

interface SectorFeature {
  type: 'Feature';
  properties: { id: string; name: string; risk: string; order: number };
  geometry: { type: 'Polygon'; coordinates: Ring[] };
}
interface LandFeature {
  type: 'Feature';
  properties: { country: string };
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}
interface PlaceFeature {
  type: 'Feature';
  properties: { name: string; country: string; population: number };
  geometry: { type: 'Point'; coordinates: Pos };
}
interface Collection<F> {
  type: 'FeatureCollection';
  features: F[];
}

const readJson = <T>(relative: string): T => JSON.parse(fs.readFileSync(fileURLToPath(new URL(`../../${relative}`, import.meta.url)), 'utf8')) as T;

const sectors = readJson<Collection<SectorFeature>>('assets/sectors.geojson').features;
const land = readJson<Collection<LandFeature>>('assets/basemap/land.geojson').features;
const places = readJson<Collection<PlaceFeature>>('assets/basemap/places.geojson').features;

/** The area the data is cut to: [west, south, east, north]. */
const BOX = [0.9, 50.1, 3.0, 51.3] as const;
const inBox = ([lon, lat]: Pos): boolean => lon >= BOX[0] && lon <= BOX[2] && lat >= BOX[1] && lat <= BOX[3];

/** Local planar km around the box's middle latitude: plenty for distances of a few km. */
const KX = 111.32 * Math.cos((50.7 * Math.PI) / 180);
const KY = 110.574;
const km = ([lon, lat]: Pos): Pos => [lon * KX, lat * KY];
const distKm = (a: Pos, b: Pos): number => Math.hypot((a[0] - b[0]) * KX, (a[1] - b[1]) * KY);

function segmentDistKm(p: Pos, a: Pos, b: Pos): number {
  const [px, py] = km(p),
    [ax, ay] = km(a),
    [bx, by] = km(b);
  const dx = bx - ax,
    dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  return Math.hypot(ax + t * dx - px, ay + t * dy - py);
}

function pointInRing(p: Pos, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!,
      [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Twice the signed area in degrees² (positive = counter-clockwise). */
function signedArea2(ring: Ring): number {
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) s += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return s;
}

/** Area centroid of a closed ring. */
function centroid(ring: Ring): Pos {
  let a = 0,
    cx = 0,
    cy = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = ring[i]!,
      [x1, y1] = ring[i + 1]!;
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  return [cx / (3 * a), cy / (3 * a)];
}

const polygonsOf = (f: LandFeature): Ring[][] => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates);
const frPolygons = land.filter((f) => f.properties.country === 'FR').flatMap(polygonsOf);
const onBoxEdge = ([lon, lat]: Pos): boolean => [lon - BOX[0], lon - BOX[2], lat - BOX[1], lat - BOX[3]].some((d) => Math.abs(d) < 1e-9);

/** Distance to the French shoreline: the FR land boundary, leaving out the edges made by the clip box. */
function distToFrenchShoreKm(p: Pos): number {
  let best = Infinity;
  for (const polygon of frPolygons) {
    for (const ring of polygon) {
      for (let i = 0; i < ring.length - 1; i++) {
        const a = ring[i]!,
          b = ring[i + 1]!;
        if (onBoxEdge(a) && onBoxEdge(b)) continue;
        best = Math.min(best, segmentDistKm(p, a, b));
      }
    }
  }
  return best;
}

const inFrance = (p: Pos): boolean => frPolygons.some(([outer, ...holes]) => pointInRing(p, outer!) && !holes.some((h) => pointInRing(p, h)));
const exterior = (f: SectorFeature): Ring => f.geometry.coordinates[0]!;

function checkRing(ring: Ring, where: string): void {
  assert.ok(ring.length >= 4, `${where}: ring has ${ring.length} points`);
  assert.deepEqual(ring[0], ring[ring.length - 1], `${where}: ring is not closed`);
  for (const p of ring) {
    assert.equal(p.length, 2, `${where}: position ${JSON.stringify(p)}`);
    assert.ok(Number.isFinite(p[0]) && Number.isFinite(p[1]), `${where}: position ${JSON.stringify(p)}`);
    assert.ok(inBox(p), `${where}: ${JSON.stringify(p)} is outside the box`);
    assert.ok(
      p.every((v) => Math.abs(v * 1e5 - Math.round(v * 1e5)) < 1e-6),
      `${where}: ${JSON.stringify(p)} not rounded to 5 decimals`,
    );
  }
}

describe('beach sectors (assets/sectors.geojson)', () => {
  test('there are 25–35 of them, numbered S01… north to south', () => {
    assert.ok(sectors.length >= 25 && sectors.length <= 35, `${sectors.length} sectors`);
    sectors.forEach((f, k) => {
      assert.equal(f.type, 'Feature');
      assert.equal(f.geometry.type, 'Polygon');
      assert.equal(f.properties.order, k + 1);
      assert.equal(f.properties.id, `S${String(k + 1).padStart(2, '0')}`);
      assert.deepEqual(Object.keys(f.properties).sort(), ['id', 'name', 'order', 'risk']);
    });
  });

  test('ids and names are unique, names are human', () => {
    assert.equal(new Set(sectors.map((f) => f.properties.id)).size, sectors.length);
    assert.equal(new Set(sectors.map((f) => f.properties.name)).size, sectors.length);
    for (const f of sectors) assert.match(f.properties.name, /^\p{Lu}[\p{L} '’-]+$/u, f.properties.id);
  });

  test('risk values are low, medium or high, and all three are used', () => {
    for (const f of sectors) assert.ok(['low', 'medium', 'high'].includes(f.properties.risk), `${f.properties.id}: ${f.properties.risk}`);
    assert.deepEqual([...new Set(sectors.map((f) => f.properties.risk))].sort(), ['high', 'low', 'medium']);
  });

  test('every ring is closed, in the box, rounded, counter-clockwise (RFC 7946)', () => {
    for (const f of sectors) {
      assert.equal(f.geometry.coordinates.length, 1, `${f.properties.id}: a single ring`);
      checkRing(exterior(f), f.properties.id);
      assert.ok(signedArea2(exterior(f)) > 0, `${f.properties.id}: exterior ring is clockwise`);
    }
  });

  test('the chain runs from the Belgian border to the Authie', () => {
    const first = exterior(sectors[0]!),
      last = exterior(sectors[sectors.length - 1]!);
    assert.ok(
      first.some(([lon, lat]) => lat > 51.05 && lon > 2.45),
      'S01 does not reach the Belgian border',
    );
    assert.ok(
      last.some(([, lat]) => lat < 50.4),
      'the last sector does not reach the Authie',
    );
    // …and keeps going south overall.
    const lat = (f: SectorFeature): number => centroid(exterior(f))[1];
    assert.ok(
      lat(sectors[0]!) > lat(sectors[Math.floor(sectors.length / 2)]!) && lat(sectors[Math.floor(sectors.length / 2)]!) > lat(sectors[sectors.length - 1]!),
    );
  });

  test('consecutive sectors are adjacent', () => {
    for (let k = 0; k + 1 < sectors.length; k++) {
      const a = exterior(sectors[k]!),
        b = exterior(sectors[k + 1]!);
      let shared = 0;
      for (const p of a.slice(0, -1)) if (b.some((q) => distKm(p, q) <= 0.05)) shared++;
      assert.ok(shared >= 2, `${sectors[k]!.properties.id} and ${sectors[k + 1]!.properties.id} share ${shared} vertices`);
    }
  });

  test('sectors do not overlap', () => {
    // No vertex of one sector lies inside another (vertices on a shared boundary are allowed).
    for (const f of sectors) {
      for (const g of sectors) {
        if (f === g) continue;
        const ring = exterior(g);
        for (const p of exterior(f)) {
          if (!pointInRing(p, ring)) continue;
          const toEdge = Math.min(...ring.slice(0, -1).map((a, i) => segmentDistKm(p, a, ring[i + 1]!)));
          assert.ok(toEdge < 0.01, `${f.properties.id} vertex ${JSON.stringify(p)} is ${toEdge.toFixed(3)} km inside ${g.properties.id}`);
        }
      }
    }
  });

  test('every sector hugs the French shoreline, on the sea side', () => {
    for (const f of sectors) {
      const c = centroid(exterior(f));
      const d = distToFrenchShoreKm(c);
      assert.ok(d <= 3, `${f.properties.id} ${f.properties.name}: centroid ${d.toFixed(2)} km from the French shoreline`);
    }
    // The strip runs from ~0.3 km inland to ~2 km out, so its middle is at sea (the offset went the right way).
    for (const f of sectors) assert.ok(!inFrance(centroid(exterior(f))), `${f.properties.id} ${f.properties.name}: centroid on land`);
  });

  test('sectors are a few km long each', () => {
    for (const f of sectors) {
      const ring = exterior(f);
      let perimeter = 0;
      for (let i = 0; i + 1 < ring.length; i++) perimeter += distKm(ring[i]!, ring[i + 1]!);
      // Two long sides of ~5 km plus two cross-cuts of ~2.3 km.
      assert.ok(perimeter > 8 && perimeter < 25, `${f.properties.id}: perimeter ${perimeter.toFixed(1)} km`);
    }
  });
});

describe('base map (assets/basemap)', () => {
  test('land has France, Great Britain and Belgium, with valid rings in the box', () => {
    const countries = land.map((f) => f.properties.country);
    assert.ok(countries.includes('FR'), 'no FR land');
    assert.ok(countries.includes('GB'), 'no GB land');
    for (const c of countries) assert.ok(['FR', 'GB', 'BE'].includes(c), c);
    for (const f of land) {
      for (const [k, polygon] of polygonsOf(f).entries()) {
        polygon.forEach((ring, r) => checkRing(ring, `${f.properties.country} polygon ${k} ring ${r}`));
        assert.ok(signedArea2(polygon[0]!) > 0, `${f.properties.country} polygon ${k}: exterior ring is clockwise`);
      }
    }
  });

  test('places are GeoNames points in the box, with the main coastal towns', () => {
    assert.ok(places.length > 50, `${places.length} places`);
    for (const p of places) {
      assert.equal(p.geometry.type, 'Point');
      assert.ok(inBox(p.geometry.coordinates), `${p.properties.name} outside the box`);
      assert.ok(p.properties.name.length > 0 && /^[A-Z]{2}$/.test(p.properties.country) && Number.isInteger(p.properties.population));
    }
    const names = new Set(places.map((p) => p.properties.name));
    for (const town of ['Calais', 'Boulogne-sur-Mer', 'Dunkerque', 'Berck', 'Gravelines', 'Wimereux', 'Le Touquet-Paris-Plage', 'Dover', 'Folkestone']) {
      assert.ok(names.has(town), `${town} missing from places`);
    }
  });

  test('the attribution credits OpenStreetMap and GeoNames', () => {
    const { text } = readJson<{ text: string }>('assets/basemap/attribution.json');
    assert.match(text, /© OpenStreetMap contributors/);
    assert.match(text, /ODbL/);
    assert.match(text, /GeoNames/);
  });
});

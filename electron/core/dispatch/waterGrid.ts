// Land and water for the ETA model, from the shipped land polygons
// (assets/basemap/land.geojson: FR, GB, BE clipped to the Côte d'Opale box).
//
// Two views of the same polygons:
// - LandShapes, exact: which country a point is in, the nearest point of the
//   coastline, whether a straight line crosses land.
// - WaterGrid, a raster of the polygons' box at ~350 m cells (a cell is land
//   when its centre is inside a polygon), built once; boats are routed on it
//   with A* over 8 neighbours, and the path is then straightened.
//
// Straight lines are drawn in longitude/latitude: over the few tens of
// kilometres of a sector that differs from a great circle by metres. Every
// distance is measured with shared/sphere.
import { describeIssues } from '../../../shared/contract';
import { LandFeatureCollection } from '../../../shared/landFile';
import { distanceMeters } from '../../../shared/sphere';

export interface LatLon {
  lat: number;
  lon: number;
}

type Ring = readonly (readonly [number, number])[];

interface Polygon {
  country: string;
  /** Outer ring then holes; even-odd over all of them. */
  rings: Ring[];
  /** west, south, east, north */
  bbox: [number, number, number, number];
  /** Every edge of every ring: x1, y1, x2, y2. */
  edges: Float64Array;
}

export interface CoastPoint extends LatLon {
  /** Distance from the query point, metres. */
  meters: number;
  /** Country of the land polygon this stretch of coast belongs to. */
  country: string;
}

export class LandShapes {
  readonly polygons: readonly Polygon[];
  /** The box the polygons were clipped to (their joint extent): west, south, east, north. */
  readonly bbox: [number, number, number, number];
  /** Edges with water on one side (not a border between two countries, not the clipping box): x1, y1, x2, y2. */
  private coast: Float64Array;
  /** Index into `polygons` of each coast edge. */
  private coastPolygon: Int32Array;

  constructor(collection: unknown) {
    const parsed = LandFeatureCollection.safeParse(collection);
    if (!parsed.success) throw new Error(`land polygons: ${describeIssues(parsed.error)}`);
    const polygons: Polygon[] = [];
    for (const feature of parsed.data.features) {
      const parts = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
      for (const part of parts) {
        const rings: Ring[] = part.filter((ring) => ring.length >= 4).map((ring) => ring.map((p) => [p[0], p[1]] as const));
        if (rings.length === 0) continue;
        let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
        const flat: number[] = [];
        for (const ring of rings) {
          for (let i = 0; i < ring.length; i++) {
            const [x, y] = ring[i]!;
            west = Math.min(west, x);
            east = Math.max(east, x);
            south = Math.min(south, y);
            north = Math.max(north, y);
            const [nx, ny] = ring[(i + 1) % ring.length]!;
            if (nx !== x || ny !== y) flat.push(x, y, nx, ny);
          }
        }
        polygons.push({ country: feature.properties.country, rings, bbox: [west, south, east, north], edges: Float64Array.from(flat) });
      }
    }
    if (polygons.length === 0) throw new Error('land polygons: no polygon');
    this.polygons = polygons;
    this.bbox = [
      Math.min(...polygons.map((p) => p.bbox[0])),
      Math.min(...polygons.map((p) => p.bbox[1])),
      Math.max(...polygons.map((p) => p.bbox[2])),
      Math.max(...polygons.map((p) => p.bbox[3])),
    ];

    // A coast edge has open water a metre or so to one side of its middle.
    const coast: number[] = [];
    const owner: number[] = [];
    const nudge = 1e-5;
    polygons.forEach((polygon, index) => {
      const e = polygon.edges;
      for (let i = 0; i < e.length; i += 4) {
        const [x1, y1, x2, y2] = [e[i]!, e[i + 1]!, e[i + 2]!, e[i + 3]!];
        const length = Math.hypot(x2 - x1, y2 - y1);
        const nx = (-(y2 - y1) / length) * nudge;
        const ny = ((x2 - x1) / length) * nudge;
        const mx = (x1 + x2) / 2;
        const my = (y1 + y2) / 2;
        if (this.isOpenWater(my + ny, mx + nx) || this.isOpenWater(my - ny, mx - nx)) {
          coast.push(x1, y1, x2, y2);
          owner.push(index);
        }
      }
    });
    this.coast = Float64Array.from(coast);
    this.coastPolygon = Int32Array.from(owner);
  }

  /** Number of coastline edges. */
  get coastEdges(): number {
    return this.coastPolygon.length;
  }

  /**
   * Keeps only the coast edges whose middle passes `keep` — e.g. near the open sea,
   * which drops the shores of slivers between two countries' polygons and of lakes.
   */
  retainCoast(keep: (lat: number, lon: number) => boolean): void {
    const coast: number[] = [];
    const owner: number[] = [];
    for (let i = 0, e = 0; i < this.coast.length; i += 4, e++) {
      if (!keep((this.coast[i + 1]! + this.coast[i + 3]!) / 2, (this.coast[i]! + this.coast[i + 2]!) / 2)) continue;
      coast.push(this.coast[i]!, this.coast[i + 1]!, this.coast[i + 2]!, this.coast[i + 3]!);
      owner.push(this.coastPolygon[e]!);
    }
    this.coast = Float64Array.from(coast);
    this.coastPolygon = Int32Array.from(owner);
  }

  /** Inside the mapped box (where land and water are known). */
  inMap(lat: number, lon: number): boolean {
    const [west, south, east, north] = this.bbox;
    return lon >= west && lon <= east && lat >= south && lat <= north;
  }

  /** The country of the land polygon containing the point, or null at sea (or outside the map). */
  countryAt(lat: number, lon: number): string | null {
    for (const polygon of this.polygons) {
      const [west, south, east, north] = polygon.bbox;
      if (lon < west || lon > east || lat < south || lat > north) continue;
      if (insideEdges(polygon.edges, lon, lat)) return polygon.country;
    }
    return null;
  }

  private isOpenWater(lat: number, lon: number): boolean {
    const [west, south, east, north] = this.bbox;
    return lon > west && lon < east && lat > south && lat < north && this.countryAt(lat, lon) === null;
  }

  /**
   * The nearest point of the coastline (edges with water on one side), optionally only
   * the coast of polygons whose country passes `accept`. Null when no coast edge passes.
   */
  nearestCoast(lat: number, lon: number, accept?: (country: string) => boolean): CoastPoint | null {
    // Closest point found in a local plane (longitude scaled by cos(lat)), then measured on the sphere.
    const k = Math.cos((lat * Math.PI) / 180);
    const c = this.coast;
    let best = -1;
    let bestSq = Infinity;
    let bestX = 0;
    let bestY = 0;
    let lastPolygon = -1;
    let accepted = true;
    for (let i = 0, e = 0; i < c.length; i += 4, e++) {
      const polygon = this.coastPolygon[e]!;
      if (accept && polygon !== lastPolygon) {
        lastPolygon = polygon;
        accepted = accept(this.polygons[polygon]!.country);
      }
      if (!accepted) continue;
      const ax = (c[i]! - lon) * k;
      const ay = c[i + 1]! - lat;
      const dx = (c[i + 2]! - c[i]!) * k;
      const dy = c[i + 3]! - c[i + 1]!;
      const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy)));
      const px = ax + t * dx;
      const py = ay + t * dy;
      const sq = px * px + py * py;
      if (sq < bestSq) {
        bestSq = sq;
        best = e;
        bestX = lon + px / k;
        bestY = lat + py;
      }
    }
    if (best < 0) return null;
    return { lat: bestY, lon: bestX, meters: distanceMeters(lat, lon, bestY, bestX), country: this.polygons[this.coastPolygon[best]!]!.country };
  }

  /** True when the straight segment a–b meets an edge of a land polygon. */
  crossesLand(a: LatLon, b: LatLon): boolean {
    const minX = Math.min(a.lon, b.lon);
    const maxX = Math.max(a.lon, b.lon);
    const minY = Math.min(a.lat, b.lat);
    const maxY = Math.max(a.lat, b.lat);
    for (const polygon of this.polygons) {
      const [west, south, east, north] = polygon.bbox;
      if (maxX < west || minX > east || maxY < south || minY > north) continue;
      const e = polygon.edges;
      for (let i = 0; i < e.length; i += 4) {
        const x1 = e[i]!;
        const y1 = e[i + 1]!;
        const x2 = e[i + 2]!;
        const y2 = e[i + 3]!;
        if ((x1 < minX && x2 < minX) || (x1 > maxX && x2 > maxX) || (y1 < minY && y2 < minY) || (y1 > maxY && y2 > maxY)) continue;
        if (segmentsIntersect(a.lon, a.lat, b.lon, b.lat, x1, y1, x2, y2)) return true;
      }
    }
    return false;
  }
}

/**
 * Even-odd ray casting over every edge of a polygon (holes are rings too): the test
 * of pointInRing (shared/geometry.ts) on the flat edge list.
 */
function insideEdges(e: Float64Array, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0; i < e.length; i += 4) {
    const yi = e[i + 1]!;
    const yj = e[i + 3]!;
    if (yi > y !== yj > y) {
      const xi = e[i]!;
      if (x < ((e[i + 2]! - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

function segmentsIntersect(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  if (o1 !== o2 && o3 !== o4) return true;
  // Collinear and overlapping: touching the coast counts as meeting it.
  const within = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) =>
    Math.min(px, qx) <= rx && rx <= Math.max(px, qx) && Math.min(py, qy) <= ry && ry <= Math.max(py, qy);
  return (
    (o1 === 0 && within(ax, ay, bx, by, cx, cy)) ||
    (o2 === 0 && within(ax, ay, bx, by, dx, dy)) ||
    (o3 === 0 && within(cx, cy, dx, dy, ax, ay)) ||
    (o4 === 0 && within(cx, cy, dx, dy, bx, by))
  );
}

/** Default raster cell, metres (both directions, at the box's middle latitude). */
export const DEFAULT_CELL_METERS = 350;
/** A* results kept per (start cell, goal cell); the oldest go first. */
const ROUTE_CACHE_SIZE = 4096;
const DIRECTIONS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, -1],
  [1, 0],
  [-1, 0],
  [1, 1],
  [1, -1],
  [-1, 1],
  [-1, -1],
];

export class WaterGrid {
  readonly cols: number;
  readonly rows: number;
  readonly west: number;
  readonly south: number;
  /** Cell size in degrees. */
  readonly dLon: number;
  readonly dLat: number;
  /** Per cell: 0 water, else 1 + index of the land polygon covering its centre. */
  readonly land: Uint16Array;
  /**
   * Per water cell, its connected body of water (-1 on land). The largest is the sea;
   * the others are pockets the raster closed off (a harbour notch, an estuary) that a
   * boat cannot be routed through.
   */
  readonly body: Int32Array;
  readonly seaBody: number;
  /** Per water cell, bit k set when move k of DIRECTIONS stays in the grid, on water, without cutting a land corner. */
  private readonly moves: Uint8Array;
  /** Cell index offset of each move of DIRECTIONS. */
  private readonly offsets: Int32Array;
  /**
   * A* step costs, metres, at the box's middle latitude: east–west, north–south,
   * diagonal. Uniform, so that equally short grid paths tie exactly and the
   * tie-break (stay near the straight line) picks one that hugs the capes;
   * lengths are measured on the sphere afterwards anyway.
   */
  private readonly eastWest: number;
  private readonly northSouth: number;
  private readonly diagonal: number;
  /** The shortest side of any cell (the northern row's width), metres. */
  private readonly minStep: number;
  // A* working memory, reused from search to search (stamped by generation).
  private readonly g: Float64Array;
  private readonly parent: Int32Array;
  private readonly stamp: Uint32Array;
  private generation = 0;
  private heapNodes = new Int32Array(1024);
  private heapF = new Float64Array(1024);
  private heapG = new Float64Array(1024);
  private heapSize = 0;
  private readonly routes = new Map<string, Int32Array | null>();
  /** Cells expanded by the last search (for measurements). */
  lastExpanded = 0;

  constructor(
    private readonly shapes: LandShapes,
    cellMeters = DEFAULT_CELL_METERS,
  ) {
    const [west, south, east, north] = shapes.bbox;
    const midLat = (south + north) / 2;
    const midLon = (west + east) / 2;
    this.west = west;
    this.south = south;
    this.dLat = cellMeters / distanceMeters(midLat - 0.5, midLon, midLat + 0.5, midLon);
    this.dLon = cellMeters / distanceMeters(midLat, midLon - 0.5, midLat, midLon + 0.5);
    this.cols = Math.max(1, Math.ceil((east - west) / this.dLon));
    this.rows = Math.max(1, Math.ceil((north - south) / this.dLat));
    const count = this.cols * this.rows;
    if (count > 2_000_000) throw new Error(`water grid: ${count} cells is too many; use larger cells`);
    if (shapes.polygons.length >= 0xffff) throw new Error(`water grid: ${shapes.polygons.length} land polygons is too many`);
    this.land = new Uint16Array(count);
    this.rasterize();
    this.offsets = Int32Array.from(DIRECTIONS, ([dr, dc]) => dr * this.cols + dc);
    this.moves = this.computeMoves();
    this.body = new Int32Array(count).fill(-1);
    this.seaBody = this.labelBodies();

    this.eastWest = distanceMeters(midLat, midLon, midLat, midLon + this.dLon);
    this.northSouth = distanceMeters(midLat, midLon, midLat + this.dLat, midLon);
    this.diagonal = distanceMeters(midLat, midLon, midLat + this.dLat, midLon + this.dLon);
    const top = this.rowLat(this.rows - 1) + this.dLat / 2;
    this.minStep = Math.min(distanceMeters(top, midLon, top, midLon + this.dLon), distanceMeters(south, midLon, south + this.dLat, midLon));
    this.g = new Float64Array(count);
    this.parent = new Int32Array(count);
    this.stamp = new Uint32Array(count);
  }

  /**
   * Even-odd fill row by row: the crossings of each polygon's edges with the row's
   * centre line, in order, bound the runs of land. The same answer as a
   * point-in-polygon test at every cell centre, without testing every cell.
   */
  private rasterize(): void {
    const crossings: number[] = [];
    this.shapes.polygons.forEach((polygon, index) => {
      const [, south, , north] = polygon.bbox;
      const firstRow = Math.max(0, Math.floor((south - this.south) / this.dLat - 0.5));
      const lastRow = Math.min(this.rows - 1, Math.ceil((north - this.south) / this.dLat - 0.5));
      const e = polygon.edges;
      for (let r = firstRow; r <= lastRow; r++) {
        const y = this.rowLat(r);
        crossings.length = 0;
        for (let i = 0; i < e.length; i += 4) {
          const y1 = e[i + 1]!;
          const y2 = e[i + 3]!;
          if (y1 > y !== y2 > y) {
            const x1 = e[i]!;
            crossings.push(((e[i + 2]! - x1) * (y - y1)) / (y2 - y1) + x1);
          }
        }
        crossings.sort((a, b) => a - b);
        for (let k = 0; k + 1 < crossings.length; k += 2) {
          // Cells whose centre x satisfies crossings[k] <= x < crossings[k + 1].
          const from = Math.max(0, Math.ceil((crossings[k]! - this.west) / this.dLon - 0.5));
          const to = Math.min(this.cols - 1, Math.ceil((crossings[k + 1]! - this.west) / this.dLon - 0.5) - 1);
          for (let c = from; c <= to; c++) {
            const cell = r * this.cols + c;
            if (this.land[cell] === 0) this.land[cell] = index + 1;
          }
        }
      }
    });
  }

  private computeMoves(): Uint8Array {
    const { cols, rows, land } = this;
    const moves = new Uint8Array(land.length);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const cell = r * cols + c;
        if (land[cell] !== 0) continue;
        let mask = 0;
        DIRECTIONS.forEach(([dr, dc], k) => {
          const nr = r + dr;
          const nc = c + dc;
          if (nr < 0 || nr >= rows || nc < 0 || nc >= cols || land[nr * cols + nc] !== 0) return;
          if (dr !== 0 && dc !== 0 && (land[r * cols + nc] !== 0 || land[nr * cols + c] !== 0)) return;
          mask |= 1 << k;
        });
        moves[cell] = mask;
      }
    }
    return moves;
  }

  /** Flood-fills the water cells with the moves A* makes; returns the label of the largest body. */
  private labelBodies(): number {
    const { land, body, moves, offsets } = this;
    const queue = new Int32Array(land.length);
    let label = 0;
    let largest = -1;
    let largestSize = 0;
    for (let seed = 0; seed < land.length; seed++) {
      if (land[seed] !== 0 || body[seed] !== -1) continue;
      let head = 0;
      let tail = 0;
      queue[tail++] = seed;
      body[seed] = label;
      while (head < tail) {
        const node = queue[head++]!;
        const mask = moves[node]!;
        for (let k = 0; k < 8; k++) {
          if ((mask & (1 << k)) === 0) continue;
          const next = node + offsets[k]!;
          if (body[next] !== -1) continue;
          body[next] = label;
          queue[tail++] = next;
        }
      }
      if (tail > largestSize) {
        largestSize = tail;
        largest = label;
      }
      label++;
    }
    return largest;
  }

  rowLat(row: number): number {
    return this.south + (row + 0.5) * this.dLat;
  }

  colLon(col: number): number {
    return this.west + (col + 0.5) * this.dLon;
  }

  /** The cell containing the point, or -1 outside the grid. */
  cellOf(lat: number, lon: number): number {
    const c = Math.floor((lon - this.west) / this.dLon);
    const r = Math.floor((lat - this.south) / this.dLat);
    if (c < 0 || r < 0 || c >= this.cols || r >= this.rows) return -1;
    return r * this.cols + c;
  }

  centre(cell: number): LatLon {
    const r = Math.floor(cell / this.cols);
    return { lat: this.rowLat(r), lon: this.colLon(cell - r * this.cols) };
  }

  isWater(cell: number): boolean {
    return cell >= 0 && cell < this.land.length && this.land[cell] === 0;
  }

  /** A water cell of the open sea (not a pocket closed off by the raster). */
  isSea(cell: number): boolean {
    return cell >= 0 && cell < this.body.length && this.body[cell] === this.seaBody;
  }

  /** The open-sea cell whose centre is nearest the point, searched up to `maxMeters`; -1 if none. */
  nearestSeaCell(lat: number, lon: number, maxMeters = 20_000): number {
    const col = Math.min(this.cols - 1, Math.max(0, Math.floor((lon - this.west) / this.dLon)));
    const row = Math.min(this.rows - 1, Math.max(0, Math.floor((lat - this.south) / this.dLat)));
    const step = this.minStep;
    const maxRing = Math.ceil(maxMeters / step) + 1;
    let best = -1;
    let bestMeters = Infinity;
    const consider = (r: number, c: number) => {
      if (r < 0 || r >= this.rows || c < 0 || c >= this.cols) return;
      const cell = r * this.cols + c;
      if (this.body[cell] !== this.seaBody) return;
      const meters = distanceMeters(lat, lon, this.rowLat(r), this.colLon(c));
      if (meters < bestMeters || (meters === bestMeters && cell < best)) {
        bestMeters = meters;
        best = cell;
      }
    };
    for (let ring = 0; ring <= maxRing; ring++) {
      // Every cell of ring k is at least k - 1 cells away from the point.
      if ((ring - 1) * step > Math.min(bestMeters, maxMeters)) break;
      if (ring === 0) {
        consider(row, col);
        continue;
      }
      for (let c = col - ring; c <= col + ring; c++) {
        consider(row - ring, c);
        consider(row + ring, c);
      }
      for (let r = row - ring + 1; r <= row + ring - 1; r++) {
        consider(r, col - ring);
        consider(r, col + ring);
      }
    }
    return bestMeters <= maxMeters ? best : -1;
  }

  /**
   * True when every cell the segment passes through is water, the cells of its two
   * ends excepted (an end may be a point in a harbour or on a beach).
   */
  lineOfSight(a: LatLon, b: LatLon): boolean {
    const ca = this.cellOf(a.lat, a.lon);
    const cb = this.cellOf(b.lat, b.lon);
    if (ca < 0 || cb < 0) return false;
    // Grid traversal (Amanatides & Woo): every cell the segment enters, in order.
    const x0 = (a.lon - this.west) / this.dLon;
    const y0 = (a.lat - this.south) / this.dLat;
    const dx = (b.lon - this.west) / this.dLon - x0;
    const dy = (b.lat - this.south) / this.dLat - y0;
    let col = Math.floor(x0);
    let row = Math.floor(y0);
    const lastCol = cb % this.cols;
    const lastRow = Math.floor(cb / this.cols);
    const stepCol = dx > 0 ? 1 : -1;
    const stepRow = dy > 0 ? 1 : -1;
    const tDeltaX = dx !== 0 ? Math.abs(1 / dx) : Infinity;
    const tDeltaY = dy !== 0 ? Math.abs(1 / dy) : Infinity;
    let tMaxX = dx !== 0 ? (dx > 0 ? col + 1 - x0 : x0 - col) * tDeltaX : Infinity;
    let tMaxY = dy !== 0 ? (dy > 0 ? row + 1 - y0 : y0 - row) * tDeltaY : Infinity;
    const limit = Math.abs(lastCol - col) + Math.abs(lastRow - row);
    for (let i = 0; i < limit && (col !== lastCol || row !== lastRow); i++) {
      if (tMaxX < tMaxY) {
        col += stepCol;
        tMaxX += tDeltaX;
      } else {
        row += stepRow;
        tMaxY += tDeltaY;
      }
      const cell = row * this.cols + col;
      if (cell !== cb && this.land[cell] !== 0) return false;
    }
    return true;
  }

  /**
   * Cells of the shortest 8-neighbour water path from one water cell to another
   * (no corner cutting past land), both included; null when they are not connected.
   * Cached per pair.
   */
  route(from: number, to: number): Int32Array | null {
    if (!this.isSea(from) || !this.isSea(to)) return null;
    const key = `${from}>${to}`;
    const cached = this.routes.get(key);
    if (cached !== undefined) {
      this.routes.delete(key);
      this.routes.set(key, cached);
      return cached;
    }
    const path = this.search(from, to);
    if (this.routes.size >= ROUTE_CACHE_SIZE) this.routes.delete(this.routes.keys().next().value!);
    this.routes.set(key, path);
    return path;
  }

  /**
   * A* with the octile distance to the goal (exact on open water for these step
   * costs) plus a millimetre per cell of offset from the start–goal line, so that
   * among equally short paths the one nearest the straight line wins.
   */
  private search(from: number, to: number): Int32Array | null {
    const { cols, g, parent, stamp, moves, offsets } = this;
    if (++this.generation === 0xffffffff) {
      stamp.fill(0);
      this.generation = 1;
    }
    const gen = this.generation;
    const ew = this.eastWest;
    const ns = this.northSouth;
    const dg = this.diagonal;
    const costs = [ew, ew, ns, ns, dg, dg, dg, dg];
    const goalRow = Math.floor(to / cols);
    const goalCol = to - goalRow * cols;
    const fromRow = Math.floor(from / cols);
    const lineRow = fromRow - goalRow;
    const lineCol = from - fromRow * cols - goalCol;
    const tie = Math.hypot(lineRow, lineCol) > 0 ? 0.001 / Math.hypot(lineRow, lineCol) : 0;
    const h = (cell: number): number => {
      const r = Math.floor(cell / cols);
      const c = cell - r * cols;
      const dx = c - goalCol;
      const dy = r - goalRow;
      const ax = dx < 0 ? -dx : dx;
      const ay = dy < 0 ? -dy : dy;
      const octile = ax > ay ? dg * ay + ew * (ax - ay) : dg * ax + ns * (ay - ax);
      const cross = dx * lineRow - dy * lineCol;
      return octile + tie * (cross < 0 ? -cross : cross);
    };
    this.heapSize = 0;
    stamp[from] = gen;
    g[from] = 0;
    parent[from] = -1;
    this.push(from, h(from), 0);
    let expanded = 0;
    let found = false;
    while (this.heapSize > 0) {
      const node = this.heapNodes[0]!;
      const nodeG = this.heapG[0]!;
      this.pop();
      if (nodeG > g[node]!) continue; // stale entry
      if (node === to) {
        found = true;
        break;
      }
      expanded++;
      const mask = moves[node]!;
      for (let k = 0; k < 8; k++) {
        if ((mask & (1 << k)) === 0) continue;
        const next = node + offsets[k]!;
        const nextG = nodeG + costs[k]!;
        if (stamp[next] === gen && nextG >= g[next]!) continue;
        stamp[next] = gen;
        g[next] = nextG;
        parent[next] = node;
        this.push(next, nextG + h(next), nextG);
      }
    }
    this.lastExpanded = expanded;
    if (!found) return null;
    const path: number[] = [];
    for (let node = to; node !== -1; node = parent[node]!) path.push(node);
    return Int32Array.from(path.reverse());
  }

  // Binary min-heap on key = f − g·1e-9: lowest f first, and among equal f the
  // larger g (nearer the goal). Hole-based sifting.
  private push(node: number, f: number, gValue: number): void {
    if (this.heapSize === this.heapNodes.length) {
      const nodes = new Int32Array(this.heapNodes.length * 2);
      const keys = new Float64Array(nodes.length);
      const gs = new Float64Array(nodes.length);
      nodes.set(this.heapNodes);
      keys.set(this.heapF);
      gs.set(this.heapG);
      this.heapNodes = nodes;
      this.heapF = keys;
      this.heapG = gs;
    }
    const { heapNodes, heapF, heapG } = this;
    const key = f - gValue * 1e-9;
    let i = this.heapSize++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (heapF[up]! <= key) break;
      heapNodes[i] = heapNodes[up]!;
      heapF[i] = heapF[up]!;
      heapG[i] = heapG[up]!;
      i = up;
    }
    heapNodes[i] = node;
    heapF[i] = key;
    heapG[i] = gValue;
  }

  private pop(): void {
    const { heapNodes, heapF, heapG } = this;
    const last = --this.heapSize;
    if (last === 0) return;
    const node = heapNodes[last]!;
    const key = heapF[last]!;
    const gValue = heapG[last]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && heapF[child + 1]! < heapF[child]!) child++;
      if (heapF[child]! >= key) break;
      heapNodes[i] = heapNodes[child]!;
      heapF[i] = heapF[child]!;
      heapG[i] = heapG[child]!;
      i = child;
    }
    heapNodes[i] = node;
    heapF[i] = key;
    heapG[i] = gValue;
  }
}

// Map symbols rasterised by the page itself into one pixel buffer, shown with
// one putImageData, instead of filled as canvas paths.
//
// At 10,000 tracks the canvas calls were cheap, but Chromium's software
// raster of the paths they built was not: the main thread spent ~26 ms
// producing each canvas frame (~16 ms for one path of 10,000 anti-aliased
// triangles, ~8 ms for 4,000 AIS arrows), ten times a second, and the map
// stayed under 50 frames/s (traced, docs/performance.md). Stamping sprites
// with drawImage was worse (a call costs more than the pixels it copies).
// A symbol here is a small coverage mask, computed once per shape, size and
// turn of 360/ANGLES degrees, copied into the buffer on whole device pixels.
// Kept free of the DOM so it can be tested on its own.

/** Headings a symbol can be drawn at: every 5°, finer than a 6-px triangle shows. */
export const ANGLES = 72;

/** The sprite for a direction in radians (clockwise from north; any value, NaN gives north). */
export function angleIndex(radians: number): number {
  if (!Number.isFinite(radians)) return 0;
  const step = (2 * Math.PI) / ANGLES;
  return ((Math.round(radians / step) % ANGLES) + ANGLES) % ANGLES;
}

/** A symbol's outline around its centre, turned by (sin, cos) of its direction: flat x, y pairs in CSS pixels. */
export type SymbolShape = (sin: number, cos: number) => number[];

/** The track symbol: a heading-up triangle, nose (0, -1.4 s), back corners (±s, s), turned clockwise from north (screen y grows downwards). */
export const triangle =
  (scale: number): SymbolShape =>
  (sin, cos) => {
    const nose = scale * 1.4;
    return [nose * sin, -nose * cos, scale * cos - scale * sin, scale * sin + scale * cos, -scale * cos - scale * sin, -scale * sin + scale * cos];
  };

/** The AIS ship's arrow (the marker's M0 -8 L5 6 L0 3 L-5 6 Z at 0.6 of its size), turned clockwise from north. */
export const arrow: SymbolShape = (sin, cos) => [
  4.8 * sin,
  -4.8 * cos,
  3 * cos - 3.6 * sin,
  3 * sin + 3.6 * cos,
  -1.8 * sin,
  1.8 * cos,
  -3 * cos - 3.6 * sin,
  -3 * sin + 3.6 * cos,
];

/** A stopped ship: a 4-px square. */
export const dot: SymbolShape = () => [-2, -2, 2, -2, 2, 2, -2, 2];

/** The pixels a symbol covers, relative to its centre pixel, with their coverage (1–255). */
export interface Sprite {
  dx: Int16Array;
  dy: Int16Array;
  coverage: Uint8Array;
  /** How far any pixel reaches from the centre, device pixels. */
  reach: number;
}

/** Sub-pixel samples per axis: 4 × 4 = 16 levels of anti-aliasing, like the canvas's at this size. */
const SAMPLES = 4;

/** Even-odd point-in-polygon. */
function inside(px: number, py: number, outline: readonly number[]): boolean {
  let result = false;
  for (let i = 0, j = outline.length - 2; i < outline.length; j = i, i += 2) {
    const [xi, yi, xj, yj] = [outline[i]!, outline[i + 1]!, outline[j]!, outline[j + 1]!];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) result = !result;
  }
  return result;
}

/**
 * The coverage mask of a shape at one direction and device pixel ratio. Its
 * centre is the middle of pixel (0, 0): a symbol at (x, y) CSS pixels is
 * stamped with that pixel at (⌊x·ratio⌋, ⌊y·ratio⌋).
 */
export function rasterise(shape: SymbolShape, radians: number, ratio: number): Sprite {
  const outline = shape(Math.sin(radians), Math.cos(radians)).map((v) => v * ratio);
  let reach = 0;
  for (const v of outline) reach = Math.max(reach, Math.ceil(Math.abs(v) + 0.5));
  const dx: number[] = [];
  const dy: number[] = [];
  const coverage: number[] = [];
  for (let y = -reach; y <= reach; y++) {
    for (let x = -reach; x <= reach; x++) {
      let hits = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          // Pixel (x, y) spans [x - 0.5, x + 0.5) around the centre.
          if (inside(x - 0.5 + (sx + 0.5) / SAMPLES, y - 0.5 + (sy + 0.5) / SAMPLES, outline)) hits += 1;
        }
      }
      if (hits === 0) continue;
      dx.push(x);
      dy.push(y);
      coverage.push(Math.round((hits * 255) / (SAMPLES * SAMPLES)));
    }
  }
  return { dx: Int16Array.from(dx), dy: Int16Array.from(dy), coverage: Uint8Array.from(coverage), reach };
}

/** One look's sprites at every angle, made the first time the look is drawn at a ratio. */
export class SpriteSet {
  private sprites: Sprite[] = [];
  private ratio = 0;

  constructor(private readonly shape: SymbolShape) {}

  at(radians: number, ratio: number): Sprite {
    if (ratio !== this.ratio) {
      this.sprites = [];
      this.ratio = ratio;
    }
    const index = angleIndex(radians);
    return (this.sprites[index] ??= rasterise(this.shape, (index * 2 * Math.PI) / ANGLES, ratio));
  }
}

/** '#rrggbb' → [r, g, b]. */
export function rgb(colour: string): [number, number, number] {
  const value = Number.parseInt(colour.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** A rectangle of device pixels: x, y its top-left corner. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * An RGBA pixel buffer (unpremultiplied, as ImageData holds it) that symbols
 * are stamped into, over what is already there ("source-over"). It keeps the
 * box its stamps covered, so a frame clears and uploads only the pixels that
 * can have changed (a handful of tracks no longer costs the whole map-sized
 * buffer, ~3.8 MB at 1120 × 861, twice a redraw).
 */
export class PixelLayer {
  /** The box stamped since the last clear (x0 > x1 when none), and the box that clear emptied. */
  private drawn: { x0: number; y0: number; x1: number; y1: number };
  private cleared: { x0: number; y0: number; x1: number; y1: number };

  constructor(
    readonly pixels: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {
    this.drawn = this.empty();
    this.cleared = this.empty();
  }

  /** Empties what the last frame stamped. */
  clear(): void {
    const { x0, y0, x1, y1 } = this.drawn;
    for (let y = y0; y <= y1; y++) this.pixels.fill(0, (y * this.width + x0) * 4, (y * this.width + x1 + 1) * 4);
    this.cleared = this.drawn;
    this.drawn = this.empty();
  }

  /** A box that any stamp widens. */
  private empty() {
    return { x0: this.width, y0: this.height, x1: -1, y1: -1 };
  }

  /** The pixels this frame can have changed (what the last clear emptied and what was stamped since), or null: nothing to upload. */
  changed(): PixelRect | null {
    const a = this.cleared;
    const b = this.drawn;
    const x0 = Math.min(a.x0 <= a.x1 ? a.x0 : Infinity, b.x0 <= b.x1 ? b.x0 : Infinity);
    const x1 = Math.max(a.x0 <= a.x1 ? a.x1 : -Infinity, b.x0 <= b.x1 ? b.x1 : -Infinity);
    const y0 = Math.min(a.y0 <= a.y1 ? a.y0 : Infinity, b.y0 <= b.y1 ? b.y0 : Infinity);
    const y1 = Math.max(a.y0 <= a.y1 ? a.y1 : -Infinity, b.y0 <= b.y1 ? b.y1 : -Infinity);
    return x0 > x1 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
  }

  /**
   * Stamps a sprite in one colour at opacity `alpha` (0–1), centred on device pixel (cx, cy).
   * Pixels off the buffer are left out.
   */
  stamp(sprite: Sprite, cx: number, cy: number, colour: readonly [number, number, number], alpha: number): void {
    const { pixels, width, height } = this;
    const { dx, dy, coverage, reach } = sprite;
    const [r, g, b] = colour;
    const clipped = cx - reach < 0 || cy - reach < 0 || cx + reach >= width || cy + reach >= height;
    if (cx + reach < 0 || cy + reach < 0 || cx - reach >= width || cy - reach >= height) return;
    const drawn = this.drawn;
    drawn.x0 = Math.min(drawn.x0, Math.max(0, cx - reach));
    drawn.y0 = Math.min(drawn.y0, Math.max(0, cy - reach));
    drawn.x1 = Math.max(drawn.x1, Math.min(width - 1, cx + reach));
    drawn.y1 = Math.max(drawn.y1, Math.min(height - 1, cy + reach));
    for (let k = 0; k < coverage.length; k++) {
      const x = cx + dx[k]!;
      const y = cy + dy[k]!;
      if (clipped && (x < 0 || y < 0 || x >= width || y >= height)) continue;
      const i = (y * width + x) * 4;
      const a = coverage[k]! * alpha;
      const below = pixels[i + 3]!;
      if (below === 0 || a >= 254.5) {
        pixels[i] = r;
        pixels[i + 1] = g;
        pixels[i + 2] = b;
        pixels[i + 3] = a;
        continue;
      }
      // Source over destination, unpremultiplied: out = (src·a + dst·da·(1 − a)) / outA.
      const under = (below * (255 - a)) / 255;
      const out = a + under;
      pixels[i] = (r * a + pixels[i]! * under) / out;
      pixels[i + 1] = (g * a + pixels[i + 1]! * under) / out;
      pixels[i + 2] = (b * a + pixels[i + 2]! * under) / out;
      pixels[i + 3] = out;
    }
  }
}

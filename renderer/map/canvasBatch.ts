// What the map's canvas layer fills each frame, kept free of Leaflet and the
// store so it can be tested on its own: a view projection that returns no
// objects, growable number buffers reused from frame to frame, and trails
// thinned to what can be seen at the current zoom (issue 17: at 10,000
// tracks, six fixes each, most trail segments are under a pixel long when
// the whole coast is in view, and stroking them was most of a frame).

const RADIANS = Math.PI / 180;
/** Web Mercator on the unit sphere: screen positions are an affine map of it at any one view. */
export const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * RADIANS) / 2));

/**
 * latitude/longitude → container pixels for one view, as x = ox + lon·kx,
 * y = oy + mercatorY(lat)·ky (no per-point objects).
 */
export interface ViewProjection {
  ox: number;
  kx: number;
  oy: number;
  ky: number;
}

/** The projection through two reference points given in container pixels: (50° N, 1° E) → a, (51° N, 2° E) → b. */
export function viewProjectionFrom(a: { x: number; y: number }, b: { x: number; y: number }): ViewProjection {
  const [ya, yb] = [mercatorY(50), mercatorY(51)];
  const kx = b.x - a.x;
  const ky = (b.y - a.y) / (yb - ya);
  return { kx, ox: a.x - kx, ky, oy: a.y - ya * ky };
}

export const projectX = (view: ViewProjection, lon: number) => view.ox + lon * view.kx;
export const projectY = (view: ViewProjection, lat: number) => view.oy + mercatorY(lat) * view.ky;

/** A growable list of numbers, emptied but not freed between frames. */
export class NumberBuffer {
  data = new Float64Array(256);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/** Trail points closer than this to the last one kept are dropped, pixels. */
export const TRAIL_MIN_STEP = 1.5;

/**
 * Appends a trail — its previous fixes (flat lat, lon, oldest first), then the
 * symbol's position — to `target` as a point count then x, y pairs. Points
 * within TRAIL_MIN_STEP pixels of the last one kept (walking back from the
 * head) are left out, and a trail left with no segment is not added at all.
 * Returns the number of points added (0 or ≥ 2).
 */
export function appendTrail(trail: readonly number[] | undefined, view: ViewProjection, target: NumberBuffer, headX: number, headY: number): number {
  if (!trail || trail.length === 0) return 0;
  const minSquared = TRAIL_MIN_STEP * TRAIL_MIN_STEP;
  // Cheap test first: the oldest fix near the head means the whole trail is (ships do not double back in a few seconds).
  const oldestX = projectX(view, trail[1]!) - headX;
  const oldestY = projectY(view, trail[0]!) - headY;
  if (oldestX * oldestX + oldestY * oldestY < minSquared) return 0;
  const countAt = target.length;
  target.push(0);
  target.push(headX);
  target.push(headY);
  let count = 1;
  let lastX = headX;
  let lastY = headY;
  // From the head back: the points nearest the symbol decide what is kept.
  for (let i = trail.length - 2; i >= 0; i -= 2) {
    const x = projectX(view, trail[i + 1]!);
    const y = projectY(view, trail[i]!);
    const dx = x - lastX;
    const dy = y - lastY;
    if (dx * dx + dy * dy < minSquared) continue;
    target.push(x);
    target.push(y);
    lastX = x;
    lastY = y;
    count += 1;
  }
  if (count < 2) {
    target.length = countAt;
    return 0;
  }
  target.data[countAt] = count;
  return count;
}

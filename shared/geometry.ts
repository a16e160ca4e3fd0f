// Plane geometry on [lon, lat] pairs, for the few tens of kilometres of a
// coastal post (away from the poles and the antimeridian): used by the core's
// sector index and by the simulator. Distances and bearings are shared/sphere.ts.

/** Even-odd ray casting on [lon, lat] pairs. */
export function pointInRing(x: number, y: number, ring: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

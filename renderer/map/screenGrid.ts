// The symbols drawn on the map's canvas, bucketed by square cells of the
// screen, so that a click finds the nearest one by looking at the few cells
// around it instead of projecting every track (10,000 of them, issue 17).
// Rebuilt with each frame from the positions just drawn, so it picks what
// the operator sees; the cells' arrays are kept from frame to frame (no
// allocation once warm).

/** Cells further than this from the origin, in either direction, share the edge cells (a symbol far off screen is culled anyway). */
const MAX_CELL = 4096;

export class ScreenGrid<T> {
  private readonly cells = new Map<number, number[]>();
  private xs: number[] = [];
  private ys: number[] = [];
  private items: T[] = [];
  private count = 0;

  constructor(readonly cellSize = 32) {}

  get size(): number {
    return this.count;
  }

  clear(): void {
    for (const cell of this.cells.values()) cell.length = 0;
    this.count = 0;
  }

  add(x: number, y: number, item: T): void {
    const index = this.count++;
    this.xs[index] = x;
    this.ys[index] = y;
    this.items[index] = item;
    const key = this.key(this.cellOf(x), this.cellOf(y));
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = []));
    cell.push(index);
  }

  /** The item nearest to (x, y) strictly within `radius` pixels; the first added wins a tie. */
  nearest(x: number, y: number, radius: number): T | null {
    let best = -1;
    let bestSquared = radius * radius;
    const [x0, x1, y0, y1] = [this.cellOf(x - radius), this.cellOf(x + radius), this.cellOf(y - radius), this.cellOf(y + radius)];
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const cell = this.cells.get(this.key(cx, cy));
        if (!cell) continue;
        for (const index of cell) {
          const dx = this.xs[index]! - x;
          const dy = this.ys[index]! - y;
          const squared = dx * dx + dy * dy;
          if (squared < bestSquared || (squared === bestSquared && best >= 0 && index < best)) [best, bestSquared] = [index, squared];
        }
      }
    }
    return best < 0 ? null : this.items[best]!;
  }

  private cellOf(value: number): number {
    return Math.max(-MAX_CELL, Math.min(MAX_CELL, Math.floor(value / this.cellSize)));
  }

  private key(cx: number, cy: number): number {
    return (cx + MAX_CELL) * (2 * MAX_CELL + 1) + (cy + MAX_CELL);
  }
}

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NumberBuffer, TRAIL_MIN_STEP, appendTrail, mercatorY, projectX, projectY, viewProjectionFrom } from '../../renderer/map/canvasBatch';
import { ScreenGrid } from '../../renderer/map/screenGrid';

describe('the screen grid the map picks tracks from', () => {
  test('finds the nearest symbol strictly within the radius, across cell edges, as a full scan would', () => {
    const grid = new ScreenGrid<string>(32);
    // A deterministic scatter with points on and around cell edges.
    const points: [number, number, string][] = [];
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 700 - 50;
    for (let i = 0; i < 3000; i++) points.push([next(), next(), `T${i}`]);
    points.push([31.9, 32, 'EDGE-A'], [32.1, 32, 'EDGE-B'], [-0.5, -0.5, 'NEGATIVE']);
    for (const [x, y, id] of points) grid.add(x, y, id);
    assert.equal(grid.size, points.length);
    const scan = (x: number, y: number, radius: number) => {
      let best: string | null = null;
      let bestDistance = radius;
      for (const [px, py, id] of points) {
        const distance = Math.hypot(px - x, py - y);
        if (distance < bestDistance) [best, bestDistance] = [id, distance];
      }
      return best;
    };
    for (let i = 0; i < 2000; i++) {
      const [x, y] = [next(), next()];
      assert.equal(grid.nearest(x, y, 12), scan(x, y, 12), `at ${x}, ${y}`);
    }
    assert.equal(grid.nearest(32.05, 32, 1), 'EDGE-B');
    assert.equal(grid.nearest(-3, -0.5, 2.5), null, 'exactly at the radius is out');
    assert.equal(grid.nearest(-3, -0.5, 2.6), 'NEGATIVE');
  });

  test('cleared, it finds nothing, and reuses its cells for the next frame', () => {
    const grid = new ScreenGrid<string>();
    grid.add(10, 10, 'A');
    grid.clear();
    assert.equal(grid.nearest(10, 10, 12), null);
    grid.add(100, 100, 'B');
    assert.equal(grid.nearest(10, 10, 12), null);
    assert.equal(grid.nearest(101, 99, 12), 'B');
    // Far off screen still lands in a cell (clamped), and is found there.
    grid.add(1e9, -1e9, 'FAR');
    assert.equal(grid.nearest(1e9, -1e9, 1), 'FAR');
  });
});

describe('the canvas view projection and thinned trails', () => {
  // A view where one degree of longitude is 100 px; latitude by Mercator.
  const view = viewProjectionFrom({ x: 0, y: 0 }, { x: 100, y: -100 * ((mercatorY(51) - mercatorY(50)) / (Math.PI / 180)) });

  test('projects the reference points where they were given, and Mercator in between', () => {
    assert.ok(Math.abs(projectX(view, 1)) < 1e-9 && Math.abs(projectY(view, 50)) < 1e-9);
    assert.ok(Math.abs(projectX(view, 2) - 100) < 1e-9);
    assert.ok(Math.abs(projectX(view, 1.5) - 50) < 1e-9);
    assert.ok(projectY(view, 50.5) < 0 && projectY(view, 50.5) > projectY(view, 51));
  });

  test('a trail shorter than a step on screen is left out; a long one keeps its visible points, head first', () => {
    const buffer = new NumberBuffer();
    // Fixes 0.001° apart: 0.1 px each at this view.
    const tiny = [50, 1.001, 50, 1.002, 50, 1.003];
    assert.equal(appendTrail(tiny, view, buffer, projectX(view, 1.004), projectY(view, 50)), 0);
    assert.equal(buffer.length, 0);
    assert.equal(appendTrail(undefined, view, buffer, 0, 0), 0);
    // Fixes 0.1° apart (10 px), one 0.005° (0.5 px) from the head: dropped.
    const long = [50, 1.1, 50, 1.2, 50, 1.295];
    const headX = projectX(view, 1.3);
    const headY = projectY(view, 50);
    assert.equal(appendTrail(long, view, buffer, headX, headY), 3);
    const points = [...buffer.data.slice(0, buffer.length)];
    assert.equal(points[0], 3);
    assert.deepEqual(
      points.slice(1).map((v) => Math.round(v)),
      [30, 0, 20, 0, 10, 0],
    );
    for (let i = 3; i + 1 < points.length; i += 2) assert.ok(Math.hypot(points[i]! - points[i - 2]!, points[i + 1]! - points[i - 1]!) >= TRAIL_MIN_STEP);
  });

  test('buffers grow past their first size and keep what they hold', () => {
    const buffer = new NumberBuffer();
    for (let i = 0; i < 1000; i++) buffer.push(i);
    assert.equal(buffer.length, 1000);
    assert.equal(buffer.data[999], 999);
    buffer.clear();
    assert.equal(buffer.length, 0);
  });
});

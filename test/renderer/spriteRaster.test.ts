import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ANGLES, PixelLayer, SpriteSet, angleIndex, arrow, dot, rasterise, rgb, triangle, type Sprite } from '../../renderer/map/spriteRaster';

/** Area covered by a sprite, in device pixels (coverage 255 = one pixel). */
const area = (sprite: Sprite) => sprite.coverage.reduce((sum, c) => sum + c, 0) / 255;

/** Shoelace area of a flat x, y outline. */
const polygonArea = (outline: number[]) => {
  let twice = 0;
  for (let i = 0, j = outline.length - 2; i < outline.length; j = i, i += 2) twice += outline[j]! * outline[i + 1]! - outline[i]! * outline[j + 1]!;
  return Math.abs(twice) / 2;
};

/** Coverage-weighted centre of a sprite, device pixels from its centre pixel. */
const centroid = (sprite: Sprite): [number, number] => {
  let [sx, sy, total] = [0, 0, 0];
  sprite.coverage.forEach((c, k) => {
    sx += sprite.dx[k]! * c;
    sy += sprite.dy[k]! * c;
    total += c;
  });
  return [sx / total, sy / total];
};

describe('the symbols the map rasterises itself', () => {
  test('a direction picks the nearest of the 5° sprites, whatever turn it is given in', () => {
    assert.equal(ANGLES, 72);
    assert.equal(angleIndex(0), 0);
    assert.equal(angleIndex(Math.PI / 2), 18, 'east');
    assert.equal(angleIndex(Math.PI), 36, 'south');
    assert.equal(angleIndex(2 * Math.PI), 0, 'a full turn is north');
    assert.equal(angleIndex(-Math.PI / 2), 54, 'minus a quarter turn is west');
    assert.equal(angleIndex(((2.4 + 360 * 3) * Math.PI) / 180), 0, '2.4° after three turns rounds to north');
    assert.equal(angleIndex((2.6 * Math.PI) / 180), 1, '2.6° rounds to 5°');
    assert.equal(angleIndex((357.6 * Math.PI) / 180), 0, '357.6° rounds up to north, not to a 73rd sprite');
    assert.equal(angleIndex(Number.NaN), 0);
    assert.equal(angleIndex(Number.POSITIVE_INFINITY), 0);
  });

  test('a triangle covers the area of its outline, at any course and pixel ratio', () => {
    for (const ratio of [1, 2]) {
      for (const degrees of [0, 37, 90, 200, 315]) {
        const radians = (degrees * Math.PI) / 180;
        const sprite = rasterise(triangle(6), radians, ratio);
        const expected = polygonArea(triangle(6)(Math.sin(radians), Math.cos(radians))) * ratio * ratio;
        assert.ok(Math.abs(area(sprite) - expected) < expected * 0.04, `${degrees}° at ×${ratio}: ${area(sprite)} vs ${expected}`);
        assert.ok(sprite.coverage.every((c) => c >= 1 && c <= 255));
        assert.ok(sprite.dx.every((x) => Math.abs(x) <= sprite.reach) && sprite.dy.every((y) => Math.abs(y) <= sprite.reach));
      }
    }
    // 6 × (1.4 + 1) × 6 / … : the size-6 triangle is the larger symbol.
    assert.ok(area(rasterise(triangle(6), 0, 1)) > area(rasterise(triangle(4), 0, 1)) * 2);
  });

  test('a triangle points along its course: its mass is behind the nose', () => {
    // The centroid of the outline is (0, -1.4s + s + s)/3 = (0, 0.2s) at north: below the centre, away from the nose.
    const [northX, northY] = centroid(rasterise(triangle(6), 0, 1));
    assert.ok(Math.abs(northX) < 0.05 && Math.abs(northY - 1.2) < 0.15, `north: ${northX}, ${northY}`);
    const [eastX, eastY] = centroid(rasterise(triangle(6), Math.PI / 2, 1));
    assert.ok(Math.abs(eastY) < 0.05 && Math.abs(eastX + 1.2) < 0.15, `east: ${eastX}, ${eastY}`);
    // The nose pixel itself: heading east, the farthest covered pixel is to the right.
    const east = rasterise(triangle(6), Math.PI / 2, 1);
    assert.equal(Math.max(...east.dx), 8);
    assert.equal(Math.min(...east.dx), -6);
  });

  test('the ship arrow and the stopped square keep their marker sizes', () => {
    const arrowOutline = arrow(0, 1);
    assert.ok(Math.abs(area(rasterise(arrow, 0, 1)) - polygonArea(arrowOutline)) < 1);
    const square = rasterise(dot, 0, 1);
    assert.equal(Math.round(area(square)), 16);
  });

  test('sprites are made once per angle and pixel ratio', () => {
    const set = new SpriteSet(triangle(4));
    const first = set.at(0.01, 1);
    assert.equal(set.at(0.02, 1), first, 'the same 5° sprite');
    assert.notEqual(set.at(Math.PI, 1), first);
    const sharper = set.at(0.01, 2);
    assert.notEqual(sharper, first);
    assert.ok(area(sharper) > area(first) * 3.5, 'at ×2 it covers four times the device pixels');
  });

  test('colours are read from #rrggbb', () => {
    assert.deepEqual(rgb('#ff6b4a'), [255, 107, 74]);
    assert.deepEqual(rgb('#000000'), [0, 0, 0]);
  });
});

describe('the pixel layer symbols are stamped into', () => {
  const pixel = (layer: PixelLayer, x: number, y: number) => Array.from(layer.pixels.slice((y * layer.width + x) * 4, (y * layer.width + x) * 4 + 4));

  test('an opaque symbol over nothing is its colour; a translucent one keeps its alpha', () => {
    const layer = new PixelLayer(new Uint8ClampedArray(20 * 20 * 4), 20, 20);
    const square = rasterise(dot, 0, 1);
    layer.stamp(square, 5, 5, [255, 107, 74], 1);
    assert.deepEqual(pixel(layer, 5, 5), [255, 107, 74, 255]);
    assert.deepEqual(pixel(layer, 10, 10), [0, 0, 0, 0], 'untouched elsewhere');
    layer.stamp(square, 14, 14, [10, 20, 30], 0.45);
    assert.deepEqual(pixel(layer, 14, 14), [10, 20, 30, 115]);
  });

  test('source over: a translucent symbol over another mixes, the later one on top', () => {
    const layer = new PixelLayer(new Uint8ClampedArray(10 * 10 * 4), 10, 10);
    const square = rasterise(dot, 0, 1);
    layer.stamp(square, 5, 5, [0, 0, 255], 1);
    layer.stamp(square, 5, 5, [255, 0, 0], 0.5);
    const [r, g, b, a] = pixel(layer, 5, 5);
    assert.equal(a, 255, 'over an opaque pixel stays opaque');
    assert.ok(Math.abs(r! - 128) <= 1 && g === 0 && Math.abs(b! - 127) <= 1, `half red over blue: ${r}, ${g}, ${b}`);
    // Two half-opaque layers: 1 − (1 − 0.5)² = 0.75 opaque, the top colour weighted 0.5 / 0.75.
    layer.clear();
    layer.stamp(square, 5, 5, [0, 0, 255], 0.5);
    layer.stamp(square, 5, 5, [255, 0, 0], 0.5);
    const [r2, , b2, a2] = pixel(layer, 5, 5);
    assert.ok(Math.abs(a2! - 191) <= 1, `alpha ${a2}`);
    assert.ok(Math.abs(r2! - 170) <= 2 && Math.abs(b2! - 85) <= 2, `${r2}, ${b2}`);
  });

  test('a symbol at or over the edge is clipped, never wrapped onto the next row', () => {
    const layer = new PixelLayer(new Uint8ClampedArray(10 * 10 * 4), 10, 10);
    const big = rasterise(triangle(6), 0, 1);
    layer.stamp(big, 0, 5, [255, 255, 255], 1);
    layer.stamp(big, -50, -50, [255, 255, 255], 1);
    layer.stamp(big, 500, 9, [255, 255, 255], 1);
    // The left-edge symbol covers column 0, and nothing of it comes round on the right of the rows above.
    assert.equal(pixel(layer, 0, 6)[3], 255);
    for (let y = 0; y < 10; y++) assert.equal(pixel(layer, 9, y)[3], 0, `no wrap to the right edge at row ${y}`);
    // A right-edge symbol does not come round on the left of the rows below.
    layer.clear();
    layer.stamp(big, 9, 2, [255, 255, 255], 1);
    assert.equal(pixel(layer, 9, 4)[3], 255);
    for (let y = 0; y < 10; y++) assert.equal(pixel(layer, 0, y)[3], 0, `no wrap to the left edge at row ${y}`);
  });

  test('a frame clears and uploads only what the last one stamped and what it stamps', () => {
    const layer = new PixelLayer(new Uint8ClampedArray(40 * 30 * 4), 40, 30);
    const square = rasterise(dot, 0, 1);
    const reach = square.reach;
    const opaque = () => {
      const lit: number[] = [];
      for (let i = 3; i < layer.pixels.length; i += 4) if (layer.pixels[i] !== 0) lit.push((i - 3) / 4);
      return lit;
    };
    assert.equal(layer.changed(), null, 'a fresh layer has nothing to upload');
    layer.stamp(square, 10, 8, [255, 0, 0], 1);
    layer.stamp(square, 20, 12, [255, 0, 0], 1);
    assert.deepEqual(layer.changed(), { x: 10 - reach, y: 8 - reach, width: 10 + 2 * reach + 1, height: 4 + 2 * reach + 1 });
    const firstFrame = opaque();
    assert.ok(firstFrame.length > 0);
    // Next frame: one symbol moved away. Everything of the last frame is cleared; the upload covers both frames' boxes.
    layer.clear();
    assert.deepEqual(opaque(), [], 'cleared as if the whole buffer had been');
    layer.stamp(square, 35, 25, [255, 0, 0], 1);
    assert.deepEqual(layer.changed(), { x: 10 - reach, y: 8 - reach, width: 35 - 10 + 2 * reach + 1, height: 25 - 8 + 2 * reach + 1 });
    // Every lit pixel lies in the box uploaded.
    const box = layer.changed()!;
    for (const p of opaque()) {
      const x = p % 40;
      const y = Math.floor(p / 40);
      assert.ok(x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height, `pixel ${x},${y} outside the upload`);
    }
    // A frame with nothing stamped uploads the emptied box once, then nothing.
    layer.clear();
    assert.deepEqual(layer.changed(), { x: 35 - reach, y: 25 - reach, width: 2 * reach + 1, height: Math.min(30, 25 + reach + 1) - (25 - reach) });
    layer.clear();
    assert.equal(layer.changed(), null);
    // Stamps over the edge, or wholly off it, keep the box inside the buffer.
    layer.stamp(square, 0, 0, [255, 0, 0], 1);
    layer.stamp(square, -100, 500, [255, 0, 0], 1);
    assert.deepEqual(layer.changed(), { x: 0, y: 0, width: reach + 1, height: reach + 1 });
  });
});

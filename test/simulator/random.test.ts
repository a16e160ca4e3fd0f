import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Random } from '../../electron/simulator/model/random';

describe('seeded randomness', () => {
  test('the same seed gives the same stream; another seed another one', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 50 },
        (
          (random) => () =>
            random.nextUint32()
        )(new Random(seed)),
      );
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
  });

  test('forks are independent of how much the parent has drawn', () => {
    const a = new Random(99);
    const b = new Random(99);
    for (let i = 0; i < 1000; i++) b.next();
    assert.equal(a.fork('traffic').next(), b.fork('traffic').next());
    assert.notEqual(a.fork('traffic').next(), a.fork('units').next());
  });

  test('draws stay in their ranges and are roughly uniform', () => {
    const random = new Random(1);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const x = random.next();
      assert.ok(x >= 0 && x < 1);
      buckets[Math.floor(x * 10)]! += 1;
      const n = random.int(3, 5);
      assert.ok(n >= 3 && n <= 5 && Number.isInteger(n));
      const r = random.between([4, 8]);
      assert.ok(r >= 4 && r < 8);
    }
    for (const count of buckets) assert.ok(count > 1_700 && count < 2_300, `bucket ${count}`);
  });

  test('weighted picks follow the weights (high ×4, medium ×2, low ×1)', () => {
    const random = new Random(5);
    const items = ['high', 'medium', 'low'] as const;
    const weights = { high: 4, medium: 2, low: 1 };
    const counts = { high: 0, medium: 0, low: 0 };
    for (let i = 0; i < 70_000; i++) counts[random.weighted(items, (item) => weights[item])] += 1;
    assert.ok(Math.abs(counts.high / 40_000 - 1) < 0.05);
    assert.ok(Math.abs(counts.medium / 20_000 - 1) < 0.05);
    assert.ok(Math.abs(counts.low / 10_000 - 1) < 0.05);
  });

  test('exponential draws have the requested mean', () => {
    const random = new Random(11);
    let sum = 0;
    for (let i = 0; i < 50_000; i++) sum += random.exponential(900);
    assert.ok(Math.abs(sum / 50_000 / 900 - 1) < 0.03);
  });
});

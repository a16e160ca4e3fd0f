// Seeded randomness for the simulator: sfc32 (Chris Doty-Humphrey's Small
// Fast Counter), seeded through splitmix32. Same seed, same night — never
// Math.random. Each part of the model draws from its own stream (`fork`),
// so adding a draw in one part does not reshuffle the others.

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a of a label, to derive a stream's seed from its name. */
function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    const mix = splitmix32(seed);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    // Warm up: the first outputs of sfc32 are still close to the seed.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** An independent stream named `label`, derived from this generator's seed (not from its state). */
  fork(label: string): Random {
    return new Random((this.seed ^ hashLabel(label)) >>> 0);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform in a [min, max] pair, as scenario files write ranges. */
  between(pair: readonly [number, number]): number {
    return this.range(pair[0], pair[1]);
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One item, with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + Math.max(0, weight(item)), 0);
    if (!(total > 0)) throw new Error('weighted pick with no positive weight');
    let r = this.next() * total;
    for (const item of items) {
      r -= Math.max(0, weight(item));
      if (r < 0) return item;
    }
    return items[items.length - 1]!;
  }

  /** Exponentially distributed with the given mean (time between Poisson events). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Roughly normal (sum of uniforms), mean 0, standard deviation 1. */
  gaussian(): number {
    let sum = 0;
    for (let i = 0; i < 6; i++) sum += this.next();
    return (sum - 3) * Math.SQRT2;
  }
}

/** A seeded stream of numbers in [0, 1), for tests and benchmarks that need the same sequence every run. */
export function seededRandom(seed: number): () => number {
  const random = new Random(seed);
  return () => random.next();
}

/** A seeded pseudo-random source. The core never calls `Math.random`; callers pass one of these. */
export interface Prng {
  /** Next value, uniform in [0, 1). */
  next(): number;
  /** Integer in [0, bound). */
  int(bound: number): number;
}

/** mulberry32: tiny, fast, and good enough for desync and fault schedules. Same seed, same stream. */
export function createPrng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (bound) => Math.floor(next() * bound) };
}

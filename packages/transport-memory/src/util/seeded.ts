import { createPrng, type Prng } from "@vigil/core";

/**
 * Derives an independent sub-seed for one concern (network, faults, engines, ...) from the run seed.
 * Separate streams keep, for example, the fault schedule identical when a change elsewhere draws a
 * different number of network random values: a seed keeps meaning the same scenario.
 */
export function deriveSeed(seed: number, stream: string): number {
  // FNV-1a over the stream name, mixed with the seed by a murmur3 finaliser.
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < stream.length; i++) {
    h ^= stream.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A PRNG for one named concern of a run (see {@link deriveSeed}). */
export function streamPrng(seed: number, stream: string): Prng {
  return createPrng(deriveSeed(seed, stream));
}

const HEX = "0123456789abcdef";

/** 40 lower-case hex characters: the shape of a Redis run id and of a sentinel's myid. */
export function randomRunId(prng: Prng): string {
  let s = "";
  for (let i = 0; i < 40; i++) s += HEX[prng.int(16)];
  return s;
}

/** Uniform integer in [lo, hi] (both inclusive). */
export function between(prng: Prng, lo: number, hi: number): number {
  return lo + prng.int(hi - lo + 1);
}

/** True with probability `p`. */
export function chance(prng: Prng, p: number): boolean {
  return p > 0 && prng.next() < p;
}

/** One element, uniformly. The array must not be empty. */
export function pick<T>(prng: Prng, items: readonly T[]): T {
  return items[prng.int(items.length)]!;
}

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(prng: Prng, items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = prng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** Picks by weight; weights need not sum to 1. Returns the index. */
export function weightedIndex(prng: Prng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let x = prng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

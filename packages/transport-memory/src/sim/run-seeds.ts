import { Worker } from "node:worker_threads";
import { type RunSeedOptions, runSeed } from "./run-seed.js";
import { digest, type SeedDigest } from "./summary.js";

/** Seed options that can cross a worker boundary (no functions, no trace sink). */
export type PortableSeedOptions = Omit<RunSeedOptions, "trace" | "createEngine" | "cluster">;

/** Options of {@link runSeeds}. */
export interface RunSeedsOptions {
  readonly seeds: readonly number[];
  /** Worker threads; 1 runs everything on the calling thread. Default 1. */
  readonly jobs?: number;
  readonly seedOptions?: PortableSeedOptions;
  /** Called as each seed finishes (completion order, not seed order). */
  readonly onResult?: (d: SeedDigest) => void;
}

/** Messages between the pool and its workers. */
export type WorkerRequest = { readonly seed: number } | { readonly stop: true };

/**
 * Runs many seeds, on worker threads when `jobs` > 1 (seeds are handed out one at a time, so a slow
 * seed does not hold back a whole batch). Results come back sorted by seed; each seed's result is
 * the same whatever the number of jobs.
 */
export async function runSeeds(options: RunSeedsOptions): Promise<SeedDigest[]> {
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, options.seeds.length));
  const results: SeedDigest[] = [];
  if (jobs === 1) {
    for (const seed of options.seeds) {
      const d = digest(runSeed(seed, options.seedOptions));
      results.push(d);
      options.onResult?.(d);
    }
    return results;
  }
  const queue = [...options.seeds];
  const workerUrl = new URL("./worker.js", import.meta.url);
  await Promise.all(
    Array.from(
      { length: jobs },
      () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(workerUrl, { workerData: options.seedOptions ?? {} });
          const next = (): void => {
            const seed = queue.shift();
            w.postMessage(seed === undefined ? ({ stop: true } satisfies WorkerRequest) : ({ seed } satisfies WorkerRequest));
          };
          w.on("message", (d: SeedDigest) => {
            results.push(d);
            options.onResult?.(d);
            next();
          });
          w.on("error", reject);
          w.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`simulation worker exited with code ${code}`))));
          next();
        }),
    ),
  );
  return results.sort((a, b) => a.seed - b.seed);
}

// The daemon's young generation, kept at its start-up size. CommonJS (.cts), like daemon-bundle.cts,
// which calls it between compiling the start-up bundle and evaluating it: set before compiling, the
// flag would make V8 reject the bundle's code cache (made without it); set after evaluating, the
// evaluation may already have grown the young generation.
import v8 = require("node:v8");

/**
 * Keep V8's young generation at the size it has now, for the process's life (V8 reads the growth
 * factor at every resize). For the daemon only: a library must not change its host's heap.
 *
 * Why: V8 doubles the young generation whenever the bytes surviving scavenges add up to its size,
 * up to 2 × 16 MiB, and shrinks it only at a mark-compact while less than ~1 MB/s is allocated. A
 * sentinel watching 200 masters allocates ~1.5 MB/s and keeps every instance's last INFO for ten
 * seconds (a few KiB each, arriving together), so the young generation grew to its 32 MiB maximum
 * and stayed there: a third of the daemon's RSS. Fixed, what outlives it (those INFO replies) is
 * promoted and freed by the old generation's collections (docs/performance.md, "The young
 * generation, fixed").
 *
 * An operator who sets a semi-space flag (node's command line or `NODE_OPTIONS`) keeps V8's own
 * sizing with it: returns false and changes nothing.
 */
function fixYoungGeneration(execArgv: readonly string[] = process.execArgv, nodeOptions: string | undefined = process.env.NODE_OPTIONS): boolean {
  const mentions = (s: string) => s.includes("semi-space") || s.includes("semi_space");
  if (execArgv.some(mentions) || (nodeOptions !== undefined && mentions(nodeOptions))) return false;
  v8.setFlagsFromString("--semi-space-growth-factor=1");
  return true;
}

export = { fixYoungGeneration };

// Preloaded into a Vigil daemon by `bench/many-masters --live-heap` (node -r): after every
// mark-compact, the heap V8 reports in use, i.e. the live data plus what the mutator allocated
// since the collection ended. RSS at hundreds of masters is mostly old-space headroom between
// mark-compacts and moves by ±15 MB between runs of one build (1000 masters); this is the figure
// that shows a change in live data. Samples go to <tmpdir>/vigil-live-heap-<pid>.json every second.
const { PerformanceObserver, constants } = require("node:perf_hooks");
const { getHeapStatistics } = require("node:v8");
const { writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const file = join(tmpdir(), `vigil-live-heap-${process.pid}.json`);
/** [wall-clock ms, bytes in use] after each mark-compact. */
const samples = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) samples.push([Date.now(), getHeapStatistics().used_heap_size]);
}).observe({ entryTypes: ["gc"] });
setInterval(() => writeFileSync(file, JSON.stringify(samples)), 1000).unref();

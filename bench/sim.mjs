#!/usr/bin/env node
// bench/sim — throughput of the in-memory simulator (@vigil/transport-memory), on one core.
//
// Scenario "crash loop": 3 sentinels (real @vigil/core engines), 1 master, 2 replicas, simulated
// network and clock. Repeatedly: crash the current master, run virtual time until every sentinel
// reports a new master, it is a master and the other replica replicates from it (one failover),
// restart the old master and run until it has been turned into a synced replica. Reported: failovers
// per wall-clock second, virtual seconds simulated per wall second, scheduler events per second, and
// the median simulated failover time (virtual ms from the crash to all sentinels agreeing).
// Scenario "randomized seeds": `runSeed` with every checker attached (what `npm run sim` does),
// with crash-master faults only.
// Also: the engines' steady-state cost per master count (no faults), an upper bound of one engine's
// CPU per minute without any real I/O — to tell the engine's share of bench/scale's CPU.
//
// The simulator is single-threaded; the script re-executes itself under `taskset -c <cpu>` (if
// available) so the figure is one core's, whatever else runs.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { benchEnv, ROOT, runMain } from "./lib/procs.mjs";
import { fmt, heading, machineLine, median, parseFlags, say, table } from "./lib/report.mjs";
import { importPackage } from "./lib/snapshot.mjs";

const USAGE = `usage: node bench/sim.mjs [--seconds S] [--seeds N] [--writers] [--cpu C] [--scale-masters L] [--quick]
  --seconds S   wall-clock budget of the crash loop (default 20)
  --seeds N     randomized seeds to run (default 20)
  --writers     keep the simulated application writers running in the crash loop (default off)
  --cpu C       core to pin to with taskset (default 1; -1 = do not pin)
  --scale-masters L  engine steady-state cost at these master counts (default 10,50,200; "" = skip)
  --quick       5 s and 5 seeds
`;

const opts = parseFlags(process.argv.slice(2), { seconds: 20, seeds: 20, writers: false, cpu: 1, quick: false, scaleMasters: "10,50,200" }, USAGE);
if (opts.quick) {
  opts.seconds = Math.min(opts.seconds, 5);
  opts.seeds = Math.min(opts.seeds, 5);
  opts.scaleMasters = "10";
}

if (opts.cpu >= 0 && !benchEnv("BENCH_SIM_PINNED") && existsSync("/usr/bin/taskset")) {
  const r = spawnSync("/usr/bin/taskset", ["-c", String(opts.cpu), process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, BENCH_SIM_PINNED: String(opts.cpu) },
  });
  process.exit(r.status ?? 1);
}

function crashLoop() {
  const cluster = new SimCluster({ seed: 1, sentinels: 3, masters: 1, replicasPerMaster: 2, downAfterMs: 1000, failoverTimeoutMs: 10000 });
  const stats = new FailoverStats();
  cluster.observe(stats);
  cluster.start({ writers: opts.writers });
  const g = cluster.groups[0];
  const agreed = (notKey) => {
    const live = cluster.liveSentinels();
    const addrs = live.map((s) => s.engine.getMasterAddrByName(g.name));
    if (addrs.some((a) => !a || `${a.host}:${a.port}` === notKey)) return null;
    const key = `${addrs[0].host}:${addrs[0].port}`;
    if (addrs.some((a) => `${a.host}:${a.port}` !== key)) return null;
    const master = cluster.node(key);
    if (!master.alive || master.role !== "master") return null;
    const others = g.nodes.filter((n) => n !== master && n.alive);
    return others.every((n) => n.role === "slave" && n.masterAddr && `${n.masterAddr.host}:${n.masterAddr.port}` === key && n.masterLinkUp) ? master : null;
  };
  if (!cluster.runUntil(() => agreed(null) !== null, 30000)) throw new Error("the simulated deployment never settled");
  const events0 = cluster.scheduler.eventsRun ?? 0;
  const virtual0 = cluster.elapsed;
  const detect = [];
  let failovers = 0;
  let stuck = 0;
  const start = performance.now();
  while (performance.now() - start < opts.seconds * 1000) {
    const old = agreed(null);
    if (!old) throw new Error("no agreed master");
    const crashAt = cluster.now;
    cluster.crashRedis(old.key);
    let next = null;
    if (!cluster.runUntil(() => (next = agreed(old.key)) !== null, 120000)) {
      stuck++;
      break;
    }
    failovers++;
    detect.push(cluster.now - crashAt);
    cluster.restartRedis(old.key, true);
    // The old master comes back as a master; the sentinels must turn it into a replica of `next`.
    if (!cluster.runUntil(() => agreed(old.key) === next && old.role === "slave" && old.masterLinkUp, 60000)) {
      stuck++;
      break;
    }
    cluster.run(500);
  }
  const wall = (performance.now() - start) / 1000;
  const events = (cluster.scheduler.eventsRun ?? Number.NaN) - events0;
  return { failovers, wall, virtual: (cluster.elapsed - virtual0) / 1000, events, detect, stuck, promotions: stats.durations };
}

function seeds() {
  const start = performance.now();
  let failovers = 0;
  let virtual = 0;
  let events = 0;
  let violations = 0;
  for (let s = 1; s <= opts.seeds; s++) {
    const r = runSeed(s, { faultWeights: { "crash-master": 1 } });
    failovers += r.failoverMs.length;
    virtual += r.simulatedMs / 1000;
    events += r.events;
    violations += r.violations.length;
  }
  return { wall: (performance.now() - start) / 1000, failovers, virtual, events, violations };
}

/**
 * Steady-state cost of the engines alone: `masters` groups with one replica each, 3 sentinels, no
 * faults and no writers, 60 s of virtual time after a 20 s warm-up. Wall time / 3 is an upper bound
 * of one engine's CPU per minute (it includes the simulated network and Redis servers).
 */
function engineCost(masters, timing) {
  // 100 ms ticks for both profiles, as the daemon runs them (the fast profile adds its own wakes).
  const cluster = new SimCluster({ seed: 1, sentinels: 3, masters, replicasPerMaster: 1, timing, downAfterMs: 5000, writersPerMaster: 0, tickMs: 100 });
  cluster.start({ writers: false });
  cluster.run(20000);
  const t = performance.now();
  const e0 = cluster.scheduler.eventsRun;
  cluster.run(60000);
  const wall = (performance.now() - t) / 1000;
  return { masters, timing, wall, perSentinelMinute: wall / 3, events: cluster.scheduler.eventsRun - e0 };
}

// The simulator from this run's copy of the build (see lib/snapshot.mjs).
const { FailoverStats, runSeed, SimCluster } = await importPackage(ROOT, benchEnv, "transport-memory");

async function main() {
  heading("bench/sim");
  say(machineLine());
  say(`pinned to CPU ${benchEnv("BENCH_SIM_PINNED") ?? "(not pinned)"} · single thread`);
  // Warm up the JIT with a short loop, then measure.
  const budget = opts.seconds;
  opts.seconds = Math.min(2, budget);
  crashLoop();
  opts.seconds = budget;
  const loop = crashLoop();
  const sd = seeds();
  heading("simulator throughput (one core)");
  say(
    table(
      ["scenario", "wall s", "failovers", "failovers/s", "virtual s / wall s", "events/s", "median simulated failover ms"],
      [
        [
          `crash loop (3 sentinels, 1+2 nodes${opts.writers ? ", writers" : ""})`,
          fmt(loop.wall, 1),
          loop.failovers,
          fmt(loop.failovers / loop.wall, 1),
          fmt(loop.virtual / loop.wall, 1),
          fmt(loop.events / loop.wall),
          fmt(median(loop.detect)),
        ],
        [`runSeed × ${opts.seeds} (crash-master faults, all checkers)`, fmt(sd.wall, 1), sd.failovers, fmt(sd.failovers / sd.wall, 1), fmt(sd.virtual / sd.wall, 1), fmt(sd.events / sd.wall), ""],
      ],
    ),
  );
  const costs = [];
  for (const n of String(opts.scaleMasters).split(",").map(Number).filter((x) => x > 0)) {
    for (const timing of ["fast", "sentinel"]) costs.push(engineCost(n, timing));
  }
  if (costs.length) {
    heading("engine cost in the simulator (3 sentinels, N masters × 1 replica, 60 s virtual, one core)");
    say(
      table(
        ["masters", "timing", "wall s", "≤ CPU s per sentinel-minute", "events"],
        costs.map((c) => [c.masters, c.timing, fmt(c.wall, 2), fmt(c.perSentinelMinute, 2), c.events]),
      ),
    );
  }
  if (loop.stuck) say(`\n! the crash loop got stuck after ${loop.failovers} failovers`);
  if (sd.violations) say(`\n! ${sd.violations} invariant violation(s) in the randomized seeds (see npm run sim)`);
  return 0;
}

await runMain(main);

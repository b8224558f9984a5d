#!/usr/bin/env node
// bench/failover — time to fail over after `kill -9` of the master, Vigil vs redis-sentinel.
//
// 1 master, 2 replicas, 3 sentinels on 127.0.0.1; a fresh deployment per run; runs alternate between
// the daemons. Measured from the kill:
//   (a) every sentinel's GET-MASTER-ADDR-BY-NAME shows the new master (each polled every 10 ms on a
//       persistent connection),
//   (b) the new master accepts a write (SET on both replicas every 10 ms; READONLY until promoted),
//   (c) the other replica replicates from it (ROLE: slave of the new master, `connected`),
//   (d) the longest gap between successful writes of an ioredis client connected through the
//       sentinels, writing every 5 ms.
// With --crash-down-after MS, Vigil's sentinels run with `sentinel vigil-crash-down-after mymaster MS`
// (crash detection: the kill is confirmed by refused connections, not by down-after); redis-sentinel
// has no such rule and still waits for down-after. --cpu-hog keeps one busy process per core running
// for the whole bench (split votes under load).
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { startCluster, stopCluster } from "./lib/cluster.mjs";
import { connection, KIND_NAME, openConnection, runMain, sleep } from "./lib/procs.mjs";
import { fmt, heading, load, machineLine, median, parseFlags, ratio, say, table } from "./lib/report.mjs";

const USAGE = `usage: node bench/failover.mjs [--runs N] [--quick] [--down-after 1000,5000] [--kinds vigil,redis]
                               [--vigil-timing fast|sentinel] [--failover-timeout MS] [--json FILE] [--trace]
  --runs N          runs per daemon and down-after (default 5, alternating the daemons)
  --quick           2 runs per daemon, down-after 1000 only
  --down-after L    comma-separated down-after-milliseconds values (default 1000,5000)
  --kinds L         daemons to run (default vigil,redis)
  --failover-timeout MS  failover-timeout of every sentinel (default 10000: a split vote retries after 20 s)
  --vigil-timing T  Vigil's timing profile (default: the daemon's default, fast)
  --crash-down-after MS  Vigil only: vigil-crash-down-after of the master (default 0 = off)
  --cpu-hog         one busy-looping process per core for the whole bench
  --json FILE       also write every run's raw figures as JSON
  --trace           print every sentinel's events of each run, in ms from the kill
`;

const opts = parseFlags(process.argv.slice(2), { runs: 5, quick: false, downAfter: "1000,5000", kinds: "vigil,redis", vigilTiming: "", json: "", trace: false, failoverTimeout: 10000, crashDownAfter: 0, cpuHog: false }, USAGE);
if (opts.quick) {
  opts.runs = Math.min(opts.runs, 2);
  opts.downAfter = "1000";
}
/** Events whose first occurrence (any sentinel) splits (a) into phases. */
const PHASES = ["+sdown", "+odown", "+try-failover", "+elected-leader", "+selected-slave", "+promoted-slave", "+switch-master"];
const downAfters = String(opts.downAfter).split(",").map(Number);
const kinds = opts.kinds.split(",");

/** One run: start a deployment, kill -9 its master, measure (a)–(d); returns ms from the kill. */
async function oneRun(kind, downAfter) {
  const crash = kind === "vigil" && Number(opts.crashDownAfter) > 0 ? [`sentinel vigil-crash-down-after mymaster ${Number(opts.crashDownAfter)}`] : [];
  const c = await startCluster({ kind, downAfter, failoverTimeout: opts.failoverTimeout, vigilTiming: opts.vigilTiming || undefined, sentinelExtra: crash });
  const closers = [];
  try {
    const oldPort = c.master.port;
    let done = false;

    // (a) pollers: one persistent connection per sentinel, a request every 10 ms.
    const switched = c.sentinels.map(() => Number.NaN);
    const seen = c.sentinels.map(() => "");
    let t0 = Number.POSITIVE_INFINITY;
    const pollers = c.sentinels.map(async (s, i) => {
      const conn = connection(s.port);
      closers.push(() => conn.disconnect());
      while (!done) {
        const start = performance.now();
        try {
          const r = await conn.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster");
          const now = performance.now();
          const port = Array.isArray(r) ? Number(r[1]) : 0;
          seen[i] = Array.isArray(r) ? `${r[0]}:${r[1]}` : "nil";
          if (now > t0 && port !== 0 && port !== oldPort) {
            if (Number.isNaN(switched[i])) switched[i] = now - t0;
          } else if (port === oldPort) switched[i] = Number.NaN;
        } catch {
          // a sentinel that does not answer has not switched yet
        }
        await sleep(Math.max(0, 10 - (performance.now() - start)));
      }
    });

    // (b) and (c): both replicas, every 10 ms: SET (READONLY until promoted) and ROLE.
    let promotedPort = 0;
    let promotedAt = Number.NaN;
    let replicatingAt = Number.NaN;
    const probes = c.replicas.map(async (rep) => {
      const conn = connection(rep.port);
      closers.push(() => conn.disconnect());
      while (!done) {
        const start = performance.now();
        const [set, role] = await Promise.allSettled([conn.call("SET", "bench:probe", String(start)), conn.call("ROLE")]);
        const now = performance.now();
        if (now > t0) {
          if (set.status === "fulfilled" && promotedPort === 0) {
            promotedPort = rep.port;
            promotedAt = now - t0;
          }
          const r = role.status === "fulfilled" ? role.value : null;
          if (promotedPort !== 0 && rep.port !== promotedPort && Array.isArray(r) && r[0] === "slave" && Number(r[2]) === promotedPort && r[3] === "connected") {
            if (Number.isNaN(replicatingAt)) replicatingAt = now - t0;
          }
        }
        await sleep(Math.max(0, 10 - (performance.now() - start)));
      }
    });

    // (d) an application client through the sentinels, a write every 5 ms. Constant 20 ms reconnect
    // delay, so that the gap measures the sentinels rather than ioredis's growing backoff.
    const client = new Redis({
      sentinels: c.sentinelPorts.map((port) => ({ host: "127.0.0.1", port })),
      name: "mymaster",
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 20,
      sentinelRetryStrategy: () => 20,
      connectTimeout: 1000,
      commandTimeout: 1000,
    });
    client.on("error", () => {});
    closers.push(() => client.disconnect());
    const oks = [];
    let inflight = false;
    let seq = 0;
    const writer = setInterval(() => {
      if (inflight) return;
      inflight = true;
      client
        .set("bench:w", String(++seq))
        .then(
          () => oks.push(performance.now()),
          () => {},
        )
        .finally(() => (inflight = false));
    }, 5);
    closers.push(() => clearInterval(writer));

    // Every event of every sentinel, stamped in ms from the kill (printed with --trace): the number
    // of elections and of aborted ones tells a split vote from a slow failover.
    const events = [];
    let epoch = 0;
    let aborts = 0;
    /** First time any sentinel announced each phase. */
    const phases = {};
    for (const [i, s] of c.sentinels.entries()) {
      const sub = await openConnection(s.port);
      closers.push(() => sub.disconnect());
      sub.on("pmessage", (_p, ch, msg) => {
        if (ch === "__sentinel__:hello") return;
        if (ch === "+new-epoch") epoch = Math.max(epoch, Number(msg));
        if (ch.startsWith("-failover-abort")) aborts++;
        if (PHASES.includes(ch) && (ch !== "+sdown" || msg.startsWith("master ")) && !(ch in phases)) phases[ch] = performance.now() - t0;
        events.push(`${fmt(performance.now() - t0).padStart(6)} s${i + 1} ${ch} ${msg}`);
      });
      await sub.psubscribe("*");
    }

    // Steady state: the client writes, every sentinel answers the old master; then a random phase.
    const ready = performance.now();
    while (!(oks.length > 100 && oks.at(-1) > performance.now() - 50 && seen.every((a) => a.endsWith(`:${oldPort}`)))) {
      if (performance.now() - ready > 20000) throw new Error(`no steady state before the kill (writes ${oks.length}, sentinels say ${seen.join(" ")})`);
      await sleep(20);
    }
    await sleep(500 + Math.random() * 1000);

    t0 = performance.now();
    c.master.child.kill("SIGKILL");
    const deadline = t0 + downAfter + 60000;
    const firstOkAfter = () => oks.find((t) => t > t0);
    while (performance.now() < deadline) {
      if (switched.every((x) => !Number.isNaN(x)) && !Number.isNaN(promotedAt) && !Number.isNaN(replicatingAt) && firstOkAfter() !== undefined) break;
      await sleep(20);
    }
    await sleep(500);
    done = true;
    clearInterval(writer);
    await Promise.all([...pollers, ...probes]);

    const before = oks.filter((t) => t <= t0).at(-1) ?? t0;
    const after = oks.filter((t) => t > t0);
    let gap = Number.NaN;
    if (after.length > 0) {
      gap = after[0] - before;
      for (let i = 1; i < after.length; i++) gap = Math.max(gap, after[i] - after[i - 1]);
    }
    if (opts.trace) for (const e of events) say(`    ${e}`);
    const agreed = new Set(seen).size === 1 && seen[0].endsWith(`:${promotedPort}`);
    const r = {
      kind,
      downAfter,
      a: Math.max(...switched),
      b: promotedAt,
      c: replicatingAt,
      d: gap,
      firstWrite: after.length ? after[0] - t0 : Number.NaN,
      elections: epoch,
      phases,
      aborts,
      agreed,
      load: load(),
    };
    if (!agreed || [r.a, r.b, r.c, r.d].some(Number.isNaN)) {
      say(`  ! incomplete run (${kind}): sentinels say ${seen.join(" ")}, promoted :${promotedPort}`);
      for (const s of c.sentinels) say(`  --- ${kind} :${s.port} log tail ---\n${s.log().slice(-1500)}`);
    }
    return r;
  } finally {
    for (const f of closers) f();
    await stopCluster(c);
  }
}

/** One busy-looping node process per core (killed on exit): a loaded machine. */
function startCpuHogs() {
  const hogs = cpus().map(() => spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
  process.on("exit", () => hogs.forEach((h) => h.kill("SIGKILL")));
  return hogs;
}

async function main() {
  heading("bench/failover");
  const hogs = opts.cpuHog ? startCpuHogs() : [];
  say(machineLine());
  if (opts.crashDownAfter > 0) say(`Vigil: vigil-crash-down-after ${opts.crashDownAfter} ms (crash detection); redis-sentinel has no such rule`);
  if (hogs.length > 0) say(`CPU hog: ${hogs.length} busy-looping processes (one per core) run for the whole bench`);
  say(`runs=${opts.runs} per daemon · down-after ${downAfters.join(", ")} ms · daemons ${kinds.join(", ")}${opts.vigilTiming ? ` · vigil-timing ${opts.vigilTiming}` : ""}`);
  say("times in ms from kill -9 of the master: (a) all sentinels report the new master, (b) it accepts a write,");
  say("(c) the other replica replicates from it, (d) longest gap between the client's successful writes\n");
  const all = [];
  for (const da of downAfters) {
    for (let i = 0; i < opts.runs; i++) {
      for (const kind of kinds) {
        const r = await oneRun(kind, da);
        all.push(r);
        say(
          `down-after ${da} run ${i + 1} ${KIND_NAME[kind].padEnd(14)} a=${fmt(r.a)} b=${fmt(r.b)} c=${fmt(r.c)} d=${fmt(r.d)} (first write after ${fmt(r.firstWrite)}) epochs=${r.elections} aborts=${r.aborts} load ${r.load}`,
        );
      }
    }
  }

  for (const da of downAfters) {
    heading(`failover medians, down-after ${da} ms`);
    const rows = [];
    const med = {};
    for (const kind of kinds) {
      const rs = all.filter((r) => r.kind === kind && r.downAfter === da);
      const m = (k) => median(rs.map((r) => r[k]));
      med[kind] = { a: m("a"), b: m("b"), c: m("c"), d: m("d") };
      rows.push([KIND_NAME[kind], `${rs.length} (${rs.filter((r) => r.aborts > 0).length})`, fmt(m("a")), fmt(m("a") - da), fmt(m("b")), fmt(m("b") - da), fmt(m("c")), fmt(m("c") - da), fmt(m("d")), fmt(m("d") - da)]);
    }
    if (med.vigil && med.redis) {
      const q = (k, off = 0) => ratio(med.vigil[k] - off, med.redis[k] - off);
      rows.push(["Vigil/Sentinel", "", q("a"), q("a", da), q("b"), q("b", da), q("c"), q("c", da), q("d"), q("d", da)]);
    }
    say(table(["daemon", "runs (split votes)", "(a) all report", "(a)−DA", "(b) write ok", "(b)−DA", "(c) replica", "(c)−DA", "(d) max gap", "(d)−DA"], rows));
    heading(`where the time goes, down-after ${da} ms (median ms from the kill to the first sentinel announcing each event)`);
    const prow = [];
    for (const kind of kinds) {
      const rs = all.filter((r) => r.kind === kind && r.downAfter === da);
      prow.push([KIND_NAME[kind], ...PHASES.map((p) => fmt(median(rs.map((r) => r.phases[p] ?? Number.NaN)))), fmt(median(rs.map((r) => r.a)))]);
    }
    say(table(["daemon", ...PHASES, "(a)"], prow));
    if (med.vigil && opts.crashDownAfter > 0) {
      const vrs = all.filter((r) => r.kind === "vigil" && r.downAfter === da);
      say(`\ntarget (crash detection): (a) ≤ 300 ms total: ${fmt(med.vigil.a)} ms → ${med.vigil.a <= 300 ? "met" : "MISSED"}; runs with a split vote (an abort): ${vrs.filter((r) => r.aborts > 0).length} of ${vrs.length}`);
    } else if (med.vigil) {
      const va = med.vigil.a - da;
      const vd = med.vigil.d;
      say(`\ntargets: (a)−down-after ≤ 150 ms: ${fmt(va)} ms → ${va <= 150 ? "met" : "MISSED"}; (d) ≤ down-after + 300 = ${da + 300} ms: ${fmt(vd)} ms → ${vd <= da + 300 ? "met" : "MISSED"}`);
    }
  }
  for (const h of hogs) h.kill("SIGKILL");
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ date: new Date().toISOString(), runs: all }, null, 2));
  return 0;
}

await runMain(main);

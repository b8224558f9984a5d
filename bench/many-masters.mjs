#!/usr/bin/env node
// bench/many-masters — what one sentinel costs per monitored master, from 100 to thousands of masters,
// against fake Redis instances (bench/lib/fake-redis-farm.mjs: one Node process answers PING, INFO,
// CLIENT, SUBSCRIBE and PUBLISH for thousands of ports, every master with one replica, plus fake peer
// sentinels that publish hellos). The machine cannot run thousands of redis-servers; the farm costs a
// fraction of that, and the daemon under test does the same work as against real ones (links, PINGs,
// 4 KB INFO replies, hellos in and out, peers). For each size, each daemon kind in turn (alternating,
// fresh farm each time): discovery time (every master shows its replica and every peer), then over
// the window CPU seconds per minute (user/sys) from /proc, RSS (median and max of 1 s samples, and
// the peak VmHWM), +sdown/+tilt counts (should be 0), the farm's own CPU, and the load average.
// `--together` runs the kinds at once on one farm instead, each the others' real peer, over one window.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { cmd, freePorts, killAll, openConnection, profiling, removeDir, runMain, sentinelConf, sleep, spawnTracked, startSentinel, tempDir, waitFor } from "./lib/procs.mjs";
import { cpuSplit, fmt, heading, load, machineLine, median, parseFlags, ratio, say, table, vmMB } from "./lib/report.mjs";

const USAGE = `usage: node bench/many-masters.mjs [--masters 100,500,1000,2000,5000] [--seconds S] [--kinds vigil,redis] [--peers P] [--replicas 1|0] [--rounds R] [--quick]
  --masters L      sizes to measure (default 100,500,1000,2000,5000); a size whose file descriptors
                   (2 links per instance) exceed this process's hard limit is skipped with a note
  --seconds S      measurement window per run (default 60), after discovery and a 10 s settle
  --kinds L        daemons in turn, alternating (default vigil,redis)
  --peers P        fake peer sentinels announcing every master (default 2: a 3-sentinel deployment)
  --replicas N     1 (default) or 0 replicas per master
  --down-after MS  down-after-milliseconds of every master (default 10000)
  --rounds R       repetitions of each size and kind (default 1)
  --quick          sizes 100,500 and a 20 s window
  --rss-every S    also print the daemon's RSS (and load) every S seconds of the window (flatness)
  --live-heap      Vigil only: the heap in use after each mark-compact from discovery on (bench/lib/
                   live-heap.cjs, preloaded), the figure that moves with live data when RSS does not
  --together       every kind at once on one farm, over the same window (each has the others as
                   extra peers): the per-window ratio, which the machine's load moves least
  --engine-only    no daemon, no sockets: the real engine in a child process on a simulated clock, every
                   command answered at once (bench/lib/engine-only.mjs); CPU per simulated minute and
                   the live heap per size (the engine's own cost per master, independent of load)
`;

const opts = parseFlags(process.argv.slice(2), { masters: "100,500,1000,2000,5000", seconds: 60, kinds: "vigil,redis", peers: 2, replicas: 1, downAfter: 10000, rounds: 1, quick: false, together: false, engineOnly: false, rssEvery: 0, liveHeap: false }, USAGE);
if (opts.quick) {
  opts.masters = "100,500";
  opts.seconds = Math.min(opts.seconds, 20);
}
const sizes = String(opts.masters).split(",").map(Number);
const kinds = opts.kinds.split(",");
const LABEL = { vigil: "Vigil", redis: "redis-sentinel" };
/** Masters per farm process: 3 descriptors per instance (listener + 2 accepted links) stay under 20,000. */
const MASTERS_PER_FARM = 2000;

function hardFdLimit() {
  const m = /^Max open files\s+\d+\s+(\d+|unlimited)/m.exec(readFileSync("/proc/self/limits", "utf8"));
  return m?.[1] === "unlimited" ? Number.POSITIVE_INFINITY : Number(m?.[1] ?? Number.NaN);
}

/** Start the fake instances for `n` masters over as many farm processes as descriptors require. */
async function startFarms(n) {
  const farms = [];
  const count = Math.ceil(n / MASTERS_PER_FARM);
  for (let k = 0; k < count; k++) {
    const masters = Math.min(MASTERS_PER_FARM, n - k * MASTERS_PER_FARM);
    // Below the ephemeral range (32768+), where the other tests' freePort() ports come from.
    const firstPort = 10000 + k * 7000;
    const spec = { masters, firstPort, lastPort: firstPort + 7000, peers: k === 0 ? opts.peers : 0, replicas: opts.replicas, prefix: `m${k}-` };
    const p = spawnTracked(process.execPath, [join(import.meta.dirname, "lib", "fake-redis-farm.mjs"), JSON.stringify(spec)], { kind: "farm", port: firstPort });
    const ready = await new Promise((ok, fail) => {
      let out = "";
      p.child.stdout.on("data", (d) => {
        out += d;
        const nl = out.indexOf("\n");
        if (nl >= 0) ok(JSON.parse(out.slice(0, nl)));
      });
      p.child.once("exit", (c) => fail(new Error(`fake-redis-farm exited (${c}): ${p.log().slice(-2000)}`)));
    });
    farms.push({ proc: p, ...ready });
  }
  return { procs: farms.map((f) => f.proc), masters: farms.flatMap((f) => f.masters), peers: farms.flatMap((f) => f.peers) };
}

/** Every master reports its replica and `peers` other sentinels (SENTINEL MASTERS, flat field lists). */
async function discovered(port, n, peers) {
  const reply = await cmd(port, "SENTINEL", "MASTERS");
  if (!Array.isArray(reply) || reply.length !== n) return false;
  for (const flat of reply) {
    const f = {};
    for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]] = flat[i + 1];
    if (Number(f["num-slaves"]) !== opts.replicas || Number(f["num-other-sentinels"]) !== peers) return false;
  }
  return true;
}

/** One daemon of `kind` started on `farm`'s masters, subscribed to its +sdown / +tilt events. */
async function startOne(kind, farm) {
  const dir = tempDir("vigil-bench-many-");
  const [port] = await freePorts(1);
  const conf = sentinelConf(dir, port, farm.masters, { quorum: 2, downAfter: opts.downAfter, failoverTimeout: 180000 });
  const t0 = performance.now();
  // redis-sentinel rewrites its file (with fsync) for every discovered replica and peer, and a loaded
  // machine makes either daemon slow to accept while it connects thousands of links: wait long.
  const nodeArgs = opts.liveHeap && kind === "vigil" ? ["-r", join(import.meta.dirname, "lib", "live-heap.cjs")] : [];
  const s = await startSentinel(kind, conf, port, [], { readyTimeoutMs: 600000, nodeArgs });
  const startMs = performance.now() - t0;
  const counts = { sdown: 0, tilt: 0 };
  const sub = await openConnection(port, { readyTimeoutMs: 300000, commandTimeout: 60000 });
  sub.on("message", (ch) => {
    if (ch === "+sdown") counts.sdown++;
    if (ch === "+tilt") counts.tilt++;
  });
  await sub.subscribe("+sdown", "+tilt");
  return { kind, s, sub, counts, dir, port, t0, startMs, nodeArgs };
}

/** Wait until `d` shows every master with its replica and `peers` other sentinels. */
async function awaitDiscovery(d, n, peers) {
  await waitFor(() => discovered(d.port, n, peers), 120000 + n * 60, 1000, `${d.kind} discovers ${n} masters`);
  d.discoveryS = (performance.now() - d.t0) / 1000;
  d.discoveredAt = Date.now();
}

/** After a 10 s settle, CPU (user/sys), RSS every second and the farm's CPU of every daemon in `ds`, over one window. */
async function measureWindow(ds, farm, n) {
  await sleep(10000);
  const c0 = ds.map((d) => cpuSplit(d.s.pid));
  const f0 = farm.procs.map((p) => cpuSplit(p.pid));
  const l0 = load();
  const rss = ds.map(() => []);
  const start = performance.now();
  while (performance.now() - start < opts.seconds * 1000) {
    await sleep(1000);
    ds.forEach((d, i) => rss[i].push(vmMB(d.s.pid, "VmRSS")));
    if (opts.rssEvery > 0 && rss[0].length % opts.rssEvery === 0) {
      for (const [i, d] of ds.entries()) say(`  ${LABEL[d.kind]} ${n} masters, ${rss[i].length} s: RSS ${fmt(rss[i].at(-1), 1)} MB, load ${load()}`);
    }
  }
  const minutes = (performance.now() - start) / 60000;
  const farmCpu = farm.procs.reduce((a, p, i) => a + cpuSplit(p.pid).user + cpuSplit(p.pid).sys - f0[i].user - f0[i].sys, 0) / minutes;
  const l1 = load();
  return ds.map((d, i) => {
    const c1 = cpuSplit(d.s.pid);
    const r = {
      kind: d.kind,
      n,
      startMs: d.startMs,
      discoveryS: d.discoveryS,
      user: (c1.user - c0[i].user) / minutes,
      sys: (c1.sys - c0[i].sys) / minutes,
      rssMedian: median(rss[i]),
      rssMax: Math.max(...rss[i]),
      hwm: vmMB(d.s.pid, "VmHWM"),
      live: d.nodeArgs.length > 0 ? liveHeap(d.s.pid, d.discoveredAt) : undefined,
      ...d.counts,
      farmCpu,
      load: `${l0} → ${l1}`,
    };
    r.cpu = r.user + r.sys;
    return r;
  });
}

async function stopOne(d) {
  d.sub.disconnect();
  // SIGTERM when profiling, so that the daemon writes its profile.
  await (profiling() && d.kind === "vigil" ? d.s.stop() : d.s.kill());
  removeDir(d.dir);
}

/** One daemon of `kind` alone on a fresh farm of `n` masters. */
async function run(kind, n) {
  const farm = await startFarms(n);
  const d = await startOne(kind, farm);
  await awaitDiscovery(d, n, opts.peers);
  const [r] = await measureWindow([d], farm, n);
  await stopOne(d);
  for (const p of farm.procs) await p.kill();
  return r;
}

/**
 * `--together`: every kind at once on one fresh farm, measured over the same window. Each daemon
 * also has the others as peers (the same extra work for each); what the machine's load does to one
 * window it does to all of them, so their ratio in that window is the figure that resists noise.
 */
async function runTogether(n) {
  const farm = await startFarms(n);
  const ds = [];
  for (const kind of kinds) ds.push(await startOne(kind, farm));
  for (const d of ds) await awaitDiscovery(d, n, opts.peers + kinds.length - 1);
  const rs = await measureWindow(ds, farm, n);
  for (const d of ds) await stopOne(d);
  for (const p of farm.procs) await p.kill();
  return rs;
}

function sayResult(r) {
  const live = r.live ? `, heap after ${r.live.count} mark-compacts min ${fmt(r.live.min, 1)} median ${fmt(r.live.median, 1)} MB` : "";
  say(`${LABEL[r.kind]} ${r.n} masters: ${fmt(r.cpu, 2)} CPU-s/min (user ${fmt(r.user, 2)}, sys ${fmt(r.sys, 2)}), RSS median ${fmt(r.rssMedian, 1)} MB max ${fmt(r.rssMax, 1)} peak ${fmt(r.hwm, 1)}${live}, discovery ${fmt(r.discoveryS, 1)} s, +sdown ${r.sdown} +tilt ${r.tilt}, farm ${fmt(r.farmCpu, 2)} CPU-s/min, load ${r.load}`);
}

/** `--live-heap`: MB in use after the mark-compacts since discovery (count, min, median), from live-heap.cjs. */
function liveHeap(pid, since) {
  const file = join(tmpdir(), `vigil-live-heap-${pid}.json`);
  let samples = [];
  try {
    samples = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    // never written: no mark-compact, or the daemon did not preload the file
  }
  rmSync(file, { force: true });
  const mb = samples.filter(([t]) => t >= since).map(([, bytes]) => bytes / 1048576);
  return { count: mb.length, min: mb.length ? Math.min(...mb) : Number.NaN, median: median(mb) };
}

/** `--engine-only`: each size in a fresh child process; CPU-ms per simulated minute, live heap. */
async function engineOnly() {
  heading("many-masters --engine-only: the engine alone, simulated clock, every command answered at once");
  say(machineLine());
  say(`simulated window ${opts.seconds} s after 20 s of discovery, peers ${opts.peers}, replicas ${opts.replicas}`);
  const rows = [];
  for (const n of sizes) {
    const l0 = load();
    const spec = JSON.stringify({ n, replicas: Number(opts.replicas), peers: Number(opts.peers), seconds: Number(opts.seconds) });
    const out = execFileSync(process.execPath, ["--expose-gc", join(import.meta.dirname, "lib", "engine-only.mjs"), spec], { encoding: "utf8", maxBuffer: 1 << 20 });
    const r = JSON.parse(out.trim().split("\n").pop());
    rows.push([n, r.discovered ? "yes" : "NO", fmt(r.cpuMsPerMin / 1000, 2), fmt(r.cpuMsPerMin / n, 2), fmt(r.heapMB, 1), fmt((r.heapMB * 1000) / n, 1), fmt(r.rssMB, 1), `${l0} → ${load()}`]);
    say(`${n} masters: ${fmt(r.cpuMsPerMin / 1000, 2)} CPU-s per simulated minute, live heap ${fmt(r.heapMB, 1)} MB, RSS ${fmt(r.rssMB, 1)} MB, discovered ${r.discovered}, load ${l0} → ${load()}`);
  }
  say(table(["masters", "discovered", "CPU-s/min", "CPU-ms/min per master", "live heap MB", "heap KB per master", "RSS MB", "load (1 min, start → end)"], rows));
  return 0;
}

async function main() {
  if (opts.engineOnly) return engineOnly();
  heading("many-masters: one sentinel, fake masters with one replica each, fake peers");
  say(machineLine());
  say(`window ${opts.seconds} s, peers ${opts.peers}, replicas ${opts.replicas}, down-after ${opts.downAfter} ms, kinds ${kinds.join(",")}`);
  const limit = hardFdLimit();
  const results = [];
  for (const n of sizes) {
    const fds = 2 * n * (1 + opts.replicas) + opts.peers + 64;
    if (fds > limit) {
      say(`\n${n} masters: skipped, the daemon needs ~${fds} file descriptors and the hard limit is ${limit}`);
      continue;
    }
    for (let round = 0; round < opts.rounds; round++) {
      if (opts.together) {
        let rs;
        try {
          rs = await runTogether(n);
        } catch (e) {
          say(`${n} masters, together: FAILED: ${String(e?.message ?? e).slice(0, 3000)}`);
          await killAll();
          continue;
        }
        results.push(...rs);
        for (const r of rs) sayResult(r);
        const [a, b] = rs;
        if (a && b) say(`  same window: ${LABEL[a.kind]}/${LABEL[b.kind]} CPU ${ratio(a.cpu, b.cpu)}`);
        continue;
      }
      for (const kind of round % 2 ? [...kinds].reverse() : kinds) {
        let r;
        try {
          r = await run(kind, n);
        } catch (e) {
          // One size failing (a daemon that cannot keep up, a loaded machine) must not lose the curve.
          say(`${LABEL[kind]} ${n} masters: FAILED: ${String(e?.message ?? e).slice(0, 3000)}`);
          await killAll();
          continue;
        }
        results.push(r);
        sayResult(r);
      }
    }
  }
  heading("per size (medians over rounds)");
  const rows = [];
  for (const n of sizes) {
    const by = (k) => results.filter((r) => r.n === n && r.kind === k);
    if (by(kinds[0]).length === 0) continue;
    for (const k of kinds) {
      const rs = by(k);
      const cpu = median(rs.map((r) => r.cpu));
      rows.push([
        n,
        LABEL[k] ?? k,
        fmt(cpu, 2),
        `${fmt(median(rs.map((r) => r.user)), 2)} / ${fmt(median(rs.map((r) => r.sys)), 2)}`,
        fmt((cpu * 1000) / n, 2),
        fmt(median(rs.map((r) => r.rssMedian)), 1),
        fmt(median(rs.map((r) => r.hwm)), 1),
        fmt(((median(rs.map((r) => r.rssMedian)) - 0) * 1024) / n, 1),
        fmt(median(rs.map((r) => r.discoveryS)), 1),
        rs.map((r) => `${r.sdown}/${r.tilt}`).join(" "),
        rs.map((r) => r.load).join("; "),
      ]);
    }
    const cpuOf = (k) => median(by(k).map((r) => r.cpu));
    const rssOf = (k) => median(by(k).map((r) => r.rssMedian));
    if (kinds.includes("vigil") && kinds.includes("redis")) rows.push([n, "Vigil/redis", ratio(cpuOf("vigil"), cpuOf("redis")), "", "", ratio(rssOf("vigil"), rssOf("redis")), "", "", "", "", ""]);
    if (opts.together && kinds.includes("vigil") && kinds.includes("redis")) {
      // Each round's daemons shared one window: the median of the rounds' ratios.
      const v = by("vigil");
      const r = by("redis");
      const perRound = v.map((x, i) => (r[i] ? x.cpu / r[i].cpu : Number.NaN)).filter((x) => !Number.isNaN(x));
      rows.push([n, "Vigil/redis, same window", `${fmt(median(perRound), 2)}×`, perRound.map((x) => fmt(x, 2)).join(" / "), "", "", "", "", "", "", ""]);
    }
  }
  say(table(["masters", "daemon", "CPU-s/min", "user / sys", "CPU-ms/min per master", "RSS MB (median)", "peak MB", "RSS KB per master", "discovery s", "+sdown/+tilt", "load (1 min, start → end)"], rows));
  return 0;
}

await runMain(main);

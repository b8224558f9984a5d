#!/usr/bin/env node
// bench/scale — many masters (each with one replica) watched by 3 sentinels of each kind in turn.
// Per sentinel process: steady-state CPU seconds per minute (utime+stime from /proc/<pid>/stat),
// peak RSS (VmHWM from /proc/<pid>/status), +sdown events during the window (there must be none);
// for Vigil also the event-loop lag p99 from prom-client's `nodejs_eventloop_lag_p99_seconds`
// (sentinel 1 only runs with `vigil-http`, scraped every 10 s; prom-client resets the histogram at
// each scrape, so each sample is the p99 of the last 10 s). For every sentinel of both kinds, the
// round-trip time of a PING sent every 100 ms on a persistent connection is a loop-lag proxy.
// The same redis-server processes serve every daemon kind; each kind gets fresh sentinel configs.
import { freemem } from "node:os";
import { performance } from "node:perf_hooks";
import { cmd, freePorts, linkStatus, openConnection, pairs, profiling, removeDir, runMain, sentinelConf, sleep, startRedis, startSentinel, tempDir, waitFor } from "./lib/procs.mjs";
import { cpuSeconds, cpuSplit, fmt, heading, load, machineLine, median, parseFlags, percentile, ratio, say, table, vmMB } from "./lib/report.mjs";

const USAGE = `usage: node bench/scale.mjs [--masters N] [--minutes M] [--down-after MS] [--kinds redis,vigil/sentinel,vigil] [--warmup S] [--http=false] [--discovery-timeout S] [--quick]
  --masters N      masters (each with one replica: 2N redis-server processes; default 200)
  --minutes M      measurement window per daemon kind (default 2)
  --down-after MS  down-after-milliseconds of every master (default 5000)
  --warmup S       seconds between full discovery and the window (default 15)
  --kinds L        daemons in turn: vigil (its default timing, fast), vigil/sentinel (vigil-timing
                   sentinel: Sentinel's periods), redis (redis-sentinel); default redis,vigil/sentinel,vigil
  --http=false     run no Vigil sentinel with vigil-http (default: the first one, for the event-loop lag;
                   its observer costs CPU, see docs/performance.md)
  --discovery-timeout S  give up on a daemon kind that has not discovered everything after S s (default 300)
  --quick          50 masters, 0.5 minute
`;

const opts = parseFlags(process.argv.slice(2), { masters: 200, minutes: 2, downAfter: 5000, kinds: "redis,vigil/sentinel,vigil", warmup: 15, quick: false, http: true, discoveryTimeout: 300 }, USAGE);
if (opts.quick) {
  opts.masters = Math.min(opts.masters, 50);
  opts.minutes = Math.min(opts.minutes, 0.5);
}

/** Run `fn` over `items` with at most `n` in flight. */
async function pool(items, n, fn) {
  const out = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) {
        const k = i++;
        out[k] = await fn(items[k], k);
      }
    }),
  );
  return out;
}

const LABEL = { vigil: "Vigil (fast)", "vigil/sentinel": "Vigil (sentinel timing)", redis: "redis-sentinel" };

async function watchSentinels(variant, masters) {
  const kind = variant.startsWith("vigil") ? "vigil" : "redis";
  const timing = variant.split("/")[1];
  const label = LABEL[variant] ?? variant;
  const n = opts.masters;
  const dir = tempDir("vigil-bench-scale-");
  const [httpPort, ...ports] = await freePorts(4);
  const confs = ports.map((p, i) =>
    sentinelConf(dir, p, masters, {
      downAfter: opts.downAfter,
      failoverTimeout: 180000,
      extra: [
        ...(kind === "vigil" && i === 0 && opts.http ? [`vigil-http 127.0.0.1:${httpPort}`] : []),
        ...(kind === "vigil" && timing ? [`vigil-timing ${timing}`] : []),
      ],
    }),
  );
  const t0 = performance.now();
  const sentinels = await Promise.all(ports.map((p, i) => startSentinel(kind, confs[i], p, [], { readyTimeoutMs: opts.discoveryTimeout * 1000 })));
  say(`${label}: 3 sentinels answer PING after ${fmt((performance.now() - t0) / 1000, 1)} s`);
  // Subscribe before discovery: every +sdown counts, the window's separately.
  const counts = sentinels.map(() => ({ sdown: 0, odown: 0, switchMaster: 0, tilt: 0, windowSdown: 0, windowOther: 0 }));
  let inWindow = false;
  const subs = [];
  for (const [i, s] of sentinels.entries()) {
    const sub = await openConnection(s.port, { readyTimeoutMs: opts.discoveryTimeout * 1000, commandTimeout: 60000 });
    sub.on("pmessage", (_p, ch) => {
      if (ch === "+sdown") {
        counts[i].sdown++;
        if (inWindow) counts[i].windowSdown++;
      } else if (ch === "+odown") counts[i].odown++;
      else if (ch === "+switch-master") counts[i].switchMaster++;
      else if (ch === "+tilt") counts[i].tilt++;
      if (inWindow && ch !== "+sdown") counts[i].windowOther++;
    });
    await sub.psubscribe("+sdown", "+odown", "+switch-master", "+tilt");
    subs.push(sub);
  }
  try {
    await waitFor(
      async () => {
        for (const s of sentinels) {
          const list = await cmd(s.port, "SENTINEL", "MASTERS");
          if (!Array.isArray(list) || list.length !== n) return false;
          for (const m of list.map(pairs)) if (m["num-slaves"] !== "1" || m["num-other-sentinels"] !== "2" || m.flags !== "master") return false;
        }
        return true;
      },
      opts.discoveryTimeout * 1000,
      500,
      `${label} sentinels discovered ${n} masters, their replicas and peers`,
    );
    const discoveredS = (performance.now() - t0) / 1000;
    say(`${label}: all 3 sentinels know ${n} masters, ${n} replicas and 2 peers each after ${fmt(discoveredS, 1)} s; warm-up ${opts.warmup} s`);
    await sleep(opts.warmup * 1000);

    // The window.
    const lagP99 = [];
    const lagMax = [];
    const scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${httpPort}/metrics`);
      const text = await res.text();
      const p99 = /^nodejs_eventloop_lag_p99_seconds\s+([0-9.e+-]+)/m.exec(text);
      const max = /^nodejs_eventloop_lag_max_seconds\s+([0-9.e+-]+)/m.exec(text);
      return { p99: p99 ? Number(p99[1]) * 1000 : Number.NaN, max: max ? Number(max[1]) * 1000 : Number.NaN };
    };
    const http = kind === "vigil" && opts.http;
    if (http) await scrape(); // resets the histogram: the first sample starts now
    // Loop-lag proxy for both kinds: PING round trips on a persistent connection, one every 100 ms.
    const rtts = sentinels.map(() => []);
    let sampling = true;
    const pingers = sentinels.map(async (s, i) => {
      const conn = await openConnection(s.port, { commandTimeout: 10000, readyTimeoutMs: 600000 });
      while (sampling) {
        const t = performance.now();
        try {
          await conn.ping();
          rtts[i].push(performance.now() - t);
        } catch {
          rtts[i].push(Number.POSITIVE_INFINITY);
        }
        await sleep(Math.max(0, 100 - (performance.now() - t)));
      }
      conn.disconnect();
    });
    const cpu0 = sentinels.map((s) => cpuSeconds(s.pid));
    const split0 = sentinels.map((s) => cpuSplit(s.pid));
    say(`window starts ${fmt((performance.now() - t0) / 1000, 1)} s after the sentinels were spawned (for profile-summary --skip)`);
    const w0 = performance.now();
    inWindow = true;
    const windowMs = opts.minutes * 60000;
    while (performance.now() - w0 < windowMs) {
      await sleep(Math.min(10000, windowMs - (performance.now() - w0)));
      if (http) {
        const s = await scrape().catch(() => ({ p99: Number.NaN, max: Number.NaN }));
        lagP99.push(s.p99);
        lagMax.push(s.max);
      }
    }
    inWindow = false;
    sampling = false;
    await Promise.all(pingers);
    const ping = rtts.map((r) => ({ p50: percentile(r, 50), p99: percentile(r, 99), max: Math.max(...r) }));
    const minutes = (performance.now() - w0) / 60000;
    const cpu = sentinels.map((s, i) => (cpuSeconds(s.pid) - cpu0[i]) / minutes);
    const sysShare = sentinels.map((s, i) => {
      const b = cpuSplit(s.pid);
      const user = b.user - split0[i].user;
      const sys = b.sys - split0[i].sys;
      return sys / (user + sys);
    });
    const hwm = sentinels.map((s) => vmMB(s.pid, "VmHWM"));
    const rss = sentinels.map((s) => vmMB(s.pid, "VmRSS"));
    const alive = sentinels.map((s) => s.alive());
    return { kind, variant, label, cpu, sysShare, ping, hwm, rss, counts, lagP99, lagMax, discoveredS, alive, load: load() };
  } finally {
    for (const s of subs) s.disconnect();
    await Promise.all(sentinels.map((s) => (s.kind === "vigil" && profiling() ? s.stop() : s.kill())));
    removeDir(dir);
  }
}

async function main() {
  heading("bench/scale");
  say(machineLine());
  const n = opts.masters;
  const needMB = 2 * n * 12 + 3 * 200 * 2;
  say(`${n} masters + ${n} replicas (redis-server processes), 3 sentinels per kind in turn, down-after ${opts.downAfter} ms, window ${opts.minutes} min`);
  if (freemem() / 2 ** 20 < needMB) throw new Error(`not enough free memory: about ${needMB} MB needed, ${fmt(freemem() / 2 ** 20)} MB free; use --masters`);
  const dir = tempDir("vigil-bench-scale-redis-");
  const ports = await freePorts(2 * n);
  const t0 = performance.now();
  const mastersP = await pool(ports.slice(0, n), 16, (p) => startRedis(p, { dir }));
  await pool(ports.slice(n), 16, (p, i) => startRedis(p, { dir, replicaOf: ports[i] }));
  await waitFor(async () => (await pool(ports.slice(n), 32, (p) => linkStatus(p))).every((s) => s === "up"), 120000, 500, "all replicas in sync");
  const redisMB = mastersP.reduce((a, p) => a + vmMB(p.pid, "VmRSS"), 0) * 2;
  say(`redis-servers up and in sync after ${fmt((performance.now() - t0) / 1000, 1)} s (≈ ${fmt(redisMB)} MB RSS in total); free memory ${fmt(freemem() / 2 ** 20)} MB`);
  const masters = ports.slice(0, n).map((port, i) => ({ name: `m${i}`, port }));

  const results = [];
  const failed = [];
  for (const variant of opts.kinds.split(",")) {
    try {
      results.push(await watchSentinels(variant, masters));
    } catch (e) {
      // One daemon kind that cannot cope must not cost the others' figures.
      say(`! ${LABEL[variant] ?? variant}: ${String(e?.message ?? e).split("\n")[0]}`);
      failed.push(`${LABEL[variant] ?? variant}: ${String(e?.message ?? e).split("\n")[0]}`);
    }
  }

  heading(`scale: ${n} masters × 1 replica, 3 sentinels, ${opts.minutes} min window`);
  const rows = [];
  for (const r of results) {
    for (let i = 0; i < 3; i++) {
      const c = r.counts[i];
      rows.push([
        r.label,
        `s${i + 1}${r.kind === "vigil" && i === 0 && opts.http ? " (http)" : ""}`,
        fmt(r.cpu[i], 2),
        `${fmt(100 * r.sysShare[i])}%`,
        fmt(r.hwm[i], 1),
        fmt(r.rss[i], 1),
        c.windowSdown,
        c.sdown,
        `${c.odown}/${c.switchMaster}/${c.tilt} (${c.windowOther} in window)`,
        `${fmt(r.ping[i].p50, 1)} / ${fmt(r.ping[i].p99, 1)} / ${fmt(r.ping[i].max)}`,
        r.kind === "vigil" && i === 0 && opts.http ? `${fmt(median(r.lagP99), 1)} / ${fmt(Math.max(...r.lagP99), 1)}` : "",
        r.alive[i] ? "" : "DIED",
      ]);
    }
  }
  say(table(["daemon", "sentinel", "CPU s/min", "of which sys", "peak RSS MB", "RSS MB", "+sdown in window", "+sdown total", "+odown/+switch-master/+tilt total", "PING RTT ms p50/p99/max", "loop lag p99 ms (median/max of 10 s)", ""], rows));
  const s = results.find((r) => r.kind === "redis");
  for (const v of results.filter((r) => r.kind === "vigil")) {
    say(`\n${v.label}: event-loop lag p99 per 10 s (s1, prom-client): ${v.lagP99.map((x) => fmt(x, 1)).join(" ")} ms; max lag per 10 s: ${v.lagMax.map((x) => fmt(x, 1)).join(" ")} ms`);
    if (!s) continue;
    const vc = median(v.cpu.slice(1));
    const sc = median(s.cpu);
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    say(`${v.label}/Sentinel CPU (median of s2, s3 — without http): ${ratio(vc, sc)}; mean of all 3 (http s1 included): ${ratio(mean(v.cpu), mean(s.cpu))}; peak RSS max ${fmt(Math.max(...v.hwm), 1)} MB vs ${fmt(Math.max(...s.hwm), 1)} MB`);
    const sd = v.counts.reduce((a, c) => a + c.windowSdown, 0);
    say(`targets: CPU ≤ 1.0× → ${vc <= sc ? "met" : "MISSED"}; RSS ≤ 150 MB → ${Math.max(...v.hwm) <= 150 ? "met" : "MISSED"}; zero false +sdown → ${sd === 0 ? "met" : `MISSED (${sd})`}; lag p99 (max of the 10 s samples) ${fmt(Math.max(...v.lagP99), 1)} ms`);
  }
  for (const f of failed) say(`FAILED ${f}`);
  say(`(load at the end of each window: ${results.map((r) => `${r.label} ${r.load}`).join("; ")})`);
  return 0;
}

await runMain(main);

#!/usr/bin/env node
// bench/api — redis-benchmark against each daemon's API: SENTINEL GET-MASTER-ADDR-BY-NAME,
// SENTINEL MASTER and PING (PING_INLINE, PING_MBULK), 50 clients, without and with -P 16.
// Each daemon watches 1 master with 2 replicas, with 2 peer sentinels of its kind (a real
// deployment, so SENTINEL MASTER has its full content); only one deployment runs at a time, and
// the daemons alternate round by round. Each deployment first gets a discarded warm-up run of every
// command (N/10 requests). Reported: requests/s (median over rounds) and ratios.
import { spawn } from "node:child_process";
import { startCluster, stopCluster } from "./lib/cluster.mjs";
import { KIND_NAME, requireBinary, runMain } from "./lib/procs.mjs";
import { fmt, heading, load, machineLine, median, parseFlags, ratio, say, table } from "./lib/report.mjs";

const USAGE = `usage: node bench/api.mjs [--requests N] [--rounds R] [--clients C] [--kinds vigil,redis] [--quick]
  --requests N   requests per redis-benchmark run (default 200000; pipelined runs use 5 × N)
  --rounds R     rounds per daemon, alternating (default 3)
  --clients C    parallel connections (default 50)
  --quick        1 round of 50000 requests
`;

const opts = parseFlags(process.argv.slice(2), { requests: 200000, rounds: 3, clients: 50, kinds: "vigil,redis", quick: false }, USAGE);
if (opts.quick) {
  opts.rounds = 1;
  opts.requests = 50000;
}

const TESTS = [
  { name: "GET-MASTER-ADDR-BY-NAME", args: ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"] },
  { name: "SENTINEL MASTER", args: ["SENTINEL", "MASTER", "mymaster"] },
  { name: "PING", args: ["-t", "ping_inline,ping_mbulk"] },
];

/** Run redis-benchmark; returns `{ test name: { rps, p99 } }` (requests/s, p99 latency in ms) from its CSV output. */
function benchmark(port, args, pipeline, requests = pipeline > 1 ? opts.requests * 5 : opts.requests) {
  const n = requests;
  const argv = ["-h", "127.0.0.1", "-p", String(port), "-c", String(opts.clients), "-n", String(n), "-P", String(pipeline), "--csv", ...args];
  return new Promise((ok, fail) => {
    const child = spawn(requireBinary("redis-benchmark"), argv, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const t = setTimeout(() => child.kill("SIGKILL"), 300000);
    child.once("exit", (code) => {
      clearTimeout(t);
      const res = {};
      for (const line of out.split("\n")) {
        // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms",...
        const f = line.split(",").map((x) => x.replace(/"/g, ""));
        if (f.length >= 7 && /^[0-9.]+$/.test(f[1])) res[f[0]] = { rps: Number(f[1]), p99: Number(f[6]) };
      }
      if (Object.keys(res).length === 0) fail(new Error(`redis-benchmark ${argv.join(" ")} exited ${code}: ${err || out}`));
      else ok(res);
    });
  });
}

async function main() {
  heading("bench/api");
  say(machineLine());
  say(`redis-benchmark -c ${opts.clients} -n ${opts.requests} (with -P 16: -n ${opts.requests * 5}) · ${opts.rounds} round(s) per daemon, alternating`);
  const kinds = opts.kinds.split(",");
  /** results[kind][label] = [rps per round]; p99s[kind][label] = [p99 ms per round] */
  const results = {};
  const p99s = {};
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) {
      const c = await startCluster({ kind });
      try {
        const port = c.sentinels[0].port;
        // Warm-up (discarded): lets V8 optimise the daemon's hot paths; costs redis-sentinel nothing.
        for (const t of TESTS) await benchmark(port, t.args, 1, Math.max(10000, opts.requests / 10));
        for (const pipeline of [1, 16]) {
          for (const t of TESTS) {
            const res = await benchmark(port, t.args, pipeline);
            for (const [name, { rps, p99 }] of Object.entries(res)) {
              const label = `${t.name === "PING" ? name : t.name}${pipeline > 1 ? " -P 16" : ""}`;
              results[kind] ??= {};
              p99s[kind] ??= {};
              (results[kind][label] ??= []).push(rps);
              (p99s[kind][label] ??= []).push(p99);
              say(`round ${round + 1} ${KIND_NAME[kind].padEnd(14)} ${label.padEnd(34)} ${fmt(rps).padStart(9)} req/s, p99 ${p99} ms (load ${load()})`);
            }
          }
        }
      } finally {
        await stopCluster(c);
      }
    }
  }
  heading("API throughput (requests/s, median over rounds)");
  const labels = Object.keys(results[kinds[0]] ?? {});
  const rows = [];
  let missed = 0;
  for (const label of labels) {
    const v = median(results.vigil?.[label] ?? []);
    const s = median(results.redis?.[label] ?? []);
    if (Number.isFinite(v) && Number.isFinite(s) && v < s) missed++;
    rows.push([label, fmt(v), fmt(s), ratio(v, s), (results.vigil?.[label] ?? []).map((x) => fmt(x)).join(" "), (results.redis?.[label] ?? []).map((x) => fmt(x)).join(" ")]);
  }
  say(table(["command", "Vigil", "redis-sentinel", "Vigil/Sentinel", "Vigil raw", "Sentinel raw"], rows));
  if (results.vigil && results.redis) say(`\ntarget: ≥ 1.0× for every command and mode → ${missed === 0 ? "met" : `MISSED for ${missed} of ${labels.length}`}`);
  heading("p99 latency (ms, median over rounds)");
  const latencyRows = [];
  let slow = 0;
  for (const label of labels) {
    const v = median(p99s.vigil?.[label] ?? []);
    const s = median(p99s.redis?.[label] ?? []);
    if (Number.isFinite(v) && Number.isFinite(s) && v > 1.2 * s) slow++;
    latencyRows.push([label, String(v), String(s), ratio(v, s), (p99s.vigil?.[label] ?? []).join(" "), (p99s.redis?.[label] ?? []).join(" ")]);
  }
  say(table(["command", "Vigil", "redis-sentinel", "Vigil/Sentinel", "Vigil raw", "Sentinel raw"], latencyRows));
  if (p99s.vigil && p99s.redis) say(`\ntarget: p99 ≤ 1.2× → ${slow === 0 ? "met" : `MISSED for ${slow} of ${labels.length}`}`);
  return 0;
}

await runMain(main);

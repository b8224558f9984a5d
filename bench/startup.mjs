#!/usr/bin/env node
// bench/startup — start-up and the idle footprint with one monitored master, Vigil next to
// redis-sentinel (and bare Node answering PING, Node's own floor), alternating in every round.
// Start-up: from spawn to the first +PONG on a fresh connection (a connect + PING every 2 ms), the
// daemon's CPU time when it answered (utime+stime, less load-sensitive than wall time) and its RSS.
// Idle (after start-up, with --idle-seconds > 0): CPU seconds per minute and RSS over the window,
// plus the private (anonymous) part of RSS from /proc/<pid>/smaps_rollup: a Node process's RSS
// includes ~40 MB of /usr/bin/node pages shared with every other Node process.
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { performance } from "node:perf_hooks";
import { freePorts, requireBinary, runMain, sentinelConf, sleep, spawnTracked, startRedis, tempDir, vigilBin } from "./lib/procs.mjs";
import { cpuSeconds, fmt, heading, load, machineLine, median, parseFlags, ratio, say, table, vmMB } from "./lib/report.mjs";

const USAGE = `usage: node bench/startup.mjs [--rounds N] [--idle-seconds S] [--kinds vigil,vigil-modules,redis,node] [--before BIN] [--quick]
  --rounds N        start-up rounds, each starting every kind once in alternating order (default 15)
  --idle-seconds S  after the start-up rounds, one idle window per kind, S seconds each, run side by
                    side (default 60; 0 skips it)
  --kinds L         vigil (dist/bin.cjs: the start-up bundle when current), vigil-modules (the same
                    with VIGIL_NO_BUNDLE=1: dist/ module by module), redis (redis-sentinel), node (bare
                    Node answering +PONG); default vigil,vigil-modules,redis,node
  --before BIN      also start this older build's bin.cjs or bin.js (kind "before"), e.g. from \`git archive\`
  --quick           5 rounds, 20 s idle
`;
const opts = parseFlags(process.argv.slice(2), { rounds: 15, idleSeconds: 60, kinds: "vigil,vigil-modules,redis,node", before: "", quick: false }, USAGE);
if (opts.quick) {
  opts.rounds = Math.min(opts.rounds, 5);
  opts.idleSeconds = Math.min(opts.idleSeconds, 20);
}
const kinds = [...opts.kinds.split(","), ...(opts.before ? ["before"] : [])];
const LABEL = {
  vigil: "Vigil",
  "vigil-modules": "Vigil, module by module (VIGIL_NO_BUNDLE=1)",
  before: `Vigil before (${opts.before})`,
  redis: "redis-sentinel",
  node: "bare Node (net server answering +PONG)",
};
const BARE = (port) => `require("node:net").createServer((s) => s.on("data", () => s.write("+PONG\\r\\n"))).listen(${port}, "127.0.0.1")`;

/** One connect + PING; true when the reply is +PONG. */
function pingOnce(port) {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.on("error", () => done(false));
    s.on("connect", () => s.write("PING\r\n"));
    s.on("data", (d) => done(d.toString("latin1").startsWith("+PONG")));
  });
}

/** `Anonymous:` of smaps_rollup in MB: the process's own memory, without shared file pages. */
function privateMB(pid) {
  try {
    const m = /^Anonymous:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function spawnKind(kind, conf, port) {
  if (kind === "redis") return spawnTracked(requireBinary("redis-sentinel"), [conf], { kind, port });
  if (kind === "node") return spawnTracked(process.execPath, ["-e", BARE(port)], { kind, port });
  if (kind === "before") return spawnTracked(process.execPath, [opts.before, conf], { kind, port });
  if (kind === "vigil-modules") return spawnTracked(process.execPath, [vigilBin(), conf], { kind, port }, { ...process.env, VIGIL_NO_BUNDLE: "1" });
  return spawnTracked(process.execPath, [vigilBin(), conf], { kind, port });
}

async function startOnce(kind, dir, masterPort) {
  const [port] = await freePorts(1);
  const conf = sentinelConf(dir, port, [{ name: "m", port: masterPort }], { quorum: 1 });
  const t0 = performance.now();
  const p = spawnKind(kind, conf, port);
  while (!(await pingOnce(port))) {
    if (!p.alive()) throw new Error(`${kind} exited before answering: ${p.log().slice(-2000)}`);
    if (performance.now() - t0 > 30000) throw new Error(`${kind} did not answer PING within 30 s`);
    await sleep(2);
  }
  const ms = performance.now() - t0;
  const cpuMs = cpuSeconds(p.pid) * 1000;
  const rss = vmMB(p.pid, "VmRSS");
  return { p, port, ms, cpuMs, rss };
}

async function main() {
  heading("start-up: spawn → first PONG, one monitored master");
  say(machineLine());
  const dir = tempDir("vigil-bench-startup-");
  const [masterPort] = await freePorts(1);
  await startRedis(masterPort, { dir });
  const runs = [];
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 ? [...kinds].reverse() : kinds;
    for (const kind of order) {
      const l = load();
      const r = await startOnce(kind, dir, masterPort);
      await r.p.kill();
      runs.push({ kind, ms: r.ms, cpuMs: r.cpuMs, rss: r.rss, load: l });
    }
  }
  const rows = kinds.map((k) => {
    const rs = runs.filter((r) => r.kind === k);
    return [LABEL[k], fmt(median(rs.map((r) => r.ms)), 1), fmt(Math.min(...rs.map((r) => r.ms)), 1), fmt(median(rs.map((r) => r.cpuMs)), 0), fmt(median(rs.map((r) => r.rss)), 1), `${rs[0].load} … ${rs.at(-1).load}`];
  });
  const med = (k, f) => median(runs.filter((r) => r.kind === k).map(f));
  if (kinds.includes("vigil") && kinds.includes("redis")) rows.push(["Vigil/redis-sentinel", ratio(med("vigil", (r) => r.ms), med("redis", (r) => r.ms)), "", "", "", ""]);
  if (kinds.includes("vigil") && kinds.includes("node")) rows.push(["Vigil − bare Node", fmt(med("vigil", (r) => r.ms) - med("node", (r) => r.ms), 1), "", fmt(med("vigil", (r) => r.cpuMs) - med("node", (r) => r.cpuMs), 0), "", ""]);
  say(table(["daemon", "to PONG ms (median)", "min ms", "CPU ms at PONG", "RSS MB at PONG", "load (1/5/15 min) first … last"], rows));
  say("\nraw (ms to PONG / CPU ms): ");
  for (const k of kinds) say(`${k}: ${runs.filter((r) => r.kind === k).map((r) => `${fmt(r.ms, 0)}/${fmt(r.cpuMs, 0)}`).join(" ")}`);

  if (opts.idleSeconds <= 0) return 0;
  heading(`idle: one master, ${opts.idleSeconds} s window after a 10 s settle, every kind side by side`);
  const idle = await Promise.all(kinds.map((k) => startOnce(k, dir, masterPort)));
  await sleep(10000);
  const l0 = load();
  const c0 = idle.map((r) => cpuSeconds(r.p.pid));
  const samples = idle.map(() => []);
  const start = performance.now();
  while (performance.now() - start < opts.idleSeconds * 1000) {
    await sleep(1000);
    idle.forEach((r, i) => samples[i].push(vmMB(r.p.pid, "VmRSS")));
  }
  const minutes = (performance.now() - start) / 60000;
  const cpu = idle.map((r, i) => (cpuSeconds(r.p.pid) - c0[i]) / minutes);
  const idleRows = idle.map((r, i) => [LABEL[kinds[i]], fmt(cpu[i], 3), fmt((cpu[i] / 60) * 100, 2), fmt(median(samples[i]), 1), fmt(vmMB(r.p.pid, "VmHWM"), 1), fmt(privateMB(r.p.pid), 1)]);
  const vi = kinds.indexOf("vigil");
  const ri = kinds.indexOf("redis");
  if (vi >= 0 && ri >= 0) idleRows.push(["Vigil/redis-sentinel", ratio(cpu[vi], cpu[ri]), "", ratio(median(samples[vi]), median(samples[ri])), "", ""]);
  say(table(["daemon", "CPU-s/min", "CPU %", "RSS MB (median)", "peak RSS MB", "private (anon) MB"], idleRows));
  say(`load ${l0} → ${load()}`);
  return 0;
}

await runMain(main);

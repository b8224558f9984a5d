#!/usr/bin/env node
// bench/false-positives — no daemon may fail over a master that is only slow.
//
// Phase "pause": the master is SIGSTOPped for 70% of down-after, then SIGCONTed, 10 times.
// Phase "latency": the sentinels and the replicas reach the master through a loopback TCP proxy that
// injects 10 latency spikes (extra round-trip time 20–45% of down-after, each lasting 0.5–2 ×
// down-after; the same seeded schedule for every daemon).
// Phase "restart": SHUTDOWN NOSAVE of the master and an immediate restart (refused for a moment), N times.
// Phase "sleep": DEBUG SLEEP of 70% of down-after on the master, N times.
// Phase "loading": the master holds a dataset that takes a while to load; it is restarted (refused for a
// moment, then -LOADING while it loads) and DEBUG RELOADed (blocked while it reloads), N/2 times each.
// With --crash-down-after MS, Vigil runs with `sentinel vigil-crash-down-after mymaster MS`: none of
// these may take its crash path (redis-sentinel has no such rule).
// Counted per daemon: +sdown / +odown of the master, elections (+try-failover, highest epoch) and
// failovers (+switch-master, and whether GET-MASTER-ADDR-BY-NAME still names the original master).
import { startCluster, stopCluster } from "./lib/cluster.mjs";
import { startLatencyProxy } from "./lib/latency-proxy.mjs";
import { cmd, KIND_NAME, openConnection, pairs, runMain, sleep, startRedis } from "./lib/procs.mjs";
import { fmt, heading, load, machineLine, parseFlags, say, table } from "./lib/report.mjs";

const USAGE = `usage: node bench/false-positives.mjs [--down-after MS] [--times N] [--pause-fraction F]
                                      [--spike-min F] [--spike-max F] [--kinds vigil,redis] [--phases pause,latency] [--seed S]
  --down-after MS      down-after-milliseconds (default 1000)
  --times N            pauses / spikes per phase (default 10)
  --pause-fraction F   SIGSTOP length as a fraction of down-after (default 0.7)
  --spike-min/max F    extra round-trip time of a spike as a fraction of down-after (default 0.2 / 0.45)
  --seed S             seed of the spike schedule (default 1)
  --phases L           pause,latency,restart,sleep,loading (default: all)
  --crash-down-after MS  Vigil only: vigil-crash-down-after of the master (default 0 = off)
  --keys N             keys in the "loading" phase's dataset (default 1000000, 100 bytes each)
`;

const opts = parseFlags(
  process.argv.slice(2),
  { downAfter: 1000, times: 10, pauseFraction: 0.7, spikeMin: 0.2, spikeMax: 0.45, kinds: "vigil,redis", phases: "pause,latency,restart,sleep,loading", seed: 1, quick: false, crashDownAfter: 0, keys: 1000000 },
  USAGE,
);
if (opts.quick) opts.times = Math.min(opts.times, 4);

/** mulberry32: the same spike schedule for every daemon. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function watchEvents(c) {
  const counts = { sdown: 0, crash: 0, odown: 0, tryFailover: 0, switchMaster: 0, epoch: 0, tilt: 0 };
  const subs = [];
  for (const s of c.sentinels) {
    const sub = await openConnection(s.port);
    sub.on("pmessage", (_p, ch, msg) => {
      const master = msg.startsWith("master ");
      if (ch === "+sdown" && master) counts.sdown++;
      else if (ch === "+crash-sdown" && master) counts.crash++;
      else if (ch === "+odown") counts.odown++;
      else if (ch === "+try-failover") counts.tryFailover++;
      else if (ch === "+switch-master") counts.switchMaster++;
      else if (ch === "+new-epoch") counts.epoch = Math.max(counts.epoch, Number(msg));
      else if (ch === "+tilt") counts.tilt++;
    });
    await sub.psubscribe("+*");
    subs.push(sub);
  }
  return { counts, close: () => subs.forEach((s) => s.disconnect()) };
}

async function finalState(c, expectedPort) {
  const addrs = await Promise.all(c.sentinels.map((s) => cmd(s.port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster").catch(() => null)));
  const epochs = await Promise.all(c.sentinels.map(async (s) => Number(pairs(await cmd(s.port, "SENTINEL", "MASTER", "mymaster"))["config-epoch"] ?? 0)));
  return { moved: addrs.some((a) => !Array.isArray(a) || Number(a[1]) !== expectedPort), configEpoch: Math.max(...epochs) };
}

/** A deployment for `kind`: Vigil gets the crash rule when asked for; the master accepts DEBUG. */
function deploy(kind, more = {}) {
  const crash = kind === "vigil" && opts.crashDownAfter > 0 ? [`sentinel vigil-crash-down-after mymaster ${opts.crashDownAfter}`] : [];
  return startCluster({ kind, downAfter: opts.downAfter, sentinelExtra: crash, masterExtra: ["enable-debug-command yes"], ...more });
}

/** SHUTDOWN NOSAVE the master and start it again at once on the same files; returns the refused time. */
async function restartMaster(c) {
  const t0 = Date.now();
  await cmd(c.master.port, "SHUTDOWN", "NOSAVE").catch(() => {});
  await c.master.exited();
  c.master = await startRedis(c.master.port, { dir: c.dir, extra: ["enable-debug-command yes"] });
  return Date.now() - t0;
}

/**
 * A fresh deployment of `kind`; `setup(c)` once, then `step(c, i)` `opts.times` times, 2 × down-after
 * (at least 2 s) apart; `what(notes)` describes the phase from the steps' returned notes.
 */
async function repeatOnMaster(kind, step, what, setup = async () => {}) {
  const c = await deploy(kind);
  const w = await watchEvents(c);
  const notes = [];
  try {
    await setup(c);
    for (let i = 0; i < opts.times; i++) {
      notes.push(await step(c, i));
      await sleep(Math.max(2000, 2 * opts.downAfter));
    }
    await sleep(1000);
    return { ...w.counts, ...(await finalState(c, c.master.port)), what: what(notes) };
  } finally {
    w.close();
    await stopCluster(c);
  }
}

const restartPhase = (kind) => repeatOnMaster(kind, restartMaster, (took) => `${opts.times} × SHUTDOWN + restart (down until PONG: ${took.join(" ")} ms)`);

function sleepPhase(kind) {
  const secs = ((opts.downAfter * opts.pauseFraction) / 1000).toFixed(3);
  return repeatOnMaster(
    kind,
    (c) => cmd(c.master.port, "DEBUG", "SLEEP", secs).catch(() => {}),
    () => `${opts.times} × DEBUG SLEEP ${secs} s`,
  );
}

function loadingPhase(kind) {
  const setup = async (c) => {
    await cmd(c.master.port, "DEBUG", "POPULATE", opts.keys, "k", 100).catch(() => {});
    await cmd(c.master.port, "SAVE").catch(() => {});
  };
  const step = async (c, i) => {
    const t0 = Date.now();
    if (i % 2 === 0) await restartMaster(c);
    else await cmd(c.master.port, "DEBUG", "RELOAD").catch(() => {});
    // Loaded: it answers PONG again (the restart already waited for that).
    for (let k = 0; k < 600; k++) {
      if ((await cmd(c.master.port, "PING").catch(() => null)) === "PONG") break;
      await sleep(50);
    }
    return `${i % 2 === 0 ? "restart" : "reload"} ${Date.now() - t0}`;
  };
  return repeatOnMaster(kind, step, (took) => `${opts.keys} keys: ${took.join(", ")} ms until PONG`, setup);
}

async function pausePhase(kind) {
  const da = opts.downAfter;
  const c = await deploy(kind);
  const w = await watchEvents(c);
  try {
    const pauseMs = Math.round(da * opts.pauseFraction);
    for (let i = 0; i < opts.times; i++) {
      c.master.child.kill("SIGSTOP");
      await sleep(pauseMs);
      c.master.child.kill("SIGCONT");
      await sleep(Math.max(2000, 2 * da));
    }
    await sleep(1000);
    return { ...w.counts, ...(await finalState(c, c.master.port)), what: `${opts.times} × SIGSTOP ${pauseMs} ms` };
  } finally {
    w.close();
    await stopCluster(c);
  }
}

async function latencyPhase(kind) {
  const da = opts.downAfter;
  let proxy;
  const c = await deploy(kind, {
    monitorPort: async (masterPort) => {
      proxy = await startLatencyProxy(masterPort);
      return proxy.port;
    },
  });
  const w = await watchEvents(c);
  const rnd = prng(opts.seed);
  const spikes = [];
  try {
    for (let i = 0; i < opts.times; i++) {
      const rtt = Math.round(da * (opts.spikeMin + (opts.spikeMax - opts.spikeMin) * rnd()));
      const lasts = Math.round(da * (0.5 + 1.5 * rnd()));
      const gap = Math.round(da * (1 + rnd()));
      spikes.push(`${rtt}/${lasts}`);
      proxy.setRtt(rtt);
      await sleep(lasts);
      proxy.setRtt(0);
      await sleep(Math.max(1500, gap));
    }
    await sleep(1000);
    return { ...w.counts, ...(await finalState(c, proxy.port)), what: `${opts.times} spikes (extra RTT/duration ms: ${spikes.join(" ")})` };
  } finally {
    w.close();
    await stopCluster(c);
    await proxy?.close();
  }
}

async function main() {
  heading("bench/false-positives");
  say(machineLine());
  say(`down-after ${opts.downAfter} ms · 1 master, 2 replicas, 3 sentinels per daemon · fresh deployment per phase`);
  if (opts.crashDownAfter > 0) say(`Vigil: vigil-crash-down-after ${opts.crashDownAfter} ms (crash detection on)`);
  const kinds = opts.kinds.split(",");
  const rows = [];
  const phases = { pause: pausePhase, latency: latencyPhase, restart: restartPhase, sleep: sleepPhase, loading: loadingPhase };
  let failovers = 0;
  for (const phase of opts.phases.split(",")) {
    for (const kind of kinds) {
      const r = await phases[phase](kind);
      say(`${phase} ${KIND_NAME[kind]}: ${r.what} → +sdown ${r.sdown} (crash path ${r.crash}), +odown ${r.odown}, +try-failover ${r.tryFailover}, +switch-master ${r.switchMaster}, config-epoch ${r.configEpoch} (load ${load()})`);
      const fo = r.switchMaster > 0 || r.moved || r.configEpoch > 0 ? Math.max(1, r.configEpoch) : 0;
      if (kind === "vigil") failovers += fo;
      rows.push([phase, KIND_NAME[kind], opts.times, r.sdown, r.crash, r.odown, r.tryFailover, r.epoch, r.switchMaster, r.configEpoch, r.moved ? "yes" : "no", fmt(fo)]);
    }
  }
  heading("false positives (events summed over the 3 sentinels)");
  say(table(["phase", "daemon", "times", "+sdown", "+crash-sdown", "+odown", "+try-failover", "max epoch", "+switch-master", "config-epoch", "master moved", "failovers"], rows));
  say(`\ntarget: zero Vigil failovers → ${failovers === 0 ? "met" : `MISSED (${failovers})`}`);
  return 0;
}

await runMain(main);

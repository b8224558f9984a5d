// The engine's own cost per monitored master, without sockets: the real SentinelEngine (built
// packages/core) driven in this process on a simulated clock, with every network command answered at
// once the way a healthy deployment answers it — PING → PONG, INFO → the 4.3 KB INFO text of
// fake-redis-info.txt with the replication section filled in, PUBLISH → ok, and the instance's hello
// subscribers get the message back (our own hello, as Redis relays it) — plus `peers` fake peer
// sentinels publishing a hello for every master on the master's and the replica's channel every 2 s.
// Ticks every 100 ms, as the daemon's runtime. Measured: CPU time of the process per simulated minute
// (the engine, the fake answers and the INFO texts) and the live heap after a full GC. Independent of load (CPU time, no wall-clock timing) and of
// descriptors, so it reaches sizes the farm cannot.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cpuUsage, memoryUsage } from "node:process";

const core = await import(join(import.meta.dirname, "..", "..", "packages", "core", "dist", "index.js"));
const TEMPLATE = readFileSync(join(import.meta.dirname, "fake-redis-info.txt"), "utf8").split("\n");
const CPU_AT = TEMPLATE.indexOf("# CPU");
const HOST = "127.0.0.1";
const hex = (n) => n.toString(16).padStart(40, "0").slice(-40);
const key = (a) => `${a.host}:${a.port}`;

function infoText(inst, offset) {
  const repl =
    inst.role === "master"
      ? ["# Replication", "role:master", ...(inst.replica ? ["connected_slaves:1", `slave0:ip=${HOST},port=${inst.replica.port},state=online,offset=${offset},lag=0`] : ["connected_slaves:0"])]
      : ["# Replication", "role:slave", `master_host:${HOST}`, `master_port:${inst.master.port}`, "master_link_status:up", "master_last_io_seconds_ago:0", "master_sync_in_progress:0", `slave_repl_offset:${offset}`, "slave_priority:100", "slave_read_only:1", "replica_announced:1", "connected_slaves:0"];
  repl.push(`master_repl_offset:${offset}`, "");
  return [...TEMPLATE.slice(0, CPU_AT), ...repl, ...TEMPLATE.slice(CPU_AT)].join("\r\n").replace("{RUN_ID}", inst.runId).replace("{PORT}", String(inst.port)).replace("{PID}", "1");
}

/**
 * Run `n` masters (with `replicas` 0 or 1 replica each) and `peers` peers for `settleS` simulated
 * seconds (discovery), then measure `seconds` simulated seconds. Returns figures per simulated minute.
 */
export function runEngineOnly({ n, replicas = 1, peers = 2, seconds = 60, settleS = 20 }) {
  const instances = new Map();
  const masters = [];
  for (let i = 0; i < n; i++) {
    const m = { role: "master", name: `m${i}`, port: 10000 + 2 * i, runId: hex(i + 1), subscribed: false };
    instances.set(key({ host: HOST, port: m.port }), m);
    if (replicas > 0) {
      m.replica = { role: "slave", port: m.port + 1, runId: hex(0x100000 + i), master: m, subscribed: false };
      instances.set(key({ host: HOST, port: m.replica.port }), m.replica);
    }
    masters.push(m);
  }
  const peerList = Array.from({ length: peers }, (_, i) => ({ port: 26001 + i, runId: hex(0xa0000 + i) }));
  let now = 1_000_000;
  const engine = new core.SentinelEngine({
    myId: hex(0x5e1f),
    now,
    prng: core.createPrng(1),
    masters: masters.map((m) => ({ settings: { name: m.name, host: HOST, port: m.port, quorum: 2, downAfterMs: 10000 } })),
  });
  const queue = [];
  const offset = () => 1000 + Math.floor(now / 10);
  const answer = (cmd) => {
    const inst = cmd.addr ? instances.get(key(cmd.addr)) : undefined;
    switch (cmd.kind) {
      case "connect":
        // Hellos are reported `via` the pub/sub link's connect address, as the daemon's link pool does.
        if (cmd.link === "pubsub" && inst) inst.subscribed = cmd.addr;
        return queue.push({ kind: "link-up", now, addr: cmd.addr, link: cmd.link, localHost: HOST });
      case "ping":
        return queue.push({ kind: "ping-reply", now, addr: cmd.addr, reply: "PONG" });
      case "info":
        return queue.push({ kind: "info-reply", now, addr: cmd.addr, text: inst ? infoText(inst, offset()) : null });
      case "publish-hello":
        queue.push({ kind: "publish-reply", now, addr: cmd.addr, ok: true });
        if (inst?.subscribed) queue.push({ kind: "hello", now, via: inst.subscribed, payload: cmd.payload });
        return;
      default:
        return; // persist, wake, fence reads: nothing to answer
    }
  };
  const drain = (out) => {
    for (const c of out.commands) answer(c);
    // Answers append to the queue while it is walked (no shift(): O(n) per input at thousands of links).
    for (let i = 0; i < queue.length; i++) for (const c of engine.step(queue[i]).commands) answer(c);
    queue.length = 0;
  };
  let slice = 0;
  const peerHellos = () => {
    // One tenth of the masters every 200 ms: each peer's 2 s hello period, not aligned.
    for (let i = slice; i < masters.length; i += 10) {
      const m = masters[i];
      for (const p of peerList) {
        const payload = core.encodeHello({ sentinelIp: HOST, sentinelPort: p.port, sentinelRunId: p.runId, currentEpoch: 0, masterName: m.name, masterIp: HOST, masterPort: m.port, masterConfigEpoch: 0 });
        for (const inst of m.replica ? [m, m.replica] : [m]) if (inst.subscribed) queue.push({ kind: "hello", now, via: inst.subscribed, payload });
      }
    }
    slice = (slice + 1) % 10;
  };
  const advance = (ms) => {
    for (let t = 0; t < ms; t += 100) {
      now += 100;
      if ((now / 100) % 2 === 0) peerHellos();
      drain(engine.step({ kind: "tick", now }));
    }
  };
  drain(engine.start(now));
  advance(settleS * 1000);
  const view = engine.view();
  const count = (x) => x.size ?? x.length;
  const discovered = view.masters.every((m) => count(m.replicas) === replicas && count(m.sentinels) === peers);
  const t0 = cpuUsage();
  advance(seconds * 1000);
  const used = cpuUsage(t0);
  // The live heap after a full GC (needs --expose-gc): what the engine's state costs per master.
  globalThis.gc?.();
  return { n, discovered, cpuMsPerMin: (used.user + used.system) / 1000 / (seconds / 60), heapMB: memoryUsage().heapUsed / 1e6, rssMB: memoryUsage().rss / 1e6 };
}

// As a child process (`node --expose-gc engine-only.mjs '<json spec>'`): one size on a fresh heap,
// the result as one JSON line.
if (process.argv[1] === import.meta.filename) process.stdout.write(`${JSON.stringify(runEngineOnly(JSON.parse(process.argv[2])))}\n`);

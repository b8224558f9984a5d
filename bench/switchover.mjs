#!/usr/bin/env node
// bench/switchover — planned role changes under writes: coordinated switchover vs plain failover.
//
// 1 master + 2 replicas (redis-server) + 3 sentinels, down-after 1000 ms. An ioredis client through
// the sentinels adds unique values to a set (one every ~2 ms, ≥ 200 acknowledged/s) and records the
// time of every acknowledgement. Then --rounds role changes in a row, for each kind:
//   - vigil-coordinated: `SENTINEL FAILOVER mymaster COORDINATED` on Vigil;
//   - vigil-plain:       `SENTINEL FAILOVER mymaster` on Vigil;
//   - sentinel-plain:    `SENTINEL FAILOVER mymaster` on redis-sentinel;
//   - vigil-lagging:     `SENTINEL FAILOVER mymaster COORDINATED TO <replica> TIMEOUT 1000` while that
//                        replica is frozen for 2.5 s (SIGSTOP, the effect of DEBUG SLEEP): the round
//                        completes when the leader aborts (#handover-timeout) and the master stays.
// A round completes when every sentinel names a new master and the client has acknowledged 50 writes
// and written for a second since. At the end every acknowledged value is read back from the agreed
// master: lost = acknowledged and missing. Write gap = the longest time between two acknowledgements
// within a round.
//
// Each round also records a timeline (ms after the SENTINEL FAILOVER that was accepted): the leader's
// +switchover-handover (hand-over started), the old master's master_failover_state leaving
// no-failover (its FAILOVER running), its role turning to slave and another node's to master (polled
// every 10 ms), the leader's
// +promoted-slave, the client's connection closing, each sentinel's +switch-master, the client's
// sentinel lookups (and the address each returned), its connection ready, and its first acknowledged
// write after that; plus the longest gap's start and end. Printed per round and as medians per kind.
//
// The ioredis client uses its defaults (retryStrategy, sentinelRetryStrategy, failoverDetector off)
// except maxRetriesPerRequest: 1, so a refused write is counted as not acknowledged.
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { startCluster, stopCluster } from "./lib/cluster.mjs";
import { cmd, connection, linkStatus, requireBinary, runMain, sleep } from "./lib/procs.mjs";
import { fmt, heading, load, machineLine, median, parseFlags, say, table } from "./lib/report.mjs";

const USAGE = `usage: node bench/switchover.mjs [--rounds N] [--blocks B] [--quick] [--kinds L] [--round-timeout MS]
  --rounds N          role changes per kind (default 20; --quick: 3)
  --blocks B          split each kind's rounds into B blocks, each on a fresh cluster, the kinds
                      taking turns block by block so they share the machine's load (default 4; --quick: 1)
  --kinds L           comma-separated among vigil-coordinated,vigil-plain,sentinel-plain,vigil-lagging (default: all)
  --round-timeout MS  a round not done by then counts as not completed (default 30000)
`;
const LAG_MS = 2500;
const LAG_TIMEOUT_MS = 1000;
const KINDS = {
  "vigil-coordinated": { kind: "vigil", label: "Vigil, SENTINEL FAILOVER COORDINATED", words: ["COORDINATED"] },
  "vigil-plain": { kind: "vigil", label: "Vigil, SENTINEL FAILOVER", words: [] },
  "sentinel-plain": { kind: "redis", label: "redis-sentinel 7.0, SENTINEL FAILOVER", words: [] },
  // Issue 16 "under load": the chosen replica is frozen (SIGSTOP, like DEBUG SLEEP) for LAG_MS, longer
  // than the hand-over's timeout: the switchover must wait, give up and leave the master in place.
  "vigil-lagging": { kind: "vigil", label: `Vigil, COORDINATED TO a replica frozen ${LAG_MS / 1000} s, TIMEOUT ${LAG_TIMEOUT_MS}`, words: ["COORDINATED"], lagging: true },
};
const opts = parseFlags(process.argv.slice(2), { rounds: 20, blocks: 4, quick: false, kinds: Object.keys(KINDS).join(","), roundTimeout: 30000 }, USAGE);
if (opts.quick) {
  opts.rounds = 3;
  opts.blocks = 1;
}

/** The writer: unique values, the acknowledgement time of each. */
function startWriter(sentinelPorts) {
  const r = new Redis({ sentinels: sentinelPorts.map((port) => ({ host: "127.0.0.1", port })), name: "mymaster", maxRetriesPerRequest: 1 });
  r.on("error", () => {});
  const acked = [];
  const ackAt = [];
  // Client-side timeline: connection closes/readies and sentinel lookups (time, resolved address).
  const marks = [];
  r.on("close", () => marks.push({ what: "close", at: performance.now() }));
  r.on("ready", () => marks.push({ what: "ready", at: performance.now() }));
  const resolveMaster = r.connector.resolveMaster.bind(r.connector);
  r.connector.resolveMaster = async (client) => {
    const at = performance.now();
    const res = await resolveMaster(client);
    marks.push({ what: "lookup", at, addr: res ? `${res.host}:${res.port}` : null });
    return res;
  };
  let stop = false;
  let n = 0;
  const done = (async () => {
    while (!stop) {
      const v = ++n;
      try {
        await r.sadd("sw", String(v));
        acked.push(v);
        ackAt.push(performance.now());
      } catch {
        await sleep(10);
      }
      await sleep(1);
    }
  })();
  return {
    acked,
    ackAt,
    marks,
    async stop() {
      stop = true;
      await done;
      r.disconnect();
    },
  };
}

async function agreedMaster(ports) {
  const addrs = await Promise.all(ports.map((p) => cmd(p, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster").then((a) => a.join(":"), () => "?")));
  return addrs.every((a) => a === addrs[0]) ? addrs[0] : null;
}

/** Every sentinel's published events, timestamped: `{ port, channel, msg, at }`. */
function listenEvents(ports) {
  const events = [];
  const subs = ports.map((port) => {
    const s = new Redis({ port, host: "127.0.0.1" });
    s.on("error", () => {});
    s.psubscribe("*").catch(() => {});
    s.on("pmessage", (_p, channel, msg) => events.push({ port, channel, msg, at: performance.now() }));
    return s;
  });
  return { events, stop: () => subs.forEach((s) => s.disconnect()) };
}

/**
 * Poll `port`'s INFO replication every 10 ms: when its FAILOVER started, when it became a replica;
 * and the other data nodes' roles: when one of them said role:master.
 */
function watchOldMaster(port, others) {
  const out = { failoverState: null, demoted: null, targetMaster: null };
  let stop = false;
  const r = connection(port, { commandTimeout: 2000 });
  const rs = others.map((p) => connection(p, { commandTimeout: 2000 }));
  const done = (async () => {
    while (!stop && (out.demoted === null || out.targetMaster === null)) {
      try {
        const [info, ...roles] = await Promise.all([r.info("replication"), ...rs.map((x) => x.info("replication"))]);
        const now = performance.now();
        if (out.failoverState === null && /master_failover_state:(waiting-for-sync|failover-in-progress)/.test(info)) out.failoverState = now;
        if (out.demoted === null && /role:slave/.test(info)) out.demoted = now;
        if (out.targetMaster === null && roles.some((x) => /role:master/.test(x))) out.targetMaster = now;
      } catch {}
      await sleep(10);
    }
  })();
  return {
    out,
    async stop() {
      stop = true;
      await done;
      r.disconnect();
      for (const x of rs) x.disconnect();
    },
  };
}

/** Longest interval between acknowledgements in [from, to] (ms), counting the edges, and its bounds. */
function longestGap(ackAt, from, to) {
  let prev = from;
  let gap = { ms: 0, start: from, end: from };
  for (const t of ackAt) {
    if (t < from) continue;
    if (t > to) break;
    if (t - prev > gap.ms) gap = { ms: t - prev, start: prev, end: t };
    prev = t;
  }
  return to - prev > gap.ms ? { ms: to - prev, start: prev, end: to } : gap;
}

const PHASES = ["handover", "gapStart", "failoverState", "demoted", "targetMaster", "promoted", "closed", "lookup", "lookupNew", "ready", "firstAck", "gapEnd", "switch1", "switch3"];

/** The round's timeline, ms after `t0` (null: not seen). */
function timeline(t0, ev, old, w, m0, m1, gap) {
  const rel = (t) => (t === null || t === undefined ? null : t - t0);
  const first = (pred) => ev.events.find((e) => e.at >= t0 && pred(e))?.at ?? null;
  const marks = w.marks.slice(m0, m1);
  const switches = ev.events.filter((e) => e.at >= t0 && e.channel === "+switch-master").map((e) => e.at);
  const closed = marks.find((x) => x.what === "close")?.at ?? null;
  const lookups = marks.filter((x) => x.what === "lookup" && (closed === null || x.at >= closed));
  const ready = marks.find((x) => x.what === "ready" && (closed === null || x.at > closed))?.at ?? null;
  return {
    handover: rel(first((e) => e.channel === "+switchover-handover")),
    gapStart: rel(gap.start),
    failoverState: rel(old.out.failoverState),
    demoted: rel(old.out.demoted),
    targetMaster: rel(old.out.targetMaster),
    promoted: rel(first((e) => e.channel === "+promoted-slave")),
    closed: rel(closed),
    lookup: rel(lookups[0]?.at),
    lookupNew: rel(lookups.find((x) => x.addr !== null && x.addr !== old.addr)?.at),
    lookups: lookups.map((x) => `${fmt(x.at - t0)}→${x.addr === old.addr ? "old" : x.addr === null ? "none" : "new"}`).join(" "),
    ready: rel(ready),
    firstAck: rel(ready === null ? null : w.ackAt.find((t) => t > ready)),
    gapEnd: rel(gap.end),
    switch1: rel(switches[0]),
    switch3: rel(switches[2]),
  };
}

/** One role change; the gap or null when it did not complete in time. */
async function oneRound(c, k, w, ev) {
  const from = performance.now();
  const deadline = Date.now() + opts.roundTimeout;
  const old = await agreedMaster(c.sentinelPorts);
  const watch = watchOldMaster(
    Number(old.split(":")[1]),
    c.redisPorts.filter((p) => `127.0.0.1:${p}` !== old),
  );
  watch.addr = old;
  const m0 = w.marks.length;
  const e0 = ev.events.length;
  const frozen = k.lagging ? c.replicas.find((r) => `127.0.0.1:${r.port}` !== old) : null;
  const words = frozen ? [...k.words, "TO", "127.0.0.1", String(frozen.port), "TIMEOUT", String(LAG_TIMEOUT_MS)] : k.words;
  let t0;
  // Retry while the previous change settles (INPROG, a replica not yet eligible, old master converting).
  for (;;) {
    if (frozen) frozen.signal("SIGSTOP");
    t0 = performance.now();
    try {
      if ((await cmd(c.sentinelPorts[0], "SENTINEL", "FAILOVER", "mymaster", ...words)) === "OK") break;
    } catch (e) {
      frozen?.signal("SIGCONT");
      if (Date.now() > deadline) {
        await watch.stop();
        return { completed: false, error: String(e?.message ?? e) };
      }
    }
    await sleep(100);
  }
  let outcome = "switched";
  if (frozen) {
    // Expected: -switchover-abort on the leader, the master unchanged everywhere.
    setTimeout(() => frozen.signal("SIGCONT"), Math.max(0, LAG_MS - (performance.now() - t0)));
    while (Date.now() < deadline && !ev.events.slice(e0).some((e) => e.channel === "-switchover-abort")) await sleep(20);
    outcome = ev.events.slice(e0).find((e) => e.channel === "-switchover-abort")?.msg.match(/#[\w-]+/)?.[0] ?? "no abort";
    while (Date.now() < deadline && performance.now() - t0 < LAG_MS) await sleep(20);
    if ((await agreedMaster(c.sentinelPorts)) !== old) outcome = `MOVED (${outcome})`;
    while (Date.now() < deadline && (await linkStatus(frozen.port)) !== "up") await sleep(50);
  } else {
    while (Date.now() < deadline) {
      const now = await agreedMaster(c.sentinelPorts);
      if (now && now !== old) break;
      await sleep(50);
    }
  }
  // Let the client settle on the (new) master: 50 acknowledgements and a second of writing.
  const before = w.acked.length;
  const settled = Date.now() + 1000;
  while (Date.now() < deadline && (w.acked.length < before + 50 || Date.now() < settled)) await sleep(20);
  const done = Date.now() < deadline && (!frozen || outcome === "#handover-timeout");
  await watch.stop();
  const gap = longestGap(w.ackAt, from, performance.now());
  return { completed: done, outcome, gapMs: gap.ms, timeline: timeline(t0, ev, watch, w, m0, w.marks.length, gap) };
}

/** `n` rounds of kind `name` on a fresh cluster. */
async function runBlock(name, n) {
  const k = KINDS[name];
  const c = await startCluster({ kind: k.kind, downAfter: 1000, failoverTimeout: 10000 });
  try {
    const ev = listenEvents(c.sentinelPorts);
    const w = startWriter(c.sentinelPorts);
    while (w.acked.length < 50) await sleep(20);
    const warm = performance.now();
    while (w.acked.length < 550) await sleep(20);
    const steadyRate = 500 / ((performance.now() - warm) / 1000);
    const t0 = performance.now();
    const n0 = w.acked.length;
    const rounds = [];
    for (let i = 0; i < n; i++) {
      const r = await oneRound(c, k, w, ev);
      rounds.push(r);
      say(`${name} round ${i + 1}/${n}: ${r.completed ? "completed" : `NOT completed ${r.error ?? ""}`} (${r.outcome ?? "-"}), longest write gap ${fmt(r.gapMs)} ms, load ${load()}`);
      if (r.timeline) say(`  ${PHASES.map((p) => `${p} ${fmt(r.timeline[p] ?? Number.NaN)}`).join(", ")}; lookups ${r.timeline.lookups || "none"}`);
    }
    ev.stop();
    const rate = (w.acked.length - n0) / ((performance.now() - t0) / 1000);
    await w.stop();
    let master = null;
    const until = Date.now() + 30000;
    while (!master && Date.now() < until) {
      master = await agreedMaster(c.sentinelPorts);
      if (!master) await sleep(100);
    }
    const port = Number(master.split(":")[1]);
    const stored = new Set((await cmd(port, "SMEMBERS", "sw")).map(Number));
    const lost = w.acked.filter((v) => !stored.has(v)).length;
    return { name, acked: w.acked.length, steadyRate, rate, lost, rounds, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await stopCluster(c);
  }
}

async function main() {
  requireBinary("redis-server");
  requireBinary("redis-sentinel");
  heading("switchover — coordinated vs plain SENTINEL FAILOVER under an ioredis writer");
  say(machineLine());
  say(`${opts.rounds} role change(s) per kind in ${opts.blocks} block(s), kinds taking turns, 1 master + 2 replicas + 3 sentinels, down-after 1000 ms`);
  const names = opts.kinds.split(",");
  for (const name of names) if (!KINDS[name]) throw new Error(`unknown kind ${name}\n${USAGE}`);
  const byKind = new Map(names.map((name) => [name, { name, acked: 0, steadyRates: [], ackedInRounds: 0, seconds: 0, lost: 0, rounds: [] }]));
  for (let b = 0; b < opts.blocks; b++) {
    const n = Math.floor(opts.rounds / opts.blocks) + (b < opts.rounds % opts.blocks ? 1 : 0);
    if (n === 0) continue;
    for (const name of names) {
      const r = await runBlock(name, n);
      const agg = byKind.get(name);
      agg.acked += r.acked;
      agg.steadyRates.push(r.steadyRate);
      agg.ackedInRounds += r.rate * r.seconds;
      agg.seconds += r.seconds;
      agg.lost += r.lost;
      agg.rounds.push(...r.rounds);
    }
  }
  const results = [...byKind.values()].map((a) => ({ ...a, steadyRate: median(a.steadyRates), rate: a.ackedInRounds / a.seconds }));
  say();
  say(
    table(
      ["kind", "acked", "writes/s steady", "writes/s over the rounds", "lost", "completed", "outcomes", "gap median ms", "gap max ms"],
      results.map((r) => {
        const gaps = r.rounds.filter((x) => x.gapMs !== undefined).map((x) => x.gapMs);
        const outcomes = [...new Set(r.rounds.map((x) => x.outcome ?? "not started"))].map((o) => `${o} ${r.rounds.filter((x) => (x.outcome ?? "not started") === o).length}`).join(", ");
        return [KINDS[r.name].label, String(r.acked), fmt(r.steadyRate), fmt(r.rate), String(r.lost), `${r.rounds.filter((x) => x.completed).length}/${r.rounds.length}`, outcomes, fmt(median(gaps)), fmt(Math.max(...gaps))];
      }),
    ),
  );
  say();
  say("Timeline medians (ms after the accepted SENTINEL FAILOVER):");
  say(
    table(
      ["kind", ...PHASES],
      results.map((r) => [KINDS[r.name].label, ...PHASES.map((p) => fmt(median(r.rounds.map((x) => x.timeline?.[p] ?? Number.NaN))))]),
    ),
  );
  say(`load average at the end: ${load()}`);
}

await runMain(main);

#!/usr/bin/env node
// bench/lost-writes — acknowledged writes lost in the Jepsen case, Vigil vs redis-sentinel.
//
// 1 master, 2 replicas, 3 sentinels, every node on its own loopback address (127.90.<block>.x,
// `bind` + `bind-source-addr`); down-after 1000 ms. An ioredis client connected through the sentinels
// (default options unless --clients follow) adds a unique value to a set every 5 ms and records the
// acknowledged ones. The master is cut off from every sentinel and every replica (iptables DROP on lo,
// both directions) for --cut-ms while the client still reaches it; then the cut is healed, the run
// waits until one master is agreed on and followed by every replica, lets the client write to it, and
// counts the acknowledged values missing from it.
//
// Configurations: redis-sentinel and Vigil with plain data nodes, both with `min-replicas-to-write 1`
// + `min-replicas-max-lag 2` on the data nodes, and Vigil with its write fencing
// (`sentinel vigil-fence-writes mymaster yes`, which keeps min-replicas-to-write on the current master
// while it has a healthy replica; max lag 1 s). Needs root (iptables), redis-server, redis-sentinel
// and a built Vigil (npx tsc -b). Uses the test fault kit: packages/cli/test/support/fault-kit.mjs.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  call,
  cleanupAll,
  currentMaster,
  requireTool,
  runJepsen,
  startFaultCluster,
  stopFaultCluster,
  VIGIL_BIN,
  waitFor,
} from "../packages/cli/test/support/fault-kit.mjs";
import { fmt, heading, machineLine, median, parseFlags, say, table } from "./lib/report.mjs";

const USAGE = `usage: node bench/lost-writes.mjs [--runs N] [--quick] [--cut-ms MS] [--variants L] [--clients L]
                                  [--down-after MS] [--failover-timeout MS] [--json FILE]
  --runs N              runs per configuration (default 3; configurations alternate)
  --quick               1 run, default client only
  --cut-ms MS           how long the master stays cut off (default 6000)
  --variants L          comma-separated among sentinel,sentinel-minrep,vigil,vigil-minrep,vigil-fenced
                        (default: all; vigil-fenced only when the build has write fencing)
  --clients L           default (ioredis defaults: stays on a master until it drops the client) and/or
                        follow (ioredis failoverDetector: moves on +switch-master); default: default,follow
  --down-after MS       down-after-milliseconds (default 1000)
  --failover-timeout MS failover-timeout (default 10000: a split vote retries after 20 s)
  --json FILE           also write every run's figures as JSON
`;

const MINREP = ["min-replicas-to-write 1", "min-replicas-max-lag 2"];
const FENCE = ["sentinel vigil-fence-writes %NAME% yes"];
const hasFencing = existsSync(join(VIGIL_BIN, "../../../core/dist/engine/write-fence.js"));

const VARIANTS = {
  sentinel: { kind: "redis", label: "redis-sentinel", data: "plain" },
  "sentinel-minrep": { kind: "redis", label: "redis-sentinel", data: "min-replicas 1 / lag 2", dataExtra: MINREP },
  vigil: { kind: "vigil", label: "Vigil", data: "plain" },
  "vigil-minrep": { kind: "vigil", label: "Vigil", data: "min-replicas 1 / lag 2", dataExtra: MINREP },
  "vigil-fenced": { kind: "vigil", label: "Vigil fenced", data: "plain (Vigil sets min-replicas 1 / lag 1)", sentinelExtra: FENCE, fenced: true },
};

const opts = parseFlags(
  process.argv.slice(2),
  { runs: 3, quick: false, cutMs: 6000, variants: "", clients: "default,follow", downAfter: 1000, failoverTimeout: 10000, json: "" },
  USAGE,
);
if (opts.quick) {
  opts.runs = 1;
  opts.clients = "default";
}
const variants = (opts.variants || Object.keys(VARIANTS).filter((v) => v !== "vigil-fenced" || hasFencing).join(",")).split(",");
for (const v of variants) if (!VARIANTS[v]) throw new Error(`unknown variant ${v}\n${USAGE}`);
const clients = opts.clients.split(",");

async function oneRun(name, client) {
  const v = VARIANTS[name];
  const c = await startFaultCluster({
    kind: v.kind,
    dataExtra: v.dataExtra,
    sentinelExtra: v.sentinelExtra,
    downAfter: opts.downAfter,
    failoverTimeout: opts.failoverTimeout,
  });
  try {
    if (v.fenced) {
      await waitFor(
        async () => {
          const m = await currentMaster(c);
          return (await call(m.host, m.port, ["CONFIG", "GET", "min-replicas-to-write"]))[1] === "1";
        },
        20000,
        100,
        "Vigil's write fence on the master",
      );
    }
    return await runJepsen(c, { cutMs: opts.cutMs, followSwitch: client === "follow" });
  } finally {
    await stopFaultCluster(c);
  }
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error("bench/lost-writes needs root (iptables rules on lo)");
  requireTool("iptables");
  requireTool("redis-server");
  requireTool("redis-sentinel");
  if (!existsSync(VIGIL_BIN)) throw new Error(`${VIGIL_BIN} is missing: run npx tsc -b first`);
  heading("lost writes — master cut off from sentinels and replicas, still reachable by the client");
  say(machineLine());
  say(`down-after ${opts.downAfter} ms, failover-timeout ${opts.failoverTimeout} ms, cut ${opts.cutMs} ms, one write every 5 ms, ${opts.runs} run(s) per configuration`);
  if (!hasFencing) say("(this build has no write fencing: the vigil-fenced configuration is skipped)");
  const runs = [];
  for (let i = 0; i < opts.runs; i++) {
    for (const client of clients) {
      for (const name of variants) {
        const t = Date.now();
        try {
          const r = await oneRun(name, client);
          runs.push({ variant: name, client, ...r });
          say(
            `run ${i + 1} ${name} (${client} client): ${r.failedOver ? "failed over" : "NO failover"}, acked ${r.acked}, lost ${r.lost}, window ${r.lossWindowMs} ms, refused ${r.refused}, durable gap ${r.durableGapMs} ms, healed in ${r.convergedMs} ms (${Date.now() - t} ms)`,
          );
        } catch (e) {
          runs.push({ variant: name, client, error: String(e?.message ?? e) });
          say(`run ${i + 1} ${name} (${client} client): ERROR ${String(e?.message ?? e).slice(0, 300)}`);
        }
      }
    }
  }
  const rows = [];
  for (const client of clients) {
    for (const name of variants) {
      const rs = runs.filter((r) => r.variant === name && r.client === client && r.error === undefined);
      const v = VARIANTS[name];
      const pct = rs.map((r) => (r.acked ? (100 * r.lost) / r.acked : 0));
      rows.push([
        v.label,
        v.data,
        client,
        `${rs.filter((r) => r.failedOver).length}/${rs.length}`,
        fmt(median(rs.map((r) => r.acked))),
        fmt(median(rs.map((r) => r.lost))),
        `${fmt(median(pct))}%`,
        fmt(median(rs.map((r) => r.lossWindowMs))),
        fmt(median(rs.map((r) => r.refused))),
        fmt(median(rs.map((r) => r.durableGapMs))),
        fmt(median(rs.map((r) => r.convergedMs))),
      ]);
    }
  }
  say();
  say(
    table(
      ["daemon", "data nodes", "client", "failed over", "acked", "lost", "lost %", "loss window ms", "refused", "longest durable gap ms", "healed after ms"],
      rows,
    ),
  );
  say();
  say("medians over runs. loss window: time between sending the first and the last lost write (independent of the write rate).");
  say("longest durable gap: the longest time, from the cut on, without an acknowledged write that survived.");
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify(runs, null, 2)}\n`);
  return runs.some((r) => r.error) ? 1 : 0;
}

let code = 0;
const onSignal = (sig) => {
  process.stderr.write(`\n${sig}: removing every process, rule and address block this benchmark made\n`);
  cleanupAll().finally(() => process.exit(130));
};
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);
try {
  code = await main();
} catch (e) {
  process.stderr.write(`${e?.stack ?? e}\n`);
  code = 1;
}
await cleanupAll();
process.exit(code);

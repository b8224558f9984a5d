// Discovering N masters (each with a replica and two peer sentinels) must cost work linear in N: each
// discovered replica or peer is one event, and no event may redo O(masters) work (rebuilding the
// link index, touching every master, scanning every peer record). At 1000 masters the quadratic
// version never finished discovering on a loaded 2-core machine.
import { cpuUsage } from "node:process";
import { describe, expect, it } from "vitest";
import { createPrng, encodeHello, SentinelEngine } from "../src/index.js";
import { hexId } from "./support/mini-cluster.js";

const HOST = "127.0.0.1";
const PEERS = [
  { port: 26001, runId: hexId(0xa1) },
  { port: 26002, runId: hexId(0xa2) },
];

/** CPU ms to discover `n` masters, each with one replica and both peers, as one sentinel sees it. */
function discover(n: number): number {
  const masterPort = (i: number) => 10000 + 2 * i;
  let now = 1_000_000;
  const engine = new SentinelEngine({
    myId: hexId(0x5e1f),
    now,
    prng: createPrng(1),
    masters: Array.from({ length: n }, (_, i) => ({ settings: { name: `m${i}`, host: HOST, port: masterPort(i), quorum: 2 } })),
  });
  engine.start(now);
  const t0 = cpuUsage();
  for (let i = 0; i < n; i++) {
    now += 1;
    const addr = { host: HOST, port: masterPort(i) };
    engine.step({ kind: "link-up", now, addr, link: "cmd", localHost: HOST });
    engine.step({ kind: "link-up", now, addr, link: "pubsub", localHost: HOST });
    engine.step({ kind: "ping-reply", now, addr, reply: "PONG" });
    const info = ["# Server", `run_id:${hexId(i + 1)}`, "# Replication", "role:master", `slave0:ip=${HOST},port=${masterPort(i) + 1},state=online,offset=1,lag=0`, ""];
    engine.step({ kind: "info-reply", now, addr, text: info.join("\r\n") });
    for (const p of PEERS) {
      const payload = encodeHello({ sentinelIp: HOST, sentinelPort: p.port, sentinelRunId: p.runId, currentEpoch: 0, masterName: `m${i}`, masterIp: HOST, masterPort: masterPort(i), masterConfigEpoch: 0 });
      engine.step({ kind: "hello", now, via: addr, payload });
    }
    // The peers answer PINGs while discovery goes on (a fixed number of times, as per second, not per
    // master): a reply reaches every record of the peer, after records were added to its link.
    if (i % Math.ceil(n / 20) === 0) for (const p of PEERS) engine.step({ kind: "ping-reply", now, addr: { host: HOST, port: p.port }, reply: "PONG" });
  }
  const used = cpuUsage(t0);
  const view = engine.view();
  expect(view.masters).toHaveLength(n);
  for (const m of view.masters) {
    expect(m.replicas.size).toBe(1);
    expect(m.sentinels.size).toBe(2);
  }
  return (used.user + used.system) / 1000;
}

describe("discovery cost", () => {
  it("grows linearly with the number of masters (4× the masters: well under 16× the CPU)", () => {
    discover(300); // warm the JIT
    // The least of a few runs: the machine is shared, and a preempted run only looks slower.
    const small = Math.min(discover(300), discover(300), discover(300));
    const large = Math.min(discover(1200), discover(1200));
    // Linear: ~4×. Quadratic (the link index rebuilt, or every master touched, per discovery): 10×+.
    expect(large / Math.max(small, 1)).toBeLessThan(7);
  }, 120_000);
});

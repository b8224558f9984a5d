import { type Address, createPrng, isInfoRejection, parseInfo } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { SimClient } from "../src/client/sim-client.js";
import { Scheduler } from "../src/clock/scheduler.js";
import { Network } from "../src/network/network.js";
import type { Response } from "../src/redis/protocol.js";
import { SimRedis, type SimRedisOptions } from "../src/redis/sim-redis.js";

const M: Address = { host: "10.0.1.1", port: 6379 };

function world(masterOptions: Partial<SimRedisOptions> = {}, replicas = 2) {
  const s = new Scheduler(1_767_225_600_000);
  const net = new Network(s, createPrng(1));
  const prng = createPrng(2);
  const promoted: string[] = [];
  const hooks = { onPromoted: (n: SimRedis) => promoted.push(n.key) };
  const master = new SimRedis(s, net, prng, { host: M.host, ...masterOptions }, hooks);
  const reps = Array.from({ length: replicas }, (_, i) => new SimRedis(s, net, prng, { host: `10.0.1.${i + 2}`, replicaOf: M }, hooks));
  const client = new SimClient(s, net, "10.0.200.1");
  const run = (ms: number) => s.runUntil(s.now + ms);
  const write = (addr: Address, id: number): string => {
    let out = "pending";
    client.write(addr, "k", id, (o) => (out = o));
    run(50);
    return out;
  };
  const info = (n: SimRedis) => {
    const r = parseInfo(n.infoText());
    if (isInfoRejection(r)) throw new Error(r.reason);
    return r;
  };
  return { s, net, master, reps, client, run, write, info, promoted };
}

describe("simulated Redis", () => {
  it("replicates acknowledged writes to its replicas, which report the same offset", () => {
    const w = world();
    w.run(2000);
    expect(w.reps.every((r) => r.masterLinkUp)).toBe(true);
    for (let i = 1; i <= 5; i++) expect(w.write(M, i)).toBe("ok");
    w.run(100);
    for (const r of w.reps) {
      expect(r.data.get("k")).toEqual([1, 2, 3, 4, 5]);
      expect(r.offset).toBe(w.master.offset);
      expect(w.info(r)).toMatchObject({ role: "slave", masterHost: M.host, masterPort: 6379, masterLinkUp: true, slaveReplOffset: w.master.offset });
    }
    expect(w.info(w.master).replicas).toEqual(w.reps.map((r) => ({ host: r.host, port: 6379 })));
  });

  it("refuses writes on a replica (READONLY) and, with min-replicas-to-write, without enough replicas", () => {
    const w = world({ minReplicasToWrite: 1 }, 0);
    w.run(100);
    expect(w.write(M, 1)).toMatch(/^NOREPLICAS/);
    const r = new SimRedis(w.s, w.net, createPrng(9), { host: "10.0.1.9", replicaOf: M });
    w.run(1500);
    expect(w.write(M, 2)).toBe("ok");
    expect(w.write(r.addr, 3)).toMatch(/^READONLY/);
  });

  it("answers nothing while paused, then everything in order once resumed", () => {
    const w = world({}, 0);
    w.run(100);
    w.master.pause();
    const outcomes: string[] = [];
    const slow = new SimClient(w.s, w.net, "10.0.200.2", { timeoutMs: 60_000 });
    slow.write(M, "k", 1, (o) => outcomes.push(`1:${o}`));
    slow.write(M, "k", 2, (o) => outcomes.push(`2:${o}`));
    w.run(5000);
    expect(outcomes).toEqual([]);
    w.master.resume();
    w.run(100);
    expect(outcomes).toEqual(["1:ok", "2:ok"]);
  });

  it("restarts with a new run id, keeping or losing its data; an empty master empties its replicas", () => {
    const w = world();
    w.run(2000);
    w.write(M, 1);
    w.run(100);
    const oldRunId = w.master.runId;
    w.master.crash();
    w.master.restart(true);
    expect(w.master.runId).not.toBe(oldRunId);
    expect(w.master.data.get("k")).toEqual([1]);
    expect(w.info(w.master)).toMatchObject({ role: "master" });
    w.master.crash();
    w.master.restart(false);
    w.run(3000);
    expect(w.master.data.get("k")).toEqual([]);
    for (const r of w.reps) expect(r.data.get("k")).toEqual([]);
  });

  it("answers PING with -LOADING right after a restart with data", () => {
    const w = world({ loadingMs: 500 }, 0);
    w.run(100);
    w.master.crash();
    w.master.restart(true);
    const replies: string[] = [];
    w.client.request(M, { t: "ping" }, (r) => replies.push(r.ok && r.reply.t === "status" ? r.reply.text : "?"));
    w.run(100);
    w.run(1000);
    w.client.request(M, { t: "ping" }, (r) => replies.push(r.ok && r.reply.t === "status" ? r.reply.text : "?"));
    w.run(100);
    expect(replies).toEqual(["LOADING Redis is loading the dataset in memory", "PONG"]);
  });

  it("applies Sentinel's transaction: SLAVEOF NO ONE, CONFIG REWRITE, and kills every other client and every subscriber", () => {
    const w = world();
    w.run(2000);
    const [r1, r2] = w.reps as [SimRedis, SimRedis];
    const closed: string[] = [];
    const other = w.net.connect(w.client.host, r1.addr, { onOpen: () => {}, onFail: () => {}, onMessage: () => {}, onClose: () => closed.push("other") });
    const sub = w.net.connect(w.client.host, r1.addr, { onOpen: () => sub.sendToServer({ t: "subscribe", channel: "__sentinel__:hello" }), onFail: () => {}, onMessage: () => {}, onClose: () => closed.push("subscriber") });
    const replies: Response[] = [];
    const issuer = w.net.connect(w.client.host, r1.addr, { onOpen: () => {}, onFail: () => {}, onMessage: (m) => replies.push(m as Response), onClose: () => closed.push("issuer") });
    w.run(100);
    issuer.sendToServer({ t: "reconfigure", target: null, origin: { sentinel: "x".repeat(40), epoch: 1 } });
    w.run(100);
    expect(r1.role).toBe("master");
    expect(r1.configReplicaOf).toBeNull();
    expect(w.promoted).toEqual([r1.key]);
    expect(replies).toEqual([{ t: "status", cmd: "reconfigure", ok: true, text: "OK" }]);
    expect(closed.sort()).toEqual(["other", "subscriber"]);
    expect(issuer.clientOpen).toBe(true);
    expect(other.clientOpen || sub.clientOpen).toBe(false);
    // Point the other replica at the new master: it resynchronises from it.
    issuer.sendToServer({ t: "ping" });
    const toR2 = w.net.connect(w.client.host, r2.addr, { onOpen: () => toR2.sendToServer({ t: "reconfigure", target: r1.addr }), onFail: () => {}, onMessage: () => {}, onClose: () => {} });
    w.run(500);
    expect(r2.masterAddr).toEqual(r1.addr);
    expect(r2.masterLinkUp).toBe(true);
    expect(w.write(r1.addr, 7)).toBe("ok");
    w.run(100);
    expect(r2.data.get("k")).toContain(7);
  });

  it("publishes hello messages to every subscriber, and counts them", () => {
    const w = world({}, 0);
    w.run(100);
    const got: string[] = [];
    for (let i = 0; i < 2; i++) {
      const c = w.net.connect(`10.0.100.${i + 1}`, M, {
        onOpen: () => c.sendToServer({ t: "subscribe", channel: "__sentinel__:hello" }),
        onFail: () => {},
        onMessage: (m) => {
          const r = m as Response;
          if (r.t === "message") got.push(`${i}:${r.payload}`);
        },
        onClose: () => {},
      });
    }
    w.run(100);
    let count = "";
    w.client.request(M, { t: "publish", channel: "__sentinel__:hello", payload: "hi" }, (r) => (count = r.ok && r.reply.t === "status" ? r.reply.text : "?"));
    w.run(100);
    expect(count).toBe("2");
    expect(got.sort()).toEqual(["0:hi", "1:hi"]);
  });

  it("notices a silent master after repl-timeout and reports how long the link has been down", () => {
    const w = world({ replTimeoutMs: 3000 }, 1);
    w.run(2000);
    const r = w.reps[0]!;
    w.net.partition([[M.host], [r.host]]);
    w.run(2000);
    expect(r.masterLinkUp).toBe(true); // not yet: the stream is only stalled
    w.run(5000);
    expect(r.masterLinkUp).toBe(false);
    const report = w.info(r);
    expect(report.masterLinkUp).toBe(false);
    expect(report.masterLinkDownTimeMs).toBeGreaterThanOrEqual(1000);
  });
});

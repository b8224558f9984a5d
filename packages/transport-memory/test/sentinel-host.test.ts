import {
  type Address,
  createPrng,
  type EngineCommand,
  type EngineInput,
  type EngineOutput,
  type EngineView,
  isStaleFence,
  type PersistedState,
  type SentinelEngineOptions,
} from "@vigil/core";
import { describe, expect, it } from "vitest";
import { Scheduler } from "../src/clock/scheduler.js";
import { Network } from "../src/network/network.js";
import { SimRedis } from "../src/redis/sim-redis.js";
import type { EngineLike } from "../src/sentinel/engine-like.js";
import { SentinelHost } from "../src/sentinel/sentinel-host.js";
import { engineView, id } from "./fakes.js";

/** An engine that emits whatever the test queues, and records every input. */
class ScriptedEngine implements EngineLike {
  readonly myId: string;
  readonly inputs: EngineInput[] = [];
  readonly queue: EngineCommand[] = [];
  readonly asked: unknown[][] = [];
  constructor(readonly options: SentinelEngineOptions) {
    this.myId = options.myId;
  }
  private out(): EngineOutput {
    return { commands: this.queue.splice(0), events: [] };
  }
  start(): EngineOutput {
    return this.out();
  }
  step(input: EngineInput): EngineOutput {
    if (input.kind !== "tick") this.inputs.push(input);
    return this.out();
  }
  isMasterDownByAddr(now: number, ip: string, port: number, epoch: number, runId: string): { reply: [number, string, number]; output: EngineOutput } {
    this.asked.push([now, ip, port, epoch, runId]);
    return { reply: [1, runId, epoch], output: { commands: [{ kind: "persist", state: this.persistedState(epoch) }], events: [] } };
  }
  failover(): { result: string; output: EngineOutput } {
    return { result: "ok", output: this.out() };
  }
  getMasterAddrByName(): Address | null {
    return null;
  }
  currentEpoch(): number {
    return 0;
  }
  persistedState(epoch = 0): PersistedState {
    return { myId: this.myId, currentEpoch: epoch, global: { port: 26379 } as PersistedState["global"], masters: [] };
  }
  view(): EngineView {
    return engineView(this.myId, 0, []);
  }
  of(kind: EngineInput["kind"]): EngineInput[] {
    return this.inputs.filter((i) => i.kind === kind);
  }
}

const M: Address = { host: "10.0.1.1", port: 6379 };

function world() {
  const s = new Scheduler(1_767_225_600_000);
  const net = new Network(s, createPrng(5));
  const redis = new SimRedis(s, net, createPrng(6), { host: M.host });
  const replica = new SimRedis(s, net, createPrng(7), { host: "10.0.1.2", replicaOf: M });
  const engines: ScriptedEngine[] = [];
  const persisted: { who: string; epoch: number; at: number }[] = [];
  const hosts = ["a", "b"].map(
    (c, j) =>
      new SentinelHost(
        s,
        net,
        {
          name: `s${j + 1}`,
          host: `10.0.100.${j + 1}`,
          myId: id(c),
          prng: createPrng(j),
          masters: [],
          createEngine: (o) => {
            const e = new ScriptedEngine(o);
            engines.push(e);
            return e;
          },
        },
        { onPersist: (ref, state, at) => persisted.push({ who: ref.name, epoch: state.currentEpoch, at }) },
      ),
  );
  for (const h of hosts) h.start();
  const [a, b] = engines as [ScriptedEngine, ScriptedEngine];
  const run = (ms: number) => s.runUntil(s.now + ms);
  const connect = (e: ScriptedEngine, addr: Address, link: "cmd" | "pubsub", peer: "instance" | "sentinel" = "instance") =>
    e.queue.push({ kind: "connect", addr, link, peer, clientName: "x", auth: undefined, renames: {} });
  return { s, net, redis, replica, hosts, a, b, engines, persisted, run, connect };
}

describe("sentinel host (the transport's obligations)", () => {
  it("reports link-up with the local address, and link-down when nothing listens", () => {
    const w = world();
    w.connect(w.a, M, "cmd");
    w.connect(w.a, { host: "10.9.9.9", port: 1 }, "cmd");
    w.run(2500); // no such host: the handshake times out
    expect(w.a.of("link-up")).toMatchObject([{ addr: M, link: "cmd", localHost: "10.0.100.1" }]);
    expect(w.a.of("link-down")).toMatchObject([{ addr: { host: "10.9.9.9", port: 1 }, link: "cmd", error: "Connection timed out" }]);
  });

  it("feeds PING and INFO replies back as inputs, with Redis's texts", () => {
    const w = world();
    w.connect(w.a, M, "cmd");
    w.run(300);
    w.a.queue.push({ kind: "ping", addr: M }, { kind: "info", addr: M });
    w.run(300);
    expect(w.a.of("ping-reply")).toMatchObject([{ addr: M, reply: "PONG" }]);
    const info = w.a.of("info-reply")[0] as { text: string };
    expect(info.text).toContain("\r\nrole:master\r\n");
  });

  it("delivers a hello published on an instance to every subscriber, the publisher's echo included", () => {
    const w = world();
    for (const e of [w.a, w.b]) {
      w.connect(e, M, "cmd");
      w.connect(e, M, "pubsub");
    }
    w.run(300);
    w.a.queue.push({ kind: "publish-hello", addr: M, payload: "hello-from-a" });
    w.run(300);
    for (const e of [w.a, w.b]) expect(e.of("hello")).toMatchObject([{ via: M, payload: "hello-from-a" }]);
    expect(w.a.of("publish-reply")).toMatchObject([{ addr: M, ok: true }]);
  });

  it("hands a hello published to a sentinel's address to that sentinel's engine, with no source", () => {
    const w = world();
    const peer = w.hosts[1]!.addr;
    w.connect(w.a, peer, "cmd", "sentinel");
    w.run(300);
    w.a.queue.push({ kind: "publish-hello", addr: peer, payload: "p" });
    w.run(300);
    expect(w.b.of("hello")).toMatchObject([{ via: null, payload: "p" }]);
    expect(w.a.of("publish-reply")).toMatchObject([{ addr: peer, ok: true }]);
  });

  it("serves a vote request by calling the peer engine, persisting before the reply leaves", () => {
    const w = world();
    const peer = w.hosts[1]!.addr;
    w.connect(w.a, peer, "cmd", "sentinel");
    w.run(300);
    w.a.queue.push({ kind: "ask-master-down", addr: peer, master: "mymaster", args: ["10.0.1.1", "6379", "7", id("a")] });
    w.run(300);
    expect(w.b.asked).toHaveLength(1);
    expect(w.b.asked[0]!.slice(1)).toEqual(["10.0.1.1", 6379, 7, id("a")]);
    const reply = w.a.of("ask-reply")[0]!;
    expect(reply).toMatchObject({ addr: peer, master: "mymaster", reply: [1, id("a"), 7] });
    const vote = w.persisted.find((p) => p.who === "s2" && p.epoch === 7)!;
    expect(vote.at).toBeLessThan(reply.now);
  });

  it("runs the reconfiguration: the issuing link survives, pub/sub links and other sentinels' links drop", () => {
    const w = world();
    const R = w.replica.addr;
    for (const e of [w.a, w.b]) {
      w.connect(e, R, "cmd");
      w.connect(e, R, "pubsub");
    }
    w.run(300);
    w.a.queue.push({ kind: "reconfigure", addr: R, target: null });
    w.run(300);
    expect(w.replica.role).toBe("master");
    expect(w.a.of("reconfigure-reply")).toMatchObject([{ addr: R, ok: true }]);
    expect(w.a.of("link-down").map((i) => (i as { link: string }).link)).toEqual(["pubsub"]);
    expect(w.b.of("link-down").map((i) => (i as { link: string }).link).sort()).toEqual(["cmd", "pubsub"]);
  });

  it("keeps the last persisted state on disk and restarts a new engine from it", () => {
    const w = world();
    const host = w.hosts[0]!;
    w.a.queue.push({ kind: "persist", state: w.a.persistedState(42) });
    w.run(300);
    expect(host.disk?.currentEpoch).toBe(42);
    host.crash();
    w.run(1000);
    host.start();
    const restarted = w.engines[w.engines.length - 1]!;
    expect(restarted).not.toBe(w.a);
    expect(restarted.options.currentEpoch).toBe(42);
    expect(restarted.options.myId).toBe(id("a"));
  });

  it("stamps inputs with the sentinel's own, possibly jumped, clock", () => {
    const w = world();
    const host = w.hosts[0]!;
    host.jumpClock(-5000);
    w.connect(w.a, M, "cmd");
    w.run(300);
    const up = w.a.of("link-up")[0]!;
    expect(up.now).toBeLessThan(w.s.now - 4000);
  });

  it("delivers a tick at a wake's deadline, between the periodic ticks (the daemon's timer does)", () => {
    const w = world();
    const ticks: number[] = [];
    const step = w.a.step.bind(w.a);
    w.a.step = (input) => {
      if (input.kind === "tick") ticks.push(input.now);
      return step(input);
    };
    w.run(1000);
    // The next periodic tick (100 ms after the last) drains the queue; the wake asks for 37 ms later.
    const at = ticks[ticks.length - 1]! + 100 + 37;
    w.a.queue.push({ kind: "wake", at });
    w.run(300);
    expect(ticks).toContain(at);
  });

  it("fences a stale master and lifts the fence inside the reconfiguration, as the daemon's links do", () => {
    const w = world();
    w.redis.minReplicasToWrite = 1;
    w.connect(w.a, M, "cmd");
    w.run(300);
    w.a.queue.push({ kind: "fence-stale-master", addr: M });
    w.run(300);
    expect(isStaleFence({ toWrite: w.redis.minReplicasToWrite, maxLag: w.redis.minReplicasMaxLagS })).toBe(true);
    w.a.queue.push({ kind: "reconfigure", addr: M, target: w.replica.addr });
    w.run(300);
    expect(w.redis.role).toBe("slave");
    expect(w.redis.minReplicasToWrite).toBe(1);
  });

  it("sets and restores the operator's min-replicas values for write fencing", () => {
    const w = world();
    w.redis.minReplicasToWrite = 2;
    w.connect(w.a, M, "cmd");
    w.run(300);
    w.a.queue.push({ kind: "fence-writes", addr: M, minReplicas: 1, maxLagS: 3 });
    w.run(300);
    expect([w.redis.minReplicasToWrite, w.redis.minReplicasMaxLagS]).toEqual([1, 3]);
    w.a.queue.push({ kind: "lift-fences", addr: M, staleMaster: false, writes: true, auth: undefined, renames: {} });
    w.run(300);
    expect([w.redis.minReplicasToWrite, w.redis.minReplicasMaxLagS]).toEqual([2, 10]);
  });
});

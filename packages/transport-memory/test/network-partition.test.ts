import { createPrng } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { Scheduler } from "../src/clock/scheduler.js";
import { nextRetransmission } from "../src/network/link-profile.js";
import { Network } from "../src/network/network.js";

function setup() {
  const s = new Scheduler(0);
  const net = new Network(s, createPrng(3), { connectTimeoutMs: 2000 });
  const arrivals: { m: string; at: number }[] = [];
  net.listen({ host: "b", port: 1 }, { host: "b", accept: () => ({ onMessage: (m) => arrivals.push({ m: String(m), at: s.now }), onClose: () => {} }) });
  return { s, net, arrivals };
}

describe("partitions", () => {
  it("stall a connection and resume it at the next backed-off retransmission after healing", () => {
    const { s, net, arrivals } = setup();
    const conn = net.connect<string>("a", { host: "b", port: 1 }, { onOpen: () => {}, onFail: () => {}, onMessage: () => {}, onClose: () => {} });
    s.runUntil(100, () => conn.clientOpen);
    net.partition([["a"], ["b"]]);
    const cutAt = s.now;
    conn.sendToServer("held-1");
    conn.sendToServer("held-2");
    s.runUntil(cutAt + 5000);
    expect(arrivals).toEqual([]);
    net.heal();
    s.runUntil(cutAt + 60_000);
    expect(arrivals.map((a) => a.m)).toEqual(["held-1", "held-2"]);
    // Retransmissions at +200, +600, +1400, +3000, +6200 ms: the first one after the heal (5 s) is at 6.2 s.
    const resume = nextRetransmission(cutAt, cutAt + 5000);
    expect(resume - cutAt).toBe(6200);
    expect(arrivals[0]!.at).toBeGreaterThanOrEqual(resume);
    expect(conn.clientOpen).toBe(true);
  });

  it("block only the cut direction of a one-way cut", () => {
    const { s, net, arrivals } = setup();
    const replies: string[] = [];
    const conn = net.connect<string>("a", { host: "b", port: 1 }, { onOpen: () => {}, onFail: () => {}, onMessage: (m) => replies.push(m), onClose: () => {} });
    s.runUntil(100, () => conn.clientOpen);
    net.cut("b", "a");
    conn.sendToServer("to-b");
    s.runUntil(s.now + 1000);
    expect(arrivals.map((a) => a.m)).toEqual(["to-b"]);
    expect(net.topology.blocked("b", "a")).toBe(true);
    expect(net.topology.blocked("a", "b")).toBe(false);
  });

  it("time out a connection attempt across a partition, and refuse one to a port nobody listens on", () => {
    const { s, net } = setup();
    net.partition([["a"], ["b"]]);
    const outcome: string[] = [];
    net.connect("a", { host: "b", port: 1 }, { onOpen: () => outcome.push("open"), onFail: (r) => outcome.push(`${r} @${s.now}`), onMessage: () => {}, onClose: () => {} });
    net.heal();
    net.partition([["a"], ["b"]]);
    s.runUntil(10_000);
    expect(outcome).toEqual(["Connection timed out @2000"]);
    net.heal();
    const refused: string[] = [];
    net.connect("a", { host: "b", port: 9 }, { onOpen: () => refused.push("open"), onFail: (r) => refused.push(r), onMessage: () => {}, onClose: () => {} });
    s.runUntil(20_000);
    expect(refused).toEqual(["Connection refused"]);
  });

  it("reset every connection of a host, both ends seeing the close", () => {
    const { s, net } = setup();
    const closed: string[] = [];
    const conn = net.connect("a", { host: "b", port: 1 }, { onOpen: () => {}, onFail: () => {}, onMessage: () => {}, onClose: (r) => closed.push(r) });
    s.runUntil(100, () => conn.clientOpen);
    expect(net.resetConnectionsOf("b")).toBe(1);
    expect(closed).toEqual(["connection reset by peer"]);
    expect(net.connections()).toEqual([]);
  });
});

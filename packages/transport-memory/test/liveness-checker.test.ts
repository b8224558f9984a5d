import { describe, expect, it } from "vitest";
import { LivenessChecker } from "../src/checkers/liveness.js";
import type { Violation } from "../src/checkers/violation.js";
import type { ClusterProbe, DataNodeState } from "../src/cluster/probe.js";
import { masterView, StubEngine, sentinel } from "./fakes.js";

function probe(now: number, reported: string[], nodes: DataNodeState[]): ClusterProbe {
  const sentinels = reported.map((addr, i) => {
    const s = sentinel(`s${i + 1}`, String.fromCharCode(97 + i));
    const e = new StubEngine(s.myId);
    const [host, port] = addr.split(":");
    const a = { host: host!, port: Number(port) };
    e.masters = [masterView({ name: "mymaster", addr: a, currentAddr: a })];
    return { ref: s, engine: e };
  });
  return { now, groupNames: () => ["mymaster"], liveSentinels: () => sentinels, dataNodes: () => nodes };
}

const node = (key: string, role: "master" | "slave", masterKey: string | null, extra: Partial<DataNodeState> = {}): DataNodeState => ({
  key,
  alive: true,
  paused: false,
  role,
  masterKey,
  linkUp: role === "slave",
  ...extra,
});

const healthy = [node("10.0.1.2:6379", "master", null), node("10.0.1.1:6379", "slave", "10.0.1.2:6379"), node("10.0.1.3:6379", "slave", "10.0.1.2:6379")];

describe("liveness checker", () => {
  it("settles once every sentinel agrees, the node is a master and the others replicate from it", () => {
    const found: Violation[] = [];
    const c = new LivenessChecker({ healedAt: 1000, boundMs: 5000, stableMs: 500 }, (v) => found.push(v));
    c.sample(probe(1000, ["10.0.1.2:6379", "10.0.1.2:6379"], healthy));
    expect(c.settled(1000)).toBe(false);
    c.sample(probe(1600, ["10.0.1.2:6379", "10.0.1.2:6379"], healthy));
    expect(c.settled(1600)).toBe(true);
    expect(c.agreed).toEqual({ mymaster: "10.0.1.2:6379" });
    expect(found).toEqual([]);
  });

  it("reports once when the bound passes with sentinels disagreeing", () => {
    const found: Violation[] = [];
    const c = new LivenessChecker({ healedAt: 1000, boundMs: 5000, stableMs: 500 }, (v) => found.push(v));
    for (let t = 1000; t <= 8000; t += 250) c.sample(probe(t, ["10.0.1.2:6379", "10.0.1.1:6379"], healthy));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain("sentinels disagree");
  });

  it("names the problem: two masters, a replica of the wrong node, a link down, a dead master", () => {
    const c = new LivenessChecker({ healedAt: 0, boundMs: 1, stableMs: 1 }, () => {});
    const agree = ["10.0.1.2:6379"];
    expect(c.evaluate(probe(0, agree, [healthy[0]!, node("10.0.1.1:6379", "master", null)]))).toContain("a master too");
    expect(c.evaluate(probe(0, agree, [healthy[0]!, node("10.0.1.1:6379", "slave", "10.0.1.3:6379")]))).toContain("a replica of 10.0.1.3:6379");
    expect(c.evaluate(probe(0, agree, [healthy[0]!, node("10.0.1.1:6379", "slave", "10.0.1.2:6379", { linkUp: false })]))).toContain("link to 10.0.1.2:6379 down");
    expect(c.evaluate(probe(0, agree, [node("10.0.1.2:6379", "master", null, { alive: false })]))).toContain("is down");
  });
});

import { describe, expect, it } from "vitest";
import { WriteLedger } from "../src/checkers/write-ledger.js";
import { Keyspace } from "../src/redis/keyspace.js";

const w = (id: number, time: number, node = "10.0.1.1:6379", outcome = "ok") => ({ time, writer: "w1", master: "mymaster", node, key: "k", id, outcome });

describe("write ledger", () => {
  it("counts acknowledged writes missing from the final master, per fault that explains them", () => {
    const ledger = new WriteLedger();
    for (const x of [w(1, 100), w(2, 200), w(3, 300), w(4, 400, "10.0.1.2:6379"), w(5, 500, "10.0.1.1:6379", "READONLY ...")]) ledger.onWrite(x);
    const final = new Keyspace();
    final.append("k", 1);
    final.append("k", 4);
    const report = ledger.account(new Map([["mymaster", final]]), [
      { kind: "crash-replica", at: 0, healedAt: 10_000, hosts: ["10.0.1.3"] }, // another host: cannot explain these
      { kind: "partition-master-minority", at: 150, healedAt: 250, hosts: ["10.0.1.1"] },
      { kind: "crash-master", at: 280, healedAt: 900, hosts: ["10.0.1.1"] },
    ]);
    expect(report).toEqual({ acknowledged: 4, lost: 2, byFault: { "partition-master-minority": 1, "crash-master": 1 }, failed: 1 });
  });

  it("attributes a loss after a fault healed to that fault's aftermath, and one no fault touched to `none`", () => {
    const ledger = new WriteLedger();
    ledger.onWrite(w(1, 5000));
    ledger.onWrite(w(2, 100, "10.0.1.3:6379"));
    const faults = [
      { kind: "partition-master-minority", at: 1000, healedAt: 2000, hosts: ["10.0.1.1"] },
      { kind: "pause-master", at: 3000, healedAt: 4000, hosts: ["10.0.1.1"] },
    ];
    expect(ledger.account(new Map([["mymaster", new Keyspace()]]), faults).byFault).toEqual({ "pause-master": 1, none: 1 });
  });
});

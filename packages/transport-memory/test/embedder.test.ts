import type { Address } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { SimClient } from "../src/client/sim-client.js";
import { SimCluster } from "../src/cluster/sim-cluster.js";

/**
 * What an embedder's own code might look like: a tiny service that finds the master through
 * Sentinel and writes to it, retrying through the next sentinel and re-resolving on errors. It only
 * depends on a client with `call(addr, request)`, so in tests it gets a simulated one.
 */
class CounterService {
  private master: Address | null = null;
  constructor(
    private readonly client: SimClient,
    private readonly sentinels: readonly Address[],
  ) {}
  async increment(id: number): Promise<boolean> {
    for (let attempt = 0; attempt < 6; attempt++) {
      if (this.master === null) {
        const r = await this.client.call(this.sentinels[attempt % this.sentinels.length]!, { t: "get-master-addr-by-name", name: "mymaster" });
        if (r.ok && r.reply.t === "master-addr") this.master = r.reply.addr;
        if (this.master === null) continue;
      }
      const w = await this.client.call(this.master, { t: "write", key: "counter", id });
      if (w.ok && w.reply.t === "status" && w.reply.ok) return true;
      this.master = null; // READONLY, timeout, closed: ask Sentinel again
    }
    return false;
  }
}

describe("testing an embedder's service against a simulated cluster", { timeout: 120_000 }, () => {
  it("keeps working across a failover, on virtual time", async () => {
    const cluster = new SimCluster({ seed: 5, writersPerMaster: 0 });
    cluster.start();
    cluster.run(3000);
    const service = new CounterService(new SimClient(cluster.scheduler, cluster.network, "10.0.250.1"), cluster.sentinels.map((s) => s.addr));
    expect(await cluster.settle(service.increment(1))).toBe(true);
    cluster.crashRedis("10.0.1.1:6379");
    let ok = false;
    for (let id = 2; id < 60 && !ok; id++) {
      ok = await cluster.settle(service.increment(id), 20_000);
      if (!ok) cluster.run(1000);
    }
    expect(ok).toBe(true);
    const newMaster = cluster.reportedMaster("mymaster")!;
    expect(newMaster.key).not.toBe("10.0.1.1:6379");
    expect(newMaster.data.get("counter")).toContain(1);
  });
});

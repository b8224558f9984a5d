// A master mid-`FAILOVER` pauses writes, and PUBLISH is one (may-replicate): a hello sent to it would
// hold every later command on the link (INFO, PING) until the hand-over ends, so the master would look
// silent and the stuck hand-over would go unseen. Hellos to it wait until it reports no-failover.
import { describe, expect, it } from "vitest";
import { MiniCluster } from "./support/mini-cluster.js";

const hellosTo = (c: MiniCluster, i: number, port: number, from: number) =>
  c.sentinels[i]!.commands.filter((x) => x.at >= from && x.value.kind === "publish-hello" && x.value.addr.port === port).length;

describe("hellos to a master in a FAILOVER hand-over", () => {
  it("stop while it reports one, go on to its replicas, and resume once it reports no-failover", () => {
    const c = new MiniCluster({ sentinels: 3, master: 6379, replicas: [6380], quorum: 2, downAfterMs: 5000, seed: 3 });
    c.run(5000);
    const master = c.node(6379);
    master.failoverState = "no-failover";
    c.run(12000);
    const t0 = c.now;
    c.run(6000);
    expect(hellosTo(c, 0, 6379, t0)).toBeGreaterThan(0);

    master.failoverState = "waiting-for-sync";
    c.run(11000); // one INFO period: the state is seen
    const t1 = c.now;
    c.run(8000);
    expect(hellosTo(c, 0, 6379, t1)).toBe(0);
    expect(hellosTo(c, 0, 6380, t1)).toBeGreaterThan(0);

    master.failoverState = "no-failover";
    c.run(11000);
    const t2 = c.now;
    c.run(6000);
    expect(hellosTo(c, 0, 6379, t2)).toBeGreaterThan(0);
  });
});

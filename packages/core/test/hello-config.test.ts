// Hello processing (§7.2): discovery, epochs, and configuration propagation by config epoch.
import { describe, expect, it } from "vitest";
import { encodeHello } from "../src/index.js";
import { summary } from "./support/engine-records.js";
import { hexId, MiniCluster } from "./support/mini-cluster.js";

const NEW = { host: "127.0.0.1", port: 6380 };

function lone(): MiniCluster {
  const c = new MiniCluster({
    sentinels: 1,
    master: 6379,
    replicas: [6380, 6381],
    quorum: 2,
    downAfterMs: 1000,
    masterSettings: { clientReconfigScript: "/bin/reconfig.sh" },
  });
  c.run(12000);
  return c;
}
const peer = { addr: { host: "127.0.0.1", port: 27000 }, runId: hexId(0xfee000) };
const hello = (c: MiniCluster, currentEpoch: number, configEpoch: number, addr?: { host: string; port: number }) => {
  const before = c.sentinels[0]!.outputs.length;
  c.helloFrom(0, peer, currentEpoch, configEpoch, addr);
  return c.sentinels[0]!.outputs[before]!;
};
const lines = (o: { events: { type: string; payload: string }[] }) => o.events.filter((e) => e.type[0] === "+" || e.type[0] === "-").map((e) => `${e.type} ${e.payload}`);

describe("discovery and epochs", () => {
  it("a hello from an unknown sentinel adds it (+sentinel) and persists, deferrably (discovery only)", () => {
    const c = lone();
    const out = hello(c, 0, 0);
    expect(lines(out)).toEqual([`+sentinel sentinel ${peer.runId} 127.0.0.1 27000 @ mymaster 127.0.0.1 6379`]);
    expect(out.commands[0]).toMatchObject({ kind: "persist", deferrable: true });
    expect(c.sentinels[0]!.persisted!.masters[0]!.knownSentinels).toEqual([{ host: "127.0.0.1", port: 27000, runId: peer.runId }]);
  });

  it("a higher current epoch is adopted with +new-epoch and persisted; an equal or lower one is not", () => {
    const c = lone();
    hello(c, 0, 0);
    const out = hello(c, 7, 0);
    expect(lines(out)).toEqual(["+new-epoch 7"]);
    expect(out.commands[0]!.kind).toBe("persist");
    expect(out.commands[0]).not.toHaveProperty("deferrable"); // an epoch must be on disk at once
    expect(c.engine().currentEpoch()).toBe(7);
    const again = hello(c, 5, 0);
    expect(again.events).toEqual([]);
    expect(again.commands.filter((x) => x.kind === "persist")).toEqual([]);
    expect(c.engine().currentEpoch()).toBe(7);
  });

  it("an unknown sentinel announcing a higher epoch: one durable persist covers both", () => {
    const c = lone();
    const out = hello(c, 3, 0);
    const persists = out.commands.filter((x) => x.kind === "persist");
    expect(persists).toHaveLength(1);
    expect(persists[0]).not.toHaveProperty("deferrable");
    expect(c.sentinels[0]!.persisted!.currentEpoch).toBe(3);
    expect(c.sentinels[0]!.persisted!.masters[0]!.knownSentinels).toHaveLength(1);
  });

  it("a known runid at a new address: +sentinel-address-switch", () => {
    const c = lone();
    hello(c, 0, 0);
    const moved = { addr: { host: "127.0.0.1", port: 27999 }, runId: peer.runId };
    const before = c.sentinels[0]!.outputs.length;
    c.helloFrom(0, moved, 0, 0);
    expect(lines(c.sentinels[0]!.outputs[before]!)).toEqual([`+sentinel-address-switch master mymaster 127.0.0.1 6379 ip 127.0.0.1 port 27999 for ${peer.runId}`]);
    expect(summary(c.engine()).masters[0]!.sentinels.map((s) => s.addr.port)).toEqual([27999]);
  });

  it("a different runid at a known address: +sentinel-invalid-addr for the old record, which is removed", () => {
    const c = lone();
    hello(c, 0, 0);
    const impostor = { addr: peer.addr, runId: hexId(0xbad) };
    const before = c.sentinels[0]!.outputs.length;
    c.helloFrom(0, impostor, 0, 0);
    expect(lines(c.sentinels[0]!.outputs[before]!)).toEqual([
      `+sentinel-invalid-addr sentinel ${peer.runId} 127.0.0.1 27000 @ mymaster 127.0.0.1 6379`,
      `+sentinel sentinel ${impostor.runId} 127.0.0.1 27000 @ mymaster 127.0.0.1 6379`,
    ]);
    expect(summary(c.engine()).masters[0]!.sentinels.map((s) => s.runId)).toEqual([impostor.runId]);
  });

  it("ignores hellos about unknown masters, our own hellos, and malformed payloads (without throwing)", () => {
    const c = lone();
    const bad = [
      encodeHello({ sentinelIp: "127.0.0.1", sentinelPort: 27000, sentinelRunId: peer.runId, currentEpoch: 9, masterName: "other", masterIp: "127.0.0.1", masterPort: 1, masterConfigEpoch: 9 }),
      encodeHello({ sentinelIp: "127.0.0.1", sentinelPort: 26379, sentinelRunId: c.engine().myId, currentEpoch: 9, masterName: "mymaster", masterIp: "127.0.0.1", masterPort: 6380, masterConfigEpoch: 9 }),
      "not,a,hello",
      "1,2,3,4,5,6,7,8,9",
      "",
    ];
    for (const payload of bad) {
      const out = c.feed(0, { kind: "hello", now: c.now, via: null, payload });
      expect(out.events.filter((e) => e.level !== "debug")).toEqual([]);
      expect(out.commands.filter((x) => x.kind === "persist")).toEqual([]);
    }
    // Our own hello echoed on a pub/sub channel is dropped before decoding.
    const own = c.feed(0, { kind: "hello", now: c.now, via: { host: "127.0.0.1", port: 6379 }, payload: bad[1]! });
    expect(own).toEqual({ commands: [], events: [] });
    expect(c.engine().currentEpoch()).toBe(0);
    expect(summary(c.engine()).masters[0]!.sentinels).toEqual([]);
  });
});

describe("configuration propagation by config epoch", () => {
  it("a higher config epoch with a new address: +config-update-from, +switch-master, reset-and-change-address, observer script", () => {
    const c = lone();
    hello(c, 0, 0);
    const out = hello(c, 3, 3, NEW);
    expect(lines(out)).toEqual([
      "+new-epoch 3",
      `+config-update-from sentinel ${peer.runId} 127.0.0.1 27000 @ mymaster 127.0.0.1 6379`,
      "+switch-master mymaster 127.0.0.1 6379 127.0.0.1 6380",
      "+slave slave 127.0.0.1:6381 127.0.0.1 6381 @ mymaster 127.0.0.1 6380",
      "+slave slave 127.0.0.1:6379 127.0.0.1 6379 @ mymaster 127.0.0.1 6380",
    ]);
    expect(out.commands[0]!.kind).toBe("persist");
    const script = out.commands.filter((x) => x.kind === "run-script" && x.script === "client-reconfig");
    expect(script).toEqual([
      { kind: "run-script", script: "client-reconfig", path: "/bin/reconfig.sh", args: ["mymaster", "observer", "start", "127.0.0.1", "6379", "127.0.0.1", "6380"] },
    ]);
    expect(c.engine().getMasterAddrByName("mymaster")).toEqual(NEW);
    const v = summary(c.engine()).masters[0]!;
    expect(v.configEpoch).toBe(3);
    expect(v.sentinels.map((s) => s.runId)).toEqual([peer.runId]); // sentinels kept
    const p = c.sentinels[0]!.persisted!.masters[0]!;
    expect([p.settings.port, p.configEpoch]).toEqual([6380, 3]);
  });

  it("a higher config epoch with the same address only updates the epoch: no event, no persist", () => {
    const c = lone();
    hello(c, 0, 0);
    const out = hello(c, 0, 4, { host: "127.0.0.1", port: 6379 });
    expect(out.events).toEqual([]);
    expect(out.commands.filter((x) => x.kind === "persist")).toEqual([]);
    expect(summary(c.engine()).masters[0]!.configEpoch).toBe(4);
    expect(c.engine().getMasterAddrByName("mymaster")).toEqual({ host: "127.0.0.1", port: 6379 });
  });

  it("an equal or lower config epoch never moves the master", () => {
    const c = lone();
    hello(c, 0, 0);
    hello(c, 0, 4, { host: "127.0.0.1", port: 6379 });
    for (const epoch of [4, 3, 0]) {
      const out = hello(c, 0, epoch, NEW);
      expect(out.events).toEqual([]);
      expect(c.engine().getMasterAddrByName("mymaster")).toEqual({ host: "127.0.0.1", port: 6379 });
    }
  });

  it("the first hello from a new sentinel can already carry the switch (record created, then compared)", () => {
    const c = lone();
    const out = hello(c, 2, 2, NEW);
    expect(lines(out).map((l) => l.split(" ")[0])).toEqual(["+sentinel", "+new-epoch", "+config-update-from", "+switch-master", "+slave", "+slave"]);
  });

  it("end to end: observers switch when the leader's hellos carry the new config epoch", () => {
    const c = new MiniCluster({ sentinels: 3, master: 6379, replicas: [6380, 6381], quorum: 2, downAfterMs: 1000 });
    c.run(5000);
    c.kill(6379);
    c.runUntil(() => c.masterAddrs().every((a) => a !== "127.0.0.1:6379"), 10000, 10);
    const leader = c.sentinels.findIndex((_s, i) => c.saw(i, "+elected-leader"));
    const epoch = summary(c.engine(leader)).masters[0]!.configEpoch;
    expect(epoch).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      expect(summary(c.engine(i)).masters[0]!.configEpoch).toBe(epoch);
      if (i === leader) continue;
      const seq = c.eventTypes(i).filter((t) => ["+config-update-from", "+switch-master", "+slave", "+elected-leader"].includes(t));
      expect(seq.slice(-4)).toEqual(["+config-update-from", "+switch-master", "+slave", "+slave"]);
    }
  });
});

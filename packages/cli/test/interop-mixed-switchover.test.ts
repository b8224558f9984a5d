/**
 * A coordinated switchover in a mixed fleet: the leader is a vigil daemon, the two other sentinels
 * are the real `redis-sentinel` (Debian 7.0.15; also Redis 7.2.6 and Valkey 8.0.1 with vigil in the
 * matching dialect). `SENTINEL FAILOVER mymaster COORDINATED` on vigil must be elected by the others
 * (they vote for it in the new epoch as for any failover, although the master is up), and they must
 * accept the result like any failover: `+config-update-from` the leader's hello, then `+switch-master`
 * to the new master, with the config epochs agreeing. The old master is not killed: it is a replica
 * of the new one afterwards and every sentinel sees it as one. Missing binaries fail the suite.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ask, Fleet, instances, type Kind, masterInfo, ofType } from "./support/fleet.js";
import type { SentinelDialect } from "./support/oracles.js";
import { killAll, waitFor } from "./support/processes.js";

let fleet: Fleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
  await killAll();
});

const FLEETS: [string, Kind[], SentinelDialect | undefined][] = [
  ["vigil leader + 2 redis-sentinel 7.0.15", ["vigil", "redis", "redis"], undefined],
  ["vigil (redis-7.2) leader + 2 redis-sentinel 7.2.6", ["vigil", "redis", "redis"], "redis-7.2"],
  ["vigil (valkey-8) leader + 2 valkey-sentinel 8.0.1", ["vigil", "redis", "redis"], "valkey-8"],
];

describe.each(FLEETS)("coordinated switchover in a mixed fleet: %s", (_label, kinds, dialect) => {
  it("the other kind votes for the vigil leader and takes the new master from its hello", { timeout: 120000 }, async () => {
    fleet = await Fleet.start(kinds, { dialect });
    const f = fleet;
    const lead = f.members.find((m) => m.kind === "vigil")!;
    const others = f.members.filter((m) => m !== lead);
    const oldPort = f.masterPort;
    const marks = f.marks();
    expect(await ask(lead.port, "SENTINEL", "FAILOVER", "mymaster", "COORDINATED")).toBe("OK");

    const end = await lead.events.waitFor((e) => e.channel === "+switchover-end", marks.get(lead), 30000);
    const newPort = Number(end.payload.split(" ").at(-1));
    expect(end.payload).toBe(`mymaster 127.0.0.1 ${oldPort} 127.0.0.1 ${newPort}`);
    const since = (m: (typeof f.members)[number]) => m.events.since(marks.get(m) ?? 0);
    const dump = () => f.members.map((m) => `${m.kind}:${m.port}\n  ${since(m).map((e) => `${e.channel} ${e.payload}`).join("\n  ")}`).join("\n");
    for (const m of f.members) {
      await m.events.waitFor((e) => e.channel === "+switch-master", marks.get(m), 30000);
      expect(ofType(since(m), "+switch-master").map((e) => e.payload), `${m.kind}:${m.port}\n${dump()}`).toEqual([`mymaster 127.0.0.1 ${oldPort} 127.0.0.1 ${newPort}`]);
    }
    // The election: both others voted for vigil in the switchover's epoch, and took the config from its hello.
    const epoch = Number(ofType(since(lead), "+new-epoch").at(-1)?.payload ?? Number.NaN);
    for (const m of others) {
      expect(ofType(since(m), "+vote-for-leader").map((e) => e.payload), `${m.kind}:${m.port}\n${dump()}`).toContain(`${lead.myId} ${epoch}`);
      expect(ofType(since(m), "+config-update-from").length, `${m.kind}:${m.port}\n${dump()}`).toBe(1);
      expect(ofType(since(m), "+try-failover"), `${m.kind}:${m.port} started no failover of its own`).toEqual([]);
    }
    // Everyone settles on the new master, the old one listed as its replica; config epochs agree.
    f.masterPort = newPort;
    await f.waitHealthy();
    for (const m of f.members) {
      const reps = await instances(m.port, "replicas");
      expect(reps.map((r) => Number(r.port))).toContain(oldPort);
    }
    await waitFor(async () => {
      const epochs = await Promise.all(f.members.map(async (m) => Number((await masterInfo(m.port))["config-epoch"])));
      return epochs.every((e) => e === epoch);
    }, 10000);
  });
});

/**
 * Mixed fleets: vigil daemons and the real `redis-sentinel` (Debian 7.0.15; also Redis 7.2.6 and
 * Valkey 8.0.1 with vigil in the matching dialect) monitor one master with two replicas. They must discover each other through hello, answer each other's
 * IS-MASTER-DOWN-BY-ADDR, vote for each other and agree on epochs. The master is killed several
 * times in a row (the old master comes back as a replica each time, so there are always two
 * replicas): the first round is a free race (vigil in its default `fast` profile against Sentinel's
 * periods), the next rounds steer the first ODOWN to a sentinel of each kind, so both kinds win an
 * election. Every failover must complete with every sentinel reporting the same master and the
 * same config epoch. Missing binaries fail the suite (never skip).
 */
import { afterEach, describe, expect, it } from "vitest";
import { type EventEntry, Fleet, instances, type Kind, type Member, masterInfo, ofType, persistedEpoch } from "./support/fleet.js";
import type { SentinelDialect } from "./support/oracles.js";
import { killAll, waitFor } from "./support/processes.js";

let fleet: Fleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
  await killAll();
});

interface Round {
  readonly steered: Kind | null;
  readonly leaders: Member[];
  readonly newMaster: number;
  readonly ms: number;
  readonly aborts: number;
}

/** Kill the master, wait for the fleet to converge on a new one, check who led and that epochs agree. */
async function round(f: Fleet, leader: Member | null, prevConfigEpoch: number): Promise<Round & { configEpoch: number }> {
  const marks = f.marks();
  await f.steer(leader);
  const started = Date.now();
  const oldPort = f.masterPort;
  const old = f.killMaster();
  const newMaster = await f.completeFailover(old, marks);
  const ms = Date.now() - started;
  expect(newMaster).not.toBe(oldPort);

  const since = (m: Member): EventEntry[] => m.events.since(marks.get(m) ?? 0);
  const leaders = f.members.filter((m) => ofType(since(m), "+elected-leader").length > 0);
  const aborts = f.members.reduce((n, m) => n + since(m).filter((e) => e.channel.startsWith("-failover-abort")).length, 0);
  const dump = () => f.members.map((m) => `${m.kind}:${m.port}\n  ${since(m).map((e) => `${e.at} ${e.channel} ${e.payload}`).join("\n  ")}`).join("\n");
  expect(leaders.length, `exactly one elected leader (${leaders.map((m) => `${m.kind}:${m.port}`).join(",")})\n${dump()}`).toBe(1);
  if (leader) expect(leaders[0]).toBe(leader);
  const lead = leaders[0]!;
  // The leader ran the whole failover and switched; every other sentinel switched from its hello.
  for (const type of ["+try-failover", "+selected-slave", "+promoted-slave", "+failover-end", "+switch-master"]) {
    expect(ofType(since(lead), type).length, `${lead.kind} leader published ${type}`).toBeGreaterThan(0);
  }
  for (const m of f.members) {
    const switches = ofType(since(m), "+switch-master");
    expect(switches.length, `${m.kind}:${m.port} switched once`).toBe(1);
    expect(switches[0]!.payload).toBe(`mymaster 127.0.0.1 ${oldPort} 127.0.0.1 ${newMaster}`);
    if (m !== lead) expect(ofType(since(m), "+config-update-from").length, `${m.kind} observer took the config from a hello`).toBe(1);
  }
  // The leader won a majority in its epoch: its own vote plus +vote-for-leader <leader> <epoch> from
  // enough others (in a steered round: from every other sentinel, whatever its kind).
  const epochOf = ofType(since(lead), "+elected-leader").length > 0 ? Number(ofType(since(lead), "+vote-for-leader").at(-1)?.payload.split(" ")[1]) : 0;
  const voters = f.members.filter((m) => ofType(since(m), "+vote-for-leader").some((e) => e.payload === `${lead.myId} ${epochOf}`));
  expect(voters.length, `voters for ${lead.kind}:${lead.port} in epoch ${epochOf}\n${dump()}`).toBeGreaterThanOrEqual(Math.floor(f.members.length / 2) + 1);
  if (leader) expect(voters.length, "everyone voted for the steered leader").toBe(f.members.length);
  // Config epochs agree and moved forward; current epochs (as persisted) agree.
  const epochs = await Promise.all(f.members.map(async (m) => Number((await masterInfo(m.port))["config-epoch"])));
  expect(new Set(epochs).size, `config epochs ${epochs.join(",")}`).toBe(1);
  expect(epochs[0]!).toBeGreaterThan(prevConfigEpoch);
  await waitFor(() => {
    const cur = f.members.map((m) => persistedEpoch(m.conf));
    return new Set(cur).size === 1 && cur[0]! >= epochs[0]!;
  }, 10000);
  return { steered: leader?.kind ?? null, leaders, newMaster, ms, aborts, configEpoch: epochs[0]! };
}

/** SENTINEL SENTINELS on each member lists every other member with its port and run id. */
async function expectDiscovery(f: Fleet): Promise<void> {
  for (const m of f.members) {
    const ss = await instances(m.port, "sentinels");
    const seen = ss.map((s) => `${s.ip}:${s.port}:${s.runid}:${s.flags}`).sort();
    const want = f.members
      .filter((o) => o !== m)
      .map((o) => `127.0.0.1:${o.port}:${o.myId}:sentinel`)
      .sort();
    expect(seen, `${m.kind}:${m.port} SENTINEL SENTINELS`).toEqual(want);
    const master = await masterInfo(m.port);
    expect(master["num-other-sentinels"]).toBe(String(f.members.length - 1));
    expect(master["num-slaves"]).toBe("2");
  }
}

/** Both proportions against Debian's 7.0.15; one each against Redis 7.2.6 and Valkey 8.0.1 (vigil in that dialect). */
const FLEETS: [string, Kind[], SentinelDialect | undefined][] = [
  ["1 vigil + 2 redis-sentinel", ["vigil", "redis", "redis"], undefined],
  ["2 vigil + 1 redis-sentinel", ["vigil", "vigil", "redis"], undefined],
  ["1 vigil (redis-7.2) + 2 redis-sentinel 7.2.6", ["vigil", "redis", "redis"], "redis-7.2"],
  ["2 vigil (valkey-8) + 1 valkey-sentinel 8.0.1", ["vigil", "vigil", "redis"], "valkey-8"],
];

describe.each(FLEETS)("mixed fleet: %s", (_label, kinds, dialect) => {
  it("discovers, votes across kinds, and fails over repeatedly with both kinds as leader", { timeout: 300000 }, async () => {
    const t0 = Date.now();
    fleet = await Fleet.start(kinds, { dialect });
    const f = fleet;
    await expectDiscovery(f);

    const redis = f.members.filter((m) => m.kind === "redis");
    const vigil = f.members.filter((m) => m.kind === "vigil");
    // Round 1: nobody steered (vigil's fast profile against Sentinel's periods); then one round
    // led by each kind (by the sentinel of the other kind's majority, so minorities win too).
    const plan: (Member | null)[] = [null, redis[0]!, vigil[0]!, redis.length > 1 ? redis[1]! : vigil[1]!];
    const rounds: Round[] = [];
    let configEpoch = 0;
    for (const leader of plan) {
      const r = await round(f, leader, configEpoch);
      configEpoch = r.configEpoch;
      rounds.push(r);
    }
    const leaderKinds = new Set(rounds.map((r) => r.leaders[0]!.kind));
    expect([...leaderKinds].sort()).toEqual(["redis", "vigil"]);
    await expectDiscovery(f);
    console.log(
      `[mixed ${kinds.join("+")}${dialect ? ` ${dialect}` : ""}] setup+rounds ${Date.now() - t0} ms; ` +
        rounds.map((r, i) => `#${i + 1} ${r.steered ?? "free"} -> leader ${r.leaders[0]!.kind}, ${r.ms} ms, aborts ${r.aborts}`).join("; "),
    );
  });
});

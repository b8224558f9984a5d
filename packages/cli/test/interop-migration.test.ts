/**
 * Rolling migration between `redis-sentinel` (Debian 7.0.15) and vigil, one sentinel at a time, each
 * replacement reading the very same config file (as rewritten by its predecessor) on the same port.
 * The replacement keeps the predecessor's myid, so the rest of the fleet sees the same sentinel come
 * back. During the swaps no sentinel may report the healthy master `+sdown`/`+odown` (every
 * sentinel's events are watched with `PSUBSCRIBE *`). In the middle of the migration the master dies
 * while one sentinel is being swapped (two of three running): the failover completes, and the
 * replacement, started on a config that still names the old master, catches up through hello. The
 * finished fleet must still fail over. Both directions, and valkey-sentinel 8.0.1 → vigil
 * `--vigil-dialect valkey-8` on the files Valkey wrote (its `primary-reboot-down-after-period`
 * spelling included). Missing binaries fail the suite.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_DOWN_AFTER, Fleet, type FleetOptions, type Kind, type Member, masterDownEvents, masterInfo, ofType, persistedEpoch, reportedMaster } from "./support/fleet.js";
import { killAll, sleep, waitFor } from "./support/processes.js";

let fleet: Fleet | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
  await killAll();
});

/** Master `+sdown`/`+odown` seen by any member since the marks (members started later: whole log). */
function spurious(f: Fleet, marks: Map<Member, number>): string[] {
  const out: string[] = [];
  for (const m of f.members) {
    for (const e of masterDownEvents(m.events.since(marks.get(m) ?? 0))) out.push(`${m.kind}:${m.port} ${e.channel} ${e.payload}`);
  }
  return out;
}

/** Swap one member in a healthy fleet; the master must stay up for everyone. */
async function quietSwap(f: Fleet, m: Member, to: Kind, beforeTakeover: FileCheck): Promise<{ member: Member; ms: number }> {
  const marks = f.marks();
  const t = Date.now();
  const myId = m.myId;
  await f.remove(m);
  beforeTakeover(m.conf);
  const member = await f.add(to, { conf: m.conf, port: m.port });
  expect(member.myId, "the replacement keeps the myid from the shared config file").toBe(myId);
  await f.waitHealthy();
  const ms = Date.now() - t;
  expect(spurious(f, marks), "no +sdown/+odown on the master during the swap").toEqual([]);
  // Same myid at the same address: the others keep their record, no new sentinel is announced.
  for (const o of f.members.filter((x) => x !== member)) expect(ofType(o.events.since(marks.get(o) ?? 0), "+sentinel"), `${o.kind}:${o.port}`).toEqual([]);
  return { member, ms };
}

/** Kill the master, wait for agreement, restart it as a replica; returns the duration. */
async function failover(f: Fleet): Promise<number> {
  const marks = f.marks();
  const t = Date.now();
  const old = f.killMaster();
  const oldPort = f.masterPort;
  const now = await f.completeFailover(old, marks);
  expect(now).not.toBe(oldPort);
  const leaders = f.members.filter((m) => ofType(m.events.since(marks.get(m) ?? 0), "+elected-leader").length > 0);
  expect(leaders.length).toBe(1);
  await expectEpochsAgree(f);
  return Date.now() - t;
}

async function expectEpochsAgree(f: Fleet): Promise<void> {
  const epochs = await Promise.all(f.members.map(async (m) => (await masterInfo(m.port))["config-epoch"]));
  expect(new Set(epochs).size, `config epochs ${epochs.join(",")}`).toBe(1);
  await waitFor(() => new Set(f.members.map((m) => persistedEpoch(m.conf))).size === 1, 10000);
}

/** A check on a config file just before a sentinel of the other kind starts on it. */
type FileCheck = (conf: string) => void;

async function migrate(from: Kind, to: Kind, options: FleetOptions = {}, beforeTakeover: FileCheck = () => {}): Promise<string> {
  const times: string[] = [];
  fleet = await Fleet.start([from, from, from], options);
  const f = fleet;
  const [a, b, c] = [...f.members] as [Member, Member, Member];

  // Master +sdown/+odown are checked over every stretch where the master is alive, from here on.
  let quiet = f.marks();

  // 1. First swap, with a healthy master.
  const s1 = await quietSwap(f, a, to, beforeTakeover);
  times.push(`swap1 ${s1.ms} ms`);

  // 2. Second swap, with the master dying while `b` is down.
  const marks = f.marks();
  const t = Date.now();
  const bConf = b.conf;
  const bPort = b.port;
  const bId = b.myId;
  await f.remove(b);
  await sleep(DEFAULT_DOWN_AFTER + 500); // longer than down-after: a master wrongly judged down would show now
  expect(spurious(f, quiet), "no +sdown/+odown on the master while a sentinel is stopped").toEqual([]);
  const oldMaster = f.masterPort;
  const old = f.killMaster();
  // The two running sentinels (one of each kind) are a majority: they fail over without `b`.
  const newMaster = await f.completeFailover(old, marks);
  expect(newMaster).not.toBe(oldMaster);
  expect(readFileSync(bConf, "utf8"), "b's file still names the old master").toContain(`sentinel monitor mymaster 127.0.0.1 ${oldMaster} `);
  beforeTakeover(bConf);
  const b2 = await f.add(to, { conf: bConf, port: bPort });
  expect(b2.myId).toBe(bId);
  // The replacement adopts the new master from the others' hellos (config epoch is higher).
  await waitFor(async () => (await reportedMaster(bPort)) === newMaster, 20000);
  await f.waitHealthy();
  await expectEpochsAgree(f);
  // It may switch before its event log is subscribed: its own log file has the event.
  await waitFor(() => b2.proc.log().includes(`+switch-master mymaster 127.0.0.1 ${oldMaster} 127.0.0.1 ${newMaster}`), 10000);
  await waitFor(() => readFileSync(bConf, "utf8").includes(`sentinel monitor mymaster 127.0.0.1 ${newMaster} `), 10000);
  times.push(`swap2+failover ${Date.now() - t} ms`);
  quiet = f.marks();

  // 3. Last swap, healthy master again.
  const s3 = await quietSwap(f, c, to, beforeTakeover);
  times.push(`swap3 ${s3.ms} ms`);
  expect(f.members.map((m) => m.kind)).toEqual([to, to, to]);

  await sleep(DEFAULT_DOWN_AFTER + 500);
  expect(spurious(f, quiet), "no +sdown/+odown on the master after the last swap").toEqual([]);

  // 4. The finished fleet still fails over.
  times.push(`final failover ${await failover(f)} ms`);
  return times.join(", ");
}

describe("rolling migration", () => {
  it("redis-sentinel → vigil, one at a time, on the same config files", { timeout: 300000 }, async () => {
    const t = Date.now();
    const times = await migrate("redis", "vigil");
    console.log(`[migration redis→vigil] ${Date.now() - t} ms: ${times}`);
  });

  it("valkey-sentinel 8.0.1 → vigil --vigil-dialect valkey-8, one at a time, on the files Valkey wrote", { timeout: 300000 }, async () => {
    const t = Date.now();
    // Valkey reads Redis's spelling and writes its own: each file a vigil takes over has it.
    const written = "sentinel primary-reboot-down-after-period mymaster 60000";
    const times = await migrate("redis", "vigil", { dialect: "valkey-8", extraConf: ["sentinel master-reboot-down-after-period mymaster 60000"] }, (conf) => {
      // Every takeover is of a file valkey-sentinel ran on (and rewrote: it knows its peers).
      const text = readFileSync(conf, "utf8");
      expect(text, "valkey-sentinel rewrote the file").toContain("sentinel known-sentinel mymaster");
      expect(text, "with its own spelling").toContain(written);
    });
    for (const m of fleet!.members) expect(readFileSync(m.conf, "utf8"), "vigil writes Valkey's spelling back").toContain(written);
    console.log(`[migration valkey→vigil] ${Date.now() - t} ms: ${times}`);
  });

  it("vigil → redis-sentinel, one at a time, on the same config files", { timeout: 300000 }, async () => {
    const t = Date.now();
    const times = await migrate("vigil", "redis");
    console.log(`[migration vigil→redis] ${Date.now() - t} ms: ${times}`);
  });
});

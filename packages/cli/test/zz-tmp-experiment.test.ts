// TEMPORARY experiment (not for commit): free-race failovers in mixed fleets, counting aborts.
import { afterEach, it } from "vitest";
import { Fleet, type Kind, ofType } from "./support/fleet.js";
import { killAll } from "./support/processes.js";

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
  await killAll();
});

const kinds = (process.env.EXP_KINDS ?? "vigil,redis,redis").split(",") as Kind[];
const rounds = Number(process.env.EXP_ROUNDS ?? 6);
const vigilArgs = process.env.EXP_VIGIL_ARGS ? process.env.EXP_VIGIL_ARGS.split(" ") : [];

it("free rounds", { timeout: 1200000 }, async () => {
  fleet = await Fleet.start(kinds, { vigilArgs, downAfter: Number(process.env.EXP_DOWN ?? 1000), extraConf: process.env.EXP_EXTRA ? [process.env.EXP_EXTRA] : [] });
  const f = fleet;
  for (let i = 0; i < rounds; i++) {
    const marks = f.marks();
    const t = Date.now();
    const old = f.killMaster();
    try {
      await f.completeFailover(old, marks);
    } catch (e) {
      console.log(`ROUND ${i} FAILED ${(e as Error).message.slice(0, 300)}`);
      for (const m of f.members) console.log(`FULL ${m.kind}:${m.port} ${m.myId.slice(0, 8)}\n${m.proc.log().split("\n").slice(-400).filter((l) => !/PING|INFO|PUBLISH|is-master-down|pong|Accepted|Client closed|DEBUG.*hello/i.test(l) || /sdown|odown|switch|reconnection|link/.test(l)).join("\n")}`);
      throw e;
    }
    const ms = Date.now() - t;
    const since = (m: (typeof f.members)[0]) => m.events.since(marks.get(m) ?? 0);
    const tries = f.members.map((m) => `${m.kind}:${ofType(since(m), "+try-failover").length}/${ofType(since(m), "-failover-abort-not-elected").length}/${ofType(since(m), "+elected-leader").length}`);
    const second = f.members.some((m) => ofType(since(m), "+switch-master").length > 1);
    console.log(`RESULT ${second ? "DOUBLE" : "single"} ${kinds.join("+")} ${vigilArgs.join(" ")} round ${i} ${ms} ms try/abort/elected ${tries.join(" ")}`);
  }
});

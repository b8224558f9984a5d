// The tick walk visits a master's subtree only when something in it is due (tick/tick-due.ts). The
// due time is computed right after a walk, when the PING just sent has no reply yet, so the next
// PING looks due half an interval on; the reply arrives a millisecond later and moves that deadline
// to a whole interval. Left stale, the due time made one empty walk per PING: half of all walks at
// 200 masters (links/link-replies.ts, `forgetStaleDue`). Counted here on a healthy master whose every
// command is answered, against the same engine walking on every tick.
import { describe, expect, it } from "vitest";
import { contextOf } from "../src/engine/sentinel-engine.js";
import { createPrng, type EngineCommand, type EngineInput, type EngineOutput, SentinelEngine } from "../src/index.js";
import { hexId } from "./support/mini-cluster.js";

const HOST = "127.0.0.1";
const INFO = ["# Server", `run_id:${hexId(0xabc)}`, "# Replication", "role:master", "connected_slaves:0", "master_repl_offset:1", ""].join("\r\n");

/** What a healthy instance sends back for `cmd` (its hellos also come back on the channel). */
function answer(cmd: EngineCommand, now: number): EngineInput[] {
  switch (cmd.kind) {
    case "connect":
      return [{ kind: "link-up", now, addr: cmd.addr, link: cmd.link, localHost: HOST }];
    case "ping":
      return [{ kind: "ping-reply", now, addr: cmd.addr, reply: "PONG" }];
    case "info":
      return [{ kind: "info-reply", now, addr: cmd.addr, text: INFO }];
    case "publish-hello":
      return [
        { kind: "publish-reply", now, addr: cmd.addr, ok: true },
        { kind: "hello", now, via: cmd.addr, payload: cmd.payload },
      ];
    default:
      return [];
  }
}

/** Walks, and the commands sent, over `seconds` of ticks after 20 s of settling; replies 1 ms late. */
function run(seconds: number, walkEveryTick: boolean): { walks: number; sent: string[] } {
  let now = 1_000_037;
  const engine = new SentinelEngine({
    myId: hexId(0x5e1f),
    now,
    prng: createPrng(7),
    masters: [{ settings: { name: "m", host: HOST, port: 6379, quorum: 1, downAfterMs: 5000 } }],
    faults: { walkEveryTick },
  });
  const sent: string[] = [];
  const drain = (out: EngineOutput, at: number): void => {
    for (const cmd of out.commands) {
      sent.push(`${at} ${cmd.kind}`);
      for (const reply of answer(cmd, at + 1)) drain(engine.step(reply), at + 1);
    }
  };
  drain(engine.start(now), now);
  // Every 100 ms give or take a few, as a timer fires (with periods that are multiples of the tick,
  // every deadline would fall exactly on a tick).
  let ticks = 0;
  const tickFor = (ms: number) => {
    for (const end = now + ms; now < end; now += 97 + (ticks++ % 7)) drain(engine.step({ kind: "tick", now }), now);
  };
  tickFor(20_000);
  const c = contextOf(engine);
  const walks0 = c.walks;
  sent.length = 0;
  tickFor(seconds * 1000);
  return { walks: c.walks - walks0, sent };
}

describe("the tick walk's cost", () => {
  it("walks a healthy subtree about once per PING, not again at the PING's stale due time", () => {
    const { walks, sent } = run(60, false);
    // One PING a second (down-after 5000: the adaptive interval is 1000 ms), hellos and INFO riding
    // on it; each INFO reply touches the subtree (one more walk every 10 s).
    const pings = sent.filter((s) => s.endsWith(" ping")).length;
    expect(pings).toBeGreaterThanOrEqual(55);
    expect(pings).toBeLessThanOrEqual(61);
    expect(walks).toBeLessThanOrEqual(pings * 1.25);
  });

  it("sends exactly what the engine walking on every tick sends, at the same times", () => {
    expect(run(60, false).sent).toEqual(run(60, true).sent);
  });
});

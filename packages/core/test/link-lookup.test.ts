// Inputs find their link by the `addr` object of the command that caused them (links/link-registry.ts,
// `linkAt`), else by the address it names. An input is about an address, not an object: after a link
// is released and made again at the same address, a late reply reported with the old link's `addr`
// object must reach the new link, never the released one.
import { describe, expect, it } from "vitest";
import { createPrng, type EngineCommand, type EngineOutput, SentinelEngine } from "../src/index.js";
import type { Address } from "../src/util/address.js";
import { masterRecordOf } from "./support/engine-records.js";
import { hexId } from "./support/mini-cluster.js";

const HOST = "127.0.0.1";
const PORT = 6379;

function connectAddr(out: EngineOutput, link: "cmd" | "pubsub"): Address {
  const c = out.commands.find((x): x is Extract<EngineCommand, { kind: "connect" }> => x.kind === "connect" && x.link === link);
  if (c === undefined) throw new Error(`no ${link} connect in ${JSON.stringify(out.commands.map((x) => x.kind))}`);
  return c.addr;
}

function monitored(): { engine: SentinelEngine; now: number; cmdAddr: Address; pubsubAddr: Address } {
  const now = 1_000_000;
  const engine = new SentinelEngine({ myId: hexId(0x5e1f), now, prng: createPrng(1), masters: [{ settings: { name: "m", host: HOST, port: PORT, quorum: 1 } }] });
  engine.start(now);
  const out = engine.step({ kind: "tick", now: now + 100 });
  return { engine, now: now + 100, cmdAddr: connectAddr(out, "cmd"), pubsubAddr: connectAddr(out, "pubsub") };
}

describe("the link an input is about", () => {
  it("is found from the command's own addr object and from a copy of it alike", () => {
    const { engine, now, cmdAddr, pubsubAddr } = monitored();
    const link = masterRecordOf(engine, "m")!.link;
    expect(cmdAddr).toBe(link.addr); // the identity the lookup relies on
    engine.step({ kind: "link-up", now, addr: cmdAddr, link: "cmd", localHost: HOST });
    engine.step({ kind: "link-up", now, addr: { host: HOST, port: PORT }, link: "pubsub", localHost: HOST });
    expect([link.cmd, link.pubsub]).toEqual(["up", "up"]);
    engine.step({ kind: "hello", now: now + 5, via: pubsubAddr, payload: "not a hello" });
    expect(link.pcLastActivity).toBe(now + 5);
  });

  it("is the live link at that address once the old one was released, even for the old addr object", () => {
    const { engine, now, cmdAddr, pubsubAddr } = monitored();
    const old = masterRecordOf(engine, "m")!.link;
    engine.step({ kind: "link-up", now, addr: cmdAddr, link: "cmd", localHost: HOST });
    engine.remove(now + 1, "m");
    engine.monitor(now + 2, { name: "m", host: HOST, port: PORT, quorum: 1 });
    engine.step({ kind: "tick", now: now + 200 });
    const renewed = masterRecordOf(engine, "m")!.link;
    expect(renewed).not.toBe(old);
    expect(renewed.cmd).toBe("connecting");
    // Late inputs, reported with the released link's addr objects.
    engine.step({ kind: "link-up", now: now + 201, addr: cmdAddr, link: "cmd", localHost: HOST });
    engine.step({ kind: "link-up", now: now + 201, addr: pubsubAddr, link: "pubsub", localHost: HOST });
    engine.step({ kind: "hello", now: now + 205, via: pubsubAddr, payload: "not a hello" });
    expect([renewed.cmd, renewed.pubsub, renewed.pcLastActivity]).toEqual(["up", "up", now + 205]);
  });
});

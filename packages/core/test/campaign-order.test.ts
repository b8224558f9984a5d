import { describe, expect, it } from "vitest";
import { campaignStartAt } from "../src/index.js";

type Peer = Parameters<typeof campaignStartAt>[0] extends Iterable<infer P> ? P : never;
const peer = (runId: string, o: { agrees?: boolean; down?: boolean; disconnected?: boolean } = {}): Peer =>
  ({
    runId,
    masterDown: o.agrees === true,
    health: { value: o.down === true ? "sdown" : "up" },
    link: { cmd: o.disconnected === true ? "down" : "up", pubsub: "up", peer: "sentinel" },
  }) as unknown as Peer;

describe("campaignStartAt (the campaign order after ODOWN)", () => {
  const odownSince = 1000;
  const order = { slotMs: 100, spacingMs: 50 };

  it("the first-ranked sentinel campaigns at once", () => {
    expect(campaignStartAt([peer("b", { agrees: true }), peer("c", { agrees: true })], "a", odownSince, order)).toBe(odownSince);
  });

  it("a later rank waits for a better-ranked peer that agrees the master is down: it is about to campaign", () => {
    // Rank 2 behind two agreeing peers: 2 × 10 slots of patience, not 2 slots.
    expect(campaignStartAt([peer("a", { agrees: true }), peer("b", { agrees: true })], "c", odownSince, order)).toBe(odownSince + 2 * 10 * 100);
  });

  it("a better-ranked peer that does not (yet) agree gets rank slots, then we go", () => {
    expect(campaignStartAt([peer("a"), peer("c", { agrees: true })], "b", odownSince, order)).toBe(odownSince + 100 + 50);
  });

  it("a better-ranked peer that is gone (link refused, or SDOWN) does not hold us back", () => {
    expect(campaignStartAt([peer("a", { agrees: true, disconnected: true }), peer("c", { agrees: true })], "b", odownSince, order)).toBe(odownSince);
    expect(campaignStartAt([peer("a", { agrees: true, down: true }), peer("c", { agrees: true })], "b", odownSince, order)).toBe(odownSince);
  });
});

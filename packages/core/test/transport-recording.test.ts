import { describe, expect, it } from "vitest";
import { RecordingTransport } from "../../../examples/custom-transport/recording-transport.js";
import { createPrng, createSentinelEngine } from "../src/index.js";
import { summary } from "./support/engine-records.js";

describe("a third transport (examples/custom-transport)", () => {
  it("drives a real engine through core's executor: links come up, the master is polled and stays healthy", () => {
    const now = 1_767_225_600_000;
    const engine = createSentinelEngine({
      myId: "a".repeat(40),
      now,
      prng: createPrng(1),
      masters: [{ settings: { name: "mymaster", host: "10.0.0.1", port: 6379, quorum: 1 } }],
    });
    const transport = new RecordingTransport(engine, now);
    transport.start();
    for (let i = 0; i < 50; i++) transport.advance(100);
    const kinds = new Set(transport.commands.map((c) => c.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(["connect", "ping", "info", "publish-hello"]));
    expect(transport.events.map((e) => e.type)).toContain("+monitor");
    expect(transport.disk?.masters.map((m) => m.settings.name)).toEqual(["mymaster"]);
    expect(summary(engine).masters[0]).toMatchObject({ name: "mymaster", sdown: false, odown: false });
  });
});

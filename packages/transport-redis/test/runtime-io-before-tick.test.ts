// A starved process that gets the CPU back finds an expired wake timer and a peer's message waiting
// on a socket at once. Node runs timers before reading sockets, so the tick would act first (start a
// campaign) on a view that the waiting message (a vote request) would have changed: the runtime
// ticks only after the I/O already waiting has been read.
import { connect, createServer, type Socket } from "node:net";
import { createPrng, createSentinelEngine, type EngineInput } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { SentinelRuntime } from "../src/index.js";

describe("runtime: a due tick runs after the I/O already waiting", () => {
  it("reads the socket before ticking when both are ready after a stall", async () => {
    const engine = createSentinelEngine({ myId: "a".repeat(40), now: Date.now(), prng: createPrng(1), timing: "fast", global: { port: 26379 }, masters: [] });
    const order: string[] = [];
    const runtime = new SentinelRuntime({
      engine,
      tickMs: 60_000,
      persist: () => true,
      onEvent: () => {},
      onStep: (_out, cause?: EngineInput) => {
        if (cause) order.push(cause.kind);
      },
    });
    let accepted: (s: Socket) => void = () => {};
    const server = createServer((s) => accepted(s));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const serverSide = new Promise<Socket>((r) => (accepted = r));
    const client = connect(port, "127.0.0.1");
    const peer = await serverSide;
    peer.on("data", () => runtime.input({ kind: "hello", now: Date.now(), via: null, payload: "not,a,hello" }));
    try {
      runtime.wake({ kind: "wake", at: Date.now() + 5 });
      client.write("x");
      // The stall: the timer falls due and the byte arrives while this process has no CPU.
      const until = Date.now() + 40;
      while (Date.now() < until) {}
      await new Promise((r) => setTimeout(r, 50));
      expect(order).toEqual(["hello", "tick"]);
    } finally {
      runtime.stop();
      client.destroy();
      peer.destroy();
      server.close();
    }
  });
});

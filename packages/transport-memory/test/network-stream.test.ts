import { createPrng } from "@vigil/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Scheduler } from "../src/clock/scheduler.js";
import type { Connection, ServerHandlers } from "../src/network/connection.js";
import { Network } from "../src/network/network.js";

/** A server on host `b` that records what it receives and echoes it back. */
function echoPair(net: Network, received: number[], echoed: number[]): Connection<number> {
  net.listen(
    { host: "b", port: 1 },
    {
      host: "b",
      accept: (conn: Connection<number>): ServerHandlers<number> => ({
        onMessage: (m) => {
          received.push(m);
          conn.sendToClient(m);
        },
        onClose: () => {},
      }),
    },
  );
  return net.connect<number>("a", { host: "b", port: 1 }, {
    onOpen: () => {},
    onFail: () => {},
    onMessage: (m) => echoed.push(m),
    onClose: () => {},
  });
}

describe("TCP-like streams over a faulty packet network", () => {
  it("deliver every message exactly once and in order, whatever the loss, duplication and reordering", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        (seed, loss, duplicate, reorder, count) => {
          const s = new Scheduler(0);
          const net = new Network(s, createPrng(seed), {
            defaultProfile: { latencyMs: 1, jitterMs: 5, loss, duplicate, reorder, reorderDelayMs: 50 },
            // A lost SYN is retried with doubling backoff and never given up on here. At 50% loss a
            // handshake succeeds with p≈0.25 per attempt; 36 doublings leave a failure chance of ~3e-5.
            connectTimeoutMs: 2 ** 36,
          });
          const received: number[] = [];
          const echoed: number[] = [];
          const conn = echoPair(net, received, echoed);
          s.runUntil(2 ** 36, () => conn.clientOpen);
          expect(conn.clientOpen).toBe(true);
          for (let i = 0; i < count; i++) conn.sendToServer(i);
          s.runUntil(s.now + 3_600_000);
          const expected = Array.from({ length: count }, (_, i) => i);
          expect(received).toEqual(expected);
          expect(echoed).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("drop duplicate packets at the receiver", () => {
    const s = new Scheduler(0);
    const net = new Network(s, createPrng(7), { defaultProfile: { latencyMs: 1, jitterMs: 0, loss: 0, duplicate: 1, reorder: 0, reorderDelayMs: 0 } });
    const received: number[] = [];
    const conn = echoPair(net, received, []);
    s.runUntil(100, () => conn.clientOpen);
    for (let i = 0; i < 10; i++) conn.sendToServer(i);
    s.runUntil(1000);
    expect(received).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(net.stats.duplicated).toBeGreaterThanOrEqual(10);
    expect(conn.c2s.duplicatesDropped).toBeGreaterThanOrEqual(10);
  });

  it("deliver a close (FIN) after the data sent before it", () => {
    const s = new Scheduler(0);
    const net = new Network(s, createPrng(1));
    const got: string[] = [];
    net.listen(
      { host: "b", port: 1 },
      { host: "b", accept: () => ({ onMessage: (m) => got.push(String(m)), onClose: (why) => got.push(`closed: ${why}`) }) },
    );
    const conn = net.connect<string>("a", { host: "b", port: 1 }, { onOpen: () => {}, onFail: () => {}, onMessage: () => {}, onClose: () => {} });
    s.runUntil(100, () => conn.clientOpen);
    conn.sendToServer("x");
    conn.sendToServer("y");
    conn.closeByClient();
    s.runUntil(1000);
    expect(got).toEqual(["x", "y", "closed: connection closed by client"]);
  });
});

// The end-of-turn reply flush: every queued connection is written, even when one of them throws.
import { describe, expect, it } from "vitest";
import { FlushQueue } from "../src/server/flush-queue.js";

describe("FlushQueue", () => {
  it("flushes every connection of the turn once, at the end of the turn", async () => {
    const q = new FlushQueue();
    const flushed: string[] = [];
    q.add({ flushQueued: () => flushed.push("a") });
    q.add({ flushQueued: () => flushed.push("b") });
    expect(flushed).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(flushed).toEqual(["a", "b"]);
  });

  it("a connection that throws does not keep the others of its turn, or later turns, from being flushed", async () => {
    const q = new FlushQueue();
    const flushed: string[] = [];
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.prependListener("uncaughtException", onError);
    try {
      q.add({ flushQueued: () => { throw new Error("boom"); } });
      q.add({ flushQueued: () => flushed.push("after") });
      await new Promise((r) => setTimeout(r, 20));
      q.add({ flushQueued: () => flushed.push("next turn") });
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.removeListener("uncaughtException", onError);
    }
    expect(flushed).toEqual(["after", "next turn"]);
    expect(errors).toHaveLength(1);
  });
});

// Discovery-only persists (`deferrable`) are coalesced by the runtime; durable ones are written at once.
import { createPrng, createSentinelEngine, type PersistedState } from "@vigil/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SentinelRuntime } from "../src/index.js";

function fixture() {
  const engine = createSentinelEngine({
    myId: "a".repeat(40),
    now: 0,
    prng: createPrng(1),
    timing: "sentinel",
    global: { port: 26379 },
    masters: [{ settings: { name: "mymaster", host: "127.0.0.1", port: 6379, quorum: 2, downAfterMs: 5000 } }],
  });
  const writes: PersistedState[] = [];
  const runtime = new SentinelRuntime({ engine, now: () => 0, deferPersistMs: 500, persist: (s) => (writes.push(s), true), onEvent: () => {} });
  const state = engine.persistedState();
  return { engine, runtime, writes, state };
}

describe("deferrable persists", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a burst of discovery persists is written once, after the delay, with the engine's current state", () => {
    vi.useFakeTimers();
    const { runtime, writes, state, engine } = fixture();
    for (let i = 0; i < 5; i++) runtime.apply({ commands: [{ kind: "persist", deferrable: true }], events: [] });
    expect(writes).toHaveLength(0);
    vi.advanceTimersByTime(499);
    expect(writes).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual([engine.persistedState()]);
    vi.advanceTimersByTime(5000);
    expect(writes).toHaveLength(1);
    runtime.stop();
    expect(writes).toHaveLength(1);
  });

  it("a durable persist is written at once and covers a pending deferred one", () => {
    vi.useFakeTimers();
    const { runtime, writes, state } = fixture();
    runtime.apply({ commands: [{ kind: "persist", deferrable: true }], events: [] });
    runtime.apply({ commands: [{ kind: "persist", state }], events: [] });
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(5000);
    expect(writes).toHaveLength(1);
    runtime.stop();
  });

  it("stop writes a pending deferred persist, so a clean shutdown loses no discovery", () => {
    vi.useFakeTimers();
    const { runtime, writes, state } = fixture();
    runtime.apply({ commands: [{ kind: "persist", deferrable: true }], events: [] });
    runtime.stop();
    expect(writes).toHaveLength(1);
  });
});

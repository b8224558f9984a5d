import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SENTINEL_EVENT_TYPES, typedEvent } from "../src/index.js";

const SRC = join(import.meta.dirname, "../src");

/** Every `"+name"` / `"-name"` literal in the engine and the machines: the names they can publish. */
function emittedNames(): Set<string> {
  const names = new Set<string>();
  for (const dir of ["engine", "machines"]) {
    // The engine's concerns live in subfolders (engine/votes/, engine/failover/, …).
    for (const file of readdirSync(join(SRC, dir), { recursive: true, encoding: "utf8" })) {
      if (!file.endsWith(".ts")) continue;
      for (const m of readFileSync(join(SRC, dir, file), "utf8").matchAll(/"([+-][a-z][a-z-]+)"/g)) names.add(m[1]!);
    }
  }
  return names;
}

describe("typed events", () => {
  it("name every event the engine and its machines publish", () => {
    const missing = [...emittedNames()].filter((n) => !(SENTINEL_EVENT_TYPES as readonly string[]).includes(n));
    expect(missing).toEqual([]);
  });

  it("decode +switch-master into the master and both addresses", () => {
    const e = typedEvent({ type: "+switch-master", level: "warning", payload: "mymaster 10.0.0.1 6379 10.0.0.2 6380", master: "mymaster" });
    expect(e).toMatchObject({ type: "+switch-master", master: "mymaster", from: { host: "10.0.0.1", port: 6379 }, to: { host: "10.0.0.2", port: 6380 } });
  });

  it("decode instance events: the instance, its master group and what follows the address", () => {
    const replica = typedEvent({ type: "+sdown", level: "warning", payload: "slave 10.0.0.2:6380 10.0.0.2 6380 @ mymaster 10.0.0.1 6379", master: "mymaster" });
    expect(replica).toMatchObject({
      master: "mymaster",
      instance: { role: "slave", name: "10.0.0.2:6380", host: "10.0.0.2", port: 6380 },
      masterAddr: { host: "10.0.0.1", port: 6379 },
      detail: "",
    });
    const odown = typedEvent({ type: "+odown", level: "warning", payload: "master mymaster 10.0.0.1 6379 #quorum 2/2", master: "mymaster" });
    expect(odown).toMatchObject({ master: "mymaster", instance: { role: "master", name: "mymaster", port: 6379 }, detail: "#quorum 2/2" });
  });

  it("decode the events with payloads of their own", () => {
    expect(typedEvent({ type: "+new-epoch", level: "warning", payload: "7" })).toMatchObject({ epoch: 7 });
    expect(typedEvent({ type: "+vote-for-leader", level: "warning", payload: `${"a".repeat(40)} 7`, master: "m" })).toMatchObject({ master: "m", leader: "a".repeat(40), epoch: 7 });
    expect(typedEvent({ type: "-hello-rejected", level: "debug", payload: "#bad port" })).toMatchObject({ reason: "bad port" });
    expect(typedEvent({ type: "+no-such-event", level: "debug", payload: "" })).toBeUndefined();
  });
});

// `sentinel vigil-crash-down-after <name> <ms>`: read from the file, validated, written back by rewrite.
import { GlobalSettingsSchema, MasterSettingsSchema } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/load-config.js";
import { rewriteConfig } from "../src/config/rewrite-config.js";

const MYID = "3f9e0c0d8a1b2c3d4e5f60718293a4b5c6d7e8f9";
const MONITOR = "sentinel monitor m 127.0.0.1 6379 2";

describe("vigil-crash-down-after in the config file", () => {
  it("is read into the master's settings (default 0 = off)", () => {
    const on = loadConfig([MONITOR, "sentinel vigil-crash-down-after m 300"].join("\n"), "/etc/s.conf");
    expect(on.ok && on.config.masters[0]!.settings.crashDownAfterMs).toBe(300);
    const off = loadConfig(MONITOR, "/etc/s.conf");
    expect(off.ok && off.config.masters[0]!.settings.crashDownAfterMs).toBe(0);
  });

  it("refuses a negative value with Sentinel's wording for times", () => {
    const r = loadConfig([MONITOR, "sentinel vigil-crash-down-after m -1"].join("\n"), "/etc/s.conf");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ line: 2, message: "negative time parameter." });
  });

  it("is written by a rewrite when set, and dropped when back to 0", () => {
    const state = (crashDownAfterMs: number) => ({
      myId: MYID,
      currentEpoch: 0,
      global: GlobalSettingsSchema.parse({}),
      masters: [{ settings: MasterSettingsSchema.parse({ name: "m", host: "127.0.0.1", port: 6379, quorum: 2, crashDownAfterMs }), configEpoch: 0, leaderEpoch: 0, knownReplicas: [], knownSentinels: [] }],
    });
    const old = `${MONITOR}\nsentinel vigil-crash-down-after m 300\n`;
    expect(rewriteConfig(old, state(250), {})).toContain("sentinel vigil-crash-down-after m 250\n");
    expect(rewriteConfig(old, state(0), {})).not.toContain("vigil-crash-down-after");
  });
});

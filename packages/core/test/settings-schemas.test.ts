import { describe, expect, it } from "vitest";
import { GlobalSettingsSchema } from "../src/settings/global-settings.js";
import { MASTER_DEFAULTS, MasterSettingsSchema } from "../src/settings/master-settings.js";

// The schemas use zod/mini, which has no messages of its own: an embedder's bad options must still
// say what is wrong, not "Invalid input".
describe("settings schemas", () => {
  it("fill in Sentinel's defaults", () => {
    const m = MasterSettingsSchema.parse({ name: "m", host: "127.0.0.1", port: 6379, quorum: 2 });
    expect(m).toMatchObject({ downAfterMs: MASTER_DEFAULTS.downAfterMs, failoverTimeoutMs: MASTER_DEFAULTS.failoverTimeoutMs, parallelSyncs: 1, renamedCommands: {} });
    expect(GlobalSettingsSchema.parse({})).toMatchObject({ port: 26379, announcePort: 0, denyScriptsReconfig: true, loglevel: "notice" });
  });

  it("reject bad values with specific English messages", () => {
    const r = MasterSettingsSchema.safeParse({ name: "", host: "h", port: 70000, quorum: 1.5, downAfterMs: -1 });
    expect(r.success).toBe(false);
    const byPath = Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
    expect(byPath).toEqual({
      name: "Too small: expected string to have >=1 characters",
      port: "Too big: expected number to be <=65535",
      quorum: "Invalid input: expected int, received number",
      downAfterMs: "Too small: expected number to be >0",
    });
    expect(() => GlobalSettingsSchema.parse({ loglevel: "loud" })).toThrow(/Invalid option: expected one of/);
  });
});

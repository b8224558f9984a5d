import { describe, expect, it } from "vitest";
import { createSentinelApi, VIGIL_SENTINEL_SUBCOMMANDS } from "../src/api/sentinel-api.js";
import { error } from "../src/resp/reply.js";
import { createSentinelCommandTable, withExtraSubcommands } from "../src/server/command-table.js";
import { apiFixture, items, MASTER, REPLICA, text } from "./api-support.js";

describe("SENTINEL VIGIL-EXPLAIN / VIGIL-FAILOVER-PLAN (Vigil extensions)", () => {
  it("are off by default: the API stays redis-sentinel's", () => {
    const f = apiFixture();
    expect(f.sentinel("vigil-explain", "mymaster")).toEqual(error("ERR unknown subcommand 'vigil-explain'. Try SENTINEL HELP."));
    expect(f.api.subcommands.some((s) => s.name.startsWith("vigil-"))).toBe(false);
  });

  it("answer plain-text lines when enabled, and check arity and the master name", () => {
    const f = apiFixture();
    f.node(MASTER, { role: "master", replicas: [REPLICA] });
    f.node(REPLICA, { role: "slave", master: MASTER });
    f.advance(3000);
    const api = createSentinelApi({ ...f.ctx, vigilExtensions: true });
    const lines = items(api.sentinel(["SENTINEL", "VIGIL-EXPLAIN", "mymaster"])).map(text);
    expect(lines[0]).toBe("== Is the master down? ==");
    expect(lines).toContain("  SDOWN: no, this Sentinel considers the master reachable.");
    expect(lines.some((l) => l.startsWith("== Which replica would be promoted? =="))).toBe(true);
    const plan = items(api.sentinel(["sentinel", "vigil-failover-plan", "mymaster"])).map(text);
    expect(plan.at(-3)).toBe("  Dry run: nothing was changed.");
    expect(api.sentinel(["SENTINEL", "VIGIL-EXPLAIN", "nope"])).toEqual(error("ERR No such master with that name"));
    expect(api.sentinel(["SENTINEL", "VIGIL-EXPLAIN"])).toEqual(error("ERR wrong number of arguments for 'sentinel|vigil-explain' command"));
    // Served, but not enumerated: COMMAND lists the imitated Sentinel's subcommands only.
    expect(api.subcommands.filter((s) => s.name.startsWith("vigil-"))).toEqual([]);
  });

  it("the server's command table dispatches them when asked, but never enumerates them (COMMAND INFO/DOCS/LIST)", () => {
    const plain = createSentinelCommandTable();
    const extended = withExtraSubcommands(plain, "sentinel", VIGIL_SENTINEL_SUBCOMMANDS);
    const argv = [Buffer.from("SENTINEL"), Buffer.from("Vigil-Explain"), Buffer.from("m")];
    expect(plain.lookup(argv)).toBeUndefined();
    const spec = extended.lookup(argv)!;
    expect(spec.fullName).toBe("sentinel|vigil-explain");
    expect(spec.arity).toBe(3);
    expect([...spec.categories]).toEqual(["admin", "slow", "dangerous"]);
    // ACL rules may name them; COMMAND INFO/DOCS do not know them.
    expect(extended.lookupFullName("sentinel|vigil-failover-plan", true)?.fullName).toBe("sentinel|vigil-failover-plan");
    expect(extended.lookupFullName("sentinel|vigil-failover-plan")).toBeUndefined();
    // Sentinel's own subcommands and the enumerated table are untouched.
    expect(extended.lookupFullName("sentinel|masters")).toEqual(plain.lookupFullName("sentinel|masters"));
    expect(extended.commands).toBe(plain.commands);
    expect(extended.lookupFullName("sentinel")!.info).toEqual(plain.lookupFullName("sentinel")!.info);
  });
});

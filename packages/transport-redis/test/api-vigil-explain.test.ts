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
    expect(api.subcommands.filter((s) => s.name.startsWith("vigil-")).map((s) => s.name)).toEqual(VIGIL_SENTINEL_SUBCOMMANDS.map((s) => s.name));
  });

  it("the server's command table knows them only when asked (lookup, arity, COMMAND INFO)", () => {
    const plain = createSentinelCommandTable();
    const extended = withExtraSubcommands(plain, "sentinel", VIGIL_SENTINEL_SUBCOMMANDS);
    const argv = [Buffer.from("SENTINEL"), Buffer.from("Vigil-Explain"), Buffer.from("m")];
    expect(plain.lookup(argv)).toBeUndefined();
    const spec = extended.lookup(argv)!;
    expect(spec.fullName).toBe("sentinel|vigil-explain");
    expect(spec.arity).toBe(3);
    expect([...spec.categories]).toEqual(["admin", "slow", "dangerous"]);
    expect(extended.lookupFullName("sentinel|vigil-failover-plan")?.fullName).toBe("sentinel|vigil-failover-plan");
    // Sentinel's own subcommands are untouched.
    expect(extended.lookupFullName("sentinel|masters")).toEqual(plain.lookupFullName("sentinel|masters"));
    const info = extended.lookupFullName("sentinel")!.info;
    expect(info.kind === "array" && info.items[9]?.kind === "array" && info.items[9].items.length).toBe(
      (plain.lookupFullName("sentinel")!.info as { items: { items: unknown[] }[] }).items[9]!.items.length + 2,
    );
  });
});

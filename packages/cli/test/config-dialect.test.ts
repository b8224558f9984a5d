/**
 * `vigil-dialect` / `--vigil-dialect` (docs/configuration.md): which Sentinel the file is read and
 * rewritten as. Valkey's `primary-reboot-down-after-period` loads only in valkey-8, and is what
 * valkey-8 writes back.
 */
import { createPrng, createSentinelEngine } from "@vigil/core";
import { describe, expect, it } from "vitest";
import { formatConfigError } from "../src/config/config-error.js";
import { type LoadResult, loadConfig } from "../src/config/load-config.js";
import { rewriteConfig } from "../src/config/rewrite-config.js";

const MONITOR = "sentinel monitor mymaster 127.0.0.1 6379 2";

function load(text: string, overrides?: string[][]): LoadResult {
  return loadConfig(text, "/etc/sentinel.conf", overrides);
}

function ok(text: string, overrides?: string[][]) {
  const r = load(text, overrides);
  if (!r.ok) throw new Error(formatConfigError(r.error));
  return r.config;
}

describe("vigil-dialect", () => {
  it("defaults to redis-7.0; the file chooses; the command line wins", () => {
    expect(ok(MONITOR).dialect).toBe("redis-7.0");
    expect(ok(`vigil-dialect valkey-8\n${MONITOR}`).dialect).toBe("valkey-8");
    expect(ok(`vigil-dialect valkey-8\n${MONITOR}`, [["vigil-dialect", "redis-7.2"]]).dialect).toBe("redis-7.2");
    expect(ok(MONITOR, [["vigil-dialect", "valkey-8"]]).dialect).toBe("valkey-8");
  });

  it("refuses anything else, saying where the value came from", () => {
    const inFile = load(`vigil-dialect valkey\n${MONITOR}`);
    expect(inFile.ok || inFile.error).toEqual({
      path: "/etc/sentinel.conf",
      line: 1,
      lineText: "vigil-dialect valkey",
      message: "argument must be one of the following: redis-7.0, redis-7.2, valkey-8",
    });
    const onCommandLine = load(MONITOR, [["vigil-dialect", "7.2"]]);
    expect(onCommandLine.ok || onCommandLine.error).toEqual({
      path: "/etc/sentinel.conf",
      line: 2,
      lineText: 'vigil-dialect "7.2"',
      message: "argument must be one of the following: redis-7.0, redis-7.2, valkey-8",
      fromCommandLine: true,
    });
    if (!onCommandLine.ok) expect(formatConfigError(onCommandLine.error)).toContain("Reading the command-line option --vigil-dialect");
  });

  it("reads Valkey's primary-reboot-down-after-period in valkey-8 only (both spellings there)", () => {
    const valkeyLine = "sentinel primary-reboot-down-after-period mymaster 1500";
    expect(ok(`${MONITOR}\n${valkeyLine}`, [["vigil-dialect", "valkey-8"]]).masters[0]!.settings.masterRebootDownAfterMs).toBe(1500);
    expect(ok(`${MONITOR}\nsentinel master-reboot-down-after-period mymaster 700`, [["vigil-dialect", "valkey-8"]]).masters[0]!.settings.masterRebootDownAfterMs).toBe(700);
    for (const dialect of ["redis-7.0", "redis-7.2"]) {
      const r = load(`${MONITOR}\n${valkeyLine}`, [["vigil-dialect", dialect]]);
      expect(r.ok || r.error.message).toBe(
        "Unrecognized sentinel configuration statement. (primary-reboot-down-after-period is Valkey's spelling: run with --vigil-dialect valkey-8)",
      );
    }
  });

  it("rewrites the reboot period with the dialect's spelling, in place of either", () => {
    const text = `${MONITOR}\nsentinel master-reboot-down-after-period mymaster 700\n`;
    const config = ok(text, [["vigil-dialect", "valkey-8"]]);
    const engine = createSentinelEngine({ myId: "a".repeat(40), now: 0, prng: createPrng(1), global: config.global, currentEpoch: 0, masters: config.masters });
    const valkey = rewriteConfig(text, engine.persistedState(), {}, { dialect: "valkey-8" });
    expect(valkey.split("\n")[1]).toBe("sentinel primary-reboot-down-after-period mymaster 700");
    expect(valkey).not.toContain("master-reboot");
    const redis = rewriteConfig(valkey, engine.persistedState(), {}, { dialect: "redis-7.2" });
    expect(redis.split("\n")[1]).toBe("sentinel master-reboot-down-after-period mymaster 700");
    expect(redis).not.toContain("primary-reboot");
  });
});

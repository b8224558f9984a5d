import { describe, expect, it } from "vitest";
import { osRandomBytes, randomHex, randomSeed } from "../src/os/os-random.js";

describe("os-random", () => {
  it("fills exactly the bytes asked for, differently each time", () => {
    const a = osRandomBytes(64);
    const b = osRandomBytes(64);
    expect(a.length).toBe(64);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    // 64 random bytes are never all zero (what an unfilled buffer would be).
    expect(a.some((x) => x !== 0)).toBe(true);
  });

  it("makes run ids of 40 hex characters and 32-bit seeds", () => {
    const ids = new Set(Array.from({ length: 100 }, () => randomHex(20)));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{40}$/);
    const seeds = Array.from({ length: 100 }, () => randomSeed());
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    expect(new Set(seeds).size).toBeGreaterThan(95);
  });
});

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { globMatch } from "../src/server/glob.js";
import { command, rawExchange } from "./fixtures/raw-client.js";
import { type RealSentinel, startRealSentinel } from "./fixtures/real-sentinel.js";
import { decodeAllReplies } from "./fixtures/reply-decoder.js";

describe("globMatch (stringmatchlen)", () => {
  it.each([
    ["*", "anything", true],
    ["*", "", false],
    ["", "", true],
    ["h?llo", "hello", true],
    ["h?llo", "hllo", false],
    ["h*llo", "heeeello", true],
    ["h[ae]llo", "hallo", true],
    ["h[ae]llo", "hillo", false],
    ["h[^e]llo", "hallo", true],
    ["h[^e]llo", "hello", false],
    ["h[a-b]llo", "hbllo", true],
    ["h[b-a]llo", "hbllo", true],
    ["h\\*llo", "h*llo", true],
    ["h\\*llo", "hello", false],
    ["[\\]]", "]", true],
    ["h[a", "ha", true],
    ["+switch-master", "+switch-master", true],
    ["switch-master", "+switch-master", false],
    ["[-+]sdown", "+sdown", true],
    ["[-+]sdown", "-sdown", true],
    ["*master*", "+switch-master", true],
    ["a*b*c", "abbbbc", true],
    ["a*b*c", "abbbbd", false],
  ])("%j ~ %j → %s", (pattern, subject, expected) => {
    expect(globMatch(pattern, subject)).toBe(expected);
  });

  it("folds ASCII case only when asked", () => {
    expect(globMatch("PING", "ping")).toBe(false);
    expect(globMatch("PING", "ping", true)).toBe(true);
    expect(globMatch("[A-Z]", "q", true)).toBe(true);
    expect(globMatch("\xc0", "\xe0", true)).toBe(false);
  });

  it("survives pathological patterns quickly", () => {
    const started = Date.now();
    expect(globMatch(`${"a*".repeat(40)}b`, "a".repeat(60))).toBe(false);
    expect(globMatch("*".repeat(5000) + "x", "y".repeat(5000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("globMatch against the real redis-sentinel (COMMAND LIST FILTERBY PATTERN)", () => {
  let real: RealSentinel;
  let names: string[];
  beforeAll(async () => {
    real = await startRealSentinel();
    const all = decodeAllReplies((await rawExchange(real.port, command("COMMAND", "LIST"), { replies: 1 })).bytes)[0]!;
    names = all.kind === "array" ? all.items.map((i) => (i.kind === "bulk" ? String(i.value) : "")) : [];
  });
  afterAll(async () => {
    await real?.stop();
  });

  it("selects the same command names for random patterns (property)", async () => {
    const piece = fc.constantFrom("*", "?", "[", "]", "^", "-", "\\", "|", "c", "l", "i", "e", "n", "t", "s", "a", "p", "o", "C", "L", "[a-m]", "[^s]", "*|*");
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 8 }), async (pieces) => {
        const pattern = pieces.join("");
        const reply = decodeAllReplies((await rawExchange(real.port, command("COMMAND", "LIST", "FILTERBY", "PATTERN", pattern), { replies: 1 })).bytes)[0]!;
        const theirs = reply.kind === "array" ? reply.items.map((i) => (i.kind === "bulk" ? String(i.value) : "")).sort() : [];
        const ours = names.filter((n) => globMatch(pattern, n, true)).sort();
        expect(ours, pattern).toEqual(theirs);
      }),
      { numRuns: 150 },
    );
  });
});

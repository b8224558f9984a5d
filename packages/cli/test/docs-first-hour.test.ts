/**
 * What a new user copies from docs/quickstart.md must work on a shared host: the Redis servers it
 * starts listen on loopback only, and `--inspect` without a port does not take a `vigil-http` port
 * the quickstart gives a sentinel. The docs that name the default inspector port agree with the code.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_INSPECT_PORT } from "../src/inspect/inspect-flag.js";

const docs = resolve(import.meta.dirname, "../../../docs");
const read = (name: string) => readFileSync(resolve(docs, name), "utf8");

describe("docs/quickstart.md", () => {
  const quickstart = read("quickstart.md");

  it("starts every redis-server on 127.0.0.1 only", () => {
    const commands = quickstart.match(/redis-server --[^`\n]*/g) ?? [];
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const c of commands) expect(c).toMatch(/ --bind 127\.0\.0\.1(\s|$)/);
  });

  it("gives no sentinel the default --inspect port as its vigil-http port", () => {
    const loop = /for p in ([\d ]+); do/.exec(quickstart);
    const http = /vigil-http 127\.0\.0\.1:\$\(\(p - (\d+) \+ (\d+)\)\)/.exec(quickstart);
    expect(loop && http).toBeTruthy();
    const ports = loop![1]!.trim().split(/\s+/).map((p) => Number(p) - Number(http![1]) + Number(http![2]));
    expect(ports).toHaveLength(3);
    expect(ports).not.toContain(DEFAULT_INSPECT_PORT);
  });

  it("reads the failover count from every sentinel: only the elected leader counts it", () => {
    const step5 = quickstart.slice(quickstart.indexOf("## 5."), quickstart.indexOf("## 6."));
    expect(step5).toMatch(/for h in 9479 9480 9481; do[\s\S]*vigil_failovers_total/);
    expect(step5).not.toMatch(/curl -s 127\.0\.0\.1:9479\/metrics \| grep vigil_failovers_total/);
    expect(step5).toContain("only its `vigil_failovers_total` counts it");
  });
});

describe("the default --inspect port in the docs", () => {
  it.each(["configuration.md", "operations.md"])("%s names the port the code uses", (name) => {
    const text = read(name);
    expect(text).toContain(`default ${DEFAULT_INSPECT_PORT}`);
    expect(text).not.toMatch(/default 9480\b|127\.0\.0\.1:9480\b/);
  });
});

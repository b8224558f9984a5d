import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

// The engine keeps what parseInfo extracts (run id, master host, replica hosts, failover state) for
// as long as the instance lives, and only the latest INFO text (for SENTINEL INFO-CACHE). V8 makes
// a substring of 13 or more characters a view of its parent: a run id sliced out of an INFO reply
// kept that whole ~5 KB reply alive after the next one replaced it, a third of all INFO texts on the
// heap of a sentinel watching 200 masters (docs/performance.md, "Substrings that kept INFO replies").
// Measured in a child with --expose-gc, on the built parser.
const DIST = join(import.meta.dirname, "..", "dist");

function retainedBytesPerReport(): number {
  const file = join(DIST, "codecs", "info-parser.js");
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  const script = `
    const { parseInfo } = await import(${JSON.stringify(pathToFileURL(file).href)});
    const N = 2000;
    // ~5 KB like a real reply; every text unique, so nothing is shared between them.
    const filler = Array.from({ length: 120 }, (_, i) => "field_" + i + ":" + "x".repeat(30)).join("\\r\\n");
    const text = (i) => [
      "# Server", "run_id:" + i.toString(16).padStart(40, "0"), filler + i,
      "# Replication", "role:slave", "master_host:redis-" + i + ".cache.example.internal", "master_port:6379",
      "master_link_status:up", "master_failover_state:waiting-for-sync",
      "slave0:ip=replica-" + i + ".cache.example.internal,port=6380,state=online,offset=1,lag=0",
    ].join("\\r\\n");
    globalThis.gc(); globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    const kept = [];
    for (let i = 0; i < N; i++) {
      const r = parseInfo(text(i));
      kept.push([r.runId, r.masterHost, r.failoverState, r.replicas[0].host]);
    }
    globalThis.gc(); globalThis.gc();
    const after = process.memoryUsage().heapUsed;
    if (kept.length !== N || kept[7][0] !== (7).toString(16).padStart(40, "0") || kept[7][3] !== "replica-7.cache.example.internal") throw new Error("parse went wrong");
    process.stdout.write(String((after - before) / N));`;
  return Number(execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8" }));
}

describe("parseInfo's results", () => {
  it("do not keep the INFO text they were read from alive", () => {
    // Four short strings and an array per report: a few hundred bytes. Holding the text: over 5 KB.
    expect(retainedBytesPerReport()).toBeLessThan(1024);
  });
});

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

// The tick walk reads a dozen fields of every record on every tick. When records of one kind have
// many hidden classes (V8 maps), each read is a megamorphic or runtime lookup: records built as
// `{ ...base(), kind, ... }` got nearly one map per object, and most went to dictionary mode once
// their timestamps (not small integers) were written — 8–10% of the daemon's CPU at 200 masters
// in `perf` (docs/performance.md, "Records with one shape"). Checked in a child with V8's natives
// syntax, on the built records module.
const DIST = join(import.meta.dirname, "..", "dist");

interface Shapes {
  readonly [kind: string]: { readonly maps: number; readonly dictionary: number };
}

function recordShapes(): Shapes {
  for (const f of ["engine/records.js", "engine/links/hello-payload.js", "index.js"]) if (!existsSync(join(DIST, f))) throw new Error(`${join(DIST, f)} is missing: run \`npm run build\` first`);
  const url = (f: string) => JSON.stringify(pathToFileURL(join(DIST, f)).href);
  const script = `
    const rec = await import(${url("engine/records.js")});
    const { helloPayloadFor } = await import(${url("engine/links/hello-payload.js")});
    const { MasterSettingsSchema, engineTiming, FAST_TIMING } = await import(${url("index.js")});
    const now = 1765000000000; // a wall-clock time, as the daemon has: not a small integer
    const kinds = { master: [], replica: [], sentinel: [], link: [], lastHello: [] };
    for (let i = 0; i < 40; i++) {
      const addr = { host: "127.0.0.1", port: 10000 + i };
      const link = rec.newLink(addr, "instance", now);
      kinds.link.push(link);
      kinds.master.push(rec.newMaster(MasterSettingsSchema.parse({ name: "m" + i, host: addr.host, port: addr.port, quorum: 2 }), link, now));
      kinds.replica.push(rec.newReplica({ host: "127.0.0.1", port: 20000 + i }, link, now));
      kinds.sentinel.push(rec.newSentinel({ host: "127.0.0.1", port: 30000 + i }, i.toString(16).padStart(40, "0"), link, now));
    }
    // What the engine writes later: timestamps, a run id, INFO, a failover state.
    for (const list of [kinds.master, kinds.replica, kinds.sentinel]) for (const r of list) {
      r.infoRefresh = now + 1.5; r.lastPubTime = now + 2000; r.runId = "a".repeat(40); r.info = { role: "master" }; r.failoverState = "no-failover";
    }
    for (const l of kinds.link) { l.lastPingTime = now + 0.5; l.refusedSince = now; l.cmdConnTime = now + 1; }
    for (const m of kinds.master) { helloPayloadFor(m, "127.0.0.1", 26379, "b".repeat(40), 3, m.addr.host, m.addr.port); kinds.lastHello.push(m.lastHello); }
    const timing = engineTiming(FAST_TIMING);
    timing.pingPeriod = 500; // SENTINEL DEBUG PING-PERIOD
    const out = { timing: { maps: 1, dictionary: %HasFastProperties(timing) && !timing.adaptivePing ? 0 : 1 } };
    for (const [k, objs] of Object.entries(kinds)) {
      const maps = [];
      for (const o of objs) if (!maps.some((m) => %HaveSameMap(m, o))) maps.push(o);
      out[k] = { maps: maps.length, dictionary: objs.filter((o) => !%HasFastProperties(o)).length };
    }
    process.stdout.write(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", script], { encoding: "utf8" })) as Shapes;
}

describe("engine records", () => {
  it("share one hidden class per kind, with fast properties, after the engine's writes (and so does the engine's timing)", () => {
    const shapes = recordShapes();
    for (const kind of ["master", "replica", "sentinel", "link", "lastHello", "timing"]) expect({ kind, ...shapes[kind] }).toEqual({ kind, maps: 1, dictionary: 0 });
  });
});

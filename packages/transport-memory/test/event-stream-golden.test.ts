// Differential check of the engine's behaviour: for a fixed set of seeds (crashes, partitions, pauses,
// clock jumps, manual failovers, both timing profiles), every sentinel's full stream of outputs —
// events and commands, persisted state included, for every call the simulator makes — must equal the
// golden files recorded from a known-good engine. A refactor of the engine that changes nothing
// passes; any change of behaviour shows as the first differing line. Regenerate deliberately with
// `VIGIL_UPDATE_GOLDEN=1 npx vitest run --project transport-memory packages/transport-memory/test/event-stream-golden.test.ts`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { createSentinelEngine, type EngineOutput } from "@vigil/core";
import { describe, expect, it } from "vitest";
import type { EngineLike } from "../src/sentinel/engine-like.js";
import { type RunSeedOptions, runSeed } from "../src/sim/run-seed.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "event-stream-golden");
const UPDATE = process.env.VIGIL_UPDATE_GOLDEN === "1";

/** Seeds picked to cover every fault kind, both profiles, crash detection and simultaneous starts. */
const SEEDS = [1, 2, 3, 6, 7, 8, 10, 14, 19, 21, 23, 27, 31, 33, 42, 60, 72, 86];
/** Seeds run with `SENTINEL FAILOVER` among the faults (the manual path). */
const MANUAL_SEEDS = [17, 24];

function line(now: number, call: string, out: EngineOutput, extra = ""): string {
  return `${now} ${call}${extra} ${JSON.stringify(out.events)} ${JSON.stringify(out.commands)}`;
}

/** Runs a seed with every engine wrapped so each output lands, in order, in its sentinel's stream. */
function streams(seed: number, options: RunSeedOptions): Map<string, string[]> {
  const bySentinel = new Map<string, string[]>();
  runSeed(seed, {
    ...options,
    createEngine: (o) => {
      const engine = createSentinelEngine(o);
      let lines = bySentinel.get(o.myId);
      if (!lines) bySentinel.set(o.myId, (lines = []));
      const sink = lines;
      sink.push(`create ${o.now} epoch ${o.currentEpoch ?? 0}`);
      const wrapped: EngineLike = {
        myId: engine.myId,
        start: (now) => {
          const out = engine.start(now);
          sink.push(line(now, "start", out));
          return out;
        },
        step: (input) => {
          const out = engine.step(input);
          if (input.kind !== "tick" || out.events.length > 0 || out.commands.length > 0) sink.push(line(input.now, input.kind, out, ` ${JSON.stringify(input)}`));
          return out;
        },
        isMasterDownByAddr: (now, ip, port, epoch, runId) => {
          const r = engine.isMasterDownByAddr(now, ip, port, epoch, runId);
          sink.push(line(now, "is-master-down", r.output, ` ${ip}:${port} ${epoch} ${runId} -> ${JSON.stringify(r.reply)}`));
          return r;
        },
        failover: (now, name, coordinated) => {
          const r = engine.failover(now, name, coordinated);
          sink.push(line(now, "failover", r.output, ` ${name}${coordinated ? ` ${JSON.stringify(coordinated)}` : ""} -> ${r.result}`));
          return r;
        },
        getMasterAddrByName: (name) => engine.getMasterAddrByName(name),
        currentEpoch: () => engine.currentEpoch(),
        persistedState: () => engine.persistedState(),
        view: () => engine.view(),
      };
      return wrapped;
    },
  });
  return bySentinel;
}

function render(bySentinel: Map<string, string[]>): string {
  const ids = [...bySentinel.keys()].sort();
  return ids.map((id) => `== sentinel ${id}\n${bySentinel.get(id)!.join("\n")}`).join("\n");
}

function check(name: string, seed: number, options: RunSeedOptions): void {
  const actual = render(streams(seed, options));
  const file = join(FIXTURES, `${name}.txt.gz`);
  if (UPDATE) {
    writeFileSync(file, gzipSync(actual, { level: 9 }));
    return;
  }
  expect(existsSync(file), `${file} missing: regenerate from the known-good engine`).toBe(true);
  const golden = gunzipSync(readFileSync(file)).toString("utf8");
  if (actual === golden) return;
  const a = actual.split("\n");
  const g = golden.split("\n");
  let i = 0;
  while (i < a.length && i < g.length && a[i] === g[i]) i++;
  expect(a[i], `${name}: first difference at line ${i + 1} of ${g.length}`).toBe(g[i]);
  expect(a.length, `${name}: line count`).toBe(g.length);
}

describe("event and command streams against the golden files", { timeout: 300_000 }, () => {
  for (const seed of SEEDS) it(`seed ${seed}`, () => check(`seed-${seed}`, seed, {}));
  for (const seed of MANUAL_SEEDS) {
    it(`seed ${seed} with manual failovers`, () => check(`manual-seed-${seed}`, seed, { faultWeights: { "manual-failover": 4 } }));
  }
});

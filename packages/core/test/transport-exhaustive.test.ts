// A new EngineCommand kind must not compile until every transport carries it out. This copies the
// sources of core, both transports and the example transport, adds a command kind, and runs the real
// compiler on them: first the executor's exhaustiveness check fails, then (once the executor and the
// Transport interface know the kind) every transport that does not implement it fails.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
// Inside the repository's node_modules, so xstate, zod and @types/node resolve as they do for the build.
mkdirSync(join(repo, "node_modules/.cache"), { recursive: true });
const dir = mkdtempSync(join(repo, "node_modules/.cache/vigil-exhaustive-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sources = {
  core: "packages/core/src",
  memory: "packages/transport-memory/src",
  redis: "packages/transport-redis/src",
  example: "examples/custom-transport",
};
for (const [name, from] of Object.entries(sources)) cpSync(join(repo, from), join(dir, name), { recursive: true });
writeFileSync(
  join(dir, "tsconfig.json"),
  JSON.stringify({
    extends: join(repo, "tsconfig.base.json"),
    compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false, types: ["node"], paths: { "@vigil/core": ["./core/index.ts"] } },
    // The transports and what they import (not the rest of each package: the compiler is slow here).
    files: ["core/transport/transport.ts", "memory/sentinel/sentinel-host.ts", "redis/runtime/sentinel-runtime.ts", "example/recording-transport.ts"],
  }),
);

/** Files the compiler reports errors in, with the first error of each. */
function compile(): Map<string, string> {
  let out = "";
  try {
    execFileSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? e);
  }
  const errors = new Map<string, string>();
  for (const line of out.split("\n")) {
    const m = /^(?:.*vigil-exhaustive-[^/]+\/)?([^(]+)\(\d+,\d+\): error (.*)$/.exec(line);
    if (m && !errors.has(m[1]!)) errors.set(m[1]!, m[2]!);
  }
  return errors;
}

function edit(file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

describe("the engine's command union is exhaustive in every transport", () => {
  // The second compilation lists exactly the transports: everything else compiles, so the copy is sound.
  it("fails in the executor when a kind is added, then in each transport until it handles it", { timeout: 240_000 }, () => {
    edit("core/engine/commands.ts", "  | { readonly kind: \"wake\"; readonly at: number }", '  | { readonly kind: "wake"; readonly at: number }\n  | { readonly kind: "probe"; readonly addr: Address }');
    const first = compile();
    expect([...first.keys()]).toEqual(["core/transport/transport.ts"]);
    expect(first.get("core/transport/transport.ts")).toContain("not assignable to parameter of type 'never'");

    edit("core/transport/transport.ts", "    case \"wake\":", '    case "probe":\n      return transport.probe(c);\n    case "wake":');
    edit("core/transport/transport.ts", '  scriptKill(c: CommandOf<"script-kill">): void;', '  scriptKill(c: CommandOf<"script-kill">): void;\n  probe(c: CommandOf<"probe">): void;');
    const second = compile();
    // composeTransport, every network transport, and where the daemon and the simulator assemble theirs.
    expect([...second.keys()].sort()).toEqual([
      "core/transport/transport.ts",
      "example/recording-transport.ts",
      "memory/sentinel/sentinel-host.ts",
      "memory/sentinel/sim-links.ts",
      "redis/links/link-pool.ts",
      "redis/runtime/sentinel-runtime.ts",
    ]);
    for (const error of second.values()) expect(error).toMatch(/'probe' is missing|incorrectly implements|not assignable to (parameter of )?type '(NetworkTransport|RuntimeNetwork)'/);
  });
});

/**
 * `vigil simulate` through the real binary: `--help` prints the options instead of running a
 * simulation, an unknown option or a bad value is an error (exit 1) instead of being ignored, and
 * every option the output suggests (`--all`) is in the usage text.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { VIGIL_BIN } from "./support/processes.js";

function vigil(...args: string[]) {
  const r = spawnSync(process.execPath, [VIGIL_BIN, ...args], { encoding: "utf8", timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.concurrent("vigil simulate (real binary)", () => {
  it("--help prints the options and runs nothing", ({ expect }) => {
    const r = vigil("simulate", "--help");
    expect(r.code).toBe(0);
    for (const option of ["--seed <n>", "--down-after <ms>", "--all", "--help"]) expect(r.stdout).toContain(option);
    expect(r.stdout).not.toContain("killing the master");
  });

  it("an unknown option is an error, not a silent run", ({ expect }) => {
    const r = vigil("simulate", "--bogus");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown option '--bogus'");
    expect(r.stdout).not.toContain("killing the master");
  });

  it("a seed that is not a number is an error, not the default seed", ({ expect }) => {
    const r = vigil("simulate", "--seed", "x");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--seed <n>");
    expect(r.stdout).toBe("");
  });

  it("runs a seed and suggests only options the usage text lists", ({ expect }) => {
    const r = vigil("simulate", "--seed", "2");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("seed 2, 3 sentinels");
    expect(r.stdout).toContain("+switch-master");
    const suggested = /vigil simulate --seed 2 (--\w+)/.exec(r.stdout)?.[1];
    expect(suggested).toBe("--all");
    const usage = vigil("--help").stdout;
    const simulateUsage = usage.split("\n").find((l) => l.includes("vigil simulate"));
    expect(simulateUsage).toContain("[--all]");
    expect(simulateUsage).not.toContain("--json"); // not an option
  });
});

describe("vigil simulate --all", () => {
  it("prints more than the default timeline", () => {
    const brief = vigil("simulate", "--seed", "3").stdout.split("\n").length;
    const all = vigil("simulate", "--seed", "3", "--all").stdout.split("\n").length;
    expect(all).toBeGreaterThan(brief);
  });
});

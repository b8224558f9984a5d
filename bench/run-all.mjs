#!/usr/bin/env node
// `npm run bench`: every benchmark in turn, each in its own process (as `npm run bench:<name>`).
// `--quick` is passed to each; `--only a,b` picks some. Ctrl-C stops the running one (it kills
// everything it started) and skips the rest.
import { spawn } from "node:child_process";
import { join } from "node:path";

const ALL = ["sim", "startup", "api", "false-positives", "failover", "scale", "many-masters", "switchover"];
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const onlyAt = argv.indexOf("--only");
const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? "").split(",") : ALL;
const unknown = only.filter((n) => !ALL.includes(n));
if (unknown.length) {
  process.stderr.write(`unknown benchmark(s) ${unknown.join(", ")}; known: ${ALL.join(", ")}\n`);
  process.exit(2);
}

let current;
let interrupted = false;
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    interrupted = true;
    current?.kill(sig);
  });
}

const failed = [];
for (const name of ALL.filter((n) => only.includes(n))) {
  if (interrupted) break;
  const code = await new Promise((ok) => {
    current = spawn(process.execPath, [join(import.meta.dirname, `${name}.mjs`), ...(quick ? ["--quick"] : [])], { stdio: "inherit" });
    current.once("exit", (c, s) => ok(c ?? s));
  });
  current = undefined;
  if (code !== 0) failed.push(`${name} (${code})`);
}
if (failed.length) process.stderr.write(`\nfailed: ${failed.join(", ")}\n`);
process.exit(interrupted ? 130 : failed.length ? 1 : 0);

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** Debian's python3 with python3-redis (the pyenv shim on PATH has no redis module). */
export const PYTHON = "/usr/bin/python3";

/** fixtures/clients/redis_py_failover.py: writes through the sentinels until the master moved. */
export const REDIS_PY_FAILOVER = resolve(import.meta.dirname, "../fixtures/clients/redis_py_failover.py");

/** A running redis-py script: its output so far and its exit code (or "timeout"). */
export interface PyRun {
  readonly proc: ChildProcess;
  out(): string;
  err(): string;
  /** The exit code, or "timeout" after `ms`. */
  exited(ms: number): Promise<number | null | "timeout">;
}

/** Run {@link REDIS_PY_FAILOVER} against the sentinels on `ports`; fails loudly without python3-redis. */
export function runRedisPy(ports: readonly number[]): PyRun {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is required for this test (apt-get install python3 python3-redis)`);
  const proc = spawn(PYTHON, [REDIS_PY_FAILOVER, ...ports.map(String)], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  proc.stdout.on("data", (d) => (out += d));
  proc.stderr.on("data", (d) => (err += d));
  const exit = new Promise<number | null>((ok) => proc.once("exit", (code) => ok(code)));
  return {
    proc,
    out: () => out,
    err: () => err,
    exited: (ms) => Promise.race([exit, new Promise<"timeout">((ok) => setTimeout(() => ok("timeout"), ms))]),
  };
}

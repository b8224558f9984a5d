// A daemon watching one master on a dead port, with a CommonJS preload `--require`d before it: the
// tests that look inside the running daemon (what it loaded, how its heap behaves) signal the
// preload with SIGUSR2 once the daemon answers PING.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cmd, freePort, tempDir, VIGIL_BIN, waitFor } from "./processes.js";

export interface PreloadedDaemon {
  readonly child: ChildProcess;
  readonly port: number;
  /** Its working directory (config file, and whatever the preload writes). */
  readonly dir: string;
  readonly conf: string;
}

/**
 * Start the daemon with the preload `preload(dir)` returns (its source) and wait for its first PONG.
 * The caller kills the child.
 */
export async function startPreloadedDaemon(preload: (dir: string) => string, opts: { nodeArgs?: string[]; env?: Record<string, string> } = {}): Promise<PreloadedDaemon> {
  const dir = tempDir();
  const [port, deadPort] = [await freePort(), await freePort()];
  const conf = join(dir, "sentinel.conf");
  writeFileSync(conf, `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor m 127.0.0.1 ${deadPort} 1\n`);
  const preloadPath = join(dir, "preload.cjs");
  writeFileSync(preloadPath, preload(dir));
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--require", preloadPath, VIGIL_BIN, conf], { stdio: "ignore", env: { ...process.env, ...opts.env } });
  try {
    await waitFor(async () => (await cmd(port, "PING")) === "PONG", 20_000);
  } catch (e) {
    child.kill("SIGKILL");
    throw e;
  }
  return { child, port, dir, conf };
}

/** Send the preload SIGUSR2 and wait for the JSON it writes to `file` (in the daemon's directory). */
export async function askPreload<T>(d: PreloadedDaemon, file: string, timeoutMs = 15_000): Promise<T> {
  d.child.kill("SIGUSR2");
  const out = join(d.dir, file);
  return waitFor(() => (existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as T) : undefined), timeoutMs);
}

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadConfig } from "../config/load-config.js";

const MARK = "VIGIL_DAEMONIZED";

/**
 * `daemonize yes`: re-launch ourselves detached (no controlling terminal, stdio to /dev/null) and
 * let the parent exit 0, as Redis does. Returns true in the parent. Config errors are left for the
 * child-less path to report, so the user still sees them on the terminal.
 */
export function daemonizeIfAsked(configPath: string, overrides: readonly (readonly string[])[]): boolean {
  if (process.env[MARK] === "1") return false;
  let text: string;
  try {
    text = readFileSync(resolve(configPath), "utf8");
  } catch {
    return false;
  }
  // Parsing the whole file twice costs start-up time; a file that never says `daemonize` (nor
  // `include`s one that might) cannot ask for it.
  if (!/daemonize|include/i.test(text) && !overrides.some((g) => g[0]?.toLowerCase() === "daemonize")) return false;
  const loaded = loadConfig(text, configPath, overrides);
  if (!loaded.ok || !loaded.config.generic.daemonize) return false;
  const child = spawn(process.execPath, process.argv.slice(1), {
    detached: true,
    stdio: "ignore",
    env: { ...process.env, [MARK]: "1" },
  });
  child.unref();
  return true;
}

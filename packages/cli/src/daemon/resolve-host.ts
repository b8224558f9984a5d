import { execFileSync } from "node:child_process";
import type { PersistedMaster } from "@vigil/core";
import { ipLiteral } from "../config/ip-literal.js";

/**
 * Resolve `name` like Redis's `anetResolve` (getaddrinfo, any family, first answer), synchronously as
 * Redis does while loading its config or serving `SENTINEL MONITOR`: `getent ahosts` asks the same
 * resolver (NSS: /etc/hosts, DNS). Null when it does not resolve.
 */
export function resolveHostSync(name: string): string | null {
  try {
    const out = execFileSync("getent", ["ahosts", name], { encoding: "utf8", timeout: 5000, stdio: ["ignore", "pipe", "ignore"] });
    const first = out.split("\n")[0]?.split(/\s+/)[0];
    return first === undefined || first === "" ? null : (ipLiteral(first) ?? first);
  } catch {
    return null;
  }
}

/**
 * Masters monitored by hostname (`resolve-hostnames yes`) get their resolved address, and keep the
 * name for `announce-hostnames yes`, as Sentinel keeps both. An unresolvable name stays as written
 * (Sentinel loads it too and retries at connection time).
 */
export function resolveMasterHosts(masters: readonly PersistedMaster[], resolve: (name: string) => string | null): PersistedMaster[] {
  return masters.map((m) => {
    const s = m.settings;
    if (ipLiteral(s.host) !== undefined) return m;
    const ip = resolve(s.host);
    return ip === null || ip === s.host ? m : { ...m, settings: { ...s, host: ip, hostname: s.hostname ?? s.host } };
  });
}

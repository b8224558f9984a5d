import { formatConfigError } from "./config-error.js";
import { loadConfig } from "./load-config.js";

/** Outcome of {@link ensureLoadable}. */
export type LoadableResult =
  | { readonly ok: true; readonly text: string; readonly dropped: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** Discovered-instance lines: dropping one loses nothing that is not rediscovered at run time. */
const DISCOVERED = /^\s*sentinel\s+known-(replica|slave|sentinel)\s/i;

/**
 * The last line of defence of crash safety: a rewritten config is written only if it loads again
 * (with the same command-line overrides), so a restart can never be refused because of what the
 * daemon itself persisted. A `known-replica` / `known-sentinel` line that does not load (an address
 * taken from a hostile or misconfigured INFO or hello that the loader refuses) is dropped, as
 * Sentinel never stores such an address in the first place; any other failure is returned, and the
 * caller keeps the previous file. Script paths are not checked for executability here (a script
 * deleted at run time must not stop persisting); the loader checks them at the next start.
 */
export function ensureLoadable(text: string, path: string, overrides: readonly (readonly string[])[]): LoadableResult {
  const lines = text.split("\n");
  const dropped: string[] = [];
  for (;;) {
    const r = loadConfig(lines.join("\n"), path, overrides, { isExecutable: () => true });
    if (r.ok) return { ok: true, text: dropped.length === 0 ? text : lines.join("\n"), dropped };
    const e = r.error;
    const i = e.line - 1;
    if (e.path === path && i < lines.length && DISCOVERED.test(lines[i]!)) {
      dropped.push(lines.splice(i, 1)[0]!);
      continue;
    }
    return { ok: false, message: formatConfigError(e).replace(/\n/g, " ") };
  }
}

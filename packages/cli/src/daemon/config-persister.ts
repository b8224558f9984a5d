import { readFileSync } from "node:fs";
import type { PersistedState, SentinelEngine } from "@vigil/core";
import { writeFileAtomicSync } from "../config/atomic-write.js";
import type { LoadedConfig } from "../config/load-config.js";
import { ensureLoadable } from "../config/loadable-config.js";
import { rewriteConfig } from "../config/rewrite-config.js";
import type { Logger } from "../log/logger.js";

/** What the persister needs to know. */
export interface PersisterOptions {
  /** The config file (absolute). */
  readonly path: string;
  readonly config: LoadedConfig;
  /** Command-line directives: the next start applies them too, so a rewrite is checked with them. */
  readonly overrides: readonly (readonly string[])[];
  readonly engine: SentinelEngine;
  readonly logger: Logger;
}

const NOT_SAVED = "WARNING: Sentinel was not able to save the new configuration on disk!!!";

/**
 * The runtime's `persist`: rewrite the config file with the engine's state, atomically. Returns false
 * (after a warning) when the state could not be saved.
 *
 * Like Redis's rewriteConfigReadOldFile, every rewrite starts from the file as it is on disk now:
 * lines an operator added while we run are kept, and FLUSHCONFIG restores an edited or deleted file.
 * A file already equal to the result (also when it lacks lines ensureLoadable dropped) is not written
 * again, and a file the next start would refuse is never written (docs/reliability.md, "Crash safety").
 */
export function createConfigPersister(o: PersisterOptions): (state: PersistedState) => boolean {
  const unloadableWarned = new Set<string>();
  return (state) => {
    const onDisk = readOnDisk(o);
    if (onDisk === false) return false;
    const text = rewrite(o, onDisk ?? "", state);
    if (text === onDisk) return true;
    const loadable = ensureLoadable(text, o.path, o.overrides);
    if (loadable.ok && loadable.text === onDisk) return true;
    if (!loadable.ok) {
      o.logger.log("warning", `WARNING: not saving a configuration that would not load again, the file keeps the last good state: ${loadable.message}`);
      return false;
    }
    for (const line of loadable.dropped) {
      if (unloadableWarned.has(line)) continue;
      unloadableWarned.add(line);
      o.logger.log("warning", `Not persisting '${line}': the address is not loadable (resolve-hostnames is off)`);
    }
    const r = writeFileAtomicSync(o.path, loadable.text);
    if (!r.ok) o.logger.log("warning", `${NOT_SAVED}: ${r.message}`);
    return r.ok;
  };
}

/** The file as it is now: its text, undefined when it was deleted, false (warned) when unreadable. */
function readOnDisk(o: PersisterOptions): string | undefined | false {
  try {
    return readFileSync(o.path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    o.logger.log("warning", `${NOT_SAVED}: ${(e as Error).message}`);
    return false;
  }
}

function rewrite(o: PersisterOptions, onDisk: string, state: PersistedState): string {
  // Like Redis, `dir` is always written, as the absolute working directory.
  return rewriteConfig(onDisk, state, { port: o.config.generic.port, dir: process.cwd() }, {
    defaultDownAfterMs: o.engine.timing.defaultDownAfter,
    defaultFailoverTimeoutMs: o.engine.timing.defaultFailoverTimeout,
    dialect: o.config.dialect,
  });
}

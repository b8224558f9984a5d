import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import type { PersistedState } from "@vigil/core";

/**
 * Where an embedded sentinel keeps its durable state (what a `sentinel.conf` holds: its id, epochs,
 * known replicas and sentinels). `save` must be synchronous and durable when it returns: a vote is
 * written before it is answered, and a sentinel that forgets its vote can vote twice in an epoch.
 * `save` throws when the write failed.
 */
export interface SentinelStore {
  load(): PersistedState | undefined;
  save(state: PersistedState): void;
}

/** A JSON file, replaced atomically (write a temporary file, fsync, rename). */
export function fileStore(path: string): SentinelStore {
  return {
    load: () => (existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as PersistedState) : undefined),
    save: (state) => {
      const tmp = `${path}.tmp`;
      const fd = openSync(tmp, "w", 0o600);
      try {
        writeSync(fd, JSON.stringify(state));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    },
  };
}

/** In memory only: for tests. A restarted process forgets its votes. */
export function memoryStore(initial?: PersistedState): SentinelStore & { state: PersistedState | undefined } {
  const store = {
    state: initial,
    load: () => store.state,
    save: (state: PersistedState) => {
      store.state = state;
    },
  };
  return store;
}

import type { MasterView } from "@vigil/core";
import { array, bulk, integer, NULL, type Reply } from "../resp/reply.js";
import type { ApiScope } from "./scope.js";

/**
 * `SENTINEL INFO-CACHE <name> [<name> ...]`: for each known master asked for (unknown names are
 * skipped, repeated names answered once) its name, then `[age-ms, INFO text or null]` for the master
 * and for each replica.
 *
 * Kept C quirk: a replica's age is printed as 0 only when the *master* never got INFO; a replica
 * that never answered INFO under a master that did shows `now - 0`.
 */
export function infoCacheCommand(s: ApiScope, argv: readonly string[]): Reply {
  const chosen = new Map<string, MasterView>();
  for (const name of argv.slice(2)) {
    const m = s.engine.view().master(name);
    if (m && !chosen.has(name)) chosen.set(name, m);
  }
  const items: Reply[] = [];
  for (const m of chosen.values()) {
    items.push(bulk(m.name));
    const entries: Reply[] = [entry(m.infoRefresh !== 0 ? s.now - m.infoRefresh : 0, m.info)];
    for (const r of m.replicas.values()) entries.push(entry(m.infoRefresh !== 0 ? s.now - r.infoRefresh : 0, r.info));
    items.push(array(entries));
  }
  return array(items);
}

function entry(age: number, info: string | null): Reply {
  return array([integer(age), info === null ? NULL : bulk(info)]);
}

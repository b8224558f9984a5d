/**
 * Lifting Vigil's fences when its watch over an instance ends (issue 12): nothing Vigil sets on a
 * Redis instance may outlive that watch. Fences are lifted when their master is removed
 * (`SENTINEL REMOVE`), when `SENTINEL RESET` forgets the instances, when the option is turned off
 * (`SENTINEL SET <m> vigil-fence-writes|vigil-fence-stale-master no`) and on a clean shutdown.
 *
 * The engine only says where to lift and which kind of fence; the transport lifts over a connection
 * of its own (the engine may be closing its links at that very moment) and restores the operator's
 * values: those a stale-master fence encodes (`stale-master-fence.ts`), and those it read before its
 * first write fence on that address.
 */

import { type Address, addressFromKey, addressKey } from "../../util/address.js";
import type { LinkAuth } from "../commands.js";
import type { MasterRecord } from "../records.js";

/** Which of a master's fences to lift. */
export interface FenceLiftScope {
  /** Every stale-master fence this sentinel put on the master's instances. */
  readonly staleMaster: boolean;
  /**
   * Write fences (`vigil-fence-writes`): on every instance of the master (`"all"`), or on its
   * replicas only (`"replicas"`: RESET forgets them, but still watches the master and keeps its fence
   * in step).
   */
  readonly writes: "all" | "replicas" | "none";
}

/** One address to lift fences on (the `lift-fences` command without its kind). */
export interface FenceLift {
  readonly addr: Address;
  readonly staleMaster: boolean;
  readonly writes: boolean;
  readonly auth: LinkAuth | undefined;
  readonly renames: Readonly<Record<string, string>>;
}

/**
 * The lifts `scope` asks for on master `m`, forgotten in `m` as they are returned (its stale-fenced
 * set, its write fence) so that nothing lifts twice or believes a lifted fence is still there. Write
 * lifts name every address concerned while fencing is on; the transport restores only where it
 * recorded values, which covers an old master fenced before a failover too.
 */
export function takeFenceLifts(m: MasterRecord, scope: FenceLiftScope): FenceLift[] {
  const writes = new Map<string, Address>();
  if (scope.writes !== "none" && m.settings.fenceWrites) {
    if (scope.writes === "all") writes.set(addressKey(m.addr), m.addr);
    for (const r of m.replicas.values()) writes.set(addressKey(r.addr), r.addr);
    if (scope.writes === "all") m.fence = null;
  }
  const stale = scope.staleMaster ? new Set(m.staleFenced) : new Set<string>();
  if (scope.staleMaster) m.staleFenced.clear();
  const auth = m.settings.authPass !== undefined ? { user: m.settings.authUser, pass: m.settings.authPass } : undefined;
  const lifts: FenceLift[] = [];
  for (const key of new Set([...writes.keys(), ...stale])) {
    lifts.push({ addr: writes.get(key) ?? addressFromKey(key), staleMaster: stale.has(key), writes: writes.has(key), auth, renames: m.settings.renamedCommands });
  }
  return lifts;
}

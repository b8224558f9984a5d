import type { MasterView } from "@vigil/core";
import { BulkFieldList } from "../resp/bulk-fields.js";
import { NULL_ARRAY, type Reply } from "../resp/reply.js";
import { NO_SUCH_MASTER } from "./errors.js";
import { instanceList, instanceMap } from "./instance-map.js";
import type { ApiScope } from "./scope.js";

/** `SENTINEL MASTERS` (and Valkey's `PRIMARIES`): every master, in the order they were added. */
export function mastersCommand(s: ApiScope): Reply {
  return instanceList(
    s.engine.view().masters.map((m) => [m, m] as const),
    s.now,
    s.engine.global.announceHostnames,
  );
}

/** `SENTINEL MASTER <name>` (and `PRIMARY`). */
export function masterCommand(s: ApiScope, argv: readonly string[]): Reply {
  const m = s.engine.view().master(argv[2]!);
  return m ? instanceMap(m, m, s.now, s.engine.global.announceHostnames) : NO_SUCH_MASTER;
}

/** `SENTINEL REPLICAS|SLAVES <name>`: unannounced replicas are left out. */
export function replicasCommand(s: ApiScope, argv: readonly string[]): Reply {
  return withMaster(s, argv, (m) =>
    instanceList(
      [...m.replicas.values()].map((r) => [r, m] as const),
      s.now,
    ),
  );
}

/** `SENTINEL SENTINELS <name>`: the other Sentinels known for that master. */
export function sentinelsCommand(s: ApiScope, argv: readonly string[]): Reply {
  return withMaster(s, argv, (m) =>
    instanceList(
      [...m.sentinels.values()].map((p) => [p, m] as const),
      s.now,
    ),
  );
}

/**
 * `SENTINEL GET-MASTER-ADDR-BY-NAME <name>` (and `GET-PRIMARY-ADDR-BY-NAME`): `[ip, port]` as bulk
 * strings — the promoted replica from RECONF_SLAVES on — or a null array for an unknown name.
 */
export function getMasterAddrCommand(s: ApiScope, argv: readonly string[]): Reply {
  const addr = s.engine.getMasterAddrByName(argv[2]!);
  return addr ? new BulkFieldList([addr.host, addr.port]) : NULL_ARRAY;
}

/** Look the master named by `argv[2]` up, or reply `No such master with that name`. */
export function withMaster(s: ApiScope, argv: readonly string[], body: (m: MasterView) => Reply): Reply {
  const m = s.engine.view().master(argv[2]!);
  return m ? body(m) : NO_SUCH_MASTER;
}

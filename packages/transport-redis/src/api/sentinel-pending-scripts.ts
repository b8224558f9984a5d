import { array, bulk, bulkArray, map, type Reply } from "../resp/reply.js";
import type { ApiScope } from "./scope.js";

/**
 * `SENTINEL PENDING-SCRIPTS`: one 5-entry map per queued job — `argv`, `flags`
 * (`running`|`scheduled`), `pid`, then `run-time` (ms running) or `run-delay` (ms until it may run,
 * never negative), and `retry-num`. Numbers are bulk strings, as in Sentinel.
 */
export function pendingScriptsCommand(s: ApiScope): Reply {
  return array(
    s.ctx.pendingScripts().map((job) =>
      map([
        [bulk("argv"), bulkArray(job.argv)],
        [bulk("flags"), bulk(job.running ? "running" : "scheduled")],
        [bulk("pid"), bulk(String(job.pid))],
        job.running
          ? [bulk("run-time"), bulk(String(s.now - job.startedAt))]
          : [bulk("run-delay"), bulk(String(job.runAt !== 0 ? Math.max(0, job.runAt - s.now) : 0))],
        [bulk("retry-num"), bulk(String(job.retryNum))],
      ]),
    ),
  );
}

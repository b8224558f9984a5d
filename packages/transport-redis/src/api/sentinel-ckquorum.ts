import { checkQuorum } from "@vigil/core";
import { error, type Reply, simple } from "../resp/reply.js";
import type { ApiScope } from "./scope.js";
import { withMaster } from "./sentinel-instances.js";

/**
 * `SENTINEL CKQUORUM <name>` (§10.4): usable = this Sentinel plus every known Sentinel that is not
 * SDOWN; `+OK <n> usable Sentinels. ...` or `-NOQUORUM <n> usable Sentinels. ...`.
 */
export function ckquorumCommand(s: ApiScope, argv: readonly string[]): Reply {
  return withMaster(s, argv, (m) => {
    let usable = 1;
    for (const peer of m.sentinels.values()) if (peer.health.state !== "sdown") usable++;
    const verdict = checkQuorum({ usable, voters: m.sentinels.size + 1, quorum: m.settings.quorum });
    return verdict.ok ? simple(verdict.text) : error(verdict.text);
  });
}

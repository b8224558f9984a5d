import type { MasterView } from "../engine/views/view-types.js";

/**
 * The Sentinels that currently say the master is down: this one only while it sees the master
 * SDOWN, plus each peer whose last answer to `is-master-down-by-addr` said down. A healthy master
 * counts 0, so `vigil explain` and `vigil_master_sentinels_agreeing` never report a Sentinel as
 * agreeing to a down it does not see. (While SDOWN this is the count the ODOWN rule compares to quorum.)
 */
export function sentinelsSayingDown(m: MasterView): { readonly self: boolean; readonly peers: readonly string[]; readonly count: number } {
  const self = m.health.state === "sdown";
  const peers = [...m.sentinels.values()].filter((s) => s.masterDown).map((s) => s.runId);
  return { self, peers, count: (self ? 1 : 0) + peers.length };
}

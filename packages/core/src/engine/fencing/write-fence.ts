import { type Address, addressKey, sameAddress } from "../../util/address.js";
import type { MasterRecord } from "../records.js";
import { linkDisconnected } from "../records.js";

/**
 * Replicas that currently replicate from `master` and look healthy: not SDOWN, link up, reporting
 * `master_link_status:up` towards that very address.
 */
export function healthyReplicaCount(m: MasterRecord, master: Address): number {
  let n = 0;
  for (const r of m.replicas.values()) {
    if (sameAddress(r.addr, master) || r.health.value === "sdown" || linkDisconnected(r.link) || !r.masterLinkUp) continue;
    if (r.slaveMasterHost === null || !sameAddress({ host: r.slaveMasterHost, port: r.slaveMasterPort }, master)) continue;
    n++;
  }
  return n;
}

/**
 * The fence a master should carry: require one replica acknowledgement while one is healthy, and
 * none when it is alone, so fencing never makes a lone master refuse every write.
 */
export function desiredFence(m: MasterRecord, master: Address): { key: string; minReplicas: number } {
  return { key: addressKey(master), minReplicas: healthyReplicaCount(m, master) >= 1 ? 1 : 0 };
}

import type { SimObserver, WriteObservation } from "../cluster/observer.js";
import type { Keyspace } from "../redis/keyspace.js";

/** A fault as the accounting sees it: what, when, and which hosts it touched. */
export interface FaultWindow {
  readonly kind: string;
  readonly at: number;
  /** When it was healed (or the end of the run if it never was). */
  readonly healedAt: number;
  /** Hosts it affected; empty = the whole deployment (a partition, lossy network). */
  readonly hosts: readonly string[];
}

/** Outcome of the accounting. */
export interface LostWriteReport {
  /** Writes a client got `OK` for. */
  readonly acknowledged: number;
  /** Acknowledged writes missing from the final master's dataset. */
  readonly lost: number;
  /** Lost writes by the fault they are attributed to (`none` = no fault could explain them). */
  readonly byFault: Readonly<Record<string, number>>;
  /** Writes that failed with an error or whose outcome is unknown (timeout, closed). */
  readonly failed: number;
}

/**
 * Accounting of acknowledged writes. Every acknowledged write (`RPUSH key id` answered `OK`) is
 * remembered; at the end each is looked up in the final master's dataset of its group.
 *
 * A lost write acknowledged at time t by node N is attributed to the earliest fault that was still
 * active at t or started after it (healedAt ≥ t) and that affected N's host (or the whole
 * deployment): the fault whose window explains why N's history was discarded.
 */
export class WriteLedger implements SimObserver {
  private readonly acked: WriteObservation[] = [];
  private failures = 0;

  onWrite(w: WriteObservation): void {
    if (w.outcome === "ok") this.acked.push(w);
    else this.failures++;
  }

  /** Acknowledged writes so far. */
  get acknowledged(): number {
    return this.acked.length;
  }

  /**
   * @param finalData group → dataset of its final master (groups without one are skipped)
   * @param faults the fault log of the run
   */
  account(finalData: ReadonlyMap<string, Keyspace>, faults: readonly FaultWindow[]): LostWriteReport {
    const byFault: Record<string, number> = {};
    const present = new Map<string, Set<number>>();
    let lost = 0;
    for (const w of this.acked) {
      const data = finalData.get(w.master);
      if (data === undefined) continue;
      let ids = present.get(w.key);
      if (ids === undefined) {
        ids = new Set(data.get(w.key));
        present.set(w.key, ids);
      }
      if (ids.has(w.id)) continue;
      lost++;
      const host = w.node.slice(0, w.node.lastIndexOf(":"));
      const cause = faults
        .filter((f) => f.healedAt >= w.time && (f.hosts.length === 0 || f.hosts.includes(host)))
        .sort((a, b) => a.at - b.at)[0];
      const kind = cause?.kind ?? "none";
      byFault[kind] = (byFault[kind] ?? 0) + 1;
    }
    return { acknowledged: this.acked.length, lost, byFault, failed: this.failures };
  }
}

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
 * deployment): the fault whose window explains why N's history was discarded. Failing that, to the
 * last fault that affected N's host before t: its aftermath (a stale master accepting writes until
 * Sentinel converts it). `none` means no fault ever touched N.
 */
export class WriteLedger implements SimObserver {
  private readonly acked: WriteObservation[] = [];
  private failures = 0;

  /** Remember acknowledged writes; count the others. */
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
      const kind = attribute(w, faults)?.kind ?? "none";
      byFault[kind] = (byFault[kind] ?? 0) + 1;
    }
    return { acknowledged: this.acked.length, lost, byFault, failed: this.failures };
  }
}

/** The fault a lost write is attributed to (see {@link WriteLedger}). */
function attribute(w: WriteObservation, faults: readonly FaultWindow[]): FaultWindow | undefined {
  const host = w.node.slice(0, w.node.lastIndexOf(":"));
  const touches = (f: FaultWindow): boolean => f.hosts.length === 0 || f.hosts.includes(host);
  let covering: FaultWindow | undefined;
  let before: FaultWindow | undefined;
  for (const f of faults) {
    if (!touches(f)) continue;
    if (f.healedAt >= w.time) {
      if (covering === undefined || f.at < covering.at) covering = f;
    } else if (before === undefined || f.healedAt > before.healedAt) before = f;
  }
  return covering ?? before;
}

import { type Address, addressKey } from "../../util/address.js";
import type { InstanceRecord, Link, MasterRecord } from "../records.js";

/** A record bound to a link, with the master whose subtree it is in. */
export type RecordAt = readonly [InstanceRecord, MasterRecord];

interface Binding {
  readonly m: MasterRecord;
  /** 0 master, 1 replica, 2 sentinel: a master's subtree is scanned in that order. */
  readonly group: 0 | 1 | 2;
  /** Insertion order among the master's replicas or sentinels (their maps' order). */
  readonly seq: number;
}

const GROUP = { master: 0, replica: 1, sentinel: 2 } as const;
const NONE: readonly RecordAt[] = Object.freeze([]);

/**
 * Link → every (record, master) bound to it, kept up to date one record at a time: discovering a
 * replica or a peer costs O(1) here, not a rebuild over every master (which made discovering N
 * masters O(N²)). {@link at} lists a link's records in the order of a scan of the masters (each
 * master, its replicas, its sentinels, in their maps' insertion order), sorted lazily per link when
 * it changed; the arrays it hands out are never mutated afterwards, so callers may change records
 * while they iterate.
 */
export class LinkIndex {
  private readonly byLink = new Map<Link, Map<InstanceRecord, Binding>>();
  private readonly sorted = new Map<Link, readonly RecordAt[]>();
  private readonly masterOrder = new WeakMap<MasterRecord, number>();
  /** Lower-cased address key → run id → peer sentinel records at that address. */
  private readonly peerRunIds = new Map<string, Map<string, number>>();
  private seq = 0;

  /**
   * `inst` (of `m`'s subtree) is now bound to `inst.link`. Call right after inserting it in its map
   * (or the master in the masters map); `replacing`: the record it replaced under the same key,
   * whose place in the map it takes.
   */
  bind(inst: InstanceRecord, m: MasterRecord, replacing?: InstanceRecord): void {
    if (inst.kind === "master" && !this.masterOrder.has(m)) this.masterOrder.set(m, ++this.seq);
    const previous = replacing !== undefined ? this.bindingOf(replacing) : undefined;
    if (replacing !== undefined) this.unbind(replacing);
    let at = this.byLink.get(inst.link);
    if (!at) {
      at = new Map();
      this.byLink.set(inst.link, at);
    }
    at.set(inst, { m, group: GROUP[inst.kind], seq: previous?.seq ?? ++this.seq });
    this.sorted.delete(inst.link);
    if (inst.kind === "sentinel") {
      const key = peerKey(inst.addr);
      let ids = this.peerRunIds.get(key);
      if (!ids) {
        ids = new Map();
        this.peerRunIds.set(key, ids);
      }
      ids.set(inst.runId, (ids.get(inst.runId) ?? 0) + 1);
    }
  }

  /** `inst` leaves its link (removed, or about to be bound to another link). */
  unbind(inst: InstanceRecord): void {
    const at = this.byLink.get(inst.link);
    if (!at?.delete(inst)) return;
    if (at.size === 0) this.byLink.delete(inst.link);
    this.sorted.delete(inst.link);
    if (inst.kind === "sentinel") {
      const key = peerKey(inst.addr);
      const ids = this.peerRunIds.get(key);
      const n = (ids?.get(inst.runId) ?? 0) - 1;
      if (n > 0) ids?.set(inst.runId, n);
      else ids?.delete(inst.runId);
      if (ids?.size === 0) this.peerRunIds.delete(key);
    }
  }

  /** Every (record, master) bound to `l`, in the order of a scan of the masters. */
  at(l: Link): readonly RecordAt[] {
    const cached = this.sorted.get(l);
    if (cached) return cached;
    const at = this.byLink.get(l);
    if (!at) return NONE;
    const order = (b: Binding) => this.masterOrder.get(b.m) ?? 0;
    const list = [...at].sort(([, a], [, b]) => order(a) - order(b) || a.group - b.group || a.seq - b.seq);
    const records: readonly RecordAt[] = Object.freeze(list.map(([inst, b]) => [inst, b.m] as const));
    this.sorted.set(l, records);
    return records;
  }

  /** True when a peer sentinel record at `addr` (host compared case-insensitively) has a run id other than `runId`. */
  otherPeerAt(addr: Address, runId: string): boolean {
    const ids = this.peerRunIds.get(peerKey(addr));
    return ids !== undefined && ids.size > (ids.has(runId) ? 1 : 0);
  }

  private bindingOf(inst: InstanceRecord): Binding | undefined {
    return this.byLink.get(inst.link)?.get(inst);
  }
}

/** Peer addresses compare as `sameAddress` does: host case-insensitively. */
function peerKey(addr: Address): string {
  return addressKey({ host: addr.host.toLowerCase(), port: addr.port });
}

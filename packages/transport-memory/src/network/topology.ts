/**
 * Who can reach whom. A partition is any split of hosts into groups (hosts in different groups
 * cannot exchange packets; hosts not named in the split reach everybody); one-way cuts block a single
 * direction between two hosts. Both can be combined.
 */
export class Topology {
  private groupOf = new Map<string, number>();
  private cuts = new Set<string>();
  private version = 0;

  /** Bumped on every change, so cached reachability can be invalidated. */
  get generation(): number {
    return this.version;
  }

  /** True when a packet from `from` to `to` is dropped by the current partition or a one-way cut. */
  blocked(from: string, to: string): boolean {
    if (from === to) return false;
    if (this.groupOf.size > 0) {
      const a = this.groupOf.get(from);
      const b = this.groupOf.get(to);
      if (a !== undefined && b !== undefined && a !== b) return true;
    }
    return this.cuts.size > 0 && this.cuts.has(`${from}>${to}`);
  }

  /** Replace the partition by `groups` (each a list of hosts). An empty list heals it. */
  partition(groups: readonly (readonly string[])[]): void {
    this.groupOf.clear();
    groups.forEach((g, i) => {
      for (const h of g) this.groupOf.set(h, i);
    });
    this.version++;
  }

  /** Block packets from `from` to `to` (only that direction). */
  cut(from: string, to: string): void {
    this.cuts.add(`${from}>${to}`);
    this.version++;
  }

  /** Undo {@link cut}. */
  restore(from: string, to: string): void {
    this.cuts.delete(`${from}>${to}`);
    this.version++;
  }

  /** Remove every partition and cut. */
  heal(): void {
    this.groupOf.clear();
    this.cuts.clear();
    this.version++;
  }

  /** The current split, for traces: groups of hosts, in group order. */
  describe(): string {
    const groups: string[][] = [];
    for (const [h, g] of this.groupOf) (groups[g] ??= []).push(h);
    const parts = groups.filter((g) => g !== undefined).map((g) => g.join(","));
    const cuts = [...this.cuts];
    return [parts.length > 0 ? parts.join(" | ") : "no partition", cuts.length > 0 ? `cuts ${cuts.join(" ")}` : ""].filter(Boolean).join("; ");
  }
}

import type { Prng } from "@vigil/core";
import type { FaultWindow } from "../checkers/write-ledger.js";
import type { SimCluster } from "../cluster/sim-cluster.js";
import type { LinkProfile } from "../network/link-profile.js";
import type { SimRedis } from "../redis/sim-redis.js";
import { between, chance, pick, shuffled } from "../util/seeded.js";
import type { FaultKind } from "./fault-kinds.js";
import type { PlannedFault } from "./fault-plan.js";

/** A fault that fired: what it did, to whom, and when it healed. */
export interface FaultRecord extends FaultWindow {
  readonly kind: FaultKind;
  /** Virtual time it fired (ms). */
  readonly at: number;
  /** Virtual time it healed (= `at` for one-shot faults; updated on heal). */
  healedAt: number;
  readonly hosts: readonly string[];
  /** Human-readable, for traces. */
  readonly description: string;
}

/** How to undo an active fault. */
interface Active {
  readonly record: FaultRecord;
  readonly heal: () => void;
}

/**
 * Fires a fault plan on a cluster and heals each fault when its duration ends, or all at once with
 * {@link healAll} (the start of the liveness phase). Choices made when a fault fires (which master,
 * which side of a split) use the injector's own seeded stream, so a seed replays identically.
 */
export class FaultInjector {
  /** Every fault that fired, in order. */
  readonly log: FaultRecord[] = [];
  private readonly active = new Set<Active>();
  private partitioned = false;
  private degraded = false;
  private healedAll = false;

  constructor(
    private readonly cluster: SimCluster,
    private readonly prng: Prng,
  ) {}

  /** Schedule every planned fault (times are relative to the start of the run). */
  schedule(plan: readonly PlannedFault[]): void {
    for (const f of plan) this.cluster.scheduler.at(this.cluster.startTime + f.at, () => this.fire(f));
  }

  /** Heal everything still active and stop firing: the liveness phase begins. */
  healAll(): void {
    this.healedAll = true;
    for (const a of [...this.active]) this.finish(a);
    this.cluster.trace("all faults healed");
  }

  /** Fire one fault now (also usable directly, outside a plan). */
  fire(f: PlannedFault): void {
    if (this.healedAll) return;
    const c = this.cluster;
    const p = this.prng;
    const record = (hosts: readonly string[], description: string) => this.record(f, hosts, description);
    const oneShot = (r: FaultRecord): void => {
      r.healedAt = c.now;
    };
    const lasting = (r: FaultRecord, heal: () => void) => this.lasting(f, r, heal);
    switch (f.kind) {
      case "partition":
      case "partition-master-minority":
      case "one-way-cut":
      case "lossy-links":
        return this.fireNetworkFault(f);
      case "crash-master":
      case "crash-master-wipe":
      case "crash-replica":
      case "crash-replica-wipe": {
        const node = this.dataNode(f.kind.startsWith("crash-master") ? "master" : "replica");
        if (!node) return;
        const keep = !f.kind.endsWith("-wipe");
        node.crash();
        lasting(record([node.host], `${node.key} (restart ${keep ? "with" : "without"} data)`), () => node.restart(keep));
        return;
      }
      case "pause-master":
      case "pause-replica": {
        const node = this.dataNode(f.kind === "pause-master" ? "master" : "replica");
        if (!node || node.paused) return;
        node.pause();
        lasting(record([node.host], node.key), () => node.resume());
        return;
      }
      case "crash-sentinel": {
        const alive = c.sentinels.filter((s) => s.alive);
        if (alive.length === 0) return;
        const s = pick(p, alive);
        s.crash();
        lasting(record([s.host], s.name), () => s.start());
        return;
      }
      case "clock-jump": {
        const s = pick(p, c.sentinels);
        const delta = (chance(p, 0.5) ? -1 : 1) * between(p, 3000, 20000);
        oneShot(record([s.host], `${s.name} ${delta > 0 ? "+" : ""}${delta} ms`));
        s.jumpClock(delta);
        return;
      }
      case "conn-reset": {
        const host = pick(p, c.hosts());
        oneShot(record([host], host));
        c.resetConnections(host);
        return;
      }
      case "manual-failover": {
        const alive = c.sentinels.filter((s) => s.alive);
        if (alive.length === 0) return;
        const s = pick(p, alive);
        const group = pick(p, c.groups).name;
        oneShot(record([], `SENTINEL FAILOVER ${group} on ${s.name}`));
        c.failover(s.name, group);
        return;
      }
    }
  }

  /** The faults on the network: partitions, a one-way cut, lossy links. */
  private fireNetworkFault(f: PlannedFault): void {
    const c = this.cluster;
    const p = this.prng;
    const record = (hosts: readonly string[], description: string) => this.record(f, hosts, description);
    const lasting = (r: FaultRecord, heal: () => void) => this.lasting(f, r, heal);
    switch (f.kind) {
      case "partition": {
        if (this.partitioned) return;
        const hosts = shuffled(p, c.hosts());
        const cutAt = between(p, 1, hosts.length - 1);
        const a = hosts.slice(0, cutAt);
        const b = hosts.slice(cutAt);
        c.partition([a, b]);
        this.partitioned = true;
        lasting(record([], `${a.join(",")} | ${b.join(",")}`), () => {
          this.partitioned = false;
          c.healPartition();
        });
        return;
      }
      case "partition-master-minority": {
        if (this.partitioned) return;
        const group = pick(p, c.groups).name;
        const master = c.reportedMaster(group);
        if (!master) return;
        const sentinels = shuffled(p, c.sentinels.map((s) => s.host));
        const minority = sentinels.slice(0, Math.floor((sentinels.length - 1) / 2));
        const clients = c.clients.map((x) => x.host).filter(() => chance(p, 0.5));
        const side = [master.host, ...minority, ...clients];
        const rest = c.hosts().filter((h) => !side.includes(h));
        c.partition([side, rest]);
        this.partitioned = true;
        lasting(record([master.host], `${group} master ${master.key} with ${side.slice(1).join(",") || "nobody"} | the rest`), () => {
          this.partitioned = false;
          c.healPartition();
        });
        return;
      }
      case "one-way-cut": {
        const hosts = c.hosts();
        const from = pick(p, hosts);
        const to = pick(
          p,
          hosts.filter((h) => h !== from),
        );
        c.cut(from, to);
        lasting(record([from, to], `${from} -> ${to}`), () => c.restore(from, to));
        return;
      }
      case "lossy-links": {
        if (this.degraded) return;
        const profile: LinkProfile = {
          latencyMs: between(p, 2, 150),
          jitterMs: between(p, 1, 50),
          loss: between(p, 1, 30) / 100,
          duplicate: between(p, 0, 5) / 100,
          reorder: between(p, 0, 20) / 100,
          reorderDelayMs: between(p, 1, 100),
        };
        const what = `latency ${profile.latencyMs}+${profile.jitterMs} ms, loss ${profile.loss}, dup ${profile.duplicate}, reorder ${profile.reorder}`;
        this.degraded = true;
        if (chance(p, 0.5)) {
          c.network.setDefaultProfile(profile);
          lasting(record([], `whole network: ${what}`), () => {
            this.degraded = false;
            c.restoreLinks();
          });
        } else {
          const victim = pick(p, c.hosts());
          for (const h of c.hosts()) if (h !== victim) c.degradeLink(victim, h, profile);
          lasting(record([victim], `links of ${victim}: ${what}`), () => {
            this.degraded = false;
            c.restoreLinks();
          });
        }
        return;
      }
    }
  }

  /** Log a fault that fired now. */
  private record(f: PlannedFault, hosts: readonly string[], description: string): FaultRecord {
    const r: FaultRecord = { kind: f.kind, at: this.cluster.now, healedAt: Number.POSITIVE_INFINITY, hosts, description };
    this.log.push(r);
    this.cluster.trace(`FAULT ${f.kind}: ${description}${f.durationMs > 0 ? ` for ${f.durationMs} ms` : ""}`);
    return r;
  }

  /** A fault that lasts `durationMs`, then heals (unless everything was healed before). */
  private lasting(f: PlannedFault, r: FaultRecord, heal: () => void): void {
    const a: Active = { record: r, heal };
    this.active.add(a);
    this.cluster.scheduler.after(f.durationMs, () => this.finish(a));
  }

  /** A live, unpaused data node: the reported master of a random group, or one of its other nodes. */
  private dataNode(which: "master" | "replica"): SimRedis | undefined {
    const group = pick(this.prng, this.cluster.groups);
    const master = this.cluster.reportedMaster(group.name);
    if (which === "master") return master?.alive && !master.paused ? master : undefined;
    const others = group.nodes.filter((n) => n !== master && n.alive && !n.paused);
    return others.length > 0 ? pick(this.prng, others) : undefined;
  }

  private finish(a: Active): void {
    if (!this.active.delete(a)) return;
    a.record.healedAt = this.cluster.now;
    a.heal();
  }
}

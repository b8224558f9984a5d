import type { ClusterProbe } from "../cluster/probe.js";
import type { ViolationSink } from "./violation.js";

/** When liveness is required and how long it may take. */
export interface LivenessConfig {
  /** Virtual time at which all faults were healed. */
  readonly healedAt: number;
  /** Liveness must hold within this long after `healedAt` (ms). */
  readonly boundMs: number;
  /** It must then hold continuously this long to count as settled (ms). */
  readonly stableMs: number;
}

/**
 * Liveness: after faults heal, within a bounded time, every live sentinel reports the same master
 * for each group, that node is up and a master, and every other live data node of the group
 * replicates from it with its link up. Sampled (the runner calls {@link sample}); a violation is
 * reported once if the bound passes without the condition holding.
 */
export class LivenessChecker {
  readonly name = "liveness";
  private holdingSince: number | null = null;
  private lastProblem = "not evaluated yet";
  private reported = false;
  /** Masters agreed on when liveness was last reached (group → `host:port`). */
  agreed: Record<string, string> = {};

  constructor(
    private readonly config: LivenessConfig,
    private readonly report: ViolationSink,
  ) {}

  /** Liveness has held for `stableMs`. */
  settled(now: number): boolean {
    return this.holdingSince !== null && now - this.holdingSince >= this.config.stableMs;
  }

  /** When liveness was first reached in the current stable stretch (null while it does not hold). */
  get reachedAt(): number | null {
    return this.holdingSince;
  }

  /** Why it does not hold (last sample). */
  get problem(): string {
    return this.lastProblem;
  }

  /** The deadline passed. */
  expired(now: number): boolean {
    return now > this.config.healedAt + this.config.boundMs;
  }

  /** Evaluate the condition now; report once if the bound has passed without it. */
  sample(probe: ClusterProbe): void {
    const now = probe.now;
    if (now < this.config.healedAt) return;
    const problem = this.evaluate(probe);
    if (problem === null) {
      this.holdingSince ??= now;
    } else {
      this.holdingSince = null;
      this.lastProblem = problem;
    }
    if (!this.reported && this.holdingSince === null && this.expired(now)) {
      this.reported = true;
      this.report({ checker: this.name, time: now, message: `no agreement ${this.config.boundMs} ms after faults healed: ${this.lastProblem}` });
    }
  }

  /** Null when the condition holds, else the first problem found. */
  evaluate(probe: ClusterProbe): string | null {
    const sentinels = probe.liveSentinels();
    if (sentinels.length === 0) return "no sentinel is running";
    const agreed: Record<string, string> = {};
    for (const group of probe.groupNames()) {
      let master: string | null = null;
      for (const { ref, engine } of sentinels) {
        const a = engine.getMasterAddrByName(group);
        const key = a ? `${a.host.includes(":") ? `[${a.host}]` : a.host}:${a.port}` : "none";
        if (master === null) master = key;
        else if (key !== master) return `${group}: sentinels disagree (${ref.name} reports ${key}, others ${master})`;
      }
      const nodes = probe.dataNodes(group);
      const m = nodes.find((n) => n.key === master);
      if (m === undefined) return `${group}: reported master ${master} is not a data node of the group`;
      if (!m.alive || m.paused) return `${group}: reported master ${master} is down`;
      if (m.role !== "master") return `${group}: reported master ${master} has role ${m.role}`;
      for (const n of nodes) {
        if (n === m || !n.alive) continue;
        if (n.role !== "slave" || n.masterKey !== master) return `${group}: ${n.key} is ${n.role === "master" ? "a master too" : `a replica of ${n.masterKey}`}`;
        if (!n.linkUp) return `${group}: ${n.key} has its link to ${master} down`;
      }
      agreed[group] = master as string;
    }
    this.agreed = agreed;
    return null;
  }
}

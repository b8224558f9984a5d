import type { Violation } from "../checkers/violation.js";
import type { SeedResult } from "./run-seed.js";

/** What a batch of seeds amounts to. */
export interface SimSummary {
  readonly seeds: number;
  readonly violations: number;
  readonly failovers: number;
  /** Elections that elected nobody (`-failover-abort-not-elected`, one per losing candidate). */
  readonly notElected: number;
  readonly p50FailoverMs: number;
  readonly p99FailoverMs: number;
  readonly lostWrites: number;
  readonly acknowledgedWrites: number;
  readonly lostByFault: Readonly<Record<string, number>>;
  /** Seeds that broke an invariant, with their first violation. */
  readonly failing: readonly { readonly seed: number; readonly violation: Violation }[];
  readonly simulatedMs: number;
  readonly events: number;
  /** Seeds where liveness was reached, and the worst time it took after healing (ms). */
  readonly converged: number;
  readonly maxConvergenceMs: number;
}

/** The compact per-seed record that crosses worker threads (no trace, no scenario). */
export interface SeedDigest {
  readonly seed: number;
  readonly violations: readonly Violation[];
  readonly failoverMs: readonly number[];
  readonly notElected: number;
  readonly acknowledged: number;
  readonly lost: number;
  readonly lostByFault: Readonly<Record<string, number>>;
  readonly convergenceMs: number | null;
  readonly simulatedMs: number;
  readonly events: number;
}

/** Reduce a full result to its digest. */
export function digest(r: SeedResult): SeedDigest {
  return {
    seed: r.seed,
    violations: r.violations,
    failoverMs: r.failoverMs,
    notElected: r.notElected,
    acknowledged: r.writes.acknowledged,
    lost: r.writes.lost,
    lostByFault: r.writes.byFault,
    convergenceMs: r.convergenceMs,
    simulatedMs: r.simulatedMs,
    events: r.events,
  };
}

/** Nearest-rank percentile of `values` (0 for none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Aggregate digests (in any order; the result is ordered by seed). */
export function summarize(digests: readonly SeedDigest[]): SimSummary {
  const ordered = [...digests].sort((a, b) => a.seed - b.seed);
  const durations: number[] = [];
  const lostByFault: Record<string, number> = {};
  const failing: { seed: number; violation: Violation }[] = [];
  let violations = 0;
  let notElected = 0;
  let lost = 0;
  let acked = 0;
  let simulatedMs = 0;
  let events = 0;
  let converged = 0;
  let maxConvergenceMs = 0;
  for (const d of ordered) {
    durations.push(...d.failoverMs);
    notElected += d.notElected;
    violations += d.violations.length;
    if (d.violations.length > 0) failing.push({ seed: d.seed, violation: d.violations[0]! });
    lost += d.lost;
    acked += d.acknowledged;
    for (const [k, n] of Object.entries(d.lostByFault)) lostByFault[k] = (lostByFault[k] ?? 0) + n;
    simulatedMs += d.simulatedMs;
    events += d.events;
    if (d.convergenceMs !== null) {
      converged++;
      maxConvergenceMs = Math.max(maxConvergenceMs, d.convergenceMs);
    }
  }
  return {
    seeds: ordered.length,
    violations,
    failovers: durations.length,
    notElected,
    p50FailoverMs: percentile(durations, 50),
    p99FailoverMs: percentile(durations, 99),
    lostWrites: lost,
    acknowledgedWrites: acked,
    lostByFault,
    failing,
    simulatedMs,
    events,
    converged,
    maxConvergenceMs,
  };
}

/** The one-line summary the CLI ends with. */
export function summaryLine(s: SimSummary): string {
  return `seeds=${s.seeds} violations=${s.violations} failovers=${s.failovers} p50_failover_ms=${s.p50FailoverMs} p99_failover_ms=${s.p99FailoverMs} lost_writes=${s.lostWrites} not_elected=${s.notElected}`;
}

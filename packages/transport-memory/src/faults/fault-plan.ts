import type { Prng } from "@vigil/core";
import { between, weightedIndex } from "../util/seeded.js";
import { DEFAULT_FAULT_WEIGHTS, FAULT_DURATIONS, FAULT_KINDS, type FaultKind } from "./fault-kinds.js";

/** One fault of a schedule, before it fires. */
export interface PlannedFault {
  readonly kind: FaultKind;
  /** Time since the start of the run (ms). */
  readonly at: number;
  /** How long until it heals (0 for one-shot faults). */
  readonly durationMs: number;
}

/** How dense and what kind of faults a schedule holds. */
export interface FaultPlanOptions {
  /** No fault before this (ms since start): lets the deployment settle. */
  readonly fromMs: number;
  /** No fault starts at or after this (the end of the safety phase). */
  readonly untilMs: number;
  /** Pause between fault starts, uniform in this range (ms). Default [500, 5000]. */
  readonly gapMs?: readonly [number, number];
  /** Relative weights; kinds absent fall back to {@link DEFAULT_FAULT_WEIGHTS}. */
  readonly weights?: Partial<Record<FaultKind, number>>;
}

/**
 * Draws a fault schedule: faults start one after another with random gaps, overlap freely, and
 * have random durations. Deterministic in `prng`. Targets are chosen when each fault fires.
 */
export function planFaults(prng: Prng, options: FaultPlanOptions): PlannedFault[] {
  const weights = FAULT_KINDS.map((k) => options.weights?.[k] ?? DEFAULT_FAULT_WEIGHTS[k]);
  if (weights.every((w) => w <= 0)) return [];
  const [gapLo, gapHi] = options.gapMs ?? [500, 5000];
  const plan: PlannedFault[] = [];
  for (let t = options.fromMs + between(prng, gapLo, gapHi); t < options.untilMs; t += between(prng, gapLo, gapHi)) {
    const kind = FAULT_KINDS[weightedIndex(prng, weights)]!;
    const range = FAULT_DURATIONS[kind];
    plan.push({ kind, at: t, durationMs: range ? between(prng, range[0], range[1]) : 0 });
  }
  return plan;
}

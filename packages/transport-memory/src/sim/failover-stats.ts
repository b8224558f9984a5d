import type { PromotionObservation, SentinelObservation, SimObserver } from "../cluster/observer.js";

/**
 * Failover count and durations. A failover is a replica that became master by a sentinel's
 * `SLAVEOF NO ONE`; its duration runs from the leader's `+sdown` of that master (the moment
 * `down-after-milliseconds` expired on it) — or from the `SENTINEL FAILOVER` call — to the node
 * applying the promotion, i.e. the first moment clients could write again.
 */
export class FailoverStats implements SimObserver {
  /** Durations (ms of virtual time), one per failover, in order. */
  readonly durations: number[] = [];
  /** `-failover-abort-not-elected`: a candidate's epoch elected nobody (a split or lost vote). */
  notElected = 0;
  private readonly since = new Map<string, number>();

  /** Remember when each sentinel saw each master go down (or was asked to fail over). */
  onSentinelOutput(o: SentinelObservation): void {
    for (const e of o.output.events) {
      if (e.master === undefined) continue;
      if (e.type === "-failover-abort-not-elected") this.notElected++;
      if (e.type === "+sdown" && e.payload.startsWith("master ")) this.since.set(`${o.sentinel.myId}|${e.master}`, o.time);
      if (e.type === "+try-failover" && o.origin === "failover-api") this.since.set(`${o.sentinel.myId}|${e.master}`, o.time);
    }
  }

  /** One failover: from the leader's `+sdown` to the node applying the promotion. */
  onPromotion(p: PromotionObservation): void {
    if (!p.changedRole || p.origin === undefined) return;
    const from = this.since.get(`${p.origin.sentinel}|${p.master}`);
    this.durations.push(from === undefined ? 0 : p.time - from);
  }

  /** Number of failovers. */
  get count(): number {
    return this.durations.length;
  }
}

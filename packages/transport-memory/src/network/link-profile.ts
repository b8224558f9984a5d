/**
 * Quality of one direction of a link between two hosts. The values act on *packets*; connections
 * built on top of them behave like TCP (see {@link Stream}), so loss, duplication and reordering reach
 * the application only as extra delay and head-of-line blocking, as they do for real Redis traffic.
 */
export interface LinkProfile {
  /** One-way base latency (ms). */
  readonly latencyMs: number;
  /** Extra uniform delay in [0, jitterMs] (ms). */
  readonly jitterMs: number;
  /** Probability that a packet is lost; TCP retransmits it after the retransmission timeout. */
  readonly loss: number;
  /** Probability that a packet arrives twice; the receiver discards the copy by sequence number. */
  readonly duplicate: number;
  /** Probability that a packet is held back by up to `reorderDelayMs`, so later packets overtake it. */
  readonly reorder: number;
  /** Largest extra delay of a reordered packet (ms). */
  readonly reorderDelayMs: number;
}

/** A healthy LAN: 1–2 ms one way, nothing lost. */
export const LAN_PROFILE: LinkProfile = Object.freeze({
  latencyMs: 1,
  jitterMs: 1,
  loss: 0,
  duplicate: 0,
  reorder: 0,
  reorderDelayMs: 0,
});

/** TCP's retransmission timeouts (ms): Linux starts at 200 ms and doubles up to 120 s. */
export const TCP_RTO = Object.freeze({ initialMs: 200, maxMs: 120_000 });

/** SYN retransmission: first retry after 1 s, doubling (Linux `tcp_syn_retries` behaviour). */
export const TCP_SYN_RTO_MS = 1000;

/** Retransmission timeout after `attempt` consecutive losses of one packet. */
export function rtoFor(attempt: number): number {
  return Math.min(TCP_RTO.initialMs * 2 ** attempt, TCP_RTO.maxMs);
}

/**
 * When a stream that stalled at `since` (every retransmission lost because the path was cut) will
 * retransmit next, at or after `now`: retries happen at since + rto(0), + rto(1), ... like a real
 * TCP sender backing off, so a long partition leaves connections silent for a while after it heals.
 */
export function nextRetransmission(since: number, now: number): number {
  let t = since;
  for (let k = 0; ; k++) {
    t += rtoFor(k);
    if (t >= now) return t;
  }
}

/** Sentinel's log levels (§16.2). DEBUG events are logged but never published. */
export type EventLevel = "debug" | "verbose" | "notice" | "warning";

/**
 * One Sentinel event: `type` is also the pub/sub channel, `payload` is exactly what Sentinel
 * publishes (§16). `master` names the master group the event belongs to (routes notification scripts).
 */
export interface SentinelEvent {
  readonly type: string;
  readonly level: EventLevel;
  readonly payload: string;
  readonly master?: string;
}

/** Numeric order of levels, for filtering against `loglevel`. */
export const LEVEL_ORDER: Readonly<Record<EventLevel, number>> = { debug: 0, verbose: 1, notice: 2, warning: 3 };

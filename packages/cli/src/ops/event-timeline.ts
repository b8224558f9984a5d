import type { SentinelEvent } from "@vigil/core";

/** A Sentinel event with the wall-clock time it was seen and a sequence number. */
export interface TimedEvent extends SentinelEvent {
  /** Increasing from 1, so a client can tell which events it already has. */
  readonly seq: number;
  /** Wall-clock ms. */
  readonly at: number;
}

/**
 * The last `capacity` events, oldest first: the topology page's timeline and the first thing a new
 * page load sees. Bounded so a flapping instance cannot grow the daemon's memory.
 */
export class EventTimeline {
  private readonly items: TimedEvent[] = [];
  private seq = 0;

  constructor(private readonly capacity = 500) {}

  /** Record one event; returns it stamped. */
  push(e: SentinelEvent, at: number): TimedEvent {
    const timed: TimedEvent = { ...e, seq: ++this.seq, at };
    this.items.push(timed);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
    return timed;
  }

  /** Events oldest first (a copy). */
  list(): TimedEvent[] {
    return [...this.items];
  }
}

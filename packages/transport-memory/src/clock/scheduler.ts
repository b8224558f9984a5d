/** Handle to cancel a scheduled callback. */
export interface TimerHandle {
  cancel(): void;
}

/** A scheduled callback. `seq` breaks ties so that equal times run in scheduling order. */
class Timer implements TimerHandle {
  cancelled = false;
  constructor(
    readonly time: number,
    readonly seq: number,
    readonly fn: () => void,
  ) {}
  /** Do not run it (it is dropped when it reaches the head of the queue). */
  cancel(): void {
    this.cancelled = true;
  }
}

/**
 * The virtual clock and its event queue. Nothing in the simulator reads a real clock: time moves
 * only when the next event is taken from the queue, so a run is as fast as the CPU allows and the
 * same seed replays the same order of events, byte for byte.
 *
 * The queue is a binary heap ordered by `(time, seq)`; `seq` is a global counter, which makes the
 * order of simultaneous events the order in which they were scheduled (deterministic, FIFO).
 */
export class Scheduler {
  private heap: Timer[] = [];
  private seq = 0;
  private current: number;
  private executed = 0;

  /** @param start the virtual time the clock starts at (ms). */
  constructor(start = 0) {
    this.current = start;
  }

  /** The current virtual time (ms). */
  get now(): number {
    return this.current;
  }

  /** How many callbacks have run (a cost measure for benchmarks). */
  get eventsRun(): number {
    return this.executed;
  }

  /** Callbacks still queued (cancelled ones included until they surface). */
  get pending(): number {
    return this.heap.length;
  }

  /** Run `fn` at absolute virtual time `time` (clamped to now: the past cannot be scheduled). */
  at(time: number, fn: () => void): TimerHandle {
    const t = new Timer(Math.max(time, this.current), this.seq++, fn);
    this.push(t);
    return t;
  }

  /** Run `fn` after `delay` ms of virtual time. */
  after(delay: number, fn: () => void): TimerHandle {
    return this.at(this.current + delay, fn);
  }

  /**
   * Run events in order until the queue is empty, the next event is after `until`, or `stop()`
   * returns true (checked after each event). The clock ends at `until` when it was reached.
   */
  runUntil(until: number, stop?: () => boolean): void {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      if (top.time > until) break;
      this.pop();
      if (top.cancelled) continue;
      this.current = top.time;
      this.executed++;
      top.fn();
      if (stop?.()) return;
    }
    if (until > this.current && until !== Number.POSITIVE_INFINITY) this.current = until;
  }

  private push(t: Timer): void {
    const heap = this.heap;
    heap.push(t);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p]!;
      if (before(parent, t)) break;
      heap[i] = parent;
      i = p;
    }
    heap[i] = t;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (before(last, heap[c]!)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

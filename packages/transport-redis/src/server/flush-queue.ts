/** A connection with replies waiting for the end of the event-loop turn. */
export interface QueuedWriter {
  /** Writes what is waiting (nothing if the connection closed meanwhile). */
  flushQueued(): void;
}

/**
 * Writes the replies of every connection served in one event-loop turn together, once the turn's
 * socket reads are all handled, as Redis does in `beforeSleep` (`handleClientsWithPendingWrites`).
 * Writing each connection's batch as soon as it is ready interleaves writes with reads, so a write
 * tends to find its client asleep and pays for waking it up; grouped, the writes of a turn go out
 * back to back while the clients are still busy reading the first ones.
 */
export class FlushQueue {
  private pending: QueuedWriter[] = [];
  private scheduled = false;

  /** Queues `w` for the end of this turn; the caller queues each connection at most once per turn. */
  add(w: QueuedWriter): void {
    this.pending.push(w);
    if (this.scheduled) return;
    this.scheduled = true;
    // The check phase follows the poll phase: every socket read of this turn has been handled.
    setImmediate(this.flushAll);
  }

  private readonly flushAll = (): void => {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    // One connection's failure must not leave the others of the turn unflushed (and still marked
    // queued, so never queued again): flush them all, then surface the first error.
    let failure: { error: unknown } | undefined;
    for (let i = 0; i < batch.length; i++) {
      try {
        batch[i]!.flushQueued();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  };
}

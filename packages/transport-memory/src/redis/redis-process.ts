/**
 * A simulated server's process as faults see it: alive or crashed, running or stopped (SIGSTOP), and
 * its incarnation, so that a callback from before a crash never acts on the restarted process. While
 * stopped, work queues up in arrival order, as requests and closes do in the kernel's socket buffers.
 */
export class RedisProcess {
  alive = true;
  paused = false;
  /** Bumped by every crash and restart. */
  incarnation = 0;
  private backlog: Array<() => void> = [];

  /** Run now, or after SIGCONT; never for a previous incarnation of the process. */
  whenRunning(fn: () => void): void {
    if (!this.alive) return;
    if (this.paused) {
      const inc = this.incarnation;
      this.backlog.push(() => inc === this.incarnation && fn());
      return;
    }
    fn();
  }

  /** The process dies; false when it was already dead. */
  kill(): boolean {
    if (!this.alive) return false;
    this.alive = false;
    this.paused = false;
    this.backlog = [];
    this.incarnation++;
    return true;
  }

  /** A new process starts. */
  start(): void {
    this.alive = true;
    this.incarnation++;
  }

  /** SIGSTOP; false when dead or already stopped. */
  stop(): boolean {
    if (!this.alive || this.paused) return false;
    this.paused = true;
    return true;
  }

  /** SIGCONT; false when not stopped. Call {@link drain} next to run what queued up. */
  cont(): boolean {
    if (!this.paused) return false;
    this.paused = false;
    return true;
  }

  /** Run what queued up while stopped, in arrival order, unless the process dies meanwhile. */
  drain(): void {
    const queued = this.backlog;
    this.backlog = [];
    for (const fn of queued) {
      if (!this.alive) return;
      fn();
    }
  }
}

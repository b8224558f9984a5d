import type { Prng } from "@vigil/core";
import type { Scheduler } from "../clock/scheduler.js";

/**
 * How a starved CPU treats one sentinel process: now and then the process gets no CPU for a while
 * (a stall), and everything that happens meanwhile waits for it.
 */
export interface StarvationProfile {
  /** Chance that a unit of work arriving while the process runs finds it descheduled instead. */
  readonly stallChance: number;
  /** Longest stall (ms); each one lasts a uniform 1..maxStallMs. */
  readonly maxStallMs: number;
}

type Work = () => void;

/**
 * A process on a CPU-starved host (the bench's `--cpu-hog`, a loaded VM): work is not done when it
 * arrives but when the process next gets the CPU. When a stall ends, expired timers run before the
 * I/O that arrived during it, as in Node's event loop (timers phase, then poll): after a stall a
 * campaign timer fires before the peer's vote request that was already waiting on the socket.
 */
export class CpuStarvation {
  private stalledUntil = 0;
  private readonly timers: Work[] = [];
  private readonly io: Work[] = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    private readonly profile: StarvationProfile,
  ) {}

  /** Run timer work now, or when the current (or a new) stall ends. */
  timer(work: Work): void {
    this.gate(this.timers, work);
  }

  /** Run I/O work (a reply, a peer's request) now, or after the timers when the stall ends. */
  input(work: Work): void {
    this.gate(this.io, work);
  }

  private gate(queue: Work[], work: Work): void {
    const now = this.scheduler.now;
    if (now >= this.stalledUntil && this.prng.next() >= this.profile.stallChance) {
      work();
      return;
    }
    if (now >= this.stalledUntil) {
      this.stalledUntil = now + 1 + this.prng.int(this.profile.maxStallMs);
      this.scheduler.after(this.stalledUntil - now, () => this.drain());
    }
    queue.push(work);
  }

  private drain(): void {
    const due = [...this.timers.splice(0), ...this.io.splice(0)];
    for (const work of due) work();
  }
}

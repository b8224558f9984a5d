import type { Address, Prng } from "@vigil/core";
import { addressKey } from "@vigil/core";
import type { Scheduler } from "../clock/scheduler.js";
import type { WriteObservation } from "../cluster/observer.js";
import type { SimClient } from "./sim-client.js";

/** Options of a {@link Writer}. */
export interface WriterOptions {
  /** Name in traces and write records. */
  readonly name: string;
  /** Master group to write to. */
  readonly master: string;
  /** Sentinels to ask, in preference order (the next one is tried after a failure). */
  readonly sentinels: readonly Address[];
  /** Key to append to. */
  readonly key: string;
  /** First write id; ids increase by one (globally unique when ranges do not overlap). */
  readonly firstId: number;
  /** Mean pause between writes (ms); the actual pause is uniform in [0.5, 1.5] × this. Default 100. */
  readonly intervalMs?: number;
  /** Re-resolve the master at least this often even without errors (ms). Default 1000. */
  readonly resolveEveryMs?: number;
}

/**
 * An application that writes through Sentinel the way client libraries do: resolve the master with
 * `SENTINEL GET-MASTER-ADDR-BY-NAME`, send writes to it, and resolve again on any error, timeout or
 * disconnection (and periodically). Every outcome is reported, so acknowledged writes can be checked
 * against the final dataset.
 */
export class Writer {
  private master: Address | null = null;
  private resolvedAt = 0;
  private sentinelIndex = 0;
  private nextId: number;
  private busy = false;
  private running = false;
  private generation = 0;
  private readonly intervalMs: number;
  private readonly resolveEveryMs: number;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly client: SimClient,
    private readonly prng: Prng,
    private readonly options: WriterOptions,
    private readonly report: (w: WriteObservation) => void,
  ) {
    this.nextId = options.firstId;
    this.intervalMs = options.intervalMs ?? 100;
    this.resolveEveryMs = options.resolveEveryMs ?? 1000;
  }

  /** Writes acknowledged or attempted so far. */
  get issued(): number {
    return this.nextId - this.options.firstId;
  }

  /** Start writing after `delayMs`. */
  start(delayMs = 0): void {
    if (this.running) return;
    this.running = true;
    const gen = ++this.generation;
    this.scheduler.after(delayMs, () => this.loop(gen));
  }

  /** Stop issuing new writes (one in flight still reports). */
  stop(): void {
    this.running = false;
    this.generation++;
  }

  private loop(gen: number): void {
    if (gen !== this.generation || !this.running) return;
    const pause = Math.max(1, Math.round(this.intervalMs * (0.5 + this.prng.next())));
    this.scheduler.after(pause, () => this.loop(gen));
    if (this.busy) return;
    this.busy = true;
    if (this.master === null || this.scheduler.now - this.resolvedAt > this.resolveEveryMs) this.resolve();
    else this.write(this.master);
  }

  private resolve(): void {
    const sentinel = this.options.sentinels[this.sentinelIndex % this.options.sentinels.length]!;
    this.client.getMasterAddrByName(sentinel, this.options.master, (addr) => {
      if (addr === null) {
        this.sentinelIndex++;
        this.master = null;
        this.busy = false;
        return;
      }
      this.master = addr;
      this.resolvedAt = this.scheduler.now;
      this.write(addr);
    });
  }

  private write(addr: Address): void {
    const id = this.nextId++;
    const { key } = this.options;
    this.client.write(addr, key, id, (outcome) => {
      this.busy = false;
      if (outcome !== "ok") this.master = null;
      this.report({ time: this.scheduler.now, writer: this.options.name, master: this.options.master, node: addressKey(addr), key, id, outcome });
    });
  }
}

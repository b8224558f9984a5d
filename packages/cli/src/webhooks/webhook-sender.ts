import { randomUUID } from "node:crypto";
import type { SentinelEvent } from "@vigil/core";
import { SIGNATURE_HEADER, signBody } from "./webhook-signature.js";

/** The JSON body of one webhook POST. */
export interface WebhookPayload {
  /** Unique per event; retries of one event repeat it, so receivers can de-duplicate. */
  readonly id: string;
  /** The Sentinel event type (`+switch-master`, `+sdown`, ...), also the pub/sub channel. */
  readonly type: string;
  readonly level: SentinelEvent["level"];
  /** Exactly what Sentinel publishes for the event. */
  readonly payload: string;
  readonly master: string | null;
  /** This Sentinel's myid. */
  readonly sentinel: string;
  /** ISO-8601 time the event happened. */
  readonly time: string;
}

/** Delivery outcomes reported to metrics. */
export interface WebhookObserver {
  delivered(): void;
  failed(): void;
  retried(): void;
  dropped(): void;
  queueLength(n: number): void;
}

/** Options of {@link WebhookSender}. */
export interface WebhookSenderOptions {
  readonly url: string;
  /** `vigil-webhook-secret`: when set, every POST carries `X-Vigil-Signature: sha256=<hmac>`. */
  readonly secret?: string;
  readonly sentinelId: string;
  /** Events waiting beyond this are dropped, oldest first. Default 1000. */
  readonly maxQueue?: number;
  /** Attempts per event, the first included. Default 8. */
  readonly maxAttempts?: number;
  /** First retry delay; doubles each time, with jitter. Default 500 ms. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Per-request timeout. Default 5000 ms. */
  readonly timeoutMs?: number;
  readonly observer?: WebhookObserver;
  /** Injectable for tests. */
  readonly fetch?: typeof fetch;
  readonly random?: () => number;
  /** Failures worth a log line (the last error of a dropped event, ...). */
  readonly onError?: (message: string) => void;
}

interface Job {
  readonly body: string;
  readonly id: string;
  readonly type: string;
  attempts: number;
}

/**
 * Posts Sentinel events as JSON to one URL, in order, one request at a time. A failed POST (network
 * error, timeout or non-2xx) is retried with exponential backoff and jitter; the queue is bounded
 * and drops its oldest event when full, so a dead receiver costs bounded memory and never slows
 * the engine (enqueueing is synchronous and O(1)).
 */
export class WebhookSender {
  private readonly queue: Job[] = [];
  private busy = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly inflight = new AbortController();

  constructor(private readonly o: WebhookSenderOptions) {}

  /** Queue one event for delivery. */
  enqueue(e: SentinelEvent, at = Date.now()): void {
    if (this.stopped) return;
    const id = randomUUID();
    const payload: WebhookPayload = { id, type: e.type, level: e.level, payload: e.payload, master: e.master ?? null, sentinel: this.o.sentinelId, time: new Date(at).toISOString() };
    this.queue.push({ body: JSON.stringify(payload), id, type: e.type, attempts: 0 });
    const max = this.o.maxQueue ?? 1000;
    while (this.queue.length > max) {
      // Drop the oldest *waiting* event: the head may be the one in flight.
      this.queue.splice(this.busy && this.queue.length > 1 ? 1 : 0, 1);
      this.o.observer?.dropped();
    }
    this.o.observer?.queueLength(this.queue.length);
    this.pump();
  }

  /** Events waiting (the one in flight included). */
  pending(): number {
    return this.queue.length;
  }

  /** Stop sending; pending events are discarded. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.inflight.abort();
    this.queue.length = 0;
  }

  private pump(): void {
    if (this.busy || this.stopped || this.timer !== undefined) return;
    const job = this.queue[0];
    if (!job) return;
    this.busy = true;
    void this.attempt(job).then((ok) => {
      this.busy = false;
      if (this.stopped) return;
      if (ok) {
        this.remove(job);
        this.o.observer?.delivered();
        return this.pump();
      }
      if (job.attempts >= (this.o.maxAttempts ?? 8)) {
        this.remove(job);
        this.o.observer?.failed();
        this.o.onError?.(`webhook: giving up on ${job.type} (${job.id}) after ${job.attempts} attempts`);
        return this.pump();
      }
      this.o.observer?.retried();
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, this.backoff(job.attempts));
      this.timer.unref();
    });
  }

  /** base × 2^(n-1), capped, with ±25 % jitter so many Sentinels do not retry in lockstep. */
  private backoff(attempts: number): number {
    const base = this.o.baseDelayMs ?? 500;
    const capped = Math.min(this.o.maxDelayMs ?? 30000, base * 2 ** (attempts - 1));
    return Math.round(capped * (0.75 + 0.5 * (this.o.random ?? Math.random)()));
  }

  private remove(job: Job): void {
    const i = this.queue.indexOf(job);
    if (i >= 0) this.queue.splice(i, 1);
    this.o.observer?.queueLength(this.queue.length);
  }

  private async attempt(job: Job): Promise<boolean> {
    job.attempts++;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "vigil-webhook/0.1",
      "x-vigil-event": job.type,
      "x-vigil-delivery": job.id,
    };
    if (this.o.secret) headers[SIGNATURE_HEADER] = signBody(this.o.secret, job.body);
    const doFetch = this.o.fetch ?? fetch;
    // An explicit timer, not AbortSignal.timeout(): on Node 20 a timeout signal that only
    // AbortSignal.any() refers to can be garbage-collected before it fires, and a hanging receiver
    // then stalls the queue for good.
    const ms = this.o.timeoutMs ?? 5000;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`timeout after ${ms} ms`)), ms);
    try {
      const signal = AbortSignal.any([this.inflight.signal, deadline.signal]);
      const res = await doFetch(this.o.url, { method: "POST", headers, body: job.body, signal });
      // Drain the body so the connection can be reused.
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return true;
      this.o.onError?.(`webhook: ${job.type} answered HTTP ${res.status} (attempt ${job.attempts})`);
      return false;
    } catch (e) {
      this.o.onError?.(`webhook: ${job.type} failed: ${e instanceof Error ? e.message : String(e)} (attempt ${job.attempts})`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}

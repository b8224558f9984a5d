import type { SentinelEventOf, SentinelEventType, TypedSentinelEvent } from "@vigil/core";
import type { VigilError } from "./errors.js";

/** A listener of events of type `K` (`"*"`: every event). */
export type EventListener<K extends SentinelEventType | "*"> = (event: K extends SentinelEventType ? SentinelEventOf<K> : TypedSentinelEvent) => void;

/** Options of {@link EventChannel.events}. */
export interface EventsOptions {
  /** Ends the iteration when aborted. */
  readonly signal?: AbortSignal;
  /** Only these event types (default: all). */
  readonly types?: readonly SentinelEventType[];
}

type AnyListener = (event: TypedSentinelEvent) => void;

/**
 * One channel for every event: listeners (`on`, `off`, `once`) and async iteration (`events()`).
 * Listeners run synchronously inside the engine step that produced the event: start asynchronous work
 * and return. An iterator buffers what arrives between two `next()` calls.
 */
export class EventChannel {
  private readonly listeners = new Map<string, Set<AnyListener>>();
  private readonly errorListeners = new Set<(error: VigilError) => void>();
  private readonly ends = new Set<() => void>();
  private ended = false;

  on<K extends SentinelEventType | "*">(type: K, listener: EventListener<K>): this;
  on(type: "error", listener: (error: VigilError) => void): this;
  on(type: string, listener: (x: never) => void): this {
    if (type === "error") this.errorListeners.add(listener as (error: VigilError) => void);
    else {
      const set = this.listeners.get(type) ?? new Set();
      set.add(listener as AnyListener);
      this.listeners.set(type, set);
    }
    return this;
  }

  off<K extends SentinelEventType | "*">(type: K, listener: EventListener<K>): this;
  off(type: "error", listener: (error: VigilError) => void): this;
  off(type: string, listener: (x: never) => void): this {
    if (type === "error") this.errorListeners.delete(listener as (error: VigilError) => void);
    else this.listeners.get(type)?.delete(listener as AnyListener);
    return this;
  }

  /** The next event of `type`, once: to `listener`, or as a promise when no listener is given. */
  once<K extends SentinelEventType | "*">(type: K, listener: EventListener<K>): this;
  once<K extends SentinelEventType | "*">(type: K): Promise<Parameters<EventListener<K>>[0]>;
  once<K extends SentinelEventType | "*">(type: K, listener?: EventListener<K>): this | Promise<Parameters<EventListener<K>>[0]> {
    if (listener === undefined) return new Promise((resolve) => this.once(type, resolve as EventListener<K>));
    const wrapped = ((e: Parameters<EventListener<K>>[0]) => {
      this.off(type, wrapped);
      listener(e);
    }) as EventListener<K>;
    return this.on(type, wrapped);
  }

  /** Every event (or those of `types`) from now on, until `signal` aborts or the sentinel closes. */
  events(options: EventsOptions = {}): AsyncIterableIterator<TypedSentinelEvent> {
    const queue: TypedSentinelEvent[] = [];
    let wake: (() => void) | undefined;
    let done = this.ended || options.signal?.aborted === true;
    const wanted = options.types ? new Set<string>(options.types) : undefined;
    const listener: AnyListener = (e) => {
      if (wanted && !wanted.has(e.type)) return;
      queue.push(e);
      wake?.();
    };
    const finish = () => {
      done = true;
      this.off("*", listener);
      this.ends.delete(finish);
      options.signal?.removeEventListener("abort", finish);
      wake?.();
    };
    if (!done) {
      this.on("*", listener);
      this.ends.add(finish);
      options.signal?.addEventListener("abort", finish, { once: true });
    }
    const iterator: AsyncIterableIterator<TypedSentinelEvent> = {
      next: async () => {
        while (queue.length === 0 && !done) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        const value = queue.shift();
        return value === undefined ? { done: true, value: undefined } : { done: false, value };
      },
      return: async () => {
        finish();
        queue.length = 0;
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Deliver one event to its listeners and iterators. @internal (the sentinel emits, you listen) */
  emit(event: TypedSentinelEvent): void {
    for (const l of [...(this.listeners.get(event.type) ?? [])]) l(event);
    for (const l of [...(this.listeners.get("*") ?? [])]) l(event);
  }

  /** Report an error to `error` listeners; with none, as a process warning (never silently). @internal */
  error(error: VigilError): void {
    if (this.errorListeners.size === 0) process.emitWarning(error);
    for (const l of [...this.errorListeners]) l(error);
  }

  /** The sentinel closed: every iterator ends. @internal */
  end(): void {
    this.ended = true;
    for (const finish of [...this.ends]) finish();
  }
}

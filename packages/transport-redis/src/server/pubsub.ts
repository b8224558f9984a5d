import { bulk, push, type Reply } from "../resp/reply.js";
import { binaryToBytes } from "./byte-string.js";
import { globMatch } from "./glob.js";

/** A connection as Pub/Sub sees it. Channel and pattern names are byte strings. */
export interface Subscriber {
  readonly channels: Set<string>;
  readonly patterns: Set<string>;
  /** Queues an out-of-band message (never suppressed by CLIENT REPLY OFF). */
  deliver(message: Reply): void;
}

/**
 * Who listens to what. Keeps both directions (subscriber → names, name → subscribers) so that
 * PUBLISH costs O(subscribers + patterns) and a disconnect costs O(own subscriptions).
 */
export class PubSubRegistry {
  private readonly channelSubs = new Map<string, Set<Subscriber>>();
  private readonly patternSubs = new Map<string, Set<Subscriber>>();

  /** Number of channels with at least one subscriber (`pubsub_channels`). */
  get channelCount(): number {
    return this.channelSubs.size;
  }

  /** Number of distinct patterns (`pubsub_patterns`). */
  get patternCount(): number {
    return this.patternSubs.size;
  }

  /** Returns false if `s` was already subscribed. */
  subscribe(s: Subscriber, channel: string): boolean {
    return add(this.channelSubs, s.channels, s, channel);
  }

  unsubscribe(s: Subscriber, channel: string): boolean {
    return remove(this.channelSubs, s.channels, s, channel);
  }

  psubscribe(s: Subscriber, pattern: string): boolean {
    return add(this.patternSubs, s.patterns, s, pattern);
  }

  punsubscribe(s: Subscriber, pattern: string): boolean {
    return remove(this.patternSubs, s.patterns, s, pattern);
  }

  /** Drops every subscription of a closing connection. */
  removeAll(s: Subscriber): void {
    for (const c of [...s.channels]) this.unsubscribe(s, c);
    for (const p of [...s.patterns]) this.punsubscribe(s, p);
  }

  /**
   * Sends `message` to subscribers of `channel` (`message`) and of matching patterns
   * (`pmessage`), in that order, like Redis. Returns the number of deliveries.
   */
  publish(channel: string, message: Buffer): number {
    let receivers = 0;
    const channelBytes = binaryToBytes(channel);
    const subs = this.channelSubs.get(channel);
    if (subs) {
      const msg = push([bulk("message"), bulk(channelBytes), bulk(message)]);
      for (const s of subs) {
        s.deliver(msg);
        receivers++;
      }
    }
    for (const [pattern, psubs] of this.patternSubs) {
      if (!globMatch(pattern, channel)) continue;
      const msg = push([bulk("pmessage"), bulk(binaryToBytes(pattern)), bulk(channelBytes), bulk(message)]);
      for (const s of psubs) {
        s.deliver(msg);
        receivers++;
      }
    }
    return receivers;
  }
}

function add(index: Map<string, Set<Subscriber>>, own: Set<string>, s: Subscriber, name: string): boolean {
  if (own.has(name)) return false;
  own.add(name);
  let subs = index.get(name);
  if (!subs) index.set(name, (subs = new Set()));
  subs.add(s);
  return true;
}

function remove(index: Map<string, Set<Subscriber>>, own: Set<string>, s: Subscriber, name: string): boolean {
  if (!own.delete(name)) return false;
  const subs = index.get(name);
  subs?.delete(s);
  if (subs?.size === 0) index.delete(name);
  return true;
}

import type { EventLevel, SentinelEvent } from "../engine/events.js";
import type { SentinelEventType } from "./event-types.js";
import { SENTINEL_EVENT_TYPES } from "./event-types.js";

/** A host and port as events carry them. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** The instance an event is about: Sentinel's `<kind> <name> <ip> <port>`. */
export interface EventInstance extends HostPort {
  readonly role: "master" | "slave" | "sentinel";
  /** `ip:port` for replicas and sentinels, the master's name for masters. */
  readonly name: string;
}

interface Common {
  readonly level: EventLevel;
  /** Sentinel's text, exactly as published on the channel. */
  readonly payload: string;
}

/** Fields of each event, by name. */
export interface SentinelEventFields {
  "+switch-master": { readonly master: string; readonly from: HostPort; readonly to: HostPort };
  /** A switchover completed (same payload as its `+switch-master`). */
  "+switchover-end": { readonly master: string; readonly from: HostPort; readonly to: HostPort };
  "+new-epoch": { readonly epoch: number };
  "+vote-for-leader": { readonly master: string; readonly leader: string; readonly epoch: number };
  "+tilt": Record<never, never>;
  "-tilt": Record<never, never>;
  "-hello-rejected": { readonly reason: string };
  "-info-rejected": { readonly reason: string };
}

/** An instance event: the instance, its master, and what Sentinel adds after the address. */
export interface InstanceEventFields {
  /** The master group. */
  readonly master: string;
  readonly instance: EventInstance;
  /** The master's address as the event states it (the instance's own for a master). */
  readonly masterAddr: HostPort;
  /** Text after the address (`#quorum 2/2`, `quorum 2`, `new reported role is slave`), or "". */
  readonly detail: string;
}

type FieldsOf<K extends SentinelEventType> = K extends keyof SentinelEventFields ? SentinelEventFields[K] : InstanceEventFields;

/**
 * One event, typed: a discriminated union on `type`. `+switch-master` carries `{ master, from, to }`,
 * `+sdown` the instance, and so on; `payload` keeps Sentinel's text for logs and pub/sub.
 */
export type TypedSentinelEvent = { [K in SentinelEventType]: { readonly type: K } & Common & FieldsOf<K> }[SentinelEventType];

/** The event of type `K`. */
export type SentinelEventOf<K extends SentinelEventType> = Extract<TypedSentinelEvent, { type: K }>;

const KNOWN = new Set<string>(SENTINEL_EVENT_TYPES);

/** Is `type` a name the engine publishes? */
export function isSentinelEventType(type: string): type is SentinelEventType {
  return KNOWN.has(type);
}

/** The typed form of an engine event (undefined for a name outside {@link SENTINEL_EVENT_TYPES}). */
export function typedEvent(e: SentinelEvent): TypedSentinelEvent | undefined {
  if (!isSentinelEventType(e.type)) return undefined;
  const base = { level: e.level, payload: e.payload };
  const words = e.payload.split(" ");
  switch (e.type) {
    case "+switch-master":
    case "+switchover-end":
      return { type: e.type, ...base, master: words[0]!, from: hostPort(words[1], words[2]), to: hostPort(words[3], words[4]) };
    case "+new-epoch":
      return { type: e.type, ...base, epoch: Number(words[0]) };
    case "+vote-for-leader":
      return { type: e.type, ...base, master: e.master ?? "", leader: words[0]!, epoch: Number(words[1]) };
    case "+tilt":
    case "-tilt":
      return { type: e.type, ...base };
    case "-hello-rejected":
    case "-info-rejected":
      return { type: e.type, ...base, reason: e.payload.slice(e.payload.indexOf("#") + 1) };
    default:
      // One object for every instance event (TypeScript does not distribute the union of their names).
      return { type: e.type, ...base, ...instanceFields(words, e.master) } as TypedSentinelEvent;
  }
}

function instanceFields(words: string[], master: string | undefined): InstanceEventFields {
  const instance: EventInstance = { role: words[0] as EventInstance["role"], name: words[1]!, ...hostPort(words[2], words[3]) };
  if (words[4] === "@") {
    return { master: words[5]!, instance, masterAddr: hostPort(words[6], words[7]), detail: words.slice(8).join(" ") };
  }
  return { master: master ?? instance.name, instance, masterAddr: { host: instance.host, port: instance.port }, detail: words.slice(4).join(" ") };
}

function hostPort(host: string | undefined, port: string | undefined): HostPort {
  return { host: host ?? "", port: Number(port) };
}

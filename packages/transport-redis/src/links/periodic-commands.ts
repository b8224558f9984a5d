import type { Address, EngineInput } from "@vigil/core";
import type { ReplyCallback } from "./resp-link.js";

/**
 * What a cmd link sends most — PING, INFO, the hello PUBLISH — with their reply handlers, built once
 * per link: at a few hundred masters these run thousands of times a second, and a closure per
 * command was the link pool's largest allocation.
 */
export interface PeriodicCommands {
  readonly ping: readonly string[];
  readonly info: readonly string[];
  /** `PUBLISH`, renamed. */
  readonly publish: string;
  readonly onPing: ReplyCallback;
  readonly onInfo: ReplyCallback;
  readonly onPublish: ReplyCallback;
  /** The last hello published on the link, and its encoded PUBLISH: the same payload, period after period. */
  helloPayload: string;
  helloEncoded: string;
}

/**
 * The {@link PeriodicCommands} of the cmd link to `addr`. An error is reported only while `live()`
 * (the link is still the one to `addr`): a failure of a replaced link is no news to the engine.
 */
export function periodicCommandsOf(addr: Address, rename: (cmd: string) => string, live: () => boolean, deliver: (input: EngineInput) => void, now: () => number): PeriodicCommands {
  return {
    ping: [rename("PING")],
    info: [rename("INFO")],
    publish: rename("PUBLISH"),
    onPing: (reply, err) => {
      if (err === undefined || live()) deliver({ kind: "ping-reply", now: now(), addr, reply: err ?? String(reply) });
    },
    onInfo: (reply, err) => {
      if (err === undefined || live()) deliver({ kind: "info-reply", now: now(), addr, text: err === undefined ? String(reply) : null });
    },
    onPublish: (_reply, err) => {
      if (err === undefined || live()) deliver({ kind: "publish-reply", now: now(), addr, ok: err === undefined });
    },
    helloPayload: "",
    helloEncoded: "",
  };
}

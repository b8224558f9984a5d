import type { FailoverRequestResult } from "@vigil/core";
/** Base class of every error `createSentinel` and its `Sentinel` throw or reject with. */
export class VigilError extends Error {
  override readonly name: string = "VigilError";
}

/** The state store failed to write: the engine's durable state is not on disk (`cause` says why). */
export class PersistError extends VigilError {
  override readonly name = "PersistError";
}

/** No master of that name is monitored. */
export class NoSuchMasterError extends VigilError {
  override readonly name = "NoSuchMasterError";
  constructor(readonly master: string) {
    super(`No such master with that name: ${master}`);
  }
}

/** `failover(name)` was refused: one is in progress (`inprog`) or no replica can be promoted (`nogoodslave`). */
const REFUSALS: Readonly<Record<Exclude<FailoverRequestResult, "ok" | "no-such-master">, (master: string) => string>> = {
  inprog: (m) => `A failover of ${m} is already in progress`,
  nogoodslave: (m) => `No suitable replica to promote for ${m}`,
  "no-such-replica": (m) => `The requested replica is not a replica of ${m}`,
  "master-down": (m) => `${m} is not reachable or not a master: a switchover needs a live master`,
  "not-supported": (m) => `${m} does not support the FAILOVER command (Redis 6.2+ or Valkey is needed for a switchover)`,
};

/** A failover or switchover that could not start: the reason names why. */
export class FailoverRefusedError extends VigilError {
  override readonly name = "FailoverRefusedError";
  constructor(
    readonly master: string,
    readonly reason: Exclude<FailoverRequestResult, "ok" | "no-such-master">,
  ) {
    super(REFUSALS[reason](master));
  }
}

/** The call needs a started sentinel (or one not yet closed). */
export class SentinelStateError extends VigilError {
  override readonly name = "SentinelStateError";
}

/** The options given to `createSentinel` are invalid (`cause` holds the validation error). */
export class SentinelOptionsError extends VigilError {
  override readonly name = "SentinelOptionsError";
}

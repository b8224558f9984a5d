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
export class FailoverRefusedError extends VigilError {
  override readonly name = "FailoverRefusedError";
  constructor(
    readonly master: string,
    readonly reason: "inprog" | "nogoodslave",
  ) {
    super(reason === "inprog" ? `A failover of ${master} is already in progress` : `No suitable replica to promote for ${master}`);
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

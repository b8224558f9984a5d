/** A broken invariant, with the virtual time it was detected at. */
export interface Violation {
  /** Which checker found it (`single-leader`, `liveness`, ...). */
  readonly checker: string;
  /** Virtual time (ms). */
  readonly time: number;
  readonly message: string;
}

/** Where checkers report; the runner stops a seed at the first safety violation. */
export type ViolationSink = (v: Violation) => void;

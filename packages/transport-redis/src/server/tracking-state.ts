/** CLIENT TRACKING state. Sentinel has no keys, so nothing is ever invalidated; the state is kept for the replies. */
export interface TrackingState {
  readonly on: boolean;
  readonly redirect: number;
  readonly bcast: boolean;
  readonly optin: boolean;
  readonly optout: boolean;
  readonly noloop: boolean;
  readonly prefixes: readonly string[];
}

/** Tracking off: a new connection's state, and CLIENT TRACKING OFF's. */
export const TRACKING_OFF: TrackingState = { on: false, redirect: 0, bcast: false, optin: false, optout: false, noloop: false, prefixes: [] };

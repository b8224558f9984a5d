import type { Connection } from "../network/connection.js";
import type { WireMessage } from "./protocol.js";

/** How a connection to a simulated server is being used. */
export type ClientKind = "normal" | "pubsub" | "replica";

/** Per-connection state on the server side. */
export interface ClientSide {
  readonly conn: Connection<WireMessage>;
  kind: ClientKind;
  authed: boolean;
  /** Set when the connection is a replica's replication link. */
  replica?: { readonly host: string; port: number; ackOffset: number; lastAck: number };
}

import type { Address, MinReplicasConfig } from "@vigil/core";
import type { Keyspace } from "./keyspace.js";

/**
 * Who issued a reconfiguration, carried next to the command for the checkers only (a real Redis
 * never sees it): the sentinel's run id and the failover epoch it was acting in.
 */
export interface ReconfigureOrigin {
  readonly sentinel: string;
  readonly epoch: number;
}

/**
 * Requests a client sends on a connection. The simulator exchanges typed messages instead of RESP
 * bytes: the engine never sees RESP, and the reply texts it does see (PING, INFO) are the real ones.
 */
export type Request =
  | { readonly t: "auth"; readonly user?: string; readonly pass: string }
  | { readonly t: "ping" }
  | { readonly t: "info" }
  | { readonly t: "publish"; readonly channel: string; readonly payload: string }
  | { readonly t: "subscribe"; readonly channel: string }
  /** Sentinel's MULTI / SLAVEOF / CONFIG REWRITE / CLIENT KILL normal / CLIENT KILL pubsub / EXEC. */
  | {
      readonly t: "reconfigure";
      readonly target: Address | null;
      readonly origin?: ReconfigureOrigin;
      /** The operator's `min-replicas-*` values set inside the transaction (a stale-master fence lifted). */
      readonly minReplicas?: MinReplicasConfig;
    }
  /** `CONFIG GET min-replicas-*`. */
  | { readonly t: "config-get-min-replicas" }
  /** `CONFIG SET min-replicas-to-write <toWrite> min-replicas-max-lag <maxLag>`. */
  | { readonly t: "config-set-min-replicas"; readonly config: MinReplicasConfig }
  /** `CONFIG REWRITE` (the simulated config file always holds the running values). */
  | { readonly t: "config-rewrite" }
  | { readonly t: "script-kill" }
  /** `RPUSH key id` from an application client. */
  | { readonly t: "write"; readonly key: string; readonly id: number }
  /** A replica asks to synchronise (always answered with a full resync here). */
  | { readonly t: "psync"; readonly listeningPort: number; readonly failover?: { readonly origin?: ReconfigureOrigin } }
  /** `FAILOVER TO <target> TIMEOUT <ms>` (a coordinated switchover); `origin` is for the checkers only. */
  | { readonly t: "failover-to"; readonly target: Address; readonly timeoutMs: number; readonly origin?: ReconfigureOrigin }
  /** `FAILOVER ABORT`. */
  | { readonly t: "failover-abort" }
  /** `REPLCONF ACK <offset>`, once a second from a replica. */
  | { readonly t: "replconf-ack"; readonly offset: number }
  /** Sentinel API, peer to peer. */
  | { readonly t: "is-master-down-by-addr"; readonly master: string; readonly args: readonly [string, string, string, string] }
  /** Sentinel API, for application clients. */
  | { readonly t: "get-master-addr-by-name"; readonly name: string };

/** Replies and pushes a server sends. */
export type Response =
  | { readonly t: "status"; readonly cmd: Request["t"]; readonly ok: boolean; readonly text: string }
  | { readonly t: "info"; readonly text: string | null }
  | { readonly t: "message"; readonly channel: string; readonly payload: string }
  | { readonly t: "ask-reply"; readonly master: string; readonly reply: unknown }
  | { readonly t: "master-addr"; readonly addr: Address | null }
  /** Reply to `config-get-min-replicas`. */
  | { readonly t: "min-replicas"; readonly config: MinReplicasConfig }
  /** Full resynchronisation: the whole dataset at `offset`. */
  | { readonly t: "fullresync"; readonly replId: string; readonly offset: number; readonly data: Keyspace }
  /** One write in the replication stream. */
  | { readonly t: "repl-write"; readonly key: string; readonly id: number; readonly offset: number }
  /** Keep-alive in the replication stream. */
  | { readonly t: "repl-ping" };

/** Anything on the wire. */
export type WireMessage = Request | Response;

/** The pub/sub channel sentinels gossip on. */
export const HELLO_CHANNEL = "__sentinel__:hello";

/** Redis's error texts, verbatim. */
export const ERRORS = {
  loading: "LOADING Redis is loading the dataset in memory",
  noauth: "NOAUTH Authentication required.",
  wrongpass: "WRONGPASS invalid username-password pair or user is disabled.",
  readonly: "READONLY You can't write against a read only replica.",
  noreplicas: "NOREPLICAS Not enough good replicas to write.",
  nomasterlink: "NOMASTERLINK Can't SYNC while not connected with my master",
  notbusy: "NOTBUSY No scripts in execution right now.",
} as const;

import type { SentinelDialect } from "../dialect.js";
import type { AclLog } from "./acl-log.js";
import type { AclStore } from "./acl-store.js";
import type { CommandTable } from "./command-table.js";
import type { CommandTableData } from "./command-table-dialects.js";
import type { Connection } from "./connection.js";
import type { FlushQueue } from "./flush-queue.js";
import type { PubSubRegistry } from "./pubsub.js";
import type { RequestMemo } from "./request-memo.js";
import type { ClientKillFilter, DelegatedHandlers, OutputBufferLimit, RespServerOptions } from "./types.js";

/** Mutable counters behind {@link ServerStats}. */
export interface Counters {
  connectionsReceived: number;
  commandsProcessed: number;
  rejectedConnections: number;
  netInputBytes: number;
  netOutputBytes: number;
  errorReplies: number;
}

/** CLIENT PAUSE state. */
export interface PauseState {
  /** Epoch ms when the pause ends. */
  readonly until: number;
  /** `all` pauses every command, `write` only those that may replicate (PUBLISH). */
  readonly mode: "all" | "write";
}

/** Resolved limits and identity. */
export interface CoreSettings {
  /** The Sentinel answered as (command table, help texts, HELLO identity, CLIENT LIST fields). */
  readonly dialect: SentinelDialect;
  /** Its captured command data. */
  readonly data: CommandTableData;
  readonly maxClients: number;
  readonly maxBulkLength: number;
  readonly queryBufferLimit: number;
  readonly normalLimit: OutputBufferLimit;
  readonly pubsubLimit: OutputBufferLimit;
  readonly tcpKeepAliveSeconds: number;
  /** {@link RespServerOptions.replayRequests}. */
  readonly replayRequests: boolean;
}

/**
 * The state every connection and command implementation shares. The server implements it; the
 * built-in commands only see this interface, which keeps them testable and free of socket code.
 */
export interface ServerCore {
  readonly settings: CoreSettings;
  readonly table: CommandTable;
  readonly acl: AclStore;
  readonly aclLog: AclLog;
  readonly pubsub: PubSubRegistry;
  readonly handlers: DelegatedHandlers;
  readonly counters: Counters;
  readonly options: RespServerOptions;
  /** Connections whose replies go out at the end of the event-loop turn. */
  readonly flushQueue: FlushQueue;
  /** Connected clients by id, in connection order. */
  readonly connections: ReadonlyMap<number, Connection>;
  /** Current CLIENT PAUSE, if any (expired pauses are cleared on read). */
  pause(): PauseState | undefined;
  setPause(state: PauseState | undefined): void;
  /** Closes matching clients except `self` (returned as a flag instead, for close-after-reply). */
  kill(filter: ClientKillFilter, self?: Connection): { killed: number; includesSelf: boolean };
  /** SHUTDOWN without a hook: stop everything. */
  shutdown(): void;
  /** Reports an internal failure without throwing. */
  report(error: unknown, where: string): void;
  /**
   * Bumped by every command that runs and is not replayable (it may have changed a connection,
   * a user, a setting): a recorded reply (server/request-memo.ts) holds only while it is unchanged.
   */
  generation: number;
  /** The delegated handlers' {@link DelegatedHandlers.stateToken}, 0 without one. */
  stateToken(): number;
  /** The delegated handlers' {@link DelegatedHandlers.clock}, NaN without one. */
  clock(): number;
  /**
   * The last memo recorded on a plain connection (replies on, authenticated, all commands allowed,
   * no Pub/Sub): any plain connection of the same protocol may replay it (server/request-memo.ts).
   */
  sharedMemo: RequestMemo | undefined;
}

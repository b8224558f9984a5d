import type { SentinelDialect } from "../dialect.js";
import type { Protocol } from "../resp/encoder.js";
import type { Reply } from "../resp/reply.js";
import type { ExtraSubcommand } from "./command-table.js";

/** What the server knows about one client connection (a snapshot; it does not update). */
export interface ClientInfo {
  /** Server-unique, increasing from 1 (CLIENT ID). */
  readonly id: number;
  /** CLIENT SETNAME / HELLO SETNAME; `""` when unset. */
  readonly name: string;
  /** Peer `ip:port` (`[v6]:port` for IPv6), as CLIENT LIST `addr=`. */
  readonly addr: string;
  /** Local `ip:port` the client connected to, as CLIENT LIST `laddr=`. */
  readonly laddr: string;
  /** RESP version in use (HELLO). */
  readonly protocol: Protocol;
  /** ACL user the connection runs as (`default` until AUTH). */
  readonly user: string;
  /** Whether the connection has authenticated (or needs no authentication). */
  readonly authenticated: boolean;
  /** CLIENT SETINFO LIB-NAME / LIB-VER; `""` when unset. */
  readonly libName: string;
  readonly libVer: string;
  /** Channels and patterns subscribed to. */
  readonly channels: number;
  readonly patterns: number;
  /** Epoch milliseconds of connect and of the last command. */
  readonly createdAt: number;
  readonly lastInteractionAt: number;
  /** Full name of the last command (`client|setname`), `NULL` before the first, as Redis. */
  readonly lastCommand: string;
}

/** Passed to delegated command handlers. */
export interface CommandContext {
  /** The client that sent the command. */
  readonly client: ClientInfo;
  /** The arguments as received, binary-exact (the `args` strings are their UTF-8 decoding). */
  readonly rawArgs: readonly Buffer[];
}

/**
 * Serves one delegated command. `args[0]` is the command name as the client sent it, so
 * `SENTINEL masters` arrives as `["SENTINEL", "masters"]`. Arity, unknown subcommands,
 * authentication and ACL checks have already been done. May be async: the connection waits
 * for the promise (later pipelined commands are not started before), so replies stay in order
 * and each command sees the effects of the previous ones, as with Redis. A thrown error or a
 * rejected promise is answered with `-ERR internal error` and reported to `onError`.
 */
export type CommandHandler = (args: readonly string[], ctx: CommandContext) => Reply | Promise<Reply>;

/** Commands whose behaviour is Sentinel's, supplied by the embedder. */
export interface DelegatedHandlers {
  readonly sentinel?: CommandHandler;
  readonly info?: CommandHandler;
  readonly role?: CommandHandler;
  /** Runs after the ACL channel check; see §17.3 for what Sentinel accepts. */
  readonly publish?: CommandHandler;
  /**
   * A number that changes whenever a handler's reply to the same request may have changed (the
   * engine stepped). With it, replies of replayable delegated commands (`SENTINEL
   * GET-MASTER-ADDR-BY-NAME`) are replayed for identical requests while it stays the same
   * (server/request-memo.ts); without it, they are always run.
   */
  readonly stateToken?: () => number;
  /**
   * The clock the handlers read (epoch ms). With it and {@link DelegatedHandlers.stateToken},
   * replies that carry "milliseconds since" fields (`SENTINEL MASTER`) are replayed within the
   * millisecond they were made in.
   */
  readonly clock?: () => number;
}

/** A user known at startup (the equivalent of `user` lines / `requirepass` in the config). */
export interface UserSpec {
  readonly name: string;
  /** `on` (default) or `off`. */
  readonly enabled?: boolean;
  /** Any password is accepted. */
  readonly nopass?: boolean;
  /** Clear-text passwords, or SHA-256 hashes written `#<64 lowercase hex>`. */
  readonly passwords?: readonly string[];
  /**
   * Further ACL rules applied after the fields above, in `ACL SETUSER` syntax (`~*`, `&*`,
   * `+@all`, `resetchannels`, ...). Without rules a startup user gets `~* &* +@all`.
   */
  readonly rules?: readonly string[];
}

/** Authentication configuration. */
export interface AuthOptions {
  /** `requirepass`: password of the `default` user (otherwise `default` is `nopass`). */
  readonly requirePass?: string;
  /** Additional users, or a redefinition of `default`. */
  readonly users?: readonly UserSpec[];
}

/** Output-buffer limit of one client class (`client-output-buffer-limit`). 0 disables a bound. */
export interface OutputBufferLimit {
  readonly hardBytes: number;
  readonly softBytes: number;
  readonly softSeconds: number;
}

/** What SHUTDOWN's hook receives. */
export interface ShutdownRequest {
  readonly client: ClientInfo;
  /** Options as given (`NOSAVE`, `SAVE`, `NOW`, `FORCE`), upper-cased. */
  readonly flags: readonly string[];
}

/** Options of {@link RespServerOptions}. */
export interface RespServerOptions {
  /** Delegated SENTINEL / INFO / ROLE / PUBLISH. A missing handler answers an error. */
  readonly handlers?: DelegatedHandlers;
  readonly auth?: AuthOptions;
  /**
   * SHUTDOWN: called after the arguments were validated. Resolve to `undefined` to let the
   * server close every connection without replying (the process is going away, as with Redis),
   * or to a reply (e.g. an error) to send instead. Without a hook the server closes itself.
   */
  readonly onShutdown?: (request: ShutdownRequest) => Reply | undefined | Promise<Reply | undefined>;
  /** Reports handler failures and other internal errors; the server never throws them. */
  readonly onError?: (error: unknown, where: string) => void;
  /**
   * Answer a repeated `PING` / `SENTINEL GET-MASTER-ADDR-BY-NAME` (identical bytes, nothing it
   * depends on changed) with the reply recorded the first time instead of running it again
   * (server/request-memo.ts). Default true; false runs every command, for comparison.
   */
  readonly replayRequests?: boolean;
  /** `maxclients`, default 10000. */
  readonly maxClients?: number;
  /**
   * The Sentinel whose generic commands are answered (default `redis-7.0`): its captured command
   * table and help texts, its CLIENT LIST fields, and HELLO's `server`/`version`.
   */
  readonly dialect?: SentinelDialect;
  /** `proto-max-bulk-len`, default 512 MiB. */
  readonly maxBulkLength?: number;
  /**
   * Closes a client whose pending request bytes exceed this (`client-query-buffer-limit`).
   * Default 64 MiB: Redis allows 1 GiB, but no Sentinel request comes anywhere near that.
   */
  readonly queryBufferLimit?: number;
  /**
   * Per-class output limits. Defaults: pubsub `32mb 8mb 60` (Redis's), normal `32mb 0 0`
   * (Redis has no limit for normal clients; a Sentinel has no reason to buffer 32 MB for one).
   */
  readonly outputBufferLimits?: { readonly normal?: OutputBufferLimit; readonly pubsub?: OutputBufferLimit };
  /** `tcp-keepalive` seconds, default 300; 0 disables. */
  readonly tcpKeepAliveSeconds?: number;
  /**
   * Extra `SENTINEL` subcommands the delegated handler serves (Vigil's `vigil-*` extensions): known
   * to lookup, arity and ACL rules, but not listed by COMMAND or ACL CAT. Default none.
   */
  readonly extraSentinelSubcommands?: readonly ExtraSubcommand[];
}

/** Where to listen. */
export interface ListenOptions {
  /** Addresses to bind (`bind`), default `["127.0.0.1"]`. */
  readonly hosts?: readonly string[];
  /** Port; 0 picks a free one (shared by all hosts). */
  readonly port: number;
  /** `tcp-backlog`: pending-connection queue length, default 511 (the kernel caps it at somaxconn). */
  readonly backlog?: number;
  /** `tls-port` & co.: also accept TLS connections on every host (see {@link TlsListenOptions}). */
  readonly tls?: TlsListenOptions;
  /** `false`: no plain TCP listener, TLS only (Redis's `port 0` with a `tls-port`). Default true. */
  readonly tcp?: boolean;
}

/**
 * A TLS listener (Redis's `tls-port`, `tls-cert-file`, `tls-key-file`, `tls-ca-cert-file`,
 * `tls-auth-clients`). Its clients are ordinary clients once the handshake is done: same limits,
 * same authentication, counted against `maxclients`.
 */
export interface TlsListenOptions {
  /** TLS port; 0 picks a free one (see {@link RespServer.tlsPort}). */
  readonly port: number;
  /** PEM private key and certificate chain. */
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** PEM CA bundle that client certificates must chain to. */
  readonly ca?: string | Buffer;
  /**
   * `tls-auth-clients`: `yes` (default, Redis's) requires a client certificate signed by `ca`;
   * `optional` asks for one and rejects an invalid one, but accepts a client that sends none;
   * `no` does not ask.
   */
  readonly authClients?: "yes" | "no" | "optional";
}

/** CLIENT KILL-style filter; every given field must match. */
export interface ClientKillFilter {
  readonly id?: number;
  readonly type?: "normal" | "pubsub" | "master" | "replica" | "slave";
  readonly addr?: string;
  readonly laddr?: string;
  readonly user?: string;
  /** A client id to spare (SKIPME). */
  readonly skipId?: number;
  /** Only clients connected for more than this many seconds (Valkey's `MAXAGE`). */
  readonly olderThanSeconds?: number;
}

/** Counters for INFO `clients` / `stats` (field names map to Redis's in the comments). */
export interface ServerStats {
  /** `connected_clients` */
  readonly connectedClients: number;
  /** `pubsub_clients` (clients with at least one subscription) */
  readonly pubsubClients: number;
  /** `maxclients` */
  readonly maxClients: number;
  /** `blocked_clients` (always 0: nothing blocks in sentinel mode) */
  readonly blockedClients: number;
  /** `tracking_clients` */
  readonly trackingClients: number;
  /** `total_connections_received` */
  readonly totalConnectionsReceived: number;
  /** `total_commands_processed` */
  readonly totalCommandsProcessed: number;
  /** `rejected_connections` (maxclients) */
  readonly rejectedConnections: number;
  /** `total_net_input_bytes` / `total_net_output_bytes` */
  readonly totalNetInputBytes: number;
  readonly totalNetOutputBytes: number;
  /** `total_error_replies` */
  readonly totalErrorReplies: number;
  /** `pubsub_channels` / `pubsub_patterns` */
  readonly pubsubChannels: number;
  readonly pubsubPatterns: number;
  /** `client_recent_max_input_buffer` / `client_recent_max_output_buffer` (current maxima) */
  readonly clientMaxInputBuffer: number;
  readonly clientMaxOutputBuffer: number;
  /** `tcp_port` (first bound port, 0 before listen) */
  readonly tcpPort: number;
  /** Epoch ms when the server object was created (for `uptime_in_seconds`). */
  readonly startedAt: number;
}

/** A running RESP server. */
export interface RespServer {
  /** Binds every host on the same port; resolves with the port actually bound. */
  listen(options: ListenOptions): Promise<number>;
  /** Stops listening and closes every client; resolves when all sockets are gone. */
  close(): Promise<void>;
  /** Delivers a Pub/Sub message; returns the number of receivers (channel + pattern matches). */
  publish(channel: string | Buffer, message: string | Buffer): number;
  /** Closes matching clients at once; returns how many. */
  killClients(filter: ClientKillFilter): number;
  /** Snapshots of the connected clients. */
  clients(): ClientInfo[];
  /** Counters for INFO. */
  stats(): ServerStats;
  /** Bound `host:port` pairs (TCP listeners first, then TLS ones). */
  addresses(): readonly { readonly host: string; readonly port: number }[];
  /** The bound TLS port, 0 without a TLS listener. */
  tlsPort(): number;
}

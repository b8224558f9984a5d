import { type AddressInfo, createServer, type Server as NetServer, type Socket } from "node:net";
import { createServer as createTlsServer, type Server as TlsServer } from "node:tls";
import { DEFAULT_DIALECT } from "../dialect.js";
import { AclLog } from "./acl-log.js";
import { type AclStore, createAclStore } from "./acl-store.js";
import { utf8ToBinary } from "./byte-string.js";
import { type CommandTable, createSentinelCommandTable, withExtraSubcommands } from "./command-table.js";
import { commandTableData } from "./command-table-dialects.js";
import { clientTypeOf } from "./commands/client.js";
import { Connection } from "./connection.js";
import { FlushQueue } from "./flush-queue.js";
import { PubSubRegistry } from "./pubsub.js";
import type { RequestMemo } from "./request-memo.js";
import type { CoreSettings, Counters, PauseState, ServerCore } from "./server-core.js";
import type {
  ClientInfo,
  ClientKillFilter,
  DelegatedHandlers,
  ListenOptions,
  OutputBufferLimit,
  RespServer,
  RespServerOptions,
  ServerStats,
  TlsListenOptions,
} from "./types.js";

const MB = 1024 * 1024;
const DEFAULT_NORMAL_LIMIT: OutputBufferLimit = { hardBytes: 32 * MB, softBytes: 0, softSeconds: 0 };
const DEFAULT_PUBSUB_LIMIT: OutputBufferLimit = { hardBytes: 32 * MB, softBytes: 8 * MB, softSeconds: 60 };
const MAX_CLIENTS_REACHED = Buffer.from("-ERR max number of clients reached\r\n");

/**
 * Creates a RESP2/RESP3 server that speaks like `redis-sentinel`: it answers the generic commands
 * itself (PING, AUTH, HELLO, CLIENT, COMMAND, ACL, (P)(UN)SUBSCRIBE, SHUTDOWN) with Redis's exact
 * replies and errors, and hands SENTINEL, INFO, ROLE and PUBLISH to `options.handlers`.
 * Invalid startup users (bad ACL rules) throw here; nothing throws once serving.
 */
export function createRespServer(options: RespServerOptions = {}): RespServer {
  return new Server(options);
}

class Server implements ServerCore, RespServer {
  readonly settings: CoreSettings;
  readonly table: CommandTable;
  readonly acl: AclStore;
  readonly aclLog = new AclLog();
  readonly pubsub = new PubSubRegistry();
  readonly handlers: DelegatedHandlers;
  readonly counters: Counters = {
    connectionsReceived: 0,
    commandsProcessed: 0,
    rejectedConnections: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    errorReplies: 0,
  };
  readonly connections = new Map<number, Connection>();
  readonly flushQueue = new FlushQueue();
  private readonly listeners: NetServer[] = [];
  /** Every accepted socket, including ones no longer tracked as clients (lingering, refused). */
  private readonly sockets = new Set<Socket>();
  private readonly startedAt = Date.now();
  private nextId = 1;
  private boundTlsPort = 0;
  private pauseState: PauseState | undefined;

  constructor(readonly options: RespServerOptions) {
    this.handlers = options.handlers ?? {};
    this.settings = {
      dialect: options.dialect ?? DEFAULT_DIALECT,
      data: commandTableData(options.dialect ?? DEFAULT_DIALECT),
      maxClients: options.maxClients ?? 10000,
      maxBulkLength: options.maxBulkLength ?? 512 * MB,
      queryBufferLimit: options.queryBufferLimit ?? 64 * MB,
      normalLimit: options.outputBufferLimits?.normal ?? DEFAULT_NORMAL_LIMIT,
      pubsubLimit: options.outputBufferLimits?.pubsub ?? DEFAULT_PUBSUB_LIMIT,
      tcpKeepAliveSeconds: options.tcpKeepAliveSeconds ?? 300,
      replayRequests: options.replayRequests ?? true,
    };
    this.table = withExtraSubcommands(createSentinelCommandTable(this.settings.dialect), "sentinel", options.extraSentinelSubcommands ?? []);
    this.acl = createAclStore(options.auth ?? {}, {
      isCommand: (name) => this.table.lookupFullName(name, true) !== undefined,
      isCategory: (name) => this.settings.data.ACL_CATEGORIES.includes(name),
      sanitizeNewUsers: this.settings.dialect !== "redis-7.0",
    });
  }

  async listen({ hosts = ["127.0.0.1"], port, backlog = 511, tls: tlsOptions, tcp = true }: ListenOptions): Promise<number> {
    // Built first: bad key material throws here, before anything is bound.
    const tlsListeners = tlsOptions === undefined ? [] : hosts.map(() => this.createTlsListener(tlsOptions));
    let bound = port;
    for (const host of tcp ? hosts : []) {
      bound = await this.bindListener(createServer((socket) => this.accept(socket)), host, bound, backlog);
    }
    if (tlsOptions !== undefined) {
      let tlsBound = tlsOptions.port;
      for (const [i, host] of hosts.entries()) tlsBound = await this.bindListener(tlsListeners[i]!, host, tlsBound, backlog);
      this.boundTlsPort = tlsBound;
    }
    return bound;
  }

  tlsPort(): number {
    return this.boundTlsPort;
  }

  private async bindListener(listener: NetServer, host: string, port: number, backlog: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      listener.once("error", reject);
      listener.listen({ port, host, backlog }, () => {
        listener.off("error", reject);
        resolve();
      });
    }).catch(async (e: unknown) => {
      await this.closeListeners();
      throw e;
    });
    listener.on("error", (e) => this.report(e, "listener"));
    this.listeners.push(listener);
    return port === 0 ? (listener.address() as AddressInfo).port : port;
  }

  /**
   * A TLS listener whose sockets, once the handshake is done, are accepted like TCP ones. Failed
   * handshakes (plain-text clients, bad or missing client certificates) only cost that socket.
   */
  private createTlsListener(o: TlsListenOptions): TlsServer {
    const mode = o.authClients ?? "yes";
    const listener = createTlsServer(
      {
        key: o.key,
        cert: o.cert,
        ...(o.ca === undefined ? {} : { ca: o.ca }),
        requestCert: mode !== "no",
        rejectUnauthorized: mode === "yes",
        handshakeTimeout: 10_000,
      },
      (socket) => {
        // `optional` (like OpenSSL's SSL_VERIFY_PEER without FAIL_IF_NO_PEER_CERT): no certificate
        // is fine, a certificate that does not verify is not.
        if (mode === "optional" && !socket.authorized && Object.keys(socket.getPeerCertificate() ?? {}).length > 0) {
          socket.destroy();
          return;
        }
        this.accept(socket);
      },
    );
    listener.on("tlsClientError", (_e, socket) => socket.destroy());
    return listener;
  }

  async close(): Promise<void> {
    const closing = this.closeListeners();
    this.kill({});
    // net.Server.close() waits for every socket, so also end the ones that are on their way out.
    for (const s of this.sockets) s.destroy();
    await closing;
  }

  publish(channel: string | Buffer, message: string | Buffer): number {
    return this.pubsub.publish(utf8ToBinary(channel), typeof message === "string" ? Buffer.from(message, "utf8") : message);
  }

  killClients(filter: ClientKillFilter): number {
    const user = filter.user === undefined ? undefined : utf8ToBinary(filter.user);
    return this.kill({ ...filter, user }).killed;
  }

  clients(): ClientInfo[] {
    return [...this.connections.values()].map((c) => c.info());
  }

  stats(): ServerStats {
    let pubsubClients = 0;
    let trackingClients = 0;
    let maxIn = 0;
    let maxOut = 0;
    for (const c of this.connections.values()) {
      if (c.isPubSub()) pubsubClients++;
      if (c.tracking.on) trackingClients++;
      maxIn = Math.max(maxIn, c.queryBufferBytes());
      maxOut = Math.max(maxOut, c.outputBufferBytes());
    }
    return {
      connectedClients: this.connections.size,
      pubsubClients,
      maxClients: this.settings.maxClients,
      blockedClients: 0,
      trackingClients,
      totalConnectionsReceived: this.counters.connectionsReceived,
      totalCommandsProcessed: this.counters.commandsProcessed,
      rejectedConnections: this.counters.rejectedConnections,
      totalNetInputBytes: this.counters.netInputBytes,
      totalNetOutputBytes: this.counters.netOutputBytes,
      totalErrorReplies: this.counters.errorReplies,
      pubsubChannels: this.pubsub.channelCount,
      pubsubPatterns: this.pubsub.patternCount,
      clientMaxInputBuffer: maxIn,
      clientMaxOutputBuffer: maxOut,
      tcpPort: this.addresses()[0]?.port ?? 0,
      startedAt: this.startedAt,
    };
  }

  addresses(): readonly { readonly host: string; readonly port: number }[] {
    return this.listeners.flatMap((l) => {
      const a = l.address();
      return a && typeof a === "object" ? [{ host: a.address, port: a.port }] : [];
    });
  }

  generation = 0;
  sharedMemo: RequestMemo | undefined;

  stateToken(): number {
    return this.handlers.stateToken?.() ?? 0;
  }

  clock(): number {
    return this.handlers.clock?.() ?? Number.NaN;
  }

  pause(): PauseState | undefined {
    if (this.pauseState && this.pauseState.until <= Date.now()) this.pauseState = undefined;
    return this.pauseState;
  }

  setPause(state: PauseState | undefined): void {
    this.pauseState = state;
    // Parked clients re-check: they run now if the pause ended, or park again until the new end.
    for (const c of [...this.connections.values()]) c.wake();
  }

  kill(filter: ClientKillFilter, self?: Connection): { killed: number; includesSelf: boolean } {
    let killed = 0;
    let includesSelf = false;
    const type = filter.type === "slave" ? "replica" : filter.type;
    for (const c of [...this.connections.values()]) {
      if (filter.addr !== undefined && c.addr !== filter.addr) continue;
      if (filter.laddr !== undefined && c.laddr !== filter.laddr) continue;
      if (filter.olderThanSeconds !== undefined && Math.floor((Date.now() - c.createdAt) / 1000) <= filter.olderThanSeconds) continue;
      if (type !== undefined && clientTypeOf(c) !== type) continue;
      if (filter.id !== undefined && c.id !== filter.id) continue;
      if (filter.user !== undefined && c.user.name !== filter.user) continue;
      if (filter.skipId !== undefined && c.id === filter.skipId) continue;
      killed++;
      if (c === self) includesSelf = true;
      else c.destroy();
    }
    return { killed, includesSelf };
  }

  shutdown(): void {
    void this.close();
  }

  report(error: unknown, where: string): void {
    try {
      this.options.onError?.(error, where);
    } catch {
      // A throwing logger must not take the server down.
    }
  }

  private accept(socket: Socket): void {
    socket.on("error", () => undefined);
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    if (this.connections.size >= this.settings.maxClients) {
      this.counters.rejectedConnections++;
      // Like Redis: write the error and close at once (waiting for the peer's FIN could take forever).
      socket.write(MAX_CLIENTS_REACHED, () => socket.destroy());
      return;
    }
    this.counters.connectionsReceived++;
    const id = this.nextId++;
    const conn = new Connection(id, socket, this, (c) => this.forget(c));
    this.connections.set(id, conn);
  }

  private forget(c: Connection): void {
    if (this.connections.get(c.id) !== c) return;
    this.connections.delete(c.id);
    this.pubsub.removeAll(c);
  }

  private closeListeners(): Promise<void> {
    const all = this.listeners.splice(0);
    return Promise.all(all.map((l) => new Promise<void>((resolve) => l.close(() => resolve())))).then(() => undefined);
  }
}

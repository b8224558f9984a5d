/** @packageDocumentation A RESP server that speaks like redis-sentinel, with pluggable Sentinel commands. */
export type { ExtraSubcommand } from "./command-table.js";
export { globMatch } from "./glob.js";
export { createRespServer } from "./resp-server.js";
export type {
  AuthOptions,
  ClientInfo,
  ClientKillFilter,
  CommandContext,
  CommandHandler,
  DelegatedHandlers,
  ListenOptions,
  OutputBufferLimit,
  RespServer,
  RespServerOptions,
  ServerStats,
  ShutdownRequest,
  TlsListenOptions,
  UserSpec,
} from "./types.js";

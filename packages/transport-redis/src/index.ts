/**
 * `@vigil/transport-redis`: binds the pure engine to real Redis and TCP. ioredis links to monitored
 * instances and peer sentinels, the runtime that feeds the engine ticks and replies and executes its
 * commands, our own RESP2/RESP3 codec and server, and the Sentinel command API served on it.
 *
 * @packageDocumentation
 */

export {
  type ApiRuntime,
  type CommandArg,
  createSentinelApi,
  helpReply,
  INFO_SECTIONS,
  type InfoSection,
  instanceList,
  instanceMap,
  type PendingScript,
  SENTINEL_ARITY,
  SENTINEL_HELP_LINES,
  type SentinelApi,
  type SentinelApiContext,
  type SentinelProcessInfo,
  type SentinelServerStats,
  type SentinelSubcommand,
  sentinelHelpLines,
  sentinelSubcommands,
  VIGIL_SENTINEL_SUBCOMMANDS,
} from "./api/sentinel-api.js";
export { DEFAULT_DIALECT, type DialectIdentity, dialectIdentity, parseDialect, SENTINEL_DIALECTS, type SentinelDialect } from "./dialect.js";
export { HELLO_CHANNEL, LinkPool, type LinkPoolOptions } from "./links/link-pool.js";
export { encodeReply } from "./resp/encoder.js";
export * from "./resp/reply.js";
export { PlainError, type PlainReply, ReplyProtocolError, ReplyReader } from "./resp/reply-reader.js";
export { SentinelRuntime, type SentinelRuntimeOptions } from "./runtime/sentinel-runtime.js";
export * from "./server/index.js";

/**
 * `@vigil/transport-redis`: a Redis Sentinel you embed in a Node service ({@link createSentinel}), and
 * the pieces it is built from: links to monitored instances and peer sentinels, the runtime that feeds
 * the engine ticks and replies and executes its commands, our own RESP2/RESP3 codec and server, and the
 * Sentinel command API served on it.
 *
 * @packageDocumentation
 */

export type {
  EventInstance,
  FailoverPlan,
  HostPort,
  InstanceEventFields,
  MasterExplanation,
  MasterSettingsInput,
  PersistedState,
  SentinelEventOf,
  SentinelEventType,
  TypedSentinelEvent,
} from "@vigil/core";
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
export { DEFAULT_DIALECT, type DialectIdentity, dialectIdentity, optionNaming, parseDialect, SENTINEL_DIALECTS, type SentinelDialect } from "./dialect.js";
export { type CreateSentinelOptions, createSentinel, type FailoverOptions, Sentinel } from "./embed/create-sentinel.js";
export { FailoverRefusedError, NoSuchMasterError, PersistError, SentinelOptionsError, SentinelStateError, VigilError } from "./embed/errors.js";
export { EventChannel, type EventListener, type EventsOptions } from "./embed/event-channel.js";
export { followMaster } from "./embed/follow-master.js";
export { fileStore, memoryStore, type SentinelStore } from "./embed/state-store.js";
export { type FenceConnection, type FenceLiftRequest, type FenceLiftResult, type FenceReading, liftFence, readFence } from "./links/fence-lifter.js";
export { HELLO_CHANNEL, LinkPool, type LinkPoolOptions } from "./links/link-pool.js";
export { osRandomBytes, randomHex, randomSeed } from "./os/os-random.js";
export { encodeReply } from "./resp/encoder.js";
export * from "./resp/reply.js";
export { PlainError, type PlainReply, ReplyProtocolError, ReplyReader } from "./resp/reply-reader.js";
export { type NetworkFactory, type RuntimeNetwork, SentinelRuntime, type SentinelRuntimeOptions } from "./runtime/sentinel-runtime.js";
export * from "./server/index.js";

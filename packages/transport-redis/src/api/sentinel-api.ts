import { DEFAULT_DIALECT } from "../dialect.js";
import type { Reply } from "../resp/reply.js";
import { argvText, type CommandArg } from "./command-args.js";
import type { SentinelApiContext } from "./context.js";
import { infoCommand } from "./info-command.js";
import { publishCommand } from "./publish-command.js";
import { roleCommand } from "./role-command.js";
import { scopeOf } from "./scope.js";
import { createSentinelDispatcher, type SentinelSubcommand, sentinelSubcommands } from "./sentinel-command.js";

/**
 * The Sentinel-specific commands of the daemon's RESP server. Every method takes the whole command
 * as received — `argv[0]` is the command name as the client typed it (`SENTINEL`, `info`, ...) —
 * and returns a protocol-independent reply (maps become flat arrays in RESP2). Methods are
 * synchronous: every engine effect (including a vote's persist) is carried out before they return.
 */
export interface SentinelApi {
  /** `SENTINEL <subcommand> [args...]`, including the arity and unknown-subcommand errors. */
  sentinel(argv: readonly CommandArg[]): Reply;
  /** `INFO [section ...]`. */
  info(argv: readonly CommandArg[]): Reply;
  /** `ROLE`. */
  role(argv: readonly CommandArg[]): Reply;
  /** `PUBLISH __sentinel__:hello <payload>`; other channels are refused. */
  publish(argv: readonly CommandArg[]): Reply;
  /** The dialect's `SENTINEL` subcommands (what `COMMAND COUNT|LIST|INFO|DOCS` list); extensions excluded. */
  readonly subcommands: readonly SentinelSubcommand[];
  /**
   * Changes whenever the engine may have changed (the runtime's count of applied outputs), so the
   * RESP server may replay `GET-MASTER-ADDR-BY-NAME` replies while it stays the same. Absent when
   * the runtime does not count them.
   */
  readonly stateToken?: () => number;
  /** The runtime's clock, which the replies' "milliseconds since" fields are measured against. */
  readonly clock?: () => number;
}

/** Build the API over a running (or merely constructed) {@link SentinelApiContext.runtime}. */
export function createSentinelApi(ctx: SentinelApiContext): SentinelApi {
  const dialect = ctx.dialect ?? DEFAULT_DIALECT;
  const extensions = ctx.vigilExtensions ?? false;
  const dispatch = createSentinelDispatcher(dialect, extensions);
  // One function for every command: the dispatcher builds the scope only once the command checked out.
  const scope = () => scopeOf(ctx);
  return {
    sentinel: (argv) => dispatch(scope, argvText(argv)),
    info: (argv) => infoCommand(ctx, argvText(argv)),
    role: (argv) => roleCommand(ctx, argvText(argv)),
    publish: (argv) => publishCommand(ctx, argvText(argv)),
    subcommands: sentinelSubcommands(dialect),
    ...(ctx.runtime.outputsApplied === undefined ? {} : { stateToken: () => ctx.runtime.outputsApplied ?? Number.NaN, clock: () => ctx.runtime.time() }),
  };
}

export type { CommandArg } from "./command-args.js";
export type { ApiRuntime, PendingScript, SentinelApiContext, SentinelProcessInfo, SentinelServerStats } from "./context.js";
export { helpReply, SENTINEL_HELP_LINES, sentinelHelpLines } from "./help-text.js";
export { INFO_SECTIONS, type InfoSection } from "./info-command.js";
export { instanceList, instanceMap } from "./instance-map.js";
export { HELLO_CHANNEL } from "./publish-command.js";
export { SENTINEL_ARITY, type SentinelSubcommand, sentinelSubcommands } from "./sentinel-command.js";
export { VIGIL_SENTINEL_SUBCOMMANDS } from "./sentinel-vigil-explain.js";

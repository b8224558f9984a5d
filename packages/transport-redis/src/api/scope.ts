import type { SentinelEngine } from "@vigil/core";
import { DEFAULT_DIALECT } from "../dialect.js";
import type { Reply } from "../resp/reply.js";
import type { ApiRuntime, SentinelApiContext, SentinelDialect } from "./context.js";

/** What one command invocation sees: the context, the engine, one `now` for the whole reply. */
export interface ApiScope {
  readonly ctx: SentinelApiContext;
  readonly runtime: ApiRuntime;
  readonly engine: SentinelEngine;
  /** Wall-clock ms, read once per command (every "ms since" field of one reply uses it). */
  readonly now: number;
  readonly dialect: SentinelDialect;
}

/** A SENTINEL subcommand handler; `argv` is the whole command (`argv[0]` = `SENTINEL`, `argv[1]` = the subcommand). */
export type SubcommandHandler = (scope: ApiScope, argv: readonly string[]) => Reply;

/** Build the scope of one command. */
export function scopeOf(ctx: SentinelApiContext): ApiScope {
  return new Scope(ctx);
}

/** `now` is read on first use: most commands (GET-MASTER-ADDR-BY-NAME...) never need the clock. */
class Scope implements ApiScope {
  readonly runtime: ApiRuntime;
  readonly engine: SentinelEngine;
  readonly dialect: SentinelDialect;
  private clock: number | undefined;

  constructor(readonly ctx: SentinelApiContext) {
    this.runtime = ctx.runtime;
    this.engine = ctx.runtime.engine;
    this.dialect = ctx.dialect ?? DEFAULT_DIALECT;
  }

  get now(): number {
    this.clock ??= this.runtime.time();
    return this.clock;
  }
}

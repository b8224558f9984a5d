import type { GlobalSettings } from "@vigil/core";

/** Redis's log levels (`nothing` exists since Redis 7.2). */
export type LogLevel = GlobalSettings["loglevel"];

/** A directive line kept as written: accepted, but Vigil has no typed field for it. */
export interface RawDirective {
  /** 1-based line number in the combined file + overrides text. */
  readonly line: number;
  /** The split arguments; `args[0]` is the directive name lower-cased. */
  readonly args: readonly string[];
}

/**
 * The generic (non-`sentinel`) directives Vigil acts on, with Redis's sentinel-mode defaults. Every
 * other generic directive Redis accepts is kept in {@link GenericSettings.passthrough}.
 */
export interface GenericSettings {
  /** `port`: TCP port to listen on (sentinel default 26379; 0 = no TCP). */
  readonly port: number;
  /** `bind`: addresses to listen on; `undefined` = Redis's default (`* -::*`), `[]` = listen nowhere. */
  readonly bind: readonly string[] | undefined;
  /** `dir`: working directory, as written (the last `dir` line). */
  readonly dir: string | undefined;
  /**
   * The directory the daemon runs in: the launch directory ({@link LoadOptions.cwd}) moved by each
   * `dir` line in turn, as Redis `chdir()`s at every one. Undefined when neither is known.
   */
  readonly workingDir: string | undefined;
  /** `logfile`: `""` = standard output. */
  readonly logfile: string;
  readonly loglevel: LogLevel;
  readonly daemonize: boolean;
  /** `pidfile`; `undefined` when unset or `""`. */
  readonly pidfile: string | undefined;
  /** `protected-mode` as written; Sentinel forces it off at run time regardless. */
  readonly protectedMode: boolean;
  /** `requirepass`; `undefined` when unset or `""`. */
  readonly requirepass: string | undefined;
  /** `user` lines (ACL rules), each the arguments after `user`, kept raw. */
  readonly users: readonly (readonly string[])[];
  readonly aclfile: string | undefined;
  /** `tls-port`: 0 = TLS off. */
  readonly tlsPort: number;
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  readonly tlsCaCertFile: string | undefined;
  readonly tlsReplication: boolean;
  readonly tlsAuthClients: "yes" | "no" | "optional";
  readonly bindSourceAddr: string | undefined;
  readonly maxclients: number;
  /** `timeout`: idle client timeout in seconds, 0 = never. */
  readonly timeout: number;
  readonly tcpKeepalive: number;
  /** `hz`, clamped to 1..500 as Redis does. */
  readonly hz: number;
  readonly unixsocket: string | undefined;
  /** `unixsocketperm` (octal in the file); 0 = leave the umask default. */
  readonly unixsocketperm: number;
  /** Every other accepted generic directive, in file order. */
  readonly passthrough: readonly RawDirective[];
}

/** Redis's defaults for the typed generic directives in sentinel mode. */
export const GENERIC_DEFAULTS: GenericSettings = Object.freeze({
  port: 26379,
  bind: undefined,
  dir: undefined,
  workingDir: undefined,
  logfile: "",
  loglevel: "notice",
  daemonize: false,
  pidfile: undefined,
  protectedMode: true,
  requirepass: undefined,
  users: [],
  aclfile: undefined,
  tlsPort: 0,
  tlsCertFile: undefined,
  tlsKeyFile: undefined,
  tlsCaCertFile: undefined,
  tlsReplication: false,
  tlsAuthClients: "yes",
  bindSourceAddr: undefined,
  maxclients: 10000,
  timeout: 0,
  tcpKeepalive: 300,
  hz: 10,
  unixsocket: undefined,
  unixsocketperm: 0,
  passthrough: [],
});

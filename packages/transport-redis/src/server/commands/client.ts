import { array, bulk, integer, map, NULL, OK, type Reply, set, simple, verbatim } from "../../resp/reply.js";
import { parseRedisInteger } from "../../resp/string-to-integer.js";
import { argIs, asciiLower, bytesToBinary, cString } from "../byte-string.js";
import { clientListLine } from "../client-list.js";
import type { Connection } from "../connection.js";
import { err, NOT_AN_INTEGER, SYNTAX_ERROR, subcommandSyntaxError } from "../errors.js";
import { TRACKING_OFF, type TrackingState } from "../tracking-state.js";
import type { ClientKillFilter } from "../types.js";
import { setClientName, validClientAttribute } from "./client-name.js";
import type { Invocation } from "./invocation.js";

type ClientType = NonNullable<ClientKillFilter["type"]>;

/** `getClientTypeByName`; `slave` and `replica` are the same class. */
function clientType(arg: Buffer): ClientType | undefined {
  const t = asciiLower(cString(arg));
  if (t === "normal" || t === "pubsub" || t === "master") return t;
  if (t === "slave" || t === "replica") return "replica";
  return undefined;
}

/** Our clients are never masters or replicas; pubsub once subscribed. */
export function clientTypeOf(c: Connection): ClientType {
  return c.isPubSub() ? "pubsub" : "normal";
}


/** CLIENT <subcommand>: the subcommands Sentinel has, with Redis 7.0's argument handling. */
export function clientCommand(inv: Invocation): void {
  const { conn, argv, spec } = inv;
  switch (spec.fullName) {
    case "client|id":
      conn.reply(integer(conn.id));
      return;
    case "client|info":
      conn.reply(verbatim(`${clientListLine(conn)}\n`));
      return;
    case "client|list":
      clientList(conn, argv);
      return;
    case "client|kill":
      clientKill(conn, argv);
      return;
    case "client|getname":
      conn.reply(conn.name === "" ? NULL : bulk(Buffer.from(conn.name, "latin1")));
      return;
    case "client|setname":
      if (setClientName(conn, argv[2]!)) conn.reply(OK);
      return;
    case "client|setinfo":
      clientSetInfo(conn, argv);
      return;
    case "client|reply":
      clientReply(conn, argv);
      return;
    case "client|no-evict":
      if (argIs(argv[2], "on")) conn.noEvict = true;
      else if (argIs(argv[2], "off")) conn.noEvict = false;
      else return conn.reply(SYNTAX_ERROR);
      conn.reply(OK);
      return;
    case "client|pause":
      clientPause(conn, argv);
      return;
    case "client|unpause":
      conn.core.setPause(undefined);
      conn.reply(OK);
      return;
    case "client|unblock":
      clientUnblock(conn, argv);
      return;
    case "client|tracking":
      clientTracking(conn, argv);
      return;
    case "client|trackinginfo":
      conn.reply(trackingInfo(conn));
      return;
    case "client|getredir":
      conn.reply(integer(conn.tracking.on ? conn.tracking.redirect : -1));
      return;
    case "client|caching":
      clientCaching(conn, argv);
      return;
    case "client|help":
      conn.reply(array(conn.core.settings.data.CLIENT_HELP.map((l) => simple(l))));
      return;
    default:
      conn.reply(subcommandSyntaxError(argv));
  }
}

function clientList(conn: Connection, argv: readonly Buffer[]): void {
  const all = [...conn.core.connections.values()];
  let chosen: Connection[];
  if (argv.length === 4 && argIs(argv[2], "type")) {
    const type = clientType(argv[3]!);
    if (!type) return conn.reply(err(`ERR Unknown client type '${cString(argv[3]!)}'`));
    chosen = all.filter((c) => clientTypeOf(c) === type);
  } else if (argv.length > 3 && argIs(argv[2], "id")) {
    chosen = [];
    for (const arg of argv.slice(3)) {
      const id = parseRedisInteger(arg.toString("latin1"));
      if (id === undefined) return conn.reply(err("ERR Invalid client ID"));
      const c = conn.core.connections.get(Number(id));
      if (c) chosen.push(c);
    }
  } else if (argv.length !== 2) {
    return conn.reply(SYNTAX_ERROR);
  } else {
    chosen = all;
  }
  const now = Date.now();
  conn.reply(verbatim(Buffer.from(chosen.map((c) => `${clientListLine(c, now)}\n`).join(""), "latin1")));
}

/** CLIENT KILL ip:port (old form: `+OK` or "No such client", may kill itself) or filters (count). */
function clientKill(conn: Connection, argv: readonly Buffer[]): void {
  const filter: { -readonly [K in keyof ClientKillFilter]: ClientKillFilter[K] } = {};
  let skipMe = true;
  if (argv.length === 3) {
    filter.addr = cString(argv[2]!);
    skipMe = false;
  } else {
    for (let i = 2; i < argv.length; i += 2) {
      const value = argv[i + 1];
      if (value === undefined) return conn.reply(SYNTAX_ERROR);
      const opt = argv[i]!;
      if (argIs(opt, "id")) {
        const id = parseRedisInteger(value.toString("latin1"));
        if (id === undefined || id < 1n) return conn.reply(err("ERR client-id should be greater than 0"));
        filter.id = Number(id);
      } else if (argIs(opt, "type")) {
        const type = clientType(value);
        if (!type) return conn.reply(err(`ERR Unknown client type '${cString(value)}'`));
        filter.type = type;
      } else if (argIs(opt, "addr")) {
        filter.addr = cString(value);
      } else if (argIs(opt, "laddr")) {
        filter.laddr = cString(value);
      } else if (argIs(opt, "user")) {
        const name = bytesToBinary(value);
        if (!conn.core.acl.get(name)) return conn.reply(err(`ERR No such user '${cString(value)}'`));
        filter.user = name;
      } else if (argIs(opt, "maxage") && conn.core.settings.dialect === "valkey-8") {
        const age = parseRedisInteger(value.toString("latin1"));
        if (age === undefined) return conn.reply(err("ERR maxage is not an integer or out of range"));
        if (age <= 0n) return conn.reply(err("ERR maxage should be greater than 0"));
        filter.olderThanSeconds = Number(age);
      } else if (argIs(opt, "skipme")) {
        if (argIs(value, "yes")) skipMe = true;
        else if (argIs(value, "no")) skipMe = false;
        else return conn.reply(SYNTAX_ERROR);
      } else {
        return conn.reply(SYNTAX_ERROR);
      }
    }
  }
  if (skipMe) filter.skipId = conn.id;
  const { killed, includesSelf } = conn.core.kill(filter, conn);
  if (argv.length === 3) conn.reply(killed === 0 ? err("ERR No such client") : OK);
  else conn.reply(integer(killed));
  // Flagged only now, so the reply above is still written before the connection closes.
  if (includesSelf) conn.closeAfterReply = true;
}

function clientSetInfo(conn: Connection, argv: readonly Buffer[]): void {
  const attr = argv[2]!;
  const value = argv[3]!;
  const which = asciiLower(cString(attr));
  if (which !== "lib-name" && which !== "lib-ver") return conn.reply(err(`ERR Unrecognized option '${cString(attr)}'`));
  if (!validClientAttribute(value)) {
    return conn.reply(err(`ERR ${cString(attr)} cannot contain spaces, newlines or special characters.`));
  }
  if (which === "lib-name") conn.libName = value.toString("latin1");
  else conn.libVer = value.toString("latin1");
  conn.reply(OK);
}

function clientReply(conn: Connection, argv: readonly Buffer[]): void {
  const mode = argv[2];
  if (argIs(mode, "on")) {
    conn.replyOff = false;
    conn.skipNext = false;
    conn.reply(OK);
  } else if (argIs(mode, "off")) {
    conn.replyOff = true;
  } else if (argIs(mode, "skip")) {
    if (!conn.replyOff) conn.skipNext = true;
  } else {
    conn.reply(SYNTAX_ERROR);
  }
}

function clientPause(conn: Connection, argv: readonly Buffer[]): void {
  if (argv.length !== 3 && argv.length !== 4) return conn.reply(subcommandSyntaxError(argv));
  let mode: "all" | "write" = "all";
  if (argv.length === 4) {
    if (argIs(argv[3], "write")) mode = "write";
    else if (!argIs(argv[3], "all")) return conn.reply(err("ERR CLIENT PAUSE mode must be WRITE or ALL"));
  }
  const ms = parseRedisInteger(argv[2]!.toString("latin1"));
  if (ms === undefined) return conn.reply(err("ERR timeout is not an integer or out of range"));
  if (ms < 0n) return conn.reply(err("ERR timeout is negative"));
  const now = Date.now();
  // A zero timeout means "already over" (Redis keeps 0 as the end time).
  const until = ms === 0n ? 0 : Number(ms) + now;
  const current = conn.core.pause();
  conn.core.setPause({
    until: Math.max(until, current?.until ?? 0),
    mode: current?.mode === "all" || mode === "all" ? "all" : "write",
  });
  conn.reply(OK);
}

function clientUnblock(conn: Connection, argv: readonly Buffer[]): void {
  if (argv.length !== 3 && argv.length !== 4) return conn.reply(subcommandSyntaxError(argv));
  if (argv.length === 4 && !argIs(argv[3], "timeout") && !argIs(argv[3], "error")) {
    return conn.reply(err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"));
  }
  if (parseRedisInteger(argv[2]!.toString("latin1")) === undefined) return conn.reply(NOT_AN_INTEGER);
  // Nothing ever blocks in sentinel mode.
  conn.reply(integer(0));
}

function clientTracking(conn: Connection, argv: readonly Buffer[]): void {
  let redirect = 0;
  let bcast = false;
  let optin = false;
  let optout = false;
  let noloop = false;
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j];
    if (argIs(opt, "redirect") && more > 0) {
      j++;
      if (redirect !== 0) return conn.reply(err("ERR A client can only redirect to a single other client"));
      const id = parseRedisInteger(argv[j]!.toString("latin1"));
      if (id === undefined) return conn.reply(NOT_AN_INTEGER);
      if (!conn.core.connections.has(Number(id))) return conn.reply(err("ERR The client ID you want redirect to does not exist"));
      redirect = Number(id);
    } else if (argIs(opt, "bcast")) {
      bcast = true;
    } else if (argIs(opt, "optin")) {
      optin = true;
    } else if (argIs(opt, "optout")) {
      optout = true;
    } else if (argIs(opt, "noloop")) {
      noloop = true;
    } else if (argIs(opt, "prefix") && more > 0) {
      j++;
      prefixes.push(bytesToBinary(argv[j]!));
    } else {
      return conn.reply(SYNTAX_ERROR);
    }
  }
  if (argIs(argv[2], "off")) {
    conn.tracking = TRACKING_OFF;
    return conn.reply(OK);
  }
  if (!argIs(argv[2], "on")) return conn.reply(SYNTAX_ERROR);
  const old = conn.tracking;
  if (!bcast && prefixes.length > 0) return conn.reply(err("ERR PREFIX option requires BCAST mode to be enabled"));
  if (old.on && old.bcast !== bcast) {
    return conn.reply(
      err("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode."),
    );
  }
  if (bcast && (optin || optout)) return conn.reply(err("ERR OPTIN and OPTOUT are not compatible with BCAST"));
  if (optin && optout) return conn.reply(err("ERR You can't specify both OPTIN mode and OPTOUT mode"));
  if ((optin && old.optout) || (optout && old.optin)) {
    return conn.reply(
      err("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode."),
    );
  }
  const collision = prefixCollision(old.on ? old.prefixes : [], prefixes);
  if (collision) return conn.reply(err(collision));
  const merged = bcast ? [...(old.on ? old.prefixes : [])] : [];
  const added = bcast && prefixes.length === 0 ? [""] : prefixes;
  for (const p of added) if (!merged.includes(p)) merged.push(p);
  const next: TrackingState = { on: true, redirect, bcast, optin, optout, noloop, prefixes: merged };
  conn.tracking = next;
  conn.reply(OK);
}

/** Broadcast prefixes of one client must not be prefixes of one another. */
function prefixCollision(existing: readonly string[], added: readonly string[]): string | undefined {
  const overlaps = (a: string, b: string): boolean => a.startsWith(b) || b.startsWith(a);
  for (let i = 0; i < added.length; i++) {
    const p = added[i]!;
    const old = existing.find((e) => overlaps(e, p));
    if (old !== undefined) {
      return `ERR Prefix '${p}' overlaps with an existing prefix '${old}'. Prefixes for a single client must not overlap.`;
    }
    for (let j = i + 1; j < added.length; j++) {
      if (overlaps(p, added[j]!)) {
        return `ERR Prefix '${p}' overlaps with another provided prefix '${added[j]}'. Prefixes for a single client must not overlap.`;
      }
    }
  }
  return undefined;
}

function trackingInfo(conn: Connection): Reply {
  const t = conn.tracking;
  const flags = [t.on ? "on" : "off"];
  if (t.bcast) flags.push("bcast");
  if (t.optin) flags.push("optin");
  if (t.optout) flags.push("optout");
  if (conn.cachingFlag) flags.push(t.optin ? "caching-yes" : "caching-no");
  if (t.noloop) flags.push("noloop");
  return map([
    [bulk("flags"), set(flags.map((f) => bulk(f)))],
    [bulk("redirect"), integer(t.on ? t.redirect : -1)],
    [bulk("prefixes"), array(t.prefixes.map((p) => bulk(Buffer.from(p, "latin1"))))],
  ]);
}

function clientCaching(conn: Connection, argv: readonly Buffer[]): void {
  const t = conn.tracking;
  if (!t.on) {
    return conn.reply(
      err("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled"),
    );
  }
  if (argIs(argv[2], "yes")) {
    if (!t.optin) return conn.reply(err("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode."));
  } else if (argIs(argv[2], "no")) {
    if (!t.optout) return conn.reply(err("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."));
  } else {
    return conn.reply(SYNTAX_ERROR);
  }
  conn.cachingFlag = true;
  conn.reply(OK);
}

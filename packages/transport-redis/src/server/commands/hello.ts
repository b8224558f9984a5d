import { dialectIdentity } from "../../dialect.js";
import { array, bulk, integer, map } from "../../resp/reply.js";
import { parseRedisInteger } from "../../resp/string-to-integer.js";
import { argIs, cString } from "../byte-string.js";
import { err, WRONGPASS } from "../errors.js";
import { authenticate } from "./auth.js";
import { setClientName } from "./client-name.js";
import type { Invocation } from "./invocation.js";

const NOAUTH_HELLO = err(
  "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
);

/**
 * HELLO [protover [AUTH user pass] [SETNAME name]]: options are validated first, then AUTH,
 * then the authentication requirement, then SETNAME, and only then the protocol switch — so a
 * failing SETNAME leaves the protocol unchanged, as in Redis. The reply is Sentinel's 6-entry map.
 */
export function helloCommand({ conn, argv }: Invocation): void {
  let version = 0;
  let next = 1;
  if (argv.length >= 2) {
    const v = parseRedisInteger(argv[1]!.toString("latin1"));
    next = 2;
    if (v === undefined) {
      conn.reply(err("ERR Protocol version is not an integer or out of range"));
      return;
    }
    if (v < 2n || v > 3n) {
      conn.reply(err("NOPROTO unsupported protocol version"));
      return;
    }
    version = Number(v);
  }
  let auth: [Buffer, Buffer] | undefined;
  let name: Buffer | undefined;
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    if (argIs(argv[j], "auth") && more >= 2) {
      auth = [argv[j + 1]!, argv[j + 2]!];
      j += 2;
    } else if (argIs(argv[j], "setname") && more >= 1) {
      name = argv[j + 1]!;
      j++;
    } else {
      conn.reply(err(`ERR Syntax error in HELLO option '${cString(argv[j]!)}'`));
      return;
    }
  }
  if (auth && !authenticate(conn, argv, auth[0], auth[1])) {
    conn.reply(WRONGPASS);
    return;
  }
  if (conn.authRequired()) {
    conn.reply(NOAUTH_HELLO);
    return;
  }
  if (name && !setClientName(conn, name)) return;
  if (version) conn.protocol = version as 2 | 3;
  const identity = dialectIdentity(conn.core.settings.dialect);
  conn.reply(
    map([
      [bulk("server"), bulk(identity.server)],
      [bulk("version"), bulk(identity.version)],
      [bulk("proto"), integer(conn.protocol)],
      [bulk("id"), integer(conn.id)],
      [bulk("mode"), bulk("sentinel")],
      [bulk("modules"), array([])],
    ]),
  );
}

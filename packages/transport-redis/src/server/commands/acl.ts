import { randomBytes } from "node:crypto";
import { array, bulk, double, integer, map, NULL, OK, type Reply, simple } from "../../resp/reply.js";
import { parseRedisInteger } from "../../resp/string-to-integer.js";
import { DEFAULT_USER } from "../acl-store.js";
import { channelsDescription, describeUser, keysDescription, userFlags } from "../acl-user.js";
import { argIs, asciiLower, binaryToBytes, bytesToBinary, cString } from "../byte-string.js";
import { err, NOT_AN_INTEGER, subcommandSyntaxError, wrongArityError } from "../errors.js";
import { channelDenial } from "../permissions.js";
import { walkCommands } from "./command.js";
import type { Invocation } from "./invocation.js";

const NO_ACL_FILE = err(
  "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.",
);
const bytes = (s: string): Reply => bulk(binaryToBytes(s));

/**
 * ACL <subcommand> for the users the server knows. Users live in memory only: there is no ACL
 * file, so LOAD and SAVE answer Redis's "not configured to use an ACL file".
 */
export function aclCommand({ conn, argv, spec }: Invocation): void {
  const acl = conn.core.acl;
  switch (spec.fullName) {
    case "acl|whoami":
      return conn.reply(bytes(conn.user.name));
    case "acl|users":
      return conn.reply(array(acl.list().map((u) => bytes(u.name))));
    case "acl|list":
      return conn.reply(array(acl.list().map((u) => bytes(`user ${u.name} ${describeUser(u)}`))));
    case "acl|getuser": {
      const u = acl.get(bytesToBinary(argv[2]!));
      if (!u) return conn.reply(NULL);
      return conn.reply(
        map([
          [bulk("flags"), array(userFlags(u).map((f) => bulk(f)))],
          [bulk("passwords"), array(u.passwords.map((p) => bulk(p)))],
          [bulk("commands"), bulk(u.allCommands ? "+@all" : "-@all")],
          [bulk("keys"), bytes(keysDescription(u).join(" "))],
          [bulk("channels"), bytes(u.allChannels ? "&*" : channelsDescription(u).slice(1).join(" "))],
          [bulk("selectors"), array([])],
        ]),
      );
    }
    case "acl|setuser": {
      const failure = acl.setUser(bytesToBinary(argv[2]!), argv.slice(3).map(bytesToBinary));
      return conn.reply(failure ? err(`ERR ${failure}`) : OK);
    }
    case "acl|deluser":
      return aclDelUser(inv(conn, argv));
    case "acl|cat":
      return aclCat(inv(conn, argv));
    case "acl|genpass":
      return aclGenPass(inv(conn, argv));
    case "acl|log":
      return aclLog(inv(conn, argv));
    case "acl|dryrun":
      return aclDryRun(inv(conn, argv));
    case "acl|load":
    case "acl|save":
      return conn.reply(NO_ACL_FILE);
    case "acl|help":
      return conn.reply(array(conn.core.settings.data.ACL_HELP.map((l) => simple(l))));
    default:
      return conn.reply(subcommandSyntaxError(argv));
  }
}

type Call = Pick<Invocation, "conn" | "argv">;
const inv = (conn: Invocation["conn"], argv: Invocation["argv"]): Call => ({ conn, argv });

/** Deleting a user disconnects its clients (the caller itself after its reply). */
function aclDelUser({ conn, argv }: Call): void {
  const names = argv.slice(2).map(bytesToBinary);
  if (names.includes(DEFAULT_USER)) return conn.reply(err("ERR The 'default' user cannot be removed"));
  let deleted = 0;
  let selfKilled = false;
  for (const name of names) {
    if (!conn.core.acl.deleteUser(name)) continue;
    deleted++;
    if (conn.core.kill({ user: name }, conn).includesSelf) selfKilled = true;
  }
  conn.reply(integer(deleted));
  if (selfKilled) conn.closeAfterReply = true;
}

function aclCat({ conn, argv }: Call): void {
  const categories = conn.core.settings.data.ACL_CATEGORIES;
  if (argv.length === 2) return conn.reply(array(categories.map((c) => bulk(c))));
  const category = asciiLower(cString(argv[2]!));
  if (!categories.includes(category)) return conn.reply(err(`ERR Unknown category '${cString(argv[2]!)}'`));
  const names = walkCommands(conn.core.table).filter((c) => c.categories.has(category));
  conn.reply(array(names.map((c) => bulk(c.fullName))));
}

/** ACL GENPASS [bits]: `ceil(bits/4)` random hex digits, 256 bits by default. */
function aclGenPass({ conn, argv }: Call): void {
  let bits = 256;
  if (argv.length > 2) {
    const n = parseRedisInteger(argv[2]!.toString("latin1"));
    if (n === undefined) return conn.reply(NOT_AN_INTEGER);
    if (n <= 0n || n > 4096n) {
      return conn.reply(
        err("ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096"),
      );
    }
    bits = Number(n);
  }
  const chars = Math.ceil(bits / 4);
  conn.reply(bulk(randomBytes(Math.ceil(chars / 2)).toString("hex").slice(0, chars)));
}

/** ACL LOG [count | RESET]: newest first, 10 by default. */
function aclLog({ conn, argv }: Call): void {
  let count = 10;
  if (argv.length === 3) {
    if (argIs(argv[2], "reset")) {
      conn.core.aclLog.reset();
      return conn.reply(OK);
    }
    const n = parseRedisInteger(argv[2]!.toString("latin1"));
    if (n === undefined) return conn.reply(NOT_AN_INTEGER);
    count = n < 0n ? 0 : Number(n);
  } else if (argv.length > 3) {
    return conn.reply(subcommandSyntaxError(argv));
  }
  const now = Date.now();
  conn.reply(
    array(
      conn.core.aclLog.latest(count).map((e) =>
        map([
          [bulk("count"), integer(e.count)],
          [bulk("reason"), bulk(e.reason)],
          [bulk("context"), bulk(e.context)],
          [bulk("object"), bytes(e.object)],
          [bulk("username"), bytes(e.username)],
          [bulk("age-seconds"), double((now - e.createdAt) / 1000)],
          [bulk("client-info"), bytes(e.clientInfo)],
        ]),
      ),
    ),
  );
}

/** ACL DRYRUN user command [arg ...]: `+OK` or the denial as a bulk string (not an error). */
function aclDryRun({ conn, argv }: Call): void {
  const user = conn.core.acl.get(bytesToBinary(argv[2]!));
  if (!user) return conn.reply(err(`ERR User '${cString(argv[2]!)}' not found`));
  const call = argv.slice(3);
  const spec = conn.core.table.lookup(call);
  if (!spec) return conn.reply(err(`ERR Command '${cString(argv[3]!)}' not found`));
  if ((spec.arity > 0 && spec.arity !== call.length) || call.length < -spec.arity) return conn.reply(wrongArityError(spec.fullName));
  if (spec.flags.has("no_auth")) return conn.reply(OK);
  if (!user.allCommands) return conn.reply(bulk(`This user has no permissions to run the '${spec.fullName}' command`));
  const channel = channelDenial(user, spec.fullName, call);
  if (channel !== undefined) return conn.reply(bytes(`This user has no permissions to access the '${channel}' channel`));
  conn.reply(OK);
}

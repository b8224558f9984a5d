import { OK } from "../../resp/reply.js";
import type { AclUser } from "../acl-user.js";
import { bytesToBinary, cString } from "../byte-string.js";
import { clientListLine } from "../client-list.js";
import type { Connection } from "../connection.js";
import { err, SYNTAX_ERROR, WRONGPASS } from "../errors.js";
import type { Invocation } from "./invocation.js";

const NO_DEFAULT_PASSWORD = err(
  "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
);

/**
 * Redis's `ACLAuthenticateUser`: on success the connection runs as the user; on failure an
 * `auth` entry goes to ACL LOG (object = the command as typed) and the old identity stays.
 */
export function authenticate(conn: Connection, argv: readonly Buffer[], username: Buffer, password: Buffer): AclUser | undefined {
  const name = bytesToBinary(username);
  const user = conn.core.acl.authenticate(name, password);
  if (user) {
    conn.user = user;
    conn.authenticated = true;
    return user;
  }
  conn.core.aclLog.add({
    reason: "auth",
    context: "toplevel",
    object: cString(argv[0]!),
    username: name,
    createdAt: Date.now(),
    clientInfo: clientListLine(conn),
  });
  return undefined;
}

/** AUTH [username] password. */
export function authCommand({ conn, argv }: Invocation): void {
  if (argv.length > 3) {
    conn.reply(SYNTAX_ERROR);
    return;
  }
  let username: Buffer;
  let password: Buffer;
  if (argv.length === 2) {
    // The one-argument form keeps its pre-ACL error when `default` has no password.
    if (conn.core.acl.defaultUser.nopass) {
      conn.reply(NO_DEFAULT_PASSWORD);
      return;
    }
    username = Buffer.from("default");
    password = argv[1]!;
  } else {
    username = argv[1]!;
    password = argv[2]!;
  }
  conn.reply(authenticate(conn, argv, username, password) ? OK : WRONGPASS);
}

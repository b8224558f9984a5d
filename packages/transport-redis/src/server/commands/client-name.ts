import type { Connection } from "../connection.js";
import { err } from "../errors.js";

const BAD_NAME = err("ERR Client names cannot contain spaces, newlines or special characters.");

/**
 * Redis's client attribute charset: printable ASCII without space (`!`..`~`), so CLIENT LIST
 * stays splittable on spaces.
 */
export function validClientAttribute(value: Buffer): boolean {
  for (const b of value) if (b < 0x21 || b > 0x7e) return false;
  return true;
}

/** `clientSetNameOrReply`: an empty name clears it; an invalid one is answered with the error. */
export function setClientName(conn: Connection, name: Buffer): boolean {
  if (!validClientAttribute(name)) {
    conn.reply(BAD_NAME);
    return false;
  }
  conn.name = name.toString("latin1");
  return true;
}

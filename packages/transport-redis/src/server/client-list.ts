import type { Connection } from "./connection.js";

/**
 * CLIENT LIST flags: `P` Pub/Sub, `t` tracking, `B` broadcast tracking, `c` close after reply,
 * `e` no-evict; `N` when none. (Replica, master, MULTI and blocking flags cannot occur here.)
 */
function flags(c: Connection): string {
  let f = "";
  if (c.isPubSub()) f += "P";
  if (c.tracking.on) f += "t";
  if (c.tracking.bcast) f += "B";
  if (c.closeAfterReply) f += "c";
  if (c.noEvict) f += "e";
  return f === "" ? "N" : f;
}

/**
 * One CLIENT LIST / CLIENT INFO line in the dialect's format: Redis 7.0's; 7.2 adds `lib-name` and
 * `lib-ver`; Valkey 8 also `watch` (always 0: no MULTI here) and the per-client totals.
 * Memory figures describe this implementation: `qbuf` is unparsed request bytes, `omem`/`obl`
 * unsent reply bytes; Redis's read-buffer fields (`rbs`, `rbp`, `qbuf-free`) have no equivalent
 * and read 0. `fd` is the connection's position in the accept order, not a descriptor.
 */
export function clientListLine(c: Connection, now = Date.now()): string {
  const qbuf = c.queryBufferBytes();
  const omem = c.outputBufferBytes();
  const dialect = c.core.settings.dialect;
  const fields: [string, string | number][] = [
    ["id", c.id],
    ["addr", c.addr],
    ["laddr", c.laddr],
    ["fd", c.id],
    ["name", c.name],
    ["age", Math.floor((now - c.createdAt) / 1000)],
    ["idle", Math.floor((now - c.lastInteractionAt) / 1000)],
    ["flags", flags(c)],
    ["db", 0],
    ["sub", c.channels.size],
    ["psub", c.patterns.size],
    ["ssub", 0],
    ["multi", -1],
    ...(dialect === "valkey-8" ? [["watch", 0] as [string, number]] : []),
    ["qbuf", qbuf],
    ["qbuf-free", 0],
    ["argv-mem", c.argvBytes],
    ["multi-mem", 0],
    ["rbs", 0],
    ["rbp", 0],
    ["obl", omem],
    ["oll", 0],
    ["omem", omem],
    ["tot-mem", qbuf + omem + c.argvBytes],
    ["events", omem > 0 ? "rw" : "r"],
    ["cmd", c.lastCommand],
    ["user", c.user.name],
    ["redir", c.tracking.on ? c.tracking.redirect : -1],
    ["resp", c.protocol],
  ];
  if (dialect !== "redis-7.0") fields.push(["lib-name", c.libName], ["lib-ver", c.libVer]);
  if (dialect === "valkey-8") fields.push(["tot-net-in", c.totNetIn], ["tot-net-out", c.totNetOut], ["tot-cmds", c.totCmds]);
  return fields.map(([k, v]) => `${k}=${v}`).join(" ");
}

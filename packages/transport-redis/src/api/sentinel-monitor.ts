import { toInt32, toUint32 } from "@vigil/core";
import { error, OK, type Reply } from "../resp/reply.js";
import { parseRedisInteger } from "../resp/string-to-integer.js";
import { FLUSH_FAILED, NO_SUCH_MASTER } from "./errors.js";
import { canonicalIp } from "./ip-address.js";
import type { ApiScope } from "./scope.js";

const INVALID_ADDRESS = error("ERR Invalid IP address or hostname specified");

/**
 * `SENTINEL MONITOR <name> <ip> <port> <quorum>`, with Sentinel's checks in Sentinel's order:
 * quorum must parse (`Invalid quorum`), then port (`Invalid port`), quorum ≥ 1, the address must be
 * an IP literal (or, with `resolve-hostnames yes`, a resolvable name), then instance creation: port
 * in 0..65535 after C's `int` conversion (`Invalid port number.`), name unused (`Duplicate master
 * name.`). Then the config is flushed (`+OK` or the flush error) and `+monitor` is published.
 *
 * Deliberate differences: an empty name is refused (`Master name can't be empty.`, as the config
 * loader does; Sentinel would write a config it cannot read back), and so is a quorum that C's
 * `unsigned int` conversion turns into 0 (e.g. 4294967296). A hostname accepted under
 * `resolve-hostnames yes` is resolved (`ctx.resolveHost`) and kept next to the address: Sentinel
 * shows the resolved IP unless `announce-hostnames yes`.
 */
export function monitorCommand(s: ApiScope, argv: readonly string[]): Reply {
  const [, , name, host, portText, quorumText] = argv as [string, string, string, string, string, string];
  const quorum = parseRedisInteger(quorumText);
  if (quorum === undefined) return error("ERR Invalid quorum");
  const port = parseRedisInteger(portText);
  if (port === undefined) return error("ERR Invalid port");
  if (quorum <= 0n) return error("ERR Quorum must be 1 or greater.");

  let addr = canonicalIp(host);
  let hostname: string | undefined;
  if (addr === undefined) {
    if (!s.engine.global.resolveHostnames || host === "") return INVALID_ADDRESS;
    // Like Sentinel: connect to the resolved address, keep the name for announce-hostnames yes.
    const resolved = s.ctx.resolveHost === undefined ? host : s.ctx.resolveHost(host);
    if (resolved === null) return INVALID_ADDRESS;
    addr = resolved;
    if (resolved !== host) hostname = host;
  }
  const port32 = toInt32(port);
  if (port32 < 0 || port32 > 65535) return error("ERR Invalid port number.");
  if (s.engine.view().master(name) !== undefined) return error("ERR Duplicate master name.");
  if (name === "") return error("ERR Master name can't be empty.");
  const quorum32 = toUint32(quorum);
  if (quorum32 === 0) return error("ERR Quorum must be 1 or greater.");

  const ok = s.runtime.apply(s.engine.monitor(s.now, { name, host: addr, port: port32, quorum: quorum32, ...(hostname === undefined ? {} : { hostname }) }));
  return ok ? OK : FLUSH_FAILED;
}

/** `SENTINEL REMOVE <name>`: `-monitor`, forget it, flush (`+OK` or the flush error). */
export function removeCommand(s: ApiScope, argv: readonly string[]): Reply {
  const name = argv[2]!;
  if (s.engine.view().master(name) === undefined) return NO_SUCH_MASTER;
  return s.runtime.apply(s.engine.remove(s.now, name)) ? OK : FLUSH_FAILED;
}

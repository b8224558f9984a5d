import { array, bulk, integer, type Reply } from "../resp/reply.js";
import { parseRedisInteger } from "../resp/string-to-integer.js";
import { NOT_AN_INTEGER } from "./errors.js";
import { canonicalIp } from "./ip-address.js";
import type { ApiScope } from "./scope.js";

/**
 * `SENTINEL IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid|*>` (and Valkey's
 * `IS-PRIMARY-DOWN-BY-ADDR`), §9.3: `[down (0/1), leader runid or "*", leader epoch]`.
 *
 * The master is found by address (an IP literal is compared in canonical form, `127.1` =
 * `127.0.0.1`). A vote request (runid ≠ `*`) may cast a vote, which must be on disk before the
 * answer leaves: the engine's output (persist first) is carried out before the reply is built, and
 * the vote is answered even if the write failed, as Sentinel does.
 *
 * Difference: a negative epoch is not cast to an unsigned 64-bit one (Sentinel would then raise its
 * current epoch to ~1.8e19); it can never win a vote and just returns the current one.
 */
export function isMasterDownCommand(s: ApiScope, argv: readonly string[]): Reply {
  const port = parseRedisInteger(argv[3]!);
  const epoch = parseRedisInteger(argv[4]!);
  if (port === undefined || epoch === undefined) return NOT_AN_INTEGER;
  const host = canonicalIp(argv[2]!) ?? argv[2]!;
  const { reply, output } = s.engine.isMasterDownByAddr(s.now, host, Number(port), Number(epoch), argv[5]!);
  s.runtime.apply(output);
  const [down, leader, leaderEpoch] = reply;
  return array([integer(down), bulk(leader), integer(leaderEpoch)]);
}

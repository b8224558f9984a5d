import type { Address, MinReplicasConfig } from "@vigil/core";

/**
 * §21.2: the reconfiguration transaction, renamed by `n` — MULTI, SLAVEOF, CONFIG REWRITE, CLIENT
 * KILL TYPE normal, CLIENT KILL TYPE pubsub, then EXEC — with the operator's `min-replicas-*`
 * restored inside it (before CONFIG REWRITE) when `operator` is given: a stale-master fence must
 * never reach the instance's config file. `exec` apart: its reply is the transaction's outcome.
 */
export function reconfigureCommands(
  n: (cmd: string) => string,
  target: Address | null,
  operator: MinReplicasConfig | null,
): { readonly queued: readonly string[][]; readonly exec: readonly string[] } {
  const queued: string[][] = [[n("MULTI")]];
  queued.push(target ? [n("SLAVEOF"), target.host, String(target.port)] : [n("SLAVEOF"), "NO", "ONE"]);
  if (operator) queued.push([n("CONFIG"), "SET", "min-replicas-to-write", String(operator.toWrite), "min-replicas-max-lag", String(operator.maxLag)]);
  queued.push([n("CONFIG"), "REWRITE"], [n("CLIENT"), "KILL", "TYPE", "normal"], [n("CLIENT"), "KILL", "TYPE", "pubsub"]);
  return { queued, exec: [n("EXEC")] };
}

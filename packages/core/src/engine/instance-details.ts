import type { Address } from "../util/address.js";
import { linkDisconnected } from "./records.js";
import type { InstanceView } from "./views/view-types.js";

/** What `%@` names of an instance (records inside core and views outside both have it). */
interface Named {
  readonly kind: "master" | "replica" | "sentinel";
  readonly name: string;
  readonly addr: Address;
}

/**
 * `%@` (§16.1): `master <name> <ip> <port>`, or `<kind> <name> <ip> <port> @ <master> <ip> <port>`.
 * `masterHost` is how the master's address is shown (`announced-address.ts`; default its address).
 */
export function instanceDetails(inst: Named, master: Named, masterHost = master.addr.host): string {
  if (inst.kind === "master") return `master ${inst.name} ${masterHost} ${inst.addr.port}`;
  const kind = inst.kind === "replica" ? "slave" : "sentinel";
  return `${kind} ${inst.name} ${inst.addr.host} ${inst.addr.port} @ ${master.name} ${masterHost} ${master.addr.port}`;
}

/** The `flags` field (§1.2), names in Sentinel's fixed order, comma-joined. */
export function instanceFlags(inst: InstanceView): string {
  // Joined as it goes, not via an array: answered per SENTINEL MASTER request, and a healthy
  // instance (one flag) then costs no allocation at all.
  let f = inst.health.state === "sdown" ? "s_down" : "";
  if (inst.kind === "master" && inst.odown.state === "odown") f = join(f, "o_down");
  f = join(f, inst.kind === "replica" ? "slave" : inst.kind);
  if (linkDisconnected(inst.link)) f = join(f, "disconnected");
  if (inst.kind === "sentinel" && inst.masterDown) f = join(f, "master_down");
  if (inst.kind === "master" && inst.failover.state !== "none") f = join(f, "failover_in_progress");
  if (inst.kind === "replica") {
    if (inst.promoted) f = join(f, "promoted");
    if (inst.reconf === "sent") f = join(f, "reconf_sent");
    if (inst.reconf === "inprog") f = join(f, "reconf_inprog");
    if (inst.reconf === "done") f = join(f, "reconf_done");
  }
  if (inst.kind === "master" && inst.failover.state !== "none" && inst.failover.forced) f = join(f, "force_failover");
  if (inst.scriptKillSent) f = join(f, "script_kill_sent");
  if (inst.kind === "master" && inst.reboot) f = join(f, "master_reboot");
  return f;
}

function join(flags: string, flag: string): string {
  return flags === "" ? flag : `${flags},${flag}`;
}

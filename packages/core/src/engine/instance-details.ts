import type { InstanceRecord, MasterRecord } from "./records.js";
import { linkDisconnected } from "./records.js";

/** `%@` (§16.1): `master <name> <ip> <port>`, or `<kind> <name> <ip> <port> @ <master> <ip> <port>`. */
export function instanceDetails(inst: InstanceRecord, master: MasterRecord): string {
  if (inst.kind === "master") return `master ${inst.name} ${inst.addr.host} ${inst.addr.port}`;
  const kind = inst.kind === "replica" ? "slave" : "sentinel";
  return `${kind} ${inst.name} ${inst.addr.host} ${inst.addr.port} @ ${master.name} ${master.addr.host} ${master.addr.port}`;
}

/** The `flags` field (§1.2), names in Sentinel's fixed order, comma-joined. */
export function instanceFlags(inst: InstanceRecord, master: MasterRecord): string {
  const f: string[] = [];
  if (inst.health.value === "sdown") f.push("s_down");
  if (inst.kind === "master" && inst.odown.value === "odown") f.push("o_down");
  f.push(inst.kind === "replica" ? "slave" : inst.kind);
  if (linkDisconnected(inst.link)) f.push("disconnected");
  if (inst.kind === "sentinel" && inst.masterDown) f.push("master_down");
  if (inst.kind === "master" && inst.failover.value !== "none") f.push("failover_in_progress");
  if (inst.kind === "replica") {
    if (inst.promoted) f.push("promoted");
    if (inst.reconf === "sent") f.push("reconf_sent");
    if (inst.reconf === "inprog") f.push("reconf_inprog");
    if (inst.reconf === "done") f.push("reconf_done");
  }
  if (inst.kind === "master" && inst.failover.context.forced && inst.failover.value !== "none") f.push("force_failover");
  if (inst.scriptKillSent) f.push("script_kill_sent");
  if (inst.kind === "master" && inst.reboot) f.push("master_reboot");
  void master;
  return f.join(",");
}

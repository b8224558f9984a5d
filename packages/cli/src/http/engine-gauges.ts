import type { InstanceView, MasterView, SentinelEngine } from "@vigil/core";
import { linkDisconnected, refusedForMs, sentinelsSayingDown } from "@vigil/core";
import { Gauge, type Registry } from "prom-client";

const FAILOVER_STATES = ["none", "wait_start", "select_slave", "send_slaveof_noone", "wait_promotion", "reconf_slaves", "update_config"] as const;
const MASTER_STATES = ["up", "sdown", "odown"] as const;
/** Switchover phases as the gauge labels them; `none` when no switchover is in progress. */
const SWITCHOVER_PHASES = ["none", "electing", "selecting", "handing-over", "reconfiguring"] as const;

/**
 * The state gauges of `/metrics`: read from the engine's view at scrape time (each `collect`), so
 * they can never drift from it.
 */
export function registerEngineGauges(engine: SentinelEngine, registers: Registry[]): void {
  registerMasterStateGauges(engine, registers);
  registerInstanceGauges(engine, registers);
  registerMasterCountGauges(engine, registers);
}

/** Per master: its state, failover state and current address, one labelled series each. */
function registerMasterStateGauges(engine: SentinelEngine, registers: Registry[]): void {
  new Gauge({
    name: "vigil_master_state",
    help: "1 for the master's current state as this Sentinel sees it (up, sdown, odown).",
    labelNames: ["master", "state"],
    registers,
    collect() {
      this.reset();
      for (const m of engine.view().masters) {
        const state = m.odown.state === "odown" ? "odown" : m.health.state === "sdown" ? "sdown" : "up";
        for (const s of MASTER_STATES) this.set({ master: m.name, state: s }, s === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: "vigil_master_failover_state",
    help: "1 for the failover machine's current state of each master.",
    labelNames: ["master", "state"],
    registers,
    collect() {
      this.reset();
      for (const m of engine.view().masters) for (const s of FAILOVER_STATES) this.set({ master: m.name, state: s }, m.failover.state === s ? 1 : 0);
    },
  });
  new Gauge({
    name: "vigil_master_address_info",
    help: "1 for the address clients are given for each master (GET-MASTER-ADDR-BY-NAME).",
    labelNames: ["master", "address"],
    registers,
    collect() {
      this.reset();
      for (const m of engine.view().masters) {
        const a = m.currentAddr;
        this.set({ master: m.name, address: `${a.host}:${a.port}` }, 1);
      }
    },
  });
}

/** Per instance (the master, its replicas and sentinels): reported role, SDOWN, link, last reply. */
function registerInstanceGauges(engine: SentinelEngine, registers: Registry[]): void {
  new Gauge({
    name: "vigil_instance_reported_role",
    help: "1 for the role each instance last reported in INFO (master or slave).",
    labelNames: ["master", "address", "kind", "role"],
    registers,
    collect() {
      this.reset();
      for (const m of engine.view().masters) {
        for (const inst of [m, ...m.replicas.values()]) {
          if (inst.roleReported !== null) this.set({ master: m.name, address: instanceKey(inst), kind: kindOf(inst), role: inst.roleReported }, 1);
        }
      }
    },
  });
  new Gauge({
    name: "vigil_instance_sdown",
    help: "1 when this Sentinel sees the instance subjectively down.",
    labelNames: ["master", "address", "kind"],
    registers,
    collect() {
      this.reset();
      for (const m of engine.view().masters) {
        for (const inst of instances(m)) this.set({ master: m.name, address: instanceKey(inst), kind: kindOf(inst) }, inst.health.state === "sdown" ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: "vigil_instance_link_up",
    help: "1 when every connection this Sentinel needs to the instance is up.",
    labelNames: ["master", "address", "kind"],
    registers,
    collect() {
      this.reset();
      for (const m of engine.view().masters) {
        for (const inst of instances(m)) this.set({ master: m.name, address: instanceKey(inst), kind: kindOf(inst) }, linkDisconnected(inst.link) ? 0 : 1);
      }
    },
  });
  new Gauge({
    name: "vigil_instance_last_reply_age_seconds",
    help: "Seconds since the instance last gave an acceptable PING reply.",
    labelNames: ["master", "address", "kind"],
    registers,
    collect() {
      this.reset();
      const now = Date.now();
      for (const m of engine.view().masters) {
        for (const inst of instances(m)) this.set({ master: m.name, address: instanceKey(inst), kind: kindOf(inst) }, Math.max(0, now - inst.link.lastAvailTime) / 1000);
      }
    },
  });
}

/** Per master: the switchover phase and its counts and settings; then the epoch and TILT. */
function registerMasterCountGauges(engine: SentinelEngine, registers: Registry[]): void {
  const perMaster = (name: string, help: string, read: (m: MasterView) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["master"],
      registers,
      collect() {
        this.reset();
        for (const m of engine.view().masters) this.set({ master: m.name }, read(m));
      },
    });
  new Gauge({
    name: "vigil_switchover_phase",
    help: "1 for the phase of the coordinated switchover in progress (electing, selecting, handing-over, reconfiguring), or none.",
    labelNames: ["master", "phase"],
    registers,
    collect() {
      this.reset();
      for (const m of engine.view().masters) {
        const phase = m.switchover && m.switchover.outcome === null ? m.switchover.phase : "none";
        for (const p of SWITCHOVER_PHASES) this.set({ master: m.name, phase: p }, p === phase ? 1 : 0);
      }
    },
  });
  perMaster("vigil_master_known_replicas", "Replicas known for the master.", (m) => m.replicas.size);
  perMaster("vigil_master_known_sentinels", "Other Sentinels known for the master (this one not counted).", (m) => m.sentinels.size);
  perMaster("vigil_master_quorum", "Configured quorum of the master.", (m) => m.settings.quorum);
  perMaster("vigil_master_crash_down_after_seconds", "vigil-crash-down-after of the master (0 = crash detection off).", (m) => m.settings.crashDownAfterMs / 1000);
  perMaster("vigil_master_refused_seconds", "How long every connection attempt to the master has been actively refused (0 = not refused).", (m) => refusedForMs(m.link) / 1000);
  perMaster("vigil_master_config_epoch", "Config epoch of the master.", (m) => m.configEpoch);
  perMaster("vigil_master_usable_sentinels", "Sentinels (this one included) not SDOWN, as SENTINEL CKQUORUM counts them.", (m) => {
    let n = 1;
    for (const s of m.sentinels.values()) if (s.health.state !== "sdown") n++;
    return n;
  });
  perMaster(
    "vigil_master_sentinels_agreeing",
    "Sentinels currently saying the master is down (this one only while it sees it SDOWN).",
    (m) => sentinelsSayingDown(m).count,
  );
  new Gauge({
    name: "vigil_current_epoch",
    help: "This Sentinel's current epoch.",
    registers,
    collect() {
      this.set(engine.currentEpoch());
    },
  });
  new Gauge({
    name: "vigil_tilt",
    help: "1 while this Sentinel is in TILT mode.",
    registers,
    collect() {
      this.set(engine.inTilt() ? 1 : 0);
    },
  });
}

function instances(m: MasterView): InstanceView[] {
  return [m, ...m.replicas.values(), ...m.sentinels.values()];
}

function kindOf(inst: InstanceView): string {
  return inst.kind;
}

/** `host:port` of an instance, as the gauges label it. */
export function instanceKey(inst: InstanceView): string {
  return `${inst.addr.host}:${inst.addr.port}`;
}

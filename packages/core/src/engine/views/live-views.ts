import type { SnapshotFrom } from "xstate";
import type { FailoverStateName, failoverMachine } from "../../machines/failover.machine.js";
import type { instanceHealthMachine, SdownCause } from "../../machines/instance-health.machine.js";
import type { odownMachine } from "../../machines/odown.machine.js";
import type { Address } from "../../util/address.js";
import type { EngineContext } from "../context/engine-context.js";
import type { InstanceBase, MasterRecord, ReplicaRecord, SentinelRecord } from "../records.js";
import { currentAddress, rankingInputs } from "./engine-views.js";
import type {
  EngineView,
  FailoverView,
  HealthView,
  InstanceView,
  LinkView,
  MachineStateView,
  MasterView,
  OdownView,
  RankingView,
  ReplicaView,
  SentinelView,
} from "./view-types.js";

// Views are thin objects with getters over the live records: a request reads exactly the fields it
// shows, and nothing is copied. One view per record (cached), so repeated reads allocate nothing.

const UP: HealthView = Object.freeze({ state: "up" });
const CLEAR: OdownView = Object.freeze({ state: "clear" });

function healthOf(s: SnapshotFrom<typeof instanceHealthMachine>): HealthView {
  return s.value === "sdown" ? { state: "sdown", since: s.context.sdownSince, cause: s.context.cause as SdownCause } : UP;
}

function odownOf(s: SnapshotFrom<typeof odownMachine>): OdownView {
  return s.value === "odown" ? { state: "odown", since: s.context.odownSince } : CLEAR;
}

function failoverOf(s: SnapshotFrom<typeof failoverMachine>): FailoverView {
  const c = s.context;
  const state = s.value as FailoverStateName;
  if (state === "none") return { state, epoch: c.failoverEpoch, startTime: c.startTime, stateChangeTime: c.stateChangeTime };
  return { state, epoch: c.failoverEpoch, startTime: c.startTime, stateChangeTime: c.stateChangeTime, forced: c.forced, coordinated: c.coordinated, promoted: c.promoted };
}

function machineOf(s: { readonly value: unknown; readonly context: object }): MachineStateView {
  return { ref: s, value: String(s.value), context: s.context as Readonly<Record<string, unknown>> };
}

abstract class LiveInstance<R extends InstanceBase> {
  // The union last derived and the snapshot it came from: the engine replaces a snapshot when its
  // machine moves, so an unchanged one answers with the same object (hot replies allocate nothing).
  private healthSeen: object | undefined;
  private healthView: HealthView = UP;
  constructor(protected readonly r: R) {}
  get name(): string {
    return this.r.name;
  }
  get addr(): Address {
    return this.r.addr;
  }
  get link(): LinkView {
    return this.r.link;
  }
  get health(): HealthView {
    const s = this.r.health;
    if (s !== this.healthSeen) {
      this.healthSeen = s;
      this.healthView = healthOf(s);
    }
    return this.healthView;
  }
  get healthMachine(): MachineStateView {
    return machineOf(this.r.health);
  }
  get roleReported(): "master" | "slave" | null {
    return this.r.roleReported;
  }
  get roleReportedTime(): number {
    return this.r.roleReportedTime;
  }
  get infoRefresh(): number {
    return this.r.infoRefresh;
  }
  get info(): string | null {
    return this.r.info;
  }
  get scriptKillSent(): boolean {
    return this.r.scriptKillSent;
  }
  /** A plain object of the getters' values, so a view prints and compares like data. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { kind: (this as { kind?: string }).kind };
    for (let p = Object.getPrototypeOf(this); p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
        // The machine fields hold XState snapshots: inspection only, not data.
        if (d.get && !k.endsWith("Machine") && !(k in out)) out[k] = (this as Record<string, unknown>)[k];
      }
    }
    return out;
  }
}

class LiveReplica extends LiveInstance<ReplicaRecord> implements ReplicaView {
  readonly kind = "replica";
  get runId(): string | null {
    return this.r.runId;
  }
  get masterLinkDownTime(): number {
    return this.r.masterLinkDownTime;
  }
  get slavePriority(): number {
    return this.r.slavePriority;
  }
  get replicaAnnounced(): boolean {
    return this.r.replicaAnnounced;
  }
  get slaveMasterHost(): string | null {
    return this.r.slaveMasterHost;
  }
  get slaveMasterPort(): number {
    return this.r.slaveMasterPort;
  }
  get masterLinkUp(): boolean {
    return this.r.masterLinkUp;
  }
  get replOffset(): number {
    return this.r.replOffset;
  }
  get reconf(): ReplicaView["reconf"] {
    return this.r.reconf;
  }
  get promoted(): boolean {
    return this.r.promoted;
  }
}

class LiveSentinel extends LiveInstance<SentinelRecord> implements SentinelView {
  readonly kind = "sentinel";
  get runId(): string {
    return this.r.runId;
  }
  get lastHelloTime(): number {
    return this.r.lastHelloTime;
  }
  get masterDown(): boolean {
    return this.r.masterDown;
  }
  get leader(): string | null {
    return this.r.leader;
  }
  get leaderEpoch(): number {
    return this.r.leaderEpoch;
  }
}

class LiveMaster extends LiveInstance<MasterRecord> implements MasterView {
  readonly kind = "master";
  readonly replicas: ReadonlyMap<string, ReplicaView>;
  readonly sentinels: ReadonlyMap<string, SentinelView>;
  private odownSeen: object | undefined;
  private odownView: OdownView = CLEAR;
  private failoverSeen: object | undefined;
  private failoverView: FailoverView;
  constructor(
    private readonly c: EngineContext,
    r: MasterRecord,
  ) {
    super(r);
    this.failoverView = failoverOf(r.failover);
    this.failoverSeen = r.failover;
    this.replicas = new MapView(() => this.r.replicas);
    this.sentinels = new MapView(() => this.r.sentinels);
  }
  get runId(): string | null {
    return this.r.runId;
  }
  get settings(): MasterView["settings"] {
    return this.r.settings;
  }
  get currentAddr(): Address {
    return currentAddress(this.r);
  }
  get configEpoch(): number {
    return this.r.configEpoch;
  }
  get leader(): string | null {
    return this.r.leader;
  }
  get leaderEpoch(): number {
    return this.r.leaderEpoch;
  }
  get odown(): OdownView {
    const s = this.r.odown;
    if (s !== this.odownSeen) {
      this.odownSeen = s;
      this.odownView = odownOf(s);
    }
    return this.odownView;
  }
  get failover(): FailoverView {
    const s = this.r.failover;
    if (s !== this.failoverSeen) {
      this.failoverSeen = s;
      this.failoverView = failoverOf(s);
    }
    return this.failoverView;
  }
  get odownMachine(): MachineStateView {
    return machineOf(this.r.odown);
  }
  get failoverMachine(): MachineStateView {
    return machineOf(this.r.failover);
  }
  get reboot(): boolean {
    return this.r.reboot;
  }
  get switchover(): MasterView["switchover"] {
    return this.r.switchover;
  }
  ranking(now: number): RankingView {
    const { replicas, ctx } = rankingInputs(this.c, this.r, now);
    // Without the record each entry carries inside core.
    return { replicas: replicas.map(({ record: _, ...facts }) => facts), ctx };
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), replicas: [...this.replicas.values()], sentinels: [...this.sentinels.values()] };
  }
}

/** A read-only map of views over a live map of records (looked up, never copied). */
class MapView<R extends ReplicaRecord | SentinelRecord, V> implements ReadonlyMap<string, V> {
  constructor(private readonly records: () => Map<string, R>) {}
  get size(): number {
    return this.records().size;
  }
  get(key: string): V | undefined {
    const r = this.records().get(key);
    return r === undefined ? undefined : (instanceView(r) as V);
  }
  has(key: string): boolean {
    return this.records().has(key);
  }
  *entries(): MapIterator<[string, V]> {
    for (const [k, r] of this.records()) yield [k, instanceView(r) as V];
  }
  keys(): MapIterator<string> {
    return this.records().keys();
  }
  *values(): MapIterator<V> {
    for (const r of this.records().values()) yield instanceView(r) as V;
  }
  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}

const views = new WeakMap<InstanceBase, InstanceView>();

/** The (cached) view of a replica or sentinel record. */
function instanceView(r: ReplicaRecord | SentinelRecord): InstanceView {
  let v = views.get(r);
  if (v === undefined) {
    v = r.kind === "replica" ? new LiveReplica(r) : new LiveSentinel(r);
    views.set(r, v);
  }
  return v;
}

/** The (cached) view of a master record. */
export function masterView(c: EngineContext, m: MasterRecord): MasterView {
  let v = views.get(m) as MasterView | undefined;
  if (v === undefined) {
    v = new LiveMaster(c, m);
    views.set(m, v);
  }
  return v;
}

/** The engine's view: one object per engine, reading its context on every access. */
export class LiveEngineView implements EngineView {
  constructor(private readonly c: EngineContext) {}
  get myId(): string {
    return this.c.myId;
  }
  get currentEpoch(): number {
    return this.c.epoch;
  }
  get tilt(): boolean {
    return this.c.inTilt();
  }
  get tiltSince(): number {
    return this.c.inTilt() ? this.c.tilt.context.tiltSince : 0;
  }
  get masters(): readonly MasterView[] {
    const out: MasterView[] = [];
    for (const m of this.c.masters.values()) out.push(masterView(this.c, m));
    return out;
  }
  master(name: string): MasterView | undefined {
    const m = this.c.masters.get(name);
    return m === undefined ? undefined : masterView(this.c, m);
  }
  toJSON(): Record<string, unknown> {
    return { myId: this.myId, currentEpoch: this.currentEpoch, tilt: this.tilt, tiltSince: this.tiltSince, masters: this.masters };
  }
}

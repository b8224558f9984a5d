/**
 * `@vigil/core`: the pure Sentinel brain. XState machines for instance health (SDOWN), ODOWN, TILT and
 * failover; the vote rule and leader tally; replica ranking; INFO and hello codecs; and the engine
 * that turns timestamped inputs into commands and events. No I/O, no clocks, no randomness of its own.
 *
 * @packageDocumentation
 */
export { MASTER_DEFAULTS, MasterSettingsSchema, type MasterSettings, type MasterSettingsInput } from "./settings/master-settings.js";
export { GlobalSettingsSchema, type GlobalSettings, type GlobalSettingsInput } from "./settings/global-settings.js";
export { DEBUG_KEYS, FAST_TIMING, SENTINEL_TIMING, TimingSchema, timingFor, type Timing, type TimingProfile } from "./settings/timing.js";
export { createPrng, type Prng } from "./util/prng.js";
export { addressKey, sameAddress, type Address } from "./util/address.js";
export type { InfoReport, InfoReplicaLine, InfoRejection } from "./codecs/info-report.js";
export { MAX_INFO_LENGTH, isInfoRejection, parseInfo } from "./codecs/info-parser.js";
export type { HelloMessage, HelloRejection } from "./codecs/hello-message.js";
export { HELLO_FIELD_COUNT, decodeHello, encodeHello, isHelloRejection } from "./codecs/hello-codec.js";
export {
  compareReplicas,
  describeExclusion,
  exclusionReason,
  infoValidityTime,
  maxMasterDownTime,
  rankReplicas,
  selectReplica,
  type ExclusionReason,
  type Ranking,
  type RankingContext,
  type RankingReplica,
} from "./ranking/replica-ranking.js";
export { checkQuorum, majority, requiredVotes, type CheckQuorumInput, type CheckQuorumResult } from "./election/quorum.js";
export { castVote, type VoteOutcome, type VoteState } from "./election/vote.js";
export { electedLeader, leadingCandidate, tallyVotes, type ReportedVote, type Tally } from "./election/leader-tally.js";
export { instanceHealthMachine, sdownCause, type HealthEvent, type HealthFacts, type SdownCause } from "./machines/instance-health.machine.js";
export { isObjectivelyDown, odownMachine, type OdownEvent, type OdownFacts } from "./machines/odown.machine.js";
export { tiltMachine, type TiltTick } from "./machines/tilt.machine.js";
export {
  failoverMachine,
  type FailoverContext,
  type FailoverEvent,
  type FailoverFacts,
  type FailoverStateName,
  type Subject,
} from "./machines/failover.machine.js";
export type { EngineInput, LinkKind } from "./engine/inputs.js";
export type { EngineCommand, LinkAuth } from "./engine/commands.js";
export { LEVEL_ORDER, type EventLevel, type SentinelEvent } from "./engine/events.js";
export { emptyOutput, type EngineOutput } from "./engine/output.js";
export type { KnownSentinel, PersistedMaster, PersistedState } from "./engine/persisted-state.js";
export type { InstanceBase, InstanceRecord, Link, MasterRecord, ReplicaRecord, SentinelRecord } from "./engine/records.js";
export { linkDisconnected } from "./engine/records.js";
export { instanceDetails, instanceFlags } from "./engine/instance-details.js";
export {
  SentinelEngine,
  createSentinelEngine,
  type EngineEmitter,
  type EngineView,
  type FailoverRequestResult,
  type MasterSeed,
  type MasterView,
  type SentinelEngineOptions,
} from "./engine/sentinel-engine.js";

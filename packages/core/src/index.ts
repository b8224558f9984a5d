/**
 * `@vigil/core`: the pure Sentinel brain. XState machines for instance health (SDOWN), ODOWN, TILT and
 * failover; the vote rule and leader tally; replica ranking; INFO and hello codecs; and the engine
 * that turns timestamped inputs into commands and events. No I/O, no clocks, no randomness of its own.
 *
 * @packageDocumentation
 */

export { decodeHello, encodeHello, HELLO_FIELD_COUNT, isHelloRejection } from "./codecs/hello-codec.js";
export type { HelloMessage, HelloRejection } from "./codecs/hello-message.js";
export { isInfoRejection, MAX_INFO_LENGTH, parseInfo } from "./codecs/info-parser.js";
export type { InfoRejection, InfoReplicaLine, InfoReport } from "./codecs/info-report.js";
export { type CampaignSpacing, campaignStartAt, candidateRank, MAX_STAGGER_SLOT_MS, MIN_STAGGER_SLOT_MS, PATIENCE_SLOTS, staggerSlot } from "./election/campaign-stagger.js";
export { electedLeader, leadingCandidate, type ReportedVote, type Tally, tallyVotes } from "./election/leader-tally.js";
export { type CheckQuorumInput, type CheckQuorumResult, checkQuorum, majority, requiredVotes } from "./election/quorum.js";
export { epochCannotElect, splitVoteBackoff } from "./election/split-vote.js";
export { castVote, type VoteOutcome, type VoteState } from "./election/vote.js";
export { announcedHost } from "./engine/announced-address.js";
export type { EngineCommand, LinkAuth } from "./engine/commands.js";
export { type EventLevel, LEVEL_ORDER, type SentinelEvent } from "./engine/events.js";
export { isStaleFence, type MinReplicasConfig, operatorValuesOf, staleFenceFor } from "./engine/fencing/stale-master-fence.js";
export type { EngineInput, LinkKind } from "./engine/inputs.js";
export { instanceDetails, instanceFlags } from "./engine/instance-details.js";
export { EMPTY_OUTPUT, type EngineOutput } from "./engine/output.js";
export type { KnownSentinel, PersistedMaster, PersistedState } from "./engine/persisted-state.js";
export { linkDisconnected } from "./engine/records.js";
export {
  createSentinelEngine,
  type EngineEmitter,
  type FailoverRequestResult,
  type MasterSeed,
  SentinelEngine,
  type SentinelEngineOptions,
  type SwitchoverOptions,
} from "./engine/sentinel-engine.js";
export type {
  DeepReadonly,
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
} from "./engine/views/view-types.js";
export { type InstanceEventType, SENTINEL_EVENT_TYPES, type SentinelEventType } from "./events/event-types.js";
export {
  type EventInstance,
  type HostPort,
  type InstanceEventFields,
  isSentinelEventType,
  type SentinelEventFields,
  type SentinelEventOf,
  type TypedSentinelEvent,
  typedEvent,
} from "./events/typed-event.js";
export { describeSdownCause } from "./explain/explain-down.js";
export { explainMaster } from "./explain/explain-master.js";
export { describeRankedBelow } from "./explain/explain-promotion.js";
export {
  type AgreementVerdict,
  type DownVerdict,
  type ElectionVerdict,
  type ExplainSection,
  type MasterExplanation,
  type PromotionVerdict,
  plural,
  sectionLines,
  shortId,
} from "./explain/explanation.js";
export { type FailoverPlan, planFailover } from "./explain/failover-plan.js";
export { sentinelsSayingDown } from "./explain/sentinels-saying-down.js";
export {
  crashRetryAt,
  crashRuleHolds,
  endRefusalRun,
  type LinkFailure,
  MIN_CRASH_RETRY_MS,
  nextReconnectAt,
  noteLinkFailure,
  type RefusalRun,
  reconnectPeriod,
  refusedForMs,
} from "./health/crash-detection.js";
export {
  type FailoverContext,
  type FailoverEvent,
  type FailoverFacts,
  type FailoverStateName,
  failoverMachine,
  type Subject,
} from "./machines/failover.machine.js";
export { type HealthEvent, type HealthFacts, instanceHealthMachine, type SdownCause, sdownCause } from "./machines/instance-health.machine.js";
export { isObjectivelyDown, type OdownEvent, type OdownFacts, odownMachine } from "./machines/odown.machine.js";
export { clockJumped, type TiltTick, tiltExpired, tiltMachine } from "./machines/tilt.machine.js";
export {
  compareReplicas,
  describeExclusion,
  type ExclusionReason,
  exclusionReason,
  infoValidityTime,
  maxMasterDownTime,
  type Ranking,
  type RankingContext,
  type RankingReplica,
  rankReplicas,
  selectReplica,
} from "./ranking/replica-ranking.js";
export { type GlobalSettings, type GlobalSettingsInput, GlobalSettingsSchema } from "./settings/global-settings.js";
export { MASTER_DEFAULTS, type MasterSettings, type MasterSettingsInput, MasterSettingsSchema } from "./settings/master-settings.js";
export { atoi, parseYesNo, string2ll, strtoull, toInt32, toUint32 } from "./settings/options/c-numbers.js";
export {
  type AnyMasterOption,
  findMasterOption,
  MASTER_OPTION_LIST,
  MASTER_OPTIONS,
  type MasterOptionChange,
  type MasterOptionName,
  type MasterOptionValue,
  optionNameFor,
} from "./settings/options/master-options.js";
export {
  applyLoadedOption,
  applyOptionChange,
  type ConfigOptionLookup,
  findConfigOption,
  type OptionLine,
  parseConfigOption,
  parseSetOption,
  rewriteOptions,
  rewrittenOptionNames,
  showOptionChange,
} from "./settings/options/option-changes.js";
export {
  type ConfigEnv,
  invalidSetArgument,
  type OptionNaming,
  type OptionSpec,
  type OptionTarget,
  type Parsed,
  type RewriteEnv,
  type SetEnv,
} from "./settings/options/option-spec.js";
export type { CommandRename } from "./settings/options/rename-command-option.js";
export { ADAPTIVE_PING_MAX, coalesceWindow, DEBUG_KEYS, engineTiming, FAST_TIMING, pingInterval, SENTINEL_TIMING, type Timing, type TimingProfile, TimingSchema, timingFor } from "./settings/timing.js";
export {
  DEFAULT_HANDOVER_TIMEOUT_MS,
  HANDOVER_GRACE_MS,
  HANDOVER_TIMEOUT_ERROR,
  handoverErrorReason,
  type MasterFailoverState,
  type Switchover,
  type SwitchoverAbortReason,
  type SwitchoverPhase,
  type SwitchoverPreconditions,
  type SwitchoverRefusal,
  stuckInFailover,
  switchoverRefusal,
} from "./switchover/switchover.js";
export { planSwitchover } from "./switchover/switchover-plan.js";
export {
  type CommandOf,
  composeTransport,
  executeCommand,
  executeCommands,
  type HostTransport,
  type NetworkTransport,
  type Transport,
} from "./transport/transport.js";
export { type Address, addressKey, sameAddress } from "./util/address.js";
export { canonicalIpv4, isIpLiteral } from "./util/ip-literal.js";
export { createPrng, type Prng } from "./util/prng.js";

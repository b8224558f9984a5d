/**
 * Every event name the engine publishes (Sentinel's channels plus Vigil's own). A test reads the
 * engine's and machines' sources and fails when one emits a name missing here.
 */
export const SENTINEL_EVENT_TYPES = [
  // Instances: `<kind> <name> <ip> <port> [@ <master> <ip> <port>] [extra]`.
  "+sdown",
  "-sdown",
  "+crash-sdown",
  "+odown",
  "-odown",
  "+monitor",
  "-monitor",
  "+reset-master",
  "+set",
  "+slave",
  "+sentinel",
  "+reboot",
  "+role-change",
  "-role-change",
  "+convert-to-slave",
  "+fix-slave-config",
  "+config-update-from",
  "+sentinel-address-switch",
  "+sentinel-address-update",
  "+sentinel-invalid-addr",
  "-cmd-link-reconnection",
  "-pubsub-link-reconnection",
  "+fence-stale-master",
  "-fence-stale-master",
  // Failover, in the order it goes.
  "+try-failover",
  "+elected-leader",
  "+failover-state-select-slave",
  "+selected-slave",
  "+failover-state-send-slaveof-noone",
  "+failover-state-wait-promotion",
  "+promoted-slave",
  "+failover-state-reconf-slaves",
  "+slave-reconf-sent",
  "+slave-reconf-sent-be",
  "+slave-reconf-inprog",
  "+slave-reconf-done",
  "-slave-reconf-sent-timeout",
  "+failover-end-for-timeout",
  "+failover-end",
  "-failover-abort-not-elected",
  "-failover-abort-no-good-slave",
  "-failover-abort-slave-timeout",
  // Coordinated switchover (Vigil): detail `#to <ip:port|best> timeout <ms>`, `#timeout <ms>`, `#<reason>`.
  "+switchover-start",
  "+switchover-handover",
  "-switchover-abort",
  "-failover-abort-switchover",
  "+abort-stuck-failover",
  // Payloads of their own.
  "+switch-master",
  "+switchover-end",
  "+new-epoch",
  "+vote-for-leader",
  "+tilt",
  "-tilt",
  "-hello-rejected",
  "-info-rejected",
] as const;

/** The name of an event the engine publishes. */
export type SentinelEventType = (typeof SENTINEL_EVENT_TYPES)[number];

/** Events whose payload is not an instance description. */
type OwnPayload = "+switch-master" | "+switchover-end" | "+new-epoch" | "+vote-for-leader" | "+tilt" | "-tilt" | "-hello-rejected" | "-info-rejected";

/** Events about one instance (`+sdown`, `+odown`, `+slave`, `+failover-end` …). */
export type InstanceEventType = Exclude<SentinelEventType, OwnPayload>;

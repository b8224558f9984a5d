import type { FailoverStateName } from "@vigil/core";

/**
 * The failover state each announcement means the machine just entered. The engine may run several
 * failover transitions inside one step (eager timing), so diffing snapshots after the step can
 * skip states; the events are emitted once per transition and keep every phase visible.
 */
const STATE_AFTER: Readonly<Record<string, FailoverStateName>> = {
  "+try-failover": "wait_start",
  "+failover-state-select-slave": "select_slave",
  "+failover-state-send-slaveof-noone": "send_slaveof_noone",
  "+failover-state-wait-promotion": "wait_promotion",
  "+failover-state-reconf-slaves": "reconf_slaves",
  "+failover-end": "update_config",
  "+switch-master": "none",
  "-failover-abort-not-elected": "none",
  "-failover-abort-no-good-slave": "none",
  "-failover-abort-slave-timeout": "none",
};

/** The failover state entered by the transition that emitted `eventType`, if it is one. */
export function failoverStateAfter(eventType: string): FailoverStateName | undefined {
  return Object.hasOwn(STATE_AFTER, eventType) ? STATE_AFTER[eventType] : undefined;
}

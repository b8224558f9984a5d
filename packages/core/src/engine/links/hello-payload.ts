import { encodeHello } from "../../codecs/hello-codec.js";
import type { HelloMessage } from "../../codecs/hello-message.js";
import type { MasterRecord } from "../records.js";

/** A hello payload with the fields it was rendered from. */
export interface RenderedHello extends HelloMessage {
  readonly payload: string;
}

/**
 * §7.1: the hello payload this sentinel publishes about `m`. The same text goes to every instance and
 * peer of a master, period after period, until an epoch or an address changes: it is rendered once
 * and kept on the record (the same string each time also lets the link reuse its encoded PUBLISH).
 */
export function helloPayloadFor(m: MasterRecord, sentinelIp: string, sentinelPort: number, sentinelRunId: string, currentEpoch: number, masterIp: string, masterPort: number): string {
  const last = m.lastHello;
  if (
    last !== null &&
    last.sentinelIp === sentinelIp &&
    last.sentinelPort === sentinelPort &&
    last.currentEpoch === currentEpoch &&
    last.masterIp === masterIp &&
    last.masterPort === masterPort &&
    last.masterConfigEpoch === m.configEpoch &&
    last.sentinelRunId === sentinelRunId &&
    last.masterName === m.name
  ) {
    return last.payload;
  }
  // One literal with its payload filled in after, not `{ ...fields, payload }`: a spread-and-extended
  // object gets a hidden class of its own, and the comparison above would read fields of 200
  // different shapes (records.ts).
  const rendered = { sentinelIp, sentinelPort, sentinelRunId, currentEpoch, masterName: m.name, masterIp, masterPort, masterConfigEpoch: m.configEpoch, payload: "" };
  rendered.payload = encodeHello(rendered);
  m.lastHello = rendered;
  return rendered.payload;
}

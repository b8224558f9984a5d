/** The 8 fields of a hello payload (§7.1), decoded. */
export interface HelloMessage {
  readonly sentinelIp: string;
  readonly sentinelPort: number;
  readonly sentinelRunId: string;
  readonly currentEpoch: number;
  readonly masterName: string;
  readonly masterIp: string;
  readonly masterPort: number;
  readonly masterConfigEpoch: number;
}

/** Why a hello payload was ignored. */
export interface HelloRejection {
  readonly kind: "hello-rejected";
  readonly reason: string;
}

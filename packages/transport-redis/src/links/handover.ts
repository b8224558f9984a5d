import { HANDOVER_TIMEOUT_ERROR } from "@vigil/core";
import type { PlainReply } from "../resp/reply-reader.js";
import type { AsideConnection } from "./aside-connection.js";

/**
 * A coordinated hand-over (the engine's `handover` command) as carried out over the wire.
 *
 * Redis's `FAILOVER TO <replica> TIMEOUT <ms>` pauses writes, then waits until the replica's
 * `REPLCONF ACK` reports the master's offset. A replica acknowledges once a second (and the master
 * asks for no acknowledgement while its writes are paused), so the hand-over alone stalls writes for
 * up to a second — half a second on average — even when the replica already has every byte
 * (bench/switchover measured paused → demoted at 770 ms median).
 *
 * The same guarantee, without waiting for the acknowledgement:
 *   1. `CLIENT PAUSE <timeout + grace> WRITE` on the master: no write reaches it from now on (the
 *      pause ends by itself if Vigil goes away, so nothing outlives the hand-over);
 *   2. read the master's `master_repl_offset` and the target's `slave_repl_offset` together until they
 *      are equal (every few ms, up to the timeout): the target has every acknowledged write;
 *   3. `FAILOVER TO <target> TIMEOUT 1 FORCE`: the master demotes itself and sends `PSYNC FAILOVER`
 *      without waiting for the acknowledgement that step 2 made redundant; then `CLIENT UNPAUSE`
 *      (`FAILOVER` holds writes with a pause of its own until it is done);
 *   4. once the target says `role:master`: `CLIENT KILL TYPE normal` on the demoted master (its
 *      clients ask the sentinels again), then report, so the engine asks the target's INFO at once.
 * When the target does not catch up within the timeout (or the master does not answer by then):
 * `CLIENT UNPAUSE`, and the master carries on as before — nothing changed, no write lost.
 */
export interface HandoverIo {
  /** One command on the master connection of the hand-over; `err` is the error text. */
  readonly master: Send;
  /** One command on the target connection of the hand-over. */
  readonly target: Send;
  /** Close both connections (pending commands fail). */
  close(): void;
  /** Rename a command as the instance's rename-command wants it. */
  readonly rename: (cmd: string) => string;
}

type Send = (args: readonly string[], done: (reply: PlainReply | undefined, err?: string) => void) => void;

/** How the hand-over ended: `null` when the target is the master now. */
export type HandoverOutcome = string | null;


/** Extra lifetime of the write pause past the timeout: it must outlast our own `CLIENT UNPAUSE`. */
const PAUSE_GRACE_MS = 1000;
/** Between two offset comparisons (ms). */
const POLL_MS = 3;

interface Answer {
  readonly reply: PlainReply | undefined;
  readonly err: string | undefined;
}

const call = (send: Send, args: readonly string[]) => new Promise<Answer>((resolve) => send(args, (reply, err) => resolve({ reply, err })));

/** `p`, or a `NOREPLY` error at `until` (a frozen instance never answers). */
function by<T extends Answer>(p: Promise<T>, until: number, now: () => number): Promise<T | Answer> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Answer>((r) => (timer = setTimeout(() => r({ reply: undefined, err: "NOREPLY" }), Math.max(0, until - now()))));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** A field of an `INFO replication` reply. */
export function infoField(text: string, field: string): string | null {
  return new RegExp(`^${field}:(.*?)\\r?$`, "m").exec(text)?.[1] ?? null;
}

/** Whether the target has everything the (paused) master has: same offset, link up. */
export function caughtUp(masterInfo: string, targetInfo: string): boolean {
  const offset = infoField(masterInfo, "master_repl_offset");
  return offset !== null && infoField(targetInfo, "master_link_status") === "up" && infoField(targetInfo, "slave_repl_offset") === offset;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run the hand-over of {@link HandoverIo} towards `target` within `timeoutMs`; resolves with its outcome. */
export async function runHandover(io: HandoverIo, target: { host: string; port: number }, timeoutMs: number, now: () => number): Promise<HandoverOutcome> {
  const n = io.rename;
  const deadline = now() + timeoutMs;
  const timedOut = `${HANDOVER_TIMEOUT_ERROR} the replica did not catch up within ${timeoutMs} ms`;
  const paused = await by(call(io.master, [n("CLIENT"), "PAUSE", String(timeoutMs + PAUSE_GRACE_MS), "WRITE"]), deadline, now);
  if (paused.err === "NOREPLY") return timedOut;
  if (paused.err !== undefined) return paused.err;
  const unpause = () => by(call(io.master, [n("CLIENT"), "UNPAUSE"]), now() + PAUSE_GRACE_MS, now);
  /** Give up with `outcome`, the master's writes resumed first (never left to the pause running out). */
  const resumeWritesAnd = async (outcome: HandoverOutcome) => {
    await unpause();
    return outcome;
  };
  for (;;) {
    const [m, t] = await Promise.all([by(call(io.master, [n("INFO"), "replication"]), deadline, now), by(call(io.target, [n("INFO"), "replication"]), deadline, now)]);
    if (m.err === "NOREPLY") {
      // No answer by the deadline: frozen, or only late (a loaded machine). Ask it to resume writes
      // anyway rather than leave the pause to run out by itself, up to a second later.
      return resumeWritesAnd(timedOut);
    }
    if (m.err !== undefined) return m.err; // the master connection is gone: the pause ends by itself
    if (infoField(String(m.reply), "role") !== "master") return resumeWritesAnd("ERR the master is no longer a master");
    if (t.err === undefined && caughtUp(String(m.reply), String(t.reply))) break;
    if (now() >= deadline) return resumeWritesAnd(timedOut);
    await sleep(POLL_MS);
  }
  const failover = call(io.master, [n("FAILOVER"), "TO", target.host, String(target.port), "TIMEOUT", "1", "FORCE"]);
  const [f] = await Promise.all([by(failover, now() + PAUSE_GRACE_MS, now), unpause()]);
  if (f.err !== undefined) return f.err;
  // The master hands over within a few ms; report once the target says so (or give up at the deadline
  // plus the grace: the engine's own hand-over timeout then decides).
  while (now() < deadline + PAUSE_GRACE_MS) {
    const t = await by(call(io.target, [n("INFO"), "replication"]), deadline + PAUSE_GRACE_MS, now);
    if (t.err === undefined && infoField(String(t.reply), "role") === "master") {
      // Move the demoted master's clients at once (the reconfiguration transaction does it again
      // later, after its CONFIG REWRITE): they reconnect and ask the sentinels, which by then name
      // the new master. Our own connection survives (SKIPME).
      await by(call(io.master, [n("CLIENT"), "KILL", "TYPE", "normal"]), now() + PAUSE_GRACE_MS, now);
      return null;
    }
    await sleep(POLL_MS);
  }
  return null;
}

/** The hand-over's I/O over two connections of its own (aside-connection.ts), to the master and the target. */
export function handoverIoOver(master: AsideConnection, target: AsideConnection): HandoverIo {
  return {
    master: (args, done) => master.ready.then(() => master.client.send(args, done)),
    target: (args, done) => target.ready.then(() => target.client.send(args, done)),
    rename: master.rename,
    close: () => {
      master.client.close();
      target.client.close();
    },
  };
}

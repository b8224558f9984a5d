import { spawn } from "node:child_process";

/** Limits of Sentinel's script runner (§2, §20). */
export const SCRIPT_LIMITS = { maxRunning: 16, maxQueue: 256, maxRetries: 10 } as const;

/** One queued or running script job. */
export interface ScriptJob {
  readonly argv: readonly string[];
  running: boolean;
  pid: number;
  startedAt: number;
  /** Not eligible before this time (retry back-off). */
  runAt: number;
  retryNum: number;
}

/** Options of {@link ScriptRunner}. */
export interface ScriptRunnerOptions {
  readonly now?: () => number;
  /** SCRIPT-MAX-RUNTIME / SCRIPT-RETRY-DELAY; read on every use so SENTINEL DEBUG applies at once. */
  readonly timing: () => { scriptMaxRuntime: number; scriptRetryDelay: number };
  /** `-script-error`, `-script-timeout`, `+script-child`, `-script-child` events. */
  readonly onEvent: (type: string, level: "warning" | "debug", payload: string) => void;
}

/**
 * Runs notification and client-reconfig scripts with Sentinel's semantics (§20): FIFO queue of 256,
 * 16 at a time, retries with exponential back-off on exit 1 or a signal, SIGKILL after the max
 * runtime. Unlike Sentinel, children get a clean environment (only PATH) and no inherited
 * descriptors beyond stdio; there is no shell.
 */
export class ScriptRunner {
  private readonly jobs: ScriptJob[] = [];
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ScriptRunnerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Queue a run; drops the oldest non-running job when the queue is full. */
  enqueue(path: string, args: readonly string[]): void {
    if (this.jobs.length >= SCRIPT_LIMITS.maxQueue) {
      const i = this.jobs.findIndex((j) => !j.running);
      if (i >= 0) this.jobs.splice(i, 1);
    }
    this.jobs.push({ argv: [path, ...args], running: false, pid: 0, startedAt: 0, runAt: 0, retryNum: 0 });
    this.schedule();
  }

  /** Jobs for SENTINEL PENDING-SCRIPTS. */
  pending(): readonly ScriptJob[] {
    return this.jobs;
  }

  /** Number of running scripts. */
  running(): number {
    return this.jobs.filter((j) => j.running).length;
  }

  /** Stop the timer (running children are left to finish). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.runEligible();
    if (!this.timer) {
      this.timer = setInterval(() => this.runEligible(), 100);
      this.timer.unref();
    }
  }

  private runEligible(): void {
    const now = this.now();
    for (const job of this.jobs) {
      if (this.running() >= SCRIPT_LIMITS.maxRunning) break;
      if (job.running || job.runAt > now) continue;
      this.start(job);
    }
    if (this.jobs.length === 0 && this.timer) this.stop();
  }

  private start(job: ScriptJob): void {
    job.retryNum++;
    job.running = true;
    job.startedAt = this.now();
    const [path, ...args] = job.argv as [string, ...string[]];
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(path, args, { stdio: "ignore", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, shell: false });
    } catch {
      job.running = false;
      this.options.onEvent("-script-error", "warning", `${path} 99 0`);
      return;
    }
    job.pid = child.pid ?? 0;
    this.options.onEvent("+script-child", "debug", `${job.pid}`);
    const killer = setTimeout(() => {
      this.options.onEvent("-script-timeout", "warning", `${path} ${job.pid}`);
      child.kill("SIGKILL");
    }, this.options.timing().scriptMaxRuntime);
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(killer);
      job.running = false;
      const exit = code ?? 0;
      const sig = signal ? (SIGNALS[signal] ?? 9) : 0;
      this.options.onEvent("-script-child", "debug", `${job.pid} ${exit} ${sig}`);
      job.pid = 0;
      const retriable = (sig !== 0 || exit === 1) && job.retryNum < SCRIPT_LIMITS.maxRetries;
      if (retriable) {
        job.runAt = this.now() + this.options.timing().scriptRetryDelay * 2 ** (job.retryNum - 1);
      } else {
        this.jobs.splice(this.jobs.indexOf(job), 1);
        if (sig !== 0 || exit !== 0) this.options.onEvent("-script-error", "warning", `${path} ${sig} ${exit}`);
      }
      this.schedule();
    };
    child.once("error", () => finish(2, null)); // exec failure: like the child exiting 2, never retried
    child.once("exit", finish);
  }
}

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

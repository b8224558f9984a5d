/**
 * Notification scripts (issue 8, "Security"): they run without a shell (arguments with shell
 * syntax stay inert), with a clean environment (no secret from the daemon's environment), and
 * without any descriptor beyond /dev/null stdio — not even one the daemon itself inherited from
 * its parent. `deny-scripts-reconfig yes` is the default: `SENTINEL SET ... notification-script`
 * is refused with `redis-sentinel`'s exact error, and allowed only after `deny-scripts-reconfig no`.
 * redis-sentinel is mandatory (the oracle for the error text): a missing binary fails the file.
 */
import { spawn } from "node:child_process";
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanup, cmd, freePorts, requireBinary, sentinelConf, startSentinel, tempDir, VIGIL_BIN, waitFor } from "./support/processes.js";

afterAll(cleanup);

let dir: string;
let script: string;
const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
});

beforeAll(() => {
  requireBinary("redis-sentinel");
  dir = tempDir("vigil-scripts-");
  script = join(dir, "notify.sh");
  // Records its arguments, environment and open descriptors, one file per run.
  writeFileSync(
    script,
    `#!/bin/sh
out="${dir}/run-$$"
i=0
for a in "$@"; do i=$((i+1)); printf 'ARG%s=%s\\n' "$i" "$a"; done > "$out.args"
env > "$out.env"
ls -l /proc/$$/fd > "$out.fds"
echo done > "$out.done"
`,
  );
  chmodSync(script, 0o755);
});

describe("a notification script's process", () => {
  const NAME = 'm;touch "pwned";$(touch pwned2)`touch pwned3`';
  let runs: string[];

  beforeAll(async () => {
    const [vPort, deadPort] = await freePorts(2);
    // A master nobody listens on: +sdown (a warning event) after 1 s runs the script.
    const conf = join(dir, "scripts.conf");
    writeFileSync(
      conf,
      [
        `port ${vPort}`,
        "bind 127.0.0.1",
        `dir ${dir}`,
        `sentinel monitor "${NAME.replace(/"/g, '\\"')}" 127.0.0.1 ${deadPort} 1`,
        `sentinel down-after-milliseconds "${NAME.replace(/"/g, '\\"')}" 1000`,
        `sentinel notification-script "${NAME.replace(/"/g, '\\"')}" ${script}`,
        "",
      ].join("\n"),
    );
    // The daemon inherits a secret in its environment and an open descriptor (fd 3) from its parent.
    const secretFile = join(dir, "secret.txt");
    writeFileSync(secretFile, "hunter2\n");
    const fd = openSync(secretFile, "r");
    const child = spawn(process.execPath, [VIGIL_BIN, conf], {
      cwd: dir,
      env: { ...process.env, VIGIL_TEST_SECRET: "hunter2", REDISCLI_AUTH: "hunter2" },
      stdio: ["ignore", "pipe", "pipe", fd],
    });
    closeSync(fd);
    children.push(child);
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    await waitFor(async () => (await cmd(vPort!, "PING")) === "PONG", 30000).catch((e) => {
      throw new Error(`${e}\n${out}`);
    });
    await waitFor(() => readdirSync(dir).some((n) => n.endsWith(".done")), 30000, 100).catch((e) => {
      throw new Error(`${e}\n${out}`);
    });
    runs = readdirSync(dir)
      .filter((n) => n.endsWith(".done"))
      .map((n) => join(dir, n.slice(0, -".done".length)));
  }, 60_000);

  it("gets its arguments verbatim, with no shell to interpret them", () => {
    const args = readFileSync(`${runs[0]}.args`, "utf8");
    // Two arguments, as Sentinel passes them: the event type and its description (+monitor first).
    expect(args).toMatch(/^ARG1=[+-][a-z-]+\nARG2=master .* 127\.0\.0\.1 \d+.*\n$/);
    expect(args).toContain(`ARG2=master ${NAME} 127.0.0.1 `);
    for (const marker of ["pwned", "pwned2", "pwned3"]) expect(existsSync(join(dir, marker))).toBe(false);
  });

  it("has a clean environment: PATH only (plus the PWD the shell sets), no secret", () => {
    const env = readFileSync(`${runs[0]}.env`, "utf8");
    const names = env
      .trim()
      .split("\n")
      .map((l) => l.slice(0, l.indexOf("=")));
    expect(names.filter((n) => n !== "PWD").sort()).toEqual(["PATH"]);
    expect(env).not.toContain("hunter2");
  });

  it("inherits no descriptor: stdio is /dev/null, nothing else but the shell's own", () => {
    const lines = readFileSync(`${runs[0]}.fds`, "utf8")
      .split("\n")
      .filter((l) => l.includes(" -> "));
    const targets = new Map(lines.map((l) => [Number(/ (\d+) -> /.exec(l)![1]), l.slice(l.indexOf(" -> ") + 4)]));
    expect(targets.get(0)).toBe("/dev/null");
    expect(targets.get(2)).toBe("/dev/null");
    for (const [fd, target] of targets) {
      // fd 1 is the shell's own redirection into the record; dash keeps its script open and a saved /dev/null.
      const ownByShell = target === "/dev/null" || target === script || target === `${runs[0]}.fds`;
      expect(ownByShell, `fd ${fd} -> ${target}`).toBe(true);
    }
    expect([...targets.values()].some((t) => /socket:|pipe:|anon_inode:|secret\.txt/.test(t))).toBe(false);
  });
});

describe("deny-scripts-reconfig", () => {
  let vigil: number;
  let oracle: number;
  let open: number;

  beforeAll(async () => {
    const [v, o, x, masterPort] = await freePorts(4);
    vigil = v!;
    oracle = o!;
    open = x!;
    await Promise.all([
      startSentinel("vigil", sentinelConf(tempDir("vigil-deny-"), vigil, masterPort!, { quorum: 1 }), vigil),
      startSentinel("redis", sentinelConf(tempDir("vigil-deny-oracle-"), oracle, masterPort!, { quorum: 1 }), oracle),
      startSentinel("vigil", sentinelConf(tempDir("vigil-allow-"), open, masterPort!, { quorum: 1, extra: ["sentinel deny-scripts-reconfig no"] }), open),
    ]);
  }, 60_000);

  it("is on by default: SENTINEL SET of either script path is refused like redis-sentinel refuses it", async () => {
    for (const option of ["notification-script", "client-reconfig-script"]) {
      const ours = await cmd(vigil, "SENTINEL", "SET", "mymaster", option, script).catch((e: Error) => e.message);
      const theirs = await cmd(oracle, "SENTINEL", "SET", "mymaster", option, script).catch((e: Error) => e.message);
      expect(ours).toBe(theirs);
      expect(ours).toBe(
        "ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration",
      );
    }
    expect(await cmd(vigil, "SENTINEL", "CONFIG", "GET", "*")).not.toContain(script);
  });

  it("with deny-scripts-reconfig no, an executable script can be set and a non-executable one cannot", async () => {
    expect(await cmd(open, "SENTINEL", "SET", "mymaster", "notification-script", script)).toBe("OK");
    const notExecutable = join(dir, "plain.txt");
    writeFileSync(notExecutable, "");
    await expect(cmd(open, "SENTINEL", "SET", "mymaster", "notification-script", notExecutable)).rejects.toThrow(
      "ERR Notification script seems non existing or non executable",
    );
  });
});

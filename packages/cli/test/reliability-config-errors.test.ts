/**
 * Broken config files (issue 8): every kind of error ends the daemon with status 1 and a clear
 * message — Redis's `*** FATAL CONFIG FILE ERROR ***` block with the line number and the offending
 * line for line errors — before anything is listened on or written: the file keeps its bytes and
 * its mtime, no temp file appears, the port stays free. The cases run through `startDaemon` in
 * process (a spawn costs ~1 s of CPU each on a busy machine); a few also run the real binary to
 * prove the exit status and the stderr text. (The messages are checked against `redis-sentinel`'s
 * own in config-interop.test.ts.)
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureLoadable } from "../src/config/loadable-config.js";
import { commandLineOverrides } from "../src/config/overrides.js";
import { tokenize } from "../src/config/tokenize.js";
import { startDaemon } from "../src/daemon/daemon.js";
import { cleanup, freePort, requireBinary, tempDir, VIGIL_BIN } from "./support/processes.js";
import { makeCerts, type TestCerts } from "./support/tls-certs.js";

afterAll(cleanup);

let dir: string;
let certs: TestCerts;
beforeAll(() => {
  dir = tempDir("vigil-config-errors-");
  mkdirSync(join(dir, "certs"));
  certs = makeCerts(join(dir, "certs"));
});

/** The daemon's start-up outcome in process: status and message of a refusal (or a failure if it started). */
async function start(conf: string, args: string[] = []): Promise<{ status: number | null; out: string }> {
  const d = await startDaemon({ configPath: conf, overrides: commandLineOverrides(args) });
  if ("exitCode" in d) return { status: d.exitCode, out: `${d.message}\n` };
  await d.stop();
  return { status: 0, out: "started" };
}

/** Run the real binary on `conf` (+ args) and collect its exit status and output. */
function run(conf: string, args: string[] = []): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VIGIL_BIN, conf, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30000);
    // "close", not "exit": the process may exit before its output has been read from the pipes.
    child.once("close", (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv: Server = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

interface LineCase {
  readonly name: string;
  /** Lines after `port <p>` and `bind 127.0.0.1` (so line numbers start at 3). */
  readonly lines: readonly (string | Buffer)[];
  readonly line: number;
  readonly message: string;
  readonly args?: string[];
  /** Line separator (CRLF files must number lines the same). */
  readonly eol?: string;
  /** Also through the real binary. */
  readonly binary?: boolean;
}

const M = "sentinel monitor m 127.0.0.1 6379 2";
const lineCases: LineCase[] = [
  { name: "unknown directive", lines: ["foo-unknown bar"], line: 3, message: "Bad directive or wrong number of arguments", binary: true },
  { name: "wrong number of arguments", lines: ["timeout 1 2"], line: 3, message: "wrong number of arguments" },
  { name: "not an integer", lines: ["maxclients lots"], line: 3, message: "argument couldn't be parsed into an integer" },
  { name: "out of range", lines: ["tls-port 70000"], line: 3, message: "argument must be between 0 and 65535 inclusive" },
  { name: "yes/no", lines: ["daemonize maybe"], line: 3, message: "argument must be 'yes' or 'no'" },
  { name: "unbalanced quotes", lines: ['requirepass "abc'], line: 3, message: "Unbalanced quotes in configuration line" },
  { name: "quorum 0", lines: ["sentinel monitor m 127.0.0.1 6379 0"], line: 3, message: "Quorum must be 1 or greater." },
  { name: "master port out of range", lines: ["sentinel monitor m 127.0.0.1 70000 2"], line: 3, message: "Invalid port number." },
  { name: "master host name", lines: ["sentinel monitor m redis.invalid 6379 2"], line: 3, message: "Can't resolve instance hostname." },
  { name: "duplicate master", lines: [M, M], line: 4, message: "Duplicate master name." },
  { name: "unknown master", lines: [M, "# a comment", "", "sentinel parallel-syncs nosuch 1"], line: 6, message: "No such master with specified name." },
  { name: "zero down-after", lines: [M, "sentinel down-after-milliseconds m 0"], line: 4, message: "negative or zero time parameter." },
  { name: "known replica is a host name", lines: [M, "sentinel known-replica m localhost 6380"], line: 4, message: "Can't resolve instance hostname." },
  { name: "duplicate known replica", lines: [M, "sentinel known-replica m 127.0.0.1 6380", "sentinel known-slave m 127.0.0.1 6380"], line: 5, message: "Duplicate hostname and port for replica." },
  { name: "malformed myid", lines: ["sentinel myid abc"], line: 3, message: "Malformed Sentinel id in myid option." },
  { name: "bad deny-scripts-reconfig", lines: ["sentinel deny-scripts-reconfig perhaps"], line: 3, message: "Please specify yes or no for the deny-scripts-reconfig options." },
  { name: "missing notification script", lines: [M, "sentinel notification-script m /nonexistent/notify.sh"], line: 4, message: "Notification script seems non existing or non executable." },
  { name: "unrecognized sentinel statement", lines: ["sentinel frobnicate"], line: 3, message: "Unrecognized sentinel configuration statement." },
  { name: "binary garbage", lines: [Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x42])], line: 3, message: "Bad directive or wrong number of arguments" },
  { name: "a 100 KB line", lines: [`x${"y".repeat(100 * 1024)} z`], line: 3, message: "Bad directive or wrong number of arguments" },
  { name: "CRLF line ends", lines: [M, "# comment", "sentinel down-after-milliseconds m 0"], line: 5, message: "negative or zero time parameter.", eol: "\r\n" },
  {
    name: "an ACL rule the server does not support",
    lines: [M, "user reader on >pw +ping"],
    line: 4,
    message: "Error in user declaration '+ping': this server only supports all-or-nothing command rules (allcommands, +@all, nocommands, -@all)",
  },
  { name: "command-line override", lines: [M], args: ["--maxclients", "many"], line: 5, message: "argument couldn't be parsed into an integer", binary: true },
  // A typo on the command line is not "at line 5" of a 4-line file: the report names the option.
  { name: "command-line typo", lines: [M], args: ["--htpp", "127.0.0.1:9479"], line: 5, message: "Bad directive or wrong number of arguments", binary: true },
  { name: "command-line sentinel option", lines: [M], args: ["--sentinel", "down-after-milliseconds", "m", "0"], line: 5, message: "negative or zero time parameter." },
];

describe.concurrent("line errors: status 1, Redis's report with the line, file untouched", () => {
  for (const c of lineCases) {
    it(c.name, async ({ expect }) => {
      const port = await freePort();
      const conf = join(dir, `line-${port}.conf`);
      const eol = c.eol ?? "\n";
      const body = Buffer.concat([Buffer.from(`port ${port}${eol}bind 127.0.0.1${eol}`), ...c.lines.flatMap((l) => [Buffer.from(l), Buffer.from(eol)])]);
      writeFileSync(conf, body);
      const mtime = statSync(conf).mtimeMs;
      const r = await (c.binary ? run : start)(conf, c.args);
      expect(r.status, r.out).toBe(1);
      expect(r.out).toContain("*** FATAL CONFIG FILE ERROR (Vigil) ***");
      const option = c.args?.[0];
      expect(r.out).toContain(
        option === undefined
          ? `Reading the configuration file, at line ${c.line}\n>>> '`
          : `Reading the command-line option ${option} (appended to the configuration file as line ${c.line})\n>>> '`,
      );
      expect(r.out.trimEnd().endsWith(c.message), r.out.slice(-300)).toBe(true);
      expect(readFileSync(conf).equals(body)).toBe(true);
      expect(statSync(conf).mtimeMs).toBe(mtime);
      expect(readdirSync(dir).filter((n) => n.includes(".tmp-"))).toEqual([]);
      expect(await refused(port)).toBe(true);
    });
  }
});

describe.concurrent("file and start-up errors: status 1 and a clear message", () => {
  const cases: { name: string; setup: (port: number) => { conf: string; args?: string[] }; message: string | RegExp; binary?: boolean }[] = [
    {
      // redis-sentinel's words (see the oracle test below): which path, and why.
      name: "missing file",
      setup: () => ({ conf: join(dir, "nonexistent.conf") }),
      message: /Fatal error, can't open config file '\/.*\/nonexistent\.conf': No such file or directory/,
      binary: true,
    },
    {
      name: "a directory",
      setup: () => {
        const d = join(dir, "a-directory.conf");
        mkdirSync(d, { recursive: true });
        return { conf: d };
      },
      message: /Fatal error, can't open config file '.*a-directory\.conf': Is a directory/,
      binary: true,
    },
    {
      name: "include of a missing file",
      setup: (port) => {
        const conf = join(dir, `include-${port}.conf`);
        writeFileSync(conf, `port ${port}\ninclude ${join(dir, "missing-include.conf")}\n`);
        return { conf };
      },
      message: /at line 2\n>>> 'include .*missing-include\.conf'\nFatal error, can't open config file/,
    },
    {
      name: "tls-port without a certificate",
      setup: (port) => {
        const conf = join(dir, `tls1-${port}.conf`);
        writeFileSync(conf, `port ${port}\nbind 127.0.0.1\ntls-port ${port + 1}\n`);
        return { conf };
      },
      message: "No tls-cert-file configured!\nFailed to configure TLS. Check logs for more info.",
      binary: true,
    },
    {
      name: "tls certificate file missing",
      setup: (port) => {
        const conf = join(dir, `tls2-${port}.conf`);
        writeFileSync(conf, `port ${port}\nbind 127.0.0.1\ntls-port ${port + 1}\ntls-cert-file ${join(dir, "none.crt")}\ntls-key-file ${certs.key}\ntls-ca-cert-file ${certs.caCert}\n`);
        return { conf };
      },
      message: /Failed to load certificate '.*none\.crt': .*no such file or directory.*\nFailed to configure TLS/,
    },
    {
      name: "tls without a CA while client certificates are required",
      setup: (port) => {
        const conf = join(dir, `tls3-${port}.conf`);
        writeFileSync(conf, `port ${port}\nbind 127.0.0.1\ntls-port ${port + 1}\ntls-cert-file ${certs.cert}\ntls-key-file ${certs.key}\n`);
        return { conf };
      },
      message: "Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!",
    },
    {
      name: "tls key that does not match the certificate",
      setup: (port) => {
        const conf = join(dir, `tls4-${port}.conf`);
        writeFileSync(conf, `port ${port}\nbind 127.0.0.1\ntls-port ${port + 1}\ntls-cert-file ${certs.cert}\ntls-key-file ${certs.rogueKey}\ntls-ca-cert-file ${certs.caCert}\n`);
        return { conf };
      },
      message: /Failed to load certificate: .*node\.crt: .*key values mismatch.*\nFailed to configure TLS/,
    },
  ];
  for (const c of cases) {
    it(c.name, async ({ expect }) => {
      const port = await freePort();
      const { conf, args } = c.setup(port);
      let before: Buffer | undefined;
      try {
        before = statSync(conf).isFile() ? readFileSync(conf) : undefined;
      } catch {
        before = undefined;
      }
      const r = await (c.binary ? run : start)(conf, args);
      expect(r.status, r.out).toBe(1);
      if (typeof c.message === "string") expect(r.out).toContain(c.message);
      else expect(r.out).toMatch(c.message);
      expect(r.out).not.toMatch(/\n\s+at /); // no stack trace
      if (before !== undefined) expect(readFileSync(conf).equals(before)).toBe(true);
      expect(await refused(port)).toBe(true);
    });
  }

  it("a missing file is reported in redis-sentinel's words", async ({ expect }) => {
    const conf = join(dir, "also-nonexistent.conf");
    const theirs = spawnSync(requireBinary("redis-sentinel"), [conf], { encoding: "utf8", timeout: 5000 });
    expect(theirs.status).toBe(1);
    const said = /# (Fatal error, can't open config file .*)\n/.exec(theirs.stdout + theirs.stderr)?.[1];
    expect(said, theirs.stdout + theirs.stderr).toBeDefined();
    const ours = await start(conf);
    expect(ours).toEqual({ status: 1, out: `${said}\n` });
  });

  it("a port already in use", async ({ expect }) => {
    const port = await freePort();
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(port, "127.0.0.1", r));
    try {
      const conf = join(dir, `busy-${port}.conf`);
      writeFileSync(conf, `port ${port}\nbind 127.0.0.1\nsentinel monitor m 127.0.0.1 6379 2\n`);
      const before = readFileSync(conf);
      const r = await start(conf);
      expect(r.status, r.out).toBe(1);
      expect(r.out).toContain(`Could not create server TCP listening socket 127.0.0.1:${port}`);
      expect(readFileSync(conf).equals(before)).toBe(true);
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });
});

describe("the tokenizer's fast path", () => {
  it("splits quote-free lines exactly like the byte-exact path", () => {
    // Appending ` ""` forces the general path and adds one empty argument.
    const char = fc.constantFrom("a", "Z", "0", " ", "\t", "\r", "\\", "x", "é", "€", "#", "$", "\u00a0");
    fc.assert(
      fc.property(fc.array(char, { maxLength: 60 }), (chars) => {
        const line = chars.join("");
        const fast = tokenize(line);
        const slow = tokenize(`${line} ""`);
        expect(fast.ok && slow.ok).toBe(true);
        if (fast.ok && slow.ok) expect(fast.args).toEqual(slow.args.slice(0, -1));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the persist guard (ensureLoadable)", () => {
  const base = "port 26379\nsentinel monitor m 127.0.0.1 6379 2\n";
  it("passes a loadable file through unchanged", () => {
    expect(ensureLoadable(base, "/x.conf", [])).toEqual({ ok: true, text: base, dropped: [] });
  });

  it("drops discovered-instance lines the loader refuses, and only those", () => {
    const text = `${base}sentinel known-replica m localhost 6380\nsentinel known-replica m 127.0.0.1 6381\nsentinel known-sentinel m not-an-ip 26379 ${"a".repeat(40)}\n`;
    const r = ensureLoadable(text, "/x.conf", []);
    expect(r.ok && r.dropped).toEqual(["sentinel known-replica m localhost 6380", `sentinel known-sentinel m not-an-ip 26379 ${"a".repeat(40)}`]);
    expect(r.ok && r.text).toBe(`${base}sentinel known-replica m 127.0.0.1 6381\n`);
  });

  it("refuses anything else, with the loader's report", () => {
    const r = ensureLoadable("port 26379\nsentinel monitor m evil.example 6379 2\n", "/x.conf", []);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain("Can't resolve instance hostname.");
  });

  it("checks with the command-line overrides the daemon started with", () => {
    expect(ensureLoadable(base, "/x.conf", [["maxclients", "many"]]).ok).toBe(false);
  });
});

/**
 * TLS end to end (issue 8, "Security"), with certificates this test makes with openssl and Debian's
 * redis-server (built with TLS: `tls-port` works):
 * - the sentinel port: `tls-port`, `tls-cert-file`, `tls-key-file`, `tls-ca-cert-file`,
 *   `tls-auth-clients yes|optional`, reachable with `redis-cli --tls --cacert ...`; client
 *   certificates from another CA, plain text on the TLS port and TLS on the plain port are refused;
 * - `tls-replication yes`: three daemons monitor a TLS-only master and replica, talk to each other
 *   over TLS (hellos announce the TLS port, like Sentinel), and fail over; a daemon that does not
 *   trust the servers' CA never gets a link up.
 * redis-server and redis-cli are mandatory: a missing binary fails the file.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawExchange } from "./support/hostile.js";
import { cleanup, cmd, freePorts, pairs, requireBinary, sentinelConf, startSentinel, tempDir, waitFor } from "./support/processes.js";
import { makeCerts, type TestCerts } from "./support/tls-certs.js";

let certs: TestCerts;
const redisChildren: ChildProcess[] = [];

beforeAll(() => {
  requireBinary("redis-server");
  requireBinary("redis-cli");
  certs = makeCerts(tempDir("vigil-tls-certs-"));
});

afterAll(async () => {
  for (const c of redisChildren) c.kill("SIGKILL");
  await cleanup();
});

/** redis-cli over TLS; returns trimmed stdout, or the error text when it fails. */
function cliTls(port: number, tlsArgs: string[], ...args: string[]): string {
  try {
    return execFileSync(requireBinary("redis-cli"), ["-h", "127.0.0.1", "-p", String(port), "--tls", ...tlsArgs, ...args], {
      encoding: "utf8",
      timeout: 10000,
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return `FAILED: ${(err.stdout ?? "") + (err.stderr ?? "") || err.message}`.trim();
  }
}

const withCert = () => ["--cacert", certs.caCert, "--cert", certs.cert, "--key", certs.key];
const withRogueCert = () => ["--cacert", certs.caCert, "--cert", certs.rogueCert, "--key", certs.rogueKey];
const noCert = () => ["--cacert", certs.caCert];

function tlsLines(tlsPort: number, auth: "yes" | "optional" | "no" = "yes", ca = certs.caCert): string[] {
  return [`tls-port ${tlsPort}`, `tls-cert-file ${certs.cert}`, `tls-key-file ${certs.key}`, `tls-ca-cert-file ${ca}`, `tls-auth-clients ${auth}`];
}

describe("the sentinel port over TLS", () => {
  let required: { port: number; tls: number };
  let optional: { port: number; tls: number };

  beforeAll(async () => {
    const [p1, t1, p2, t2, master] = await freePorts(5);
    const dir = tempDir("vigil-tls-port-");
    required = { port: p1!, tls: t1! };
    optional = { port: p2!, tls: t2! };
    await Promise.all([
      startSentinel("vigil", sentinelConf(dir, p1!, master!, { quorum: 1, extra: tlsLines(t1!, "yes") }), p1!),
      startSentinel("vigil", sentinelConf(dir, p2!, master!, { quorum: 1, extra: tlsLines(t2!, "optional") }), p2!),
    ]);
  }, 60_000);

  it("serves redis-cli --tls with a client certificate from the CA", () => {
    expect(cliTls(required.tls, withCert(), "PING")).toBe("PONG");
    expect(cliTls(required.tls, withCert(), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster").split("\n")[0]).toBe("127.0.0.1");
    // The TLS client is an ordinary client: it shows in CLIENT LIST next to the plain ones.
    expect(cliTls(required.tls, withCert(), "CLIENT", "LIST")).toContain(`laddr=127.0.0.1:${required.tls}`);
  });

  it("tls-auth-clients yes: refuses clients without a certificate or with one from another CA", () => {
    expect(cliTls(required.tls, noCert(), "PING")).toMatch(/^FAILED/);
    expect(cliTls(required.tls, withRogueCert(), "PING")).toMatch(/^FAILED/);
  });

  it("tls-auth-clients optional: no certificate is fine, a bad one is not", () => {
    expect(cliTls(optional.tls, noCert(), "PING")).toBe("PONG");
    expect(cliTls(optional.tls, withCert(), "PING")).toBe("PONG");
    expect(cliTls(optional.tls, withRogueCert(), "PING")).toMatch(/^FAILED/);
  });

  it("clients check the server: a CA that did not sign it fails the handshake", () => {
    expect(cliTls(required.tls, ["--cacert", certs.rogueCaCert, "--cert", certs.cert, "--key", certs.key], "PING")).toMatch(/^FAILED/);
  });

  it("plain text on the TLS port and TLS on the plain port are refused; the plain port still works", async () => {
    // Enough bytes to fill the bogus "TLS record" the first bytes announce, so the handshake fails at once.
    const r = await rawExchange(required.tls, "PING\r\n".repeat(5000), { timeoutMs: 15000 });
    expect(r.closed).toBe(true);
    expect(r.bytes.toString("latin1")).not.toContain("PONG");
    expect(cliTls(required.port, withCert(), "PING")).toMatch(/^FAILED/);
    expect((await rawExchange(required.port, "PING\r\n", { replies: 1 })).bytes.toString()).toBe("+PONG\r\n");
  });
});

describe("tls-replication: Redis and peers over TLS", () => {
  const tlsOptions = () => ({
    ca: readFileSync(certs.caCert),
    cert: readFileSync(certs.cert),
    key: readFileSync(certs.key),
    checkServerIdentity: () => undefined,
  });
  let masterTls: number;
  let replicaTls: number;
  let sentinelPorts: number[];
  let sentinelTls: number[];
  let rogue: Awaited<ReturnType<typeof startSentinel>>;

  /** A TLS-only redis-server (port 0) that replicates over TLS and wants client certificates. */
  async function startTlsRedis(tlsPort: number, replicaOf?: number): Promise<ChildProcess> {
    const dir = tempDir("vigil-tls-redis-");
    const conf = join(dir, "redis.conf");
    const lines = [
      "port 0",
      "bind 127.0.0.1",
      ...tlsLines(tlsPort),
      "tls-replication yes",
      'save ""',
      "appendonly no",
      `dir ${dir}`,
      "protected-mode no",
      "repl-diskless-sync no",
      ...(replicaOf ? [`replicaof 127.0.0.1 ${replicaOf}`] : []),
    ];
    writeFileSync(conf, `${lines.join("\n")}\n`);
    const child = spawn(requireBinary("redis-server"), [conf], { stdio: ["ignore", "pipe", "pipe"] });
    redisChildren.push(child);
    await waitFor(() => cliTls(tlsPort, withCert(), "PING") === "PONG", 15000, 100);
    return child;
  }

  async function tlsCommand(port: number, ...args: string[]): Promise<unknown> {
    const r = new Redis({ host: "127.0.0.1", port, tls: tlsOptions(), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 3000 });
    r.on("error", () => undefined);
    try {
      await r.connect();
      return await r.call(args[0]!, ...args.slice(1));
    } finally {
      r.disconnect();
    }
  }

  let master: ChildProcess;

  beforeAll(async () => {
    const ports = await freePorts(10);
    [masterTls, replicaTls] = [ports[0]!, ports[1]!];
    sentinelPorts = ports.slice(2, 5);
    sentinelTls = ports.slice(5, 8);
    master = await startTlsRedis(masterTls);
    await startTlsRedis(replicaTls, masterTls);
    await waitFor(() => /master_link_status:up/.test(cliTls(replicaTls, withCert(), "INFO", "replication")), 15000, 100);
    const dir = tempDir("vigil-tls-fleet-");
    await Promise.all(
      sentinelPorts.map((p, i) =>
        startSentinel("vigil", sentinelConf(dir, p, masterTls, { quorum: 2, downAfter: 1000, extra: [...tlsLines(sentinelTls[i]!), "tls-replication yes"] }), p),
      ),
    );
    // Trusts another CA: it can reach nothing.
    const [rp, rt] = [ports[8]!, ports[9]!];
    rogue = await startSentinel("vigil", sentinelConf(dir, rp, masterTls, { quorum: 2, downAfter: 1000, extra: [...tlsLines(rt, "yes", certs.rogueCaCert), "tls-replication yes"] }), rp);
  }, 90_000);

  it("monitors the TLS master, finds the replica at its TLS port and the peers at theirs", async () => {
    await waitFor(
      async () => {
        for (const p of sentinelPorts) {
          const m = pairs(await cmd(p, "SENTINEL", "MASTER", "mymaster"));
          if (m.flags !== "master" || m["num-slaves"] !== "1" || m["num-other-sentinels"] !== "2") return false;
          const reps = ((await cmd(p, "SENTINEL", "REPLICAS", "mymaster")) as unknown[]).map(pairs);
          if (reps[0]?.port !== String(replicaTls) || reps[0]?.flags !== "slave") return false;
          const peers = ((await cmd(p, "SENTINEL", "SENTINELS", "mymaster")) as unknown[]).map(pairs);
          if (peers.some((s) => s.flags !== "sentinel" || !sentinelTls.includes(Number(s.port)))) return false;
        }
        return true;
      },
      30000,
      200,
    );
    // Their links are TLS connections to Redis (the master has no plain port at all).
    const clients = String(await tlsCommand(masterTls, "CLIENT", "LIST"));
    expect(clients.split("\n").filter((l) => / name=sentinel-/.test(l)).length).toBeGreaterThanOrEqual(6);
  });

  it("a daemon that does not trust the CA gets no link up", async () => {
    const m = pairs(await cmd(rogue.port, "SENTINEL", "MASTER", "mymaster"));
    expect(m.flags).toMatch(/disconnected|s_down/);
    rogue.kill("SIGKILL");
  });

  it("fails over over TLS", async () => {
    await tlsCommand(masterTls, "SET", "k", "v");
    await waitFor(async () => Number(await tlsCommand(masterTls, "WAIT", "1", "1000")) >= 1, 10000);
    master.kill("SIGKILL");
    await waitFor(
      async () => {
        const addrs = await Promise.all(sentinelPorts.map((p) => cmd(p, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster")));
        return addrs.every((a) => (a as string[])[1] === String(replicaTls));
      },
      30000,
      100,
    );
    await waitFor(async () => ((await tlsCommand(replicaTls, "ROLE")) as unknown[])[0] === "master", 10000);
    expect(await tlsCommand(replicaTls, "GET", "k")).toBe("v");
  });
});

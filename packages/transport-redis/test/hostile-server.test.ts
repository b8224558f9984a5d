/**
 * Hostile input at the RESP server level (issue 8): the parser's memory accounting against
 * `*2147483647` followed by endless empty arguments, and the TLS listener (`ListenOptions.tls`):
 * client-certificate modes, plain text and junk on the TLS port, stalled handshakes, `maxclients`
 * counting TLS clients, TLS-only listening. The daemon-level counterparts live in
 * packages/cli/test/reliability-hostile-*.test.ts and security-tls.test.ts.
 */
import { rmSync } from "node:fs";
import net from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARG_OVERHEAD_BYTES, createRequestParser } from "../src/resp/parser.js";
import { createRespServer } from "../src/server/resp-server.js";
import type { RespServer, TlsListenOptions } from "../src/server/types.js";
import { SENTINEL_LIKE_HANDLERS } from "./fixtures/our-server.js";
import { rawExchange } from "./fixtures/raw-client.js";
import { makeTestCerts, type TestCerts } from "./fixtures/test-certs.js";

describe("request parser memory accounting", () => {
  it("counts a per-argument overhead, so empty arguments cannot grow memory for free", () => {
    const p = createRequestParser();
    p.feed(Buffer.from("*2147483647\r\n"));
    p.feed(Buffer.from("$0\r\n\r\n".repeat(1000)));
    expect(p.next()).toEqual({ kind: "incomplete" });
    expect(p.pendingBytes).toBe(0);
    expect(p.retainedBytes).toBe(1000 * ARG_OVERHEAD_BYTES);
  });

  it("the server closes such a client at the query buffer limit, and the heap stays flat", async () => {
    const server = createRespServer({ handlers: SENTINEL_LIKE_HANDLERS, queryBufferLimit: 8 * 1024 * 1024 });
    const port = await server.listen({ port: 0 });
    try {
      const before = process.memoryUsage().heapUsed;
      const s = net.connect(port, "127.0.0.1");
      s.on("error", () => undefined);
      await new Promise((r) => s.once("connect", r));
      const closed = new Promise((r) => s.once("close", r));
      s.write("*2147483647\r\n");
      const chunk = Buffer.from("$0\r\n\r\n".repeat(50_000));
      let sent = 0;
      while (!s.destroyed && sent < 100 * 1024 * 1024) {
        if (!s.write(chunk)) await new Promise((r) => setTimeout(r, 1));
        sent += chunk.length;
      }
      await closed;
      // 8 MiB / 256 B ≈ 33k arguments ≈ 200 KB on the wire, nowhere near the 100 MB we could send.
      expect(sent).toBeLessThan(20 * 1024 * 1024);
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
      expect((await rawExchange(port, "PING\r\n", { replies: 1 })).bytes.toString()).toBe("+PONG\r\n");
    } finally {
      await server.close();
    }
  });
});

describe("TLS listener", () => {
  let certs: TestCerts;
  beforeAll(() => {
    certs = makeTestCerts();
  });
  afterAll(() => {
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  async function start(authClients: TlsListenOptions["authClients"], extra: { maxClients?: number; tcp?: boolean } = {}): Promise<{ server: RespServer; port: number; tlsPort: number }> {
    const server = createRespServer({ handlers: SENTINEL_LIKE_HANDLERS, maxClients: extra.maxClients });
    const port = await server.listen({ port: 0, tcp: extra.tcp, tls: { port: 0, key: certs.key, cert: certs.cert, ca: certs.ca, authClients } });
    return { server, port, tlsPort: server.tlsPort() };
  }

  /** PING over TLS; resolves with the reply or the error's message. */
  function tlsPing(port: number, options: tls.ConnectionOptions = {}): Promise<string> {
    return new Promise((resolve) => {
      const s = tls.connect({ host: "127.0.0.1", port, ca: certs.ca, checkServerIdentity: () => undefined, ...options });
      let got = "";
      const t = setTimeout(() => {
        s.destroy();
        resolve(`timeout:${got}`);
      }, 5000);
      s.on("secureConnect", () => s.write("PING\r\n"));
      s.on("data", (d: Buffer) => {
        got += d.toString();
        if (got.endsWith("\r\n")) {
          clearTimeout(t);
          s.destroy();
          resolve(got);
        }
      });
      s.on("error", (e) => {
        clearTimeout(t);
        resolve(`error:${e.message}`);
      });
      s.on("close", () => {
        clearTimeout(t);
        resolve(got === "" ? "closed" : got);
      });
    });
  }

  const clientCert = () => ({ cert: certs.cert, key: certs.key });
  const rogueCert = () => ({ cert: certs.rogueCert, key: certs.rogueKey });

  it("authClients yes (default): a certificate from the CA is required", async () => {
    const { server, tlsPort } = await start(undefined);
    try {
      expect(await tlsPing(tlsPort, clientCert())).toBe("+PONG\r\n");
      expect(await tlsPing(tlsPort)).not.toBe("+PONG\r\n");
      expect(await tlsPing(tlsPort, rogueCert())).not.toBe("+PONG\r\n");
      // The server's own certificate is checked by clients too.
      expect(await tlsPing(tlsPort, { ...clientCert(), ca: certs.rogueCa })).toMatch(/^error:/);
    } finally {
      await server.close();
    }
  });

  it("authClients optional: none is fine, a bad one is refused", async () => {
    const { server, tlsPort } = await start("optional");
    try {
      expect(await tlsPing(tlsPort)).toBe("+PONG\r\n");
      expect(await tlsPing(tlsPort, clientCert())).toBe("+PONG\r\n");
      expect(await tlsPing(tlsPort, rogueCert())).not.toBe("+PONG\r\n");
    } finally {
      await server.close();
    }
  });

  it("authClients no: no certificate is asked for", async () => {
    const { server, tlsPort } = await start("no");
    try {
      expect(await tlsPing(tlsPort)).toBe("+PONG\r\n");
    } finally {
      await server.close();
    }
  });

  it("plain text, junk and stalled handshakes cost only their own sockets", async () => {
    const errors: unknown[] = [];
    const server = createRespServer({ handlers: SENTINEL_LIKE_HANDLERS, onError: (e) => errors.push(e) });
    await server.listen({ port: 0, tls: { port: 0, key: certs.key, cert: certs.cert, ca: certs.ca, authClients: "no" } });
    const tlsPort = server.tlsPort();
    try {
      const plain = await rawExchange(tlsPort, "PING\r\n".repeat(5000), { timeoutMs: 5000 });
      expect(plain.closed).toBe(true);
      expect(plain.bytes.toString()).not.toContain("PONG");
      const junk = await rawExchange(tlsPort, Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 0xff, 0xff]), { timeoutMs: 5000 });
      expect(junk.closed).toBe(true);
      // 200 clients that connect and never start a handshake do not stop others.
      const stalled = await Promise.all(
        Array.from(
          { length: 200 },
          () =>
            new Promise<net.Socket>((resolve) => {
              const s = net.connect(tlsPort, "127.0.0.1", () => resolve(s));
              s.on("error", () => undefined);
            }),
        ),
      );
      expect(await tlsPing(tlsPort)).toBe("+PONG\r\n");
      // Not clients: they never finished a handshake (the pinging client is gone once its close lands).
      for (let i = 0; i < 100 && server.stats().connectedClients > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(server.stats().connectedClients).toBe(0);
      for (const s of stalled) s.destroy();
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("TLS clients count against maxclients like TCP ones", async () => {
    const { server, port, tlsPort } = await start("no", { maxClients: 1 });
    try {
      const held = net.connect(port, "127.0.0.1");
      held.on("error", () => undefined);
      await new Promise((r) => held.once("connect", r));
      await new Promise((r) => setTimeout(r, 50));
      expect(await tlsPing(tlsPort)).toBe("-ERR max number of clients reached\r\n");
      held.destroy();
    } finally {
      await server.close();
    }
  });

  it("tcp: false listens on TLS only; tlsPort() reports the bound port and close() releases it", async () => {
    const { server, tlsPort } = await start("no", { tcp: false });
    expect(tlsPort).toBeGreaterThan(0);
    expect(server.addresses()).toEqual([{ host: "127.0.0.1", port: tlsPort }]);
    expect(await tlsPing(tlsPort)).toBe("+PONG\r\n");
    await server.close();
    expect(await tlsPing(tlsPort)).toMatch(/^error:.*ECONNREFUSED/);
  });

  it("bad key material is refused before anything is bound", async () => {
    const server = createRespServer({});
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    await expect(server.listen({ port, tls: { port: 0, key: certs.rogueKey, cert: certs.cert } })).rejects.toThrow();
    // The plain port was not left bound.
    await new Promise<void>((resolve, reject) => {
      const again = net.createServer().once("error", reject);
      again.listen(port, "127.0.0.1", () => again.close(() => resolve()));
    });
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TopologySnapshot } from "../ops/topology-snapshot.js";
import type { EventStream } from "./event-stream.js";
import { liveness, type ProbeResult, type ReadinessInputs, readiness } from "./health-checks.js";
import { pageHtml } from "./page/topology-html.js";
import type { StaticAsset } from "./static-assets.js";

/** What the ops HTTP listener serves; each source is read per request. */
export interface OpsHttpSources {
  readonly metrics: () => Promise<{ contentType: string; body: string }>;
  readonly readiness: ReadinessInputs;
  /** The `/api/state` JSON, the first SSE message, and what the page `/` is drawn with. */
  readonly state: () => TopologySnapshot;
  readonly stream: EventStream;
  readonly assets: ReadonlyMap<string, StaticAsset>;
}

/** A listening ops server. */
export interface OpsHttpServer {
  /** The bound port (useful when 0 was asked). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Split `vigil-http`'s `<host>:<port>` (IPv6 in brackets). The directive was validated when the
 * config was loaded, so only the shape is handled here.
 */
export function parseHostPort(v: string): { host: string; port: number } {
  const i = v.lastIndexOf(":");
  return { host: v.slice(0, i).replace(/^\[(.*)\]$/, "$1"), port: Number(v.slice(i + 1)) };
}

/**
 * The opt-in HTTP listener (`--http` / `vigil-http`): Prometheus `/metrics`, `/healthz`, `/readyz`,
 * the live topology page `/` with its assets, `/events` (Server-Sent Events) and `/api/state`.
 * Read-only by design: nothing here can change the Sentinel, so exposing it is a visibility
 * decision only. Bind it to loopback or a management network.
 */
export async function startOpsHttpServer(host: string, port: number, sources: OpsHttpSources): Promise<OpsHttpServer> {
  const server: Server = createServer((req, res) => {
    void handle(req, res, sources).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(`internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        sources.stream.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, s: OpsHttpSources): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
    res.end("method not allowed\n");
    return;
  }
  switch (path) {
    case "/metrics": {
      const m = await s.metrics();
      send(res, 200, m.contentType, m.body);
      return;
    }
    case "/healthz":
      return probe(res, liveness());
    case "/readyz":
      return probe(res, readiness(s.readiness));
    case "/api/state":
      send(res, 200, "application/json; charset=utf-8", JSON.stringify(s.state()));
      return;
    case "/events":
      s.stream.attach(res, [{ event: "state", data: s.state() }]);
      return;
    case "/":
      // Drawn with the current state: the first response is already the page, not an empty shell.
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
      res.end(req.method === "HEAD" ? undefined : pageHtml(s.state()));
      return;
  }
  const asset = s.assets.get(path);
  if (asset) {
    res.writeHead(200, { "content-type": asset.contentType, "cache-control": "no-cache", "x-content-type-options": "nosniff" });
    res.end(req.method === "HEAD" ? undefined : asset.body);
    return;
  }
  send(res, 404, "text/plain; charset=utf-8", "not found\n");
}

function probe(res: ServerResponse, r: ProbeResult): void {
  send(res, r.ok ? 200 : 503, "application/json; charset=utf-8", JSON.stringify(r));
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}

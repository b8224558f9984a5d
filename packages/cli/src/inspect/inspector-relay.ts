import { createServer, type IncomingMessage, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";

/** The part of `ws` the relay uses (typed here: the package ships no types of its own). */
interface WsSocket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  on(event: "message", listener: (data: Buffer | string) => void): void;
}
interface WsServer {
  readonly clients: Set<WsSocket>;
  on(event: "connection", listener: (socket: WsSocket) => void): void;
  close(): void;
}
type WsServerClass = new (options: { server: Server; verifyClient: (info: { origin?: string; req: IncomingMessage }) => boolean }) => WsServer;

const { WebSocketServer } = createRequire(import.meta.url)("ws") as { WebSocketServer: WsServerClass };
const OPEN = 1;

/** The Stately inspector UI the bridge page embeds. */
export const STATELY_INSPECTOR_URL = "https://stately.ai/inspect";

/** A running relay. */
export interface InspectorRelay {
  readonly port: number;
  /** The page to open in a browser. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * What `@statelyai/inspect/server` does, but bound to 127.0.0.1 only (that helper listens on every
 * interface and opens a browser). The daemon's WebSocket inspector connects here; browsers opening
 * the bridge page get every message, with actor registrations and the latest snapshots replayed so
 * a page opened late still shows every machine. Cross-origin WebSocket connections are refused, so
 * an unrelated web page in the operator's browser cannot read the stream.
 */
export async function startInspectorRelay(port: number, maxReplay = 2000): Promise<InspectorRelay> {
  const actors = new Map<string, string>();
  const replay: string[] = [];
  const http = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (path !== "/") {
      res.writeHead(404).end();
      return;
    }
    const bound = (http.address() as AddressInfo).port;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(bridgePage(bound));
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen({ host: "127.0.0.1", port }, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const bound = (http.address() as AddressInfo).port;
  const allowed = new Set([`http://127.0.0.1:${bound}`, `http://localhost:${bound}`]);
  const wss = new WebSocketServer({ server: http, verifyClient: ({ origin }) => origin === undefined || allowed.has(origin) });
  wss.on("connection", (socket) => {
    for (const m of actors.values()) socket.send(m);
    for (const m of replay) socket.send(m);
    socket.on("message", (data) => {
      const text = data.toString();
      remember(text, actors, replay, maxReplay);
      for (const c of wss.clients) if (c !== socket && c.readyState === OPEN) c.send(text);
    });
  });
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.close();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}

/** Keep registrations forever (a late viewer needs every actor) and the recent rest in a ring. */
function remember(text: string, actors: Map<string, string>, replay: string[], max: number): void {
  try {
    const msg = JSON.parse(text) as { type?: string; sessionId?: string };
    if (msg.type === "@xstate.actor" && typeof msg.sessionId === "string") {
      actors.set(msg.sessionId, text);
      return;
    }
  } catch {
    // Not JSON: relay it, but there is nothing to index.
  }
  replay.push(text);
  if (replay.length > max) replay.splice(0, replay.length - max);
}

function bridgePage(port: number): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Vigil — Stately inspector</title>
<style>html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%}</style></head>
<body><iframe id="inspector" src="${STATELY_INSPECTOR_URL}"></iframe>
<script>
  // Bridge: WebSocket from the Vigil daemon's relay -> postMessage into the Stately inspector frame.
  const frame = document.getElementById("inspector");
  const pending = [];
  let ready = false;
  window.addEventListener("message", (e) => {
    if (e.data && e.data.type === "@statelyai.connected") {
      ready = true;
      for (const m of pending.splice(0)) frame.contentWindow.postMessage(m, "*");
    }
  });
  const ws = new WebSocket("ws://127.0.0.1:${port}");
  ws.onmessage = (e) => {
    const data = JSON.parse(e.data);
    if (ready) frame.contentWindow.postMessage(data, "*");
    else pending.push(data);
  };
</script></body></html>`;
}

import { readFileSync } from "node:fs";

/** A file of the topology page, ready to send. */
export interface StaticAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

const TYPES: Readonly<Record<string, string>> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

/**
 * The page's script and style live in `packages/cli/public/` as plain JS/CSS: no bundler. The
 * markup renderer is the compiled `src/http/page/topology-html.ts`, shared with the server, found
 * from `src/` (tests) and `dist/` alike.
 */
const FILES: Readonly<Record<string, URL>> = {
  "/app.js": new URL("../../public/app.js", import.meta.url),
  "/style.css": new URL("../../public/style.css", import.meta.url),
  "/topology-html.js": new URL("../../dist/http/page/topology-html.js", import.meta.url),
};

/**
 * Read the page's assets once at start-up (they are small), so a request never touches the disk
 * and a missing file fails the daemon's start instead of a page load.
 */
export function loadStaticAssets(): ReadonlyMap<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const [path, file] of Object.entries(FILES)) {
    const ext = path.slice(path.lastIndexOf(".") + 1);
    assets.set(path, { contentType: TYPES[ext] ?? "application/octet-stream", body: readFileSync(file) });
  }
  return assets;
}

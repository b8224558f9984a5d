import { readFileSync } from "node:fs";

/** A file of the topology page, ready to send. */
export interface StaticAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

const TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

/** The page's files live in `packages/cli/public/` as plain HTML/JS/CSS: no bundler, no build step. */
const PUBLIC_DIR = new URL("../../public/", import.meta.url);

/** URL path → file name of every asset served. */
const FILES: Readonly<Record<string, string>> = { "/": "index.html", "/app.js": "app.js", "/style.css": "style.css" };

/**
 * Read the page's assets once at start-up (they are small), so a request never touches the disk
 * and a missing file fails the daemon's start instead of a page load.
 */
export function loadStaticAssets(): ReadonlyMap<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const [path, file] of Object.entries(FILES)) {
    const ext = file.slice(file.lastIndexOf(".") + 1);
    assets.set(path, { contentType: TYPES[ext] ?? "application/octet-stream", body: readFileSync(new URL(file, PUBLIC_DIR)) });
  }
  return assets;
}

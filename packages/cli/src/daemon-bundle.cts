// The daemon's start-up bundle (scripts/bundle-cli.mjs writes it): one CommonJS file holding
// daemon/run-daemon.js and everything it imports, plus a V8 code cache of it. Compiling and
// evaluating ~190 modules was most of the daemon's start-up (docs/performance.md, "Start-up");
// one file compiled from its code cache costs a fraction. Only node: modules are imported here.
//
// Never stale: the bundle is used only while every file it was made from, and the bundle and cache
// themselves, have the size and mtime the manifest recorded when they were written. V8 checks the
// cache against its own version and flags and the source length (not its content, hence the
// manifest), and compiles from source when it rejects it.
//
// CommonJS (.cts), like bin.cts: an ES module entry point makes Node set up its ES module loader
// before the first line runs, ~15 ms of the daemon's start-up.
import fs = require("node:fs");
import nodeModule = require("node:module");
import path = require("node:path");
import vm = require("node:vm");
import youngGeneration = require("./young-generation.cjs");

const { readFileSync, statSync } = fs;

/** daemon/run-daemon.ts's `runDaemon`. */
type RunDaemon = (configPath: string, rest: string[]) => Promise<number>;

/** File names inside dist/bundle/. */
const BUNDLE_FILE = "daemon.cjs";
const CACHE_FILE = "daemon.cjs.cache";
const MANIFEST_FILE = "manifest.json";

/** [path relative to the bundle directory, size, mtimeMs] */
type Entry = [string, number, number];

/** What dist/bundle/manifest.json holds. */
interface BundleManifest {
  /** The files of dist/ the bundle was made from. */
  readonly inputs: Entry[];
  /** The bundle and its code cache, as written. */
  readonly outputs: Entry[];
}

/** Every file the bundle was made from, and the bundle and cache, are as the manifest recorded them. */
function bundleIsCurrent(dir: string): boolean {
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(readFileSync(`${dir}/${MANIFEST_FILE}`, "utf8")) as BundleManifest;
  } catch {
    return false; // never bundled (plain `tsc -b`)
  }
  if (!Array.isArray(manifest.inputs) || !Array.isArray(manifest.outputs)) return false;
  for (const [path, size, mtimeMs] of [...manifest.inputs, ...manifest.outputs]) {
    const s = statSync(`${dir}/${path}`, { throwIfNoEntry: false });
    // Within a millisecond: a copy that keeps timestamps (cp -p, fs.cpSync) rounds them.
    if (s === undefined || s.size !== size || Math.abs(s.mtimeMs - mtimeMs) >= 1) return false;
  }
  return true;
}

/**
 * The bundle compiled (from the cache when V8 accepts it) and evaluated, CommonJS style.
 * `beforeEvaluation` runs in between (V8 checks its flags against the cache's while compiling).
 */
function evaluateBundle(dir: string, cachedData?: Buffer, beforeEvaluation?: () => void): { exports: Record<string, unknown>; script: vm.Script } {
  const file = `${dir}/${BUNDLE_FILE}`;
  // The file is ASCII and already wrapped like a CommonJS module (bundle-cli.mjs): compiled as read,
  // a one-byte string that V8 keeps (lazily compiled functions are compiled from it).
  const script = new vm.Script(readFileSync(file, "latin1"), { filename: file, cachedData });
  beforeEvaluation?.();
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, nodeModule.createRequire(file), module, file, path.dirname(file));
  return { exports: module.exports, script };
}

/** `runDaemon` from the bundle next to this file's dist/bundle/, or undefined when there is no current one. */
function loadDaemonBundle(): RunDaemon | undefined {
  const dir = path.join(__dirname, "bundle");
  if (process.env.VIGIL_NO_BUNDLE === "1" || !bundleIsCurrent(dir)) return undefined;
  let cache: Buffer | undefined;
  try {
    cache = readFileSync(`${dir}/${CACHE_FILE}`);
  } catch {
    cache = undefined; // bundled without a cache: compile from source
  }
  return evaluateBundle(dir, cache, () => youngGeneration.fixYoungGeneration()).exports.runDaemon as RunDaemon;
}

export = { BUNDLE_FILE, CACHE_FILE, MANIFEST_FILE, bundleIsCurrent, evaluateBundle, loadDaemonBundle };

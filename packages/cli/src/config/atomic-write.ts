import { accessSync, closeSync, constants, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { type FileHandle, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { strerror } from "./strerror.js";

/** Outcome of a file-system operation on the config; `message` is the `strerror` text. */
export type FsResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Distinguishes temp files of concurrent writes from the same process. */
let tempCounter = 0;

/** Create `temp` exclusively; a leftover from a crashed process that had our pid is replaced. */
async function openExclusive(temp: string): Promise<FileHandle> {
  try {
    return await open(temp, "wx", 0o644);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "EEXIST") throw error;
    await unlink(temp);
    return await open(temp, "wx", 0o644);
  }
}

/**
 * Replace `path` with `text` atomically and durably, like Redis's `rewriteConfigOverwriteFile`:
 * write a temp file `<path>.tmp-<pid>-<n>` in the same directory (so the rename cannot cross file
 * systems), fsync it, rename it over `path`, then fsync the directory so the rename itself survives
 * a crash. Readers see the old file or the new one, never a torn mix.
 *
 * The temp file is created exclusively with mode 0644, which the process umask then narrows: the
 * same result as Redis's `fchmod(fd, 0644 & ~umask)` after `mkstemp`.
 *
 * Failures (permissions, full disk, ...) are returned, not thrown; the temp file is removed.
 */
export async function writeFileAtomic(path: string, text: string): Promise<FsResult> {
  const dir = dirname(path);
  const temp = join(dir, `${basename(path)}.tmp-${process.pid}-${tempCounter++}`);
  let created = false;
  try {
    const handle = await openExclusive(temp);
    created = true;
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    created = false;
    const dirHandle = await open(dir, "r");
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
    return { ok: true };
  } catch (error) {
    if (created) await unlink(temp).catch(() => undefined);
    return { ok: false, message: strerror(error) };
  }
}

/**
 * Sentinel's startup check (`sentinelCheckConfigFile`): a config file is mandatory and must be
 * writable, because state is persisted into it. Returns Redis's exact log line on failure; the
 * daemon logs it and exits with status 1.
 */
export function checkWritable(path: string | undefined): FsResult {
  if (path === undefined || path === "") return { ok: false, message: "Sentinel needs config file on disk to save state. Exiting..." };
  try {
    accessSync(path, constants.W_OK);
    return { ok: true };
  } catch (error) {
    return { ok: false, message: `Sentinel config file ${path} is not writable: ${strerror(error)}. Exiting...` };
  }
}

/** `access(path, X_OK) == 0`: the check Sentinel applies to notification / client-reconfig scripts. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Synchronous twin of {@link writeFileAtomic}, for the engine's `persist` command: the engine's
 * ordering obligation (a vote is on disk before it is answered) is simplest to honour by not
 * yielding to the event loop until the file is durable.
 */
export function writeFileAtomicSync(path: string, text: string): FsResult {
  const dir = dirname(path);
  const temp = join(dir, `${basename(path)}.tmp-${process.pid}-${tempCounter++}`);
  let created = false;
  try {
    let fd: number;
    try {
      fd = openSync(temp, "wx", 0o644);
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EEXIST") throw error;
      unlinkSync(temp);
      fd = openSync(temp, "wx", 0o644);
    }
    created = true;
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    created = false;
    const dfd = openSync(dir, "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
    return { ok: true };
  } catch (error) {
    if (created) {
      try {
        unlinkSync(temp);
      } catch {
        // best effort
      }
    }
    return { ok: false, message: strerror(error) };
  }
}

/**
 * Remove temp files a killed process left next to `path` (`<name>.tmp-<pid>-<n>`, see
 * {@link writeFileAtomic}) whose pid is no longer running. Nothing reads them, so they are only
 * clutter, but a daemon killed mid-rewrite again and again would pile them up. Temp files of a
 * live process (another daemon on the same file, or ourselves) are left alone. Returns the names
 * removed; never throws.
 */
export function removeStaleTempFiles(path: string): string[] {
  const dir = dirname(path);
  const prefix = `${basename(path)}.tmp-`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)-\d+$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // raced with someone else, or not ours to remove
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as { code?: unknown }).code === "EPERM";
  }
}

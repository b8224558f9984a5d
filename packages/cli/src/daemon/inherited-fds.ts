import { closeSync, readdirSync, readFileSync, readlinkSync } from "node:fs";

/** `O_CLOEXEC` as `/proc/<pid>/fdinfo` prints it (octal flags). */
const O_CLOEXEC = 0o2000000;

/**
 * Close the descriptors above stderr that this process inherited from its parent (a supervisor's
 * pipes, a shell's extra descriptors, a socket passed by mistake). Node opens everything it uses
 * with `O_CLOEXEC`, and `child_process.spawn` does not close other descriptors, so without this a
 * notification or reconfig script would inherit them. The daemon never uses an inherited
 * descriptor; Node's IPC channel (`NODE_CHANNEL_FD`) is kept, and so are the files V8's profilers
 * opened for this process (see {@link openedForThisProcess}). Linux only (`/proc`); elsewhere a
 * no-op. Returns the descriptors closed.
 */
export function closeInheritedDescriptors(): number[] {
  const keep = new Set([0, 1, 2]);
  const channel = Number(process.env.NODE_CHANNEL_FD);
  if (Number.isInteger(channel)) keep.add(channel);
  let fds: number[];
  try {
    fds = readdirSync("/proc/self/fdinfo").map(Number);
  } catch {
    return [];
  }
  const closed: number[] = [];
  for (const fd of fds) {
    if (!Number.isInteger(fd) || keep.has(fd)) continue;
    let flags: number;
    try {
      const m = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"));
      if (!m) continue;
      flags = Number.parseInt(m[1]!, 8);
    } catch {
      continue; // closed meanwhile, or the descriptor readdir itself used
    }
    if ((flags & O_CLOEXEC) !== 0 || openedForThisProcess(fd)) continue;
    try {
      closeSync(fd);
      closed.push(fd);
    } catch {
      // already gone
    }
  }
  return closed;
}

/**
 * A file named after this process's pid: V8 opens its profilers' output without `O_CLOEXEC` before
 * any JavaScript runs (`--perf-basic-prof`: /tmp/perf-<pid>.map, `--perf-prof`: jit-<pid>.dump,
 * `--prof`: isolate-...-<pid>-...-v8.log); closing it silently ends the profile. A parent names
 * nothing it passes down after a pid that did not exist when it opened it.
 */
function openedForThisProcess(fd: number): boolean {
  try {
    const name = readlinkSync(`/proc/self/fd/${fd}`).replace(/^.*\//, "");
    return new RegExp(`(^|\\D)${process.pid}(\\D|$)`).test(name);
  } catch {
    return false;
  }
}

/** glibc `strerror` texts for the errno codes file operations on a config realistically hit. */
const STRERROR: Readonly<Record<string, string>> = {
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EROFS: "Read-only file system",
  ENOSPC: "No space left on device",
  EDQUOT: "Disk quota exceeded",
  EEXIST: "File exists",
  EIO: "Input/output error",
  ELOOP: "Too many levels of symbolic links",
  ENAMETOOLONG: "File name too long",
  EMFILE: "Too many open files",
  ENFILE: "Too many open files in system",
  EBUSY: "Device or resource busy",
  EXDEV: "Invalid cross-device link",
  ETXTBSY: "Text file busy",
};

/**
 * The C `strerror` text for a Node.js system error, so messages match what Redis logs
 * (`Permission denied`, not `EACCES: permission denied, access '/x'`).
 */
export function strerror(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && Object.hasOwn(STRERROR, code)) return STRERROR[code]!;
  return error instanceof Error ? error.message : String(error);
}

import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkWritable, isExecutable, writeFileAtomic } from "../src/config/atomic-write.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vigil-atomic-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("writeFileAtomic", () => {
  it("creates and replaces the file, leaving no temp file behind", async () => {
    const path = join(dir, "sentinel.conf");
    expect(await writeFileAtomic(path, "port 1\n")).toEqual({ ok: true });
    writeFileSync(path, "old", { mode: 0o600 });
    expect(await writeFileAtomic(path, "port 2\n")).toEqual({ ok: true });
    expect(readFileSync(path, "utf8")).toBe("port 2\n");
    expect(readdirSync(dir)).toEqual(["sentinel.conf"]);
    // A fresh inode with 0644 narrowed by the umask, like Redis's fchmod(0644 & ~umask).
    expect(statSync(path).mode & 0o777 & ~0o644).toBe(0);
  });

  it("handles concurrent writes from the same process", async () => {
    const path = join(dir, "sentinel.conf");
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => writeFileAtomic(path, `n ${i}\n`)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(readFileSync(path, "utf8")).toMatch(/^n \d\n$/);
    expect(readdirSync(dir)).toEqual(["sentinel.conf"]);
  });

  it("returns the strerror text instead of throwing", async () => {
    expect(await writeFileAtomic(join(dir, "missing", "sentinel.conf"), "x")).toEqual({ ok: false, message: "No such file or directory" });
  });
});

describe("checkWritable", () => {
  it("uses Sentinel's exact messages", () => {
    expect(checkWritable(undefined)).toEqual({ ok: false, message: "Sentinel needs config file on disk to save state. Exiting..." });
    const missing = join(dir, "nope.conf");
    expect(checkWritable(missing)).toEqual({
      ok: false,
      message: `Sentinel config file ${missing} is not writable: No such file or directory. Exiting...`,
    });
    const path = join(dir, "sentinel.conf");
    writeFileSync(path, "");
    expect(checkWritable(path)).toEqual({ ok: true });
    if (process.getuid?.() !== 0) {
      // root ignores permission bits, so this part only means something for other users.
      chmodSync(path, 0o444);
      expect(checkWritable(path)).toEqual({ ok: false, message: `Sentinel config file ${path} is not writable: Permission denied. Exiting...` });
    }
  });
});

describe("isExecutable", () => {
  it("is access(X_OK)", () => {
    const script = join(dir, "notify.sh");
    writeFileSync(script, "#!/bin/sh\n", { mode: 0o755 });
    expect(isExecutable(script)).toBe(true);
    expect(isExecutable(join(dir, "missing.sh"))).toBe(false);
  });
});

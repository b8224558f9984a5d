#!/usr/bin/env node
// Second line of defence behind biome's restricted globals/imports: a plain scan of packages/core/src
// for the things architecture rule 1 forbids, including `Math.random` (which biome cannot ban alone).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../packages/core/src/", import.meta.url).pathname;
const forbidden = [
  [/from\s+["'](node:[^"']+|fs|net|tls|os|child_process|path|crypto|dns|http|https|timers|ioredis|pino)["']/, "I/O import"],
  [/\bimport\(\s*["']/, "dynamic import"],
  [/\bMath\.random\b/, "Math.random (use the Prng passed in)"],
  [/\bDate\b/, "Date (time arrives as data)"],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\b/, "timer"],
  [/\bprocess\./, "process"],
  [/\bperformance\./, "clock"],
];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith(".ts")) files.push(p);
  }
};
walk(root);
let bad = 0;
for (const file of files) {
  readFileSync(file, "utf8").split("\n").forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, "");
    if (/^\s*(\*|\/\*)/.test(line)) return; // doc comments may name the forbidden things
    for (const [re, what] of forbidden) {
      if (re.test(code)) {
        console.error(`${file}:${i + 1}: ${what} is forbidden in @vigil/core: ${line.trim()}`);
        bad++;
      }
    }
  });
}
if (bad > 0) process.exit(1);
console.log(`core purity: ${files.length} files clean`);

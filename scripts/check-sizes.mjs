#!/usr/bin/env node
// Architecture rule 2 as a lint: no source file in packages/*/src past 400 lines and no function or
// method past 80 lines. Function lengths come from the TypeScript compiler's syntax tree (first line of
// the declaration to its closing brace), so nested functions count inside their outer function too.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const repo = new URL("..", import.meta.url).pathname;
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

/**
 * Files exempt from the file-size limit, each with the reason (generated: they may grow with the oracle).
 * Generated data, not logic: also exempt from the function-size limit (each table is a function so
 * that only the dialect in use is ever built).
 */
const largeFiles = new Map([
  ["packages/transport-redis/src/server/command-table-data.ts", "generated COMMAND table (Redis 7.0)"],
  ["packages/transport-redis/src/server/command-table-data-redis-7.2.ts", "generated COMMAND table (Redis 7.2)"],
  ["packages/transport-redis/src/server/command-table-data-valkey-8.ts", "generated COMMAND table (Valkey 8)"],
]);

/**
 * Functions exempt from the function-size limit ("file:name"), each with the reason. Temporary:
 * an entry whose function is back within the limit fails the check, so it gets removed.
 */
const longFunctions = new Map([
]);

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith(".ts") && !p.endsWith(".d.ts")) files.push(p);
  }
};
for (const pkg of readdirSync(join(repo, "packages"))) {
  const src = join(repo, "packages", pkg, "src");
  if (statSync(src, { throwIfNoEntry: false })?.isDirectory()) walk(src);
}

const functionName = (node) => {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name && ts.isPrivateIdentifier(node.name)) return node.name.text;
  if (node.name && ts.isStringLiteral(node.name)) return node.name.text;
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && parent.name && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return "(anonymous)";
};

const problems = [];
const usedExemptions = new Set();
for (const file of files) {
  const rel = relative(repo, file);
  const text = readFileSync(file, "utf8");
  const lines = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
  if (lines > MAX_FILE_LINES) {
    if (!largeFiles.has(rel)) problems.push(`${rel}: ${lines} lines (limit ${MAX_FILE_LINES}; split it by concern)`);
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body && !largeFiles.has(rel)) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const length = end - start + 1;
      if (length > MAX_FUNCTION_LINES) {
        const key = `${rel}:${functionName(node)}`;
        if (longFunctions.has(key)) usedExemptions.add(key);
        else problems.push(`${rel}:${start + 1}: ${functionName(node)} is ${length} lines (limit ${MAX_FUNCTION_LINES})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
for (const key of longFunctions.keys()) {
  if (!usedExemptions.has(key)) problems.push(`${key}: listed as an exemption in scripts/check-sizes.mjs but within limits now; remove the entry`);
}
for (const p of problems) console.error(p);
if (problems.length > 0) process.exit(1);
console.log(`sizes: ${files.length} files within ${MAX_FILE_LINES} lines, functions within ${MAX_FUNCTION_LINES}`);

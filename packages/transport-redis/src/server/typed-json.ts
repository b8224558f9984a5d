import { array, bulk, integer, map, NULL, type Reply, set, simple } from "../resp/reply.js";

/**
 * A compact, JSON-compatible spelling of a {@link Reply} tree, used for the captured command
 * table: a string is a bulk string, a number an integer, `null` the null bulk, an array an array;
 * `{"+": s}` is a status reply, `{"~": [...]}` a set and `{"%": [[k, v], ...]}` a map. That covers
 * every type COMMAND and COMMAND DOCS use, and keeps the data diffable.
 */
export type TypedJson =
  | string
  | number
  | null
  | readonly TypedJson[]
  | { readonly "+": string }
  | { readonly "~": readonly TypedJson[] }
  | { readonly "%": readonly (readonly [TypedJson, TypedJson])[] };

/** Builds the reply a typed-JSON node stands for. */
export function fromTypedJson(node: TypedJson): Reply {
  if (node === null) return NULL;
  if (typeof node === "string") return bulk(node);
  if (typeof node === "number") return integer(node);
  if (isArray(node)) return array(node.map(fromTypedJson));
  if ("+" in node) return simple(node["+"]);
  if ("~" in node) return set(node["~"].map(fromTypedJson));
  return map(node["%"].map(([k, v]) => [fromTypedJson(k), fromTypedJson(v)] as const));
}

/**
 * The typed-JSON spelling of a reply, or `undefined` for reply types the format does not cover
 * (errors, doubles, booleans, pushes, verbatim, null arrays). Used by the capture script.
 */
export function toTypedJson(reply: Reply): TypedJson | undefined {
  switch (reply.kind) {
    case "bulk":
      return text(reply.value);
    case "integer":
      return Number(reply.value);
    case "null":
      return null;
    case "simple":
      return { "+": text(reply.value) };
    case "array":
    case "set": {
      const items: TypedJson[] = [];
      for (const item of reply.items) {
        const t = toTypedJson(item);
        if (t === undefined) return undefined;
        items.push(t);
      }
      return reply.kind === "array" ? items : { "~": items };
    }
    case "map": {
      const entries: (readonly [TypedJson, TypedJson])[] = [];
      for (const [k, v] of reply.entries) {
        const tk = toTypedJson(k);
        const tv = toTypedJson(v);
        if (tk === undefined || tv === undefined) return undefined;
        entries.push([tk, tv]);
      }
      return { "%": entries };
    }
    default:
      return undefined;
  }
}

function text(value: string | Buffer): string {
  return typeof value === "string" ? value : value.toString("utf8");
}

function isArray(node: TypedJson): node is readonly TypedJson[] {
  return Array.isArray(node);
}

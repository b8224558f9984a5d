/** @packageDocumentation RESP codec: reply values, encoder, request parser, reply reader. */
export { type BulkField, BulkFieldList, BulkFieldMap } from "./bulk-fields.js";
export { doubleText, encodeReply, type Protocol } from "./encoder.js";
export {
  createRequestParser,
  DEFAULT_MAX_BULK_LENGTH,
  DEFAULT_MAX_INLINE_LENGTH,
  type ParseResult,
  type RequestParser,
  type RequestParserOptions,
  UNAUTHENTICATED_MAX_ARGS,
  UNAUTHENTICATED_MAX_BULK,
} from "./parser.js";
export {
  type ArrayReply,
  array,
  type BooleanReply,
  type BulkReply,
  boolean,
  bulk,
  bulkArray,
  bulkMap,
  type DoubleReply,
  double,
  type ErrorReply,
  error,
  type IntegerReply,
  integer,
  isError,
  type MapReply,
  map,
  NULL,
  NULL_ARRAY,
  type NullArrayReply,
  type NullReply,
  OK,
  type PushReply,
  push,
  type Reply,
  type ReplyText,
  type SetReply,
  type SimpleReply,
  set,
  simple,
  type VerbatimReply,
  verbatim,
} from "./reply.js";
export { PlainError, type PlainReply, ReplyProtocolError, ReplyReader } from "./reply-reader.js";
export { splitInlineArgs } from "./split-args.js";
export { parseRedisInteger } from "./string-to-integer.js";

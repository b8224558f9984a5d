/**
 * `getLongLongFromObject` / `getLongFromObject` on a command argument: Redis's strict `string2ll`
 * (canonical decimal, within int64); `undefined` when the text is not such an integer. The C
 * stores (`toInt32`, `toUint32`) are the option registry's, shared with SENTINEL MONITOR.
 */
export { string2ll as parseLongLong, toInt32, toUint32 } from "@vigil/core";

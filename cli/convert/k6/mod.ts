/**
 * Converting k6 scripts into rampa scenarios (`rampa convert k6 script.js > scenario.ts`).
 *
 * @example
 * ```ts
 * import { convertK6 } from "./mod.ts";
 * const { code, notes } = convertK6(`import http from "k6/http";
 * export default function () { http.get("http://127.0.0.1:8080/"); }`, "script.js");
 * // code: import { http } from "rampa"; … export default async function () { await http.get(…); }
 * ```
 *
 * @module
 */
export { convertK6, type K6Conversion } from "./convert.ts";
export type { Note as K6ConversionNote } from "./_state.ts";

/**
 * Mapping of the errors thrown by Deno's socket, TLS and resolver APIs (and node:dns/node:tls
 * for the paths that use them) to rampa's {@link ErrorKind}s. Kept apart from the connection so
 * that the mapping is one table to read and test.
 *
 * @module
 */

import type { ErrorKind } from "../../core/types.ts";

/** The phase an error happened in: it changes what an ambiguous error means. */
export type FailPhase = "dns" | "connect" | "tls" | "io";

const RESET_NAMES = new Set([
  "ConnectionReset",
  "ConnectionAborted",
  "BrokenPipe",
  "UnexpectedEof",
  "NotConnected",
]);

const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ENOTCONN"]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "ENODATA"]);

/** Classifies a thrown value into an error kind, given the phase it was thrown in. */
export function classifyError(e: unknown, phase: FailPhase): ErrorKind {
  const err = e as { name?: string; code?: string; message?: string } | null;
  const name = err?.name ?? "";
  const code = err?.code ?? "";
  const message = err?.message ?? "";
  if (phase === "dns") return "dns";
  if (name === "ConnectionRefused" || code === "ECONNREFUSED") return "refused";
  if (name === "TimedOut" || code === "ETIMEDOUT") return "timeout";
  // Whatever breaks a handshake (a reset included) is a TLS failure to the user.
  if (phase === "tls") return "tls";
  if (RESET_NAMES.has(name) || RESET_CODES.has(code)) return "reset";
  if (DNS_CODES.has(code) || message.includes("failed to lookup address")) return "dns";
  // rustls reports certificate and handshake failures as InvalidData; node:tls has its codes.
  if (name === "InvalidData" || code.startsWith("ERR_TLS")) return "tls";
  if (
    message.includes("certificate") || message.includes("handshake") || message.includes("TLS")
  ) return "tls";
  return "other";
}

/** A one-line description of a thrown value for `Outcome.errorMessage`. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.name === "Error" ? e.message : `${e.name}: ${e.message}`;
  return String(e);
}

/**
 * The protocols built into rampa. A static list: every protocol is compiled into the binary,
 * and adding one means adding its folder and a line here — core names none of them. Every
 * thread that runs load or judges it calls {@link registerBuiltinProtocols} first.
 *
 * @module
 */
import { registerProtocol } from "../core/protocol/registry.ts";
import type { Protocol } from "../core/protocol/types.ts";
import { grpcProtocol } from "./grpc/protocol.ts";
import { httpProtocol } from "./http/protocol.ts";
import { sseProtocol } from "./sse/protocol.ts";
import { wsProtocol } from "./ws/protocol.ts";

/** Every built-in protocol, in the order help and summaries list them. */
export const BUILTIN_PROTOCOLS: readonly Protocol[] = [
  httpProtocol,
  wsProtocol,
  sseProtocol,
  grpcProtocol,
];

/** Registers the built-in protocols in this thread (idempotent). */
export function registerBuiltinProtocols(): void {
  for (const p of BUILTIN_PROTOCOLS) registerProtocol(p);
}

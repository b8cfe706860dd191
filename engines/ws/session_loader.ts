/**
 * Loads the session module, and with it the `ws` package, on first use. `ws` pulls in Node's
 * http, https, tls, zlib and stream layers: ~50 ms of CPU per thread that loads it, paid by
 * every run when it was a static import, though most runs never open a WebSocket.
 *
 * @module
 */

let loading: Promise<typeof import("./session.ts")> | null = null;

/** The session module, imported once per thread (later calls share the first import). */
export function loadSession(): Promise<typeof import("./session.ts")> {
  return loading ??= import("./session.ts");
}

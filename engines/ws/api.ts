/**
 * `ctx.ws`, the WebSocket client scenarios use. A session belongs to the iteration that opened
 * it: whatever an iteration leaves open is closed when it ends and counted in
 * `ws_sessions_left_open`. Connecting never rejects; a failed session has `error` set and its
 * methods are no-ops, so failures stay data on the metrics path.
 *
 * @module
 */
import type { VuState } from "../../core/protocol/types.ts";
import type { Tags } from "../../core/types.ts";
import { WsRecorder } from "./recorder.ts";
import type { WsSession } from "./session.ts";
import { loadSession } from "./session_loader.ts";

/** The protocol's key on the VU context, in VU slots and in per-thread state. */
export const WS = "ws";

/** Options of {@link WsApi.connect}. */
export interface WsConnectOptions {
  /** Extra handshake request headers. */
  headers?: Record<string, string>;
  /** Subprotocols to offer (`Sec-WebSocket-Protocol`). */
  protocols?: string | string[];
  /** Opening-handshake timeout in ms. @default 60000 */
  timeout?: number;
  /** Extra low-cardinality tags for this session's metrics. */
  tags?: Tags;
  /** Metric `name` tag. @default the URL without its query */
  name?: string;
  /** Offer permessage-deflate. @default false */
  compression?: boolean;
}

/** What `ctx.ws` offers. */
export interface WsApi {
  /** Opens a session; resolves when it is open or has failed (`session.error`), never rejects. */
  connect(url: string, opts?: WsConnectOptions): Promise<WsSession>;
}

interface Slot {
  readonly open: Set<WsSession>;
}

function slot(vu: VuState): Slot {
  let s = vu.slots.get(WS) as Slot | undefined;
  if (!s) vu.slots.set(WS, s = { open: new Set() });
  return s;
}

/** The thread's recorder for a VU's base tags (one per scenario). */
export function wsRecorder(vu: VuState): WsRecorder {
  let byTags = vu.runtime.state.get(WS) as Map<string, WsRecorder> | undefined;
  if (!byTags) vu.runtime.state.set(WS, byTags = new Map());
  const key = JSON.stringify(vu.tags);
  let r = byTags.get(key);
  if (!r) byTags.set(key, r = new WsRecorder(vu.runtime.registry, vu.runtime.evidence, vu.tags));
  return r;
}

/** The metric name of a URL: without its query and fragment. */
export function defaultName(url: string): string {
  const q = url.search(/[?#]/);
  return q < 0 ? url : url.slice(0, q);
}

/** Creates the API for a VU lookup (the context's own VU, or whichever is running). */
export function createWsApi(vu: () => VuState): WsApi {
  // Started with the VU, before the clock, so a first connect does not wait for the import
  // inside its iteration; a failed import surfaces at that connect.
  loadSession().catch(() => {});
  return {
    async connect(url, opts = {}) {
      const { openSession } = await loadSession();
      const v = vu();
      const recorder = wsRecorder(v);
      const open = slot(v).open;
      const s = await openSession({
        url,
        headers: opts.headers,
        protocols: opts.protocols,
        timeoutMs: opts.timeout,
        compression: opts.compression,
        insecure: v.runtime.options.insecure,
        recorder,
        series: recorder.series(opts.name ?? defaultName(url), v.group, opts.tags),
        interrupt: v.interrupt,
        onEnd: (x) => open.delete(x),
      });
      if (s.open) open.add(s);
      return s;
    },
  };
}

/** Closes what the VU's iteration left open, counting each. */
export async function closeLeftovers(vu: VuState): Promise<void> {
  const s = vu.slots.get(WS) as Slot | undefined;
  if (!s || s.open.size === 0) return;
  const left = [...s.open];
  s.open.clear();
  const r = wsRecorder(vu);
  for (let i = 0; i < left.length; i++) r.leftOpen();
  await Promise.all(left.map((x) => x.close(1001, "iteration ended")));
}

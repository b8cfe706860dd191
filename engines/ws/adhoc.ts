/**
 * The ad-hoc scenario behind `rampa run ws://…`: one session per arrival (connect, send
 * `--ws-messages` messages one at a time, await each reply, close). `ws_connecting` counts from
 * the arrival's scheduled start, `ws_msg_rtt` from each send to its reply.
 *
 * @module
 */
import { ConfigError } from "../../core/errors.ts";
import type { AdHocContext, AdHocRequest } from "../../core/protocol/types.ts";
import type { ScenarioRun } from "../../core/run/runner.ts";
import { defaultName } from "./api.ts";
import { WsRecorder } from "./recorder.ts";
import { loadSession } from "./session_loader.ts";

/** Attempts, all refused, after which the target counts as unreachable (as HTTP's). */
const UNREACHABLE_AFTER = 20;

/** The ad-hoc flags, parsed. */
export interface WsAdHocFlags {
  readonly send: string;
  readonly messages: number;
  readonly expect: "echo" | "any";
  readonly compression: boolean;
}

/** Parses and checks the `--ws-*` flags; throws a ConfigError listing every problem. */
export function parseWsFlags(r: AdHocRequest): WsAdHocFlags {
  const f = r.flags;
  const issues: string[] = [];
  const send = typeof f["ws-send"] === "string" ? f["ws-send"] as string : "hello";
  const rawN = f["ws-messages"] ?? "1";
  const messages = Number(rawN);
  if (!Number.isInteger(messages) || messages < 0) {
    issues.push(`Cannot use --ws-messages "${rawN}": expected a whole number ≥ 0`);
  }
  const expect = (f["ws-expect"] ?? "echo") as string;
  if (expect !== "echo" && expect !== "any") {
    issues.push(`Cannot use --ws-expect "${expect}": expected echo or any`);
  }
  let url: URL | null = null;
  try {
    url = new URL(r.url);
  } catch {
    issues.push(`Cannot parse URL "${r.url}": expected ws://host[:port]/path`);
  }
  if (url && url.protocol !== "ws:" && url.protocol !== "wss:") {
    issues.push(`Cannot open "${r.url}" as a WebSocket: expected ws:// or wss://`);
  }
  if (issues.length) throw new ConfigError(issues);
  return {
    send,
    messages,
    expect: expect as "echo" | "any",
    compression: f["ws-compression"] === true,
  };
}

/** Builds the ad-hoc WebSocket scenario. */
export async function createWsAdHoc(r: AdHocRequest, ctx: AdHocContext): Promise<ScenarioRun> {
  const flags = parseWsFlags(r);
  // Imported while the scenario is built, before the clock: never inside an iteration.
  const { openSession } = await loadSession();
  const rt = ctx.runtime;
  const recorder = new WsRecorder(rt.registry, rt.evidence, ctx.tags);
  const series = recorder.series(r.name ?? defaultName(r.url));
  const headers = Object.fromEntries(r.headers.map(([k, v]) => [k, v]));
  let refused = 0;
  let reached = 0;
  let reported = false;
  return {
    name: "default",
    executor: ctx.executor,
    startTimeMs: 0,
    target: `WS ${r.url}`,
    async iterate(_vu: number, scheduled: number, interrupt: AbortSignal): Promise<void> {
      const deadline = scheduled + r.timeoutMs;
      const s = await openSession({
        url: r.url,
        headers,
        timeoutMs: r.timeoutMs,
        compression: flags.compression,
        insecure: rt.options.insecure,
        scheduled,
        recorder,
        series,
        interrupt,
      });
      if (s.error === "refused" || s.error === "dns") {
        if (++refused >= UNREACHABLE_AFTER && reached === 0 && !reported) {
          reported = true;
          ctx.onUnreachable(`Cannot reach ${r.url}: ${s.errorMessage || s.error}`);
        }
        return;
      }
      reached++;
      if (!s.open) return;
      for (let i = 0; i < flags.messages && s.open; i++) {
        const text = flags.send;
        s.send(text);
        const reply = await s.receive({ timeout: Math.max(1, deadline - performance.now()) });
        if (reply === null) break;
        if (flags.expect === "echo" && reply !== text) {
          // Recorded as the session's error (the first one wins), then the session goes on.
          s.error ??= "mismatch";
          s.errorMessage ||= `Expected the echo of "${text}", got "${String(reply).slice(0, 80)}"`;
        }
      }
      await s.close();
    },
  };
}

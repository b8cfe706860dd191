/**
 * `--out webhook=https://…`: POSTs the final summary as JSON when the run ends and, with
 * `?interval=`, each interval's figures while it runs. When `RAMPA_WEBHOOK_SECRET` is set,
 * every request carries `X-Rampa-Signature: sha256=<hex HMAC-SHA256 of the body>`; every
 * request carries `X-Rampa-Event: summary|interval` and `X-Rampa-Test-Id`. Failed requests are
 * retried with back-off (0.5 s, 1 s, 2 s), the end is bounded (10 s by default).
 *
 * @module
 */
import type { Output, RunInfo, Tick } from "../../core/run/output.ts";
import type { Summary } from "../../core/summary/schema.ts";
import {
  createSnapshot,
  mergeSnapshot,
  type Snapshot,
  trendStats,
} from "../../core/metrics/snapshot.ts";
import { releaseHistogram } from "../../core/metrics/histogram.ts";
import { formatDuration } from "../../core/units.ts";
import { httpTarget, postBody, redactUrl, Sink, type SinkStats } from "../_sink.ts";
import { makeTestId } from "../_stream.ts";

/** The environment variable holding the signing secret. */
export const WEBHOOK_SECRET_VAR = "RAMPA_WEBHOOK_SECRET";

/** Options of the webhook output. */
export interface WebhookOptions {
  /** Also POST each interval's figures, every this many ms; 0 posts the summary only. */
  intervalMs: number;
  /** A failed delivery fails the run with exit code 9. */
  required: boolean;
  /** The HMAC-SHA256 key (from `RAMPA_WEBHOOK_SECRET`); no signature when absent. */
  secret?: string;
  /** The test id sent in `X-Rampa-Test-Id`. @default a time-based id */
  testId?: string;
  /** Receives the one-time failure line. @default console.error */
  warn?: (line: string) => void;
  /** Longest the final flush may take, ms. @default 10000 */
  flushTimeoutMs?: number;
  /** Longest one request may take, ms. @default 5000 */
  attemptTimeoutMs?: number;
}

/** A webhook output, with its delivery figures. */
export interface WebhookOutput extends Output {
  /** Delivery figures: requests sent, failed attempts, dropped requests, the last error. */
  stats(): SinkStats;
}

/** One POST: its event kind and JSON body. */
interface Post {
  event: "summary" | "interval";
  body: string;
}

/** Hex HMAC-SHA256 of `body` with `secret`. */
export async function signBody(secret: string, body: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(body)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Creates the webhook output. */
export function createWebhookOutput(target: string, options: WebhookOptions): WebhookOutput {
  return new HttpWebhookOutput(target, options);
}

/** The JSON of one interval: each series that saw samples, with trend statistics. */
export function intervalJson(s: Snapshot, testId: string, endMs: number, lengthMs: number): string {
  const series = [];
  for (const d of s.series.values()) {
    const kind = s.metrics.get(d.metric)?.kind;
    if (!kind || (d.count === 0 && kind !== "gauge")) continue;
    const row: Record<string, unknown> = {
      metric: d.metric,
      kind,
      tags: d.tags,
      count: d.count,
      value: d.value,
    };
    if (kind === "trend") {
      const t = trendStats(d);
      Object.assign(row, {
        min: t.min,
        p50: t.p50,
        p90: t.p90,
        p95: t.p95,
        p99: t.p99,
        max: t.max,
      });
    }
    series.push(row);
  }
  return JSON.stringify({
    type: "rampa.interval",
    testId,
    elapsedMs: Math.round(endMs),
    intervalMs: Math.round(lengthMs),
    series,
  });
}

class HttpWebhookOutput implements WebhookOutput {
  readonly #target: string;
  readonly #o: WebhookOptions;
  readonly #sink: Sink<Post>;
  #testId = "";
  #acc: Snapshot = createSnapshot();
  #accMs = 0;
  #lastEndMs = 0;

  constructor(target: string, options: WebhookOptions) {
    this.#target = target;
    this.#o = options;
    const { url, headers, secrets } = httpTarget("webhook", target);
    if (options.secret) secrets.push(options.secret);
    this.#sink = new Sink<Post>({
      label: this.describe(),
      secrets,
      warn: options.warn,
      attempts: 4,
      backoffMs: 500,
      flushTimeoutMs: options.flushTimeoutMs,
      attemptTimeoutMs: options.attemptTimeoutMs,
      send: async (post, signal) => {
        const h: Record<string, string> = {
          ...headers,
          "content-type": "application/json",
          "user-agent": "rampa",
          "x-rampa-event": post.event,
          "x-rampa-test-id": this.#testId,
        };
        if (options.secret) {
          h["x-rampa-signature"] = `sha256=${await signBody(options.secret, post.body)}`;
        }
        await postBody(url, post.body, h, signal);
      },
    });
  }

  describe(): string {
    const every = this.#o.intervalMs > 0 ? `, every ${formatDuration(this.#o.intervalMs)}` : "";
    const signed = this.#o.secret ? ", signed" : "";
    return `webhook (${redactUrl(this.#target)}${every}${signed})`;
  }

  start(info: RunInfo): void {
    this.#testId = makeTestId(info.startedAt, this.#o.testId);
  }

  push(tick: Tick): void {
    if (this.#o.intervalMs <= 0) return;
    this.#lastEndMs = tick.elapsedMs;
    mergeSnapshot(this.#acc, tick.delta, "time");
    this.#accMs += tick.intervalMs;
    if (this.#accMs >= this.#o.intervalMs - tick.intervalMs / 2) this.#emit();
  }

  async stop(summary: Summary): Promise<void> {
    if (this.#accMs > 0) this.#emit();
    this.#sink.enqueue({ event: "summary", body: JSON.stringify(summary) });
    await this.#sink.close();
    this.#sink.checkRequired(this.#o.required);
  }

  stats(): SinkStats {
    return this.#sink.stats();
  }

  #emit(): void {
    const body = intervalJson(this.#acc, this.#testId, this.#lastEndMs, this.#accMs);
    for (const s of this.#acc.series.values()) if (s.hist) releaseHistogram(s.hist);
    this.#acc = createSnapshot();
    this.#accMs = 0;
    this.#sink.enqueue({ event: "interval", body });
  }
}

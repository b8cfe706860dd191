/**
 * A host's side of a fleet run (`rampa run … --coordinator URL`): join and be given a segment
 * and the start instant (retrying while the coordinator is not up yet: in Kubernetes the pods
 * start in any order), then an {@link Output} that posts every interval's delta (off the hot
 * path: `push` only queues) and finally the host's summary. The coordinator's answer to a delta
 * may ask the run to stop (a threshold with abortOnFail, judged on the merged data).
 *
 * @module
 */
import { ConfigError, ExitCode, RampaError } from "../../core/errors.ts";
import { type EncodedSnapshot, encodeSnapshot } from "../../core/metrics/snapshot.ts";
import type { Output, RunInfo, Tick } from "../../core/run/output.ts";
import type { Summary } from "../../core/summary/schema.ts";
import { trendOf } from "../../core/summary/describe.ts";
import type { Segment } from "../../core/types.ts";
import { VERSION } from "../../core/version.ts";
import type { DeltaAnswer, JoinAnswer } from "./protocol.ts";

/** Where and how to reach the coordinator. */
export interface FleetTarget {
  readonly url: string;
  readonly token: string;
}

/** Reads `--coordinator` and `RAMPA_FLEET_TOKEN`; throws a ConfigError when unusable. */
export function fleetTarget(
  url: string,
  env: Readonly<Record<string, string | undefined>>,
): FleetTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`Cannot parse --coordinator "${url}": expected http(s)://host:port`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new ConfigError(`--coordinator ${url}: expected an http:// or https:// URL`);
  }
  const token = env.RAMPA_FLEET_TOKEN ?? "";
  if (token.length < 16) {
    throw new ConfigError(
      "--coordinator needs RAMPA_FLEET_TOKEN (at least 16 characters, the coordinator's token)",
    );
  }
  return { url: u.href.replace(/\/$/, ""), token };
}

async function post<T>(
  t: FleetTarget,
  path: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const r = await fetch(`${t.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${t.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  const text = await r.text();
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(text);
  } catch { /* not JSON: reported with the status below */ }
  if (!r.ok) {
    throw new RampaError(
      `coordinator ${t.url}${path}: HTTP ${r.status}: ${data.error ?? text.slice(0, 200)}`,
      r.status === 401 ? ExitCode.INVALID_CONFIG : ExitCode.WORKER_LOST,
    );
  }
  return data as T;
}

/**
 * Joins the run: waits until every host has joined (the coordinator answers then). Connection
 * failures are retried every second until `timeoutMs`; a refusal (wrong token, run full, a
 * segment taken) is final.
 */
export async function joinFleet(
  t: FleetTarget,
  segment: Segment | null,
  timeoutMs: number,
  report: (line: string) => void,
): Promise<JoinAnswer> {
  const deadline = Date.now() + timeoutMs;
  let said = false;
  for (;;) {
    try {
      return await post<JoinAnswer>(t, "/join", {
        host: Deno.hostname?.() ?? "host",
        segment,
        version: VERSION,
      }, AbortSignal.timeout(Math.max(1000, deadline - Date.now())));
    } catch (e) {
      if (e instanceof RampaError) throw e;
      if (Date.now() >= deadline) {
        throw new RampaError(
          `Cannot join the coordinator at ${t.url}: ${e instanceof Error ? e.message : e}`,
          ExitCode.WORKER_LOST,
        );
      }
      if (!said) report(`waiting for the coordinator at ${t.url}…`);
      said = true;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** The output that feeds the coordinator; `stopSignal` aborts when the fleet must stop. */
export interface FleetOutput extends Output {
  readonly stopSignal: AbortSignal;
  /** True once the coordinator acknowledged this host's summary. */
  readonly delivered: boolean;
}

/** Creates the output for host `hostId`. */
export function fleetOutput(
  t: FleetTarget,
  hostId: string,
  report: (line: string) => void,
): FleetOutput {
  const stop = new AbortController();
  const queue: { seq: number; delta: EncodedSnapshot; lagP99Ms: number | null }[] = [];
  let seq = 0;
  let sending: Promise<void> | null = null;
  let warned = false;
  let delivered = false;

  const pump = async () => {
    while (queue.length) {
      const item = queue[0];
      try {
        const a = await post<DeltaAnswer>(
          t,
          "/delta",
          { hostId, ...item },
          AbortSignal.timeout(5000),
        );
        queue.shift();
        if (a.stop && !stop.signal.aborted) stop.abort(a.stop);
      } catch (e) {
        if (!warned) {
          report(`! coordinator unreachable (${e instanceof Error ? e.message : e}); retrying`);
        }
        warned = true;
        await new Promise((r) => setTimeout(r, 500));
        if (queue.length > 120) queue.splice(0, queue.length - 120);
      }
    }
    sending = null;
  };

  return {
    stopSignal: stop.signal,
    get delivered() {
      return delivered;
    },
    describe: () => `coordinator (${t.url})`,
    async start(info: RunInfo): Promise<void> {
      const { startedAt: _, ...rest } = info;
      await post(t, "/ready", { hostId, info: rest, thresholds: info.thresholds ?? {} });
    },
    push(tick: Tick): void {
      // Encoding copies the interval (the tick's histograms are reused after this returns).
      queue.push({
        seq: seq++,
        delta: encodeSnapshot(tick.delta),
        lagP99Ms: trendOf(tick.delta, "scheduler_lag").p99,
      });
      sending ??= pump();
    },
    async stop(summary: Summary): Promise<void> {
      const deadline = Date.now() + 15_000;
      while ((sending || queue.length) && Date.now() < deadline) {
        sending ??= pump();
        await Promise.race([sending, new Promise((r) => setTimeout(r, 1000))]);
      }
      try {
        await post(t, "/done", { hostId, summary }, AbortSignal.timeout(30_000));
        delivered = true;
      } catch (e) {
        throw new RampaError(
          `Cannot deliver the summary to the coordinator: ${e instanceof Error ? e.message : e}`,
          ExitCode.OUTPUT_FAILED,
        );
      }
    },
  };
}

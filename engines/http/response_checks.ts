/**
 * Checks on ad-hoc responses (`--expect-status`, `--expect-header`, `--expect-body-json`):
 * each one records into the `checks` rate like a scenario's `check()`, with the failure reason
 * kept in a bounded log. Series are resolved once; a status check needs no response body, so
 * only header and body expectations make the engine keep responses.
 *
 * @module
 */
import type { Tags } from "../../core/types.ts";
import { addRate, type MetricRegistry } from "../../core/metrics/registry.ts";
import type { SeriesData } from "../../core/metrics/snapshot.ts";
import type { EvidenceLog } from "../../core/run/evidence.ts";
import type { Outcome } from "./types.ts";

/** Validates parsed JSON; returns null when valid, else the first problem (`/a/0: …`). */
export type BodyValidator = (data: unknown) => string | null;

/** What every response must satisfy. */
export interface ResponseExpectations {
  /** Accepted statuses; empty means any. */
  readonly statuses: readonly number[];
  /** `[header name, substring]` pairs; matched case-insensitively. */
  readonly headers: readonly (readonly [string, string])[];
  /** A body validator and the name it is reported under (the schema file). */
  readonly body: { readonly name: string; readonly validate: BodyValidator } | null;
}

/** True when the expectations need headers or the body of responses. */
export function needsResponse(e: ResponseExpectations): boolean {
  return e.headers.length > 0 || e.body !== null;
}

/** Runs every expectation on an outcome. */
export type ResponseChecker = (o: Outcome) => void;

const decoder = new TextDecoder();

/** Builds the checker; returns null when nothing is expected (the hot path stays untouched). */
export function createResponseChecker(
  e: ResponseExpectations,
  registry: MetricRegistry,
  base: Tags,
  log: EvidenceLog,
): ResponseChecker | null {
  if (!e.statuses.length && !needsResponse(e)) return null;
  registry.define({ name: "checks", kind: "rate" });
  const series = (name: string): SeriesData => registry.series("checks", { ...base, check: name });
  const statusName = `status is ${e.statuses.join(" or ")}`;
  const status = e.statuses.length ? series(statusName) : null;
  const headers = e.headers.map(([h, v]) => {
    const name = `${h} contains "${v}"`;
    return { h, v: v.toLowerCase(), name, s: series(name) };
  });
  const body = e.body ? { ...e.body, s: series(e.body.name) } : null;
  const record = (s: SeriesData, name: string, reason: string | null) => {
    addRate(s, reason === null);
    if (reason !== null) log.checkFailed(name, reason);
  };
  return (o) => {
    if (status) {
      const ok = e.statuses.includes(o.status);
      record(
        status,
        statusName,
        ok ? null : o.status ? `got ${o.status}` : `no response (${o.error})`,
      );
    }
    for (const c of headers) {
      const got = o.headers?.get(c.h);
      record(
        c.s,
        c.name,
        got === null || got === undefined
          ? `no ${c.h} header`
          : got.toLowerCase().includes(c.v)
          ? null
          : `${c.h}: ${got.slice(0, 80)}`,
      );
    }
    if (body) {
      let reason: string | null;
      try {
        reason = body.validate(JSON.parse(decoder.decode(o.body ?? new Uint8Array())));
      } catch (err) {
        reason = `body is not JSON: ${(err as Error).message.slice(0, 80)}`;
      }
      record(body.s, body.name, reason);
    }
  };
}

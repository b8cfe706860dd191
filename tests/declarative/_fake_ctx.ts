/**
 * A fake VU context for running compiled declarative plans without a network: `http` answers
 * from a routing function and records what was sent; `check`, `group` and `sleep` record.
 *
 * @module
 */
import type { CheckFn } from "../../core/scenario/checks.ts";
import { HttpResponse } from "../../engines/http/api.ts";
import type { DeclarativeContext } from "../../declarative/run.ts";

/** One request the fake saw. */
export interface Sent {
  method: string;
  url: string;
  body: string | undefined;
  headers: Record<string, string>;
  name: string | undefined;
  group: string;
}

/** A canned answer. */
export interface Answer {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
}

const enc = new TextEncoder();
const NO_TIMINGS = {
  duration: 1,
  blocked: NaN,
  connecting: NaN,
  tls: NaN,
  sending: NaN,
  waiting: NaN,
  receiving: NaN,
};

/** A context whose requests `answer` serves; `sent`, `checks` and `sleeps` collect. */
export function fakeContext(
  answer: (method: string, url: string) => Answer,
  opts: { env?: Record<string, string>; vu?: number; iteration?: number } = {},
) {
  const sent: Sent[] = [];
  const checks: { name: string; ok: boolean; reason: string; group: string }[] = [];
  const sleeps: number[] = [];
  let group = "";
  const request = (
    method: string,
    url: string,
    body?: unknown,
    o?: { headers?: Record<string, string>; name?: string },
  ) => {
    sent.push({
      method,
      url,
      body: body as string | undefined,
      headers: { ...o?.headers },
      name: o?.name,
      group,
    });
    const a = answer(method, url);
    return Promise.resolve(
      new HttpResponse(
        method,
        url,
        o?.name ?? url,
        a.status ?? 200,
        new Headers(a.headers ?? {}),
        enc.encode(a.body ?? ""),
        NO_TIMINGS,
        null,
        "",
      ),
    );
  };
  const check = <T>(value: T, fns: Record<string, CheckFn<T>>) => {
    let all = true;
    for (const [name, fn] of Object.entries(fns)) {
      const r = fn(value);
      const ok = r === true || r === undefined;
      checks.push({ name, ok, reason: typeof r === "string" ? r : "", group });
      all &&= ok;
    }
    return all;
  };
  const ctx = {
    vu: opts.vu ?? 1,
    iteration: opts.iteration ?? 0,
    scenario: "default",
    data: undefined,
    env: opts.env ?? {},
    check: Object.assign(check, { shape: () => true }),
    async group<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
      const parent = group;
      group = name;
      try {
        return await fn();
      } finally {
        group = parent;
      }
    },
    sleep(d: number | string) {
      sleeps.push(typeof d === "number" ? d : Number.NaN);
      return Promise.resolve();
    },
    http: {
      request,
      get: (url: string, o?: { headers?: Record<string, string> }) =>
        request("GET", url, undefined, o),
    },
  } as unknown as DeclarativeContext;
  return { ctx, sent, checks, sleeps };
}

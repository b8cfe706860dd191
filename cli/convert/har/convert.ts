/**
 * HAR (a browser's recording) to a declarative rampa scenario. See {@link convertHar}.
 *
 * @module
 */
import { stringify } from "yaml";
import {
  type Candidate,
  escapeTemplate,
  jsonCandidates,
  substitute,
  tokenLike,
  variableName,
} from "./_correlate.ts";
import { correlatesHeader, hostMatches, isStatic, keepsHeader } from "./_filters.ts";
import {
  type Body,
  bodyOf,
  type HarEntry,
  type HarHeader,
  mainHost,
  parseHar,
  responseText,
} from "./_har.ts";

/** Options of {@link convertHar}. */
export interface HarConvertOptions {
  /**
   * Hosts to keep (`api.example.com`, or `*.example.com` for a domain and its subdomains);
   * requests to any other host are left out.
   * @default the host of the first HTML page in the recording (else of its first request)
   */
  readonly filterHosts?: readonly string[];
  /**
   * Keep static assets (scripts, styles, images, fonts, media).
   * @default false
   */
  readonly keepStatic?: boolean;
  /**
   * Pauses of at least this many ms between the end of one recorded request and the start of
   * the next become the step's `think` time (rounded to 100 ms); 0 turns think times off.
   * @default 500
   */
  readonly minThinkMs?: number;
  /**
   * Add `expect: { status: <recorded status> }` to every step.
   * @default true
   */
  readonly expectStatus?: boolean;
}

/** The scenario as YAML text, plus what the conversion left out or changed, one line each. */
export interface HarConversion {
  readonly yaml: string;
  readonly notes: string[];
}

interface Draft {
  name: string;
  method: string;
  url: string;
  headers: [string, string][];
  body: Body;
  status: number;
  thinkMs: number;
  extract: Record<string, string>;
  /** Everything the request sends, for "did this value appear in a request before?". */
  sent: string;
}

/** Maps each string leaf of a JSON value through `f`. */
function mapStrings(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === "string") return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f)]));
  }
  return v;
}

function uniqueName(name: string, taken: Map<string, number>): string {
  const n = (taken.get(name) ?? 0) + 1;
  taken.set(name, n);
  return n === 1 ? name : `${name} (${n})`;
}

/**
 * Converts a HAR recording (`harText`, as browsers' developer tools export it) into a
 * declarative scenario for `rampa run`: one step per kept request, in recorded order, with
 * its method, URL (the main host as `${env.BASE_URL}`), the headers that matter and its body;
 * static assets, other hosts, CORS preflights and browser-managed headers (cookies included:
 * rampa keeps a cookie jar per VU) are left out. A value that a response returned and a later
 * request sent back (a token, a CSRF value, a minted id) becomes an `extract` on that response
 * and `${name}` where it is used. `notes` says what was left out or replaced, one line each.
 * Throws a ConfigError when `harText` is not a HAR.
 *
 * @example
 * ```ts
 * import { convertHar } from "./mod.ts";
 *
 * const { yaml, notes } = convertHar(await Deno.readTextFile("recording.har"), {
 *   filterHosts: ["shop.example.com"],
 * });
 * await Deno.writeTextFile("flow.yaml", yaml);
 * for (const n of notes) console.error(n);
 * ```
 */
export function convertHar(harText: string, options: HarConvertOptions = {}): HarConversion {
  const entries = parseHar(harText);
  const notes: string[] = [];
  const main = mainHost(entries);
  const hosts = options.filterHosts?.length ? options.filterHosts : main ? [main] : [];
  const minThink = options.minThinkMs ?? 500;
  let baseOrigin: string | null = null;
  const skipped = { static: 0, preflight: 0, other: 0, hosts: new Map<string, number>() };
  const kept: { e: HarEntry; url: URL }[] = [];
  for (const e of entries) {
    const url = URL.parse(e.request.url);
    if (!url || !/^https?:$/.test(url.protocol) || e.response?.status === 101) {
      skipped.other++;
      continue;
    }
    if (!hostMatches(url.host, hosts)) {
      skipped.hosts.set(url.host, (skipped.hosts.get(url.host) ?? 0) + 1);
      continue;
    }
    const method = e.request.method.toUpperCase();
    const asksCors = e.request.headers?.some((h) =>
      h.name.toLowerCase() === "access-control-request-method"
    );
    if (method === "OPTIONS" && asksCors) {
      skipped.preflight++;
      continue;
    }
    if (!options.keepStatic && isStatic(url, e.response?.content?.mimeType)) {
      skipped.static++;
      continue;
    }
    baseOrigin ??= url.origin;
    kept.push({ e, url });
  }

  const names = new Map<string, number>();
  const drafts: Draft[] = kept.map(({ e, url }, i) => {
    const urlText = url.origin === baseOrigin
      ? "${env.BASE_URL}" + escapeTemplate(url.pathname + url.search)
      : escapeTemplate(url.href);
    const body = bodyOf(e);
    const headers: [string, string][] = (e.request.headers ?? [])
      .filter((h) => keepsHeader(h.name))
      .filter((h) => !implied(h, body))
      .map((h) => [h.name, escapeTemplate(h.value)]);
    let thinkMs = 0;
    const next = kept[i + 1]?.e;
    if (next && minThink > 0) {
      const end = (Date.parse(e.startedDateTime ?? "") || 0) + (e.time ?? 0);
      const gap = (Date.parse(next.startedDateTime ?? "") || 0) - end;
      if (gap >= minThink) thinkMs = Math.round(gap / 100) * 100;
    }
    return {
      name: uniqueName(`${e.request.method.toUpperCase()} ${url.pathname}`, names),
      method: e.request.method.toUpperCase(),
      url: urlText,
      headers,
      body: body?.kind === "json"
        ? { kind: "json", value: mapStrings(body.value, escapeTemplate) }
        : body?.kind === "form"
        ? { kind: "form", fields: body.fields.map(([k, v]) => [k, escapeTemplate(v)]) }
        : body
        ? { kind: "body", text: escapeTemplate(body.text) }
        : null,
      status: e.response?.status ?? 0,
      thinkMs,
      extract: {},
      sent: [
        e.request.url,
        ...(e.request.headers ?? []).map((h) => h.value),
        e.request.postData?.text ?? "",
      ]
        .join("\n"),
    };
  });

  correlate(kept.map((k) => k.e), drafts, notes);

  const total = entries.length;
  notes.unshift(
    `Kept ${kept.length} of ${total} recorded requests` +
      (hosts.length ? ` (hosts: ${hosts.join(", ")})` : ""),
  );
  if (skipped.static) {
    notes.push(`Left out ${skipped.static} static assets (scripts, styles, images, fonts, media)`);
  }
  if (skipped.hosts.size) {
    const list = [...skipped.hosts].map(([h, n]) => `${h} (${n})`).join(", ");
    notes.push(`Left out ${sum(skipped.hosts)} requests to other hosts: ${list}`);
  }
  if (skipped.preflight) notes.push(`Left out ${skipped.preflight} CORS preflights (OPTIONS)`);
  if (skipped.other) notes.push(`Left out ${skipped.other} non-HTTP entries (data:, WebSocket…)`);
  const cookies = kept.some(({ e }) =>
    e.request.headers?.some((h) => h.name.toLowerCase() === "cookie")
  );
  if (cookies) {
    notes.push("Recorded Cookie headers are not replayed: each VU keeps the cookies it is sent");
  }
  for (const d of drafts) {
    const auth = d.headers.find(([k]) => k.toLowerCase() === "authorization");
    if (auth && !auth[1].includes("${")) {
      notes.push(
        `${d.name}: its Authorization header is the recorded one (no response produced it): it may have expired`,
      );
    }
  }

  const doc = {
    options: {
      ...(baseOrigin ? { env: { BASE_URL: baseOrigin } } : {}),
      scenarios: { recorded: { executor: "per-vu-iterations", vus: 1, iterations: 1 } },
    },
    steps: drafts.map((d) => stepOf(d, options.expectStatus ?? true)),
  };
  const header = [
    "Converted from a HAR recording by rampa convert har.",
    ...notes,
  ].map((l) => ` ${l}`).join("\n");
  const yaml = `#${header.replaceAll("\n", "\n#")}\n` + stringify(doc, { lineWidth: 0 });
  return { yaml, notes };
}

function sum(m: Map<string, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}

/** A Content-Type the declarative step sets by itself for its `json:` or `form:` body. */
function implied(h: HarHeader, body: Body): boolean {
  if (h.name.toLowerCase() !== "content-type" || !body) return false;
  const v = h.value.toLowerCase();
  return (body.kind === "json" && v.startsWith("application/json")) ||
    (body.kind === "form" && v.startsWith("application/x-www-form-urlencoded"));
}

function stepOf(d: Draft, expectStatus: boolean): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  if (d.method !== "GET") request.method = d.method;
  request.url = d.url;
  if (d.headers.length) request.headers = Object.fromEntries(d.headers);
  if (d.body?.kind === "json") request.json = d.body.value;
  else if (d.body?.kind === "form") request.form = Object.fromEntries(d.body.fields);
  else if (d.body) request.body = d.body.text;
  const step: Record<string, unknown> = { name: d.name, request };
  if (expectStatus && d.status >= 100) step.expect = { status: d.status };
  if (Object.keys(d.extract).length) step.extract = d.extract;
  if (d.thinkMs) step.think = `${d.thinkMs}ms`;
  return step;
}

/**
 * Replaces values that earlier responses produced by variables, in recorded order: each
 * request is rewritten with the values offered so far (the latest response offering a value
 * wins), then its own response's values are offered to the requests after it.
 */
function correlate(entries: HarEntry[], drafts: Draft[], notes: string[]): void {
  const offered = new Map<string, Candidate>();
  const named = new Map<string, string>();
  const taken = new Set<string>();
  const uses = new Map<string, number>();
  let sentSoFar = "";
  for (let j = 0; j < drafts.length; j++) {
    const d = drafts[j];
    const present = [...offered.values()]
      .filter((c) => d.sent.includes(c.value))
      .sort((a, b) => b.value.length - a.value.length);
    if (present.length) {
      const vars = new Map<string, string>();
      for (const c of present) {
        let name = named.get(c.value);
        if (!name) {
          name = variableName(c.hint, taken);
          named.set(c.value, name);
          drafts[c.step].extract[name] = c.source;
        }
        vars.set(c.value, name);
        uses.set(name, (uses.get(name) ?? 0) + 1);
      }
      const f = (s: string) => substitute(s, vars);
      d.url = f(d.url);
      d.headers = d.headers.map(([k, v]) => [k, f(v)]);
      if (d.body?.kind === "json") d.body = { kind: "json", value: mapStrings(d.body.value, f) };
      else if (d.body?.kind === "form") {
        d.body = { kind: "form", fields: d.body.fields.map(([k, v]) => [k, f(v)]) };
      } else if (d.body) d.body = { kind: "body", text: f(d.body.text) };
    }
    sentSoFar += d.sent + "\n";
    // A value the client sent before the server returned it is the client's (a username
    // echoed back), not the server's: never an extract.
    for (const c of responseCandidates(entries[j], j)) {
      if (!sentSoFar.includes(c.value)) offered.set(c.value, c);
    }
  }
  for (const [value, name] of named) {
    const c = offered.get(value)!;
    notes.push(
      `\${${name}}: extracted from "${
        drafts[c.step].name
      }" (${c.source}), replacing the recorded value in ${uses.get(name)} later request(s)`,
    );
  }
}

function responseCandidates(e: HarEntry, step: number): Candidate[] {
  const out: Candidate[] = [];
  for (const h of e.response?.headers ?? []) {
    if (correlatesHeader(h.name) && tokenLike(h.value)) {
      out.push({ value: h.value, step, source: `header:${h.name}`, hint: h.name });
    }
  }
  const text = responseText(e);
  if (/json/i.test(e.response?.content?.mimeType ?? "") && text) {
    try {
      out.push(...jsonCandidates(JSON.parse(text), step));
    } catch {
      // A body that says JSON but is not offers nothing to correlate.
    }
  }
  return out;
}

/**
 * k6's `http` calls and responses in rampa's terms. Methods and argument order are the same
 * (`get(url, params)`, `post(url, body, params)`, `request(method, url, body, params)`); what
 * differs is rewritten: params (`tags.name` → `name`, `timeout: "30s"` → ms), object bodies
 * (k6 sends a form, rampa JSON: wrapped in a local `formBody()` with its Content-Type),
 * `http.options`, `http.batch` (a `Promise.all` of requests), and responses (`res.body` →
 * `res.text()`, `res.headers["X"]` → `res.headers.get("X")`, `res.json()` → `res.json<any>()`).
 *
 * @module
 */
import type {
  AnyNode,
  CallExpression,
  Expression,
  MemberExpression,
  ObjectExpression,
  SpreadElement,
} from "acorn";
import { parseDuration } from "../../../core/units.ts";
import { enclosingFn, type Fn, idName, memberParts } from "./_ast.ts";
import type { Flow } from "./_flow.ts";
import { keyOf, removeProperty } from "./_options.ts";
import { bindingOf, note, type State, text } from "./_state.ts";

const FORM = `"Content-Type": "application/x-www-form-urlencoded"`;
const FORM_HELPER = `/** k6 sends an object body as a form; rampa would send it as JSON. */\n` +
  `function formBody(fields: Record<string, unknown>): string {\n` +
  `  return new URLSearchParams(\n` +
  `    Object.entries(fields).map(([k, v]) => [k, String(v)]),\n` +
  `  ).toString();\n}`;

/** Params k6 has and rampa has not, with what to do. */
const DROPPED_PARAMS: Record<string, string> = {
  redirects: "rampa does not follow redirects",
  responseType: "rampa always keeps the body as bytes (res.body) and text (res.text())",
  auth: "send an Authorization header instead",
  cookies: "rampa keeps cookies in the VU's jar; set a Cookie header for extra ones",
  jar: "rampa keeps one cookie jar per VU",
  compression: "compress the body yourself and set Content-Encoding",
  responseCallback: "rampa has no expectedStatuses yet: every status >= 400 counts as failed",
};

/** Response variables per function scope (null: module level); batch results separately. */
export interface Responses {
  single: Map<Fn | null, Set<string>>;
  arrays: Map<Fn | null, Set<string>>;
}

function addName(m: Map<Fn | null, Set<string>>, f: Fn | null, name: string): void {
  let set = m.get(f);
  if (!set) m.set(f, set = new Set());
  set.add(name);
}

function unwrapAwait(n: AnyNode | null | undefined): AnyNode | null | undefined {
  return n?.type === "AwaitExpression" ? n.argument : n;
}

/** Finds variables holding responses, and the parameters of checks on responses. */
export function findResponses(s: State, flow: Flow): Responses {
  const r: Responses = { single: new Map(), arrays: new Map() };
  const kind = (n: AnyNode | null | undefined) => {
    const u = unwrapAwait(n);
    return u?.type === "CallExpression" ? flow.kindOf(u) : null;
  };
  for (const n of s.ast.nodes) {
    let name: string | null = null;
    let value: AnyNode | null | undefined = null;
    if (n.type === "VariableDeclarator") [name, value] = [idName(n.id), n.init];
    else if (n.type === "AssignmentExpression") [name, value] = [idName(n.left), n.right];
    if (name && kind(value) === "request") addName(r.single, enclosingFn(s.ast, n), name);
    if (n.type === "VariableDeclarator" && n.id.type === "ObjectPattern" && kind(n.init)) {
      for (const p of n.id.properties) {
        const k = p.type === "Property" && !p.computed && p.key.type === "Identifier"
          ? p.key.name
          : "";
        if (k === "body" || k === "headers") {
          note(
            s,
            p,
            `a destructured response ${k} differs in rampa: body is bytes (use res.text()), headers a Headers object (res.headers.get(name))`,
          );
        }
      }
    }
    if (name && kind(value) === "batch") addName(r.arrays, enclosingFn(s.ast, n), name);
  }
  for (const n of s.ast.nodes) {
    if (n.type !== "CallExpression") continue;
    const b = bindingOf(s, n.callee);
    if (b?.kind !== "k6fn" || b.name !== "check") continue;
    const [value, checks] = n.arguments;
    if (!value || !isResponse(s, flow, r, value) || checks?.type !== "ObjectExpression") continue;
    for (const p of checks.properties) {
      const fn = p.type === "Property" ? p.value : null;
      if (
        (fn?.type === "ArrowFunctionExpression" || fn?.type === "FunctionExpression") &&
        fn.params[0]?.type === "Identifier"
      ) addName(r.single, fn, fn.params[0].name);
    }
  }
  return r;
}

function inScope(s: State, m: Map<Fn | null, Set<string>>, at: AnyNode, name: string): boolean {
  for (let f = enclosingFn(s.ast, at);; f = enclosingFn(s.ast, f!)) {
    if (m.get(f)?.has(name)) return true;
    if (!f) return false;
  }
}

/** True when `n` evaluates to a k6 response, as far as the script shows. */
export function isResponse(s: State, flow: Flow, r: Responses, n: AnyNode): boolean {
  const u = unwrapAwait(n)!;
  if (u.type === "CallExpression") return flow.kindOf(u) === "request";
  if (u.type === "Identifier") return inScope(s, r.single, u, u.name);
  if (u.type === "MemberExpression" && u.computed && u.object.type === "Identifier") {
    return inScope(s, r.arrays, u, u.object.name);
  }
  return false;
}

/** Rewrites a member access on a response (`res.body`, `res.headers[…]`, `res.json()`…). */
export function convertResponseMember(s: State, m: MemberExpression): void {
  const parts = memberParts(m);
  if (!parts) return;
  const [, prop] = parts;
  const parent = s.ast.parent.get(m);
  const called = parent?.type === "CallExpression" && parent.callee === m;
  if (prop === "body" && !called) {
    if (parent?.type === "AssignmentExpression" && parent.left === m) return;
    s.edits.replace(m.object.end, m.end, ".text()");
  } else if (prop === "json" && called) {
    if (parent.arguments.length === 0) s.edits.insert(m.end, "<any>");
    else note(s, m, "res.json(selector) is not supported: read the path from res.json<any>()");
  } else if (prop === "headers" && parent?.type === "MemberExpression" && parent.object === m) {
    const hp = memberParts(parent);
    const gp = s.ast.parent.get(parent);
    if (hp && !(gp?.type === "CallExpression" && gp.callee === parent)) {
      s.edits.replace(m.end, parent.end, `.get(${JSON.stringify(hp[1])})!`);
    } else if (parent.computed) {
      s.edits.replace(m.end, parent.property.start, ".get(");
      s.edits.replace(parent.property.end, parent.end, ")!");
    }
  } else if (prop === "timings" && parent?.type === "MemberExpression" && parent.object === m) {
    const tp = memberParts(parent);
    if (tp?.[1] === "tls_handshaking") s.edits.replace(parent.property.start, parent.end, "tls");
    if (tp?.[1] === "looking_up") note(s, parent, "rampa has no DNS timing per request");
  } else if (
    ["status_text", "cookies", "error_code", "request", "remote_ip", "remote_port", "proto"]
      .includes(prop) || ["html", "submitForm", "clickLink"].includes(prop)
  ) {
    note(
      s,
      m,
      `response.${prop} does not exist in rampa (it has status, headers, text(), json(), timings, error)`,
    );
  }
}

/** Rewrites one `http.*` request call (its await is added elsewhere). */
export function convertRequest(s: State, c: CallExpression): void {
  const b = bindingOf(s, c.callee);
  let method = b?.kind === "httpFn" ? b.name : memberParts(c.callee)![1];
  const a = c.arguments;
  if (method === "asyncRequest") {
    // k6's promise-returning request is rampa's request (every rampa request is a promise).
    method = "request";
    if (b?.kind !== "httpFn") {
      const prop = (c.callee as MemberExpression).property;
      s.edits.replace(prop.start, prop.end, "request");
    }
  }
  if (b?.kind === "httpFn") {
    s.edits.replace(c.callee.start, c.callee.end, `${s.httpName}.${method}`);
  }
  if (a.some((x) => x.type === "SpreadElement")) {
    note(s, c, "spread arguments to an http call: check the argument order (url, body, params)");
    return;
  }
  let bodyAt = -1, paramsAt = 1;
  if (method === "options") {
    // rampa has no http.options: a plain request with the method named.
    const prop = b?.kind === "httpFn" ? null : (c.callee as MemberExpression).property;
    if (prop) s.edits.replace(prop.start, prop.end, "request");
    s.edits.insert(a[0]?.start ?? c.end - 1, a[0] ? `"OPTIONS", ` : `"OPTIONS"`);
    if (a.length > 1) s.edits.insert(a[1].start, "undefined, ");
  } else if (["post", "put", "patch", "del"].includes(method)) [bodyAt, paramsAt] = [1, 2];
  else if (method === "request") [bodyAt, paramsAt] = [2, 3];
  const params = a[paramsAt] as Expression | undefined;
  const paramsObj = params ? objectOf(s, params) : null;
  if (paramsObj) convertParams(s, paramsObj);
  const body = bodyAt >= 0 ? a[bodyAt] as Expression | undefined : undefined;
  if (body && objectOf(s, body)) {
    if (containsFile(s, body)) return; // noted at http.file()
    s.helpers.set("formBody", FORM_HELPER);
    s.edits.insert(body.start, "formBody(");
    s.edits.insert(body.end, ")");
    if (!params) s.edits.insert(body.end, `, { headers: { ${FORM} } }`);
    else if (!paramsObj) {
      note(s, params, `add the header ${FORM} to these params: k6 sent this body as a form`);
    } else addFormHeader(s, paramsObj);
  }
}

/** The object literal an argument is, or the one a variable of that name was set to. */
function objectOf(s: State, n: Expression): ObjectExpression | null {
  if (n.type === "ObjectExpression") return n;
  if (n.type !== "Identifier") return null;
  for (const d of s.ast.nodes) {
    if (d.type === "VariableDeclarator" && idName(d.id) === n.name) {
      return d.init?.type === "ObjectExpression" ? d.init : null;
    }
  }
  return null;
}

function containsFile(s: State, n: AnyNode): boolean {
  return s.ast.nodes.some((x) =>
    x.start >= n.start && x.end <= n.end && x.type === "CallExpression" &&
    memberParts(x.callee)?.[1] === "file" &&
    bindingOf(s, memberParts(x.callee)![0])?.kind === "http"
  );
}

function addFormHeader(s: State, o: ObjectExpression): void {
  const h = o.properties.find((p) => keyOf(p) === "headers");
  if (!h) s.edits.insert(o.start + 1, ` headers: { ${FORM} },`);
  else if (h.type === "Property" && h.value.type === "ObjectExpression") {
    s.edits.insert(h.value.start + 1, ` ${FORM},`);
  } else note(s, h, `add the header ${FORM}: k6 sent this body as a form`);
}

const done = new WeakSet<ObjectExpression>();

/** k6 request params → rampa's HttpRequestOptions (each object literal once). */
function convertParams(s: State, o: ObjectExpression): void {
  if (done.has(o)) return;
  done.add(o);
  for (const p of o.properties) {
    const k = keyOf(p);
    if (k === null || p.type !== "Property") continue;
    if (k === "tags" && p.value.type === "ObjectExpression") hoistName(s, p.value, p.start);
    else if (k === "timeout") {
      const v = p.value;
      if (v.type === "Literal" && typeof v.value === "string") {
        try {
          s.edits.replace(v.start, v.end, String(parseDuration(v.value, "timeout")));
        } catch {
          note(s, v, `timeout ${v.raw} is not a duration rampa reads: give milliseconds`);
        }
      } else if (v.type !== "Literal") note(s, v, "rampa's timeout is a number of milliseconds");
    } else if (DROPPED_PARAMS[k]) {
      note(s, p, `request param "${k}" removed: ${DROPPED_PARAMS[k]}`);
      removeProperty(s, p);
    }
  }
}

/** `tags: { name: X, …rest }` → `name: X, tags: { …rest }` (rampa's `name` is an option). */
function hoistName(s: State, tags: ObjectExpression, propStart: number): void {
  const i = tags.properties.findIndex((p) => keyOf(p) === "name");
  if (i < 0) return;
  const nameProp = tags.properties[i] as Exclude<typeof tags.properties[0], SpreadElement>;
  const rest = tags.properties.filter((_, j) => j !== i);
  if (rest.length === 0) {
    s.edits.replace(propStart, nameProp.value.start, "name: ");
    s.edits.replace(nameProp.value.end, tags.end, "");
  } else if (i === 0) {
    s.edits.replace(propStart, nameProp.value.start, "name: ");
    s.edits.replace(nameProp.value.end, rest[0].start, ", tags: { ");
  } else {
    s.edits.insert(propStart, `name: ${text(s, nameProp.value)}, `);
    removeProperty(s, nameProp);
  }
}

/** `http.batch([...])` → `Promise.all([...])` of single requests. */
export function convertBatch(s: State, c: CallExpression): boolean {
  const arr = c.arguments[0];
  if (c.arguments.length !== 1 || arr.type !== "ArrayExpression") {
    note(
      s,
      c,
      "rampa has no http.batch: send the requests with Promise.all([http.get(…), …]) " +
        "(only an array literal of requests is converted)",
    );
    return false;
  }
  const h = s.httpName;
  for (const el of arr.elements) {
    if (!el || el.type === "SpreadElement") {
      note(s, c, "http.batch with holes or spreads is not converted: use Promise.all");
      return false;
    }
  }
  s.edits.replace(c.callee.start, arr.start, "Promise.all(");
  for (const el of arr.elements as Expression[]) {
    if (el.type === "ArrayExpression" && el.elements.length >= 2) {
      s.edits.replace(el.start, el.start + 1, `${h}.request(`);
      s.edits.replace(el.end - 1, el.end, ")");
      const params = el.elements[3];
      if (params && params.type !== "SpreadElement") {
        const o = objectOf(s, params);
        if (o) convertParams(s, o);
      }
    } else if (el.type === "ObjectExpression") {
      const get = (k: string) => {
        const p = el.properties.find((q) => keyOf(q) === k);
        return p?.type === "Property" ? text(s, p.value) : undefined;
      };
      const parts = [get("method") ?? `"GET"`, get("url") ?? `""`, get("body") ?? "undefined"];
      if (get("params")) parts.push(get("params")!);
      s.edits.replace(el.start, el.end, `${h}.request(${parts.join(", ")})`);
      if (get("params")) {
        note(
          s,
          el,
          "check this batch request's params against rampa's (name, tags, timeout in ms)",
        );
      }
    } else s.edits.insert(el.start, `${h}.get(`), s.edits.insert(el.end, ")");
  }
  note(
    s,
    c,
    "http.batch became Promise.all: the requests go out concurrently on up to 6 connections",
    false,
  );
  return true;
}

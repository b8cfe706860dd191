/**
 * k6's `http` calls and responses in rampa's terms. Methods and argument order are the same
 * (`get(url, params)`, `post(url, body, params)`, `request(method, url, body, params)`); what
 * differs is rewritten: params (`tags.name` → `name`, `timeout: "30s"` → ms, `redirects` →
 * `maxRedirects`, `responseCallback: http.expectedStatuses(…)` → `expectedStatuses: […]`),
 * object bodies (k6 sends a form, rampa JSON: wrapped as `{ form: … }`), `http.options`,
 * `http.batch` (rampa's own, with the same request shapes),
 * `http.setResponseCallback(http.expectedStatuses(…))` → `http.setExpectedStatuses(…)`, and
 * responses (`res.body` → `res.text()`, `res.headers["X"]` → `res.headers.get("X")`,
 * `res.json()` → `res.json<any>()`).
 *
 * @module
 */
import type {
  AnyNode,
  CallExpression,
  Expression,
  MemberExpression,
  ObjectExpression,
  Property,
  SpreadElement,
} from "acorn";
import { parseDuration } from "../../../core/units.ts";
import { enclosingFn, type Fn, idName, memberParts } from "./_ast.ts";
import type { Flow } from "./_flow.ts";
import { keyOf, removeProperty } from "./_options.ts";
import { bindingOf, note, type State, text } from "./_state.ts";

/** Params k6 has and rampa has not, with what to do. */
const DROPPED_PARAMS: Record<string, string> = {
  auth: "send an Authorization header instead",
  cookies: "rampa keeps cookies in the VU's jar; set a Cookie header for extra ones",
  jar: "rampa keeps one cookie jar per VU",
  compression: "compress the body yourself and set Content-Encoding",
};

/** k6's `responseType` values, which rampa shares. */
const RESPONSE_TYPES = new Set(["text", "binary", "none"]);

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
    // const [a, b] = http.batch([...]): each element is a response.
    if (n.type === "VariableDeclarator" && n.id.type === "ArrayPattern" && kind(n.init)) {
      for (const el of n.id.elements) {
        const id = el?.type === "Identifier" ? el.name : null;
        if (id && kind(n.init) === "batch") addName(r.single, enclosingFn(s.ast, n), id);
      }
    }
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
  if (body) convertBody(s, body);
}

/** An object body is a form in k6 and JSON in rampa: `{ form: … }` asks rampa for the form. */
function convertBody(s: State, body: Expression): void {
  if (!objectOf(s, body) || containsFile(s, body)) return; // a file is noted at http.file()
  s.edits.insert(body.start, "{ form: ");
  s.edits.insert(body.end, " }");
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

/** True when `n` is a call of k6's `http.expectedStatuses` (or its named import). */
function isExpectedStatusesCall(s: State, n: AnyNode | null | undefined): n is CallExpression {
  if (n?.type !== "CallExpression") return false;
  const b = bindingOf(s, n.callee);
  if (b?.kind === "httpFn") return b.name === "expectedStatuses";
  const m = memberParts(n.callee);
  return m?.[1] === "expectedStatuses" && bindingOf(s, m[0])?.kind === "http";
}

/** `http.expectedStatuses(a, b)` → `open` a, b `close`: only the call's own text goes. */
function unwrapStatuses(s: State, c: CallExpression, open: string, close: string): void {
  const paren = s.src.indexOf("(", c.callee.end);
  s.edits.replace(c.start, paren + 1, open);
  s.edits.replace(c.end - 1, c.end, close);
}

/**
 * `http.setResponseCallback(http.expectedStatuses(…))` → `http.setExpectedStatuses(…)`, and
 * `http.expectedStatuses(…)` where it is a request's `responseCallback`; true when `c` (a
 * `setResponseCallback` or `expectedStatuses` call) was converted or is converted elsewhere.
 */
export function convertResponseCallback(s: State, c: CallExpression, name: string): boolean {
  if (name === "expectedStatuses") {
    const p = s.ast.parent.get(c);
    if (p?.type === "Property" && keyOf(p as Property) === "responseCallback") return true;
    if (p?.type !== "CallExpression" || p.arguments[0] !== c) return false;
    const pb = bindingOf(s, p.callee);
    const pm = memberParts(p.callee);
    return pb?.kind === "httpFn"
      ? pb.name === "setResponseCallback"
      : pm?.[1] === "setResponseCallback";
  }
  if (name !== "setResponseCallback") return false;
  const [arg] = c.arguments;
  const cleared = arg?.type === "Literal" && arg.value === null;
  if (c.arguments.length !== 1 || !(cleared || isExpectedStatusesCall(s, arg))) return false;
  s.edits.replace(c.callee.start, c.callee.end, `${s.httpName}.setExpectedStatuses`);
  if (cleared) {
    // k6 with no callback counts nothing as failed; rampa's closest is its default rule.
    s.edits.replace(arg.start, arg.end, "");
    note(s, c, "setResponseCallback(null) became the default rule: statuses 200-399 succeed");
  } else unwrapStatuses(s, arg as CallExpression, "", "");
  return true;
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
    } else if (k === "redirects") {
      s.edits.replace(p.key.start, p.key.end, "maxRedirects");
    } else if (k === "responseType") {
      const v = p.value;
      if (v.type === "Literal" && !RESPONSE_TYPES.has(String(v.value))) {
        note(s, v, `responseType ${v.raw} is not one of rampa's: "text", "binary" or "none"`);
      }
    } else if (k === "responseCallback") {
      if (isExpectedStatusesCall(s, p.value)) {
        s.edits.replace(p.key.start, p.key.end, "expectedStatuses");
        unwrapStatuses(s, p.value, "[", "]");
      } else {
        note(
          s,
          p,
          'request param "responseCallback" removed: give the request ' +
            "expectedStatuses: [200, { min: 400, max: 404 }] instead",
        );
        removeProperty(s, p);
      }
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

/**
 * `http.batch([...])` stays a batch: rampa's takes the same request shapes (a URL, a
 * `[method, url, body, params]` array, a `{ method, url, body, params }` object); their params
 * and object bodies are converted like a single request's.
 */
export function convertBatch(s: State, c: CallExpression): boolean {
  const b = bindingOf(s, c.callee);
  if (b?.kind === "httpFn") s.edits.replace(c.callee.start, c.callee.end, `${s.httpName}.batch`);
  const arr = c.arguments[0];
  if (c.arguments.length !== 1 || arr.type !== "ArrayExpression") {
    note(
      s,
      c,
      arr?.type === "ObjectExpression"
        ? "rampa's http.batch takes a list, not named requests: pass an array and index the responses"
        : "check these batch requests' params against rampa's (name, tags, timeout in ms, maxRedirects)",
    );
    return false;
  }
  for (const el of arr.elements) {
    if (!el || el.type === "SpreadElement") continue;
    if (el.type === "ArrayExpression") {
      const [, , body, params] = el.elements;
      if (body && body.type !== "SpreadElement") convertBody(s, body);
      const o = params && params.type !== "SpreadElement" ? objectOf(s, params) : null;
      if (o) convertParams(s, o);
    } else if (el.type === "ObjectExpression") {
      for (const p of el.properties) {
        if (p.type !== "Property") continue;
        const k = keyOf(p);
        if (k === "body") convertBody(s, p.value as Expression);
        if (k === "params") {
          const o = objectOf(s, p.value as Expression);
          if (o) convertParams(s, o);
        }
      }
    }
  }
  return true;
}

/**
 * Request bodies of `ctx.http`: what each JavaScript value is sent as, and with which
 * `Content-Type` when the user gave none.
 *
 * | body                          | sent as                                                    |
 * | ----------------------------- | ---------------------------------------------------------- |
 * | string, Uint8Array, ArrayBuffer | as is                                                    |
 * | `URLSearchParams`             | `application/x-www-form-urlencoded`                        |
 * | `{ form: { k: v, … } }`       | `application/x-www-form-urlencoded` (k6's object bodies)   |
 * | `FormData` (files as `Blob`/`File`) | `multipart/form-data; boundary=…`                   |
 * | any other object or array     | JSON, `application/json` (rampa's documented behaviour)    |
 *
 * An object whose one key is `form` is the explicit way to ask for a form, since rampa (unlike
 * k6) sends plain objects as JSON; see docs/k6-migration.md.
 *
 * @module
 */

/** Values a form field may take in `{ form: {...} }`; arrays repeat the field. */
export type FormValue = string | number | boolean | readonly (string | number | boolean)[];

/** A body: text, bytes, a form, multipart `FormData`, or any other value sent as JSON. */
export type HttpBody =
  | string
  | Uint8Array
  | ArrayBuffer
  | URLSearchParams
  | FormData
  | { form: Readonly<Record<string, FormValue>> }
  | Record<string, unknown>
  | unknown[]
  | null;

/** A body ready for an engine, and the Content-Type it implies (null: none implied). */
export interface EncodedBody {
  readonly payload: string | Uint8Array | null;
  readonly contentType: string | null;
}

const FORM = "application/x-www-form-urlencoded";

/** True for `{ form: {...} }` and nothing else (one own key, a plain object under it). */
function isFormObject(b: object): b is { form: Record<string, FormValue> } {
  const keys = Object.keys(b);
  if (keys.length !== 1 || keys[0] !== "form") return false;
  const f = (b as { form: unknown }).form;
  return f !== null && typeof f === "object" && !Array.isArray(f);
}

/** Encodes a body; async only for `FormData`, whose multipart encoding streams its files. */
export async function encodeBody(body: HttpBody | undefined): Promise<EncodedBody> {
  if (body === undefined || body === null) return { payload: null, contentType: null };
  if (typeof body === "string" || body instanceof Uint8Array) {
    return { payload: body, contentType: null };
  }
  if (body instanceof ArrayBuffer) return { payload: new Uint8Array(body), contentType: null };
  if (body instanceof URLSearchParams) return { payload: body.toString(), contentType: FORM };
  if (typeof FormData !== "undefined" && body instanceof FormData) {
    // The platform's multipart encoder picks the boundary and encodes file parts correctly.
    const r = new Request("http://multipart.invalid/", { method: "POST", body });
    return {
      payload: new Uint8Array(await r.arrayBuffer()),
      contentType: r.headers.get("content-type"),
    };
  }
  if (!Array.isArray(body) && isFormObject(body)) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(body.form)) {
      if (Array.isArray(v)) { for (const x of v) p.append(k, String(x)); }
      else p.append(k, String(v));
    }
    return { payload: p.toString(), contentType: FORM };
  }
  return { payload: JSON.stringify(body), contentType: "application/json" };
}

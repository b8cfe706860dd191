/**
 * A response's body as text and as parsed JSON, decoded at most once however many checks and
 * extracts of a step read it. Checks and extracts of one step run synchronously right after
 * its response arrives, so a one-entry cache keyed by the response object is enough and holds
 * nothing after the next response.
 *
 * @module
 */
import type { HttpResponse } from "../engines/http/api.ts";

/** What {@link bodyJson} returns for a body that is not JSON. */
export const NOT_JSON: unique symbol = Symbol("not JSON");

let lastText: HttpResponse | null = null;
let text = "";
let lastJson: HttpResponse | null = null;
let json: unknown = undefined;

/** The body as UTF-8 text. */
export function bodyText(r: HttpResponse): string {
  if (lastText !== r) {
    text = r.text();
    lastText = r;
  }
  return text;
}

/** The body parsed as JSON, or {@link NOT_JSON}. */
export function bodyJson(r: HttpResponse): unknown {
  if (lastJson !== r) {
    try {
      json = JSON.parse(bodyText(r));
    } catch {
      json = NOT_JSON;
    }
    lastJson = r;
  }
  return json;
}

/**
 * Secrets never leave rampa through a report: URLs are redacted before they are written into a
 * run description's `config`, a target banner, a summary or any output. Userinfo is dropped and
 * the values of query parameters with secret-looking names are replaced.
 *
 * @module
 */

/** Query parameter names whose values are secrets (matched case-insensitively, in part). */
export const SECRET_PARAMS: readonly string[] = [
  "token",
  "key",
  "secret",
  "password",
  "passwd",
  "auth",
  "sig",
  "signature",
  "session",
  "credential",
];

/** What a secret value is replaced with. */
export const REDACTED = "REDACTED";

/** `url` with userinfo removed and secret query values replaced; unparsable text unchanged. */
export function redactUrl(url: string): string {
  const u = URL.parse(url);
  if (!u) return url;
  const hadUser = u.username !== "" || u.password !== "";
  u.username = "";
  u.password = "";
  let changed = hadUser;
  for (const k of [...u.searchParams.keys()]) {
    const lower = k.toLowerCase();
    if (SECRET_PARAMS.some((s) => lower.includes(s))) {
      u.searchParams.set(k, REDACTED);
      changed = true;
    }
  }
  return changed ? u.href : url;
}

/** True when a parameter or option named `name` holds a secret (see {@link SECRET_PARAMS}). */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_PARAMS.some((s) => lower.includes(s));
}

/**
 * Makes text safe for a terminal: control characters (ESC, BEL, CR, …) in names the user or a
 * server chose become visible `\x1b`-style escapes, so a request or check name cannot move the
 * cursor, recolour or rewrite the console.
 */
export function escapeControl(text: string): string {
  return text.replace(
    CONTROL_CHARS,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

/**
 * C0 controls but tab and newline, DEL and C1 controls. Built from a string, so the pattern
 * holds no control character itself.
 */
// deno-lint-ignore no-control-regex
export const CONTROL_CHARS: RegExp = new RegExp("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]", "g");

/**
 * Small builders so the corpus stays a table: a bad-input case is a name, the arguments and the
 * message expected on stderr's first line.
 *
 * @module
 */
import type { Case, Expect } from "../_case.ts";

/** Invalid input: exit 2, one line matching `line`, no load, no summary. */
export function bad(
  name: string,
  args: string[],
  line: RegExp,
  more: Omit<Partial<Case>, "expect"> & { expect?: Partial<Expect> } = {},
): Case {
  return {
    name,
    args,
    ...more,
    expect: { exit: 2, stderrLine: line, noLoad: true, summary: "none", ...more.expect },
  };
}

/** `bad` for `rampa run {url} <flags>`. */
export function badRun(
  name: string,
  flags: string[],
  line: RegExp,
  more: Omit<Partial<Case>, "expect"> & { expect?: Partial<Expect> } = {},
): Case {
  // Bounded even if rampa accepts the input after all: 1 s, not the default 10 s.
  const bounded = flags.some((f) => /^(-d|--duration|--iterations|--stage|--dry-run)$/.test(f));
  return bad(name, ["run", "{url}", ...flags, ...(bounded ? [] : ["-d", "1s"])], line, more);
}

/** The start of every scenario file: rampa's API and the target URL. */
export const HEAD = `import { check, http, sleep, type VuContext } from "rampa";
const TARGET = Deno.env.get("TARGET")!;
`;

/** A scenario: HEAD, then `body`. */
export function scenario(body: string): string {
  return HEAD + body;
}

/**
 * k6 as a peer: the project's shared tools hold a k6 v0.48 build (`shared/tools/k6/`, beside the
 * checkout). When no `k6` is on PATH, it is unpacked once into `bench/.cache/` and that folder
 * is put first on this process's PATH, so the generators find it like any installed tool.
 *
 * @module
 */
import $ from "dax";
import { fileURLToPath } from "node:url";

const ARCHIVE = fileURLToPath(
  new URL("../../../shared/tools/k6/k6-v0.48.0-linux-amd64.xz", import.meta.url),
);
const CACHE = fileURLToPath(new URL("../.cache/", import.meta.url));

/** Makes `k6` runnable if the shared build is there; returns where it came from, or null. */
export async function provideK6(): Promise<string | null> {
  if (await $.which("k6")) return "PATH";
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") return null;
  try {
    await Deno.stat(ARCHIVE);
  } catch {
    return null;
  }
  const bin = `${CACHE}k6`;
  try {
    await Deno.stat(bin);
  } catch {
    await Deno.mkdir(CACHE, { recursive: true });
    await $`xz -dc ${ARCHIVE}`.stdout($.path(bin));
    await Deno.chmod(bin, 0o755);
  }
  Deno.env.set("PATH", `${CACHE}:${Deno.env.get("PATH") ?? ""}`);
  Deno.env.set("K6_NO_USAGE_REPORT", "true");
  return bin;
}

/**
 * Runs a command under `/usr/bin/time` and returns its user + system CPU-seconds (children
 * included) and its stdout: how the peer benchmarks put rampa and k6 on one scale.
 *
 * @module
 */

/** Runs `cmd` in `cwd`; throws with the tail of stderr when it fails. */
export async function timed(cmd: string[], cwd: string): Promise<{ cpuS: number; out: string }> {
  const o = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "TIME %U %S", ...cmd],
    cwd,
    env: { NO_COLOR: "1", K6_NO_USAGE_REPORT: "true", RUST_BACKTRACE: "0" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(o.stderr);
  const m = /TIME ([\d.]+) ([\d.]+)/.exec(err);
  if (!o.success || !m) throw new Error(`${cmd[0]} failed: ${err.slice(-500)}`);
  return { cpuS: Number(m[1]) + Number(m[2]), out: new TextDecoder().decode(o.stdout) };
}

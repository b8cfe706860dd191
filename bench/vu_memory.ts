/**
 * Memory per VU: runs rampa closed loop with 1 and with N VUs (default 1,000) against a
 * private nginx, samples the process's VmRSS once the run is under way, and prints the
 * difference per VU, for ad-hoc runs and for scenario runs (a VU context, cookie jar and
 * client each). Not a test: `deno run -A bench/vu_memory.ts [--vus 1000]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { hasNginx, startNginx } from "../tools/testing/nginx.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const { values } = parseArgs({
  args: Deno.args,
  options: { vus: { type: "string", default: "1000" }, seconds: { type: "string", default: "8" } },
});
const VUS = Number(values.vus);
const SECONDS = Number(values.seconds);

async function rssDuring(args: string[], env: Record<string, string> = {}): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ROOT + "cli/main.ts",
      "run",
      ...args,
      "-d",
      `${SECONDS}s`,
      "-q",
      "--no-summary",
      "--workers",
      "1",
    ],
    env: { NO_PROXY: "127.0.0.1", ...env },
    stdout: "null",
    stderr: "null",
  }).spawn();
  let peak = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < (SECONDS - 1) * 1000) {
    await new Promise((r) => setTimeout(r, 500));
    try {
      const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      if (performance.now() - t0 > 2000) peak = Math.max(peak, kb);
    } catch { /* exited */ }
  }
  await child.status;
  return peak / 1024;
}

if (!hasNginx()) {
  console.log("nginx is not installed (apt-get install nginx-light): nothing measured");
  Deno.exit(0);
}
const nginx = await startNginx();
const url = `http://127.0.0.1:${nginx.port}/`;
const dir = await Deno.makeTempDir();
const scenario = `${dir}/vu.ts`;
await Deno.writeTextFile(
  scenario,
  `import { http, check } from "rampa";\nexport default async function () {\n` +
    `  const r = await http.get(Deno.env.get("URL")!);\n  check(r, { ok: (x) => x.status === 200 });\n}\n`,
);
try {
  for (
    const [what, args, env] of [
      ["ad-hoc (one request per iteration)", [url], {}],
      ["scenario (VU context, cookie jar, http client)", [scenario], { URL: url }],
    ] as const
  ) {
    const one = await rssDuring([...args, "--vus", "1"], env);
    const many = await rssDuring([...args, "--vus", String(VUS)], env);
    console.log(
      `${what}: RSS ${one.toFixed(1)} MiB with 1 VU, ${many.toFixed(1)} MiB with ${VUS} VUs → ` +
        `${(((many - one) * 1024) / (VUS - 1)).toFixed(1)} KiB per VU`,
    );
  }
} finally {
  await nginx.stop();
}

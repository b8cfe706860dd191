/**
 * Fleet runs with real processes on loopback: hosts split one schedule exactly (by
 * `--segment` and by a coordinator), start at one instant, and the coordinator judges the
 * merged data once, stops every host on abortOnFail, reports a killed host as lost and refuses
 * a wrong token.
 */
import { equal, match, ok } from "node:assert/strict";
import { startTarget } from "../../target/mod.ts";
import { freePort } from "../../tools/testing/nginx.ts";
import { createHostNamespaces, netnsUnavailable } from "../../tools/testing/netns.ts";
import { cliArgv, cliEnv, readSummary, runCli, spawnCli } from "./_cli.ts";

const TOKEN = "fleet-test-token-0123456789";
const dec = new TextDecoder();

async function finish(p: Deno.ChildProcess): Promise<{ code: number; out: string; err: string }> {
  const o = await p.output();
  return { code: o.code, out: dec.decode(o.stdout), err: dec.decode(o.stderr) };
}

/** `rampa coordinator --expect n` on 127.0.0.1:`port` (or `host`), its summary in `dir`. */
function coordinator(
  dir: string,
  port: number,
  expect: number,
  extra: string[] = [],
  host = "127.0.0.1",
): Deno.ChildProcess {
  return spawnCli(
    [
      "coordinator",
      "--expect",
      String(expect),
      "--port",
      String(port),
      "--host",
      host,
      "--summary",
      `${dir}/fleet.json`,
      ...extra,
    ],
    dir,
    { RAMPA_FLEET_TOKEN: TOKEN },
  );
}

Deno.test({
  name: "--segment i/3 with --start-at: each host runs exactly its third, the merge the whole",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const target = startTarget({ quiet: true, port: 0 });
    const dir = await Deno.makeTempDir({ prefix: "rampa-fleet-" });
    try {
      const at = new Date(Date.now() + 2500).toISOString().replace(/\.\d+Z$/, "Z");
      const hosts = [0, 1, 2].map((i) =>
        spawnCli([
          "run",
          target.url,
          "--rate",
          "150/s",
          "-d",
          "2s",
          "--segment",
          `${i}/3`,
          "--start-at",
          at,
          "--summary",
          `${dir}/s${i}.json`,
          "-q",
        ], dir)
      );
      const done = await Promise.all(hosts.map(finish));
      for (const d of done) equal(d.code, 0, d.err);
      const starts: number[] = [];
      for (const i of [0, 1, 2]) {
        const s = await readSummary(`${dir}/s${i}.json`);
        equal(s.load.started, 100, `segment ${i}`);
        equal(s.load.planned, 100);
        equal(s.run.segment.index, i);
        equal(s.run.config.startAt, new Date(Date.parse(at)).toISOString());
        ok(typeof s.run.config.startSkewMs === "number");
        starts.push(Date.parse(s.run.startedAt));
      }
      // One instant: the hosts started within a fraction of a second of each other.
      ok(Math.max(...starts) - Math.min(...starts) < 500, `starts ${starts}`);
      const merged = await runCli([
        "merge",
        `${dir}/s0.json`,
        `${dir}/s1.json`,
        `${dir}/s2.json`,
        "--out",
        `json=${dir}/merged.json`,
      ], dir);
      equal(merged.code, 0, merged.stderr);
      const m = await readSummary(`${dir}/merged.json`);
      equal(m.load.started, 300);
      equal(target.stats().requests, 300);
    } finally {
      await target.close();
    }
  },
});

Deno.test({
  name: "a coordinator hands out segments, merges live and judges once; a wrong token is refused",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const target = startTarget({ quiet: true, port: 0 });
    const dir = await Deno.makeTempDir({ prefix: "rampa-fleet-" });
    const port = freePort();
    const env = { RAMPA_FLEET_TOKEN: TOKEN };
    try {
      const coord = coordinator(dir, port, 3, [
        "--start-delay",
        "2s",
        "--join-timeout",
        "30s",
        "--threshold",
        "http_req_failed: rate<0.01",
      ]);
      const url = `http://127.0.0.1:${port}`;
      const args = (i: number) => [
        "run",
        target.url,
        "--rate",
        "150/s",
        "-d",
        "2s",
        "--coordinator",
        url,
        "--summary",
        `${dir}/h${i}.json`,
        "-q",
      ];
      // A host with another token is refused before the real ones join.
      const intruder = await runCli(args(9), dir, { RAMPA_FLEET_TOKEN: "wrong-token-0123456789" });
      equal(intruder.code, 2, intruder.stderr);
      match(intruder.stderr, /HTTP 401/);
      const hosts = [0, 1, 2].map((i) => spawnCli(args(i), dir, env));
      const done = await Promise.all(hosts.map(finish));
      for (const d of done) equal(d.code, 0, d.err);
      const c = await finish(coord);
      equal(c.code, 0, c.err);
      match(c.out, /PASSED: all 1 thresholds passed/);
      const s = await readSummary(`${dir}/fleet.json`);
      equal(s.load.started, 300);
      equal(s.thresholds.length, 1);
      const fleet = s.run.config.fleet as { segment: string; lost: string | null }[];
      equal(fleet.map((h) => h.segment).sort().join(" "), "0/3 1/3 2/3");
      equal(fleet.filter((h) => h.lost).length, 0);
      // Each host kept its own summary too (rampa merge can redo the result offline).
      for (const i of [0, 1, 2]) equal((await readSummary(`${dir}/h${i}.json`)).load.started, 100);
      equal(target.stats().requests, 300);
    } finally {
      await target.close();
    }
  },
});

Deno.test({
  name: "a coordinator stops every host when an abortOnFail threshold fails on the merged data",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const target = startTarget({ quiet: true, port: 0, errorRate: 1 });
    const dir = await Deno.makeTempDir({ prefix: "rampa-fleet-" });
    const port = freePort();
    const env = { RAMPA_FLEET_TOKEN: TOKEN };
    try {
      const coord = coordinator(dir, port, 2, [
        "--start-delay",
        "2s",
        "--threshold",
        "http_req_failed: rate<0.5 abortOnFail",
      ]);
      const url = `http://127.0.0.1:${port}`;
      const host = (i: number) =>
        spawnCli(
          [
            "run",
            target.url,
            "--rate",
            "50/s",
            "-d",
            "20s",
            "--coordinator",
            url,
            "--summary",
            `${dir}/h${i}.json`,
            "-q",
          ],
          dir,
          env,
        );
      const started = Date.now();
      const done = await Promise.all([host(0), host(1)].map(finish));
      // Both hosts stopped long before their 20 s, told by the coordinator.
      ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
      for (const d of done) match(d.err + d.out, /stopped by the coordinator/);
      const c = await finish(coord);
      equal(c.code, 4, c.err);
    } finally {
      await target.close();
    }
  },
});

Deno.test({
  name: "a host killed mid-run is lost with its share: exit 10, the others' results kept",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const target = startTarget({ quiet: true, port: 0 });
    const dir = await Deno.makeTempDir({ prefix: "rampa-fleet-" });
    const port = freePort();
    const env = { RAMPA_FLEET_TOKEN: TOKEN };
    try {
      const coord = coordinator(dir, port, 2, ["--start-delay", "1s"]);
      const url = `http://127.0.0.1:${port}`;
      const host = (i: number) =>
        spawnCli(
          [
            "run",
            target.url,
            "--rate",
            "50/s",
            "-d",
            "8s",
            "--coordinator",
            url,
            "--summary",
            `${dir}/h${i}.json`,
            "-q",
          ],
          dir,
          env,
        );
      const a = host(0);
      const b = host(1);
      await new Promise((r) => setTimeout(r, 4500));
      b.kill("SIGKILL");
      const [ra] = await Promise.all([finish(a), finish(b)]);
      equal(ra.code, 0, ra.err);
      const c = await finish(coord);
      equal(c.code, 10, c.err);
      match(c.err + c.out, /lost/);
      const s = await readSummary(`${dir}/fleet.json`);
      // The survivor's whole share (8 s at 25/s), the lost host's none.
      equal(s.load.started, 200);
      equal((s.run.config.fleet as { lost: string | null }[]).filter((h) => h.lost).length, 1);
    } finally {
      await target.close();
    }
  },
});

const netnsWhy = await netnsUnavailable();
if (netnsWhy) console.error(`fleet over network namespaces skipped: ${netnsWhy}`);

Deno.test({
  name: "three hosts in their own network namespaces: one coordinator, exact shares, one verdict",
  ignore: netnsWhy !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { hosts, dispose } = await createHostNamespaces(3);
    // Listening on every address: the namespaces reach it through their own links.
    const target = startTarget({ quiet: true, port: 0, hostname: "0.0.0.0" });
    const port = new URL(target.url).port;
    const dir = await Deno.makeTempDir({ prefix: "rampa-fleet-ns-" });
    const cport = freePort();
    const env = { RAMPA_FLEET_TOKEN: TOKEN };
    try {
      const coord = coordinator(dir, cport, 3, ["--start-delay", "3s"], "0.0.0.0");
      const runs = hosts.map((h, i) =>
        new Deno.Command("ip", {
          args: [
            "netns",
            "exec",
            h.name,
            ...cliArgv([
              "run",
              `http://${h.gateway}:${port}/`,
              "--name",
              "root",
              "--rate",
              "150/s",
              "-d",
              "2s",
              "--coordinator",
              `http://${h.gateway}:${cport}`,
              "--summary",
              `${dir}/h${i}.json`,
              "-q",
            ]),
          ],
          cwd: dir,
          env: cliEnv(env),
          stdout: "piped",
          stderr: "piped",
        }).spawn()
      );
      const done = await Promise.all(runs.map(finish));
      for (const d of done) equal(d.code, 0, d.err);
      const c = await finish(coord);
      equal(c.code, 0, c.err);
      const s = await readSummary(`${dir}/fleet.json`);
      equal(s.load.started, 300);
      for (const i of [0, 1, 2]) equal((await readSummary(`${dir}/h${i}.json`)).load.started, 100);
      equal(target.stats().requests, 300);
    } finally {
      await target.close();
      await dispose();
    }
  },
});

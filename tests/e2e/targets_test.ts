/**
 * `rampa run --targets`: a vegeta-style target list drives an ad-hoc run with every load flag;
 * targets are used in turn (exact counts) or at random, from a file or stdin.
 */
import { equal, match, ok } from "node:assert/strict";
import { RAMPA_RUN_FLAGS } from "../../tools/rampa_task.ts";
import { cliEnv, readSummary, ROOT, runCli } from "./_cli.ts";

function countingServer() {
  const seen: Record<string, number> = {};
  const bodies: string[] = [];
  const tokens: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    const key = `${req.method} ${new URL(req.url).pathname}`;
    seen[key] = (seen[key] ?? 0) + 1;
    if (req.method === "POST") bodies.push(await req.text());
    tokens.push(req.headers.get("x-token") ?? "");
    return new Response("ok", { headers: { "x-seen": req.headers.get("x-token") ?? "" } });
  });
  return {
    seen,
    bodies,
    tokens,
    url: `http://127.0.0.1:${server.addr.port}`,
    close: () => server.shutdown(),
  };
}

Deno.test("--targets FILE: targets in turn at --rate, headers and @body files, exact counts", async () => {
  const s = countingServer();
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/body.json`, '{"n":1}');
    await Deno.writeTextFile(
      `${dir}/targets.txt`,
      `GET ${s.url}/a\nX-Token: t1\n\nPOST ${s.url}/b\nContent-Type: application/json\n@body.json\n\nGET ${s.url}/c\n`,
    );
    const r = await runCli(
      [
        "run",
        "--targets",
        `${dir}/targets.txt`,
        "--rate",
        "60/s",
        "-d",
        "1s",
        "--summary",
        `${dir}/s.json`,
        "-q",
      ],
      dir,
    );
    equal(r.code, 0, r.stderr);
    equal(s.seen["GET /a"], 20);
    equal(s.seen["POST /b"], 20);
    equal(s.seen["GET /c"], 20);
    ok(s.bodies.every((b) => b === '{"n":1}'));
    const sum = await readSummary(`${dir}/s.json`);
    equal(sum.endpoints.length, 3);
    match(String(sum.scenarios[0].target), /\+2 more targets/);
  } finally {
    await s.close();
  }
});

Deno.test("--targets - --targets-format json --targets-pick random: from stdin, spread over all", async () => {
  const s = countingServer();
  const dir = await Deno.makeTempDir();
  try {
    const p = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        ...RAMPA_RUN_FLAGS,
        "--config",
        `${ROOT}deno.json`,
        `${ROOT}cli/main.ts`,
        "run",
        "--targets",
        "-",
        "--targets-format",
        "json",
        "--targets-pick",
        "random",
        "--iterations",
        "90",
        "--rate",
        "300/s",
        "--no-summary",
        "-q",
      ],
      cwd: dir,
      env: cliEnv(),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = p.stdin.getWriter();
    const lines = ["/x", "/y", "/z"].map((path) => JSON.stringify({ url: `${s.url}${path}` }));
    await w.write(new TextEncoder().encode(lines.join("\n") + "\n"));
    await w.close();
    const out = await p.output();
    equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const counts = ["GET /x", "GET /y", "GET /z"].map((k) => s.seen[k] ?? 0);
    equal(counts.reduce((a, b) => a + b, 0), 90);
    // At random: each of the three got some (the chance one got none is 3·(2/3)^90 ≈ 4e-16).
    ok(counts.every((c) => c > 0), `counts ${counts}`);
  } finally {
    await s.close();
  }
});

Deno.test("--targets with a URL too, or a bad list, is a one-line error before any load", async () => {
  const s = countingServer();
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.txt`, `GET ${s.url}/a\n\nGET ftp://nope/\n`);
    const bad = await runCli(["run", "--targets", `${dir}/bad.txt`, "-d", "1s"], dir);
    equal(bad.code, 2);
    match(bad.stderr, /bad\.txt:3: "ftp:\/\/nope\/" is not an http/);
    const both = await runCli(["run", s.url, "--targets", `${dir}/bad.txt`], dir);
    equal(both.code, 2);
    match(both.stderr, /either a URL or --targets/);
    equal(Object.keys(s.seen).length, 0);
  } finally {
    await s.close();
  }
});

Deno.test("-e K=V on a URL run fills ${K} in the URL and headers", async () => {
  const s = countingServer();
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      [
        "run",
        `${s.url}/\${PATH_PART}`,
        "-e",
        "PATH_PART=filled",
        "-H",
        "X-Token: ${TOKEN}",
        "-e",
        "TOKEN=t9",
        "-i",
        "3",
        "--no-summary",
        "-q",
      ],
      dir,
    );
    equal(r.code, 0, r.stderr);
    equal(s.seen["GET /filled"], 3);
    equal(s.tokens.join(","), "t9,t9,t9");
  } finally {
    await s.close();
  }
});

import { equal, match, ok } from "node:assert/strict";
import { count, readSummary, ROOT, runCli, spawnCli } from "./_cli.ts";
import { GREETER_PROTO, greeterServer, PROTO_DIR, refusedAddr } from "../engines/grpc/_servers.ts";
import { TEST_CA_CERT } from "../engines/http1/_tls_fixtures.ts";

const HELLO = "test.v1.Greeter/Hello";
const PROTO_FLAGS = ["--proto", GREETER_PROTO, "--import-path", PROTO_DIR];

Deno.test("rampa run grpc:// makes one unary call per arrival with data and metadata", async () => {
  const server = await greeterServer();
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli([
      "run",
      `grpc://${server.addr}/${HELLO}`,
      ...PROTO_FLAGS,
      "--data",
      '{"name":"ad hoc"}',
      "--metadata",
      "x-token: abc",
      "--rate",
      "20/s",
      "-d",
      "2s",
      "--out",
      "html=report.html",
    ], dir);
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(count(s, "grpc_reqs"), 40);
    equal(server.calls.Hello, 40);
    ok(server.metadata.every((m) => m["x-token"] === "abc"), "metadata on every call");
    const d = s.metrics.grpc_req_duration;
    ok(d?.type === "trend" && d.count === 40);
    equal(s.statuses.OK, 40);
    const e = s.endpoints.find((x) => x.name === HELLO && x.method === "GRPC");
    equal(e?.requests, 40);
    ok(s.sections?.some((x) => x.protocol === "grpc" && x.title === "gRPC"));
    match(r.stdout, /grpc_req_duration/);
    match(await Deno.readTextFile(`${dir}/report.html`), /<h2>gRPC<\/h2>/);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--data-file messages are cycled across two load threads, one JSON message per line", async () => {
  const server = await greeterServer();
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/msgs.jsonl`, '{"name":"a"}\n{"name":"b"}\n\n{"name":"c"}\n');
    const r = await runCli([
      "run",
      `grpc://${server.addr}/${HELLO}`,
      ...PROTO_FLAGS,
      "--data-file",
      "msgs.jsonl",
      "--rate",
      "15/s",
      "-d",
      "2s",
      "--workers",
      "2",
      "--no-summary",
    ], dir);
    equal(r.code, 0, r.stderr + r.stdout);
    equal(server.calls.Hello, 30);
    const by = (n: string) => server.names.filter((x) => x === n).length;
    equal([by("a"), by("b"), by("c")].join(), "10,10,10");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failing method's statuses are counted and judged by a threshold alias", async () => {
  const server = await greeterServer();
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli([
      "run",
      `grpc://${server.addr}/test.v1.Greeter/Fail`,
      ...PROTO_FLAGS,
      "--rate",
      "10/s",
      "-d",
      "1s",
      "--threshold",
      "grpc_error_rate<0.5",
    ], dir);
    equal(r.code, 3, r.stderr + r.stdout);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(s.statuses.NOT_FOUND, 10);
    const f = s.metrics.grpc_req_failed;
    ok(f?.type === "rate" && f.passes === 10, "every call failed");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a deadline from --timeout ends slow calls as DEADLINE_EXCEEDED", async () => {
  const server = await greeterServer();
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli([
      "run",
      `grpc://${server.addr}/test.v1.Greeter/Slow`,
      ...PROTO_FLAGS,
      "--data",
      '{"shape":{"delay_ms":3000}}',
      "--timeout",
      "200ms",
      "--rate",
      "5/s",
      "-d",
      "1s",
    ], dir);
    // Every call failed: no call succeeded, so the run fails (exit 8) with its summary.
    equal(r.code, 8, r.stderr + r.stdout);
    match(r.stdout, /FAILED: no request succeeded: all 5 failed/);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(s.statuses.DEADLINE_EXCEEDED, 5);
    ok(s.errors.some((e) => e.kind === "timeout" && e.count === 5), JSON.stringify(s.errors));
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad proto, service, method or data are one-line config errors before any call", async () => {
  const server = await greeterServer();
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/broken.proto`, 'syntax = "proto3";\nmessage {');
    const cases: [string[], RegExp][] = [
      [[`grpc://${server.addr}/${HELLO}`, "--proto", "broken.proto"], /Cannot load proto/],
      [[`grpc://${server.addr}/${HELLO}`, "--proto", "none.proto"], /Cannot read proto file/],
      [[`grpc://${server.addr}/test.v1.Nope/Hello`, ...PROTO_FLAGS], /Unknown gRPC service/],
      [[`grpc://${server.addr}/test.v1.Greeter/Nope`, ...PROTO_FLAGS], /Unknown gRPC method/],
      [[`grpc://${server.addr}/test.v1.Greeter/Watch`, ...PROTO_FLAGS], /streaming method/],
      [[`grpc://${server.addr}/${HELLO}`, ...PROTO_FLAGS, "--data", "{x"], /--data as JSON/],
      [[`grpc://${server.addr}/${HELLO}`], /by reflection \(UNIMPLEMENTED.*give --proto/],
    ];
    for (const [args, want] of cases) {
      const r = await runCli(["run", ...args, "--rate", "5/s", "-d", "1s"], dir);
      equal(r.code, 2, `${args.join(" ")}: ${r.stderr}${r.stdout}`);
      match(r.stderr, want);
      equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
    equal(Object.keys(server.calls).length, 0, "no call was made");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rampa run against a refused grpc:// port exits 8, with or without --proto", async () => {
  const noProto = await runCli(["run", `grpc://${refusedAddr()}/${HELLO}`, "-d", "1s"]);
  equal(noProto.code, 8, noProto.stdout + noProto.stderr);
  match(noProto.stderr, /Cannot reach/);
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      ["run", `grpc://${refusedAddr()}/${HELLO}`, ...PROTO_FLAGS, "--rate", "50/s", "-d", "1s"],
      dir,
    );
    equal(r.code, 8, r.stdout + r.stderr);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    ok(count(s, "grpc_reqs") >= 20);
    ok(s.errors.some((e) => e.kind === "refused"), JSON.stringify(s.errors));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("grpcs:// with --cacert trusts the test CA; without it the calls fail as tls", async () => {
  const server = await greeterServer({ tls: true });
  const dir = await Deno.makeTempDir();
  const port = server.addr.split(":")[1];
  try {
    await Deno.writeTextFile(`${dir}/ca.pem`, TEST_CA_CERT);
    const url = `grpcs://localhost:${port}/${HELLO}`;
    const good = await runCli(
      ["run", url, ...PROTO_FLAGS, "--cacert", "ca.pem", "--rate", "10/s", "-d", "1s"],
      dir,
    );
    equal(good.code, 0, good.stderr + good.stdout);
    equal(count(await readSummary(`${dir}/rampa-summary.json`), "grpc_reqs"), 10);
    equal(server.calls.Hello, 10);
    const insecure = await runCli(
      ["run", url, ...PROTO_FLAGS, "--insecure", "--rate", "10/s", "-d", "1s"],
      dir,
    );
    equal(insecure.code, 0, insecure.stderr + insecure.stdout);
    equal(server.calls.Hello, 20);
    const bad = await runCli(["run", url, ...PROTO_FLAGS, "--rate", "10/s", "-d", "1s"], dir);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    ok(s.errors.some((e) => e.kind === "tls"), JSON.stringify(s.errors));
    equal(bad.code, 8, "no call reached a server");
    equal(server.calls.Hello, 20);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a server stalling 1 s every 5 s shows in grpc_req_duration p99 at 50/s", async () => {
  const server = await greeterServer({ stall: true });
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      ["run", `grpc://${server.addr}/${HELLO}`, ...PROTO_FLAGS, "--rate", "50/s", "-d", "4s"],
      dir,
    );
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(count(s, "grpc_reqs"), 200);
    const d = s.metrics.grpc_req_duration;
    ok(d?.type === "trend" && d.p99 >= 900, `p99 ${d?.type === "trend" && d.p99} ms`);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a scenario on ctx.grpc and module-level grpc makes every call kind with checks", async () => {
  const server = await greeterServer();
  const dir = await Deno.makeTempDir();
  try {
    const r = await runCli(
      ["run", ROOT + "tests/_support/grpc/scenario.ts", "-e", `GRPC_ADDR=${server.addr}`],
      dir,
    );
    equal(r.code, 0, r.stderr + r.stdout);
    const s = await readSummary(`${dir}/rampa-summary.json`);
    equal(count(s, "grpc_reqs"), 12);
    equal(count(s, "grpc_streams"), 18);
    equal(count(s, "grpc_streams_msgs_sent"), 6 * (1 + 2 + 2));
    equal(count(s, "grpc_streams_msgs_received"), 6 * (3 + 2));
    ok(s.checks.length === 6 && s.checks.every((c) => c.passes === 6 && c.fails === 0));
    ok(s.thresholds.length === 2 && s.thresholds.every((t) => t.passed));
    equal(s.iterationErrors?.length ?? 0, 0);
    const calls = server.calls;
    equal(calls.Hello + calls.Fail + calls.Watch + calls.Collect + calls.Chat, 30);
    equal(server.connections(), 2, "one connection per VU");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rampa serve --grpc-port serves the test service and --print-proto prints it", async () => {
  const proto = await runCli(["serve", "--print-proto"]);
  equal(proto.code, 0, proto.stderr);
  equal(proto.stdout.trim(), (await Deno.readTextFile(ROOT + "target/rampa_target.proto")).trim());
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const grpcPort = l.addr.port;
  l.close();
  const dir = await Deno.makeTempDir();
  const serve = spawnCli(["serve", "--port", "0", "--grpc-port", String(grpcPort)], dir);
  try {
    const reader = serve.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("gRPC target listening")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    match(out, new RegExp(`grpc://127\\.0\\.0\\.1:${grpcPort}`));
    // No --proto: the target offers server reflection.
    const r = await runCli([
      "run",
      `grpc://127.0.0.1:${grpcPort}/rampa.target.v1.Target/Echo`,
      "--data",
      '{"message":"x","status":5}',
      "--rate",
      "10/s",
      "-d",
      "1s",
    ], dir);
    // Every call answered NOT_FOUND, as asked: nothing succeeded, exit 8, summary kept.
    equal(r.code, 8, r.stderr + r.stdout);
    equal((await readSummary(`${dir}/rampa-summary.json`)).statuses.NOT_FOUND, 10);
    reader.releaseLock();
  } finally {
    serve.kill("SIGTERM");
    await serve.status;
    await serve.stdout.cancel().catch(() => {});
    await serve.stderr.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

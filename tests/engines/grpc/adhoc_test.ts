import { deepEqual, equal, throws } from "node:assert/strict";
import { ConfigError } from "../../../core/errors.ts";
import type { AdHocRequest } from "../../../core/protocol/types.ts";
import { parseGrpcAdHoc } from "../../../engines/grpc/adhoc.ts";
import { callerDir, resolveProtoPath } from "../../../engines/grpc/_proto_path.ts";

function req(url: string, flags: Record<string, unknown>, more: Partial<AdHocRequest> = {}) {
  return {
    url,
    method: "GET",
    headers: [],
    body: null,
    timeoutMs: 1000,
    name: null,
    expect: { statuses: [], headers: [], bodyJson: null },
    flags,
    ...more,
  } as AdHocRequest;
}

Deno.test("grpc:// and grpcs:// URLs give the address, the method and TLS", () => {
  const a = parseGrpcAdHoc(req("grpc://127.0.0.1:50051/pkg.Svc/Call", { proto: ["a.proto"] }));
  deepEqual([a.addr, a.method, a.tls, a.messages], ["127.0.0.1:50051", "pkg.Svc/Call", false, [
    {},
  ]]);
  equal(parseGrpcAdHoc(req("grpcs://h:443/pkg.Svc/Call", { proto: ["a.proto"] })).tls, true);
  equal(
    parseGrpcAdHoc(req("grpc://h:1/pkg.Svc/Call", { proto: ["a.proto"], tls: true })).tls,
    true,
  );
  equal(parseGrpcAdHoc(req("grpc://[::1]:1/p.S/M", { proto: ["a.proto"] })).addr, "[::1]:1");
});

Deno.test("--metadata and -H become metadata, repeated keys kept", () => {
  const a = parseGrpcAdHoc(
    req(
      "grpc://h:1/p.S/M",
      { proto: ["a.proto"], metadata: ["X-A: 1", "x-a: 2"], data: '{"n":1}' },
      {
        headers: [["authorization", "Bearer t"]],
      },
    ),
  );
  deepEqual(a.metadata, { "x-a": ["1", "2"], authorization: ["Bearer t"] });
  deepEqual(a.messages, [{ n: 1 }]);
});

Deno.test("bad grpc:// requests are one ConfigError listing every problem", () => {
  throws(
    () =>
      parseGrpcAdHoc(
        req("grpc://h/p.S/M", {
          metadata: ["nocolon"],
          data: "{",
          "data-file": "x",
          "import-path": ["d"],
        }, {
          body: "b",
          method: "POST",
        }),
      ),
    (e: unknown) => {
      const issues = (e as ConfigError).issues;
      return e instanceof ConfigError && issues.length === 7 &&
        /expected a port/.test(issues[0]) && /--body/.test(issues[1]) &&
        /-X POST/.test(issues[2]) && /--import-path needs --proto/.test(issues[3]) &&
        /either --data or --data-file/.test(issues[4]) && /--data as JSON/.test(issues[5]) &&
        /--metadata "nocolon"/.test(issues[6]);
    },
  );
  throws(() => parseGrpcAdHoc(req("grpc://h:1/", { proto: ["a.proto"] })), /method in the path/);
});

Deno.test("a relative proto path resolves against the calling file's folder", () => {
  const here = new URL(".", import.meta.url).pathname.replace(/\/$/, "");
  equal(callerDir(), here);
  equal(resolveProtoPath("x/a.proto"), here + "/x/a.proto");
  equal(resolveProtoPath("/abs/a.proto"), "/abs/a.proto");
  equal(resolveProtoPath(new URL("file:///u/a.proto")), "/u/a.proto");
  equal(resolveProtoPath("a.proto", "/base"), "/base/a.proto");
});

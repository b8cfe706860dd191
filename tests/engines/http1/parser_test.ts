/**
 * Table-driven tests of the http1 response parser: each case is raw response bytes and what a
 * client must conclude from them (status, body, whether the connection can be reused, or why
 * the response is malformed).
 */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { MAX_HEAD_BYTES, ResponseParser } from "../../../engines/http1/parser.ts";

interface Case {
  name: string;
  input: string;
  head?: boolean;
  /** The connection ends after the input (close-delimited bodies need this). */
  eof?: boolean;
  status?: number;
  body?: string;
  keepAlive?: boolean;
  /** Expected malformed reason (substring), or "truncated" when EOF leaves it incomplete. */
  error?: string;
  /** Bytes left over after the response. */
  surplus?: number;
}

const CASES: Case[] = [
  {
    name: "Content-Length body",
    input: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    status: 200,
    body: "hello",
    keepAlive: true,
  },
  {
    name: "header names are case-insensitive",
    input: "HTTP/1.1 201 Created\r\ncOnTeNt-LeNgTh: 2\r\nCONNECTION: CLOSE\r\n\r\nok",
    status: 201,
    body: "ok",
    keepAlive: false,
  },
  {
    name: "chunked body with extension and trailers",
    input: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
      "5;name=value\r\nhello\r\n7 \r\n, world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n",
    status: 200,
    body: "hello, world0123456789",
    keepAlive: true,
  },
  {
    name: "chunked wins over Content-Length and the connection is dropped",
    input: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n" +
      "2\r\nhi\r\n0\r\n\r\n",
    status: 200,
    body: "hi",
    keepAlive: false,
  },
  {
    name: "a non-chunked transfer coding is read to the close",
    input: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc",
    eof: true,
    status: 200,
    body: "abc",
    keepAlive: false,
  },
  {
    name: "close-delimited body",
    input: "HTTP/1.1 200 OK\r\n\r\nuntil the end",
    eof: true,
    status: 200,
    body: "until the end",
    keepAlive: false,
  },
  {
    name: "HEAD response ignores Content-Length",
    input: "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n",
    head: true,
    status: 200,
    body: "",
    keepAlive: true,
  },
  { name: "204 has no body", input: "HTTP/1.1 204 No Content\r\n\r\n", status: 204, body: "" },
  {
    name: "304 has no body even with Content-Length",
    input: "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
    status: 304,
    body: "",
  },
  {
    name: "1xx interim responses are skipped",
    input: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" +
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    status: 200,
    body: "ok",
  },
  {
    name: "HTTP/1.0 without keep-alive is not reused",
    input: "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
    status: 200,
    body: "ok",
    keepAlive: false,
  },
  {
    name: "HTTP/1.0 with keep-alive is reused",
    input: "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok",
    status: 200,
    body: "ok",
    keepAlive: true,
  },
  {
    name: "bare LF line ends and no reason phrase",
    input: "HTTP/1.1 200\nContent-Length: 3\n\nabc",
    status: 200,
    body: "abc",
  },
  {
    name: "identical Content-Length values are one",
    input: "HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc",
    status: 200,
    body: "abc",
  },
  {
    name: "bytes after the response are surplus",
    input: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naEXTRA",
    status: 200,
    body: "a",
    surplus: 5,
  },
  {
    name: "folded non-framing header is accepted",
    input: "HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 0\r\n\r\n",
    status: 200,
    body: "",
  },
  { name: "not HTTP", input: "NOT-HTTP garbage\r\n\r\n", error: "status line" },
  { name: "HTTP/2 status line", input: "HTTP/2.0 200 OK\r\n\r\n", error: "status line" },
  { name: "two-digit status", input: "HTTP/1.1 20 OK\r\n\r\n", error: "status line" },
  { name: "status 099", input: "HTTP/1.1 099 X\r\n\r\n", error: "status line" },
  {
    name: "negative Content-Length",
    input: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
    error: "Content-Length",
  },
  {
    name: "conflicting Content-Length headers",
    input: "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
    error: "conflicting",
  },
  {
    name: "conflicting Content-Length list",
    input: "HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabcd",
    error: "conflicting",
  },
  {
    name: "Content-Length over 2^53",
    input: "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
    error: "Content-Length",
  },
  {
    name: "space before the colon",
    input: "HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\na",
    error: "header name",
  },
  { name: "header without colon", input: "HTTP/1.1 200 OK\r\nBroken\r\n\r\n", error: "header" },
  {
    name: "folded Content-Length",
    input: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n 2\r\n\r\n",
    error: "folded",
  },
  {
    name: "bad chunk size",
    input: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    error: "chunk size",
  },
  {
    name: "empty chunk size",
    input: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
    error: "chunk size",
  },
  {
    name: "huge chunk size",
    input: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n",
    error: "too large",
  },
  {
    name: "chunk data longer than its size",
    input: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n",
    error: "CRLF",
  },
  {
    name: "truncated Content-Length body",
    input: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort",
    eof: true,
    error: "truncated",
  },
  {
    name: "truncated chunked body",
    input: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
    eof: true,
    error: "truncated",
  },
  { name: "truncated head", input: "HTTP/1.1 200 OK\r\nContent-Le", eof: true, error: "truncated" },
  {
    name: "oversized head",
    input: "HTTP/1.1 200 OK\r\n" + `X-Big: ${"a".repeat(MAX_HEAD_BYTES)}\r\n\r\n`,
    error: "64 KiB",
  },
];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

for (const c of CASES) {
  Deno.test(`parser: ${c.name}`, () => {
    const p = new ResponseParser();
    p.reset(c.head ?? false, true);
    const bytes = encoder.encode(c.input);
    const used = p.execute(bytes, 0, bytes.length);
    const complete = p.done || (c.eof === true && p.error === "" && p.eof());
    if (c.error !== undefined) {
      const why = p.error !== "" ? p.error : complete ? "" : "truncated";
      assertEquals(why.includes(c.error), true, `expected "${c.error}", got "${why}"`);
      assertEquals(p.keepAlive && p.error !== "", false);
      return;
    }
    assertEquals(p.error, "");
    assertEquals(complete, true);
    assertEquals(p.head.status, c.status);
    assertEquals(decoder.decode(p.body!), c.body);
    if (c.keepAlive !== undefined) assertEquals(p.keepAlive, c.keepAlive);
    assertEquals(bytes.length - used, c.surplus ?? 0);
  });
}

Deno.test("parser: kept header fields are decoded, values trimmed", () => {
  const p = new ResponseParser();
  p.reset(false, true);
  const bytes = encoder.encode("HTTP/1.1 200 OK\r\nX-One:  a b \r\nSet-Cookie: c=1\r\n\r\n");
  p.execute(bytes, 0, bytes.length);
  assertEquals(p.head.fields, ["X-One", "a b", "Set-Cookie", "c=1"]);
});

Deno.test("parser: a reset parser parses the next response on the same instance", () => {
  const p = new ResponseParser();
  for (const body of ["first", "second!"]) {
    p.reset(false, false);
    const bytes = encoder.encode(
      `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    assertEquals(p.execute(bytes, 0, bytes.length), bytes.length);
    assertEquals([p.done, p.bodyBytes, p.body], [true, body.length, null]);
  }
});

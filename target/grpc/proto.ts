/**
 * The embedded gRPC service's `.proto`, as text: `deno compile` embeds it with the code (no
 * file path to resolve at run time), `rampa serve --print-proto` prints it, and the server
 * loads it from here. `target/rampa_target.proto` is the same text as a file for users' tools
 * (a test keeps the two equal).
 *
 * @module
 */

/** Package and service of the embedded gRPC service. */
export const TARGET_SERVICE = "rampa.target.v1.Target";

/** The `.proto` source of the embedded gRPC service. */
export const TARGET_PROTO: string =
  `// rampa's embedded gRPC test service (\`rampa serve --grpc-port P\`; \`rampa serve --print-proto\`).
// Every call gets the server's --latency/--jitter, --error-rate (status UNAVAILABLE) and --stall,
// like the HTTP routes.
syntax = "proto3";

package rampa.target.v1;

service Target {
  // Echoes the message; delay_ms adds a delay, status (a gRPC code) answers that status.
  rpc Echo(EchoRequest) returns (EchoReply);
  // Sends n replies, interval_ms apart.
  rpc Count(CountRequest) returns (stream CountReply);
  // Adds every value sent; answers when the client ends the stream.
  rpc Sum(stream SumRequest) returns (SumReply);
  // Echoes every message as it arrives.
  rpc Chat(stream EchoRequest) returns (stream EchoReply);
}

message EchoRequest {
  string message = 1;
  int32 delay_ms = 2;
  int32 status = 3;
  bytes payload = 4;
}

message EchoReply {
  string message = 1;
  bytes payload = 2;
}

message CountRequest {
  int32 n = 1;
  int32 interval_ms = 2;
}

message CountReply {
  int32 i = 1;
}

message SumRequest {
  int64 value = 1;
}

message SumReply {
  int64 sum = 1;
  int32 count = 2;
}
`;

/**
 * The streaming halves of gRPC calls as scenarios hold them: server streams and bidi streams
 * are async-iterable (a `break` cancels the call), client streams and bidi streams `send` and
 * `end`. Each resolves `done`/`response` once, with the call's status; never rejects.
 *
 * @module
 */
import type { GrpcResponse, GrpcStatus } from "./types.ts";

/** What a stream needs of a grpc-js readable call. */
export type Readable = {
  on(e: "data", f: (m: unknown) => void): unknown;
  on(e: "end", f: () => void): unknown;
  cancel(): void;
};

/** A stream of server messages; async-iterable once. Ending early cancels the call. */
export class GrpcStream<T> implements AsyncIterable<T> {
  #queue: T[] = [];
  #waiter: ((r: IteratorResult<T>) => void) | null = null;
  #ended = false;
  #call: Readable;
  /** Resolves with the call's status once it has ended (never rejects). */
  readonly done: Promise<GrpcStatus>;

  /** Built by the client. */
  constructor(call: Readable, done: Promise<GrpcStatus>) {
    this.#call = call;
    this.done = done;
    call.on("data", (m) => {
      const w = this.#waiter;
      if (w) {
        this.#waiter = null;
        w({ value: m as T, done: false });
      } else this.#queue.push(m as T);
    });
    const end = () => {
      this.#ended = true;
      const w = this.#waiter;
      this.#waiter = null;
      w?.({ value: undefined, done: true });
    };
    call.on("end", end);
    done.then(end);
  }

  /** Cancels the call (it ends as CANCELLED). */
  cancel(): void {
    this.#call.cancel();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: (): Promise<IteratorResult<T>> => {
        const v = this.#queue.shift();
        if (v !== undefined) return Promise.resolve({ value: v, done: false });
        if (this.#ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((r) => this.#waiter = r);
      },
      return: (): Promise<IteratorResult<T>> => {
        // A `break` out of the loop: the rest of the stream is not wanted.
        if (!this.#ended) this.#call.cancel();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

/** What a stream needs of a grpc-js writable call. */
export type Writable = { write(m: unknown): boolean; end(): void; cancel(): void };

/** The sending half of a client-streaming call. */
export class GrpcClientStream<T> {
  #call: Writable;
  #ended = false;
  /** Resolves with the response once the call has ended (never rejects). */
  readonly response: Promise<GrpcResponse<T>>;

  /** Built by the client. */
  constructor(call: Writable, response: Promise<GrpcResponse<T>>) {
    this.#call = call;
    this.response = response;
  }

  /** Sends a message; false once the stream was ended. */
  send(message: unknown): boolean {
    if (this.#ended) return false;
    this.#call.write(message);
    return true;
  }

  /** Ends sending; resolves with the server's response. */
  end(): Promise<GrpcResponse<T>> {
    if (!this.#ended) {
      this.#ended = true;
      this.#call.end();
    }
    return this.response;
  }

  /** Cancels the call. */
  cancel(): void {
    this.#call.cancel();
  }
}

/** A bidirectional stream: send and iterate replies at once. */
export class GrpcBidiStream<T> extends GrpcStream<T> {
  #call: Writable;
  #ended = false;

  /** Built by the client. */
  constructor(call: Writable & Readable, done: Promise<GrpcStatus>) {
    super(call, done);
    this.#call = call;
  }

  /** Sends a message; false once sending was ended. */
  send(message: unknown): boolean {
    if (this.#ended) return false;
    this.#call.write(message);
    return true;
  }

  /** Ends sending (the server may still reply); resolves with the status at the call's end. */
  end(): Promise<GrpcStatus> {
    if (!this.#ended) {
      this.#ended = true;
      this.#call.end();
    }
    return this.done;
  }
}

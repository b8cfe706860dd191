/**
 * The route types shared by the embedded target's route tables (`routes.ts` and
 * `stream_routes.ts`), in a file of their own so neither table imports the other's types.
 *
 * @module
 */

/** What a route may need from the server while answering. */
export interface RouteContext {
  /**
   * Waits `ms` on a timer the server can cancel on close; resolves `false` when cancelled so
   * a slow route never keeps a closing server (or a test) alive.
   */
  sleep(ms: number): Promise<boolean>;
}

/** A route handler. */
export type RouteHandler = (req: Request, url: URL, ctx: RouteContext) => Promise<Response>;

/** A matched route: its stats template, whether faults apply, and its handler. */
export interface RouteMatch {
  readonly template: string;
  /** False only for `/health`, which must stay truthful while faults are injected. */
  readonly faulty: boolean;
  readonly handle: RouteHandler;
}

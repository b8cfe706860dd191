/**
 * The protocol engines rampa can run, by name. A static map: every engine is compiled into
 * the binary, and adding a protocol means adding a folder and a line here.
 *
 * @module
 */
import type { Engine } from "../core/types.ts";
import { createFetchEngine } from "./http/mod.ts";
import { createHttp1Engine } from "./http1/mod.ts";

/** Makes an engine instance. */
export type EngineFactory = () => Engine;

/** Every engine `--engine` accepts. */
export const ENGINES: Readonly<Record<string, EngineFactory>> = {
  http1: () => createHttp1Engine(),
  fetch: () => createFetchEngine(),
};

/**
 * setup() and teardown(): run once, on a VU of their own (id 0, scenario `setup`/`teardown`)
 * so that `http`, `check` and `group` work inside them, bounded by their timeouts. setup()'s
 * result must survive JSON (it will cross worker and host boundaries); a failure of either
 * stops with a clear error and the script-error exit code.
 *
 * @module
 */
import { ExitCode, RampaError } from "../errors.ts";
import { errorLine, toError } from "./user_error.ts";
import { createVuContext } from "./api.ts";
import type { ScenarioModule } from "./loader.ts";
import type { ResolvedOptions } from "./options.ts";
import { closeVu, createVuState, type Runtime, type VuState, withVu } from "./vu_state.ts";

function lifecycleVu(
  rt: Runtime,
  name: string,
  env: Record<string, string>,
  data: unknown,
): VuState {
  const vu = createVuState(rt, {
    id: 0,
    scenario: name,
    tags: { scenario: name },
    env,
    data,
    keepState: true,
    interrupt: new AbortController().signal,
  });
  vu.iteration = 0;
  return vu;
}

async function runBounded(
  what: string,
  fn: () => unknown,
  timeoutMs: number,
): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(fn),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (e) {
    const err = toError(e);
    throw new RampaError(`${what} failed: ${errorLine(err)}`, ExitCode.SCRIPT_ERROR);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `setup()` if exported; returns its JSON-safe result. */
export async function runSetup(
  mod: ScenarioModule,
  rt: Runtime,
  o: ResolvedOptions,
): Promise<unknown> {
  if (typeof mod.setup !== "function") return undefined;
  const vu = lifecycleVu(rt, "setup", o.env, undefined);
  const setup = mod.setup;
  const data = await runBounded(
    "setup()",
    () => withVu(vu, () => setup(createVuContext(vu))),
    o.setupTimeoutMs,
  );
  closeVu(vu);
  if (data === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(data));
  } catch (e) {
    throw new RampaError(
      `setup() returned data that cannot be serialized as JSON: ${(e as Error).message}`,
      ExitCode.SCRIPT_ERROR,
    );
  }
}

/** Runs `teardown(data)` if exported. */
export async function runTeardown(
  mod: ScenarioModule,
  rt: Runtime,
  o: ResolvedOptions,
  data: unknown,
): Promise<void> {
  if (typeof mod.teardown !== "function") return;
  const vu = lifecycleVu(rt, "teardown", o.env, data);
  const teardown = mod.teardown;
  await runBounded("teardown()", () => withVu(vu, () => teardown(data)), o.teardownTimeoutMs);
  closeVu(vu);
}

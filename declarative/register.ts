/**
 * Makes `rampa run flow.yaml` work: registers the declarative loader for `.yaml`, `.yml` and
 * `.json` scenario files with core's scenario-format registry. The loader (and the `yaml`
 * package behind it) is imported only when such a file is run, so TypeScript and ad-hoc runs
 * start as fast as before. Called next to `registerBuiltinProtocols()` in every thread that
 * loads scenarios (the CLI's main thread and each load worker).
 *
 * @module
 */
import { registerScenarioFormat } from "../core/scenario/formats.ts";

/** The file extensions declarative scenarios use. */
export const DECLARATIVE_EXTENSIONS: readonly string[] = [".yaml", ".yml", ".json"];

/** Registers the declarative scenario loader in this thread (idempotent). */
export function registerDeclarativeFormats(): void {
  for (const ext of DECLARATIVE_EXTENSIONS) {
    registerScenarioFormat(ext, async (path) => {
      const { loadDeclarativeScenario } = await import("./load.ts");
      return await loadDeclarativeScenario(path);
    });
  }
}

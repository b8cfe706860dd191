/**
 * Scenario `console.*` on the threads that run scenario code (load threads and the lifecycle
 * thread). Without `--console-output`, every method writes to stderr, as k6 does: stdout
 * carries only the summary (and `--summary -`'s JSON, which a console.log would corrupt).
 * With it, each call becomes one line posted on the run's BroadcastChannel (named in
 * {@link CONSOLE_CHANNEL_ENV}) to the main thread, which appends it to the file
 * (`cli/console_file.ts`).
 *
 * @module
 */

/** The variable naming the run's console channel; set by the main thread for the run. */
export const CONSOLE_CHANNEL_ENV = "RAMPA_CONSOLE_CHANNEL";

/** One console line as posted to the main thread. */
export interface ConsoleLine {
  readonly level: "log" | "info" | "warn" | "error" | "debug";
  readonly text: string;
}

const LEVELS = ["log", "info", "warn", "error", "debug"] as const;

/** `console.log`'s formatting: strings as they are, anything else inspected. */
function format(args: unknown[]): string {
  return args.map((a) => typeof a === "string" ? a : Deno.inspect(a, { colors: false }))
    .join(" ");
}

function channelName(): string | undefined {
  try {
    return Deno.env.get(CONSOLE_CHANNEL_ENV) || undefined;
  } catch {
    return undefined; // no env permission: the terminal it is
  }
}

/**
 * Routes this thread's console: to the run's `--console-output` channel when the main thread
 * opened one, else every level to stderr. Called once, before scenario code runs.
 */
export function routeScenarioConsole(): void {
  const name = channelName();
  if (name === undefined) {
    const toStderr = console.error.bind(console);
    console.log = console.info = console.debug = toStderr;
    return;
  }
  const channel = new BroadcastChannel(name);
  for (const level of LEVELS) {
    console[level] = (...args: unknown[]) => {
      channel.postMessage({ level, text: format(args) } satisfies ConsoleLine);
    };
  }
}

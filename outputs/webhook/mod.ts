/**
 * The webhook output (`--out webhook=https://…`): the final summary as JSON, optionally each
 * interval, signed with HMAC-SHA256 when `RAMPA_WEBHOOK_SECRET` is set.
 *
 * @example
 * ```ts
 * import { createWebhookOutput } from "./mod.ts";
 * const out = createWebhookOutput("https://hooks.example.test/rampa", {
 *   intervalMs: 0,
 *   required: false,
 * });
 * ```
 *
 * @module
 */
export {
  createWebhookOutput,
  intervalJson,
  signBody,
  WEBHOOK_SECRET_VAR,
  type WebhookOptions,
  type WebhookOutput,
} from "./webhook_output.ts";

import type { UploadedFile } from './body';
import { tooManyRequests } from './errors';
import type { LimitKind } from './limits';
import type { BotState } from './state';
import type { Params } from './types';

export interface EmulatorSettings {
  /** How long a callback or inline query may stay unanswered (Telegram: a few seconds). */
  queryTimeoutMs: number;
  /** How long a pre-checkout query may stay unanswered (Telegram: 10 s). */
  preCheckoutTimeoutMs: number;
  /** Refuse http:// webhook URLs like Telegram does (off by default so local servers work). */
  requireHttpsWebhook: boolean;
  /** Attempts per update before a failing webhook delivery is dropped. */
  webhookMaxAttempts: number;
  /** Delay before the first webhook retry; doubles on each further one. */
  webhookRetryBaseMs: number;
  /** A webhook answer not received within this is a failed delivery, retried like a non-2xx answer. */
  webhookTimeoutMs: number;
}

export interface WebhookControl {
  kick(): void;
  cancel(): void;
}

export interface MethodContext {
  bot: BotState;
  params: Params;
  files: Map<string, UploadedFile>;
  signal: AbortSignal;
  settings: EmulatorSettings;
  webhook: WebhookControl;
}

/** A successful answer that also carries a `description`, as setWebhook and deleteWebhook answers do. */
export class WithDescription {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

export type MethodHandler = (ctx: MethodContext) => unknown;

export function takeFlood(bot: BotState, kind: LimitKind, chatId: number): void {
  const wait = bot.flood.take(kind, chatId);
  if (wait > 0) throw tooManyRequests(wait);
}

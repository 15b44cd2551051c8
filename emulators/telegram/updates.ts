// Getting updates: getUpdates long polling, and webhooks (set / delete / info, and delivery with retries).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import { optBool, optJson, optNumber, optString } from './body';
import {
  WithDescription,
  type EmulatorSettings,
  type MethodContext,
  type MethodHandler,
  type WebhookControl,
} from './context';
import { badRequest, conflict, ERR, type TgApiError } from './errors';
import { nowSec, type BotState } from './state';
import type { Params, Update, WebhookDelivery } from './types';

function confirm(bot: BotState, offset: number): void {
  const before = bot.pending.length;
  if (offset > 0) bot.pending = bot.pending.filter((u) => u.update_id >= offset);
  else if (offset < 0) bot.pending = bot.pending.slice(offset);
  if (bot.pending.length !== before) bot.changed();
}

function waitForUpdate(ctx: MethodContext, timeoutMs: number): Promise<void> {
  const { bot, signal } = ctx;
  return new Promise<void>((resolve, reject) => {
    const finish = (err?: TgApiError): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (bot.poller === poller) bot.poller = undefined;
      if (err) reject(err);
      else resolve();
    };
    const onAbort = (): void => finish();
    const poller = { wake: () => finish(), terminate: (err: TgApiError) => finish(err) };
    const timer = setTimeout(() => finish(), timeoutMs);
    signal.addEventListener('abort', onAbort);
    bot.poller = poller;
  });
}

const getUpdates: MethodHandler = async (ctx) => {
  const { bot, params } = ctx;
  if (bot.webhook) throw ERR.webhookActive();
  bot.poller?.terminate(ERR.terminatedByOther());
  const offset = optNumber(params, 'offset') ?? 0;
  const limit = Math.min(100, Math.max(1, optNumber(params, 'limit') ?? 100));
  const timeoutSec = Math.max(0, optNumber(params, 'timeout') ?? 0);
  const allowed = optJson<string[]>(params, 'allowed_updates');
  if (allowed !== undefined) {
    if (!Array.isArray(allowed)) throw badRequest("can't parse allowed updates");
    bot.allowedUpdates = allowed;
  }
  confirm(bot, offset);
  if (bot.pending.length === 0 && timeoutSec > 0) await waitForUpdate(ctx, timeoutSec * 1000);
  if (bot.webhook) throw ERR.webhookActive();
  return bot.pending.slice(0, limit);
};

function removeWebhook(ctx: MethodContext): WithDescription {
  const { bot } = ctx;
  if (optBool(ctx.params, 'drop_pending_updates')) bot.pending = [];
  const had = bot.webhook !== undefined;
  bot.webhook = undefined;
  ctx.webhook.cancel();
  bot.changed();
  return new WithDescription(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
}

const setWebhook: MethodHandler = (ctx) => {
  const { bot, params, settings } = ctx;
  const url = optString(params, 'url') ?? '';
  if (url === '') return removeWebhook(ctx);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('bad webhook: invalid webhook URL specified');
  }
  if (parsed.protocol !== 'https:' && (settings.requireHttpsWebhook || parsed.protocol !== 'http:')) {
    throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  }
  const secretToken = optString(params, 'secret_token') || undefined;
  if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
    throw badRequest('secret token contains unallowed characters');
  }
  const maxConnections = Math.min(100, Math.max(1, optNumber(params, 'max_connections') ?? 40));
  const allowed = optJson<string[]>(params, 'allowed_updates');
  if (allowed !== undefined) bot.allowedUpdates = allowed;
  const previous = bot.webhook;
  const same =
    previous?.url === url &&
    previous.secretToken === secretToken &&
    previous.maxConnections === maxConnections;
  if (optBool(params, 'drop_pending_updates')) bot.pending = [];
  bot.poller?.terminate(conflict('terminated by setWebhook request'));
  ctx.webhook.cancel();
  bot.webhook = { url, secretToken, maxConnections, allowedUpdates: bot.allowedUpdates, setAt: Date.now() };
  bot.changed();
  ctx.webhook.kick();
  return new WithDescription(true, same ? 'Webhook is already set' : 'Webhook was set');
};

const deleteWebhook: MethodHandler = (ctx) => removeWebhook(ctx);

const getWebhookInfo: MethodHandler = ({ bot }) => {
  const hook = bot.webhook;
  const info: Record<string, unknown> = {
    url: hook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: bot.pending.length,
  };
  if (hook) {
    info.max_connections = hook.maxConnections;
    if (hook.allowedUpdates?.length) info.allowed_updates = hook.allowedUpdates;
    if (hook.lastErrorDate) {
      info.last_error_date = hook.lastErrorDate;
      info.last_error_message = hook.lastErrorMessage;
    }
  }
  return info;
};

export const UPDATE_METHODS: Record<string, MethodHandler> = {
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
};

interface PostResult {
  status: number;
  statusText: string;
  contentType: string;
  body: string;
}

function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<PostResult> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        agent: false,
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Pushes queued updates to the webhook like Telegram: up to max_connections at once, retried with backoff. */
export class WebhookDeliverer implements WebhookControl {
  private generation = 0;
  private readonly inflight = new Set<number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();

  constructor(
    private readonly bot: BotState,
    private readonly settings: EmulatorSettings,
    /** Runs a method the bot answered with in the webhook response body ("webhook reply"). */
    private readonly execute: (method: string, params: Params) => Promise<unknown>,
  ) {}

  kick(): void {
    const hook = this.bot.webhook;
    if (!hook) return;
    while (this.inflight.size < hook.maxConnections) {
      const next = this.bot.pending.find((u) => !this.inflight.has(u.update_id));
      if (!next) return;
      this.inflight.add(next.update_id);
      void this.deliver(next, 1, this.generation);
    }
  }

  cancel(): void {
    this.generation++;
    this.inflight.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const a of this.aborts) a.abort();
    this.aborts.clear();
  }

  private async deliver(update: Update, attempt: number, generation: number): Promise<void> {
    const hook = this.bot.webhook;
    if (!hook || generation !== this.generation) return;
    const record: WebhookDelivery = {
      updateId: update.update_id,
      attempt,
      url: hook.url,
      at: Date.now(),
      secretTokenSent: hook.secretToken !== undefined,
      ok: false,
      gaveUp: false,
    };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (hook.secretToken) headers['X-Telegram-Bot-Api-Secret-Token'] = hook.secretToken;
    const abort = new AbortController();
    this.aborts.add(abort);
    const timer = setTimeout(() => abort.abort(), this.settings.webhookTimeoutMs);
    let reply: PostResult | undefined;
    try {
      reply = await postJson(hook.url, JSON.stringify(update), headers, abort.signal);
      record.status = reply.status;
      record.responseBody = reply.body.slice(0, 4000);
      record.answeredAt = Date.now();
      record.ok = reply.status >= 200 && reply.status < 300;
      if (!record.ok)
        hook.lastErrorMessage = `Wrong response from the webhook: ${reply.status} ${reply.statusText}`;
    } catch (err) {
      record.error = abort.signal.aborted
        ? `Read timeout expired after ${this.settings.webhookTimeoutMs} ms`
        : err instanceof Error
          ? err.message
          : String(err);
      hook.lastErrorMessage = /ECONNREFUSED/.test(record.error) ? 'Connection refused' : record.error;
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
    }
    if (generation !== this.generation) return;
    if (!record.ok) hook.lastErrorDate = nowSec();
    const done = record.ok || attempt >= this.settings.webhookMaxAttempts;
    record.gaveUp = !record.ok && done;
    this.bot.deliveries.push(record);
    if (done) {
      this.bot.pending = this.bot.pending.filter((u) => u.update_id !== update.update_id);
      this.inflight.delete(update.update_id);
    } else {
      const delay = this.settings.webhookRetryBaseMs * 2 ** (attempt - 1);
      const retry = setTimeout(() => {
        this.timers.delete(retry);
        void this.deliver(update, attempt + 1, generation);
      }, delay);
      this.timers.add(retry);
    }
    this.bot.changed();
    if (record.ok && reply) await this.webhookReply(reply);
    this.kick();
  }

  private async webhookReply(reply: PostResult): Promise<void> {
    if (!reply.contentType.includes('application/json') || !reply.body) return;
    try {
      const parsed = JSON.parse(reply.body) as Params;
      const { method, ...params } = parsed;
      if (typeof method === 'string') await this.execute(method, params);
    } catch {
      // Telegram ignores a body it cannot use.
    }
  }
}

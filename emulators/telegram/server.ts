// The HTTP face of the emulator: `/bot<token>/<method>` like api.telegram.org, plus `/__control/...` for tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { MESSAGE_METHODS } from './api-messages';
import { MISC_METHODS } from './api-misc';
import { PAYMENT_METHODS } from './api-payments';
import { parseRequest, readBody, type UploadedFile } from './body';
import { WithDescription, type EmulatorSettings, type MethodHandler } from './context';
import { methodNotFound, TgApiError, unauthorized } from './errors';
import type { FloodLimits } from './limits';
import { Notifier } from './notifier';
import type { BotState } from './state';
import type { Params } from './types';
import { UPDATE_METHODS, type WebhookDeliverer } from './updates';

const HANDLERS = new Map<string, { name: string; handler: MethodHandler }>(
  Object.entries({ ...MESSAGE_METHODS, ...MISC_METHODS, ...PAYMENT_METHODS, ...UPDATE_METHODS }).map(
    ([name, handler]) => [name.toLowerCase(), { name, handler }],
  ),
);

/** Keeps a long demo run from growing without bound; tests never get near it. */
const MAX_LOGGED_CALLS = 50_000;

export const SUPPORTED_METHODS = [...HANDLERS.values()].map((h) => h.name);

export interface BotRuntime {
  state: BotState;
  deliverer: WebhookDeliverer;
}

export interface CallOutcome {
  status: number;
  body: Record<string, unknown>;
  /** The call took effect but its answer is lost: the server drops the connection instead of answering. */
  drop?: boolean;
}

export type ControlHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export class EmulatorCore {
  readonly notifier = new Notifier();
  readonly bots = new Map<string, BotRuntime>();

  constructor(
    readonly settings: EmulatorSettings,
    public limits: FloodLimits,
  ) {}

  /** Runs one Bot API method for a bot, with fault injection and call logging; never throws. */
  async execute(
    runtime: BotRuntime,
    method: string,
    params: Params,
    files: Map<string, UploadedFile> = new Map(),
    signal: AbortSignal = new AbortController().signal,
  ): Promise<CallOutcome> {
    const started = Date.now();
    const entry = HANDLERS.get(method.toLowerCase());
    const bot = runtime.state;
    let outcome: CallOutcome;
    try {
      if (!entry) throw methodNotFound();
      const hold = takeDelay(bot, entry.name);
      // Node's timers may fire a millisecond early by Date.now(): hold until the full delay has passed.
      while (hold && Date.now() - started < hold)
        await new Promise((resolve) => setTimeout(resolve, hold - (Date.now() - started)));
      const fault = takeFault(bot, entry.name) ?? takeChatFault(bot, entry.name, params);
      if (fault) throw fault;
      const hit = stormHits(bot, entry.name);
      if (hit?.error) throw TgApiError.from(hit.error);
      const value = await entry.handler({
        bot,
        params,
        files,
        signal,
        settings: this.settings,
        webhook: runtime.deliverer,
      });
      outcome =
        value instanceof WithDescription
          ? { status: 200, body: { ok: true, result: value.result, description: value.description } }
          : { status: 200, body: { ok: true, result: value } };
    } catch (err) {
      const error =
        err instanceof TgApiError
          ? err
          : new TgApiError(500, `Internal Server Error: ${err instanceof Error ? err.message : String(err)}`);
      outcome = { status: error.errorCode, body: error.toJSON() };
    }
    if (outcome.status === 200 && entry && (takeDrop(bot, entry.name) || stormHitsDrop(bot, entry.name))) {
      outcome.drop = true;
    }
    if (bot.calls.length >= MAX_LOGGED_CALLS) bot.calls.splice(0, MAX_LOGGED_CALLS / 5);
    bot.calls.push({
      seq: ++bot.callSeq,
      at: started,
      method: entry?.name ?? method,
      params,
      ...(files.size > 0
        ? { files: [...files].map(([field, f]) => ({ field, filename: f.filename, size: f.data.length })) }
        : {}),
      ok: outcome.status === 200,
      ...(outcome.drop ? { dropped: true } : {}),
      status: outcome.status,
      description: typeof outcome.body.description === 'string' ? outcome.body.description : undefined,
      result: outcome.body.result,
      durationMs: Date.now() - started,
    });
    bot.changed();
    return outcome;
  }
}

function takeDelay(bot: BotState, method: string): number | undefined {
  const queue = bot.delays.get(method.toLowerCase());
  const next = queue?.[0];
  if (!queue || !next) return undefined;
  if (--next.remaining <= 0) queue.shift();
  if (queue.length === 0) bot.delays.delete(method.toLowerCase());
  return next.ms;
}

function takeDrop(bot: BotState, method: string): boolean {
  const key = method.toLowerCase();
  const left = bot.drops.get(key) ?? 0;
  if (left <= 0) return false;
  if (left === 1) bot.drops.delete(key);
  else bot.drops.set(key, left - 1);
  return true;
}

function stormApplies(bot: BotState, method: string) {
  const storm = bot.storm;
  if (!storm || (storm.methods && !storm.methods.includes(method.toLowerCase()))) return undefined;
  return storm;
}

/** A storm with an error: this call fails with it (with the storm's probability). */
function stormHits(bot: BotState, method: string) {
  const storm = stormApplies(bot, method);
  return storm?.error && Math.random() < storm.rate ? storm : undefined;
}

/** A storm without an error: this successful call loses its answer (with the storm's probability). */
function stormHitsDrop(bot: BotState, method: string): boolean {
  const storm = stormApplies(bot, method);
  return !!storm && !storm.error && Math.random() < storm.rate;
}

function takeFault(bot: BotState, method: string): TgApiError | undefined {
  const queue = bot.faults.get(method.toLowerCase());
  const next = queue?.[0];
  if (!queue || !next) return undefined;
  if (--next.remaining <= 0) queue.shift();
  if (queue.length === 0) bot.faults.delete(method.toLowerCase());
  return TgApiError.from(next.error);
}

/** Methods that send a new message to `chat_id`: what a chat-scoped fault (failChat) applies to. */
const SEND_METHODS = new Set([
  'sendmessage',
  'copymessage',
  'forwardmessage',
  'sendphoto',
  'sendinvoice',
  'senddocument',
]);

function takeChatFault(bot: BotState, method: string, params: Params): TgApiError | undefined {
  if (!SEND_METHODS.has(method.toLowerCase())) return undefined;
  const chatId = Number(params.chat_id);
  const queue = bot.chatFaults.get(chatId);
  const next = queue?.[0];
  if (!queue || !next) return undefined;
  if (--next.remaining <= 0) queue.shift();
  if (queue.length === 0) bot.chatFaults.delete(chatId);
  return TgApiError.from(next.error);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handle(
  core: EmulatorCore,
  control: ControlHandler,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname.startsWith('/__control/') || /^\/playground(\/|$)/.test(url.pathname))
    return control(req, res, url);
  const match = /^\/bot([^/]*)\/([^/]+)\/?$/.exec(url.pathname);
  if (!match) {
    await readBody(req).catch(() => undefined);
    return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
  }
  const runtime = core.bots.get(decodeURIComponent(match[1]));
  if (!runtime) {
    await readBody(req).catch(() => undefined);
    return sendJson(res, 401, unauthorized().toJSON());
  }
  let parsed;
  try {
    parsed = await parseRequest(req, url);
  } catch (err) {
    const error = err instanceof TgApiError ? err : new TgApiError(400, 'Bad Request: invalid request body');
    return sendJson(res, error.errorCode, error.toJSON());
  }
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const outcome = await core.execute(runtime, match[2], parsed.params, parsed.files, abort.signal);
  // Telegram accepted it, the answer never arrives: exactly what a client cannot tell from "not delivered".
  if (outcome.drop) return void req.socket.destroy();
  sendJson(res, outcome.status, outcome.body);
}

export function createApiServer(core: EmulatorCore, control: ControlHandler): Server {
  return createServer((req, res) => {
    handle(core, control, req, res).catch((err: unknown) => {
      sendJson(res, 500, {
        ok: false,
        error_code: 500,
        description: `Internal Server Error: ${String(err)}`,
      });
    });
  });
}

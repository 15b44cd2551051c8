// A faithful Telegram Bot API emulator for end-to-end tests and local demo runs.
//
//   const tg = await startTelegramEmulator({ tokens: ['123:abc'], botUsername: 'faceit_bot' });
//   const bot = new Bot('123:abc', { client: { apiRoot: tg.apiRoot } });
//   tg.sendUserMessage({ from: { id: 1, first_name: 'Ann' }, text: '/start' });
//   await tg.waitForBotMessage(1, 'Welcome');
import type { AddressInfo } from 'node:net';

import { createControlHandler, type ControlHost } from './control';
import type { EmulatorSettings } from './context';
import { BotEmulator } from './emulator';
import { resolveLimits, type FloodLimitsInput } from './limits';
import { createPlaygroundHandler, type PlaygroundOptions } from './playground';
import { createApiServer, EmulatorCore, sendJson, type BotRuntime, type ControlHandler } from './server';
import { BotState } from './state';
import { WebhookDeliverer } from './updates';

export { BotEmulator } from './emulator';
export type * from './emulator';
export type * from './types';
export { DEFAULT_LIMITS, type FloodLimits, type FloodLimitsInput, type RateLimit } from './limits';
export { parseHtml, HtmlParseError } from './html';
export type { FaultStorm, RegisterChatInput } from './state';
export { connectTelegramEmulator, type TelegramEmulatorClient } from './client';

export interface TelegramEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Valid bot tokens; each is a separate bot. `<digits>:...` tokens give the bot that id, like Telegram's. */
  tokens: string[];
  /** Username of the first bot (default `test_bot`); further bots get `<name>2`, `<name>3`, ... */
  botUsername?: string;
  botFirstName?: string;
  /** Flood limits (merged into DEFAULT_LIMITS); `false` disables them. */
  limits?: FloodLimitsInput;
  /** Let the bot write to chats no user has opened yet (Telegram: 400 chat not found). Default false. */
  autoCreateChats?: boolean;
  queryTimeoutMs?: number;
  preCheckoutTimeoutMs?: number;
  requireHttpsWebhook?: boolean;
  webhookMaxAttempts?: number;
  webhookRetryBaseMs?: number;
  /** Time the bot's webhook has to answer a delivery before it counts as failed and is retried (default 60 s). */
  webhookTimeoutMs?: number;
  /** Serve the web chat at /playground (see playground.ts), with these example messages. */
  playground?: PlaygroundOptions;
}

function botIdFor(token: string, index: number): number {
  const prefix = /^(\d{1,15}):/.exec(token);
  if (prefix) return Number(prefix[1]);
  let hash = 0;
  for (const ch of token) hash = (hash * 31 + ch.charCodeAt(0)) % 1_000_000_000;
  return 5_000_000_000 + hash + index;
}

export class TelegramEmulator extends BotEmulator implements ControlHost {
  constructor(
    core: EmulatorCore,
    private readonly runtimes: Map<string, BotRuntime>,
    readonly apiRoot: string,
    readonly port: number,
    private readonly shutdown: () => Promise<void>,
  ) {
    super(core, [...runtimes.values()][0]);
  }

  /** The web chat page (when started with `playground`). */
  get playgroundUrl(): string {
    return `${this.apiRoot}/playground`;
  }

  get controlUrl(): string {
    return `${this.apiRoot}/__control`;
  }

  get tokens(): string[] {
    return [...this.runtimes.keys()];
  }

  /** The test API of another bot (by token); without a token, the first bot. */
  bot(token?: string): BotEmulator {
    if (token === undefined) return this;
    const runtime = this.runtimes.get(token);
    if (!runtime) throw new Error(`unknown bot token ${token}`);
    return runtime === this.runtime ? this : new BotEmulator(this.core, runtime);
  }

  /** Resets every bot of this emulator (see BotEmulator.reset). */
  override reset(): void {
    this.resetAll();
  }

  resetAll(): void {
    for (const token of this.runtimes.keys()) {
      const runtime = this.runtimes.get(token);
      if (!runtime) continue;
      runtime.deliverer.cancel();
      runtime.state.reset(this.core.limits);
    }
  }

  version(): number {
    return this.core.notifier.version;
  }

  waitChange(since: number, timeoutMs: number): Promise<number> {
    return this.core.notifier.waitChange(since, timeoutMs);
  }

  stop(): Promise<void> {
    return this.shutdown();
  }
}

export async function startTelegramEmulator(options: TelegramEmulatorOptions): Promise<TelegramEmulator> {
  if (options.tokens.length === 0) throw new Error('startTelegramEmulator: at least one token is needed');
  const settings: EmulatorSettings = {
    queryTimeoutMs: options.queryTimeoutMs ?? 15_000,
    preCheckoutTimeoutMs: options.preCheckoutTimeoutMs ?? 10_000,
    requireHttpsWebhook: options.requireHttpsWebhook ?? false,
    webhookMaxAttempts: options.webhookMaxAttempts ?? 5,
    webhookRetryBaseMs: options.webhookRetryBaseMs ?? 200,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 60_000,
  };
  const core = new EmulatorCore(settings, resolveLimits(options.limits));
  const username = options.botUsername ?? 'test_bot';
  options.tokens.forEach((token, i) => {
    const botUser = {
      id: botIdFor(token, i),
      is_bot: true,
      first_name: options.botFirstName ?? 'Test Bot',
      username: i === 0 ? username : `${username}${i + 1}`,
    };
    const state = new BotState(token, botUser, core.notifier, core.limits, options.autoCreateChats ?? false);
    const runtime: BotRuntime = { state, deliverer: undefined as unknown as WebhookDeliverer };
    runtime.deliverer = new WebhookDeliverer(state, settings, (method, params) =>
      core.execute(runtime, method, params),
    );
    state.onUpdate = () => {
      state.poller?.wake();
      runtime.deliverer.kick();
    };
    core.bots.set(token, runtime);
  });

  const ready: { control?: ControlHandler } = {};
  const server = createApiServer(core, async (req, res, url) => {
    if (!ready.control) throw new Error('emulator not ready');
    await ready.control(req, res, url);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host =
    options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  const shutdown = async (): Promise<void> => {
    for (const runtime of core.bots.values()) {
      runtime.deliverer.cancel();
      runtime.state.poller?.wake();
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const emulator = new TelegramEmulator(core, core.bots, `http://${host}:${port}`, port, shutdown);
  const control = createControlHandler(emulator);
  const playground = options.playground
    ? createPlaygroundHandler(
        () => [...core.bots.values()][0].state,
        () => emulator.botInfo.username ?? 'bot',
        options.playground,
      )
    : undefined;
  ready.control = (req, res, url) =>
    url.pathname.startsWith('/__control/')
      ? control(req, res, url)
      : playground
        ? playground(req, res, url)
        : Promise.resolve(sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' }));
  return emulator;
}

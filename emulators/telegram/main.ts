// Standalone emulator for the local demo run:
//   BOT_TOKEN=123:abc TELEGRAM_EMULATOR_PORT=8081 npx ts-node --transpile-only emulators/telegram/main.ts
// Env: BOT_TOKEN (default 123456:TEST-TOKEN), TELEGRAM_EMULATOR_PORT (default 8081, 0 = free port),
// TELEGRAM_EMULATOR_HOST (default 127.0.0.1), TELEGRAM_EMULATOR_EXTRA_TOKENS (comma-separated),
// BOT_USERNAME (default test_bot), TELEGRAM_EMULATOR_FLOOD_LIMITS=off to disable flood control,
// TELEGRAM_EMULATOR_AUTO_CREATE_CHATS=1 to let the bot write to chats nobody opened.
import { startTelegramEmulator } from '.';

async function main(): Promise<void> {
  const env = process.env;
  const token = env.BOT_TOKEN || '123456:TEST-TOKEN';
  const extra = (env.TELEGRAM_EMULATOR_EXTRA_TOKENS ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const emulator = await startTelegramEmulator({
    port: Number(env.TELEGRAM_EMULATOR_PORT ?? 8081),
    host: env.TELEGRAM_EMULATOR_HOST || '127.0.0.1',
    tokens: [token, ...extra],
    botUsername: env.BOT_USERNAME || undefined,
    limits: env.TELEGRAM_EMULATOR_FLOOD_LIMITS === 'off' ? false : undefined,
    autoCreateChats: env.TELEGRAM_EMULATOR_AUTO_CREATE_CHATS === '1',
  });
  console.log(emulator.apiRoot);
  console.error(
    `Telegram Bot API emulator for @${emulator.botInfo.username}; control API at ${emulator.controlUrl}`,
  );
  const stop = (): void => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { startTelegramEmulator, type TelegramEmulator } from '../../emulators/telegram';
import { MONITORING_SCHEDULE_ID } from '../../src/monitoring/settings';
import { testConfig, testTemporalClient, uniqueTelegramId } from '../harness';
import { startDevRun, type DevRun } from './dev-run-process';
import { BOT_TOKEN, BOT_USERNAME } from './harness';

/** `npm run dev` (dev/main.ts) starts the bot after the workers; without BOT_TOKEN it says how to get one. */
describe('dev run with the bot', () => {
  let tg: TelegramEmulator;
  let client: Client;
  let dataDir: string;
  let scheduleExisted = false;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    tg = await startTelegramEmulator({ tokens: [BOT_TOKEN], botUsername: BOT_USERNAME, limits: false });
    client = await testTemporalClient(testConfig());
    scheduleExisted = await client.schedule
      .getHandle(MONITORING_SCHEDULE_ID)
      .describe()
      .then(
        () => true,
        () => false,
      );
    dataDir = mkdtempSync(join(tmpdir(), 'faceit-bot-dev-'));
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    // The dev run registers monitoring's schedule; leave the shared Temporal server as it was.
    if (!scheduleExisted)
      await client.schedule
        .getHandle(MONITORING_SCHEDULE_ID)
        .delete()
        .catch(() => undefined);
    await client.connection.close();
    await tg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs dev/main.ts like `npm run dev` against the suite's services; resolves once `ready` is logged. */
  async function devRun(env: Record<string, string>): Promise<DevRun> {
    const run = await startDevRun(dataDir, env);
    children.push(run.child);
    return run;
  }

  async function stop(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }

  it('with BOT_TOKEN the bot answers through TELEGRAM_API_ROOT', async () => {
    const run = await devRun({ BOT_TOKEN, TELEGRAM_API_ROOT: tg.apiRoot });
    expect(run.output()).toContain(`bot @${BOT_USERNAME} is running`);
    const user = { id: uniqueTelegramId(), first_name: 'Dev', language_code: 'en' };
    const sent = tg.sendUserMessage({ from: user, text: '/start' });
    const reply = await tg.waitForBotMessage(user.id, (m) => m.messageId > sent.messageId, 20_000);
    expect(reply.text).toContain('Hi, Dev!');
    expect(run.output()).not.toContain(BOT_TOKEN.split(':')[1]);
    await stop(run.child);
  }, 120_000);

  it('without BOT_TOKEN the rest runs and the log says how to get a token from @BotFather', async () => {
    const run = await devRun({});
    expect(run.output()).toContain('BOT_TOKEN is not set');
    expect(run.output()).toContain('https://t.me/BotFather');
    await stop(run.child);
  }, 120_000);
});

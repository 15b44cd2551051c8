import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import puppeteer, { type Browser } from 'puppeteer-core';
import { MONITORING_SCHEDULE_ID } from '../../src/monitoring/settings';
import { CHROMIUM_PATHS } from '../../dev/services/provision';
import { testConfig, testTemporalClient, uniqueTelegramId } from '../harness';
import { startDevRun } from './dev-run-process';

/**
 * `npm run dev` without BOT_TOKEN: the real bot behind the Telegram emulator's web chat, driven in headless Chromium
 * (Debian's `chromium`, installed by `npm run provision -- --browser`) like a person would, from a room link to the
 * report; and the dev run's /healthz and /metrics, printed in its log like every other endpoint.
 */
describe('dev run playground (no BOT_TOKEN)', () => {
  let client: Client;
  let scheduleExisted = false;
  let dataDir: string;
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let output: () => string = () => '';
  let endpoints: Record<string, string>;

  beforeAll(async () => {
    const chromium = CHROMIUM_PATHS.find((p) => existsSync(p));
    if (!chromium) throw new Error('Chromium is missing: run `npm run provision -- --browser` (as root)');
    client = await testTemporalClient(testConfig());
    scheduleExisted = await client.schedule
      .getHandle(MONITORING_SCHEDULE_ID)
      .describe()
      .then(
        () => true,
        () => false,
      );
    dataDir = mkdtempSync(join(tmpdir(), 'faceit-bot-playground-'));
    const run = await startDevRun(dataDir, { WORKER_HTTP_PORT: '0', TEMPORAL_METRICS_PORT: '0' });
    child = run.child;
    output = run.output;
    endpoints = run.ready;
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      // Root in CI: Chromium's sandbox needs an unprivileged user.
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    if (!scheduleExisted)
      await client?.schedule
        .getHandle(MONITORING_SCHEDULE_ID)
        .delete()
        .catch(() => undefined);
    await client?.connection.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the playground, /healthz and /metrics, and serves them like production', async () => {
    expect(endpoints.playground).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/playground$/);
    expect(output()).toContain(`chat with it at ${endpoints.playground}`);
    expect(output()).toContain('https://t.me/BotFather');
    const health = await fetch(endpoints.workerHealth);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      checks: { database: { ok: true }, workers: { ok: true } },
    });
    const metrics = await (await fetch(endpoints.workerMetrics)).text();
    expect(metrics).toContain('faceit_client_upstream_calls_total');
    expect((await fetch(endpoints.botHealth)).status).toBe(200);
    expect(await (await fetch(endpoints.botMetrics)).text()).toContain('bot_updates_total');
  });

  it('a person opens the page, sends a room link and sees the progress, then the report', async () => {
    const page = await browser!.newPage();
    const userId = uniqueTelegramId();
    await page.goto(`${endpoints.playground}?user=${userId}&lang=en&name=Ann`);
    // Page-side code as strings: the test files compile without the DOM library.
    const botTexts = () =>
      page.evaluate("[...document.querySelectorAll('.msg.bot')].map((el) => el.innerText)") as Promise<
        string[]
      >;
    const anyBotMessage = (text: string) =>
      `[...document.querySelectorAll('.msg.bot')].some((el) => el.textContent.includes(${JSON.stringify(text)}))`;

    await page.type('#text', '/start');
    await page.keyboard.press('Enter');
    await page.waitForFunction(anyBotMessage('Hi, Ann!'), { timeout: 30_000 });

    await page.click('#demo-lobby'); // a fresh lobby in the FACEIT emulator; its room link fills the input
    await page.waitForFunction("document.querySelector('#text').value.includes('faceit.com/en/cs2/room/')", {
      timeout: 10_000,
    });
    const roomUrl = (await page.evaluate("document.querySelector('#text').value")) as string;
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      `[...document.querySelectorAll('.msg.user')].some((el) => el.textContent === ${JSON.stringify(roomUrl)})`,
      { timeout: 10_000 },
    );
    // The progress bar (edited in place) or, on a fast machine, already the report that replaced it.
    await page.waitForFunction(`${anyBotMessage('⏳')} || ${anyBotMessage('Lobby analysis')}`, {
      timeout: 30_000,
    });
    await page.waitForFunction(anyBotMessage('Lobby analysis'), { timeout: 90_000 });
    // The report opens with the lobby card: a picture captioned with the header, where the progress bar was.
    await page.waitForFunction(
      "[...document.querySelectorAll('.msg.bot')].some((el) => el.querySelector('img') && el.textContent.includes('Lobby analysis'))",
      { timeout: 30_000 },
    );
    // Ten players' nicknames come from the FACEIT emulator's lobby; the details that follow the card name them all.
    const lobbyId = roomUrl.split('/').pop()!;
    const faceitBase = /"baseUrl":"([^"]+)\/data\/v4"/.exec(output())![1];
    const lobby = (await (await fetch(`${faceitBase}/__control/matches/${lobbyId}`)).json()) as {
      teams: Record<string, { players: { nickname: string }[] }>;
    };
    const nicknames = Object.values(lobby.teams).flatMap((team) => team.players.map((p) => p.nickname));
    await page.waitForFunction(
      `${JSON.stringify(nicknames)}.every((n) => [...document.querySelectorAll('.msg.bot')].some((el) => el.textContent.includes(n)))`,
      { timeout: 30_000 },
    );
    // The progress message is gone: nothing on screen still shows the bar.
    expect((await botTexts()).filter((t) => t.includes('⏳'))).toEqual([]);
    await page.close();
  }, 150_000);
});

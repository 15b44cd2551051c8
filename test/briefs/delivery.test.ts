import { register } from 'prom-client';
import { sql } from 'slonik';
import { z } from 'zod';
import type { SimUser, StoredMessage } from '../../emulators/telegram';
import { briefWorkflowId, startPreMatchBrief } from '../../src/briefs';
import type { BriefOutcome } from '../../src/briefs/sender';
import { createSendClaims } from '../../src/telegram/send-claims';
import { uniqueTelegramId } from '../harness';
import { type BriefsWorld, startBriefsWorld } from './world';

/**
 * Briefs go through the shared send claims (docs/delivery.md): a send Telegram refused is retried and
 * shown once, a lost answer is resent and counted as a possible duplicate, and a claim left by an attempt that died
 * before sending is taken over after its lease and sent once. Each time the brief the user keeps becomes the report.
 */

const FIRST_LINE = 'Pre-match brief:';
const LEASE_MS = 2_000;

jest.setTimeout(120_000);

describe('pre-match briefs under Telegram faults and crashes', () => {
  let w: BriefsWorld;
  let used = 0;

  beforeAll(async () => {
    w = await startBriefsWorld({ config: { TELEGRAM_CLAIM_LEASE_MS: String(LEASE_MS) } });
    w.faceit.control.setWebhook(null); // the tests start the brief workflow themselves, as the webhook would
  });
  afterAll(async () => {
    await w?.stop();
  });

  /** A user tracking their own account in a private chat: briefs on by default. */
  async function trackingUser() {
    const p = w.faceit.control.findPlayers({ hasCs2: true, minMatches: 40, limit: 50 })[used++];
    const id = uniqueTelegramId();
    const user: SimUser = { id, first_name: 'Ann', username: `u${id}`, language_code: 'en' };
    expect(await w.say(user, `/link ${p.nickname}`)).toContain(p.nickname);
    expect(await w.say(user, '/track')).toContain(p.nickname);
    const lobby = await w.faceit.control.createLobby({ players: [p.nickname], status: 'READY' });
    return { user, player: p, lobby };
  }

  async function runBrief(matchId: string, playerId: string): Promise<BriefOutcome> {
    await startPreMatchBrief(w.client, w.config, {
      matchId,
      playerIds: [playerId],
      source: 'webhook',
      status: 'READY',
    });
    return w.client.workflow.getHandle(briefWorkflowId(matchId)).result();
  }

  const briefs = (chatId: number): StoredMessage[] =>
    w.tg.botMessages(chatId).filter((m) => (m.text ?? '').includes(FIRST_LINE));

  /** The brief handed to the analysis becomes the report. */
  const reportIn = (chatId: number, team: string) =>
    w.tg.waitFor(() => briefs(chatId).find((m) => (m.text ?? '').includes(team)), {
      timeoutMs: 60_000,
      describe: () => w.tg.transcript(chatId),
    });

  const row = (chatId: number, matchId: string) =>
    w.pool.one(sql.type(z.object({ status: z.string(), telegram_message_id: z.number().nullable() }))`
      SELECT status, telegram_message_id FROM notifications_sent
      WHERE chat_id = ${chatId} AND match_id = ${matchId} AND kind = 'brief'`);

  async function possibleDuplicates(): Promise<number> {
    const metric = await register.getSingleMetric('telegram_delivery_uncertain_total')?.get();
    return (
      metric?.values.find((v) => v.labels.outcome === 'possible_duplicate' && v.labels.kind === 'brief')
        ?.value ?? 0
    );
  }

  it('Telegram answers 502: nothing was shown, the retry shows the brief once, nothing is counted', async () => {
    const { user, player, lobby } = await trackingUser();
    const before = await possibleDuplicates();
    w.tg.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    expect(await runBrief(lobby.matchId, player.playerId)).toMatchObject({ sent: 1, requested: 1 });
    const report = await reportIn(user.id, lobby.teams.faction1.name);
    expect(briefs(user.id)).toHaveLength(1);
    expect(await row(user.id, lobby.matchId)).toEqual({
      status: 'sent',
      telegram_message_id: report.messageId,
    });
    expect(await possibleDuplicates()).toBe(before);
  });

  it('the answer is lost after Telegram accepted: resent, counted as a possible duplicate, the resent one becomes the report', async () => {
    const { user, player, lobby } = await trackingUser();
    const before = await possibleDuplicates();
    w.tg.dropAfterAccept('sendMessage');
    expect(await runBrief(lobby.matchId, player.playerId)).toMatchObject({ sent: 1, requested: 1 });
    const report = await reportIn(user.id, lobby.teams.faction1.name);
    // Telegram cannot tell whether the first copy arrived: here it did, so the user sees two, and it is counted.
    const shown = briefs(user.id);
    expect(shown).toHaveLength(2);
    expect(report.messageId).toBe(shown[1].messageId);
    expect(await row(user.id, lobby.matchId)).toEqual({
      status: 'sent',
      telegram_message_id: report.messageId,
    });
    expect(await possibleDuplicates()).toBe(before + 1);
  });

  it('an attempt that died after claiming and before sending: its claim is taken over after the lease, sent once', async () => {
    const { user, player, lobby } = await trackingUser();
    const before = await possibleDuplicates();
    // The dead attempt: its claim is in the database, its request never left.
    const claims = createSendClaims(w.pool, 'brief', { leaseMs: LEASE_MS });
    expect((await claims.claim(user.id, lobby.matchId, player.playerId)).state).toBe('mine');
    const started = Date.now();
    expect(await runBrief(lobby.matchId, player.playerId)).toMatchObject({ sent: 1, requested: 1 });
    // Not before the lease ran out: a live attempt's claim is never taken.
    expect(Date.now() - started).toBeGreaterThanOrEqual(LEASE_MS - 500);
    await reportIn(user.id, lobby.teams.faction1.name);
    expect(briefs(user.id)).toHaveLength(1);
    expect((await row(user.id, lobby.matchId)).status).toBe('sent');
    expect(await possibleDuplicates()).toBe(before);
  });
});

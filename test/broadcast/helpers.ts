import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { Api } from 'grammy';
import {
  broadcastResult,
  broadcastWorkflowId,
  createBroadcastRepository,
  type Audience,
  type BroadcastReport,
} from '../../src/broadcast';
import type { BotEmulator, StoredMessage, TelegramEmulator } from '../../emulators/telegram';
import { uniqueTelegramId } from '../harness';

/** Registers `count` users in PostgreSQL and opens their private chats in the Telegram emulator. */
export async function seedRecipients(
  pool: DatabasePool,
  tg: BotEmulator,
  count: number,
  options: { language?: 'ru' | 'en'; base?: number } = {},
): Promise<number[]> {
  const base = options.base ?? 6_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;
  const ids = Array.from({ length: count }, (_, i) => base + i);
  await pool.query(sql.unsafe`
    INSERT INTO users (telegram_id, first_name, language, last_active_at)
    SELECT id, 'Recipient', ${options.language ?? 'ru'}, now() FROM unnest(${sql.array(ids, 'int8')}::int8[]) AS id
    ON CONFLICT DO NOTHING`);
  for (const id of ids) tg.registerChat({ id, type: 'private', first_name: 'Recipient' });
  return ids;
}

/** The bot's messages in each chat that came from this broadcast's text (or copy). */
export function copiesPerChat(tg: BotEmulator, ids: number[], matches: (m: StoredMessage) => boolean) {
  return new Map(ids.map((id) => [id, tg.botMessages(id).filter(matches).length]));
}

export async function deliveryStatuses(pool: DatabasePool, broadcastId: number) {
  const rows = await pool.any(sql.type(z.object({ telegram_id: z.number(), status: z.string() }))`
    SELECT telegram_id, status FROM broadcast_deliveries WHERE broadcast_id = ${broadcastId}`);
  return new Map(rows.map((r) => [r.telegram_id, r.status]));
}

export async function eventually<T>(
  check: () => Promise<T | undefined | false | null>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The broadcast workflow's report, once the bot has started it (a click is answered before the start). */
export async function reportOf(client: Client, broadcastId: number): Promise<BroadcastReport> {
  await eventually(() =>
    client.workflow
      .getHandle(broadcastWorkflowId(broadcastId))
      .describe()
      .then(
        () => true,
        () => false,
      ),
  );
  return broadcastResult(client, broadcastId);
}

/**
 * A broadcast as the admin's Confirm leaves it: the draft confirmed, its progress message in the admin's chat
 * (a new admin unless one is given), ready for `startBroadcast`.
 */
export async function confirmedBroadcast(
  pool: DatabasePool,
  tg: TelegramEmulator,
  token: string,
  options: { text: string; adminId?: number; audience?: Audience },
): Promise<{ broadcastId: number; adminId: number }> {
  const adminId = options.adminId ?? uniqueTelegramId();
  if (!options.adminId) tg.registerChat({ id: adminId, type: 'private', first_name: 'Op' });
  const progress = await new Api(token, { apiRoot: tg.apiRoot }).sendMessage(adminId, 'starting…');
  const repo = createBroadcastRepository(pool);
  const draft = await repo.createDraft({ adminId, text: options.text, entities: null, source: null });
  if (options.audience) await repo.setAudience(draft.id, options.audience);
  await repo.confirm(
    draft.id,
    { chatId: adminId, messageId: progress.message_id },
    broadcastWorkflowId(draft.id),
  );
  return { broadcastId: draft.id, adminId };
}

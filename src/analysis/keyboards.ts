/** The analysis's keyboards, apart from the handlers that send them. */
import { InlineKeyboard } from 'grammy';
import { t, type Locale } from '../i18n';
import { callbackData, field } from '../bot-kit/callback-data';

const matchId = field.string('[\\w-]{1,40}');
const requesterId = field.integer(16);

/** `an:x:<match id>:<requester's Telegram id>` — at most 5 + 38 + 1 + 16 bytes. */
export const CANCEL_ANALYSIS = callbackData('an:x', { matchId, requesterId });

/** `an:b:<w = wait | n = not now>:<match id>:<requester's Telegram id>` — at most 7 + 40 + 1 + 16 bytes. */
export const BUSY_CHOICE = callbackData('an:b', { choice: field.oneOf(['w', 'n']), matchId, requesterId });

/** FACEIT is busy: wait in line (the daily unit is taken then) or not now (nothing is taken). */
export function busyKeyboard(locale: Locale, matchId: string, requesterId: number): InlineKeyboard {
  return new InlineKeyboard()
    .text(t(locale, 'analysis-busy-wait-button'), BUSY_CHOICE.pack({ choice: 'w', matchId, requesterId }))
    .text(t(locale, 'analysis-busy-later-button'), BUSY_CHOICE.pack({ choice: 'n', matchId, requesterId }));
}

/** The requester is in the data so that only they can cancel, even before the workflow answers queries. */
export function cancelKeyboard(locale: Locale, matchId: string, requesterId: number): InlineKeyboard {
  return new InlineKeyboard().text(
    t(locale, 'bot-analyze-cancel-button'),
    CANCEL_ANALYSIS.pack({ matchId, requesterId }),
  );
}

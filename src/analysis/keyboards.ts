/** The analysis's keyboards, apart from the handlers that send them. */
import { InlineKeyboard } from 'grammy';
import { t, type Locale } from '../i18n';

/** `an:x:<match id>:<requester's Telegram id>` — at most 5 + 38 + 1 + 16 bytes. */
export const CANCEL_ANALYSIS = /^an:x:([\w-]{1,40}):(\d{1,16})$/;

/** The requester is in the data so that only they can cancel, even before the workflow answers queries. */
export function cancelKeyboard(locale: Locale, matchId: string, requesterId: number): InlineKeyboard {
  return new InlineKeyboard().text(t(locale, 'bot-analyze-cancel-button'), `an:x:${matchId}:${requesterId}`);
}

/** The analysis's keyboards, apart from the handlers that send them. */
import { InlineKeyboard } from 'grammy';
import { t, type Locale } from '../i18n';

/** `an:x:<match id>:<requester's Telegram id>` — at most 5 + 38 + 1 + 16 bytes. */
export const CANCEL_ANALYSIS = /^an:x:([\w-]{1,40}):(\d{1,16})$/;

/** `an:b:<w = wait | n = not now>:<match id>:<requester's Telegram id>` — at most 7 + 40 + 1 + 16 bytes. */
export const BUSY_CHOICE = /^an:b:([wn]):([\w-]{1,40}):(\d{1,16})$/;

/** FACEIT is busy: wait in line (the daily unit is taken then) or not now (nothing is taken). */
export function busyKeyboard(locale: Locale, matchId: string, requesterId: number): InlineKeyboard {
  return new InlineKeyboard()
    .text(t(locale, 'analysis-busy-wait-button'), `an:b:w:${matchId}:${requesterId}`)
    .text(t(locale, 'analysis-busy-later-button'), `an:b:n:${matchId}:${requesterId}`);
}

/** The requester is in the data so that only they can cancel, even before the workflow answers queries. */
export function cancelKeyboard(locale: Locale, matchId: string, requesterId: number): InlineKeyboard {
  return new InlineKeyboard().text(t(locale, 'bot-analyze-cancel-button'), `an:x:${matchId}:${requesterId}`);
}

import type { I18nFlavor } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import type { UserRow } from '../db/repositories/users';
import type { Locale } from '../i18n';

/** Set by the user middleware (./middleware/user.ts) before any feature runs. */
export interface UserFlavor {
  /** The sender, registered on first contact. */
  user: UserRow;
  /** Whether this update registered the user (a referral code only counts for new users). */
  isNewUser: boolean;
  /** The user's chosen language; `ctx.t` translates into it. */
  locale: Locale;
}

export type BotContext = Context & I18nFlavor & UserFlavor;

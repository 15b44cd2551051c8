/**
 * The account slice's bot side: /start and the language choice, /link and /unlink, /settings (language, time zone,
 * notifications). The nickname typed right after /start is a free-text step, so the bot composes it separately,
 * after every slice's commands and buttons.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../bot-kit/context';
import type { BotServices } from '../bot-kit/deps';
import { linkFeature, nicknameAfterStart } from './link';
import { settingsFeature } from './settings';
import { startFeature } from './start';

/** What the account's features take from the bot. */
export type AccountComposerDeps = Pick<
  BotServices,
  'config' | 'logger' | 'client' | 'pool' | 'redis' | 'repos'
>;

export function createAccountComposer(deps: AccountComposerDeps): Composer<BotContext> {
  return new Composer<BotContext>(startFeature(deps), linkFeature(deps), settingsFeature(deps));
}

/** A nickname (or FACEIT link) sent after /start links the account; composed after all commands and buttons. */
export function createNicknameAfterStartComposer(deps: AccountComposerDeps): Composer<BotContext> {
  return nicknameAfterStart(deps);
}

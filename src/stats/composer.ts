/** /profile, /matches, /last, /form, /compare and /duos: each one stats workflow, then a rendered answer. */
import { Composer, InlineKeyboard } from 'grammy';
import { eloChartCallback } from './keyboards';
import { eloDeltas } from './model/elo';
import { summariseForm } from './model/form';
import type { PlayerRef } from './model/types';
import { duoSummary } from './model/duos';
import { renderDuos } from './render/duos';
import {
  compareWorkflow,
  duosWorkflow,
  findPlayerWorkflow,
  formWorkflow,
  lastMatchWorkflow,
  matchesWorkflow,
  profileWorkflow,
} from './workflows';
import type { BotContext } from '../bot-kit/context';
import type { StatsComposerDeps } from './runner';
import { menuLabels } from '../bot-kit/keyboards';
import { parseAccountReference, parseCount, words } from '../bot-kit/parse';
import { renderCompare } from './render/compare';
import { renderForm } from './render/form';
import { eloChangeSuffix, renderMatches } from './render/matches';
import { renderProfile } from './render/profile';
import { renderLastMatch } from './render/scoreboard';
import { replyHtml, replyInputError } from '../bot-kit/reply';
import { linkedAccount, replyLookupFailure, runStats } from './runner';

export const MATCHES_DEFAULT = 5;
export const MATCHES_MAX = 20;
export const FORM_WINDOWS = [20, 50, 100] as const;
/** /duos reads one /history page of this many matches (FACEIT's largest). */
export const DUOS_MATCHES = 100;

export function createStatsComposer(deps: StatsComposerDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const tz = (ctx: BotContext) => ctx.user.timezone;

  async function profile(ctx: BotContext, arg: string): Promise<void> {
    let ref: PlayerRef;
    let shown: string;
    if (arg.trim()) {
      const parsed = parseAccountReference(arg);
      if (!parsed.ok) return void (await replyInputError(ctx, parsed.error, arg));
      ref = parsed.ref;
      shown = parsed.shown;
    } else {
      const account = await linkedAccount(ctx, deps);
      if (!account) return;
      ref = { kind: 'id', playerId: account.faceit_player_id };
      shown = account.nickname;
    }
    const found = await runStats(ctx, deps, 'profile', profileWorkflow, [ref]);
    if (!found) return;
    if (!found.ok) return void (await replyLookupFailure(ctx, found.reason, shown));
    const { playerId, nickname } = found.value.player;
    const elo = eloChartCallback(playerId, nickname);
    await replyHtml(
      ctx,
      renderProfile(ctx.locale, found.value),
      elo ? { reply_markup: new InlineKeyboard().text(ctx.t('predictions-elo-button'), elo) } : {},
    );
  }

  async function matches(ctx: BotContext, arg: string): Promise<void> {
    const count = parseCount(arg, { fallback: MATCHES_DEFAULT, max: MATCHES_MAX });
    if (!count.ok) return void (await replyHtml(ctx, ctx.t('bot-matches-usage', { max: MATCHES_MAX })));
    const account = await linkedAccount(ctx, deps);
    if (!account) return;
    const list = await runStats(ctx, deps, 'matches', matchesWorkflow, [
      { playerId: account.faceit_player_id, limit: count.value },
    ]);
    if (!list) return;
    if (!list.length) return void (await replyHtml(ctx, ctx.t('bot-no-matches')));
    const clampedTo = count.clamped ? MATCHES_MAX : null;
    // ELO change per match where the bot's snapshots bracket it (FACEIT's Data API has no per-match ELO).
    const snapshots = await deps.repos.eloSnapshots.history(account.faceit_player_id, 500);
    const deltas = eloDeltas(
      list,
      snapshots.map((s) => ({ elo: s.elo, at: s.observed_at.getTime(), matchId: s.match_id })),
    );
    await replyHtml(
      ctx,
      renderMatches(ctx.locale, tz(ctx), account.nickname, list, clampedTo, (m) =>
        eloChangeSuffix(ctx.locale, deltas.get(m.matchId)),
      ),
    );
  }

  async function last(ctx: BotContext): Promise<void> {
    const account = await linkedAccount(ctx, deps);
    if (!account) return;
    const data = await runStats(ctx, deps, 'last', lastMatchWorkflow, [
      { playerId: account.faceit_player_id },
    ]);
    if (data === undefined) return;
    if (data === null) return void (await replyHtml(ctx, ctx.t('bot-no-matches')));
    await replyHtml(ctx, renderLastMatch(ctx.locale, tz(ctx), account.faceit_player_id, data));
  }

  async function form(ctx: BotContext, arg: string): Promise<void> {
    const window = arg.trim() ? Number(arg.trim()) : FORM_WINDOWS[0];
    if (!(FORM_WINDOWS as readonly number[]).includes(window)) {
      return void (await replyHtml(ctx, ctx.t('bot-form-usage')));
    }
    const account = await linkedAccount(ctx, deps);
    if (!account) return;
    const input = await runStats(ctx, deps, 'form', formWorkflow, [
      { playerId: account.faceit_player_id, limit: window },
    ]);
    if (!input) return;
    if (!input.matches.length) return void (await replyHtml(ctx, ctx.t('bot-no-matches')));
    await replyHtml(ctx, renderForm(ctx.locale, tz(ctx), account.nickname, window, summariseForm(input)));
  }

  async function compare(ctx: BotContext, arg: string): Promise<void> {
    const args = words(arg);
    if (args.length < 1 || args.length > 2) return void (await replyHtml(ctx, ctx.t('bot-compare-usage')));
    const refs: PlayerRef[] = [];
    const shown: string[] = [];
    if (args.length === 1) {
      // "/compare rival": me against them.
      const account = await linkedAccount(ctx, deps);
      if (!account) return;
      refs.push({ kind: 'id', playerId: account.faceit_player_id });
      shown.push(account.nickname);
    }
    for (const a of args) {
      const parsed = parseAccountReference(a);
      if (!parsed.ok) return void (await replyInputError(ctx, parsed.error, a));
      refs.push(parsed.ref);
      shown.push(parsed.shown);
    }
    const sides = await runStats(ctx, deps, 'compare', compareWorkflow, [[refs[0], refs[1]]]);
    if (!sides) return;
    for (const [i, side] of sides.entries()) {
      if (!side.ok) return void (await replyLookupFailure(ctx, side.reason, shown[i]));
    }
    const [a, b] = sides.map((s) => (s.ok ? s.value : null));
    if (a && b) await replyHtml(ctx, renderCompare(ctx.locale, a, b));
  }

  /** /duos [nickname]: best and worst duo partners over the last DUOS_MATCHES matches (one FACEIT call). */
  async function duos(ctx: BotContext, arg: string): Promise<void> {
    let playerId: string;
    let nickname: string;
    if (arg.trim()) {
      const parsed = parseAccountReference(arg);
      if (!parsed.ok) return void (await replyInputError(ctx, parsed.error, arg));
      const found = await runStats(ctx, deps, 'find', findPlayerWorkflow, [parsed.ref]);
      if (!found) return;
      if (!found.ok) return void (await replyLookupFailure(ctx, found.reason, parsed.shown));
      playerId = found.value.playerId;
      nickname = found.value.nickname;
    } else {
      const account = await linkedAccount(ctx, deps);
      if (!account) return;
      playerId = account.faceit_player_id;
      nickname = account.nickname;
    }
    const history = await runStats(ctx, deps, 'duos', duosWorkflow, [{ playerId, limit: DUOS_MATCHES }]);
    if (!history) return;
    if (!history.length) return void (await replyHtml(ctx, ctx.t('bot-no-matches')));
    await replyHtml(ctx, renderDuos(ctx.locale, nickname, duoSummary(history)));
  }

  c.command('profile', (ctx) => profile(ctx, ctx.match));
  c.command('duos', (ctx) => duos(ctx, ctx.match));
  c.command('matches', (ctx) => matches(ctx, ctx.match));
  c.command('last', (ctx) => last(ctx));
  c.command('form', (ctx) => form(ctx, ctx.match));
  c.command('compare', (ctx) => compare(ctx, ctx.match));

  const menu = c.chatType('private');
  menu.hears(menuLabels('profile'), (ctx) => profile(ctx, ''));
  menu.hears(menuLabels('matches'), (ctx) => matches(ctx, ''));
  menu.hears(menuLabels('last'), (ctx) => last(ctx));
  menu.hears(menuLabels('form'), (ctx) => form(ctx, ''));
  return c;
}

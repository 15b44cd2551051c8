/** /accuracy (how often the bot's predictions came true) and /elo [nickname] (the ELO chart), plus its button. */
import { Composer, InputFile } from 'grammy';
import type { BotContext } from '../bot-kit/context';
import type { BotServices } from '../bot-kit/deps';
import { html } from '../bot-kit/format';
import { parseAccountReference } from '../bot-kit/parse';
import { HTML, replyHtml, replyInputError } from '../bot-kit/reply';
import {
  findPlayerWorkflow,
  linkedAccount,
  replyLookupFailure,
  runStats,
  ELO_CHART_CALLBACK,
  type StatsComposerDeps,
} from '../stats';
import { eloChart, reliabilityChart } from './charts';
import { eloSeries } from './model/elo';
import { reliability, summarise } from './model/scores';
import { eloCaption, eloChartLabels, reliabilityLabels, renderAccuracy } from './render';
import { createPredictionsRepository } from './repository';

/** What /accuracy and /elo take from the bot (the stats runner's handles, and the pool for the outcomes). */
export type PredictionsComposerDeps = StatsComposerDeps & Pick<BotServices, 'pool'>;

/** Snapshots drawn at most (newest kept). */
const ELO_POINTS = 500;

export function createPredictionsComposer(deps: PredictionsComposerDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const repo = createPredictionsRepository(deps.pool);

  async function accuracy(ctx: BotContext): Promise<void> {
    const [allRows, mineRows, notScored] = await Promise.all([
      repo.scored(),
      repo.scored({ telegramId: ctx.user.telegram_id }),
      repo.notScored(),
    ]);
    const all = summarise(allRows);
    const mine = summarise(mineRows);
    await replyHtml(ctx, renderAccuracy(ctx.locale, all, mine, notScored));
    if (all.matches === 0) return;
    const chart = reliabilityChart(
      {
        ours: reliability(allRows.map((r) => ({ p: r.model ?? r.elo, y: r.y }))),
        elo: reliability(allRows.map((r) => ({ p: r.elo, y: r.y }))),
      },
      reliabilityLabels(ctx.locale, all.matches),
    );
    await ctx.replyWithPhoto(new InputFile(chart.png, 'reliability.png'), {
      ...HTML,
      caption: ctx.t('predictions-reliability-caption'),
    });
  }

  async function sendEloChart(ctx: BotContext, playerId: string, nickname: string): Promise<void> {
    const rows = await deps.repos.eloSnapshots.history(playerId, ELO_POINTS);
    const series = eloSeries(
      rows.map((r) => ({ elo: r.elo, at: r.observed_at.getTime(), matchId: r.match_id })),
    );
    // The nickname may come from callback data, which a client can forge: always escaped.
    if (!series)
      return void (await replyHtml(ctx, ctx.t('predictions-elo-none', { nickname: html(nickname) })));
    const tz = ctx.user.timezone;
    const chart = eloChart(series, eloChartLabels(ctx.locale, tz, nickname, series), tz);
    await ctx.replyWithPhoto(new InputFile(chart.png, 'elo.png'), {
      ...HTML,
      caption: eloCaption(ctx.locale, nickname, series),
    });
  }

  async function elo(ctx: BotContext, arg: string): Promise<void> {
    if (!arg.trim()) {
      const account = await linkedAccount(ctx, deps);
      if (!account) return;
      return sendEloChart(ctx, account.faceit_player_id, account.nickname ?? account.faceit_player_id);
    }
    const parsed = parseAccountReference(arg);
    if (!parsed.ok) return void (await replyInputError(ctx, parsed.error, arg));
    const found = await runStats(ctx, deps, 'find', findPlayerWorkflow, [parsed.ref]);
    if (!found) return;
    if (!found.ok) return void (await replyLookupFailure(ctx, found.reason, parsed.shown));
    await sendEloChart(ctx, found.value.playerId, found.value.nickname);
  }

  c.command('accuracy', (ctx) => accuracy(ctx));
  c.command('elo', (ctx) => elo(ctx, ctx.match));
  c.callbackQuery(ELO_CHART_CALLBACK.filter, async (ctx) => {
    const { playerId, nickname } = ELO_CHART_CALLBACK.read(ctx.match);
    await ctx.answerCallbackQuery();
    await sendEloChart(ctx, playerId, nickname ?? playerId.slice(0, 8));
  });
  return c;
}

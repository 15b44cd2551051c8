/** Telegram texts of the predictions slice: /accuracy and the ELO chart's captions. */
import { t, type Locale } from '../i18n';
import { date, html, num, share, signed } from '../bot-kit/format';
import type { EloSeries } from './model/elo';
import {
  SMALL_SAMPLE,
  type AccuracySummary,
  type Comparison,
  type ConfidentCalls,
  type ForecastScore,
  type PairedDifference,
} from './model/scores';

const favourite = (locale: Locale, s: ForecastScore): string =>
  s.favouriteWinRate === null
    ? '—'
    : `${share(locale, s.favouriteWinRate)} (${s.favouriteWins}/${s.decided})`;

const confident = (locale: Locale, c: ConfidentCalls): string =>
  c.rate === null ? '—' : `${share(locale, c.rate)} (${c.wins}/${c.calls})`;

const interval = (locale: Locale, d: PairedDifference): string =>
  d.low === null || d.high === null
    ? `${signed(locale, d.mean, 3)}`
    : `${signed(locale, d.mean, 3)} [${signed(locale, d.low, 3)}, ${signed(locale, d.high, 3)}]`;

/** Ours against one baseline: the two differences with their intervals, then what they mean, in words. */
function comparison(locale: Locale, baseline: 'elo' | 'faceit', c: Comparison): string[] {
  const name = t(locale, `predictions-accuracy-baseline-${baseline}`);
  return [
    t(locale, 'predictions-accuracy-diff', {
      baseline: name,
      n: c.n,
      brier: interval(locale, c.brier),
      logloss: interval(locale, c.logLoss),
    }),
    t(locale, `predictions-accuracy-verdict-${c.verdict}`, { baseline: name, n: c.n, enough: SMALL_SAMPLE }),
  ];
}

function section(locale: Locale, title: string, a: AccuracySummary): string[] {
  const lines = [t(locale, title)];
  if (a.matches === 0) return [...lines, t(locale, 'predictions-accuracy-none')];
  lines.push(
    t(locale, 'predictions-accuracy-matches', { n: a.matches }),
    t(locale, 'predictions-accuracy-favourite', {
      ours: favourite(locale, a.model),
      elo: favourite(locale, a.elo),
    }),
    t(locale, 'predictions-accuracy-brier', {
      ours: num(locale, a.model.brier, 3),
      elo: num(locale, a.elo.brier, 3),
      coin: num(locale, a.coin.brier, 3),
    }),
    t(locale, 'predictions-accuracy-logloss', {
      ours: num(locale, a.model.logLoss, 3),
      elo: num(locale, a.elo.logLoss, 3),
      coin: num(locale, a.coin.logLoss, 3),
    }),
  );
  if (a.faceit.n > 0)
    lines.push(
      t(locale, 'predictions-accuracy-faceit', {
        n: a.faceit.n,
        favourite: favourite(locale, a.faceit),
        brier: num(locale, a.faceit.brier, 3),
        logloss: num(locale, a.faceit.logLoss, 3),
      }),
    );
  lines.push(
    t(locale, 'predictions-accuracy-confident', {
      ours: confident(locale, a.confident.model),
      elo: confident(locale, a.confident.elo),
    }),
    ...comparison(locale, 'elo', a.vsElo),
  );
  if (a.vsFaceit) lines.push(...comparison(locale, 'faceit', a.vsFaceit));
  if (a.small) lines.push(t(locale, 'predictions-accuracy-small', { n: a.matches, enough: SMALL_SAMPLE }));
  return lines;
}

/**
 * The /accuracy text. `notScored`: finished matches whose first analysis came after the start (or saw the result),
 * left out of every figure.
 */
export function renderAccuracy(
  locale: Locale,
  all: AccuracySummary,
  mine: AccuracySummary | null,
  notScored = 0,
): string {
  const parts = [
    t(locale, 'predictions-accuracy-title'),
    '',
    ...section(locale, 'predictions-accuracy-scope-all', all),
  ];
  if (mine) parts.push('', ...section(locale, 'predictions-accuracy-scope-mine', mine));
  if (notScored > 0) parts.push('', t(locale, 'predictions-accuracy-not-scored', { n: notScored }));
  if (all.matches > 0) parts.push('', t(locale, 'predictions-accuracy-explain'));
  return parts.join('\n');
}

export function eloCaption(locale: Locale, nickname: string, s: EloSeries): string {
  return t(locale, 'predictions-elo-caption', {
    nickname: html(nickname),
    first: String(s.first),
    last: String(s.last),
    delta: signed(locale, s.last - s.first, 0),
    points: s.points.length,
  });
}

export function eloChartLabels(locale: Locale, timeZone: string, nickname: string, s: EloSeries) {
  return {
    title: t(locale, 'predictions-elo-title', { nickname }),
    subtitle: t(locale, 'predictions-elo-subtitle', {
      points: s.points.length,
      matches: s.matches,
      from: date(locale, timeZone, s.points[0].at),
      to: date(locale, timeZone, s.points[s.points.length - 1].at),
    }),
    elo: t(locale, 'predictions-elo-axis'),
    match: t(locale, 'predictions-elo-match'),
  };
}

export function reliabilityLabels(locale: Locale, n: number) {
  return {
    title: t(locale, 'predictions-reliability-title'),
    subtitle: t(locale, 'predictions-reliability-subtitle', { n }),
    predicted: t(locale, 'predictions-reliability-predicted'),
    observed: t(locale, 'predictions-reliability-observed'),
    ours: t(locale, 'predictions-reliability-ours'),
    elo: t(locale, 'predictions-reliability-elo'),
    perfect: t(locale, 'predictions-reliability-perfect'),
  };
}

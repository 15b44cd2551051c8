import { t, type Locale } from '../../i18n';
import { totalsOf } from '../model/summary';
import type { CompareSide } from '../model/types';
import { html, int, num, pct, results, share } from '../../bot-kit/format';

interface Row {
  key: string;
  values: [number | null, number | null];
  show: (x: number | null) => string;
  /** Which side is better when higher (1) or lower (-1); 0 = not compared. */
  better: 1 | -1 | 0;
}

function cell(row: Row, side: 0 | 1): string {
  const [a, b] = row.values;
  const text = row.show(row.values[side]);
  if (row.better === 0 || a === null || b === null || a === b) return text;
  const wins = (row.better === 1 ? a > b : a < b) === (side === 0);
  return wins ? `<b>${text}</b>` : text;
}

/** /compare: the two players side by side, the better figure of each row in bold. */
export function renderCompare(locale: Locale, a: CompareSide, b: CompareSide): string {
  const ra = totalsOf(a.recent);
  const rb = totalsOf(b.recent);
  const la = a.lifetime;
  const lb = b.lifetime;
  const rows: Row[] = [
    { key: 'level', values: [a.player.level, b.player.level], show: (x) => int(locale, x), better: 1 },
    { key: 'elo', values: [a.player.elo, b.player.elo], show: (x) => int(locale, x), better: 1 },
    {
      key: 'matches',
      values: [la?.matches ?? null, lb?.matches ?? null],
      show: (x) => int(locale, x),
      better: 0,
    },
    {
      key: 'winrate',
      values: [la?.winRatePercent ?? null, lb?.winRatePercent ?? null],
      show: (x) => pct(locale, x),
      better: 1,
    },
    { key: 'kd', values: [la?.kd ?? null, lb?.kd ?? null], show: (x) => num(locale, x), better: 1 },
    {
      key: 'hs',
      values: [la?.hsPercent ?? null, lb?.hsPercent ?? null],
      show: (x) => pct(locale, x),
      better: 1,
    },
    { key: 'adr', values: [la?.adr ?? null, lb?.adr ?? null], show: (x) => num(locale, x, 1), better: 1 },
    { key: 'recent-kd', values: [ra.kd, rb.kd], show: (x) => num(locale, x), better: 1 },
    { key: 'recent-adr', values: [ra.adr, rb.adr], show: (x) => num(locale, x, 1), better: 1 },
    { key: 'recent-winrate', values: [ra.winRate, rb.winRate], show: (x) => share(locale, x), better: 1 },
  ];
  const lines = [
    t(locale, 'bot-compare-title', { a: html(a.player.nickname), b: html(b.player.nickname) }),
    '',
    ...rows.map((row) => t(locale, `bot-compare-${row.key}`, { a: cell(row, 0), b: cell(row, 1) })),
    t(locale, 'bot-compare-form', {
      a: results(a.recent.slice(0, 5).map((m) => m.win)),
      b: results(b.recent.slice(0, 5).map((m) => m.win)),
    }),
  ];
  return lines.join('\n');
}

import { t, type Locale } from '../../i18n';
import type { FormSummary, Session } from '../model/form';
import type { MatchTotals } from '../model/summary';
import { date, dateTime, html, mapName, num, share, signed } from '../../bot-kit/format';

const TREND_ICON = { up: '📈', down: '📉', flat: '➡️' } as const;
/** Enough lines to read at a glance; /form 100 can have dozens of sessions. */
const MAX_SESSIONS = 5;
const MAX_MAPS = 7;

function record(locale: Locale, x: MatchTotals): Record<string, string | number> {
  return {
    matches: x.matches,
    wins: x.wins,
    losses: x.losses,
    wr: share(locale, x.winRate),
    kd: num(locale, x.kd),
    adr: num(locale, x.adr, 1),
  };
}

function sessionLine(locale: Locale, timeZone: string, s: Session): string {
  const from = dateTime(locale, timeZone, s.start);
  const end = dateTime(locale, timeZone, s.end);
  // Same day: "19.11, 18:02–23:27"; a session past midnight keeps its end date.
  const sameDay = date(locale, timeZone, s.start) === date(locale, timeZone, s.end);
  const to = sameDay ? end.slice(end.lastIndexOf(' ') + 1) : end;
  const when = s.start === s.end ? from : `${from}–${to}`;
  return t(locale, 'bot-form-session', { when, ...record(locale, s.totals) });
}

/** /form: overall record, trend, role and style, then sessions and per-map results. */
export function renderForm(
  locale: Locale,
  timeZone: string,
  nickname: string,
  window: number,
  f: FormSummary,
): string {
  const lines = [
    t(locale, 'bot-form-title', { nickname: html(nickname), n: f.totals.matches, window }),
    t(locale, 'bot-form-totals', { ...record(locale, f.totals), hs: num(locale, f.totals.hsPercent, 0) }),
  ];
  lines.push(
    f.trend
      ? t(locale, `bot-form-trend-${f.trend.direction}`, {
          icon: TREND_ICON[f.trend.direction],
          kd: signed(locale, f.trend.kdDelta),
          adr: signed(locale, f.trend.adrDelta, 1),
          wr: signed(locale, f.trend.winRateDelta === null ? null : f.trend.winRateDelta * 100, 0),
        })
      : t(locale, 'bot-form-trend-none'),
  );
  const role = f.role ? t(locale, `analysis-role-${f.role}`) : t(locale, 'bot-form-role-unknown');
  const style = f.style.length ? f.style.map((s) => t(locale, `bot-form-style-${s}`)).join(', ') : '—';
  lines.push(t(locale, 'bot-form-role', { role, style }));
  lines.push('', t(locale, 'bot-form-sessions-title', { n: f.sessions.length }));
  lines.push(...f.sessions.slice(0, MAX_SESSIONS).map((s) => sessionLine(locale, timeZone, s)));
  lines.push('', t(locale, 'bot-form-maps-title'));
  lines.push(
    ...f.maps
      .slice(0, MAX_MAPS)
      .map((m) => t(locale, 'bot-form-map', { map: mapName(m.map), ...record(locale, m.totals) })),
  );
  return lines.join('\n');
}

import { t, type Locale } from '../../i18n';
import { html, share } from '../../bot-kit/format';
import { DUO_MIN_MATCHES, DUO_SHRINK_K, type DuoPartner, type DuoSummary } from '../model/duos';

/** /duos: the player's best and worst duo partners over his recent matches, with each record. */
export function renderDuos(locale: Locale, nickname: string, s: DuoSummary): string {
  const line = (p: DuoPartner) =>
    t(locale, 'bot-duos-line', {
      nickname: html(p.nickname),
      wins: p.wins,
      losses: p.matches - p.wins,
      wr: share(locale, p.winRate),
    });
  const lines = [
    t(locale, 'bot-duos-title', { nickname: html(nickname), n: s.matches, wr: share(locale, s.winRate) }),
  ];
  if (s.partners.length === 0) {
    lines.push('', t(locale, 'bot-duos-none', { min: DUO_MIN_MATCHES }));
    return lines.join('\n');
  }
  if (s.best.length) lines.push('', t(locale, 'bot-duos-best'), ...s.best.map(line));
  if (s.worst.length) lines.push('', t(locale, 'bot-duos-worst'), ...s.worst.map(line));
  if (!s.best.length && !s.worst.length)
    lines.push('', t(locale, 'bot-duos-even', { wr: share(locale, s.winRate) }));
  lines.push('', t(locale, 'bot-duos-note', { min: DUO_MIN_MATCHES, k: DUO_SHRINK_K }));
  return lines.join('\n');
}

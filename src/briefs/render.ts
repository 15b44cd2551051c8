import type { LobbyAnalysis, RenderOptions } from '../analysis';
import { renderFramedReport } from '../analysis/worker';
import { t, type Locale } from '../i18n';
import { escapeHtml } from '../telegram/html';

/** Texts of a brief (locales/<lang>/briefs.ftl). */

const STATUS_KEYS = new Set(['CONFIGURING', 'VOTING', 'READY', 'ONGOING']);

export function briefPlaceholder(locale: Locale, nickname: string, status?: string): string {
  const s = status?.toUpperCase();
  const state = s && STATUS_KEYS.has(s) ? t(locale, `brief-status-${s.toLowerCase()}`) : '';
  return t(locale, 'brief-placeholder', { nick: escapeHtml(nickname), state });
}

export function briefHeader(locale: Locale, nickname: string): string {
  return t(locale, 'brief-header', { nick: escapeHtml(nickname) });
}

/** "🏁 team_x won 13:9 — the favourite (62%) won ✅" (or the upset). */
export function briefFooter(
  locale: Locale,
  analysis: LobbyAnalysis,
  winner: 'faction1' | 'faction2',
  scores?: number[],
): string {
  const score = scores ? `${Math.max(...scores)}:${Math.min(...scores)}` : '';
  const team = escapeHtml(analysis.teams[winner].name);
  const p = analysis.winProbability;
  let verdict: string;
  if (!p || p.faction1 === 0.5) verdict = t(locale, 'brief-verdict-none');
  else {
    const favourite = p.faction1 > 0.5 ? 'faction1' : 'faction2';
    const chance = String(Math.round(p[favourite] * 100));
    verdict = t(locale, favourite === winner ? 'brief-verdict-favourite' : 'brief-verdict-upset', {
      p: chance,
      team: escapeHtml(analysis.teams[favourite].name),
    });
  }
  return t(locale, 'brief-result', { team, score, verdict });
}

export function renderBrief(
  analysis: LobbyAnalysis,
  options: RenderOptions & { header: string; footer?: string },
): string[] {
  return renderFramedReport(analysis, options);
}

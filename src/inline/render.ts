import type { InlineQueryResultArticle } from 'grammy/types';
import type { LobbyAnalysis } from '../analysis';
import { html, int, num, pct, profileUrl, results, share } from '../bot-kit/format';
import { t, type Locale } from '../i18n';
import { renderProfile, type ProfileData } from '../stats';

/** Inline results (InlineQueryResultArticle): ids ≤ 64 bytes, HTML already escaped, the texts of briefs.ftl. */

const MESSAGE = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };

export function profileArticle(locale: Locale, data: ProfileData): InlineQueryResultArticle {
  const { player, lifetime } = data;
  const description = lifetime
    ? t(locale, 'inline-profile-description', {
        kd: num(locale, lifetime.kd),
        adr: num(locale, lifetime.adr, 1),
        hs: pct(locale, lifetime.hsPercent),
        last: results(lifetime.recentResults.slice(0, 5)),
      })
    : t(locale, 'bot-profile-no-stats');
  return {
    type: 'article',
    id: `p:${player.playerId}`.slice(0, 64),
    // Titles and descriptions are plain text (no parse mode): never escaped.
    title: t(locale, 'inline-profile-title', {
      nickname: player.nickname,
      level: int(locale, player.level),
      elo: int(locale, player.elo),
    }),
    description,
    input_message_content: { message_text: renderProfile(locale, data), ...MESSAGE },
    reply_markup: {
      inline_keyboard: [[{ text: t(locale, 'bot-profile-link'), url: profileUrl(player.nickname, locale) }]],
    },
  };
}

/** The lobby summary: teams, average ELO, win chance, the most dangerous players of each side. */
export function lobbyArticle(locale: Locale, a: LobbyAnalysis, roomUrl: string): InlineQueryResultArticle {
  const nick = new Map(
    [...a.teams.faction1.players, ...a.teams.faction2.players].map((p) => [p.playerId, p.nickname]),
  );
  const side = (f: 'faction1' | 'faction2') => {
    const team = a.teams[f];
    const dangerous = a.dangerous[f].map((id) => html(nick.get(id) ?? id)).join(', ') || '—';
    return t(locale, 'inline-lobby-team', {
      team: html(team.name),
      elo: int(locale, team.avgElo),
      chance: share(locale, a.winProbability?.[f]),
      dangerous,
    });
  };
  const text = [
    t(locale, 'inline-lobby-title', { map: html(a.pickedMap ?? '—') }),
    side('faction1'),
    side('faction2'),
  ].join('\n\n');
  return {
    type: 'article',
    id: `m:${a.matchId}`.slice(0, 64),
    title: t(locale, 'inline-lobby-result-title', {
      team1: a.teams.faction1.name,
      team2: a.teams.faction2.name,
    }),
    description: t(locale, 'inline-lobby-description', {
      elo1: int(locale, a.teams.faction1.avgElo),
      elo2: int(locale, a.teams.faction2.avgElo),
      p1: share(locale, a.winProbability?.faction1),
      p2: share(locale, a.winProbability?.faction2),
    }),
    input_message_content: { message_text: text, ...MESSAGE },
    reply_markup: { inline_keyboard: [[{ text: t(locale, 'inline-open-room'), url: roomUrl }]] },
  };
}

/** A room nobody analysed yet: the link, and a button that opens the bot to analyse it there. */
export function roomArticle(
  locale: Locale,
  matchId: string,
  roomUrl: string,
  deepLink: string,
): InlineQueryResultArticle {
  return {
    type: 'article',
    id: `r:${matchId}`.slice(0, 64),
    title: t(locale, 'inline-room-title'),
    description: t(locale, 'inline-room-description'),
    input_message_content: { message_text: `${t(locale, 'inline-room-text')}\n${html(roomUrl)}`, ...MESSAGE },
    reply_markup: { inline_keyboard: [[{ text: t(locale, 'inline-room-button'), url: deepLink }]] },
  };
}

/** A message instead of data (not found, budget used up, FACEIT trouble): sends the note if picked. */
export function noteArticle(
  locale: Locale,
  key: string,
  vars: Record<string, string> = {},
): InlineQueryResultArticle {
  const escaped = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, html(v)]));
  // The title is plain text (the note templates have no tags): the raw values.
  const title = t(locale, key, vars);
  return {
    type: 'article',
    id: `n:${key}`.slice(0, 64),
    title,
    input_message_content: { message_text: t(locale, key, escaped), ...MESSAGE },
  };
}

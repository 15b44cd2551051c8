import { t, type Locale } from '../../i18n';
import type { LastMatchData, ScoreboardPlayer } from '../model/types';
import { dateTime, html, int, link, mapName, num, pct, roomUrl } from '../../bot-kit/format';

function playerLine(locale: Locale, p: ScoreboardPlayer, me: string): string {
  return t(locale, 'bot-last-player', {
    you: p.playerId === me ? '👤 ' : '',
    nickname: html(p.nickname),
    k: int(locale, p.kills),
    d: int(locale, p.deaths),
    a: int(locale, p.assists),
    kd: num(locale, p.kd),
    adr: num(locale, p.adr, 1),
    hs: pct(locale, p.hsPercent),
  });
}

/** /last: the match header, then both teams' full scoreboards (best fragger first). */
export function renderLastMatch(
  locale: Locale,
  timeZone: string,
  playerId: string,
  data: LastMatchData,
): string {
  const { line, scoreboard } = data;
  const head = t(locale, 'bot-last-title', {
    map: mapName(line.map ?? scoreboard?.map ?? null),
    score: line.ownScore === null ? '—' : `${line.ownScore}:${line.opponentScore ?? '—'}`,
    result: t(
      locale,
      line.win === null
        ? 'bot-last-result-unknown'
        : line.win
          ? 'bot-last-result-win'
          : 'bot-last-result-loss',
    ),
    time: dateTime(locale, timeZone, line.finishedAt),
  });
  const room = link(roomUrl(line.matchId, locale), t(locale, 'bot-matches-room'));
  if (!scoreboard) return [head, t(locale, 'bot-last-no-scoreboard'), room].join('\n');
  const teams = scoreboard.teams.map((team) =>
    [
      t(locale, 'bot-last-team', {
        mark: team.win === null ? '⚪' : team.win ? '🏆' : '➖',
        name: html(team.name),
        score: int(locale, team.score),
      }),
      ...team.players.map((p) => playerLine(locale, p, playerId)),
    ].join('\n'),
  );
  return [head, room, '', ...teams.flatMap((tm) => [tm, ''])].join('\n').trimEnd();
}

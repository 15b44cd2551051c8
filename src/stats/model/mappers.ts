/** FACEIT client shapes → the slice's compact DTOs. Pure, so the tests feed them recorded-like bodies. */
import type {
  MatchStats,
  Player,
  PlayerHistoryItem,
  PlayerMatchStats,
  PlayerStats,
} from '../../faceit/schemas';
import type { DuoMatch } from './duos';
import type { LifetimeData, MapRecord, MatchLine, PlayerCard, Scoreboard, ScoreboardPlayer } from './types';

const orNull = (x: number | undefined): number | null => (x === undefined ? null : x);
const STEAM64 = /^\d{17}$/;

export function toPlayerCard(player: Player): PlayerCard {
  const cs2 = player.games.cs2;
  const steam = cs2?.game_player_id ?? player.steam_id_64 ?? null;
  return {
    playerId: player.player_id,
    nickname: player.nickname,
    country: player.country ?? null,
    region: cs2?.region ?? null,
    elo: orNull(cs2?.faceit_elo),
    level: orNull(cs2?.skill_level),
    steamId64: steam && STEAM64.test(steam) ? steam : null,
  };
}

/** 5v5 map segments only; other modes (wingman) would mix different games into one map line. */
export function toLifetimeData(stats: PlayerStats): LifetimeData {
  const l = stats.lifetime;
  const maps: MapRecord[] = stats.segments
    .filter((s) => (s.type ?? 'Map') === 'Map' && (s.mode ?? '5v5') === '5v5' && s.label)
    .map((s) => ({
      map: s.label ?? '',
      matches: s.stats.matches ?? 0,
      winRatePercent: orNull(s.stats.winRatePercent),
      kd: orNull(s.stats.kdRatio),
    }))
    .filter((m) => m.matches > 0);
  return {
    lifetime: {
      matches: orNull(l.matches),
      wins: orNull(l.wins),
      winRatePercent: orNull(l.winRatePercent),
      kd: orNull(l.kdRatio),
      hsPercent: orNull(l.headshotsPercent),
      adr: orNull(l.adr),
      currentWinStreak: orNull(l.currentWinStreak),
      longestWinStreak: orNull(l.longestWinStreak),
      recentResults: [...l.recentResults].reverse().map((r) => r === 1),
      role: {
        entryRate: orNull(l.entryRate),
        sniperKillRate: orNull(l.sniperKillRate),
        utilityDamagePerRound: orNull(l.utilityDamagePerRound),
        enemiesFlashedPerRound: orNull(l.enemiesFlashedPerRound),
        flashSuccessRate: orNull(l.flashSuccessRate),
      },
    },
    maps,
  };
}

/** "13 / 11" with the player's own `Final Score` → [own, opponent]. */
export function scoresOf(score: string | undefined, own: number | undefined): [number | null, number | null] {
  const parts = (score ?? '').split('/').map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n))) return [orNull(own), null];
  if (own === undefined) return [null, null];
  const [a, b] = parts;
  return [own, a === own ? b : a];
}

export function toMatchLine(m: PlayerMatchStats): MatchLine {
  const [ownScore, opponentScore] = scoresOf(m.score, m.finalScore);
  return {
    matchId: m.matchId,
    finishedAt: orNull(m.finishedAt),
    map: m.map ?? null,
    win: m.win ?? null,
    ownScore,
    opponentScore,
    kills: orNull(m.kills),
    deaths: orNull(m.deaths),
    assists: orNull(m.assists),
    kd: orNull(m.kdRatio),
    adr: orNull(m.adr),
    hsPercent: orNull(m.headshotsPercent),
    rounds: orNull(m.rounds),
    mvps: orNull(m.mvps),
  };
}

/** The first round (a BO1 is all CS2 matchmaking has); players sorted by kills, best first. */
export function toScoreboard(matchId: string, stats: MatchStats): Scoreboard | null {
  const round = stats.rounds[0];
  if (!round) return null;
  const byKills = (a: ScoreboardPlayer, b: ScoreboardPlayer) => (b.kills ?? -1) - (a.kills ?? -1);
  return {
    matchId,
    map: round.round_stats.map ?? null,
    rounds: orNull(round.round_stats.rounds),
    teams: round.teams.map((t) => ({
      name: t.teamStats.name ?? t.team_id,
      score: orNull(t.teamStats.finalScore),
      win: t.teamStats.win === undefined ? null : t.teamStats.win === 1,
      players: t.players
        .map((p) => ({
          playerId: p.player_id,
          nickname: p.nickname ?? p.player_id,
          kills: orNull(p.stats.kills),
          deaths: orNull(p.stats.deaths),
          assists: orNull(p.stats.assists),
          kd: orNull(p.stats.kdRatio),
          adr: orNull(p.stats.adr),
          hsPercent: orNull(p.stats.headshotsPercent),
          mvps: orNull(p.stats.mvps),
        }))
        .sort(byKills),
    })),
  };
}

/** One /history item from `playerId`'s side (duos.ts): his teammates and whether his team won; null if he is not in it. */
export function toDuoMatch(item: PlayerHistoryItem, playerId: string): DuoMatch | null {
  const sides = Object.entries(item.teams ?? {});
  const mine = sides.find(([, t]) => t.players.some((p) => p.player_id === playerId));
  if (!mine) return null;
  const [faction, team] = mine;
  const winner = item.results?.winner;
  return {
    matchId: item.match_id,
    finishedAt: item.finished_at === undefined ? null : item.finished_at * 1000,
    won: winner ? winner === faction : null,
    teammates: team.players
      .filter((p) => p.player_id !== playerId)
      .map((p) => ({ playerId: p.player_id, nickname: p.nickname ?? p.player_id })),
  };
}

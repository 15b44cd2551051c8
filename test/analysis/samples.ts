/**
 * Test-only loader: maps the real FACEIT samples in /work/shared/faceit-api (or $FACEIT_SAMPLES_DIR) to the analysis
 * input types. Deliberately small and lenient; the production adapter is written elsewhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {
  LifetimeMapSegment,
  LifetimeStats,
  LobbyInput,
  MatchInfo,
  PlayerDetails,
  PlayerInput,
  RecentMatchStats,
} from '../../src/analysis/model/types';
import { FACEIT_SAMPLES_DIR } from '../harness/shared';

export const SAMPLES_DIR = process.env.FACEIT_SAMPLES_DIR ?? FACEIT_SAMPLES_DIR;

type Json = Record<string, unknown>;
type StatMap = Record<string, unknown>;

export function loadSample(name: string): Json {
  return JSON.parse(fs.readFileSync(path.join(SAMPLES_DIR, name), 'utf8')) as Json;
}

const obj = (v: unknown): Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;

/** FACEIT sends every stat as a string; missing/unparsable → null. */
export function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

const opt = (v: unknown): number | undefined => num(v) ?? undefined;

export function toMatchInfo(match: Json): MatchInfo {
  const teams = obj(match.teams);
  const voting = obj(match.voting);
  const mapVoting = obj(voting.map);
  const faction = (f: Json) => ({
    name: str(f.name) ?? '',
    roster: arr(f.roster).map((r) => {
      const e = obj(r);
      return {
        playerId: str(e.player_id) ?? '',
        nickname: str(e.nickname) ?? '',
        skillLevel: num(e.game_skill_level),
      };
    }),
  });
  return {
    matchId: str(match.match_id) ?? '',
    status: (str(match.status) ?? '').toUpperCase(),
    pickedMap: str(arr(mapVoting.pick)[0]),
    mapPool: arr(mapVoting.entities)
      .map((e) => str(obj(e).class_name) ?? str(obj(e).game_map_id))
      .filter((x): x is string => !!x),
    competitionName: str(match.competition_name),
    region: str(match.region),
    factions: { faction1: faction(obj(teams.faction1)), faction2: faction(obj(teams.faction2)) },
  };
}

export function toPlayerDetails(player: Json): PlayerDetails {
  const cs2 = obj(obj(player.games).cs2);
  return { elo: num(cs2.faceit_elo), level: num(cs2.skill_level), country: str(player.country) };
}

/** One `items[].stats` of /games/cs2/stats, or one `player_stats` of /matches/{id}/stats (same key names). */
export function toRecentMatch(s: StatMap, fallbackMatchId = ''): RecentMatchStats {
  return {
    matchId: str(s['Match Id']) ?? fallbackMatchId,
    finishedAt: num(s['Match Finished At']),
    map: str(s['Map']),
    win: str(s['Result']) === null ? null : str(s['Result']) === '1',
    kills: num(s['Kills']) ?? 0,
    deaths: num(s['Deaths']) ?? 0,
    assists: num(s['Assists']) ?? 0,
    adr: num(s['ADR']),
    hsPercent: num(s['Headshots %']),
    kr: num(s['K/R Ratio']),
    rounds: num(s['Rounds']),
    score: str(s['Score']),
    mvps: opt(s['MVPs']),
    entryCount: opt(s['Entry Count']),
    entryWins: opt(s['Entry Wins']),
    firstKills: opt(s['First Kills']),
    sniperKills: opt(s['Sniper Kills']),
    utilityDamage: opt(s['Utility Damage']),
    utilityCount: opt(s['Utility Count']),
    flashCount: opt(s['Flash Count']),
    flashSuccesses: opt(s['Flash Successes']),
    enemiesFlashed: opt(s['Enemies Flashed']),
    clutch1v1Count: opt(s['1v1Count']),
    clutch1v1Wins: opt(s['1v1Wins']),
    clutch1v2Count: opt(s['1v2Count']),
    clutch1v2Wins: opt(s['1v2Wins']),
    doubleKills: opt(s['Double Kills']),
    tripleKills: opt(s['Triple Kills']),
    quadroKills: opt(s['Quadro Kills']),
    pentaKills: opt(s['Penta Kills']),
  };
}

export function toRecentMatches(games: Json): RecentMatchStats[] {
  return arr(games.items).map((item) => toRecentMatch(obj(obj(item).stats)));
}

export function toLifetime(stats: Json): LifetimeStats {
  const l = obj(stats.lifetime);
  const maps: LifetimeMapSegment[] = arr(stats.segments)
    .map(obj)
    .filter((s) => str(s.type) === 'Map')
    .map((s) => {
      const m = obj(s.stats);
      return {
        label: str(s.label) ?? '',
        matches: num(m['Matches']) ?? 0,
        wins: num(m['Wins']),
        winRate: num(m['Win Rate %']),
        kd: num(m['Average K/D Ratio']),
        adr: num(m['ADR']),
        hsPercent: num(m['Average Headshots %']),
        kills: num(m['Kills']),
        deaths: num(m['Deaths']),
        assists: num(m['Assists']),
        rounds: num(m['Rounds']),
      };
    });
  return {
    matches: num(l['Matches']) ?? 0,
    wins: num(l['Wins']),
    winRate: num(l['Win Rate %']),
    kd: num(l['Average K/D Ratio']),
    hsPercent: num(l['Average Headshots %']),
    adr: num(l['ADR']),
    entryRate: num(l['Entry Rate']),
    entrySuccessRate: num(l['Entry Success Rate']),
    // The share from the totals: FACEIT's two sniper rate keys are swapped against their names.
    sniperKillRate:
      (num(l['Total Kills with extended stats']) ?? 0) > 0
        ? (num(l['Total Sniper Kills']) ?? 0) / (num(l['Total Kills with extended stats']) ?? 1)
        : num(l['Sniper Kill Rate per Round']),
    utilityDamagePerRound: num(l['Utility Damage per Round']),
    flashSuccessRate: num(l['Flash Success Rate']),
    enemiesFlashedPerRound: num(l['Enemies Flashed per Round']),
    recentResults: arr(l['Recent Results']).map((r) => str(r) === '1'),
    maps,
  };
}

/** The sample player (Darwin): details + last 20 matches + lifetime. */
export function samplePlayer(): { playerId: string; nickname: string; input: PlayerInput } {
  const player = loadSample('player.json');
  return {
    playerId: str(player.player_id) ?? '',
    nickname: str(player.nickname) ?? '',
    input: {
      details: toPlayerDetails(player),
      recent: toRecentMatches(loadSample('player_games_cs2_stats.json')),
      lifetime: toLifetime(loadSample('player_stats_cs2.json')),
    },
  };
}

/** Each player's real row of /matches/{id}/stats (one match, with the extended keys), keyed by player id. */
export function matchStatsRows(): Record<string, RecentMatchStats> {
  const stats = loadSample('match_stats.json');
  const out: Record<string, RecentMatchStats> = {};
  for (const round of arr(stats.rounds).map(obj)) {
    const roundStats = obj(round.round_stats);
    for (const team of arr(round.teams).map(obj)) {
      for (const p of arr(team.players).map(obj)) {
        const s = obj(p.player_stats);
        const row = toRecentMatch(
          { ...s, Map: roundStats['Map'], Score: roundStats['Score'], Rounds: roundStats['Rounds'] },
          str(round.match_id) ?? '',
        );
        out[str(p.player_id) ?? ''] = row;
      }
    }
  }
  return out;
}

/**
 * A lobby built from the real match (status forced to READY so it is analysable): every roster player gets his
 * real row of that match's stats (the one roster player who has none — a substitute played instead — stays
 * "no data"), and the first player of faction1 gets the real Darwin history (20 matches + lifetime) as well.
 */
export function sampleLobby(): LobbyInput {
  const match = { ...toMatchInfo(loadSample('match.json')), status: 'READY' };
  const rows = matchStatsRows();
  const darwin = samplePlayer();
  const players: Record<string, PlayerInput> = {};
  (['faction1', 'faction2'] as const).forEach((f) => {
    match.factions[f].roster.forEach((r, i) => {
      const row = rows[r.playerId];
      if (f === 'faction1' && i === 0) {
        players[r.playerId] = {
          ...darwin.input,
          recent: [...(row ? [row] : []), ...(darwin.input.recent ?? [])],
        };
      } else if (row) {
        players[r.playerId] = {
          details: { elo: null, level: r.skillLevel, country: null },
          recent: [row],
          lifetime: null,
        };
      }
    });
  });
  return { match, players };
}

import type { Faction, StatLine } from './match-sim';
import { MAP_POOL, type SimPlayer } from './players';
import { type Json, MAP_LABELS, fmt, mapImage, perMatch } from './render-players';
import { LOCATIONS, type HistoryEntry, type RosterEntry, type SimMatch, type World } from './world';

/**
 * FACEIT's match-side bodies (/history, /games/cs2/stats, /matches/{id}, /matches/{id}/stats) in the samples'
 * shapes. Ids, names and lines come from the world's SimMatch, so one match reads the same through every endpoint.
 */

export const COMPETITION = {
  id: 'f4148ddd-bce8-41b8-9131-ee83afcdd6dd',
  name: 'Europe 5v5 Queue',
  type: 'matchmaking',
  organizer: 'faceit',
};
/** Matches finished before this carry no `Damage` key in /games/cs2/stats, like FACEIT's 2025 responses. */
const DAMAGE_KEY_SINCE = Date.UTC(2026, 0, 1);
const seconds = (ms: number) => Math.floor(ms / 1000);
const FACTIONS: Faction[] = ['faction1', 'faction2'];

interface RosterView {
  id: string;
  nickname: string;
  avatar: string;
  steamId64: string;
  steamNickname: string;
  level: number;
  membership: string;
}

export function rosterView(world: World, slot: RosterEntry): RosterView {
  if (slot.ghost) {
    const g = slot.ghost;
    return {
      id: g.id,
      nickname: g.nickname,
      avatar: '',
      steamId64: g.steamId64,
      steamNickname: g.nickname,
      level: g.level,
      membership: 'free',
    };
  }
  const p = world.players[slot.playerIndex as number];
  return {
    id: p.id,
    nickname: p.nickname,
    avatar: p.avatar,
    steamId64: p.steamId64,
    steamNickname: p.steamNickname,
    level: world.level(p),
    membership: p.membership,
  };
}

const roomUrl = (matchId: string) => `https://www.faceit.com/{lang}/cs2/room/${matchId}`;

export function renderHistoryItem(world: World, match: SimMatch): Json {
  const teams: Json = {};
  for (const side of FACTIONS) {
    const team = match.teams[side];
    const players = team.roster.map((slot) => rosterView(world, slot));
    teams[side] = {
      team_id: team.factionId,
      nickname: team.name,
      avatar: players[0]?.avatar ?? '',
      type: '',
      players: players.map((p) => ({
        player_id: p.id,
        nickname: p.nickname,
        avatar: p.avatar,
        skill_level: p.level,
        game_player_id: p.steamId64,
        game_player_name: p.steamNickname,
        faceit_url: `https://www.faceit.com/{lang}/players/${p.nickname}`,
      })),
    };
  }
  const outcome = match.outcome;
  return {
    match_id: match.matchId,
    game_id: 'cs2',
    region: match.region,
    match_type: '',
    game_mode: '5v5',
    max_players: 10,
    teams_size: 5,
    teams,
    playing_players: FACTIONS.flatMap((side) => match.teams[side].roster.map((s) => rosterView(world, s).id)),
    competition_id: COMPETITION.id,
    competition_name: COMPETITION.name,
    competition_type: COMPETITION.type,
    organizer_id: COMPETITION.organizer,
    status: match.status.toLowerCase(),
    started_at: seconds(match.startedAt ?? match.configuredAt),
    finished_at: seconds(match.finishedAt ?? match.configuredAt),
    // A match still being played: FACEIT sends `results: null`.
    results: outcome ? { winner: outcome.winner, score: { ...outcome.score } } : null,
    faceit_url: roomUrl(match.matchId),
  };
}

/** One item of /players/{id}/games/cs2/stats: the player's own line plus the match context. */
export function renderPlayerMatchStats(
  world: World,
  player: SimPlayer,
  entry: HistoryEntry,
  match: SimMatch,
): Json {
  const { line, outcome, faction } = entry;
  const team = match.teams[faction];
  const stats: Json = {
    'K/D Ratio': fmt(perMatch.kd(line)),
    Deaths: String(line.deaths),
    ADR: fmt(line.damage / outcome.rounds, 1),
    'Headshots %': String(perMatch.hsPercent(line)),
    'Best Of': '1',
    'First Half Score': String(outcome.firstHalf[faction]),
    Game: 'cs2',
    'Match Finished At': entry.finishedAt,
    'Match Round': '1',
    'Second Half Score': String(
      outcome.score[faction] - outcome.firstHalf[faction] - outcome.overtime[faction],
    ),
    Rounds: String(outcome.rounds),
    Headshots: String(line.headshots),
    Winner: match.teams[outcome.winner].factionId,
    'Game Mode': '5v5',
    'Triple Kills': String(line.tripleKills),
    'Match Id': entry.matchId,
    'Player Id': player.id,
    Team: team.name,
    Assists: String(line.assists),
    'Updated At': new Date(entry.finishedAt + 91_000).toISOString(),
    'Penta Kills': String(line.pentaKills),
    'K/R Ratio': fmt(perMatch.kr(line, outcome.rounds)),
    Result: outcome.winner === faction ? '1' : '0',
    'Created At': new Date(entry.finishedAt + 1_000).toISOString(),
    MVPs: String(line.mvps),
    'Overtime score': String(outcome.overtime[faction]),
    Score: `${outcome.score.faction1} / ${outcome.score.faction2}`,
    'Quadro Kills': String(line.quadroKills),
    Map: outcome.map,
    'Double Kills': String(line.doubleKills),
    'Competition Id': COMPETITION.id,
    Region: match.region,
    'Final Score': String(outcome.score[faction]),
    Nickname: player.nickname,
    Kills: String(line.kills),
  };
  if (entry.finishedAt >= DAMAGE_KEY_SINCE) stats.Damage = String(line.damage);
  return { stats };
}

function votingEntities(): Json[] {
  return MAP_POOL.map((map) => ({
    class_name: map,
    game_map_id: map,
    guid: map,
    image_lg: mapImage(map, 'lg'),
    image_sm: mapImage(map, 'sm'),
    name: MAP_LABELS[map],
  }));
}

function locationEntities(): Json[] {
  return LOCATIONS.map((name) => ({
    guid: name,
    image_lg: `https://distribution.faceit-cdn.net/images/flags/v1/${name.slice(0, 2).toLowerCase()}.jpg?width=428&height=212`,
    image_sm: `https://distribution.faceit-cdn.net/images/flags/v1/${name.slice(0, 2).toLowerCase()}.jpg?width=110&height=55`,
    name,
    class_name: name,
    game_location_id: name,
  }));
}

/** Whether the match's rosters are filled in yet (see SimMatch.rostersAt). */
export const rostersShown = (match: SimMatch, now = Date.now()): boolean =>
  match.rostersAt === undefined || now >= match.rostersAt;

export function renderMatch(world: World, match: SimMatch): Json {
  const teams: Json = {};
  const shown = rostersShown(match);
  for (const side of FACTIONS) {
    const team = match.teams[side];
    const roster = shown ? team.roster.map((slot) => rosterView(world, slot)) : [];
    teams[side] = {
      faction_id: team.factionId,
      leader: roster[0]?.id ?? '',
      avatar: roster[0]?.avatar ?? '',
      roster: roster.map((p) => ({
        player_id: p.id,
        nickname: p.nickname,
        avatar: p.avatar,
        membership: p.membership,
        game_player_id: p.steamId64,
        game_player_name: p.steamNickname,
        game_skill_level: p.level,
        anticheat_required: true,
      })),
      substituted: false,
      name: team.name,
      type: '',
    };
    if (match.faceitWinProbability !== undefined) {
      // Matchmaking rooms: FACEIT's own estimate (winProbability, 0–1) and the side's level spread.
      const levels = roster.map((p) => p.level);
      const p1 = match.faceitWinProbability;
      (teams[side] as Json).stats = {
        winProbability: Math.round((side === 'faction1' ? p1 : 1 - p1) * 10_000) / 10_000,
        skillLevel: {
          average: Math.round(levels.reduce((a, b) => a + b, 0) / Math.max(1, levels.length)),
          range: { min: Math.min(...levels), max: Math.max(...levels) },
        },
      };
    }
  }
  // CONFIGURING comes after the vote (the server is being set up on the picked map).
  const voted = match.status !== 'VOTING';
  const body: Json = {
    match_id: match.matchId,
    version: 2,
    game: 'cs2',
    region: match.region,
    competition_id: COMPETITION.id,
    competition_type: COMPETITION.type,
    competition_name: COMPETITION.name,
    organizer_id: COMPETITION.organizer,
    teams,
    voting: {
      location: { entities: locationEntities(), pick: voted ? [match.location] : [] },
      map: { entities: votingEntities(), pick: voted ? [match.map] : [] },
      voted_entity_types: ['location', 'map'],
    },
    calculate_elo: true,
    configured_at: seconds(match.configuredAt),
    chat_room_id: `match-${match.matchId}`,
    best_of: 1,
    status: match.status,
    faceit_url: roomUrl(match.matchId),
  };
  if (match.startedAt !== undefined) body.started_at = seconds(match.startedAt);
  if (match.status === 'FINISHED' && match.outcome) {
    const o = match.outcome;
    const demo = `https://demos-europe-central.backblaze.faceit-cdn.net/cs2/${match.matchId}-1-1.dem.zst`;
    Object.assign(body, {
      finished_at: seconds(match.finishedAt ?? Date.now()),
      demo_url: [demo],
      results: { winner: o.winner, score: { ...o.score } },
      detailed_results: [
        {
          asc_score: false,
          winner: o.winner,
          factions: { faction1: { score: o.score.faction1 }, faction2: { score: o.score.faction2 } },
        },
      ],
    });
  }
  return body;
}

function playerStats(line: StatLine, rounds: number, won: boolean): Json {
  const r = (a: number, b: number, d = 2) => fmt(b > 0 ? a / b : 0, d);
  return {
    'Headshots %': String(perMatch.hsPercent(line)),
    MVPs: String(line.mvps),
    'Entry Count': String(line.entryCount),
    'Match 1v1 Win Rate': r(line.oneVsOneWins, line.oneVsOneCount),
    'Flashes per Round in a Match': r(line.flashCount, rounds),
    'Utility Enemies': String(line.utilityEnemies),
    'Match 1v2 Win Rate': r(line.oneVsTwoWins, line.oneVsTwoCount),
    'First Kills': String(line.entryWins),
    '1v1Count': String(line.oneVsOneCount),
    'Sniper Kill Rate per Match': r(line.sniperKills, line.kills),
    'Utility Damage': String(line.utilityDamage),
    'Quadro Kills': String(line.quadroKills),
    'Enemies Flashed': String(line.enemiesFlashed),
    'Penta Kills': String(line.pentaKills),
    'Double Kills': String(line.doubleKills),
    'Utility Usage per Round': r(line.utilityCount, rounds),
    'Sniper Kill Rate per Round': r(line.sniperKills, rounds),
    'Triple Kills': String(line.tripleKills),
    'Utility Count': String(line.utilityCount),
    Damage: String(line.damage),
    'Utility Successes': String(line.utilitySuccesses),
    'Clutch Kills': String(line.clutchKills),
    'Utility Success Rate per Match': r(line.utilitySuccesses, line.utilityCount),
    'Flash Success Rate per Match': r(line.flashSuccesses, line.flashCount),
    Kills: String(line.kills),
    '1v2Count': String(line.oneVsTwoCount),
    'Match Entry Rate': r(line.entryCount, rounds),
    'Enemies Flashed per Round in a Match': r(line.enemiesFlashed, rounds),
    'Knife Kills': String(line.knifeKills),
    'Flash Successes': String(line.flashSuccesses),
    'Entry Wins': String(line.entryWins),
    '1v2Wins': String(line.oneVsTwoWins),
    'Utility Damage per Round in a Match': r(line.utilityDamage, rounds),
    'K/R Ratio': fmt(perMatch.kr(line, rounds)),
    'Utility Damage Success Rate per Match': r(line.utilityDamage, line.utilityCount, 0),
    Headshots: String(line.headshots),
    Assists: String(line.assists),
    ADR: fmt(line.damage / rounds, 1),
    'Flash Count': String(line.flashCount),
    'Match Entry Success Rate': r(line.entryWins, line.entryCount),
    '1v1Wins': String(line.oneVsOneWins),
    'K/D Ratio': fmt(perMatch.kd(line)),
    'Zeus Kills': String(line.zeusKills),
    'Sniper Kills': String(line.sniperKills),
    Result: won ? '1' : '0',
    Deaths: String(line.deaths),
    'Pistol Kills': String(line.pistolKills),
  };
}

/** /matches/{id}/stats, or undefined while the match has no stats (not finished). */
export function renderMatchStats(world: World, match: SimMatch): Json | undefined {
  const o = match.outcome;
  if (match.status !== 'FINISHED' || !o || !match.lines) return undefined;
  const lines = match.lines;
  const teams = FACTIONS.map((side) => {
    const team = match.teams[side];
    const players = team.roster.map((slot) => rosterView(world, slot));
    const headshots = players.reduce((sum, p) => sum + (lines.get(p.id)?.headshots ?? 0), 0);
    return {
      team_id: team.factionId,
      premade: false,
      team_stats: {
        Team: team.name,
        'Team Win': o.winner === side ? '1' : '0',
        'Team Headshots': fmt(headshots / Math.max(1, players.length), 1),
        'Overtime score': String(o.overtime[side]),
        'First Half Score': String(o.firstHalf[side]),
        'Second Half Score': String(o.score[side] - o.firstHalf[side] - o.overtime[side]),
        'Final Score': String(o.score[side]),
      },
      players: players.map((p) => ({
        player_id: p.id,
        nickname: p.nickname,
        player_stats: playerStats(lines.get(p.id) as StatLine, o.rounds, o.winner === side),
      })),
    };
  });
  return {
    rounds: [
      {
        best_of: '1',
        competition_id: COMPETITION.id,
        game_id: 'cs2',
        game_mode: '5v5',
        match_id: match.matchId,
        match_round: '1',
        played: '1',
        round_stats: {
          Winner: match.teams[o.winner].factionId,
          Rounds: String(o.rounds),
          Score: `${o.score.faction1} / ${o.score.faction2}`,
          Map: o.map,
          Region: match.region,
        },
        teams,
      },
    ],
  };
}

import type { StatLine } from './match-sim';
import { MAP_POOL, type SimPlayer } from './players';
import { Rng } from './prng';
import type { HistoryEntry, World } from './world';

/**
 * FACEIT's player-side bodies (/players, /search/players, /players/{id}/stats/cs2), with the key spelling, order
 * and string-typed values of the recorded samples. Lifetime and per-map stats are aggregated from the same match
 * lines /games/cs2/stats serves, using FACEIT's own formulas (checked against the sample: ADR = damage / rounds
 * with extended stats, `K/D Ratio` = sum of per-match K/D, `Average K/D Ratio` = that sum / matches, ...).
 */

export type Json = Record<string, unknown>;

/** FACEIT prints numbers as short strings: "1.27", "75", "0.5". */
export function fmt(value: number, decimals = 2): string {
  return String(Number((Number.isFinite(value) ? value : 0).toFixed(decimals)));
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

export function steamIds(player: SimPlayer): { legacy: string; u1: string } {
  const id = player.steamAccountId;
  return { legacy: `STEAM_0:${id % 2}:${Math.floor(id / 2)}`, u1: `[U:1:${id}]` };
}

export function renderPlayer(world: World, player: SimPlayer): Json {
  const rng = Rng.of(world.seed, 'profile', player.index);
  const { legacy, u1 } = steamIds(player);
  const games: Json = {};
  if (!player.noCs2) {
    games.cs2 = {
      region: player.region,
      game_player_id: player.steamId64,
      skill_level: world.level(player),
      faceit_elo: world.elo(player),
      game_player_name: player.steamNickname,
      skill_level_label: '',
      regions: {},
      game_profile_id: '',
    };
  }
  if (player.noCs2 || rng.chance(0.6)) {
    const elo = rng.int(600, 2400);
    games.csgo = {
      region: player.region,
      game_player_id: player.steamId64,
      skill_level: Math.min(10, Math.max(1, Math.ceil((elo - 500) / 170))),
      faceit_elo: elo,
      game_player_name: player.steamNickname,
      skill_level_label: '',
      regions: {},
      game_profile_id: '',
    };
  }
  const friends = Array.from(
    { length: rng.int(0, 8) },
    () => world.players[rng.int(0, world.players.length - 1)].id,
  );
  return {
    player_id: player.id,
    nickname: player.nickname,
    avatar: player.avatar,
    country: player.country,
    cover_image: player.coverImage,
    platforms: { steam: legacy },
    games,
    settings: { language: player.language },
    friends_ids: friends,
    new_steam_id: u1,
    steam_id_64: player.steamId64,
    steam_nickname: player.steamNickname,
    memberships: [player.membership],
    faceit_url: `https://www.faceit.com/{lang}/players/${player.nickname}`,
    membership_type: '',
    cover_featured_image: '',
    infractions: {},
    verified: player.verified,
    activated_at: player.activatedAt,
  };
}

export function renderSearchItem(world: World, player: SimPlayer): Json {
  const games = player.noCs2 ? [] : [{ name: 'cs2', skill_level: String(world.level(player)) }];
  return {
    player_id: player.id,
    nickname: player.nickname,
    status: '',
    games,
    country: player.country.toUpperCase(),
    verified: player.verified,
    avatar: player.avatar,
  };
}

interface Totals {
  matches: number;
  wins: number;
  kdSum: number;
  krSum: number;
  hsPercentSum: number;
  kills: number;
  deaths: number;
  assists: number;
  headshots: number;
  rounds: number;
  mvps: number;
  tripleKills: number;
  quadroKills: number;
  pentaKills: number;
  /** Over matches with extended stats only. */
  ext: StatLine & { matches: number; rounds: number };
  results: number[];
}

export const perMatch = {
  kd: (l: StatLine) => Number(fmt(ratio(l.kills, Math.max(1, l.deaths)))),
  kr: (l: StatLine, rounds: number) => Number(fmt(ratio(l.kills, rounds))),
  hsPercent: (l: StatLine) => Math.round(ratio(l.headshots, l.kills) * 100),
};

function emptyLine(): StatLine & { matches: number; rounds: number } {
  const zero = {} as StatLine & { matches: number; rounds: number };
  const keys: (keyof StatLine)[] = [
    'kills',
    'deaths',
    'assists',
    'headshots',
    'damage',
    'mvps',
    'doubleKills',
    'tripleKills',
    'quadroKills',
    'pentaKills',
    'entryCount',
    'entryWins',
    'sniperKills',
    'pistolKills',
    'knifeKills',
    'zeusKills',
    'clutchKills',
    'oneVsOneCount',
    'oneVsOneWins',
    'oneVsTwoCount',
    'oneVsTwoWins',
    'utilityCount',
    'utilitySuccesses',
    'utilityDamage',
    'utilityEnemies',
    'flashCount',
    'flashSuccesses',
    'enemiesFlashed',
  ];
  for (const k of keys) zero[k] = 0;
  zero.matches = 0;
  zero.rounds = 0;
  return zero;
}

function aggregate(entries: HistoryEntry[]): Totals {
  const t: Totals = {
    matches: 0,
    wins: 0,
    kdSum: 0,
    krSum: 0,
    hsPercentSum: 0,
    kills: 0,
    deaths: 0,
    assists: 0,
    headshots: 0,
    rounds: 0,
    mvps: 0,
    tripleKills: 0,
    quadroKills: 0,
    pentaKills: 0,
    ext: emptyLine(),
    results: [],
  };
  // Oldest first, so `results` ends with the most recent match like FACEIT's "Recent Results".
  for (let i = entries.length - 1; i >= 0; i--) {
    const { line, outcome, faction, extended } = entries[i];
    const won = outcome.winner === faction;
    t.matches++;
    t.wins += won ? 1 : 0;
    t.results.push(won ? 1 : 0);
    t.kdSum += perMatch.kd(line);
    t.krSum += perMatch.kr(line, outcome.rounds);
    t.hsPercentSum += perMatch.hsPercent(line);
    t.kills += line.kills;
    t.deaths += line.deaths;
    t.assists += line.assists;
    t.headshots += line.headshots;
    t.rounds += outcome.rounds;
    t.mvps += line.mvps;
    t.tripleKills += line.tripleKills;
    t.quadroKills += line.quadroKills;
    t.pentaKills += line.pentaKills;
    if (extended) {
      for (const k of Object.keys(line) as (keyof StatLine)[]) t.ext[k] += line[k];
      t.ext.matches++;
      t.ext.rounds += outcome.rounds;
    }
  }
  return t;
}

function streaks(results: number[]): { current: number; longest: number } {
  let current = 0;
  let longest = 0;
  for (const r of results) {
    current = r === 1 ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return { current, longest };
}

/** Keys shared by lifetime and segments, computed over extended-stats matches. */
function extendedStats(t: Totals): Record<string, string> {
  const e = t.ext;
  return {
    'Utility Damage Success Rate': fmt(ratio(e.utilityDamage, e.utilityCount)),
    'Enemies Flashed per Round': fmt(ratio(e.enemiesFlashed, e.rounds)),
    // Swapped against their names, as the real API sends them (shared/faceit-api/README.md): per round here…
    'Sniper Kill Rate': fmt(ratio(e.sniperKills, e.rounds)),
    'Total Flash Successes': String(e.flashSuccesses),
    'Entry Rate': fmt(ratio(e.entryCount, e.rounds)),
    'Utility Usage per Round': fmt(ratio(e.utilityCount, e.rounds)),
    'Total Sniper Kills': String(e.sniperKills),
    'Total Kills with extended stats': String(e.kills),
    'Total 1v1 Wins': String(e.oneVsOneWins),
    'Total 1v2 Wins': String(e.oneVsTwoWins),
    'Total 1v2 Count': String(e.oneVsTwoCount),
    'Utility Success Rate': fmt(ratio(e.utilitySuccesses, e.utilityCount)),
    'Total Utility Successes': String(e.utilitySuccesses),
    // …and per kill here.
    'Sniper Kill Rate per Round': fmt(ratio(e.sniperKills, e.kills)),
    'Total Rounds with extended stats': String(e.rounds),
    'Total 1v1 Count': String(e.oneVsOneCount),
    'Total Flash Count': String(e.flashCount),
    'Total Utility Count': String(e.utilityCount),
    '1v1 Win Rate': fmt(ratio(e.oneVsOneWins, e.oneVsOneCount)),
    'Flash Success Rate': fmt(ratio(e.flashSuccesses, e.flashCount)),
    'Utility Damage per Round': fmt(ratio(e.utilityDamage, e.rounds)),
    'Total Utility Damage': String(e.utilityDamage),
    'Total Entry Count': String(e.entryCount),
    'Total Entry Wins': String(e.entryWins),
    '1v2 Win Rate': fmt(ratio(e.oneVsTwoWins, e.oneVsTwoCount)),
    'Total Matches': String(e.matches),
    'Flashes per Round': fmt(ratio(e.flashCount, e.rounds)),
    'Total Enemies Flashed': String(e.enemiesFlashed),
    'Entry Success Rate': fmt(ratio(e.entryWins, e.entryCount)),
    'Total Damage': String(e.damage),
    ADR: fmt(ratio(e.damage, e.rounds)),
  };
}

function lifetimeStats(t: Totals): Json {
  const { current, longest } = streaks(t.results);
  return {
    ...extendedStats(t),
    Matches: String(t.matches),
    'Average K/D Ratio': fmt(ratio(t.kdSum, t.matches)),
    'Total Headshots %': String(t.hsPercentSum),
    'Average Headshots %': fmt(ratio(t.hsPercentSum, t.matches), 0),
    'Win Rate %': fmt(ratio(t.wins, t.matches) * 100, 0),
    Wins: String(t.wins),
    'K/D Ratio': fmt(t.kdSum),
    'Current Win Streak': String(current),
    'Longest Win Streak': String(longest),
    'Recent Results': t.results.slice(-5).map(String),
  };
}

function segmentStats(t: Totals): Json {
  const avg = (n: number) => fmt(ratio(n, t.matches));
  return {
    ...extendedStats(t),
    Kills: String(t.kills),
    Deaths: String(t.deaths),
    Assists: String(t.assists),
    Headshots: String(t.headshots),
    Rounds: String(t.rounds),
    MVPs: String(t.mvps),
    'Triple Kills': String(t.tripleKills),
    'Quadro Kills': String(t.quadroKills),
    'Penta Kills': String(t.pentaKills),
    'Average Kills': avg(t.kills),
    'Average Deaths': avg(t.deaths),
    'Average Assists': avg(t.assists),
    'Average MVPs': avg(t.mvps),
    'Average Triple Kills': avg(t.tripleKills),
    'Average Quadro Kills': avg(t.quadroKills),
    'Average Penta Kills': avg(t.pentaKills),
    'Headshots per Match': fmt(ratio(t.headshots, t.matches), 1),
    'Average Headshots %': fmt(ratio(t.hsPercentSum, t.matches), 0),
    'Total Headshots %': String(t.hsPercentSum),
    'Average K/D Ratio': avg(t.kdSum),
    'K/D Ratio': fmt(t.kdSum),
    'Average K/R Ratio': avg(t.krSum),
    'K/R Ratio': fmt(t.krSum),
    'Win Rate %': fmt(ratio(t.wins, t.matches) * 100, 0),
    Wins: String(t.wins),
    Matches: String(t.matches),
  };
}

export const MAP_LABELS: Record<string, string> = {
  de_dust2: 'Dust2',
  de_mirage: 'Mirage',
  de_nuke: 'Nuke',
  de_overpass: 'Overpass',
  de_ancient: 'Ancient',
  de_inferno: 'Inferno',
  de_anubis: 'Anubis',
};

export function mapImage(map: string, size: 'sm' | 'lg'): string {
  const id = Rng.of('map-image', map, size).uuid();
  return `https://assets.faceit-cdn.net/third_party/games/ce652bd4-0abb-4c90-9936-1133965ca38b/assets/votables/${id}.jpeg`;
}

export function renderPlayerStats(player: SimPlayer, entries: HistoryEntry[]): Json {
  const segments = MAP_POOL.map((map) => ({ map, entries: entries.filter((e) => e.outcome.map === map) }))
    .filter((s) => s.entries.length > 0)
    .sort((a, b) => b.entries.length - a.entries.length)
    .map(({ map, entries: list }) => ({
      label: MAP_LABELS[map],
      img_small: mapImage(map, 'sm'),
      img_regular: mapImage(map, 'lg'),
      stats: segmentStats(aggregate(list)),
      type: 'Map',
      mode: '5v5',
    }));
  return { player_id: player.id, game_id: 'cs2', lifetime: lifetimeStats(aggregate(entries)), segments };
}

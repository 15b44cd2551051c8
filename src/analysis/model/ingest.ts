/**
 * Adapter from the FACEIT client's parsed responses (src/faceit/schemas.ts) to the pure analysis input
 * (src/analysis/types.ts). Only what the analysis reads is kept, so a player's input stays a few KB: it travels
 * through Temporal payloads (one activity result per player).
 */
import {
  cs2Of,
  type Match,
  type Player,
  type PlayerMatchStatsList,
  type PlayerStats,
} from '../../faceit/schemas';
import { toNumber } from '../../faceit/stat-keys';
import { z } from 'zod';
import type {
  LifetimeMapSegment,
  LifetimeStats,
  MatchFaction,
  MatchInfo,
  PlayerDetails,
  RecentMatchStats,
} from './types';

const opt = (v: unknown): number | undefined => toNumber(v);
const orNull = (v: number | undefined): number | null => (v === undefined ? null : v);

function faction(match: Match, id: 'faction1' | 'faction2'): MatchFaction {
  const f = match.teams?.[id];
  return {
    name: f?.name ?? (id === 'faction1' ? 'Team 1' : 'Team 2'),
    roster: (f?.roster ?? []).map((r) => ({
      playerId: r.player_id,
      nickname: r.nickname ?? r.game_player_name ?? r.player_id,
      skillLevel: orNull(r.game_skill_level),
    })),
  };
}

/** `teams.factionN.stats.winProbability` as 0–1 (matchmaking rooms may carry it); anything else → null. */
const factionStats = z
  .object({ stats: z.object({ winProbability: z.unknown() }).passthrough() })
  .passthrough();

function faceitWinProbability(match: Match): Record<'faction1' | 'faction2', number> | null {
  const of = (id: 'faction1' | 'faction2'): number | null => {
    const parsed = factionStats.safeParse(match.teams?.[id]);
    if (!parsed.success) return null;
    let p = toNumber(parsed.data.stats.winProbability);
    if (p === undefined) return null;
    if (p > 1 && p <= 100) p = p / 100;
    return p >= 0 && p <= 1 ? p : null;
  };
  const p1 = of('faction1');
  const p2 = of('faction2');
  if (p1 === null && p2 === null) return null;
  const f1 = p1 ?? 1 - (p2 as number);
  return { faction1: f1, faction2: p2 ?? 1 - f1 };
}

/** `GET /matches/{id}` → the match room. */
export function matchInfoFrom(match: Match): MatchInfo {
  const mapVoting = match.voting?.map;
  return {
    bestOf: orNull(match.best_of),
    faceitWinProbability: faceitWinProbability(match),
    matchId: match.match_id,
    status: (match.status ?? '').toUpperCase(),
    pickedMap: mapVoting?.pick?.[0] ?? null,
    mapPool: (mapVoting?.entities ?? [])
      .map((e) => e.class_name ?? e.game_map_id ?? e.guid)
      .filter((x): x is string => !!x),
    competitionName: match.competition_name ?? null,
    region: match.region ?? null,
    startedAt: match.started_at ? match.started_at * 1000 : null,
    factions: { faction1: faction(match, 'faction1'), faction2: faction(match, 'faction2') },
  };
}

/** An ISO timestamp (`activated_at`) → epoch ms; unparsable → null. */
function epochOf(iso: string | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

/** `GET /players/{id}` → ELO, level, country (null ELO/level when the player has no CS2 profile). */
export function playerDetailsFrom(player: Player): PlayerDetails {
  const cs2 = cs2Of(player);
  return {
    elo: orNull(cs2?.faceit_elo),
    level: orNull(cs2?.skill_level),
    country: player.country ? player.country.toLowerCase() : null,
    activatedAt: epochOf(player.activated_at),
  };
}

/** Extended per-match keys: not in the client's named set (FACEIT rarely sends them here), read from `raw`. */
const EXTENDED_KEYS = {
  entryCount: 'Entry Count',
  entryWins: 'Entry Wins',
  firstKills: 'First Kills',
  sniperKills: 'Sniper Kills',
  utilityDamage: 'Utility Damage',
  utilityCount: 'Utility Count',
  flashCount: 'Flash Count',
  flashSuccesses: 'Flash Successes',
  enemiesFlashed: 'Enemies Flashed',
  clutch1v1Count: '1v1Count',
  clutch1v1Wins: '1v1Wins',
  clutch1v2Count: '1v2Count',
  clutch1v2Wins: '1v2Wins',
} as const satisfies Record<string, string>;

/** `GET /players/{id}/games/cs2/stats` → the recent matches, newest first as FACEIT sends them. */
export function recentMatchesFrom(list: PlayerMatchStatsList): RecentMatchStats[] {
  return list.items.map((m) => {
    const out: RecentMatchStats = {
      matchId: m.matchId,
      finishedAt: orNull(m.finishedAt),
      map: m.map ?? null,
      team: m.team ?? null,
      // A missing `Result` is unknown, not a loss.
      win: m.win ?? null,
      kills: m.kills ?? 0,
      deaths: m.deaths ?? 0,
      assists: m.assists ?? 0,
      adr: orNull(m.adr),
      hsPercent: orNull(m.headshotsPercent),
      kr: orNull(m.krRatio),
      rounds: orNull(m.rounds),
      score: m.score ?? null,
    };
    if (m.mvps !== undefined) out.mvps = m.mvps;
    if (m.doubleKills !== undefined) out.doubleKills = m.doubleKills;
    if (m.tripleKills !== undefined) out.tripleKills = m.tripleKills;
    if (m.quadroKills !== undefined) out.quadroKills = m.quadroKills;
    if (m.pentaKills !== undefined) out.pentaKills = m.pentaKills;
    for (const [name, key] of Object.entries(EXTENDED_KEYS) as [keyof typeof EXTENDED_KEYS, string][]) {
      const value = opt(m.raw[key]);
      if (value !== undefined) out[name] = value;
    }
    return out;
  });
}

/**
 * Share of kills made with a sniper rifle, from the lifetime totals. FACEIT's two rate keys are swapped against
 * their names (`Sniper Kill Rate` tracks sniper kills per round, `Sniper Kill Rate per Round` per kill; see
 * shared/faceit-api/README.md) and both are rounded to 2 decimals, so the totals are the only exact source:
 * `Total Sniper Kills` / `Total Kills with extended stats`. Without the totals, the key that really holds the
 * per-kill share (`Sniper Kill Rate per Round`) is the fallback.
 */
export function sniperShare(l: PlayerStats['lifetime']): number | null {
  const sniper = l.totalSniperKills;
  const kills = l.totalKillsExtended;
  if (sniper !== undefined && kills !== undefined && kills > 0)
    return Math.min(1, Math.max(0, sniper / kills));
  return orNull(l.sniperKillRatePerRound);
}

/** `GET /players/{id}/stats/cs2` → lifetime figures and the per-map segments (5v5 map segments only). */
export function lifetimeFrom(stats: PlayerStats): LifetimeStats {
  const l = stats.lifetime;
  const maps: LifetimeMapSegment[] = stats.segments
    .filter((s) => (s.type ?? 'Map') === 'Map' && (s.mode === undefined || s.mode === '5v5') && !!s.label)
    .map((s) => ({
      label: s.label ?? '',
      matches: s.stats.matches ?? 0,
      wins: orNull(s.stats.wins),
      winRate: orNull(s.stats.winRatePercent),
      kd: orNull(s.stats.kdRatio),
      adr: orNull(s.stats.adr),
      hsPercent: orNull(s.stats.headshotsPercent),
      kills: orNull(s.stats.kills),
      deaths: orNull(s.stats.deaths),
      assists: orNull(s.stats.assists),
      rounds: orNull(s.stats.rounds),
    }));
  return {
    matches: l.matches ?? 0,
    wins: orNull(l.wins),
    winRate: orNull(l.winRatePercent),
    kd: orNull(l.kdRatio),
    hsPercent: orNull(l.headshotsPercent),
    adr: orNull(l.adr),
    entryRate: orNull(l.entryRate),
    entrySuccessRate: orNull(l.entrySuccessRate),
    sniperKillRate: sniperShare(l),
    utilityDamagePerRound: orNull(l.utilityDamagePerRound),
    flashSuccessRate: orNull(l.flashSuccessRate),
    enemiesFlashedPerRound: orNull(l.enemiesFlashedPerRound),
    recentResults: l.recentResults.map((r) => r === 1),
    maps,
  };
}

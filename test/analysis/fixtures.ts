/** Hand-built, realistic lobbies for the analysis tests (deterministic). */
import type {
  LifetimeMapSegment,
  LifetimeStats,
  LobbyInput,
  MatchInfo,
  PlayerInput,
  RecentMatchStats,
} from '../../src/analysis/model/types';

export const BASE_TIME = Date.UTC(2026, 2, 20, 20, 0, 0);
export const ROUNDS = 24;

export interface LineSpec {
  /** Number of recent matches. */
  n: number;
  kpr?: number;
  kd?: number;
  apr?: number;
  /** null → ADR key missing */
  adr?: number | null;
  hs?: number;
  /** Win rate 0–1 over the window. */
  wr?: number;
  /** Wins among the newest 5 (defaults to an even spread). */
  recentWins5?: number;
  /** Maps cycled over the matches (default: active duty). */
  maps?: string[];
  /** Extended keys per match. */
  ext?: Partial<RecentMatchStats>;
}

/** Spreads `total` over `n` integers as evenly as possible. */
function spread(total: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Math.floor(((i + 1) * total) / n) - Math.floor((i * total) / n));
  return out;
}

function winPattern(n: number, wins: number, recentWins5?: number): boolean[] {
  if (recentWins5 === undefined) return spread(wins, n).map((x) => x > 0);
  const head = Math.min(5, n);
  const headWins = Math.min(recentWins5, head, wins);
  const tailWins = wins - headWins;
  const out: boolean[] = [];
  for (let i = 0; i < head; i++) out.push(i < headWins);
  spread(tailWins, n - head).forEach((x) => out.push(x > 0));
  return out;
}

const DEFAULT_MAPS = [
  'de_mirage',
  'de_inferno',
  'de_nuke',
  'de_ancient',
  'de_anubis',
  'de_dust2',
  'de_train',
];

export function recentMatches(spec: LineSpec, idPrefix = 'm'): RecentMatchStats[] {
  const { n } = spec;
  const kpr = spec.kpr ?? 0.72;
  const kd = spec.kd ?? 1;
  const apr = spec.apr ?? 0.18;
  const kills = spread(Math.round(kpr * ROUNDS * n), n);
  const deaths = spread(Math.round((kpr * ROUNDS * n) / kd), n);
  const assists = spread(Math.round(apr * ROUNDS * n), n);
  const wins = winPattern(n, Math.round((spec.wr ?? 0.5) * n), spec.recentWins5);
  const maps = spec.maps ?? DEFAULT_MAPS;
  const adr = spec.adr === undefined ? 108 * kpr : spec.adr;
  return Array.from({ length: n }, (_, i) => ({
    matchId: `1-${idPrefix}-${i}`,
    finishedAt: BASE_TIME - i * 3_600_000,
    map: maps[i % maps.length],
    win: wins[i],
    kills: kills[i],
    deaths: deaths[i],
    assists: assists[i],
    adr,
    hsPercent: spec.hs ?? 45,
    kr: kills[i] / ROUNDS,
    rounds: ROUNDS,
    score: wins[i] ? '13 / 11' : '11 / 13',
    ...spec.ext,
  }));
}

export interface PlayerSpec extends Partial<LineSpec> {
  nickname?: string;
  elo?: number | null;
  level?: number | null;
  /** Whole player missing (fetch failed). */
  noData?: boolean;
  lifetime?: LifetimeStats | null;
}

export function playerInput(spec: PlayerSpec, idPrefix: string): PlayerInput {
  return {
    details: { elo: spec.elo === undefined ? 2000 : spec.elo, level: spec.level ?? 10, country: 'de' },
    recent: recentMatches({ ...spec, n: spec.n ?? 20 }, idPrefix),
    lifetime: spec.lifetime ?? null,
  };
}

export function lifetime(spec: {
  matches: number;
  winRate: number;
  kd: number;
  adr?: number;
  maps?: { label: string; matches: number; winRate: number; kd: number }[];
  entryRate?: number;
  sniperKillRate?: number;
  utilityDamagePerRound?: number;
  enemiesFlashedPerRound?: number;
}): LifetimeStats {
  const maps: LifetimeMapSegment[] = (spec.maps ?? []).map((m) => ({
    label: m.label,
    matches: m.matches,
    wins: Math.round((m.matches * m.winRate) / 100),
    winRate: m.winRate,
    kd: m.kd,
  }));
  return {
    matches: spec.matches,
    wins: Math.round((spec.matches * spec.winRate) / 100),
    winRate: spec.winRate,
    kd: spec.kd,
    hsPercent: 48,
    adr: spec.adr ?? 80,
    entryRate: spec.entryRate ?? null,
    sniperKillRate: spec.sniperKillRate ?? null,
    utilityDamagePerRound: spec.utilityDamagePerRound ?? null,
    enemiesFlashedPerRound: spec.enemiesFlashedPerRound ?? null,
    recentResults: [true, false, true, true, false],
    maps,
  };
}

/** A READY 5v5 lobby; faction1 player ids a1..a5, faction2 b1..b5. */
export function lobby(
  f1: PlayerSpec[],
  f2: PlayerSpec[],
  opts: { pickedMap?: string | null; names?: [string, string]; status?: string; mapPool?: string[] } = {},
): LobbyInput {
  const players: Record<string, PlayerInput> = {};
  const faction = (specs: PlayerSpec[], prefix: string) =>
    specs.map((s, i) => {
      const playerId = `${prefix}${i + 1}`;
      if (!s.noData) players[playerId] = playerInput(s, playerId);
      return {
        playerId,
        nickname: s.nickname ?? `${prefix.toUpperCase()}player${i + 1}`,
        skillLevel: s.level ?? 10,
      };
    });
  const match: MatchInfo = {
    matchId: '1-00000000-0000-4000-8000-000000000001',
    status: opts.status ?? 'READY',
    pickedMap: opts.pickedMap === undefined ? 'de_mirage' : opts.pickedMap,
    mapPool: opts.mapPool,
    competitionName: '5v5 RANKED',
    region: 'EU',
    factions: {
      faction1: { name: opts.names?.[0] ?? 'team_alpha', roster: faction(f1, 'a') },
      faction2: { name: opts.names?.[1] ?? 'team_bravo', roster: faction(f2, 'b') },
    },
  };
  return { match, players };
}

/** An established star: last 30 matches at ≈ 1.35, 65 % won, 4 of the last 5; 1200 lifetime matches that agree. */
export const ESTABLISHED_STAR: PlayerSpec = {
  n: 30,
  kpr: 0.92,
  kd: 1.5,
  apr: 0.15,
  adr: 98,
  wr: 0.65,
  recentWins5: 4,
  lifetime: lifetime({ matches: 1200, winRate: 58, kd: 1.35, adr: 92 }),
};

export const avg = (over: PlayerSpec = {}): PlayerSpec => ({ kpr: 0.72, kd: 1, wr: 0.5, adr: 78, ...over });
export const five = (over: PlayerSpec = {}): PlayerSpec[] => Array.from({ length: 5 }, () => avg(over));
